import { compare, inconclusive, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { endToEndLoss } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import type { SaddleInstance } from './instances.js';
import { runFlowUntil } from './run-until.js';

/**
 * The strict-saddle mechanism behind BRTW's "for almost all initializations" (flow.limit-optimal-on-Mk): a start on
 * the stable manifold of a saddle of L¹ on M_1 converges to that saddle. Data X = I, Y = Q = diag(σ) with distinct
 * σ_1 > σ_2 > …; the start is the balanced, coordinate-aligned factorization of c·e_je_jᵀ (j ≥ 2). Every layer
 * gradient keeps the zero pattern exactly (as in wj.dead-direction-invariant: IEEE arithmetic keeps structural zeros),
 * so the product stays on the line through σ_je_je_jᵀ and converges to it — a critical point of L¹ on M_1 with
 * L¹ − L¹([Q]_1) = ½(σ_1² − σ_j²) > 0, not the optimum. In exact arithmetic the set of such starts has measure zero.
 */

export const SADDLE_STOP = 1e-10;
export const SADDLE_TMAX = 600;

/**
 * Run the flow until ‖∇L‖ ≤ 1e−10·‖∇L(0)‖ (or T = 600); the limit must be σ_je_je_jᵀ within 1e−6·σ_j (a convergence
 * tolerance: the tail of a mode approaching its nonzero equilibrium is exponential) and its L¹ must exceed the rank-1
 * optimum's by ½(σ_1² − σ_j²) up to the same tolerance. Not converged by T_max: inconclusive.
 */
export function checkSaddleStableManifold(i: SaddleInstance): Verdict {
  let g0 = NaN;
  const run = runFlowUntil(
    i,
    (_s, g) => {
      if (Number.isNaN(g0)) g0 = g;
      return g <= SADDLE_STOP * g0;
    },
    SADDLE_TMAX,
  );
  const W = endToEnd(run.weights);
  const j = i.direction,
    sj = i.sigma[j],
    d = i.sigma.length;
  const saddle = new Matrix(d, d);
  saddle.data[j * d + j] = sj;
  const diff = W.clone();
  for (let k = 0; k < diff.data.length; k++) diff.data[k] -= saddle.data[k];
  const tol = 1e-6 * sj;
  const optimum = Matrix.diag(i.sigma.map((s, k) => (k === 0 ? s : 0)));
  const gap = endToEndLoss(W, i.data) - endToEndLoss(optimum, i.data);
  const predictedGap = 0.5 * (i.sigma[0] ** 2 - sj ** 2);
  const detail = `start c·e_${j + 1}e_${j + 1}ᵀ, T = ${run.t}, ‖∇L‖ ${fmt(run.g0)} → ${fmt(run.gradientNorm)}`;
  const limit = compare({
    measured: frobeniusNorm(diff),
    bound: tol,
    errorModel: `convergence tolerance 1e−6·σ_j = ${fmt(tol)} (the run stops at ‖∇L‖ ≤ ${SADDLE_STOP}·‖∇L(0)‖)`,
    detail: `${detail}: ‖W(T) − σ_${j + 1}e_${j + 1}e_${j + 1}ᵀ‖ = ${fmt(frobeniusNorm(diff))}`,
  });
  const above = compare({
    measured: Math.abs(gap - predictedGap),
    bound: 2 * sj * tol + 16 * Number.EPSILON * i.sigma[0] ** 2,
    errorModel:
      'L¹ is 1-Lipschitz in W near the saddle with constant ~σ_j: 2σ_j·tol, plus the round-off of the two losses',
    detail: `${detail}: L¹(limit) − L¹([Q]_1) = ${fmt(gap)} vs ½(σ_1² − σ_j²) = ${fmt(predictedGap)} (a saddle on M_1, not the optimum)`,
  });
  const verdict = worstOf([limit, above]);
  return run.converged
    ? verdict
    : inconclusive({ ...limit, detail: `${limit.detail} — not converged by T = ${SADDLE_TMAX}` });
}
