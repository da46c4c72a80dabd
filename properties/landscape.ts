import {
  type CriticalInstance,
  criticalInstanceArb,
  type OriginInstance,
  originInstanceArb,
  summarizeCritical,
} from '../src/arbitraries/critical-points.js';
import { type DescentInstance, descentStartArb } from '../src/arbitraries/descent-starts.js';
import { worstOf } from '../src/check/verdict.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { buildFrame, globalValue } from '../src/landscape/frame.js';
import { globalDescentVerdict } from '../src/landscape/global-descent.js';
import { hessianSpectrum } from '../src/landscape/hessian.js';
import {
  kawaguchiSaddleVerdict,
  negativeCurvature,
  oneSidedRotationVerdict,
  originVerdicts,
  pairRuleVerdict,
  rotationVerdict,
} from '../src/landscape/saddle-verdicts.js';
import { polishedNeighbour, structureVerdicts } from '../src/landscape/structure-verdict.js';

/**
 * Critical points of deep linear networks (THEORY §3), from
 *   P. Baldi and K. Hornik, "Neural networks and principal component analysis: learning from examples without
 *     local minima", Neural Networks 2(1), 1989;
 *   K. Kawaguchi, "Deep Learning without Poor Local Minima", NeurIPS 2016 (arXiv:1605.07110);
 *   T. Laurent and J. von Brecht, "Deep linear networks with arbitrary loss: all local minima are global",
 *     ICML 2018 (arXiv:1712.01473);
 *   AMG: the structure of critical points as THEORY §3 states it (recalled; see each claim's source).
 * Every instance is an exact critical point built by src/landscape/construct.ts (signal chain ⊕ residual chain,
 * random gauge, whitened / conditioned / rank-deficient inputs, all three loss scales) and verified critical
 * (‖∇L‖ ≤ τ_c, src/landscape/criticality.ts) before any check uses it; crit.structure additionally perturbs it
 * and lets Newton's method find a nearby critical point that is no longer in canonical form.
 */

export const critStructure: Claim<CriticalInstance> = defineClaim({
  id: 'crit.structure',
  title: 'Critical points: product U_SU_SᵀΣ_YXΣ_XX⁻¹ and value ½(tr Σ_YY − Σ_{i∈S} λ_i)',
  statement:
    'At any critical point of L = ½‖W_N⋯W_1X − Y‖² with r = rank W_{N:1} there is a unique S ⊂ [d_N], |S| = r, with ' +
    'W_{N:1} = U_SU_SᵀΣ_YXΣ_XX⁻¹ and L = ½(tr Σ_YY − Σ_{i∈S} λ_i); the global minimizers are exactly S = {1..r*}.',
  source: {
    paper: 'AMG',
    location:
      'recalled structure of critical points (wording unconfirmed); consistent with Baldi–Hornik 1989, Kawaguchi ' +
      '2016, Zhou–Liang 2018',
    provenance: 'M',
  },
  hypotheses: [
    'Σ_XX = XXᵀ invertible (also run with rank-deficient X in the generalized frame Q̃ = YV_x)',
    'distinct eigenvalues λ_i of Σ = Σ_YXΣ_XX⁻¹Σ_XY (spectral gaps ≥ 1.5×)',
    "the point is critical: ‖∇L‖ ≤ τ_c (evaluation round-off τ_g plus the point's own representation error)",
  ],
  instances: criticalInstanceArb({ depth: [2, 4], width: [1, 4], perturb: true }),
  check: (instance) => {
    if (instance.perturbation === 0) return worstOf(structureVerdicts(instance, instance.point.weights));
    const polished = polishedNeighbour(instance);
    return 'status' in polished ? polished : worstOf(structureVerdicts(instance, polished));
  },
  expected: 'holds',
  tolerance:
    'structure residuals ≤ 1e-8 relative (exact points give ~1e-15); value within τ_L = c·n·ε·(κ/2)(‖|W||X|‖ + ‖Y‖)²',
  runs: 150,
  summarize: summarizeCritical,
});

export const critStrictSaddleRotation: Claim<CriticalInstance> = defineClaim({
  id: 'crit.strict-saddle-rotation',
  title: 'S ≠ {1..r}: the two-sided rotation lowers L by κσ_i(σ_j − σ_i) sin²t',
  statement:
    'At a critical point with i ∈ S, j ∉ S, λ_j > λ_i, rotating BOTH ends (W_N ← R_U(t)W_N moving u_i toward u_j, ' +
    'W_1 ← W_1R_V(t)ᵀ moving v_i toward v_j) gives L(t) = L(0) − 2σ_i(σ_j − σ_i) sin²t (whitened, scale "sum"), so ' +
    'd²L/dt² = −4σ_i(σ_j − σ_i) < 0 and the Hessian has a negative eigenvalue.',
  source: { paper: 'AMG', location: 'Lemma R (THEORY §3), derived', provenance: 'D' },
  hypotheses: [
    'critical point with S ≠ {1..r} (σ_j > σ_i for some i ∈ S, j ∉ S)',
    'other scales: L(t) = L(0) − κσ_i(σ_j − σ_i) sin²t',
  ],
  instances: criticalInstanceArb({ depth: [2, 5], width: [1, 4], kinds: ['gap'] }),
  check: rotationVerdict,
  expected: 'holds',
  tolerance: 'the curve identity is exact: |L(t) − formula| ≤ τ_L; curvature within γ·(term sizes); λ_min < −τ_H',
  runs: 150,
  summarize: summarizeCritical,
});

export const critStrictSaddleRotationOneSided: Claim<CriticalInstance> = defineClaim({
  ...critStrictSaddleRotation,
  id: 'crit.strict-saddle-rotation.one-sided',
  title: 'FALSE: rotating only the output end lowers L the same way',
  statement:
    'FALSE variant: rotating only W_N (u_i toward u_j) would give L(t) = L(0) − κσ_i(σ_j − σ_i) sin²t. In fact L(t) ' +
    '= L(0) + κσ_i²(1 − cos t): the loss goes up — the classic mistake.',
  source: { paper: 'AMG', location: 'Lemma R (THEORY §3), FALSE one-sided variant, derived', provenance: 'D' },
  check: oneSidedRotationVerdict,
  expected: 'counterexample',
  tolerance: '1e-10 relative: the true change κσ_i²(1 − cos t) + κσ_i(σ_j − σ_i)sin²t is of order σ²',
  runs: 30,
});

export const critNonstrict: Claim<OriginInstance> = defineClaim({
  id: 'crit.nonstrict',
  title: 'The origin: non-strict saddle for N ≥ 3, strict for N = 2',
  statement:
    'With Σ_YX ≠ 0, the origin is a critical point that is not a local minimum; for N ≥ 3 its Hessian is exactly 0 ' +
    '(a non-strict saddle: descent only at order N), for N = 2 it has the negative eigenvalue −κσ_1(YXᵀ).',
  source: {
    paper: 'Kawaguchi 2016; AMG',
    location: 'existence of non-strict saddles for depth ≥ 3 (the N = 2 eigenvalue is derived)',
    provenance: 'P',
  },
  hypotheses: ['Σ_YX = YXᵀ ≠ 0', 'any widths; depth 2..5'],
  instances: originInstanceArb({ depth: [2, 5], width: [1, 3] }),
  check: (instance) => worstOf(originVerdicts(instance)),
  expected: 'holds',
  tolerance:
    '‖H‖ ≤ τ_H (exact zero); λ_min = −κσ_1(YXᵀ) to τ_H + 1e-12 relative; the probe must confirm descent of order N ' +
    'by direct evaluation',
  runs: 80,
  summarize: (i) => ({ widths: i.widths, scale: i.scale }),
});

export const critNonstrictAllStrict: Claim<OriginInstance> = defineClaim({
  ...critNonstrict,
  id: 'crit.nonstrict.all-strict',
  title: 'FALSE: every non-global critical point has negative curvature',
  source: {
    paper: 'Kawaguchi 2016; AMG',
    location: 'negation of the existence of non-strict saddles for depth ≥ 3 (the origin of a depth-3 network)',
    provenance: 'D',
  },
  statement:
    'FALSE variant: every critical point that is not a global minimum has a Hessian with a negative eigenvalue (a ' +
    'strict saddle). The origin of a depth-3 network is a counterexample.',
  check: (instance) =>
    negativeCurvature(
      hessianSpectrum(instance.weights, instance.data, instance.scale),
      `λ_min at the origin, N = ${instance.widths.length - 1}`,
    ),
  expected: 'counterexample',
  tolerance: 'λ_min < −τ_H',
  runs: 40,
});

export const critPairRule: Claim<CriticalInstance> = defineClaim({
  id: 'crit.nonstrict.pair-rule',
  title: 'Pair rule: layers h < k with [A] or [B] ⇒ strict saddle',
  statement:
    'At a critical point with S = {1..r}, r < r*, if there are layers h < k with β_{h−1} ≠ 0, α_k ≠ 0 and [A] rank ' +
    'W_{k−1:h+1} > rank W_{k−1:1} or [B] rank W_{N:h+1} < rank W_{k−1:h+1}, the Hessian has a negative eigenvalue; ' +
    'the perturbation Δ_h = s·zwᵀ, Δ_k = s⁻¹·pqᵀ certifies it. (Sufficient; necessity unproven.)',
  source: { paper: 'AMG', location: 'pair rule (THEORY §3), derived; necessity unproven', provenance: 'D' },
  hypotheses: [
    'critical point with S = {1..r}, r < r* (rank-constrained global minimum of the product)',
    'whitened frame (rank-deficient X handled through T = U_ρΣ_ρ)',
  ],
  instances: criticalInstanceArb({ depth: [2, 5], width: [1, 4], kinds: ['top'] }),
  check: pairRuleVerdict,
  expected: 'holds',
  tolerance: 'λ_min < −τ_H, τ_H = γ·‖|H|‖_F; the certificate direction must give ∇²L[Δ,Δ] < −γ·(term sizes)',
  runs: 250,
  summarize: summarizeCritical,
});

export const critKawaguchiSaddle: Claim<CriticalInstance> = defineClaim({
  id: 'crit.kawaguchi-saddle',
  title: 'Saddles with rank(W_{N−1}⋯W_2) = min(d_1..d_{N−1}) have negative curvature',
  statement:
    'At a critical point that is not a global minimum and where the middle product W_{N−1}⋯W_2 has full rank ' +
    'min(d_1, …, d_{N−1}), the Hessian has a negative eigenvalue.',
  source: {
    paper: 'Kawaguchi 2016',
    location: 'recalled statement about saddles with full-rank middle layers (wording unconfirmed)',
    provenance: 'M',
  },
  hypotheses: [
    'N ≥ 3, equal hidden widths d, middle layers invertible (Kawaguchi-type chain)',
    'S with |S| < d, not a global minimum',
  ],
  instances: criticalInstanceArb({ depth: [3, 5], width: [1, 4], kinds: ['top', 'gap'], kawaguchi: true }),
  check: kawaguchiSaddleVerdict,
  expected: 'holds',
  tolerance: 'λ_min < −τ_H',
  runs: 120,
  summarize: summarizeCritical,
});

export const critNoBadLocalMin: Claim<DescentInstance> = defineClaim({
  id: 'crit.no-bad-local-min',
  title: 'Every local minimum is global: descent from random starts reaches the closed-form value',
  statement:
    'For the square loss every local minimum of L(W_1..W_N) is global, for any widths; so monotone local descent ' +
    'from a random start ends at the global value κ(offset + ½Σ_{i>r_max}σ_i²).',
  // The instances include bottleneck widths and rank-deficient XXᵀ, outside both papers' hypotheses: [M].
  source: {
    paper: 'Kawaguchi 2016; Laurent–von Brecht 2018; Lu–Kawaguchi 2017',
    location:
      'any widths, any data (square loss): recalled from Lu–Kawaguchi 2017, not read. Kawaguchi 2016 assumes XXᵀ and ' +
      'XYᵀ of full rank, d_N ≤ d_0 and ' +
      'distinct eigenvalues of YXᵀ(XXᵀ)⁻¹XYᵀ (recalled); Laurent–von Brecht 2018 (abstract, read) assume a convex ' +
      'differentiable loss and every hidden ' +
      'layer at least as wide as the input or at least as wide as the output',
    provenance: 'M',
  },
  hypotheses: [
    'square loss; widths 1..4 with bottlenecks allowed and X whitened, conditioned or rank-deficient (beyond ' +
      "Kawaguchi's and Laurent–von Brecht's hypotheses)",
    'random Gaussian initialization (saddles attract only a measure-zero set of starts)',
    'monotone descent: trust-region Newton with the exact Hessian; an endpoint refutes only if certified a local ' +
      'minimum (critical to τ_c, λ_min ≥ −τ_H, no higher-order descent curve), else inconclusive',
  ],
  instances: descentStartArb(),
  check: (i) =>
    globalDescentVerdict(i.start, i.data, globalValue(buildFrame(i.data, i.scale), i.widths), {
      scale: i.scale,
      targetLabel: 'the closed-form global value',
    }),
  expected: 'holds',
  tolerance:
    '|L_end − L*| ≤ 1e-7·(1 + |L*|); a refutation needs a certified local minimum above that (see ' +
    'src/landscape/global-descent.ts)',
  runs: 120,
  summarize: (i) => ({ widths: i.widths, inputs: i.inputs, scale: i.scale }),
});

export const landscapeClaims: Claim<any>[] = [
  critStructure,
  critStrictSaddleRotation,
  critStrictSaddleRotationOneSided,
  critNonstrict,
  critNonstrictAllStrict,
  critPairRule,
  critKawaguchiSaddle,
  critNoBadLocalMin,
];
