import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { type ProductList, type ProductSpec, Workspace } from '../linalg/workspace.js';
import {
  type Data,
  type LossOptions,
  type LossScale,
  scaleFactor,
  validateData,
  weightDecayOf,
} from '../model/loss.js';
import { shapesFor } from '../model/network.js';
import type { StepBuffers } from './gradient-descent.js';
import { assertStateShapes, type Shape } from './state.js';
import type { GradientOracle, VectorField } from './vector-field.js';

/**
 * The DLN gradient-flow field dW_j/dt = −∇_{W_j}L, L = L¹(W_{N:1}) + (λ/2)Σ‖W_j‖² (THEORY §0, §1), with an
 * allocation-free layer-gradient routine (src/model's layerGradients allocates prefix/suffix products on every
 * call, too slow for integrators). Differences from src/model, both exact in exact arithmetic:
 *   - ∇L¹(W) = κ(WX − Y)Xᵀ is evaluated as W·S_xx − S_yx with S_xx = κXXᵀ, S_yx = κYXᵀ precomputed once, so
 *     a gradient costs O(Σ_j d_j d_{j−1} d_0) independent of the sample count m;
 *   - layer gradients come from one forward pass (prefix products P_j = W_{j:1}) and one backward pass
 *     (T_N = ∇L¹, T_{j−1} = W_jᵀT_j, so T_j = W_{N:j+1}ᵀ∇L¹), ∇_{W_j}L = T_j P_{j−1}ᵀ + λW_j.
 * All buffers are allocated in the constructor. Not re-entrant: one field per concurrent integrator.
 *
 * Kernels: every buffer lives in one Workspace (src/linalg/workspace.ts; in WebAssembly memory for all but the
 * smallest networks): an evaluation copies the weights in (one memcpy per layer), runs all 3N − 2 products there
 * without further copies, adds the weight decay and applies the sign there, and copies the gradients out;
 * descentStep also updates the weights there, and runGradientDescent runs in the workspace's own state and
 * gradient (stepBuffers), so a step copies nothing.
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
  /** back[j] = W_{N:j+1}ᵀ∇L¹ for j = 2..N−1 (d_j×d_0); back[N] is `g`; T_1 goes straight to the layer-1 gradient. */
  private readonly back: Matrix[];
  private readonly g: Matrix;
  /** The workspace holding every buffer, with its copies of the weights and of the gradients. */
  private readonly workspace: Workspace;
  /** The products of an evaluation before and after ∇L¹ −= S_yx: forward with P_N S_xx, and backward. */
  private readonly forward: ProductList;
  private readonly backward: ProductList;
  private readonly weights: Matrix[];
  private readonly grads: Matrix[];
  private lastProduct: Matrix | undefined;

  constructor(widths: readonly number[], data: Data, options: LossOptions = {}) {
    const shapes = shapesFor(widths);
    const n = shapes.length;
    const d0 = widths[0],
      dN = widths[n];
    validateData(data, d0, dN);
    this.widths = [...widths];
    this.shapes = shapes;
    this.depth = n;
    this.scale = options.scale ?? 'half';
    this.weightDecay = weightDecayOf(options);
    const kappa = scaleFactor(this.scale, data.X.cols);
    const sxx = multiply(data.X, data.X, 'n', 't');
    const syx = multiply(data.Y, data.X, 'n', 't');
    for (const s of [sxx, syx]) for (let i = 0; i < s.data.length; i++) s.data[i] *= kappa;
    // Buffers: weights and gradients (Σ d_j d_{j−1} each), prefix and back ((N + 1) d_j×d_0 each), S_xx, S_yx.
    const layerValues = shapes.reduce((t, [r, c]) => t + r * c, 0);
    const chainValues = widths.reduce((t, d) => t + d * d0, 0);
    const values = 2 * layerValues + 2 * chainValues + sxx.data.length + syx.data.length;
    const workspace = new Workspace({
      values,
      products: { largestWork: largestProduct(widths), widest: Math.max(...widths) },
    });
    this.workspace = workspace;
    this.weights = shapes.map(([r, c]) => workspace.matrix(r, c));
    this.grads = shapes.map(([r, c]) => workspace.matrix(r, c));
    this.prefix = widths.map((d) => workspace.matrix(d, d0));
    this.back = widths.map((d) => workspace.matrix(d, d0));
    this.sxx = workspace.matrix(d0, d0).copyFrom(sxx);
    this.syx = workspace.matrix(dN, d0).copyFrom(syx);
    this.g = this.back[n];
    // Forward: P_1 = W_1, P_j = W_j P_{j−1}; then P_N S_xx (into g).
    const w = this.weights,
      prefix = this.prefix,
      forward: ProductSpec[] = [];
    for (let j = 2; j <= n; j++) forward.push({ out: prefix[j], a: w[j - 1], b: j === 2 ? w[0] : prefix[j - 1] });
    forward.push({ out: this.g, a: n === 1 ? w[0] : prefix[n], b: this.sxx });
    // Backward: ∇_{W_j} = T_j P_{j−1}ᵀ with T_N = G, T_{j−1} = W_jᵀ T_j; P_0 = I; T_1 = ∇_{W_1} goes to grads[0].
    const backward: ProductSpec[] = [];
    for (let j = n, t = this.g; j >= 2; j--) {
      const next = j === 2 ? this.grads[0] : this.back[j - 1];
      backward.push({ out: this.grads[j - 1], a: t, b: j === 2 ? w[0] : prefix[j - 1], opB: 't' });
      backward.push({ out: next, a: w[j - 1], b: t, opA: 't' });
      t = next;
    }
    this.forward = workspace.products(forward);
    this.backward = workspace.products(backward);
  }

  /** Where the field's buffers live and its products run (see Workspace). */
  get kernel(): Workspace['kernel'] {
    return this.workspace.kernel;
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
    assertStateShapes(out, this.shapes, 'gradient.out');
    this.finish(this.products(state), out, 1);
  }

  /** out[j] ← −∇_{W_j}L: the gradient-flow field. */
  evaluate(_t: number, state: readonly Matrix[], out: readonly Matrix[]): void {
    assertStateShapes(out, this.shapes, 'gradient.out');
    this.finish(this.products(state), out, -1);
  }

  /**
   * One gradient-descent step in place: gradient[j] ← ∇_{W_j}L at `state`, then state[j] ← state[j] − η·gradient[j]
   * (bitwise what gradientInto followed by that loop gives), in the workspace: a step costs the products plus three
   * memory copies per layer, none when state and gradient are the workspace's own (stepBuffers). Allocates nothing.
   */
  descentStep(state: readonly Matrix[], gradient: readonly Matrix[], eta: number): void {
    assertStateShapes(gradient, this.shapes, 'gradient.out');
    const g = this.products(state),
      lambda = this.weightDecay,
      weights = this.weights,
      ws = this.workspace;
    for (let j = 0; j < this.depth; j++) {
      const G = g[j].data,
        W = weights[j].data;
      if (lambda > 0) ws.axpy(lambda, W, G);
      if (gradient[j] !== g[j]) gradient[j].data.set(G);
      // W − η·G as W + (−η)·G: the same bits ((−η)·G = −(η·G) exactly, and a + (−b) = a − b).
      ws.axpy(-eta, G, W);
      if (state[j] !== weights[j]) state[j].data.set(W);
    }
  }

  /**
   * The workspace's own weight and gradient matrices: a state and gradient that live there are stepped by
   * descentStep without the three copies per layer (runGradientDescent runs in them).
   */
  stepBuffers(): StepBuffers {
    return { state: this.weights, gradient: this.grads };
  }

  /**
   * The products of a gradient evaluation: returns, per layer, the workspace's matrix holding ∇_{W_j}L¹-part (the
   * weight decay not yet added). The weights are first copied in (unless `state` is the workspace's own).
   */
  private products(state: readonly Matrix[]): readonly Matrix[] {
    assertStateShapes(state, this.shapes, 'weights');
    const n = this.depth,
      ws = this.workspace,
      w = this.weights,
      o = this.grads;
    for (let j = 0; j < n; j++) if (state[j] !== w[j]) w[j].data.set(state[j].data);
    this.forward.run();
    this.lastProduct = n === 1 ? state[0] : this.prefix[n];
    // ∇L¹ = P_N S_xx − S_yx.
    ws.axpy(-1, this.syx.data, this.g.data);
    this.backward.run();
    if (n === 1) o[0].data.set(this.g.data);
    return o;
  }

  /** out[j] ← sign·(g[j] + λW_j), where g holds the products' layer gradients. */
  private finish(g: readonly Matrix[], out: readonly Matrix[], sign: 1 | -1): void {
    const lambda = this.weightDecay,
      ws = this.workspace;
    for (let j = 0; j < this.depth; j++) {
      const R = g[j].data;
      if (lambda > 0) ws.axpy(lambda, this.weights[j].data, R);
      if (sign < 0) ws.scale(-1, R, R);
      out[j].data.set(R);
    }
  }
}

/** The largest m·n·k among the field's products (forward, end-to-end gradient, backward). */
function largestProduct(widths: readonly number[]): number {
  const d0 = widths[0];
  let most = widths[widths.length - 1] * d0 * d0;
  for (let j = 1; j < widths.length; j++) most = Math.max(most, widths[j] * d0 * widths[j - 1]);
  return most;
}

/** The DLN gradient-flow field for the widths of `weights` (see DlnGradientField). */
export function dlnGradientField(widths: readonly number[], data: Data, options: LossOptions = {}): DlnGradientField {
  return new DlnGradientField(widths, data, options);
}
