import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';
import { maxBalancednessDefect } from '../model/balancedness.js';
import { type Data, type LossOptions, type LossScale, loss } from '../model/loss.js';
import { DlnGradientField } from './dln-gradient-field.js';
import { allocateState } from './state.js';
import type { Observer } from './vector-field.js';

/**
 * A DLN trajectory as plain arrays (JSON-ready: JSON.stringify(record) needs no replacer). Entry i of every
 * series belongs to the i-th observation.
 */
export interface TrajectoryRecord {
  readonly step: number[];
  readonly time: number[];
  /** L = L¹(W_{N:1}) + (λ/2)Σ‖W_j‖² in the stated scale. */
  readonly loss: number[];
  /** ‖∇L‖ = √(Σ_j ‖∇_{W_j}L‖_F²) (the factor gradient the flow follows, weight decay included). */
  readonly gradientNorm: number[];
  /** ‖∇L¹(W_{N:1})‖_F (end-to-end gradient). */
  readonly endToEndGradientNorm: number[];
  /** max_j ‖C_j‖_F, C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ (0 for N = 1). */
  readonly maxDefect: number[];
  /** σ(W_{N:1}), descending, min(d_0, d_N) values per observation. */
  readonly productSingularValues: number[][];
  /** σ(W_j) per layer per observation, when requested. */
  readonly layerSingularValues?: number[][][];
  readonly meta: { readonly widths: number[]; readonly scale: LossScale; readonly weightDecay: number };
}

export interface DlnObserverOptions extends LossOptions {
  /** Also record the singular values of every layer (one SVD per layer per observation). Default false. */
  readonly layerSingularValues?: boolean;
}

/**
 * Records loss, gradient norms, max‖C_j‖ and singular values of the product (and optionally of each layer) at
 * every observation. It runs only on the observation schedule (every k steps), not in the integrator's inner
 * loop, so it may allocate (SVDs, loss); its gradient buffers are allocated once.
 */
export class DlnObserver implements Observer {
  readonly record: TrajectoryRecord;
  private readonly field: DlnGradientField;
  private readonly grads: Matrix[];
  private readonly lossOptions: LossOptions;
  private readonly layers: boolean;

  constructor(
    widths: readonly number[],
    private readonly data: Data,
    options: DlnObserverOptions = {},
  ) {
    this.field = new DlnGradientField(widths, data, options);
    this.grads = allocateState(this.field.shapes);
    this.lossOptions = { scale: this.field.scale, weightDecay: this.field.weightDecay };
    this.layers = options.layerSingularValues ?? false;
    this.record = {
      step: [],
      time: [],
      loss: [],
      gradientNorm: [],
      endToEndGradientNorm: [],
      maxDefect: [],
      productSingularValues: [],
      ...(this.layers ? { layerSingularValues: [] } : {}),
      meta: { widths: [...widths], scale: this.field.scale, weightDecay: this.field.weightDecay },
    };
  }

  observe(step: number, t: number, state: readonly Matrix[]): void {
    const r = this.record;
    this.field.gradientInto(state, this.grads);
    let g2 = 0;
    for (const g of this.grads) g2 += frobeniusNorm(g) ** 2;
    r.step.push(step);
    r.time.push(t);
    r.loss.push(loss(state, this.data, this.lossOptions));
    r.gradientNorm.push(Math.sqrt(g2));
    r.endToEndGradientNorm.push(frobeniusNorm(this.field.endToEndGradient));
    r.maxDefect.push(maxBalancednessDefect(state));
    r.productSingularValues.push(Array.from(singularValues(this.field.product)));
    if (r.layerSingularValues) r.layerSingularValues.push(state.map((w) => Array.from(singularValues(w))));
  }
}

/** An observer that calls `fn` (for ad-hoc recording in checks). */
export function callbackObserver(fn: (step: number, t: number, state: readonly Matrix[]) => void): Observer {
  return { observe: fn };
}
