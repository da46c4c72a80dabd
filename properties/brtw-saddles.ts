import fc from 'fast-check';
import { dimension, seeded } from '../src/arbitraries/seeded.js';
import { compare, inconclusive, worstOf, type Verdict } from '../src/check/verdict.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { Matrix } from '../src/linalg/matrix.js';
import { endToEndLoss } from '../src/model/loss.js';
import { endToEnd } from '../src/model/partial-products.js';
import { checkLimitOptimal, runFlowUntil, summarizeFlowInstance, type LimitInstance } from './flows.js';
import { fmt } from './support/verdict-text.js';

/**
 * The strict-saddle mechanism behind BRTW's "for almost all initializations" (flow.limit-optimal-on-Mk): a start on
 * the stable manifold of a saddle of L¹ on M_1 converges to that saddle. Data X = I, Y = Q = diag(σ) with distinct
 * σ_1 > σ_2 > …; the start is the balanced, coordinate-aligned factorization of c·e_je_jᵀ (j ≥ 2). Every layer
 * gradient keeps the zero pattern exactly (as in wj.dead-direction-invariant: IEEE arithmetic keeps structural zeros),
 * so the product stays on the line through σ_je_je_jᵀ and converges to it — a critical point of L¹ on M_1 with
 * L¹ − L¹([Q]_1) = ½(σ_1² − σ_j²) > 0, not the optimum. In exact arithmetic the set of such starts has measure zero.
 */

export interface SaddleInstance extends LimitInstance {
  /** The singular direction j (0-based, ≥ 1) the start is aligned with, and its size c relative to σ_j. */
  readonly direction: number;
  readonly sigma: number[];
}

/** d ∈ [2, 3] inputs and outputs, depth 2..3, hidden widths 1..3, σ_i = 2·0.6^i, c = f·σ_j with f ∈ {0.1, 0.5, 2}. */
export const saddleInstanceArb: fc.Arbitrary<SaddleInstance> = seeded(
  fc.tuple(dimension(2, 3), dimension(2, 3), fc.array(dimension(1, 3), { minLength: 2, maxLength: 2 }), fc.nat(), fc.integer({ min: 0, max: 2 })),
  ([d, depth, hidden, j0, fi]) => {
    const widths = [d, ...hidden.slice(0, depth - 1), d];
    const sigma = Array.from({ length: d }, (_, i) => 2 * Math.pow(0.6, i));
    const direction = 1 + (j0 % (d - 1));
    const c = [0.1, 0.5, 2][fi] * sigma[direction];
    const root = Math.pow(c, 1 / depth);
    // W_1 = root·e_1e_jᵀ, hidden W_ℓ = root·e_1e_1ᵀ, W_N = root·e_je_1ᵀ: balanced, product c·e_je_jᵀ.
    const weights = widths.slice(1).map((rows, l) => {
      const w = new Matrix(rows, widths[l]);
      w.data[(l === depth - 1 ? direction : 0) * w.cols + (l === 0 ? direction : 0)] = root;
      return w;
    });
    return { widths, weights, data: { X: Matrix.identity(d), Y: Matrix.diag(sigma) }, init: 'balanced', direction, sigma };
  },
);

const SADDLE_STOP = 1e-10;
const SADDLE_TMAX = 600;

/**
 * Run the flow until ‖∇L‖ ≤ 1e−10·‖∇L(0)‖ (or T = 600); the limit must be σ_je_je_jᵀ within 1e−6·σ_j (a convergence
 * tolerance: the tail of a mode approaching its nonzero equilibrium is exponential) and its L¹ must exceed the rank-1
 * optimum's by ½(σ_1² − σ_j²) up to the same tolerance. Not converged by T_max: inconclusive.
 */
export function checkSaddleStableManifold(i: SaddleInstance): Verdict {
  let g0 = NaN;
  const run = runFlowUntil(i, (_s, g) => {
    if (Number.isNaN(g0)) g0 = g;
    return g <= SADDLE_STOP * g0;
  }, SADDLE_TMAX);
  const W = endToEnd(run.weights);
  const j = i.direction, sj = i.sigma[j], d = i.sigma.length;
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
    errorModel: 'L¹ is 1-Lipschitz in W near the saddle with constant ~σ_j: 2σ_j·tol, plus the round-off of the two losses',
    detail: `${detail}: L¹(limit) − L¹([Q]_1) = ${fmt(gap)} vs ½(σ_1² − σ_j²) = ${fmt(predictedGap)} (a saddle on M_1, not the optimum)`,
  });
  const verdict = worstOf([limit, above]);
  return run.converged ? verdict : inconclusive({ ...limit, detail: `${limit.detail} — not converged by T = ${SADDLE_TMAX}` });
}

const summarize = (i: SaddleInstance): unknown => summarizeFlowInstance(i, { direction: i.direction + 1, sigma: i.sigma });

export const flowSaddleStableManifold = defineClaim({
  id: 'flow.saddle-stable-manifold',
  title: 'A start on a saddle\'s stable manifold converges to the saddle: why BRTW say "almost all initializations"',
  statement:
    'With XXᵀ = I and Q = YXᵀ of distinct singular values, the balanced factorization of c·u_jv_jᵀ (j ≥ 2, c > 0) flows to σ_ju_jv_jᵀ, a critical ' +
    'point of L¹ on M_1 with L¹ − min_{M_1}L¹ = ½(σ_1² − σ_j²) > 0: such starts (a measure-zero set) miss the rank-1 optimum.',
  source: { paper: 'BRTW', location: 'derived: the mechanism behind "for almost all initializations" (abstract); the stable manifold here is the invariant line through u_jv_jᵀ', provenance: 'D' },
  hypotheses: ['X = I, Y = Q = diag(σ), σ_i = 2·0.6^i, d ∈ [2, 3]', 'depth 2..3, hidden widths 1..3', 'start: balanced, coordinate-aligned factorization of c·e_je_jᵀ, c ∈ {0.1, 0.5, 2}·σ_j, j ≥ 2 (exact zeros elsewhere)'],
  instances: saddleInstanceArb,
  check: checkSaddleStableManifold,
  expected: 'holds',
  tolerance: '‖W(T) − σ_je_je_jᵀ‖ ≤ 1e−6·σ_j after the flow reached ‖∇L‖ ≤ 1e−10·‖∇L(0)‖ (a convergence tolerance); the loss gap within 2σ_j·tol.',
  runs: 20,
  summarize,
});

export const flowLimitOptimalEveryStart = defineClaim({
  id: 'flow.limit-optimal-on-Mk.every-start',
  title: 'FALSE: from every initialization (not almost every) the flow ends at the rank-k optimum',
  statement:
    'flow.limit-optimal-on-Mk without "almost": every start, including the balanced factorization of c·u_jv_jᵀ (j ≥ 2), ends at [Q]_k(XXᵀ)^{−1/2} for its ' +
    'limit rank k. FALSE: that start stays on its invariant line and ends at σ_ju_jv_jᵀ (flow.saddle-stable-manifold), at distance √(σ_1² + σ_j²) from [Q]_1.',
  source: { paper: 'BRTW', location: 'FALSE variant of flow.limit-optimal-on-Mk ("almost all" dropped); derived', provenance: 'D' },
  hypotheses: ['the instances of flow.saddle-stable-manifold', 'the check of flow.limit-optimal-on-Mk'],
  instances: saddleInstanceArb,
  check: (i: SaddleInstance) => checkLimitOptimal(i),
  expected: 'counterexample',
  tolerance: 'as flow.limit-optimal-on-Mk: ‖[W]_k − W*_k‖ ≤ 2‖P_T∇L¹‖/μ + 16·Σd·ε·max(1, ‖W*_k‖)',
  runs: 10,
  summarize,
});

export const brtwSaddleClaims: Claim<any>[] = [flowSaddleStableManifold, flowLimitOptimalEveryStart];
