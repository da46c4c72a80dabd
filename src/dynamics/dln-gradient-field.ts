import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { ARENA_MIN_WORK, multiply, multiplyUnchecked } from '../linalg/products.js';
import { Arena, PARALLEL_MIN_WORK, wasmAvailable } from '../wasm/runtime.js';
import { gemmWorkBytes } from '../wasm/gemm.js';
import { shapesFor } from '../model/network.js';
import { Data, LossOptions, LossScale, scaleFactor, validateData, weightDecayOf } from '../model/loss.js';
import { Shape, assertStateShapes } from './state.js';
import { GradientOracle, VectorField } from './vector-field.js';
import type { StepBuffers } from './gradient-descent.js';

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
 * Kernels: when the largest product reaches ARENA_MIN_WORK (about 6×6×6) and WebAssembly SIMD is available, every
 * buffer lives in one WebAssembly Arena (src/wasm/runtime.ts): an evaluation copies the weights in (one memcpy per
 * layer), runs all 3N − 2 products there without further copies, adds the weight decay and applies the sign with
 * the SIMD elementwise kernels, and copies the gradients out; descentStep also updates the weights there. Smaller
 * networks run the JavaScript kernel on the caller's matrices directly. The two paths give bitwise identical
 * results (the kernels share one order of operations: src/linalg/products.ts).
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
  /** The arena holding every buffer (WebAssembly path), with its copies of the weights and of the gradients. */
  private readonly arena: Arena | undefined;
  private readonly weights: Matrix[] | undefined;
  private readonly grads: Matrix[] | undefined;
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
    const sxx = multiply(data.X, data.X, 'n', 't');
    const syx = multiply(data.Y, data.X, 'n', 't');
    for (const s of [sxx, syx]) for (let i = 0; i < s.data.length; i++) s.data[i] *= kappa;
    const widest = Math.max(...widths);
    const largest = largestProduct(widths);
    if (wasmAvailable() && largest >= ARENA_MIN_WORK) {
      // Buffers: weights and gradients (Σ d_j d_{j−1} each), prefix and back ((N + 1) d_j×d_0 each), S_xx, S_yx.
      const layerValues = shapes.reduce((t, [r, c]) => t + r * c, 0);
      const chainValues = widths.reduce((t, d) => t + d * d0, 0);
      const values = 2 * layerValues + 2 * chainValues + sxx.data.length + syx.data.length;
      const arena = new Arena(8 * values, gemmWorkBytes(widest, widest, widest), { parallel: largest >= PARALLEL_MIN_WORK });
      const alloc = (rows: number, cols: number): Matrix => new Matrix(rows, cols, arena.view(rows * cols));
      this.arena = arena;
      this.weights = shapes.map(([r, c]) => alloc(r, c));
      this.grads = shapes.map(([r, c]) => alloc(r, c));
      this.prefix = widths.map((d) => alloc(d, d0));
      this.back = widths.map((d) => alloc(d, d0));
      this.sxx = alloc(d0, d0).copyFrom(sxx);
      this.syx = alloc(dN, d0).copyFrom(syx);
    } else {
      this.prefix = widths.map((d) => new Matrix(d, d0));
      this.back = widths.map((d) => new Matrix(d, d0));
      this.sxx = sxx;
      this.syx = syx;
    }
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
    assertStateShapes(out, this.shapes, 'gradient.out');
    this.finish(state, this.products(state, out), out, 1);
  }

  /** out[j] ← −∇_{W_j}L: the gradient-flow field. */
  evaluate(_t: number, state: readonly Matrix[], out: readonly Matrix[]): void {
    assertStateShapes(out, this.shapes, 'gradient.out');
    this.finish(state, this.products(state, out), out, -1);
  }

  /**
   * One gradient-descent step in place: gradient[j] ← ∇_{W_j}L at `state`, then state[j] ← state[j] − η·gradient[j]
   * (bitwise what gradientInto followed by that loop gives). With the WebAssembly kernels the update runs in the
   * arena too, so a step costs the products plus three memory copies per layer, none when state and gradient are
   * the arena's own (stepBuffers). Allocates nothing.
   */
  descentStep(state: readonly Matrix[], gradient: readonly Matrix[], eta: number): void {
    assertStateShapes(gradient, this.shapes, 'gradient.out');
    const arena = this.arena, weights = this.weights;
    if (arena === undefined || weights === undefined) {
      this.gradientInto(state, gradient);
      for (let j = 0; j < state.length; j++) subtractScaled(state[j].data, eta, gradient[j].data);
      return;
    }
    const g = this.products(state, gradient), lambda = this.weightDecay;
    for (let j = 0; j < this.depth; j++) {
      const G = g[j].data, W = weights[j].data;
      if (lambda > 0) arena.axpy(lambda, W, G);
      if (gradient[j] !== g[j]) gradient[j].data.set(G);
      arena.axpy(-eta, G, W);
      if (state[j] !== weights[j]) state[j].data.set(W);
    }
  }

  /**
   * The arena's own weight and gradient matrices (WebAssembly path only): a state and gradient that live there are
   * stepped by descentStep without the three copies per layer (runGradientDescent runs in them). Undefined on the
   * JavaScript path.
   */
  stepBuffers(): StepBuffers | undefined {
    return this.weights !== undefined && this.grads !== undefined ? { state: this.weights, gradient: this.grads } : undefined;
  }

  /**
   * The products of a gradient evaluation: returns, per layer, the matrix holding ∇_{W_j}L¹-part (the weight decay
   * not yet added) — the arena's gradient buffers, or `out` itself on the JavaScript path. In the arena, the
   * weights are first copied in.
   */
  private products(state: readonly Matrix[], out: readonly Matrix[]): readonly Matrix[] {
    assertStateShapes(state, this.shapes, 'weights');
    const n = this.depth, arena = this.arena;
    // The weights the products read, and where the layer gradients are formed (in the arena, or in place).
    let w: readonly Matrix[] = state, o: readonly Matrix[] = out;
    if (this.weights !== undefined && this.grads !== undefined) {
      for (let j = 0; j < n; j++) if (state[j] !== this.weights[j]) this.weights[j].data.set(state[j].data);
      w = this.weights;
      o = this.grads;
    }
    // Forward: P_1 = W_1, P_j = W_j P_{j−1}.
    let p = w[0];
    for (let j = 2; j <= n; j++) {
      multiplyUnchecked(this.prefix[j], w[j - 1], p, 'n', 'n', false, arena);
      p = this.prefix[j];
    }
    this.lastProduct = n === 1 ? state[0] : p;
    // ∇L¹ = P_N S_xx − S_yx.
    multiplyUnchecked(this.g, p, this.sxx, 'n', 'n', false, arena);
    if (arena !== undefined) arena.axpy(-1, this.syx.data, this.g.data);
    else subtractScaled(this.g.data, 1, this.syx.data);
    // Backward: ∇_{W_j} = T_j P_{j−1}ᵀ with T_N = G, T_{j−1} = W_jᵀ T_j; P_0 = I; T_1 = ∇_{W_1} goes to o[0].
    let t = this.g;
    for (let j = n; j >= 2; j--) {
      multiplyUnchecked(o[j - 1], t, j === 2 ? w[0] : this.prefix[j - 1], 'n', 't', false, arena);
      const next = j === 2 ? o[0] : this.back[j - 1];
      multiplyUnchecked(next, w[j - 1], t, 't', 'n', false, arena);
      t = next;
    }
    if (n === 1) o[0].data.set(this.g.data);
    return o;
  }

  /** out[j] ← sign·(g[j] + λW_j), where g holds the products' layer gradients (g may be out itself). */
  private finish(state: readonly Matrix[], g: readonly Matrix[], out: readonly Matrix[], sign: 1 | -1): void {
    const lambda = this.weightDecay, arena = this.arena;
    for (let j = 0; j < this.depth; j++) {
      const O = out[j].data, R = g[j].data;
      if (arena !== undefined && this.weights !== undefined) {
        if (lambda > 0) arena.axpy(lambda, this.weights[j].data, R);
        if (sign < 0) arena.scale(-1, R, R);
        O.set(R);
      } else {
        const W = state[j].data;
        if (lambda > 0) {
          if (sign > 0) for (let i = 0; i < O.length; i++) O[i] = R[i] + lambda * W[i];
          else for (let i = 0; i < O.length; i++) O[i] = -(R[i] + lambda * W[i]);
        } else if (sign < 0) {
          for (let i = 0; i < O.length; i++) O[i] = -R[i];
        } else if (O !== R) {
          O.set(R);
        }
      }
    }
  }
}

/** y ← y − α·x (four entries per iteration; the same rounding as the one-entry loop). */
function subtractScaled(y: Float64Array, alpha: number, x: Float64Array): void {
  const n = y.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    y[i] -= alpha * x[i];
    y[i + 1] -= alpha * x[i + 1];
    y[i + 2] -= alpha * x[i + 2];
    y[i + 3] -= alpha * x[i + 3];
  }
  for (; i < n; i++) y[i] -= alpha * x[i];
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
