import { assertStateShapes, type Shape } from '../dynamics/state.js';
import type { GradientOracle, VectorField } from '../dynamics/vector-field.js';
import { ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiplyInto } from '../linalg/products.js';
import { shapesFor } from '../model/network.js';
import type { ProductCost } from './cost.js';
import { decayCoefficient, parameterNormSquared, type WeightDecay } from './weight-decay.js';

/** Widths [d_0, …, d_L] that fit the cost (d_0 = its inputs, d_L = its outputs); throws naming the mismatch. */
export function checkWidths(widths: readonly number[], cost: ProductCost): Shape[] {
  const shapes = shapesFor(widths);
  const n = shapes.length;
  if (widths[0] !== cost.inputs)
    throw new ShapeError('widths[0]', `d_0 = ${cost.inputs} (the cost's input dimension)`, String(widths[0]));
  if (widths[n] !== cost.outputs)
    throw new ShapeError(`widths[${n}]`, `d_L = ${cost.outputs} (the cost's output dimension)`, String(widths[n]));
  return shapes;
}

/**
 * The full-batch gradient of C(W_L ⋯ W_1) + penalty for any ProductCost, allocation-free (one forward pass of
 * prefix products P_ℓ = W_{ℓ:1}, one backward pass T_L = ∇C(A), T_{ℓ−1} = W_ℓᵀT_ℓ, ∇_{W_ℓ}C = T_ℓP_{ℓ−1}ᵀ).
 * It is a GradientOracle and a VectorField (−gradient), so src/dynamics' GradientDescent and the gradient-flow
 * integrators (Rk4, ImplicitMidpoint, DormandPrince) run on it unchanged. Not re-entrant.
 */
export class ProductCostField implements GradientOracle, VectorField {
  readonly widths: readonly number[];
  readonly shapes: readonly Shape[];
  readonly depth: number;
  /** μ of the penalty gradient μW_ℓ (2λ for 'wj', λ for 'canonical'). */
  readonly mu: number;
  private readonly prefix: Matrix[];
  private readonly back: Matrix[];
  private readonly g: Matrix;
  private lastProduct: Matrix | undefined;
  private lastCost = NaN;

  constructor(
    widths: readonly number[],
    readonly cost: ProductCost,
    readonly decay: WeightDecay = { lambda: 0, convention: 'wj' },
  ) {
    this.shapes = checkWidths(widths, cost);
    this.widths = [...widths];
    this.depth = this.shapes.length;
    this.mu = decayCoefficient(decay);
    const d0 = widths[0];
    this.prefix = widths.map((d) => new Matrix(d, d0));
    this.back = widths.map((d) => new Matrix(d, d0));
    this.g = this.back[this.depth];
  }

  /** ∇C(A) at the last evaluated state. */
  get endToEndGradient(): Matrix {
    return this.g;
  }

  /** A = W_{L:1} at the last evaluated state (a buffer; W_1 itself when L = 1). */
  get product(): Matrix {
    if (!this.lastProduct) throw new ShapeError('ProductCostField.product', 'an evaluated state', 'none yet');
    return this.lastProduct;
  }

  /** C(A) at the last evaluated state. */
  get costValue(): number {
    return this.lastCost;
  }

  /** A = W_{L:1} into the field's buffer (returned). */
  productOf(state: readonly Matrix[]): Matrix {
    assertStateShapes(state, this.shapes, 'weights');
    let p = state[0];
    for (let j = 2; j <= this.depth; j++) p = multiplyInto(this.prefix[j], state[j - 1], p);
    this.lastProduct = p;
    return p;
  }

  /** out[ℓ] ← ∇_{W_ℓ}C (the cost only, no penalty); returns C(A). */
  dataGradientInto(state: readonly Matrix[], out: readonly Matrix[]): number {
    assertStateShapes(out, this.shapes, 'gradient.out');
    const n = this.depth;
    const p = this.productOf(state);
    this.lastCost = this.cost.gradientInto(p, this.g);
    let t = this.g;
    for (let j = n; j >= 1; j--) {
      if (j === 1) out[0].data.set(t.data);
      else {
        multiplyInto(out[j - 1], t, j === 2 ? state[0] : this.prefix[j - 1], 'n', 't');
        t = multiplyInto(this.back[j - 1], state[j - 1], t, 't', 'n');
      }
    }
    return this.lastCost;
  }

  /** out[ℓ] ← ∇_{W_ℓ}(C + penalty) = ∇_{W_ℓ}C + μW_ℓ. */
  gradientInto(state: readonly Matrix[], out: readonly Matrix[]): void {
    this.dataGradientInto(state, out);
    const mu = this.mu;
    if (mu === 0) return;
    for (let j = 0; j < this.depth; j++) {
      const O = out[j].data,
        W = state[j].data;
      for (let i = 0; i < O.length; i++) O[i] += mu * W[i];
    }
  }

  /** Gradient flow: out ← −∇(C + penalty). */
  evaluate(_t: number, state: readonly Matrix[], out: readonly Matrix[]): void {
    this.gradientInto(state, out);
    for (const o of out) for (let i = 0; i < o.data.length; i++) o.data[i] = -o.data[i];
  }

  /** The objective and its parts at a state. */
  objective(state: readonly Matrix[]): { cost: number; penalty: number; objective: number } {
    const cost = this.cost.value(this.productOf(state));
    const penalty = 0.5 * this.mu * parameterNormSquared(state);
    return { cost, penalty, objective: cost + penalty };
  }
}

/**
 * Minibatch gradients of a ProductCost through the network, allocation-free: for each sampled term s,
 * b_0 = x_s, b_ℓ = W_ℓb_{ℓ−1} (forward), a_L = u_s, a_{ℓ−1} = W_ℓᵀa_ℓ (backward), and ∇_{W_ℓ}c_s = a_ℓ b_{ℓ−1}ᵀ
 * (rank one). One sample costs 3Σ_ℓ d_ℓd_{ℓ−1} multiply-adds. The batch gradient is the mean over the batch, an
 * unbiased estimate of ∇_{W_ℓ}C when the samples are uniform.
 */
export class StochasticGradient {
  readonly shapes: readonly Shape[];
  readonly depth: number;
  private readonly b: Float64Array[];
  private readonly a: Float64Array[];

  constructor(
    readonly widths: readonly number[],
    readonly cost: ProductCost,
  ) {
    this.shapes = checkWidths(widths, cost);
    this.depth = this.shapes.length;
    this.b = widths.map((d) => new Float64Array(d));
    this.a = widths.map((d) => new Float64Array(d));
  }

  /**
   * out[ℓ] ← (1/count) Σ_{k<count} ∇_{W_ℓ}c_{samples[k]} (no penalty); returns the batch's mean term value.
   * Every gradient is taken at the same state (the state is not modified).
   */
  batchGradientInto(state: readonly Matrix[], samples: Int32Array, count: number, out: readonly Matrix[]): number {
    const n = this.depth,
      b = this.b,
      a = this.a;
    for (let j = 0; j < n; j++) out[j].data.fill(0);
    const scale = 1 / count;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const s = samples[k];
      this.cost.inputInto(s, b[0]);
      for (let j = 1; j <= n; j++) matVec(state[j - 1], b[j - 1], b[j]);
      total += this.cost.residualInto(s, b[n], a[n]);
      for (let j = n; j >= 1; j--) {
        const W = state[j - 1],
          G = out[j - 1].data,
          aj = a[j],
          bj = b[j - 1],
          cols = W.cols;
        for (let r = 0; r < W.rows; r++) {
          // No skip of zero rows: 0·NaN must stay NaN so a diverged state is never hidden (0·b is exact for finite b).
          const ar = scale * aj[r];
          const off = r * cols;
          for (let c = 0; c < cols; c++) G[off + c] += ar * bj[c];
        }
        if (j > 1) matTVec(W, aj, a[j - 1]);
      }
    }
    return total * scale;
  }
}

/** y ← W x. */
function matVec(w: Matrix, x: Float64Array, y: Float64Array): void {
  const W = w.data,
    rows = w.rows,
    cols = w.cols;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const off = r * cols;
    for (let c = 0; c < cols; c++) s += W[off + c] * x[c];
    y[r] = s;
  }
}

/** y ← Wᵀ x. */
function matTVec(w: Matrix, x: Float64Array, y: Float64Array): void {
  const W = w.data,
    rows = w.rows,
    cols = w.cols;
  y.fill(0);
  for (let r = 0; r < rows; r++) {
    const xr = x[r];
    const off = r * cols;
    for (let c = 0; c < cols; c++) y[c] += W[off + c] * xr;
  }
}
