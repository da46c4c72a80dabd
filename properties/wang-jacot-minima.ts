import {
  FLOW_LIMIT_SETTING,
  flowLimitInstanceArb,
  minimaInstanceArb,
  summarizeFlowLimit,
  summarizeMinima,
} from '../src/arbitraries/wang-jacot.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { GRADIENT_ROUNDOFF, HESSIAN_ROUNDOFF } from '../src/landscape/regularized-minimum.js';
import {
  checkGdLimitMinimalRank,
  checkGdLimitOverestimatesRank,
  checkMinimaOfSeveralRanks,
  checkStrictSaddles,
  GD_LIMIT_ERROR_MODEL,
} from '../src/wang-jacot/index.js';
import type { MinimaInstance } from '../src/wang-jacot/instances.js';

/**
 * WJ's opening statement: "The L2-regularized loss of Deep Linear Networks with more than one hidden layer has
 * multiple local minima, corresponding to matrices with different ranks." Checked constructively with every entry
 * observed, on balanced points aligned with the target's singular vectors, whose modes decouple
 * (src/wang-jacot/minima.ts certifies each point with src/landscape/regularized-minimum.ts).
 *
 * Z. Wang, A. Jacot, "Implicit bias of SGD in L2-regularized linear DNNs: One-way jumps from high to low rank",
 * ICLR 2024 (spotlight); arXiv:2305.16038 (WJ). Only the abstract could be read for this catalogue, so claims are
 * located in its sentences; everything else is derived here ([D]) and never worded as a theorem of the paper.
 */

export const minimaOfSeveralRanksClaim = defineClaim({
  id: 'wj.minima-of-several-ranks',
  title:
    'With two or more hidden layers the L2-regularized loss has certified local minima of every rank 0..r; its other aligned critical points are strict saddles',
  statement:
    'For L ≥ 3 and λ below the critical λ of every mode, F(θ) = (1/d²)‖A − A*‖² + λ‖θ‖² has a local minimum of each rank k = 0..r (the balanced point with ' +
    "A*'s top k modes at their stable equilibria s_hi, the rest at 0); a balanced aligned critical point that skips a stronger mode, or has a mode at its " +
    'unstable equilibrium s_lo, is a strict saddle.',
  source: {
    paper: 'WJ',
    location:
      'abstract, first sentence ("multiple local minima, corresponding to matrices with different ranks"); the construction and the saddles are derived',
    provenance: 'P/D',
  },
  hypotheses: [
    'every entry observed, A* of rank r = d ∈ [2, 3], y_i = 3·0.6^i, Haar-like singular vectors, random hidden frames',
    'L ∈ [3, 4]; λ = f·min_i λ_c(y_i), f ∈ {0.3, 0.6} (WJ convention)',
  ],
  instances: minimaInstanceArb(),
  check: checkMinimaOfSeveralRanks,
  expected: 'holds',
  tolerance:
    `certificate of src/landscape/regularized-minimum.ts: ‖∇F‖ ≤ ${GRADIENT_ROUNDOFF}ε(Σd)(…); Hessian eigenvalues off ` +
    `the gauge orbit > τ = κτ_H + ${HESSIAN_ROUNDOFF}n_pε‖H‖ for minima, < −τ for saddles.`,
  runs: 10,
  summarize: summarizeMinima,
});

export const minimaOneHiddenLayerClaim = defineClaim({
  ...minimaOfSeveralRanksClaim,
  id: 'wj.minima-of-several-ranks.one-hidden-layer',
  title: 'FALSE: with one hidden layer (L = 2) too, the L2-regularized loss has local minima of several ranks',
  statement:
    'wj.minima-of-several-ranks for L = 2. FALSE: λ‖θ‖² at balanced points is λ·2‖A‖_*, convex in A; a mode left at 0 with y > λd² is a strict saddle ' +
    '(the origin of an L = 2 mode is unstable, wj.scalar-separatrix.two-layers), so of the top-k points only the one with every mode at s_hi is a local minimum.',
  source: {
    paper: 'WJ',
    location: 'FALSE variant of the abstract\'s "more than one hidden layer" (L = 2 has one); derived',
    provenance: 'D',
  },
  hypotheses: ['as wj.minima-of-several-ranks with L = 2, λ = f·min_i y_i/d²'],
  instances: minimaInstanceArb({ depth: 2 }),
  expected: 'counterexample',
  runs: 5,
});

export const strictSaddlesClaim = defineClaim({
  id: 'wj.strict-saddles',
  title:
    'For L ≥ 3 and λ > 0 every critical point of the fully observed loss is a local minimum (top modes kept) or a strict saddle',
  statement:
    "For L ≥ 3 and 0 < λ below every mode's critical value, every critical point of F(θ) = (1/d²)‖A − A*‖² + λ‖θ‖² (A* with distinct positive " +
    'singular values) is, up to the orthogonal gauge, a balanced point aligned with A* whose modes sit at 0, s_lo or s_hi; those with the top k modes ' +
    'at s_hi and the rest at 0 are local minima, and every other one is a strict saddle (a negative Hessian eigenvalue off the gauge orbit).',
  source: {
    paper: 'WJ',
    location:
      'derived: the census of critical points of the fully observed loss (balanced by wj.balanced-at-critical, aligned, modes at their equilibria); ' +
      '"non-minimal critical points are strict saddles" is listed as a WJ result by issue 16 but is not in the abstract, the only text read',
    provenance: 'D',
  },
  hypotheses: [
    'every entry observed, A* of rank r = d ∈ [2, 3], y_i = 3·0.6^i, Haar-like singular vectors, random hidden frames',
    'L ∈ [3, 4]; λ = f·min_i λ_c(y_i), f ∈ {0.3, 0.6} (WJ convention); all 3^d aligned critical points enumerated',
  ],
  instances: minimaInstanceArb(),
  check: (i: MinimaInstance) => checkStrictSaddles(i),
  expected: 'holds',
  tolerance:
    `certificate of src/landscape/regularized-minimum.ts at each of the 3^d points: ‖∇F‖ ≤ ${GRADIENT_ROUNDOFF}ε(Σd)(…) ` +
    `(critical); Hessian eigenvalues off the gauge orbit > τ = κτ_H + ${HESSIAN_ROUNDOFF}n_pε‖H‖ for the claimed ` +
    'minima, λ_min < −τ for every other point.',
  runs: 10,
  summarize: summarizeMinima,
});

export const strictSaddlesNoDecayClaim = defineClaim({
  ...strictSaddlesClaim,
  id: 'wj.strict-saddles.no-decay',
  title: 'FALSE: without weight decay (λ = 0) too, every critical point (L ≥ 3) is a local minimum or a strict saddle',
  statement:
    'wj.strict-saddles with λ = 0. FALSE: for L ≥ 3 a mode at 0 enters F only through s^2 = w^{2L}, so its directions are flat to second order ' +
    '(the origin has a zero Hessian): the points that drop a mode are degenerate — neither certified minima nor strict saddles.',
  source: {
    paper: 'WJ',
    location:
      'FALSE variant of the derived census (λ = 0 removes the curvature 2λ that makes the dropped modes strict)',
    provenance: 'D',
  },
  hypotheses: ['as wj.strict-saddles with λ = 0: the modes sit at 0 or y (2^d points)'],
  instances: minimaInstanceArb({ lambdaFraction: 0 }),
  expected: 'counterexample',
  runs: 5,
});

const flowLimitHypotheses = [
  'A* 2×2 with one entry unobserved: the two observed entries beside the gap of size 0.8–1.2, the one ' +
    'opposite it of size 0.05–0.15 (random signs and position), so the only rank-1 completion puts |bc/e| ≥ 4 ' +
    'in the gap',
  `L = ${FLOW_LIMIT_SETTING.depth}, λ = ${FLOW_LIMIT_SETTING.lambda}, full-batch GD from ` +
    `${FLOW_LIMIT_SETTING.runs} N(0, 1/d) starts (typical, not small), each run until ‖∇F‖ is at round-off ` +
    `(at most ${FLOW_LIMIT_SETTING.budget} steps), in chunks of 500 steps of η_k = min(${FLOW_LIMIT_SETTING.eta}, ` +
    '1/(κL·max_ℓ‖W_ℓ‖₂^{2(L−1)} + 2λ)): the full step near the limits, smaller while a large start shrinks',
];

export const gdLimitOverestimatesRankClaim = defineClaim({
  id: 'wj.gd-limit-overestimates-rank',
  title:
    'GD with small weight decay (L = 3) from typical starts ends at a certified local minimum of higher rank ' +
    'than the minimal-rank completion',
  statement:
    'On the masked completion loss F(θ) = (1/|I|)Σ_I(A_ij − A*_ij)² + λ‖θ‖² with L ≥ 3 and small λ, ' +
    'full-batch GD with a small step from a typical random start converges, with positive frequency, to a ' +
    'local minimum whose rank exceeds the minimal rank of a completion of the observed entries (a ' +
    'rank-overestimating minimum). Checked on a 2×2 family whose rank-1 completion is far from the start; ' +
    'there the rank-2 minimum has the lower F (GD overshoots the minimal rank, it does not miss a better ' +
    'minimum), and from small starts GD reaches the rank-1 minimum, so small starts are not claimed.',
  source: {
    paper: 'WJ',
    location:
      'Prop. 3.2 as the OpenReview reviewers paraphrase it (gradient flow with a small ridge converges to a ' +
      'minimum of larger rank than the ground truth), not read in the paper; the abstract says "GD might get ' +
      'stuck at rank-overestimating minima"; the instance family, the GD regime and the check are derived',
    provenance: 'M',
  },
  hypotheses: flowLimitHypotheses,
  instances: flowLimitInstanceArb(),
  check: checkGdLimitOverestimatesRank,
  expected: 'holds',
  tolerance:
    `Pass when at least one of ${FLOW_LIMIT_SETTING.runs} runs ends at a certified minimum of rank > the ` +
    'minimal completion rank (frequency with a 95% Clopper–Pearson interval); fail when a converged run ends ' +
    'at a strict saddle; inconclusive when no run is certified or all have the minimal rank (a finite sample ' +
    `cannot refute a positive frequency). ${GD_LIMIT_ERROR_MODEL}.`,
  runs: 1,
  summarize: summarizeFlowLimit,
});

export const gdLimitMinimalRankClaim = defineClaim({
  ...gdLimitOverestimatesRankClaim,
  id: 'wj.gd-limit-overestimates-rank.always-minimal',
  title: 'FALSE: GD with small weight decay always ends at a minimal-rank completion',
  statement:
    'On the masked completion loss with L ≥ 3 and small λ, every converged GD run ends at a local minimum of ' +
    'the minimal completion rank (the low-rank bias of depth and weight decay is enough). FALSE: from typical ' +
    'starts GD stops at a certified minimum of rank 2 while a rank-1 completion exists.',
  source: {
    paper: 'WJ',
    location: 'FALSE variant of the abstract\'s "GD might get stuck at rank-overestimating minima"; derived',
    provenance: 'D',
  },
  check: checkGdLimitMinimalRank,
  expected: 'counterexample',
  tolerance:
    'Refuted by one converged run whose certified limit has rank > the minimal completion rank. ' +
    GD_LIMIT_ERROR_MODEL,
});

export const wangJacotMinimaClaims: Claim<any>[] = [
  minimaOfSeveralRanksClaim,
  minimaOneHiddenLayerClaim,
  strictSaddlesClaim,
  strictSaddlesNoDecayClaim,
  gdLimitOverestimatesRankClaim,
  gdLimitMinimalRankClaim,
];
