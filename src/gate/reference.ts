import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { balancednessDefects } from '../model/balancedness.js';
import { layerGradients, layerGradientsFromEndToEnd } from '../model/gradients.js';
import { endToEndGradient, loss, type Data } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import { kappa, type LossConvention } from './conventions.js';
import { norms, prod, sum } from './tolerance.js';

/**
 * dlnv's side of every gate comparison, in float64, with the scales the error model needs
 * (tolerance.ts): what each compared quantity is built from.
 */

export interface Setting {
  readonly loss: LossConvention;
  /** Canonical λ: penalty (λ/2)Σ‖W_j‖². */
  readonly lambda: number;
}

const scaled = (k: number, ms: Matrix[]): Matrix[] => {
  if (k !== 1) for (const m of ms) for (let i = 0; i < m.data.length; i++) m.data[i] *= k;
  return ms;
};

export function refLoss(weights: readonly Matrix[], data: Data, s: Setting): number {
  const penalty = s.lambda > 0 ? 0.5 * s.lambda * sum(norms(weights).map((x) => x * x)) : 0;
  return kappa(s.loss, data) * loss(weights, data) + penalty;
}

export function refGradients(weights: readonly Matrix[], data: Data, s: Setting): Matrix[] {
  const grads = productGradients(weights, data, s.loss);
  if (s.lambda > 0) grads.forEach((g, j) => { for (let i = 0; i < g.data.length; i++) g.data[i] += s.lambda * weights[j].data[i]; });
  return grads;
}

/** ∇L¹(W) = factor·κ(WX − Y)Xᵀ under the implementation's loss convention. */
export function refEndToEndGradient(w: Matrix, data: Data, loss: LossConvention): Matrix {
  return scaled(kappa(loss, data), [endToEndGradient(w, data)])[0];
}

/** W_j − lr·∇_{W_j}L, all layers at once. */
export function refStep(weights: readonly Matrix[], grads: readonly Matrix[], lr: number): Matrix[] {
  return weights.map((w, j) => {
    const out = new Matrix(w.rows, w.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = w.data[i] - lr * grads[j].data[i];
    return out;
  });
}

/** Σ_j d_j + m: the longest accumulation any entry of the forward or backward pass goes through. */
export function sizeOf(weights: readonly Matrix[], data: Data): number {
  return weights.reduce((s, w) => s + w.rows, weights[0].cols) + data.X.cols;
}

/** a = Π‖W_j‖·‖X‖ + ‖Y‖: the size of the terms of the residual WX − Y. */
function residualSize(weights: readonly Matrix[], data: Data): number {
  return prod(norms(weights)) * frobeniusNorm(data.X) + frobeniusNorm(data.Y);
}

/** Loss: κ·n·a² + λ·n·Σ‖W_j‖². */
export function lossScale(weights: readonly Matrix[], data: Data, s: Setting): number {
  const n = sizeOf(weights, data), a = residualSize(weights, data);
  return kappa(s.loss, data) * n * a * a + s.lambda * n * sum(norms(weights).map((x) => x * x));
}
export const LOSS_SCALE_TEXT = 'κ·n·(Π‖W_j‖·‖X‖+‖Y‖)² + λ·n·Σ‖W_j‖², n = Σd_j + m';

/** Gradient of layer j: κ·n·Π_{k≠j}‖W_k‖·a·‖X‖ + λ‖W_j‖. */
export function gradientScales(weights: readonly Matrix[], data: Data, s: Setting): number[] {
  const n = sizeOf(weights, data), a = residualSize(weights, data), ws = norms(weights), k = kappa(s.loss, data);
  const xn = frobeniusNorm(data.X);
  return ws.map((wj, j) => k * n * prod(ws.filter((_, i) => i !== j)) * a * xn + s.lambda * wj);
}
export const GRADIENT_SCALE_TEXT = 'κ·n·Π_{k≠j}‖W_k‖·(Π‖W_k‖·‖X‖+‖Y‖)·‖X‖ + λ‖W_j‖';

/** Step of layer j: ‖W_j‖ + lr·(gradient scale + ‖G_j‖). */
export function stepScales(weights: readonly Matrix[], grads: readonly Matrix[], gradScales: readonly number[], lr: number): number[] {
  return weights.map((w, j) => frobeniusNorm(w) + lr * (gradScales[j] + frobeniusNorm(grads[j])));
}
export const STEP_SCALE_TEXT = '‖W_j‖ + lr·(gradient scale + ‖∇_{W_j}L‖)';

/** C_j(W) for every j (THEORY §0). */
export const defects = (weights: readonly Matrix[]): Matrix[] => balancednessDefects(weights);

/** Aᵀ A − B Bᵀ. */
function gramDifference(a: Matrix, b: Matrix): Matrix {
  const out = multiply(a, a, 't', 'n');
  const bb = multiply(b, b, 'n', 't');
  for (let i = 0; i < out.data.length; i++) out.data[i] -= bb.data[i];
  return out;
}

/** C_j⁺ − a²C_j for j = 1..N−1. */
export function driftLhs(before: readonly Matrix[], after: readonly Matrix[], shrink: number): Matrix[] {
  const c0 = defects(before), c1 = defects(after);
  return c1.map((c, j) => {
    const out = new Matrix(c.rows, c.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = c.data[i] - shrink * shrink * c0[j].data[i];
    return out;
  });
}

/**
 * THEORY gd.drift-identity: one step W_j ← aW_j − ηG_j (a = 1 − ηλ, G_j the gradient of the product-only part)
 * gives C_j⁺ − a²C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) exactly. Returns the right-hand sides.
 */
export function driftRhs(productGrads: readonly Matrix[], lr: number): Matrix[] {
  const out: Matrix[] = [];
  for (let j = 0; j + 1 < productGrads.length; j++) {
    const d = gramDifference(productGrads[j + 1], productGrads[j]);
    for (let i = 0; i < d.data.length; i++) d.data[i] *= lr * lr;
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

/** Scale of C_j⁺ − a²C_j when W⁺ carries errors of size c·ε·stepScale: 2Σ‖W⁺‖·stepScale + d_j·(‖W_{j+1}‖² + ‖W_j‖²). */
export function driftScales(before: readonly Matrix[], after: readonly Matrix[], steps: readonly number[]): number[] {
  const b = norms(before), a = norms(after), out: number[] = [];
  for (let j = 0; j + 1 < before.length; j++) {
    out.push(2 * (a[j + 1] * steps[j + 1] + a[j] * steps[j]) + before[j].rows * (b[j + 1] ** 2 + b[j] ** 2 + a[j + 1] ** 2 + a[j] ** 2));
  }
  return out;
}
export const DRIFT_SCALE_TEXT = '2(‖W⁺_{j+1}‖·step scale_{j+1} + ‖W⁺_j‖·step scale_j) + d_j·(‖W_{j+1}‖² + ‖W_j‖² + ‖W⁺_{j+1}‖² + ‖W⁺_j‖²)';

/** Layer gradients of the product-only part, i.e. without weight decay. */
export function productGradients(weights: readonly Matrix[], data: Data, loss: LossConvention): Matrix[] {
  return scaled(kappa(loss, data), layerGradients(weights, data));
}

/** Gradients of the penalty (λ/2)‖W_{N:1}‖² on the product (the "decay on the product" mistake), for hints. */
export function productDecayGradients(weights: readonly Matrix[], lambda: number): Matrix[] {
  const w = endToEnd(weights).clone();
  for (let i = 0; i < w.data.length; i++) w.data[i] *= lambda;
  return layerGradientsFromEndToEnd(weights, w);
}
