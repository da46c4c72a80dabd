import { Matrix } from '../linalg/matrix.js';
import { balancednessDefects } from '../model/balancedness.js';
import { accumulationLength, gradientScales as modelGradientScales, residualSize } from '../model/gd-drift.js';
import { layerGradients, layerGradientsFromEndToEnd } from '../model/gradients.js';
import { type Data, endToEndGradient, loss } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';

export {
  DRIFT_SCALE_TEXT,
  driftLhs,
  driftRhs,
  driftScales,
  GRADIENT_SCALE_TEXT,
  ownIncrementRhs,
  STEP_SCALE_TEXT,
  stepScales,
} from '../model/gd-drift.js';

import { kappa, type LossConvention } from './conventions.js';
import { norms, sum } from './tolerance.js';

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
  if (s.lambda > 0)
    grads.forEach((g, j) => {
      for (let i = 0; i < g.data.length; i++) g.data[i] += s.lambda * weights[j].data[i];
    });
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

/** Loss: κ·n·a² + λ·n·Σ‖W_j‖². */
export function lossScale(weights: readonly Matrix[], data: Data, s: Setting): number {
  const n = accumulationLength(weights, data),
    a = residualSize(weights, data);
  return kappa(s.loss, data) * n * a * a + s.lambda * n * sum(norms(weights).map((x) => x * x));
}
export const LOSS_SCALE_TEXT = 'κ·n·(Π‖W_j‖·‖X‖+‖Y‖)² + λ·n·Σ‖W_j‖², n = Σd_j + m';

/** Gradient of layer j under the implementation's loss convention (src/model/gd-drift.ts's error model). */
export function gradientScales(weights: readonly Matrix[], data: Data, s: Setting): number[] {
  return modelGradientScales(weights, data, kappa(s.loss, data), s.lambda);
}

/** C_j(W) for every j (THEORY §0). */
export const defects = (weights: readonly Matrix[]): Matrix[] => balancednessDefects(weights);

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
