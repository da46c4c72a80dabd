import { DomainError, ShapeError } from '../errors.js';
import { frobeniusInner } from '../linalg/frobenius.js';
import { gemmJs } from '../linalg/kernels/gemm-js.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { Scratch } from '../linalg/scratch.js';
import { chainedShapes, type Weights, widthsOf } from './network.js';
import { endToEnd } from './partial-products.js';

/**
 * Loss scale conventions (THEORY §0): L¹(W) = (κ/2)‖WX − Y‖² with
 *   'half' κ = 1 (canonical), 'sum' κ = 2 (no ½; AMG, Kawaguchi), 'mean' κ = 1/m (ACGH's 1/(2m)).
 */
export type LossScale = 'half' | 'sum' | 'mean';

/** Training data: X ∈ R^{d_0×m}, Y ∈ R^{d_N×m}. */
export interface Data {
  readonly X: Matrix;
  readonly Y: Matrix;
}

/** The loss convention of a claim: its scale and the canonical weight decay (λ/2)Σ_j‖W_j‖² (THEORY §0). */
export interface LossOptions {
  readonly scale?: LossScale;
  readonly weightDecay?: number;
}

export function scaleFactor(scale: LossScale, samples: number): number {
  switch (scale) {
    case 'half':
      return 1;
    case 'sum':
      return 2;
    case 'mean':
      if (samples < 1) throw new DomainError('data.X', 'the "mean" scale needs at least one sample');
      return 1 / samples;
    default:
      throw new DomainError('scale', `expected 'half' | 'sum' | 'mean', got ${String(scale)}`);
  }
}

/** Check that the data fit a network with input width d0 and output width dN (shapes only). */
function validateDataShapes(data: Data, d0: number, dN: number): void {
  if (!data || !(data.X instanceof Matrix) || !(data.Y instanceof Matrix))
    throw new ShapeError('data', '{ X: Matrix, Y: Matrix }', typeof data);
  if (data.X.rows !== d0) throw new ShapeError('data.X', `${d0}×m (d_0 rows)`, data.X.shape);
  if (data.Y.rows !== dN || data.Y.cols !== data.X.cols)
    throw new ShapeError('data.Y', `${dN}×${data.X.cols} (d_N×m)`, data.Y.shape);
}

/** Check that the data fit a network with input width d0 and output width dN, with finite entries. */
export function validateData(data: Data, d0: number, dN: number): void {
  validateDataShapes(data, d0, dN);
  assertFinite(data.X, 'data.X');
  assertFinite(data.Y, 'data.Y');
}

function weightDecayOf(options: LossOptions): number {
  const lambda = options.weightDecay ?? 0;
  if (!Number.isFinite(lambda) || lambda < 0)
    throw new DomainError('weightDecay', `must be a finite λ ≥ 0, got ${lambda}`);
  return lambda;
}

/** WX − Y. */
export function residual(w: Matrix, data: Data): Matrix {
  validateData(data, w.cols, w.rows);
  const r = multiply(w, data.X);
  const y = data.Y.data;
  for (let i = 0; i < y.length; i++) r.data[i] -= y[i];
  return r;
}

/** L¹(W) = (κ/2)‖WX − Y‖² (no weight decay: it acts on factors, not on the product). */
export function endToEndLoss(w: Matrix, data: Data, scale: LossScale = 'half'): number {
  const r = residual(w, data);
  return 0.5 * scaleFactor(scale, data.X.cols) * frobeniusInner(r, r);
}

/** ∇L¹(W) = κ(WX − Y)Xᵀ. */
export function endToEndGradient(w: Matrix, data: Data, scale: LossScale = 'half'): Matrix {
  const g = multiplyInto(new Matrix(w.rows, w.cols), residual(w, data), data.X, 'n', 't');
  const k = scaleFactor(scale, data.X.cols);
  if (k !== 1) for (let i = 0; i < g.data.length; i++) g.data[i] *= k;
  return g;
}

/**
 * Products up to this m·n·k run in the JavaScript kernel in loss() below; larger ones through multiplyInto
 * (WebAssembly, bitwise the same), where the call and copies are small beside the arithmetic.
 */
const SMALL_WORK = 4096;

/** loss()'s scratch: two ping-pong buffers for the chain W_{j:1} and one for the residual. */
let front = new Scratch(),
  back = new Scratch();
const residualScratch = new Scratch();

/** out ← A·B for row-major A (m×k) and B (k×n) held in the first entries of their arrays; out must be disjoint. */
function productInto(m: number, n: number, k: number, A: Float64Array, B: Float64Array, out: Float64Array): void {
  if (m * n * k <= SMALL_WORK) gemmJs(m, n, k, A, 0, k, 1, B, 0, n, 1, out, 0, n, false);
  else
    multiplyInto(
      new Matrix(m, n, out.subarray(0, m * n)),
      new Matrix(m, k, A.subarray(0, m * k)),
      new Matrix(k, n, B.subarray(0, k * n)),
    );
}

/**
 * (κ/2)‖W_{N:1}X − Y‖², bitwise as endToEndLoss(endToEnd(weights), data, scale): the same products in the same
 * order (W_2W_1, then W_j·acc; the kernels agree bit for bit), the same subtraction and sum, into reused scratch
 * instead of fresh matrices. undefined when a dimension is 0 (the general path handles those). Shapes must already
 * be validated; a non-finite entry anywhere makes the value non-finite (see loss()).
 */
function bufferedEndToEndLoss(weights: Weights, data: Data, scale: LossScale): number | undefined {
  const n = weights.length,
    X = data.X,
    Y = data.Y;
  const d0 = weights[0].cols,
    dN = weights[n - 1].rows,
    m = X.cols;
  if (d0 === 0 || m === 0 || dN === 0 || weights.some((w) => w.rows === 0)) return undefined;
  let acc: Float64Array;
  if (n === 1) acc = weights[0].data;
  else {
    acc = front.take(weights[1].rows * d0);
    productInto(weights[1].rows, d0, weights[1].cols, weights[1].data, weights[0].data, acc);
    for (let j = 2; j < n; j++) {
      const w = weights[j],
        next = back.take(w.rows * d0);
      productInto(w.rows, d0, w.cols, w.data, acc, next);
      [front, back] = [back, front];
      acc = next;
    }
  }
  // residual()'s r = W·X − Y and frobeniusInner(r, r), entry by entry in one pass (the same operations).
  const wx = residualScratch.take(dN * m);
  productInto(dN, m, d0, acc, X.data, wx);
  const y = Y.data;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const r = wx[i] - y[i];
    s += r * r;
  }
  return 0.5 * scaleFactor(scale, m) * s;
}

/** L(W_1..W_N) = L¹(W_{N:1}) + (λ/2)Σ_j‖W_j‖². */
export function loss(weights: Weights, data: Data, options: LossOptions = {}): number {
  if (!chainedShapes(weights)) widthsOf(weights);
  const lambda = weightDecayOf(options);
  const d0 = weights[0].cols,
    dN = weights[weights.length - 1].rows;
  validateDataShapes(data, d0, dN);
  let decay = 0;
  if (lambda > 0) for (const w of weights) decay += frobeniusInner(w, w);
  const buffered = bufferedEndToEndLoss(weights, data, options.scale ?? 'half');
  if (buffered === undefined) {
    widthsOf(weights);
    validateData(data, d0, dN);
    return endToEndLoss(endToEnd(weights), data, options.scale ?? 'half') + 0.5 * lambda * decay;
  }
  const value = buffered + 0.5 * lambda * decay;
  // The entries are scanned only when the value is not finite: a NaN or ±∞ entry of a weight, X or Y always makes
  // it so (every entry meets every row or column of the next product, 0·∞ and 0·NaN are NaN, and no kernel skips a
  // term), so a finite value proves them finite. Checkers call loss() thousands of times along one line.
  if (!Number.isFinite(value)) {
    widthsOf(weights);
    validateData(data, d0, dN);
  }
  return value;
}

export { weightDecayOf };
