import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { shapesFor } from '../model/network.js';
import { Data, LossOptions, LossScale, scaleFactor, validateData, weightDecayOf } from '../model/loss.js';
import { Shape, assertStateShapes } from './state.js';
import { GradientOracle, VectorField } from './vector-field.js';

/**
 * The DLN gradient-flow field dW_j/dt = −∇_{W_j}L, L = L¹(W_{N:1}) + (λ/2)Σ‖W_j‖² (THEORY §0, §1), with an
 * allocation-free layer-gradient routine (src/model's layerGradients allocates prefix/suffix products on every
 * call, too slow for integrators). Differences from src/model, both exact in exact arithmetic:
 *   - ∇L¹(W) = κ(WX − Y)Xᵀ is evaluated as W·S_xx − S_yx with S_xx = κXXᵀ, S_yx = κYXᵀ precomputed once, so
 *     a gradient costs O(Σ_j d_j d_{j−1} d_0) independent of the sample count m;
 *   - layer gradients come from one forward pass (prefix products P_j = W_{j:1}) and one backward pass
 *     (T_N = ∇L¹, T_{j−1} = W_jᵀT_j, so T_j = W_{N:j+1}ᵀ∇L¹), ∇_{W_j}L = T_j P_{j−1}ᵀ + λW_j.
 * All buffers are allocated in the constructor. Not re-entrant: one field per concurrent integrator.
 */
export class DlnGradientField implements VectorField, GradientOracle {
  readonly widths: readonly number[];
  readonly shapes: readonly Shape[];
  readonly depth: number;
  readonly scale: LossScale;
  readonly weightDecay: number;
  /** κXXᵀ (d_0×d_0) and κYXᵀ (d_N×d_0). */
  readonly sxx: Matrix;
  readonly syx: Matrix;
  /** prefix[j] = W_{j:1} for j = 2..N (prefix[0], prefix[1] unused: I and W_1 itself). */
  private readonly prefix: Matrix[];
  /** back[j] = W_{N:j+1}ᵀ∇L¹ for j = 1..N−1 (d_j×d_0); back[N] is `g`. */
  private readonly back: Matrix[];
  private readonly g: Matrix;
  private lastProduct: Matrix | undefined;

  constructor(widths: readonly number[], data: Data, options: LossOptions = {}) {
    const shapes = shapesFor(widths);
    const n = shapes.length;
    const d0 = widths[0], dN = widths[n];
    validateData(data, d0, dN);
    this.widths = [...widths];
    this.shapes = shapes;
    this.depth = n;
    this.scale = options.scale ?? 'half';
    this.weightDecay = weightDecayOf(options);
    const kappa = scaleFactor(this.scale, data.X.cols);
    this.sxx = multiply(data.X, data.X, 'n', 't');
    this.syx = multiply(data.Y, data.X, 'n', 't');
    for (const s of [this.sxx, this.syx]) for (let i = 0; i < s.data.length; i++) s.data[i] *= kappa;
    this.prefix = widths.map((d) => new Matrix(d, d0));
    this.back = widths.map((d) => new Matrix(d, d0));
    this.g = this.back[n];
  }

  /** ∇L¹(W_{N:1}) at the last evaluated state (d_N×d_0 buffer, overwritten by the next evaluation). */
  get endToEndGradient(): Matrix {
    return this.g;
  }

  /** W_{N:1} at the last evaluated state (a buffer, or for N = 1 the state's own W_1). */
  get product(): Matrix {
    if (!this.lastProduct) throw new DomainError('DlnGradientField.product', 'no state has been evaluated yet');
    return this.lastProduct;
  }

  /** out[j] ← ∇_{W_j}L (including λW_j) for every layer; allocates nothing. */
  gradientInto(state: readonly Matrix[], out: readonly Matrix[]): void {
    assertStateShapes(state, this.shapes, 'weights');
    assertStateShapes(out, this.shapes, 'gradient.out');
    const n = this.depth;
    // Forward: P_1 = W_1, P_j = W_j P_{j−1}.
    let p = state[0];
    for (let j = 2; j <= n; j++) p = multiplyInto(this.prefix[j], state[j - 1], p);
    this.lastProduct = p;
    // ∇L¹ = P_N S_xx − S_yx.
    multiplyInto(this.g, p, this.sxx);
    const G = this.g.data, S = this.syx.data;
    for (let i = 0; i < G.length; i++) G[i] -= S[i];
    // Backward: ∇_{W_j} = T_j P_{j−1}ᵀ with T_N = G, T_{j−1} = W_jᵀ T_j; P_0 = I.
    let t = this.g;
    for (let j = n; j >= 1; j--) {
      if (j === 1) out[0].data.set(t.data);
      else {
        multiplyInto(out[j - 1], t, j === 2 ? state[0] : this.prefix[j - 1], 'n', 't');
        t = multiplyInto(this.back[j - 1], state[j - 1], t, 't', 'n');
      }
    }
    const lambda = this.weightDecay;
    if (lambda > 0) {
      for (let j = 0; j < n; j++) {
        const O = out[j].data, W = state[j].data;
        for (let i = 0; i < O.length; i++) O[i] += lambda * W[i];
      }
    }
  }

  /** out[j] ← −∇_{W_j}L: the gradient-flow field. */
  evaluate(_t: number, state: readonly Matrix[], out: readonly Matrix[]): void {
    this.gradientInto(state, out);
    for (const o of out) {
      const O = o.data;
      for (let i = 0; i < O.length; i++) O[i] = -O[i];
    }
  }
}

/** The DLN gradient-flow field for the widths of `weights` (see DlnGradientField). */
export function dlnGradientField(widths: readonly number[], data: Data, options: LossOptions = {}): DlnGradientField {
  return new DlnGradientField(widths, data, options);
}
