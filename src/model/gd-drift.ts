import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { balancednessDefects } from './balancedness.js';
import type { Data } from './loss.js';

/**
 * THEORY §2 gd.drift-identity [D, exact]: one simultaneous step W_j⁺ = aW_j − ηG_j (a = 1 − ηλ, G_j the gradient of
 * any cost of the product alone) moves the balancedness defects by exactly
 *   C_j⁺ − a²C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ),  j = 1..N−1,
 * because the cross terms W_{j+1}ᵀG_{j+1} and G_jW_jᵀ coincide. One copy, used by the catalogue (gd.drift-identity),
 * the gate (its gd-step and drift checks) and the proof (proofs/gd-drift.ts), with one error model: driftScales.
 */

const norms = (ws: readonly Matrix[]): number[] => ws.map(frobeniusNorm);
const product = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

/** AᵀA − BBᵀ. */
function gramDifference(a: Matrix, b: Matrix): Matrix {
  const out = multiply(a, a, 't', 'n');
  const bb = multiply(b, b, 'n', 't');
  for (let i = 0; i < out.data.length; i++) out.data[i] -= bb.data[i];
  return out;
}

/** C_j⁺ − a²C_j for j = 1..N−1. */
export function driftLhs(before: readonly Matrix[], after: readonly Matrix[], shrink: number): Matrix[] {
  const c0 = balancednessDefects(before),
    c1 = balancednessDefects(after);
  return c1.map((c, j) => {
    const out = new Matrix(c.rows, c.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = c.data[i] - shrink * shrink * c0[j].data[i];
    return out;
  });
}

/** η^power(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) for j = 1..N−1 (power 2 is the identity; tests pass another to break it). */
export function driftRhs(productGrads: readonly Matrix[], lr: number, power = 2): Matrix[] {
  const out: Matrix[] = [];
  const f = power === 2 ? lr * lr : Math.pow(lr, power);
  for (let j = 0; j + 1 < productGrads.length; j++) {
    const d = gramDifference(productGrads[j + 1], productGrads[j]);
    for (let i = 0; i < d.data.length; i++) d.data[i] *= f;
    out.push(d);
  }
  return out;
}

/**
 * The same identity written with the implementation's own increments E_j = W_j⁺ − aW_j instead of −ηG_j:
 * C_j⁺ − a²C_j = E_{j+1}ᵀE_{j+1} − E_jE_jᵀ holds for every simultaneous gradient step of ANY cost of the product
 * alone (any loss scale, any batch) with per-layer decay a = 1 − ηλ, because W_{j+1}ᵀG_{j+1} = G_jW_jᵀ then. It
 * fails for layers updated in sequence, or a decay that is not (1 − ηλ)W_j per layer. Needs no data.
 */
export function ownIncrementRhs(before: readonly Matrix[], after: readonly Matrix[], shrink: number): Matrix[] {
  const inc = after.map((w, j) => {
    const e = new Matrix(w.rows, w.cols);
    for (let i = 0; i < e.data.length; i++) e.data[i] = w.data[i] - shrink * before[j].data[i];
    return e;
  });
  const out: Matrix[] = [];
  for (let j = 0; j + 1 < inc.length; j++) out.push(gramDifference(inc[j + 1], inc[j]));
  return out;
}

/** Σ_j d_j + m: the longest accumulation any entry of the forward or backward pass goes through. */
export function accumulationLength(weights: readonly Matrix[], data: Data): number {
  return weights.reduce((s, w) => s + w.rows, weights[0].cols) + data.X.cols;
}

/** a = Π‖W_j‖·‖X‖ + ‖Y‖: the size of the terms of the residual WX − Y. */
export function residualSize(weights: readonly Matrix[], data: Data): number {
  return product(norms(weights)) * frobeniusNorm(data.X) + frobeniusNorm(data.Y);
}

/**
 * Rounding scale of the gradient of layer j for the loss κ·½‖WX − Y‖² + (λ/2)Σ‖W_j‖² (κ the loss convention's
 * factor): κ·n·Π_{k≠j}‖W_k‖·a·‖X‖ + λ‖W_j‖ with n = accumulationLength, a = residualSize (Higham's γ_n per product).
 */
export function gradientScales(weights: readonly Matrix[], data: Data, kappa: number, lambda: number): number[] {
  const n = accumulationLength(weights, data),
    a = residualSize(weights, data),
    ws = norms(weights);
  const xn = frobeniusNorm(data.X);
  return ws.map((wj, j) => kappa * n * product(ws.filter((_, i) => i !== j)) * a * xn + lambda * wj);
}
export const GRADIENT_SCALE_TEXT = 'κ·n·Π_{k≠j}‖W_k‖·(Π‖W_k‖·‖X‖+‖Y‖)·‖X‖ + λ‖W_j‖';

/** Rounding scale of the step of layer j: ‖W_j‖ + lr·(gradient scale + ‖G_j‖). */
export function stepScales(
  weights: readonly Matrix[],
  grads: readonly Matrix[],
  gradScales: readonly number[],
  lr: number,
): number[] {
  return weights.map((w, j) => frobeniusNorm(w) + lr * (gradScales[j] + frobeniusNorm(grads[j])));
}
export const STEP_SCALE_TEXT = '‖W_j‖ + lr·(gradient scale + ‖∇_{W_j}L‖)';

/**
 * The error model of the identity: the scale of C_j⁺ − a²C_j when W⁺ carries errors of size c·ε·steps[j],
 * 2(‖W⁺_{j+1}‖·steps_{j+1} + ‖W⁺_j‖·steps_j) + d_j·(‖W_{j+1}‖² + ‖W_j‖² + ‖W⁺_{j+1}‖² + ‖W⁺_j‖²), compared as
 * ‖lhs − rhs‖ ≤ c·ε·(‖lhs‖ + ‖rhs‖ + scale) block by block.
 */
export function driftScales(before: readonly Matrix[], after: readonly Matrix[], steps: readonly number[]): number[] {
  const b = norms(before),
    a = norms(after),
    out: number[] = [];
  for (let j = 0; j + 1 < before.length; j++) {
    const squares = b[j + 1] ** 2 + b[j] ** 2 + a[j + 1] ** 2 + a[j] ** 2;
    out.push(2 * (a[j + 1] * steps[j + 1] + a[j] * steps[j]) + before[j].rows * squares);
  }
  return out;
}
export const DRIFT_SCALE_TEXT =
  '2(‖W⁺_{j+1}‖·step scale_{j+1} + ‖W⁺_j‖·step scale_j) + d_j·(‖W_{j+1}‖² + ‖W_j‖² + ‖W⁺_{j+1}‖² + ‖W⁺_j‖²)';
