import { EPS } from '../check/verdict.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { type Data, type LossScale, scaleFactor } from '../model/loss.js';
import type { Weights } from '../model/network.js';

/**
 * Scale-aware round-off models (THEORY §7). A quantity that is exactly 0 in exact arithmetic (the gradient at a
 * critical point, a zero Hessian eigenvalue, loss − closed form) is computed with an error bounded by
 * γ·(the same computation done on absolute values), γ = c·n·ε with n the longest accumulation chain. The
 * "absolute" computation replaces every matrix by |A| (entrywise) and every product by the product of the
 * absolute factors, so cancellation in the true computation never hides the size of the rounding error.
 */

/** Safety factor c in γ = c·n·ε (standard first-order bounds give c = 1; rounding of the point itself adds about as much). */
export const ROUNDOFF_SAFETY = 8;

export function absMatrix(a: Matrix): Matrix {
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = Math.abs(a.data[i]);
  return out;
}

/** Length of the longest accumulation chain of the loss, gradient and Hessian: Σ_j d_j + 2m. */
export function chainLength(weights: Weights, data: Data): number {
  let n = weights[0].cols + 2 * data.X.cols;
  for (const w of weights) n += w.rows;
  return n;
}

/** γ = c·n·ε. */
export function gamma(weights: Weights, data: Data): number {
  return ROUNDOFF_SAFETY * chainLength(weights, data) * EPS;
}

/**
 * Prefix and suffix products of a list of layers: below[j] = W_{j:1} (below[0] = I), above[j] = W_{N:j+1}
 * (above[N] = I), 0 ≤ j ≤ N.
 */
export function partialProducts(layers: readonly Matrix[]): { below: Matrix[]; above: Matrix[] } {
  const n = layers.length;
  const below: Matrix[] = [Matrix.identity(layers[0].cols)];
  for (let j = 1; j <= n; j++) below.push(multiply(layers[j - 1], below[j - 1]));
  const above: Matrix[] = new Array(n + 1);
  above[n] = Matrix.identity(layers[n - 1].rows);
  for (let j = n - 1; j >= 0; j--) above[j] = multiply(above[j + 1], layers[j]);
  return { below, above };
}

/** Magnitude of every layer gradient: ‖|W_{N:j+1}|ᵀ κ(|W||X||X|ᵀ + |Y||X|ᵀ) |W_{j−1:1}|ᵀ‖ over all layers. */
export function gradientMagnitude(weights: Weights, data: Data, scale: LossScale): number {
  const abs = weights.map(absMatrix);
  const { below, above } = partialProducts(abs);
  const n = weights.length;
  const ax = absMatrix(data.X),
    ay = absMatrix(data.Y);
  const g = multiply(multiply(below[n], ax), ax, 'n', 't');
  const yx = multiply(ay, ax, 'n', 't');
  const kappa = scaleFactor(scale, data.X.cols);
  for (let i = 0; i < g.data.length; i++) g.data[i] = kappa * (g.data[i] + yx.data[i]);
  let sq = 0;
  for (let j = 1; j <= n; j++)
    sq += frobeniusNorm(multiply(multiply(above[j], g, 't', 'n'), below[j - 1], 'n', 't')) ** 2;
  return Math.sqrt(sq);
}

/** τ_g = γ·(gradient magnitude): the largest ‖∇L‖ that is round-off at an exactly critical point. */
export function gradientTolerance(weights: Weights, data: Data, scale: LossScale): number {
  return gamma(weights, data) * gradientMagnitude(weights, data, scale);
}

/** τ_L = γ·(κ/2)(‖|W||X|‖ + ‖Y‖)²: the resolution of a computed loss value. */
export function lossTolerance(weights: Weights, data: Data, scale: LossScale): number {
  const abs = weights.map(absMatrix);
  const { below } = partialProducts(abs);
  const wx = frobeniusNorm(multiply(below[weights.length], absMatrix(data.X)));
  return gamma(weights, data) * 0.5 * scaleFactor(scale, data.X.cols) * (wx + frobeniusNorm(data.Y)) ** 2;
}

/**
 * A bound on the size of the terms of ∇²L[Δ, Δ] (submultiplicative Frobenius norms):
 * κ(Σ_j ‖W_{N:j+1}‖‖Δ_j‖‖W_{j−1:1}X‖)² + 2κ(‖W‖‖X‖² + ‖Y‖‖X‖)·Σ_{i<j}‖W_{N:j+1}‖‖Δ_j‖‖W_{j−1:i+1}‖‖Δ_i‖‖W_{i−1:1}‖.
 * γ times this is the resolution of a computed Hessian form.
 */
export function hessianFormMagnitude(weights: Weights, data: Data, delta: readonly Matrix[], scale: LossScale): number {
  const n = weights.length;
  const kappa = scaleFactor(scale, data.X.cols);
  const norms = weights.map((w) => frobeniusNorm(w));
  const dn = delta.map((d) => frobeniusNorm(d));
  const xn = frobeniusNorm(data.X),
    yn = frobeniusNorm(data.Y);
  // ‖W_{b:a}‖ ≤ Π ‖W_h‖ (1 for an empty product).
  const prod = (b: number, a: number): number => {
    let p = 1;
    for (let h = a; h <= b; h++) p *= norms[h - 1];
    return p;
  };
  let first = 0;
  for (let j = 1; j <= n; j++) first += prod(n, j + 1) * dn[j - 1] * prod(j - 1, 1) * xn;
  let second = 0;
  for (let j = 2; j <= n; j++)
    for (let i = 1; i < j; i++) second += prod(n, j + 1) * dn[j - 1] * prod(j - 1, i + 1) * dn[i - 1] * prod(i - 1, 1);
  return kappa * first * first + 2 * kappa * (prod(n, 1) * xn * xn + yn * xn) * second;
}
