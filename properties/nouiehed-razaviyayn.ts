import fc from 'fast-check';
import { type BurerMonteiroInstance, burerMonteiroArb } from '../src/arbitraries/burer-monteiro.js';
import { type CriticalInstance, criticalInstanceArb, summarizeCritical } from '../src/arbitraries/critical-points.js';
import { type FactorPair, factorPairArb, factorPairWithExamplesArb } from '../src/arbitraries/factor-pairs.js';
import { type Iclr18Moves, iclr18MovesArb } from '../src/arbitraries/iclr18.js';
import { degenerateTupleArb, type LayerTuple, nonDegenerateTupleArb } from '../src/arbitraries/layer-tuples.js';
import {
  type CompositionInstance,
  compositionArb,
  type KinkedCompositionInstance,
  kinkedCompositionArb,
} from '../src/arbitraries/open-composition.js';
import { type SymmetricFactor, symmetricFactorArb } from '../src/arbitraries/symmetric-factors.js';
import { type TwoLayerInstance, twoLayerArb } from '../src/arbitraries/two-layer.js';
import { worstOf } from '../src/check/verdict.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { asymmetricFactorizationVerdict, burerMonteiroVerdict } from '../src/landscape/burer-monteiro-verdict.js';
import {
  DEEP_OPENNESS_BOUND,
  deepOpennessVerdict,
  NOT_OPEN_TARGETS,
  OPEN_TARGETS,
} from '../src/landscape/deep-openness-verdict.js';
import { iclr18Verdict, secondOrderTestVerdict } from '../src/landscape/iclr18-verdict.js';
import {
  GLOBAL_GAP,
  kinkedCompositionVerdict,
  openCompositionVerdict,
} from '../src/landscape/open-composition-verdict.js';
import { FIBER_RTOL } from '../src/landscape/openness.js';
import { nrExampleAVerdict, nrExampleBVerdict, opennessVerdict } from '../src/landscape/openness-verdict.js';
import {
  CLEARLY_ABOVE,
  globalOnlyVerdict,
  globalOrSaddleVerdict,
  globalOrStrictVerdict,
} from '../src/landscape/saddle-verdicts.js';
import {
  LINEAR_RATE_SLACK,
  SYMMETRIC_DELTAS,
  symmetricLinearRateVerdict,
  symmetricOpennessVerdict,
  VANISHING_BOUND,
} from '../src/landscape/symmetric-openness-verdict.js';
import { twoLayerVerdicts } from '../src/landscape/two-layer-verdict.js';
import { Rng } from '../src/random/rng.js';

/**
 * M. Nouiehed and M. Razaviyayn, "Learning Deep Models: Critical Points and Local Openness", arXiv:1803.02968
 * (v1 March 2018, ICLR 2018 workshop version; v2 August 2023). Read: the abstract (v2) — local openness of the
 * symmetric and non-symmetric matrix multiplication mapping, a proof of Burer–Monteiro, every local optimum of a
 * two-layer linear network is global with no assumption on X, Y, multi-layer conditions with counterexamples — and
 * the full text of the ICLR 2018 submission ("NR 2018" below; its numbering): Observation 1, Proposition 2
 * (Behrends), Theorem 3, Remark 1, Theorem 5, Corollary 6, Lemmas 7 and 8. The v2 text was not reachable: results
 * that are only in v2 (X ↦ XXᵀ, Burer–Monteiro, the multi-layer characterization) name the result, not a number.
 * In the paper's order: local openness of (X, Y) ↦ XY and of X ↦ XXᵀ, Burer–Monteiro, two-layer networks (their
 * local minima, then their degenerate critical points), deep networks (openness of W_h⋯W_1 at non-degenerate W,
 * then their non-degenerate critical points), then the 2018 preprint's example that THEORY §3 keeps as a
 * regression.
 */

export const nrLocalOpenness: Claim<FactorPair> = defineClaim({
  id: 'nr.local-openness',
  title: 'Local openness of (X, Y) ↦ XY: rank criteria vs a fiber-distance witness',
  statement:
    'M(X, Y) = XY (X ∈ R^{m×k}, Y ∈ R^{k×n}) is locally open at (X, Y) onto its range iff: k ≥ min(m, n): rank Y − ' +
    'rank XY ≤ k − m or rank X − rank XY ≤ k − n; k < min(m, n): rank X = rank Y = rank XY. Witness: for random ' +
    'targets Z in the range with ‖Z − XY‖ = δ, dist((X, Y), M⁻¹(Z)) → 0 as δ → 0 iff open.',
  source: {
    paper: 'NR',
    location:
      'NR 2018, Proposition 2 (Behrends; k ≥ min(m, n)) and Theorem 3 (k < min(m, n): rank X ≠ rank Y ⇒ not open, ' +
      'else open ⇔ dim(N(X) ∩ C(Y)) = 0), read; the rank form uses dim(N(X) ∩ C(Y)) = rank Y − rank XY',
    provenance: 'P',
  },
  hypotheses: [
    'm, k, n ≤ 3; ranks and overlap dim(corange X ∩ range Y) drawn explicitly',
    "NR's counterexamples (a) and (b) included",
    'the witness is numeric (vanishing is shown by verified fiber points; "bounded away" is rigorous for rank-k ' +
      'targets when k < min(m, n), an upper-bound estimate otherwise) except at (X, Y) = (0, 0), where the fiber ' +
      'distance √(2‖Z‖_*) is exact',
  ],
  instances: factorPairWithExamplesArb(),
  check: (instance) => opennessVerdict(instance),
  expected: 'holds',
  tolerance:
    'open: fiber distance at δ = 1e-8 ≤ 1e-2·(1 + ‖X‖ + ‖Y‖) (rates δ or √δ give ≤ 1e-4); not open: ≥ 1e-2·(1 + ‖X‖ ' +
    '+ ‖Y‖) at every δ',
  runs: 150,
  summarize: (i) => ({ name: i.name, X: i.X.toArray(), Y: i.Y.toArray() }),
});

export const nrLocalOpennessEverywhere: Claim<FactorPair> = defineClaim({
  ...nrLocalOpenness,
  id: 'nr.local-openness.everywhere',
  title: 'FALSE: matrix multiplication is locally open everywhere',
  statement:
    'FALSE variant: XY is locally open at every (X, Y) (onto its range). NR: it is not, e.g. at X = [1; 1], Y = [0 0].',
  source: {
    paper: 'NR',
    location:
      'negation of local openness at rank-deficient pairs; NR 2018, Remark 1 (read) gives the counterexample ' +
      'X = [1; 1], Y = [0 0] with the target XY + [[δ, 0], [0, 0]]',
    provenance: 'D',
  },
  instances: factorPairArb(),
  check: (instance) => opennessVerdict(instance, true),
  expected: 'counterexample',
  runs: 60,
});

export const nrLocalOpennessExamples: Claim<'a' | 'b'> = defineClaim({
  id: 'nr.local-openness.examples',
  title: "NR's counterexamples (a) and (b)",
  statement:
    '(a) X = [1; 2], Y = [1 1] is locally open onto the rank ≤ 1 matrices but not onto R^{2×2} (rank-2 targets near ' +
    'XY are unreachable); (b) X = [1; 1], Y = [0 0]: the target [[δ, 0], [0, 0]] needs a move of at least 1 for ' +
    'every δ > 0 — not open.',
  source: {
    paper: 'NR',
    location: 'NR 2018, example (a) in Section 2 and example (b) in Remark 1 (both read)',
    provenance: 'P',
  },
  hypotheses: ['exact examples, δ ∈ {1e-2, 1e-5, 1e-8}'],
  instances: fc.constantFrom<'a' | 'b'>('a', 'b'),
  check: (which) => (which === 'a' ? nrExampleAVerdict(new Rng(11)) : nrExampleBVerdict(new Rng(12))),
  expected: 'holds',
  tolerance: 'exact arguments; fiber points verified to round-off',
  runs: 2,
});

export const nrSymmetricOpenness: Claim<SymmetricFactor> = defineClaim({
  id: 'nr.symmetric-openness',
  title: 'X ↦ XXᵀ is locally open onto its range at every X',
  statement:
    'M₊(X) = XXᵀ (X ∈ R^{n×k}) is locally open at every X onto its range {Z ⪰ 0 : rank Z ≤ min(n, k)}: PSD ' +
    "targets Z of rank ≤ min(n, k) with ‖Z − XXᵀ‖ → 0 have fiber distance min{‖X' − X‖ : X'X'ᵀ = Z} → 0, at " +
    'zero and rank-deficient X too.',
  source: {
    paper: 'NR',
    location:
      'local openness of the symmetric matrix multiplication mapping (abstract: "completely characterize the ' +
      'local openness of the symmetric … mapping"); "open at every X" is recalled, the theorem number was not ' +
      'read; the closed-form fiber distance is derived',
    provenance: 'M',
  },
  hypotheses: [
    'n, k ≤ 3; X of any rank 0..min(n, k) (singular values 1, 1.5, 2)',
    'targets: XXᵀ + δS projected onto {Z ⪰ 0, rank ≤ min(n, k)}, 3 random symmetric S, ' +
      `δ = ${SYMMETRIC_DELTAS.join(', ')}`,
    "exact fiber distance √(tr Z + ‖X‖² − 2‖Z^{1/2}X‖_*), attained by an explicit X' verified to reproduce Z " +
      '(src/landscape/symmetric-openness.ts)',
  ],
  instances: symmetricFactorArb(),
  check: symmetricOpennessVerdict,
  expected: 'holds',
  tolerance:
    `fiber distance at δ = ${SYMMETRIC_DELTAS[SYMMETRIC_DELTAS.length - 1]} ≤ ${VANISHING_BOUND}·(1 + ‖X‖) ` +
    "(rates δ or √δ give ≤ 1e-4); fiber points verified to 64nε(‖Z‖ + ‖X'‖²)",
  runs: 100,
  summarize: (i) => ({ n: i.X.rows, k: i.X.cols, rank: i.rank }),
});

export const nrSymmetricOpennessLinearRate: Claim<SymmetricFactor> = defineClaim({
  ...nrSymmetricOpenness,
  id: 'nr.symmetric-openness.linear-rate',
  title: 'FALSE: X ↦ XXᵀ is open with a linear rate (fiber distance O(δ)) at every X',
  statement:
    'FALSE variant: local openness of XXᵀ comes with a linear rate everywhere, d(δ) ≤ C·δ (metric regularity). ' +
    'True at X of full row rank; at a rank-deficient X a target with a new eigen-direction of size δ needs a move ' +
    'of order √δ (at X = 0, d = √(tr Z)).',
  source: {
    paper: 'NR',
    location: 'FALSE variant of the symmetric openness statement (openness read as metric regularity); derived',
    provenance: 'D',
  },
  check: symmetricLinearRateVerdict,
  expected: 'counterexample',
  tolerance:
    `d(δ_2) ≤ ${LINEAR_RATE_SLACK}·(δ_2/δ_1)·d(δ_1) at δ_1 = ${SYMMETRIC_DELTAS[1]}, δ_2 = ${SYMMETRIC_DELTAS[2]} ` +
    'for every target (exact distances)',
  runs: 40,
});

export const nrOpenComposition: Claim<CompositionInstance> = defineClaim({
  id: 'nr.open-composition',
  title:
    'Local openness: a local minimum of ℓ(XY) is one of ℓ on the range, so global for convex ℓ with k ≥ min(m, n) ' +
    'or for ℓ = ½‖Z − T‖²',
  statement:
    'If (X̄, Ȳ) is a local minimum of ℓ(XY) and (X, Y) ↦ XY is locally open at (X̄, Ȳ), then X̄Ȳ is a local minimum ' +
    'of ℓ on the range; hence a global one when the range is all of R^{m×n} (k ≥ min(m, n)) and ℓ is convex, or ' +
    'when ℓ = ½‖Z − T‖² (its local minima over rank ≤ k are the best rank-k approximations). Checked: ℓ(X̄Ȳ) = ' +
    'min ℓ over the range at descent endpoints that the rank criterion (nr.local-openness) calls open.',
  source: {
    paper: 'NR',
    location:
      'Observation 1 of the ICLR 2018 submission version (read: "Suppose F(w̄) is locally open at w̄. If w̄ is a ' +
      'local minimum of problem (6), then s̄ = F(w̄) is a local minimum of problem (7)", followed by "if every local ' +
      'optimum of (7) is global … any local optimum of (6) is also global"; Section 4 adds "consequently a global ' +
      'optimum … when the loss function ℓ(·) is convex" for a full range) [P]; that the square loss has no ' +
      'non-global local minimum over rank ≤ k (the narrow case) is derived [D]; the arXiv v2 numbering was not read',
    provenance: 'P/D',
  },
  hypotheses: [
    'm, k, n ≤ 3; ℓ = ½‖Z − T‖² (both regimes) or pseudo-Huber Σ(√(1 + (Z − T)²) − 1) (k ≥ min(m, n) only), T ' +
      'Gaussian',
    'local minimum = end of monotone L-BFGS descent from a random start; endpoints the criterion calls not open ' +
      'are outside the statement (inconclusive)',
    'a gap refutes only at a converged endpoint that 3 escapes (re-descent from 1e-3 perturbations) cannot lower',
  ],
  instances: compositionArb(),
  check: (instance) => openCompositionVerdict(instance),
  expected: 'holds',
  tolerance: `ℓ(X̄Ȳ) − min_range ℓ ≤ ${GLOBAL_GAP}·(1 + ℓ(X_0Y_0))`,
  runs: 60,
  summarize: (i) => ({ loss: i.loss, T: i.T.toArray(), X0: i.X0.toArray(), Y0: i.Y0.toArray() }),
});

export const nrOpenCompositionWithoutOpenness: Claim<KinkedCompositionInstance> = defineClaim({
  id: 'nr.open-composition.without-openness',
  title: 'FALSE: for convex ℓ every local minimum of ℓ(XY) is a global minimum of ℓ over the range',
  statement:
    "FALSE variant: nr.open-composition with local openness dropped. At NR's non-open point X̄ = aU[1; 1], Ȳ = 0 " +
    '(k = 1 < m = n = 2) the convex ℓ(Z) = ½‖W‖² − pW₁₁ + q|W₂₁| (W = UᵀZV, q > p > 0) has a local minimum of ℓ∘M ' +
    '(ℓ(XY) ≥ (qx₂ − px₁)|y₁| ≥ 0 nearby) with ℓ = 0, while the rank-1 matrix pUe₁e₁ᵀVᵀ in the range has ℓ = −p²/2.',
  source: {
    paper: 'NR',
    location:
      'FALSE variant (openness dropped), derived; the non-open point is the example of Remark 1 of the ICLR 2018 ' +
      'submission version, X₁ = [1; 1], Y₁ = [0, 0] (read)',
    provenance: 'D',
  },
  hypotheses: ['a ∈ [0.5, 2], p ∈ [0.5, 1.5], q/p ∈ [1.5, 4], U, V random orthogonal 2×2; ℓ convex, not smooth'],
  instances: kinkedCompositionArb(),
  check: (instance) => kinkedCompositionVerdict(instance, false),
  expected: 'counterexample',
  tolerance: `ℓ(X̄Ȳ) − min_range ℓ ≤ ${GLOBAL_GAP}·(1 + p²/2); local minimality exact (64 probes as a cross-check)`,
  runs: 10,
  summarize: (i) => ({ a: i.a, p: i.p, q: i.q, U: i.U.toArray(), V: i.V.toArray() }),
});

export const nrBurerMonteiro: Claim<BurerMonteiroInstance> = defineClaim({
  id: 'nr.burer-monteiro',
  title: 'Burer–Monteiro: with k > #positive eigenvalues, descent reaches XXᵀ = M_+',
  statement:
    'For f(X) = ½‖XXᵀ − M‖² with X ∈ R^{n×k} and k larger than the number of positive eigenvalues of the symmetric ' +
    'M, local descent reaches XXᵀ = M_+ (the positive part of M).',
  source: {
    paper: 'NR',
    location:
      'the abstract announces "a simple proof for the classical result of Burer-Monteiro"; this square-loss form ' +
      'with k > #positive eigenvalues is recalled, not read',
    provenance: 'M',
  },
  hypotheses: [
    'M symmetric with eigenvalues bounded away from 0 (|λ| ∈ [0.3, 1.5])',
    'random start X_0 with N(0, 0.25) entries; monotone L-BFGS descent',
  ],
  instances: burerMonteiroArb(),
  check: burerMonteiroVerdict,
  expected: 'holds',
  tolerance: '‖XXᵀ − M_+‖_F ≤ 1e-6·‖M‖_F',
  runs: 150,
  summarize: (i) => ({ n: i.n, positive: i.positive, k: i.k }),
});

export const nrBurerMonteiroAsymmetric: Claim<BurerMonteiroInstance> = defineClaim({
  ...nrBurerMonteiro,
  id: 'nr.burer-monteiro.asymmetric',
  title: 'FALSE: the asymmetric factorization XYᵀ (X, Y ∈ R^{n×k}, k > p) also ends at M_+',
  statement:
    'nr.burer-monteiro with XYᵀ in place of XXᵀ (independent random X_0, Y_0): descent on ½‖XYᵀ − M‖² reaches M_+. ' +
    'FALSE: without the symmetric constraint ' +
    'XYᵀ can carry negative eigen-directions; descent reaches the best rank-k approximation [M]_k (Eckart–Young on ' +
    "|λ|), which has M's negative part when k > p.",
  source: {
    paper: 'NR',
    location: 'FALSE variant of the recalled Burer–Monteiro statement (symmetry X = Y dropped); derived',
    provenance: 'D',
  },
  hypotheses: [
    'M symmetric with p positive and n − p ≥ 1 negative eigenvalues, |λ| ∈ [0.3, 1.5]',
    'k > p, independent Gaussian X_0, Y_0; monotone L-BFGS descent on (X, Y)',
  ],
  instances: burerMonteiroArb(),
  check: asymmetricFactorizationVerdict,
  expected: 'counterexample',
  runs: 20,
});

export const nrTwoLayerGlobal: Claim<TwoLayerInstance> = defineClaim({
  id: 'nr.two-layer-global',
  title: 'Two layers: every local minimum is global, closed form with rank-deficient X',
  statement:
    'Every local minimum of ½‖W_2W_1X − Y‖² is global with no assumption on X, Y; the global value is ' +
    '½Σ_{i>k}σ_i(YV_x)² + ½‖Y(I − V_xV_xᵀ)‖² (X = U_xΣ_xV_xᵀ thin SVD, k = min(d_0, d_1, d_2)).',
  source: {
    paper: 'NR',
    location:
      'two-layer linear networks (abstract: "every local optimum of two layer linear networks is globally optimal … ' +
      'no assumption on the target data matrix Y, and input data matrix X"); the v2 theorem was not read — ' +
      'NR 2018, Theorem 5 (read) still assumed X of full row rank for non-degenerate critical points; the closed ' +
      'form is derived',
    provenance: 'P',
  },
  hypotheses: [
    'X arbitrary, often rank-deficient (ρ < min(d_0, m)); Y arbitrary',
    'local descent from a random start (trust-region Newton, monotone); an endpoint refutes only if certified a ' +
      'local minimum, else inconclusive',
  ],
  instances: twoLayerArb(),
  check: (instance) => worstOf(twoLayerVerdicts(instance, true)),
  expected: 'holds',
  tolerance:
    'closed form vs explicit minimizer: τ_L + 1e-12 relative; descent end vs closed form: 1e-7·(1 + |L*|), refuted ' +
    'only at a certified local minimum',
  runs: 150,
  summarize: (i) => ({ widths: i.widths, samples: i.data.X.cols, scale: i.scale }),
});

export const nrTwoLayerNoProjection: Claim<TwoLayerInstance> = defineClaim({
  ...nrTwoLayerGlobal,
  id: 'nr.two-layer-global.no-projection',
  title: 'FALSE: the closed form without the ½‖Y(I − V_xV_xᵀ)‖² term',
  statement:
    'FALSE variant: min ½‖W_2W_1X − Y‖² = ½Σ_{i>k}σ_i(YV_x)². Wrong whenever Y has a part outside the row space of X ' +
    '(m > rank X).',
  source: {
    paper: 'NR',
    location: 'closed form with the projection term dropped (FALSE variant, derived)',
    provenance: 'D',
  },
  check: (instance) => worstOf(twoLayerVerdicts(instance, false)),
  expected: 'counterexample',
  runs: 30,
});

export const nrTwoLayerDegenerate: Claim<CriticalInstance> = defineClaim({
  id: 'nr.two-layer-degenerate',
  title: 'Two layers: every critical point is a global minimum or a strict saddle',
  statement:
    'For L = ½‖W_2W_1X − Y‖², every critical point — degenerate ones (rank W_2W_1 < min(d_0, d_1, d_2)) ' +
    'included — is a global minimum or has a negative Hessian eigenvalue (a second-order saddle): there are no ' +
    'non-strict saddles at depth 2.',
  source: {
    paper: 'NR; Kawaguchi 2016',
    location:
      'NR 2018, Theorem 5 (read): "Every degenerate critical point of problem (10) is either a global minimum or ' +
      'a second order saddle" (a Hessian with a negative eigenvalue); Corollary 6: any convex loss. Non-degenerate ' +
      'points: Theorem 5 assumes X of full row rank and concludes only "global minimum or a saddle point"; that ' +
      'these are strict too, for any X, is derived. Kawaguchi 2016, abstract (read): "there is no bad saddle point ' +
      'for the shallow networks (with three layers)"',
    provenance: 'P/D',
  },
  hypotheses: [
    'exact critical points of every kind (global, S = {1..r} with r < r*, S with a gap) built by ' +
      'src/landscape/construct.ts, widths 1..4',
    'X whitened, conditioned or rank-deficient; all three loss scales',
    `a point counts as not global only when L − L* > ${CLEARLY_ABOVE}·τ_L (in between: inconclusive)`,
  ],
  instances: criticalInstanceArb({ depth: [2, 2], width: [1, 4] }),
  check: globalOrStrictVerdict,
  expected: 'holds',
  tolerance: `global: |L − L*| ≤ τ_L; L − L* > ${CLEARLY_ABOVE}·τ_L: λ_min < −τ_H with τ_H = γ·‖|H|‖_F`,
  runs: 150,
  summarize: summarizeCritical,
});

export const nrTwoLayerDegenerateThreeLayers: Claim<CriticalInstance> = defineClaim({
  ...nrTwoLayerDegenerate,
  id: 'nr.two-layer-degenerate.three-layers',
  title: 'FALSE: with three weight layers every critical point is still a global minimum or a strict saddle',
  statement:
    'FALSE variant: nr.two-layer-degenerate for L = ½‖W_3W_2W_1X − Y‖². Depth 3 has non-strict saddles: ' +
    'critical points with S = {1..r}, r < r*, whose Hessian is positive semidefinite (descent only at higher ' +
    'order; the origin is one when Σ_YX ≠ 0).',
  source: {
    paper: 'NR; Kawaguchi 2016',
    location:
      'FALSE variant (depth 3); Kawaguchi 2016, abstract (read): "there exist bad saddle points … for the deeper ' +
      'networks"',
    provenance: 'D',
  },
  hypotheses: ['exact critical points with S = {1..r}, r < r* (kind "top"), depth 3, widths 1..4'],
  instances: criticalInstanceArb({ depth: [3, 3], width: [1, 4], kinds: ['top'] }),
  expected: 'counterexample',
  runs: 200,
});

export const nrDeepOpenness: Claim<LayerTuple> = defineClaim({
  id: 'nr.deep-openness',
  title: 'Deep products: W ↦ W_h⋯W_1 is locally open at every non-degenerate W',
  statement:
    'If W = (W_h, …, W_1) is non-degenerate (rank W_h⋯W_1 = min_i d_i), then M_{h,1}(W) = W_h⋯W_1 is locally open ' +
    'at W onto its range {Z : rank Z ≤ min_i d_i}. Witness: for random targets Z in the range with ' +
    "‖Z − W_h⋯W_1‖ = δ, an explicit W' with W'_h⋯W'_1 = Z is at distance → 0 as δ → 0.",
  source: { paper: 'NR', location: 'NR 2018, Lemma 7 (read)', provenance: 'P' },
  hypotheses: [
    'depth h = 2..4, widths 1..4 (narrowest layer anywhere), layer conditions up to 10; half the tuples have a ' +
      'rank-deficient layer that keeps rank ≥ min_i d_i',
    `targets [W_h⋯W_1 + δG]_{d_p} for ${OPEN_TARGETS} Gaussian G, δ = 1e-2, 1e-5, 1e-8`,
    'fiber point: Gauss–Newton on the two factors at a narrowest layer p (open there, NR 2018 Theorem 3), lifted ' +
      'into W_h and W_1 by one-sided inverses of the inner partial products (src/landscape/deep-openness.ts)',
  ],
  instances: nonDegenerateTupleArb(),
  check: (instance) => deepOpennessVerdict(instance, true, OPEN_TARGETS),
  expected: 'holds',
  tolerance:
    `fiber distance at δ = 1e-8 ≤ ${DEEP_OPENNESS_BOUND}·(1 + Σ‖W_i‖), fiber points verified to ` +
    `${FIBER_RTOL}·(‖Z‖ + Π‖W'_i‖)`,
  runs: 30,
  summarize: (i) => ({ name: i.name, widths: [i.weights[0].cols, ...i.weights.map((w) => w.rows)] }),
});

export const nrDeepOpennessEverywhere: Claim<LayerTuple> = defineClaim({
  ...nrDeepOpenness,
  id: 'nr.deep-openness.everywhere',
  title: 'FALSE: W ↦ W_h⋯W_1 is locally open at every W',
  statement:
    'FALSE variant: Lemma 7 without non-degeneracy. At a degenerate tuple with a bottleneck of width b, outer layers ' +
    'of full rank and a middle layer of rank b − 1, targets of the full allowed rank b near the product need W_h ' +
    '(or W_1) to turn its range onto range Z: the fiber distance stays bounded away from 0.',
  source: {
    paper: 'NR',
    location:
      'NR 2018, Lemma 7 (read) with its hypothesis "non-degenerate" dropped (FALSE variant); the rigorous lower ' +
      'bound is derived',
    provenance: 'D',
  },
  hypotheses: [
    'depth 3..4, hidden widths all b ∈ {1, 2}, outer widths b + 1..b + 3, one middle layer of rank b − 1',
    "rigorous lower bound ‖(I − Π_Z)W_h‖ (and ‖W_1(I − Π_{Zᵀ})‖): rank Z = b forces range W_h' = range Z",
    `the same targets, ${NOT_OPEN_TARGETS} Gaussian G per tuple`,
  ],
  instances: degenerateTupleArb(),
  check: (instance) => deepOpennessVerdict(instance, false, NOT_OPEN_TARGETS),
  expected: 'counterexample',
  tolerance:
    `refuted when a target's rigorous lower bound on the fiber distance is ≥ ${DEEP_OPENNESS_BOUND}·(1 + Σ‖W_i‖) ` +
    'at every δ (an open point gives O(δ))',
  runs: 10,
});

const nonDegenerateCritical = criticalInstanceArb({
  depth: [2, 4],
  width: [1, 4],
  kinds: ['global', 'gap'],
  inputs: ['whitened', 'conditioned'],
  nonDegenerate: true,
});

export const nrDeepNonDegenerate: Claim<CriticalInstance> = defineClaim({
  id: 'nr.deep-non-degenerate',
  title: 'Deep networks, X of full row rank: every non-degenerate critical point is global or a saddle',
  statement:
    'Assume X is of full row rank. Every non-degenerate critical point (rank W_h⋯W_1 = min_i d_i) of ' +
    '½‖W_h⋯W_1X − Y‖² is either a saddle (not a local minimum) or a global minimum.',
  source: {
    paper: 'NR',
    location:
      'NR 2018, Lemma 8 (read). The check demands a certificate that a non-global point is not a local minimum ' +
      '(negative curvature or a descent curve); that one exists for every such point is derived (non-degenerate ' +
      'saddles are strict: a kept direction rotated toward a larger discarded one), so a point without one fails',
    provenance: 'P/D',
  },
  hypotheses: [
    'exact critical points built by src/landscape/construct.ts with |S| = min_i d_i: global (S = {1..d_p}) and, ' +
      'where rank Q > min_i d_i, index sets with a gap; residual chains, random factors and gauges; depth 2..4, ' +
      'widths 1..4',
    'X whitened or conditioned (full row rank); all three loss scales',
    `not global (L − L* > ${CLEARLY_ABOVE}·τ_L) must be certified not a local minimum: λ_min < −τ_H, or a descent ` +
      "curve from the classifier's probe",
  ],
  instances: nonDegenerateCritical,
  check: globalOrSaddleVerdict,
  expected: 'holds',
  tolerance: `global: |L − L*| ≤ τ_L; L − L* > ${CLEARLY_ABOVE}τ_L: λ_min < −τ_H (τ_H = γ‖|H|‖_F) or a descent curve`,
  runs: 30,
  summarize: summarizeCritical,
});

export const nrDeepNonDegenerateGlobal: Claim<CriticalInstance> = defineClaim({
  ...nrDeepNonDegenerate,
  id: 'nr.deep-non-degenerate.global',
  title: 'FALSE: every non-degenerate critical point is a global minimum',
  statement:
    'FALSE variant: with X of full row rank, every non-degenerate critical point of ½‖W_h⋯W_1X − Y‖² is a global ' +
    'minimum (Lemma 8 without its saddle alternative; the abstract\'s "non-degenerate local optima are global" read ' +
    'as a statement about critical points). Index sets with a gap, |S| = min_i d_i, are non-degenerate saddles.',
  source: {
    paper: 'NR',
    location:
      'NR 2018, Lemma 8 (read) with "either a saddle or" dropped (FALSE variant). Dropping a hypothesis instead ' +
      'leaves "every local minimum is global" for the deep square loss (recalled, no counterexample to certify), ' +
      'and non-degenerate saddles are strict here (derived: a kept direction rotated toward a larger discarded one)',
    provenance: 'D',
  },
  hypotheses: [
    'exact critical points built by src/landscape/construct.ts with index sets with a gap, |S| = min_i d_i (where ' +
      'rank Q > min_i d_i; global points otherwise); depth 2..4, widths 1..4; X whitened or conditioned',
    `refuted where L − L* > ${CLEARLY_ABOVE}·τ_L at a non-degenerate point; no Hessian is needed`,
  ],
  instances: criticalInstanceArb({
    depth: [2, 4],
    width: [1, 4],
    kinds: ['gap'],
    inputs: ['whitened', 'conditioned'],
    nonDegenerate: true,
  }),
  check: globalOnlyVerdict,
  expected: 'counterexample',
  tolerance: `|L − L*| ≤ τ_L at every point; refuted only where L − L* > ${CLEARLY_ABOVE}·τ_L`,
  runs: 10,
});

export const nrIclr18Example: Claim<Iclr18Moves> = defineClaim({
  id: 'nr.iclr18-example',
  title: 'The ICLR-2018 "non-global local minimum" is a non-strict saddle',
  statement:
    'X = I, Y = diag(0, 1), W_3 = [1; 0], W_2 = [0], W_1 = [1 0] is a critical point with a PSD Hessian but NOT a ' +
    'local minimum: along W_3 = [1; t], W_2 = [t²], W_1 = [1, t] the loss is ½(1 − t⁴ + 2t⁶ + t⁸) < ½. A checker ' +
    'that calls a point a local minimum must survive higher-order curves.',
  source: {
    paper: 'NR',
    location:
      'NR 2018, Section 1 (read) states this point as "a local optimum of 3-layer deep linear model … that is not ' +
      'global"; that it is a non-strict saddle and not a local minimum is derived (THEORY §3 regression)',
    provenance: 'D',
  },
  hypotheses: [
    'also moved by symmetries that keep every statement: orthogonal changes of input, output and sample bases, gauge ' +
      'W_3 → cW_3, W_1 → c⁻¹W_1; all three loss scales',
  ],
  instances: iclr18MovesArb,
  check: iclr18Verdict,
  expected: 'holds',
  tolerance: 'exact identities at τ_g, τ_H, τ_L; the probe confirms order-4 descent by direct evaluation',
  runs: 24,
  summarize: (i) => i,
});

export const nrIclr18SecondOrderTest: Claim<Iclr18Moves> = defineClaim({
  ...nrIclr18Example,
  id: 'nr.iclr18-example.second-order-test',
  title: 'FALSE: critical + PSD Hessian ⇒ local minimum',
  statement:
    'FALSE variant: a critical point whose Hessian is positive semidefinite is a local minimum (no nearby point has ' +
    'lower loss). The ICLR-2018 example refutes it at t = 0.3 on its curve.',
  source: { paper: 'NR', location: 'second-order test misused (FALSE variant, derived)', provenance: 'D' },
  check: secondOrderTestVerdict,
  expected: 'counterexample',
  runs: 4,
});

export const nrClaims: Claim<any>[] = [
  nrLocalOpenness,
  nrLocalOpennessEverywhere,
  nrLocalOpennessExamples,
  nrSymmetricOpenness,
  nrSymmetricOpennessLinearRate,
  nrOpenComposition,
  nrOpenCompositionWithoutOpenness,
  nrBurerMonteiro,
  nrBurerMonteiroAsymmetric,
  nrTwoLayerGlobal,
  nrTwoLayerNoProjection,
  nrTwoLayerDegenerate,
  nrTwoLayerDegenerateThreeLayers,
  nrDeepOpenness,
  nrDeepOpennessEverywhere,
  nrDeepNonDegenerate,
  nrDeepNonDegenerateGlobal,
  nrIclr18Example,
  nrIclr18SecondOrderTest,
];
