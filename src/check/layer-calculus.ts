import { frobeniusInner, frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { hessianForm, hessianVectorProduct, type LossOptions, layerGradients, loss } from '../model/index.js';
import type { Data } from '../model/loss.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { Rng } from '../random/rng.js';
import { checkScalarIdentity } from './identity.js';
import { checkTaylor } from './taylor.js';
import { type Verdict, worstOf } from './verdict.js';

/** THEORY §1, the layer calculus every other claim stands on: layer gradients and the Hessian form of the DLN loss. */

/** A network with data: widths [d_0..d_N], weights [W_1..W_N], data {X, Y}. */
export interface NetworkInstance {
  readonly widths: number[];
  readonly weights: Matrix[];
  readonly data: Data;
  /** A Gaussian direction in weight space (one matrix per layer), for derivative and drift checks. */
  readonly direction: Matrix[];
}

/** Loss convention used by both claims: canonical scale with a small weight decay, so λW_j is exercised too. */
export const LAYER_CALCULUS_OPTIONS: LossOptions = { scale: 'half', weightDecay: 0.1 };

const inner = (a: readonly Matrix[], b: readonly Matrix[]): number =>
  a.reduce((s, m, j) => s + frobeniusInner(m, b[j]), 0);

/** The claimed gradient of `layerGradients` (or an injected one) against the Taylor remainder of the loss. */
export function checkLayerGradient(
  net: NetworkInstance,
  gradients: (net: NetworkInstance) => Matrix[] = (n) => layerGradients(n.weights, n.data, LAYER_CALCULUS_OPTIONS),
): Verdict {
  const f = (w: readonly Matrix[]): number => loss(w, net.data, LAYER_CALCULUS_OPTIONS);
  return checkTaylor(f, net.weights, net.direction, { derivative: inner(gradients(net), net.direction) });
}

/**
 * The Hessian form against the slope-3 Taylor test, its symmetry ∇²L[Δ,Γ] = ∇²L[Γ,Δ], and the Hessian-vector
 * product ⟨∇²L[Δ], Γ⟩ = ∇²L[Δ,Γ] (both identities at a few ulps of the terms' size).
 */
export function checkHessian(net: NetworkInstance, form: typeof hessianForm = hessianForm): Verdict {
  const { weights, data, direction: delta } = net;
  const f = (w: readonly Matrix[]): number => loss(w, data, LAYER_CALCULUS_OPTIONS);
  const gradient = layerGradients(weights, data, LAYER_CALCULUS_OPTIONS);
  const taylor = checkTaylor(f, weights, delta, {
    derivative: inner(gradient, delta),
    secondDerivative: form(weights, data, delta, delta, LAYER_CALCULUS_OPTIONS),
  });
  const rng = new Rng(weights.length * 7919 + weights[0].data.length);
  const gamma = weights.map((w) => gaussianMatrix(rng, w.rows, w.cols));
  const dg = form(weights, data, delta, gamma, LAYER_CALCULUS_OPTIONS),
    gd = form(weights, data, gamma, delta, LAYER_CALCULUS_OPTIONS);
  // Each term of the form is a product of ≤ N + 3 factors; its size is bounded by Π‖·‖ of the operands.
  const size =
    weights.reduce((p, w) => p * Math.max(1, frobeniusNorm(w)), 1) ** 2 *
    Math.max(1, frobeniusNorm(data.X) ** 2 + frobeniusNorm(data.Y) ** 2) *
    Math.max(1, Math.hypot(...delta.map(frobeniusNorm))) *
    Math.max(1, Math.hypot(...gamma.map(frobeniusNorm)));
  const scale = 4 * weights.length * weights.length * size;
  const symmetry = checkScalarIdentity(dg, gd, { scale, label: '∇²L[Δ,Γ] = ∇²L[Γ,Δ]' });
  const hvp = checkScalarIdentity(
    inner(hessianVectorProduct(weights, data, delta, LAYER_CALCULUS_OPTIONS), gamma),
    dg,
    { scale, label: '⟨∇²L[Δ], Γ⟩ = ∇²L[Δ,Γ]' },
  );
  return worstOf([taylor, symmetry, hvp]);
}
