import { checkScalarIdentity, checkTaylor } from '../src/check/index.js';
import { worstOf, type Verdict } from '../src/check/verdict.js';
import { defineClaim } from '../src/claims/claim.js';
import { networkInstanceArb, type NetworkInstance } from '../src/arbitraries/networks.js';
import { frobeniusInner, frobeniusNorm } from '../src/linalg/frobenius.js';
import type { Matrix } from '../src/linalg/matrix.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { Rng } from '../src/random/rng.js';
import { hessianForm, hessianVectorProduct, layerGradients, loss, type LossOptions } from '../src/model/index.js';

/** THEORY §1: the layer calculus every other claim stands on. */

/** Loss convention used by both claims: canonical scale with a small weight decay, so λW_j is exercised too. */
const OPTIONS: LossOptions = { scale: 'half', weightDecay: 0.1 };

const instances = networkInstanceArb({ depth: [1, 6], width: [1, 5], samples: [1, 6], init: 'conditioned', maxLog10Cond: 4 });

function summarize(net: NetworkInstance): unknown {
  return { widths: net.widths, samples: net.data.X.cols, weights: net.weights, X: net.data.X, Y: net.data.Y, direction: net.direction };
}

const inner = (a: readonly Matrix[], b: readonly Matrix[]): number => a.reduce((s, m, j) => s + frobeniusInner(m, b[j]), 0);

/** The claimed gradient of `layerGradients` (or an injected one) against the Taylor remainder of the loss. */
export function checkLayerGradient(net: NetworkInstance, gradients: (net: NetworkInstance) => Matrix[] = (n) => layerGradients(n.weights, n.data, OPTIONS)): Verdict {
  const f = (w: readonly Matrix[]): number => loss(w, net.data, OPTIONS);
  return checkTaylor(f, net.weights, net.direction, { derivative: inner(gradients(net), net.direction) });
}

/**
 * The Hessian form against the slope-3 Taylor test, its symmetry ∇²L[Δ,Γ] = ∇²L[Γ,Δ], and the Hessian-vector
 * product ⟨∇²L[Δ], Γ⟩ = ∇²L[Δ,Γ] (both identities at a few ulps of the terms' size).
 */
export function checkHessian(net: NetworkInstance, form: typeof hessianForm = hessianForm): Verdict {
  const { weights, data, direction: delta } = net;
  const f = (w: readonly Matrix[]): number => loss(w, data, OPTIONS);
  const gradient = layerGradients(weights, data, OPTIONS);
  const taylor = checkTaylor(f, weights, delta, { derivative: inner(gradient, delta), secondDerivative: form(weights, data, delta, delta, OPTIONS) });
  const rng = new Rng(weights.length * 7919 + weights[0].data.length);
  const gamma = weights.map((w) => gaussianMatrix(rng, w.rows, w.cols));
  const dg = form(weights, data, delta, gamma, OPTIONS), gd = form(weights, data, gamma, delta, OPTIONS);
  // Each term of the form is a product of ≤ N + 3 factors; its size is bounded by Π‖·‖ of the operands.
  const size = weights.reduce((p, w) => p * Math.max(1, frobeniusNorm(w)), 1) ** 2 * Math.max(1, frobeniusNorm(data.X) ** 2 + frobeniusNorm(data.Y) ** 2) * Math.max(1, Math.hypot(...delta.map(frobeniusNorm))) * Math.max(1, Math.hypot(...gamma.map(frobeniusNorm)));
  const scale = 4 * weights.length * weights.length * size;
  const symmetry = checkScalarIdentity(dg, gd, { scale, label: '∇²L[Δ,Γ] = ∇²L[Γ,Δ]' });
  const hvp = checkScalarIdentity(inner(hessianVectorProduct(weights, data, delta, OPTIONS), gamma), dg, { scale, label: '⟨∇²L[Δ], Γ⟩ = ∇²L[Δ,Γ]' });
  return worstOf([taylor, symmetry, hvp]);
}

export const layerCalculusClaims = [
  defineClaim({
    id: 'grad.layer',
    title: 'Layer gradients of the deep linear network',
    statement: '∇_{W_j} L = W_{N:j+1}ᵀ ∇L¹(W) W_{j−1:1}ᵀ (+ λW_j with weight decay), ∇L¹(W) = (WX − Y)Xᵀ',
    source: { paper: 'ACH/BRTW', location: 'layer gradient formula (THEORY §1 grad.layer)', provenance: 'P' },
    hypotheses: ['any depth N ≥ 1 and widths', 'scale "half", weight decay λ = 0.1 (canonical (λ/2)Σ‖W_j‖²)', 'layers with condition number up to 1e4'],
    instances,
    check: (net: NetworkInstance) => checkLayerGradient(net),
    expected: 'holds',
    tolerance: 'Taylor-remainder test: a slope-2 window of ≥ 2 decades above the round-off floor 2ε(|f| + |t·Df| + …); a slope-1 defect of relative size ≥ 1e-9 fails',
    runs: 60,
    summarize,
  }),
  defineClaim({
    id: 'grad.hessian',
    title: 'Hessian bilinear form P1/P2',
    statement: '∇²L[Δ,Δ] = ‖P1(Δ)X‖² + 2⟨∇L¹(W), P2(Δ)⟩ (+ λ‖Δ‖²), symmetric, and equal to ⟨∇²L[Δ], Δ⟩ from the Hessian-vector product',
    source: { paper: 'lecture notes', location: 'derived: second derivative of the DLN loss (THEORY §1 grad.hessian cites lecture notes, not a paper)', provenance: 'D' },
    hypotheses: ['any depth N ≥ 1 and widths', 'scale "half", weight decay λ = 0.1', 'layers with condition number up to 1e4'],
    instances,
    check: (net: NetworkInstance) => checkHessian(net),
    expected: 'holds',
    tolerance: 'second-order Taylor test (slope 3 over ≥ 2 decades); symmetry and HVP identities at 8ε·(|lhs| + |rhs| + 4N²·Π‖operands‖)',
    runs: 40,
    summarize,
  }),
];
