import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';
import { widthsOf } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import { containment, deadSubspace } from './dead-directions.js';
import { type RankReading, readRank } from './numerical-rank.js';
import { balancednessNorms } from './spectra.js';

/** A change of numerical rank between two consecutive observations, with the threshold and the gap it fell in. */
export interface RankEvent {
  readonly step: number;
  /** The observation before (the change happened in (previousStep, step]). */
  readonly previousStep: number;
  /** 'product' or 'W_ℓ' (1-based). */
  readonly matrix: string;
  readonly from: number;
  readonly to: number;
  readonly direction: 'up' | 'down';
  readonly threshold: number;
  /** σ_r | σ_{r+1} at `step` around the new rank, and their separation in decades. */
  readonly above: number;
  readonly below: number;
  readonly gapDecades: number;
  readonly clearGap: boolean;
}

/** Everything observed along a training run, as JSON-ready arrays (entry k belongs to observation k). */
export interface RankTrajectory {
  readonly widths: number[];
  readonly rankTolerance: number;
  readonly step: number[];
  readonly phase: number[];
  readonly learningRate: number[];
  /** λ in the run's decay convention. */
  readonly lambda: number[];
  /** C(A) (the product-only cost). */
  readonly cost: number[];
  readonly penalty: number[];
  readonly objective: number[];
  /** ‖θ‖² = Σ_ℓ‖W_ℓ‖²_F. */
  readonly parameterNormSquared: number[];
  /** σ(W_{L:1}) per observation, descending. */
  readonly productSingularValues: number[][];
  /** σ(W_ℓ) per observation per layer. */
  readonly layerSingularValues: number[][][];
  readonly productRank: number[];
  readonly layerRanks: number[][];
  /** ‖C_ℓ‖_op per observation per hidden layer, and its maximum. */
  readonly balancedness: number[][];
  readonly maxBalancedness: number[];
  /** dim D_ℓ per observation per hidden layer (dead hidden directions, same τ). */
  readonly deadDimensions: number[][];
  /**
   * Per observation per hidden layer: ‖(I − P_{D_ℓ(k)})Q_ℓ(0)‖_op, the sine of the largest principal angle between
   * the dead subspace at the first observation and its projection on the current one (0 ⇔ every initially dead
   * direction is still dead; 0 when D_ℓ(0) = {0}; 1 when D_ℓ(0) ≠ {0} but D_ℓ(k) = {0}).
   */
  readonly deadDrift: number[][];
  readonly events: RankEvent[];
}

export interface RecorderOptions {
  /** τ of every rank reading (relative). Default 1e-6. */
  readonly rankTolerance?: number;
  /** Absolute scale for the product's rank (e.g. σ_1 of the target): ref = max(σ_1(A), this). Default 0. */
  readonly productReference?: number;
  /** Record dead hidden directions (one SVD per hidden layer per observation). Default true. */
  readonly deadDirections?: boolean;
}

export interface ObservationInfo {
  readonly phase: number;
  readonly learningRate: number;
  readonly lambda: number;
  readonly cost: number;
  readonly penalty: number;
}

/** Records RankTrajectory observations; allocates (SVDs), so it runs on an observation schedule, not every step. */
export class RankRecorder {
  readonly trajectory: RankTrajectory;
  private readonly tolerance: number;
  private readonly productReference: number;
  private readonly dead: boolean;
  private previous: { step: number; product: RankReading; layers: RankReading[] } | undefined;
  private initialDead: Matrix[] | undefined;

  constructor(widths: readonly number[], options: RecorderOptions = {}) {
    this.tolerance = options.rankTolerance ?? 1e-6;
    if (!(Number.isFinite(this.tolerance) && this.tolerance > 0 && this.tolerance < 1))
      throw new DomainError('rankTolerance', `expected a relative tolerance in (0, 1), received ${this.tolerance}`);
    this.productReference = options.productReference ?? 0;
    this.dead = options.deadDirections ?? true;
    this.trajectory = {
      widths: [...widths],
      rankTolerance: this.tolerance,
      step: [],
      phase: [],
      learningRate: [],
      lambda: [],
      cost: [],
      penalty: [],
      objective: [],
      parameterNormSquared: [],
      productSingularValues: [],
      layerSingularValues: [],
      productRank: [],
      layerRanks: [],
      balancedness: [],
      maxBalancedness: [],
      deadDimensions: [],
      deadDrift: [],
      events: [],
    };
  }

  observe(step: number, state: readonly Matrix[], info: ObservationInfo): void {
    widthsOf(state);
    const t = this.trajectory,
      tau = this.tolerance;
    const layerS = state.map((w) => singularValues(w));
    const productS = singularValues(endToEnd(state));
    const layerRef = Math.max(0, ...layerS.map((s) => (s.length ? s[0] : 0)));
    const product = readRank(productS, tau, { reference: this.productReference });
    const layers = layerS.map((s) => readRank(s, tau, { reference: layerRef }));
    let norm2 = 0;
    for (const w of state) for (let i = 0; i < w.data.length; i++) norm2 += w.data[i] * w.data[i];
    const bal = balancednessNorms(state).operator;
    t.step.push(step);
    t.phase.push(info.phase);
    t.learningRate.push(info.learningRate);
    t.lambda.push(info.lambda);
    t.cost.push(info.cost);
    t.penalty.push(info.penalty);
    t.objective.push(info.cost + info.penalty);
    t.parameterNormSquared.push(norm2);
    t.productSingularValues.push(Array.from(productS));
    t.layerSingularValues.push(layerS.map((s) => Array.from(s)));
    t.productRank.push(product.rank);
    t.layerRanks.push(layers.map((r) => r.rank));
    t.balancedness.push(bal);
    t.maxBalancedness.push(bal.length ? Math.max(...bal) : 0);
    if (this.dead) {
      const dims: number[] = [],
        drift: number[] = [];
      const bases: Matrix[] = [];
      for (let l = 1; l < state.length; l++) {
        const d = deadSubspace(state, l, tau, layerRef);
        dims.push(d.dimension);
        bases.push(d.basis);
        drift.push(this.initialDead ? containment(this.initialDead[l - 1], d.basis) : 0);
      }
      this.initialDead ??= bases;
      t.deadDimensions.push(dims);
      t.deadDrift.push(drift);
    }
    const prev = this.previous;
    if (prev) {
      const changed = (name: string, before: RankReading, now: RankReading): void => {
        if (before.rank === now.rank) return;
        t.events.push({
          step,
          previousStep: prev.step,
          matrix: name,
          from: before.rank,
          to: now.rank,
          direction: now.rank > before.rank ? 'up' : 'down',
          threshold: now.threshold,
          above: now.above,
          below: now.below,
          gapDecades: now.gapDecades,
          clearGap: now.clear,
        });
      };
      changed('product', prev.product, product);
      layers.forEach((r, l) => changed(`W_${l + 1}`, prev.layers[l], r));
    }
    this.previous = { step, product, layers };
  }
}
