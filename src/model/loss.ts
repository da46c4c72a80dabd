import { DomainError, ShapeError } from '../errors.js';
import { Matrix, assertFinite } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { frobeniusInner } from '../linalg/frobenius.js';
import { Weights, widthsOf } from './network.js';
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

/** Check that the data fit a network with input width d0 and output width dN. */
export function validateData(data: Data, d0: number, dN: number): void {
  if (!data || !(data.X instanceof Matrix) || !(data.Y instanceof Matrix)) throw new ShapeError('data', '{ X: Matrix, Y: Matrix }', typeof data);
  if (data.X.rows !== d0) throw new ShapeError('data.X', `${d0}×m (d_0 rows)`, data.X.shape);
  if (data.Y.rows !== dN || data.Y.cols !== data.X.cols) throw new ShapeError('data.Y', `${dN}×${data.X.cols} (d_N×m)`, data.Y.shape);
  assertFinite(data.X, 'data.X');
  assertFinite(data.Y, 'data.Y');
}

function weightDecayOf(options: LossOptions): number {
  const lambda = options.weightDecay ?? 0;
  if (!Number.isFinite(lambda) || lambda < 0) throw new DomainError('weightDecay', `must be a finite λ ≥ 0, got ${lambda}`);
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

/** L(W_1..W_N) = L¹(W_{N:1}) + (λ/2)Σ_j‖W_j‖². */
export function loss(weights: Weights, data: Data, options: LossOptions = {}): number {
  widthsOf(weights);
  const lambda = weightDecayOf(options);
  let decay = 0;
  if (lambda > 0) for (const w of weights) decay += frobeniusInner(w, w);
  return endToEndLoss(endToEnd(weights), data, options.scale ?? 'half') + 0.5 * lambda * decay;
}

export { weightDecayOf };
