import {
  ABSORPTION_DELTA,
  criticalInstanceArb,
  deadInstanceArb,
  LARGE_DELTA,
  rankInstanceArb,
  scalarInstanceArb,
  schattenInstanceArb,
  summarizeCritical,
  summarizeDead,
  summarizeRank,
  summarizeScalar,
  summarizeSchatten,
} from '../src/arbitraries/wang-jacot.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import {
  ABSORPTION_TOLERANCE,
  BALANCED_DEFECT,
  CRITICAL_GRADIENT,
  checkBalancedAtCritical,
  checkDeadDirections,
  checkRankNeverRises,
  checkScalarSeparatrix,
  checkSchattenCost,
  RANK_TOLERANCE,
  type RankOptions,
} from '../src/wang-jacot/index.js';
import type {
  CriticalInstance,
  DeadInstance,
  RankInstance,
  RankVariant,
  ScalarInstance,
  SchattenInstance,
} from '../src/wang-jacot/instances.js';

/**
 * The mechanisms behind the one-way jumps, for matrix completion on an observed set I with WJ's cost
 * C(A) = (1/|I|) Σ_{(i,j)∈I} (A_ij − A*_ij)² and WJ's weight decay λ‖θ‖² = λΣ_ℓ‖W_ℓ‖² (gradient 2λW_ℓ, so one step
 * multiplies a gradient-free component by 1 − 2ηλ): critical points are balanced, the penalty is a Schatten
 * quasi-norm there, a decoupled mode has a separatrix for L ≥ 3, dead directions stay dead, and the rank never rises.
 *
 * Z. Wang, A. Jacot, "Implicit bias of SGD in L2-regularized linear DNNs: One-way jumps from high to low rank",
 * ICLR 2024 (spotlight); arXiv:2305.16038 (WJ). Only the abstract could be read for this catalogue, so claims are
 * located in its sentences; everything else is derived here ([D]) and never worded as a theorem of the paper.
 *
 * The checks and their error models are in src/wang-jacot/, the generators in src/arbitraries/wang-jacot.ts.
 */

export const balancedAtCriticalClaim = defineClaim({
  id: 'wj.balanced-at-critical',
  title: 'Every critical point of the L2-regularized loss is exactly balanced (via identity I1)',
  statement:
    'For any cost C depending only on A = W_L⋯W_1, W_{ℓ+1}ᵀ∇_{W_{ℓ+1}}C = ∇_{W_ℓ}C·W_ℓᵀ (I1, exact). Hence for C + λ‖θ‖² (λ > 0) with Γ_ℓ its gradient, ' +
    '2λ·(W_{ℓ+1}ᵀW_{ℓ+1} − W_ℓW_ℓᵀ) = W_{ℓ+1}ᵀΓ_{ℓ+1} − Γ_ℓW_ℓᵀ, so at a critical point (Γ = 0) every C_ℓ = 0: the point is exactly balanced.',
  source: {
    paper: 'WJ',
    location: 'derived (THEORY cites WJ Prop. A.1 as reported by reviews, not confirmed against the paper text)',
    provenance: 'D',
  },
  hypotheses: [
    'completion cost C(A) = (1/|I|)Σ_{(i,j)∈I}(A_ij − A*_ij)² (and one single-entry cost), depth 2..4, widths 1..4',
    'weight decay λ‖θ‖² (WJ convention, gradient 2λW) with λ ∈ {0.05, 0.1, 0.2}; unbalanced Gaussian start',
    `a critical point is approached by full-batch GD (≤ 12 000 steps, stop at ‖Γ‖ ≤ ${CRITICAL_GRADIENT}·‖Γ(0)‖)`,
  ],
  instances: criticalInstanceArb(),
  check: (i: CriticalInstance) => checkBalancedAtCritical(i),
  expected: 'holds',
  tolerance:
    'Identities at 8ε·(‖lhs‖ + ‖rhs‖ + scale) with scale = (Σd_j)·‖∇C(A)‖·Π‖W_j‖_F (Higham bound of the L+1-factor product) plus 4(d_ℓ+d_{ℓ+1})·2λ(‖W_ℓ‖²+‖W_{ℓ+1}‖²) ' +
    `for the penalty terms. At a reached critical point the relative defect must be ≤ ${BALANCED_DEFECT} (the identity bounds it by ~‖W‖‖Γ‖/λ ≈ 1e-10).`,
  runs: 60,
  summarize: summarizeCritical,
});

export const balancedAtCriticalNoDecayClaim = defineClaim({
  ...balancedAtCriticalClaim,
  id: 'wj.balanced-at-critical.no-decay',
  title: 'FALSE: without weight decay (λ = 0) critical points are balanced',
  statement:
    'The conclusion of wj.balanced-at-critical with λ = 0. FALSE: I1 then only says W_{ℓ+1}ᵀΓ_{ℓ+1} = Γ_ℓW_ℓᵀ; GD conserves C_ℓ up to O(η²) and stops at an unbalanced critical point.',
  source: {
    paper: 'WJ',
    location: 'FALSE variant of the derived balancedness statement (λ = 0 removes the 2λC_ℓ term)',
    provenance: 'D',
  },
  hypotheses: ['as wj.balanced-at-critical but λ = 0'],
  instances: criticalInstanceArb({ lambda: 0 }),
  check: (i: CriticalInstance) => checkBalancedAtCritical(i),
  expected: 'counterexample',
  runs: 30,
});

export const schattenCostClaim = defineClaim({
  id: 'wj.schatten-cost',
  title: 'min Σ‖W_ℓ‖² over factorizations of A is L·Σ s_i(A)^{2/L}, attained at balanced factorizations',
  statement:
    'If every width is ≥ rank A, min{Σ_ℓ‖W_ℓ‖²_F : W_L⋯W_1 = A} = L Σ_i s_i(A)^{2/L} = L‖A‖_{S_{2/L}}^{2/L}, attained exactly at balanced factorizations; ' +
    'so at balanced points the regularized objective is C(A) + λL‖A‖_{S_{2/L}}^{2/L}.',
  source: {
    paper: 'WJ',
    location: 'derived (Hölder for Schatten quasi-norms + AM–GM); context of WJ §4',
    provenance: 'D',
  },
  hypotheses: [
    'rank r ≤ 3, depth 1..4, every width in [r, r + 2]',
    'σ_1/σ_r ≤ 10, Haar-like singular vectors',
    'insertions G_ℓ with log-normal singular values of size t ∈ {1e-3, 0.1, 1}',
  ],
  instances: schattenInstanceArb(),
  check: (i: SchattenInstance) => checkSchattenCost(i),
  expected: 'holds',
  tolerance:
    'Σ‖W_ℓ‖² = LΣs^{2/L} at 8ε(|lhs| + |rhs| + (max d + 2)Σ‖W‖²); W_{L:1} = A at 16ε(‖lhs‖ + ‖rhs‖ + (Σd)Π‖W‖_F); other factorizations may undercut by at most 4(max d + 2)ε·cond(G)² (relative).',
  runs: 150,
  summarize: summarizeSchatten,
});

export const schattenNuclearClaim = defineClaim({
  ...schattenCostClaim,
  id: 'wj.schatten-cost.nuclear',
  title:
    'FALSE: min Σ‖W_ℓ‖² over factorizations of A is L·‖A‖_*^{2/L} (the depth-L form of ‖A‖_* = min ½(‖U‖² + ‖V‖²))',
  statement:
    'For L ≥ 2 and widths ≥ rank A, min{Σ_ℓ‖W_ℓ‖² : W_L⋯W_1 = A} = L(Σ_i s_i)^{2/L}, as AM–GM on Σ‖W_ℓ‖² ≥ L(Π‖W_ℓ‖)^{2/L} and ‖A‖_* ≤ Π‖W_ℓ‖ suggest. ' +
    'FALSE for L ≥ 3 and rank ≥ 2: the minimum is LΣ s_i^{2/L} > L(Σ s_i)^{2/L} (2/L < 1); equal for L = 2 or rank 1.',
  source: {
    paper: 'WJ',
    location: 'FALSE variant of the derived Schatten identity (the nuclear norm in place of the S_{2/L} quasi-norm)',
    provenance: 'D',
  },
  hypotheses: ['rank r ≤ 3, depth 2..4, every width in [r, r + 2]', 'σ_1/σ_r ≤ 10, Haar-like singular vectors'],
  instances: schattenInstanceArb({ minDepth: 2 }),
  check: (i: SchattenInstance) =>
    checkSchattenCost(
      i,
      (s, L) =>
        L *
        Math.pow(
          s.reduce((a, x) => a + x, 0),
          2 / L,
        ),
    ),
  expected: 'counterexample',
  runs: 40,
});

export const scalarSeparatrixClaim = defineClaim({
  id: 'wj.scalar-separatrix',
  title: 'A decoupled mode with L ≥ 3 has a stable origin and an unstable separatrix s_lo ≈ (2λ/y)^{L/(L−2)}',
  statement:
    'For ds/dt = −Ls^{2−2/L}(s − y) − 2λLs (a balanced scalar chain, ½(s − y)² + λΣw_ℓ²) with L ≥ 3 and λ < λ_c: the origin is stable, ' +
    's_lo ≈ (2λ/y)^{L/(L−2)} is an unstable equilibrium separating the basins of 0 and of s_hi: GD from 0.9·s_lo → 0, from 1.1·s_lo → s_hi.',
  source: {
    paper: 'WJ',
    location:
      'derived (decoupled-mode analysis); THEORY seen: L = 3, y = 1, λ = 0.05 gives s_lo = 1.003e-3, s_hi = 0.896283',
    provenance: 'D',
  },
  hypotheses: [
    'L ∈ [3, 6], y ∈ [0.5, 2]',
    'λ = f·λ_c(y, L), f ∈ {0.1, 0.2, 0.3, 0.5}, λ_c = max_s s^{1−2/L}(y − s)/2',
    'GD step η = 0.5/max|φ″| (monotone map)',
  ],
  instances: scalarInstanceArb(),
  check: (i: ScalarInstance) => checkScalarSeparatrix(i),
  expected: 'holds',
  tolerance:
    'Basins: s ≤ 1e-3·s_0 for "→ 0", |s − s_hi| ≤ 1e-6·s_hi for "→ s_hi" (GD converges linearly; fixed points are exact). Approximation: within twice its first-order correction (L/(L−2))·s_lo/y.',
  runs: 60,
  summarize: summarizeScalar,
});

export const scalarTwoLayerClaim = defineClaim({
  ...scalarSeparatrixClaim,
  id: 'wj.scalar-separatrix.two-layers',
  title: 'FALSE: for L = 2 the origin is stable too',
  statement:
    'The stability of the origin of wj.scalar-separatrix for L = 2. FALSE: for y > 2λ, ds/dt ≈ 2(y − 2λ)s near 0, so any s_0 > 0 grows to s_hi = y − 2λ.',
  source: {
    paper: 'WJ',
    location: 'FALSE variant of the derived decoupled-mode analysis (L = 2: no separatrix)',
    provenance: 'D',
  },
  hypotheses: ['L = 2, y ∈ [0.5, 2], λ = f·y/2 (so y > 2λ)'],
  instances: scalarInstanceArb({ depth: 2 }),
  expected: 'counterexample',
  runs: 10,
});

export const deadDirectionClaim = defineClaim({
  id: 'wj.dead-direction-invariant',
  title: 'Dead hidden directions stay dead under GD, SGD, momentum, Nesterov, weight decay and gradient flow',
  statement:
    'If W_ℓᵀz = 0 and W_{ℓ+1}z = 0, every per-sample gradient of a product-only cost has zero component along z (zᵀ∇_{W_ℓ} = 0, ∇_{W_{ℓ+1}}z = 0), ' +
    'so the condition is preserved by GD, SGD, minibatch SGD, heavy ball/Nesterov and weight decay for any η, λ; under gradient flow the dead subspace is exactly constant.',
  source: { paper: 'WJ', location: 'derived (exact; the mechanism behind the one-way property)', provenance: 'D' },
  hypotheses: [
    'completion cost on ¾ of the entries, depth 2..4, widths 1..5, 1–2 dead directions per hidden layer',
    'λ ∈ {0, 0.01, 0.1} (WJ convention), 200 steps, η = 0.3/(2L·M^{2(L−1)} + 2λ)',
  ],
  instances: deadInstanceArb(),
  check: (i: DeadInstance) => checkDeadDirections(i),
  expected: 'holds',
  tolerance:
    'Aligned basis: exactly 0 (structural zeros survive IEEE arithmetic exactly). Rotated basis: the gradient component along Z_ℓ within 8ε·(L+1)(Σd_j)‖∇C‖·max_j Π_{i≠j}‖W_i‖_F, the round-off of the rotation times the chain (every factor but that layer).',
  runs: 60,
  summarize: summarizeDead,
});

const rankHypotheses = [
  'completion cost on ½–all of the entries of a d×d target of rank ≥ 1 (σ ∈ [1, 3]); widths all d ∈ [2, 5]',
  'balanced start of rank r ∈ [1, d − 1] (σ ∈ [0.5, 1.5]): rotated hidden frames for L ≥ 3; for L = 2 coordinate-aligned frames, so the statement is tested in exact arithmetic (see .two-layers)',
  'GD, SGD, minibatch (B = 4), heavy ball and Nesterov (β = 0.5); λ ∈ {0, 0.005, 0.02} (WJ convention); 2000 steps',
  `absorption (L ≥ 3, λ > 0): δ = ${ABSORPTION_DELTA} per entry planted in the dead-to-dead blocks`,
];

export function rankNeverRisesClaim(options: RankOptions = {}): Claim<RankInstance> {
  return defineClaim({
    id: 'wj.rank-never-rises',
    title: 'From a balanced start the rank never rises; for L ≥ 3 dead perturbations are absorbed at rate (1 − 2ηλ)^k',
    statement:
      'With a balanced initialization, rank(A_k) ≤ rank(A_0) and rank(W_ℓ(k)) ≤ rank(W_ℓ(0)) for all k under GD/SGD/momentum with or without weight decay. ' +
      "For L ≥ 3 a small perturbation of the dead directions decays like (1 − 2ηλ)^k (WJ scale; the momentum recursion's spectral radius with momentum): absorption.",
    source: {
      paper: 'WJ',
      location: 'derived: the "one-way" half of WJ (from wj.dead-direction-invariant and balancedness)',
      provenance: 'D',
    },
    hypotheses: rankHypotheses,
    instances: rankInstanceArb({ variant: 'balanced' }),
    check: (i: RankInstance) => checkRankNeverRises(i, options),
    expected: 'holds',
    tolerance:
      `Rank: s_{r+1} ≤ τ·ref with τ = ${RANK_TOLERANCE} (round-off reaches ~1e-13; any real rise is O(1e-3) or more), reported with the gap. ` +
      `Absorption: relative error of the decay exponent ≤ ${ABSORPTION_TOLERANCE} (the neglected terms are O(δ^{L−2}‖∇C‖/λ) ≈ 1e-4).`,
    runs: 80,
    summarize: summarizeRank,
  });
}

function rankVariant(
  variant: RankVariant,
  id: string,
  title: string,
  statement: string,
  hypotheses: string[],
  runs: number,
): Claim<RankInstance> {
  return defineClaim({
    ...rankNeverRisesClaim(),
    id,
    title,
    statement,
    source: {
      paper: 'WJ',
      location: `FALSE variant of the derived one-way property (THEORY §4: ${variant})`,
      provenance: 'D',
    },
    hypotheses,
    instances: rankInstanceArb({ variant }),
    check: (i: RankInstance) => checkRankNeverRises(i),
    expected: 'counterexample',
    runs,
  });
}

export const rankUnbalancedClaim = rankVariant(
  'unbalanced-zeros',
  'wj.rank-never-rises.unbalanced-zeros',
  'FALSE: rank never rises from an unbalanced start with zeros',
  'The one-way property from W_1 = 0, W_2 = I (rank 0 product, Y ≠ 0). FALSE: the zero directions of W_1 are not dead (W_2 is not zero on them): ∇_{W_1} = W_2ᵀ∇C ≠ 0 and the rank rises at the first step.',
  ['L = 2, W_1 = 0, W_2 = I_d, d ∈ [1, 5], target of rank ≥ 1', 'GD or SGD, λ ∈ {0, 0.005, 0.02}'],
  20,
);

export const rankAdamClaim = rankVariant(
  'adam-rotated',
  'wj.rank-never-rises.adam-rotated',
  'FALSE: rank never rises under Adam from a balanced start with rotated hidden frames',
  'The one-way property for Adam. FALSE: Adam rescales entrywise, so in a rotated hidden basis its step has components along the dead directions (THEORY seen: rank 1 → 3).',
  ['balanced start of rank r with random hidden frames, L ∈ [2, 3], d ∈ [2, 5]', 'Adam (β = 0.9, 0.999), η = 0.01'],
  20,
);

export const rankLangevinClaim = rankVariant(
  'langevin',
  'wj.rank-never-rises.langevin',
  'FALSE: rank never rises under Langevin dynamics',
  'The one-way property with isotropic noise W ← W − η∇ + √(2ηT)ξ. FALSE: the noise enters the dead directions at once (s_{r+1} ≈ √(2ηT) ≫ τ).',
  ['balanced start of rank r, L ∈ [2, 3], d ∈ [2, 5]', 'Langevin with T = 1e-8'],
  20,
);

export const rankTwoLayerClaim = defineClaim({
  ...rankVariant(
    'two-layers',
    'wj.rank-never-rises.two-layers',
    'FALSE: in float64, the numerical rank (τ = 1e-8) of GD/SGD iterates for L = 2 never rises from a rotated balanced start',
    'A statement about floating-point runs, not about the exact dynamics: for L = 2, λ = 0.001 and rotated hidden frames, the numerical rank ' +
      "rank_τ(A_k) (τ = 1e-8) of float64 GD/SGD iterates never exceeds the start's. FALSE: the rotation leaves ~1e-16 in the dead block, and for L = 2 " +
      'that round-off grows like (1 + η(‖U_⊥ᵀ∇C V_⊥‖ − 2λ))^k when ‖U_⊥ᵀ∇C V_⊥‖ > 2λ, to O(1). In exact arithmetic the dead block stays exactly 0 ' +
      '(wj.dead-direction-invariant, which holds): only the numerical statement is false.',
    [
      'L = 2, balanced start of rank r with random hidden frames (dead directions zero only to round-off), target of rank > r (σ up to 3)',
      'float64 GD or SGD, λ = 0.001, η = 0.05 (×5 for GD), 4000 steps',
    ],
    20,
  ),
  source: {
    paper: 'WJ',
    location:
      'derived: round-off amplification by the unstable origin of an L = 2 mode (wj.scalar-separatrix.two-layers); the exact statement is wj.dead-direction-invariant',
    provenance: 'D',
  },
});

export const rankLargePerturbationClaim = rankVariant(
  'large-perturbation',
  'wj.rank-never-rises.large-perturbation',
  'FALSE: for L = 3 any dead perturbation is absorbed at rate (1 − 2ηλ)^k',
  'The absorption of wj.rank-never-rises ("a dead perturbation never grows") with a perturbation whose dead blocks have singular values 0.3. FALSE: above the separatrix (THEORY seen: escape between 1e-2 and 3e-2 per entry at d = 8) it grows into a new mode.',
  [
    'L = 3, d ∈ [2, 4], balanced start of rank r, target of rank > r (σ up to 3)',
    `every dead-to-dead block δ·(partial isometry), δ = ${LARGE_DELTA}; λ = 0.01, GD or SGD, 2000 steps`,
  ],
  20,
);

export const wangJacotClaims: Claim<any>[] = [
  balancedAtCriticalClaim,
  balancedAtCriticalNoDecayClaim,
  schattenCostClaim,
  schattenNuclearClaim,
  scalarSeparatrixClaim,
  scalarTwoLayerClaim,
  deadDirectionClaim,
  rankNeverRisesClaim(),
  rankUnbalancedClaim,
  rankAdamClaim,
  rankLangevinClaim,
  rankTwoLayerClaim,
  rankLargePerturbationClaim,
];
