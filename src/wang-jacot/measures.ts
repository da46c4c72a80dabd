import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';

/** Sizes the WJ checks measure against: operator norms and the round-off scales of products through the chain. */

export const opNorm = (m: Matrix): number => (m.rows === 0 || m.cols === 0 ? 0 : singularValues(m)[0]);

/**
 * The size of the terms of W_{L:ℓ+1}ᵀ G W_{ℓ:1}ᵀ (both sides of I1): (Σ_j d_j)·‖G‖_F·Π_j‖W_j‖_F — the Higham bound of
 * a product of L + 1 factors (productScale), written out because the factors come transposed.
 */
export function chainScale(weights: readonly Matrix[], g: number): number {
  const dims = weights.reduce((s, w) => s + w.rows, weights[0].cols);
  return dims * g * weights.reduce((p, w) => p * frobeniusNorm(w), 1);
}

/**
 * The scale of one layer's gradient: (Σd_j)·‖∇C‖·max_j Π_{i≠j}‖W_i‖_F — the gradient of W_j carries every factor but
 * its own, so a small W_j does not shrink it (Π over all factors would).
 */
export function layerGradientScale(weights: readonly Matrix[], g: number): number {
  const dims = weights.reduce((s, w) => s + w.rows, weights[0].cols);
  const norms = weights.map((w) => frobeniusNorm(w));
  return dims * g * Math.max(...norms.map((_, j) => norms.reduce((p, n, i) => (i === j ? p : p * n), 1)));
}
