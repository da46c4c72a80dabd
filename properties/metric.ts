import { type MetricInstance, metricInstanceArb, summarizeMetricInstance } from '../src/arbitraries/metric.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import {
  checkCompleteness,
  checkPositiveDefinite,
  checkRiemannianGradient,
  checkSvdForm,
  checkTangent,
  euclideanProjection,
  type RiemannianGradientOptions,
  type SvdFormOptions,
  type TangentOptions,
} from '../src/flow/index.js';

/**
 * The metric of the balanced deep-linear-network flow: the operator A_W(Z) = Σ_{j=1}^{N} (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N},
 * its SVD form, its behaviour on the fixed-rank manifold M_k, the Riemannian gradient it defines and the
 * incompleteness of (M_k, g).
 *
 * B. Bah, H. Rauhut, U. Terstiege, M. Westdickenberg, "Learning deep linear neural networks: Riemannian gradient flows
 * and convergence to global minimizers", Information and Inference: A Journal of the IMA 11(1):307–353, 2022;
 * arXiv:1910.05505 (BRTW). S. Arora, N. Cohen, E. Hazan, "On the optimization of deep networks: implicit
 * acceleration by overparameterization", ICML 2018; arXiv:1802.06509 (ACH).
 *
 * The checks live in src/flow/metric-*.ts, with their error models; each takes its operator A_W (and the closed form
 * of c_ab) as an injectable function, so a test can feed a deliberately wrong one and see the claim fail.
 */

export function svdFormClaim(options: SvdFormOptions = {}): Claim<MetricInstance> {
  return defineClaim({
    id: 'metric.svd-form',
    title: 'A_W is diagonal in the SVD basis of W with coefficients c_ab',
    statement:
      'With the full SVD W = ŨΣ̃Ṽᵀ (σ_a := 0 beyond rank k) and Z̃ = ŨᵀZṼ: (ŨᵀA_W(Z)Ṽ)_ab = c_ab Z̃_ab, ' +
      'c_ab = Σ_{j=1}^{N} σ_a^{2(N−j)/N} σ_b^{2(j−1)/N} (0^0 := 1). Closed forms: σ_a ≠ σ_b > 0: (σ_a² − σ_b²)/(σ_a^{2/N} − σ_b^{2/N}); ' +
      'σ_a = σ_b > 0: Nσ_a^{2(N−1)/N}; exactly one of σ_a, σ_b zero: the other to the power 2(N−1)/N; both zero: 0 (N ≥ 2), 1 (N = 1).',
    source: {
      paper: 'ACH',
      location: 'A_W of the end-to-end dynamics in SVD coordinates (lecture-note form); closed forms derived',
      provenance: 'P',
    },
    hypotheses: [
      'W ∈ R^{d_N×d_0} of rank k ≥ 1 (full rank or rank-deficient), any depth N ≥ 1',
      'A_W(Z) evaluated as the explicit sum of rank-truncated PSD powers (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N}, A^0 := I',
      'σ_1/σ_k ≤ 100 (the Gram-eigen power path truncates σ ≤ 1e-5·σ_1)',
    ],
    instances: metricInstanceArb(),
    check: (i) => checkSvdForm(i, options),
    expected: 'holds',
    tolerance:
      'Identity: 2ε(‖lhs‖+‖rhs‖+scale), scale = (m+n)(Nκ²+2)·‖A_W‖·‖Z‖ (explicit powers amplify Gram round-off by ≤ κ²). ' +
      'Closed forms: 8ε(N + max(x,y)/|x−y|)·|c| (cancellation in the difference quotient).',
    runs: 300,
    summarize: summarizeMetricInstance,
  });
}

const tangentStatement =
  'For W ∈ M_k (rank exactly k) and N ≥ 2, A_W is self-adjoint and PSD on R^{d_N×d_0}; its kernel is the normal space {Ũ_⊥CṼ_⊥ᵀ} ' +
  'and its range the tangent space T_W M_k = {ξ : Ũ_⊥ᵀξṼ_⊥ = 0} of dimension k(d_0 + d_N − k); on T_W M_k its smallest eigenvalue is ' +
  'σ_k^{2(N−1)/N} when k < max(d_0, d_N) and Nσ_k^{2(N−1)/N} when W is square invertible.';

export function tangentClaim(options: TangentOptions = {}): Claim<MetricInstance> {
  return defineClaim({
    id: 'metric.tangent',
    title: 'A_W is PSD with kernel = normal space and range = tangent space of M_k',
    statement: tangentStatement,
    // THEORY tags this [P/D]: A_W on the fixed-rank manifold is BRTW's ('P'); the kernel, range and λ_min statements
    // are derived from the SVD form ('D').
    source: {
      paper: 'BRTW',
      location: 'derived from the SVD form of A_W (metric.svd-form); context: A_W on the fixed-rank manifold',
      provenance: 'P/D',
    },
    hypotheses: [
      'W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4',
      'N ≥ 2 (for N = 1, A_W = I and the normal space is not its kernel)',
      'σ_1/σ_k ≤ 100',
      'A_W evaluated by the explicit sum of powers',
    ],
    instances: metricInstanceArb({ depth: [2, 5] }),
    check: (i) => checkTangent(i, options),
    expected: 'holds',
    tolerance:
      'τ = √(mn)·δ_op + 4·mn·ε·‖A_W‖ with δ_op = 2ε(m+n)Nκ²‖A_W‖ (explicit-sum error per unit input, summed over the mn columns of the ' +
      'operator matrix, plus the symmetric eigensolver): eigenvalues within τ of 0 count as 0; λ_min on T within τ + 2(m+n)εκ·λ_min.',
    runs: 200,
    summarize: summarizeMetricInstance,
  });
}

export const tangentPositiveDefiniteClaim = defineClaim({
  id: 'metric.tangent.positive-definite',
  title: 'FALSE: A_W is positive definite on all of R^{d_N×d_0}',
  statement:
    'For every W ∈ M_k (k ≥ 1, any k ≤ min(d_0, d_N)) and N ≥ 2, A_W is positive definite on all of R^{d_N×d_0}. FALSE when W is rank-deficient: the normal space is its kernel.',
  source: {
    paper: 'BRTW',
    location: 'FALSE variant of metric.tangent (kernel = normal space ≠ {0} when k < min(d_0, d_N))',
    provenance: 'D',
  },
  hypotheses: ['W ∈ M_k with k ≥ 1, full rank or rank-deficient', 'N ≥ 2'],
  instances: metricInstanceArb({ depth: [2, 5] }),
  check: (i: MetricInstance) => checkPositiveDefinite(i),
  expected: 'counterexample',
  tolerance:
    'λ_min(A_W) must exceed the round-off level τ of metric.tangent; a rank-deficient W has λ_min = 0 up to τ.',
  runs: 100,
  summarize: summarizeMetricInstance,
});

export function riemannianGradientClaim(options: RiemannianGradientOptions = {}): Claim<MetricInstance> {
  return defineClaim({
    id: 'metric.riemannian-gradient',
    title: 'A_W(∇L¹) is the Riemannian gradient of L¹|M_k for g_W',
    statement:
      'For depth N ≥ 2, with g_W(ξ, η) := ⟨A_W^{-1}ξ, η⟩ on T_W M_k: A_W∇L¹(W) ∈ T_W M_k and g_W(A_W∇L¹(W), ξ) = ⟨∇L¹(W), ξ⟩ = DL¹(W)[ξ] ' +
      'for every ξ ∈ T_W M_k; so the balanced DLN flow is the Riemannian gradient flow of L¹ on (M_k, g), k = rank W(0).',
    // THEORY tags this [P/D]: BRTW state that the balanced flow is a Riemannian gradient flow on M_k (abstract); the
    // SVD-coordinate identity is derived. 'P' for the stated part.
    source: {
      paper: 'BRTW',
      location: 'the DLN flow as a Riemannian gradient flow on M_k (abstract); the SVD-coordinate identity is derived',
      provenance: 'P/D',
    },
    hypotheses: [
      'W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4, depth 2 ≤ N ≤ 5 (N = 1 is the FALSE variant .depth-one)',
      'ξ ∈ T_W M_k (tangent projection of a Gaussian matrix)',
      'L¹(W) = ½‖WX − Y‖² (scale "half"), Gaussian X, Y',
      'σ_1/σ_k ≤ 100',
    ],
    instances: metricInstanceArb({ depth: [2, 5] }),
    check: (i) => checkRiemannianGradient(i, options),
    expected: 'holds',
    tolerance:
      'Tangency: ‖P_N A_W∇L¹‖ ≤ 16ε(m+n)κ‖A_W∇L¹‖. Identity: 8ε(|lhs|+|rhs|+scale), scale = (m+n)·cond(A_W|T)·(2+2Nκ²)·‖∇L¹‖‖ξ‖. Derivative: Taylor-remainder test of t ↦ L¹([W+tξ]_k) ' +
      '(slope 2 over ≥ 2 decades above the measured round-off floor; fail on a slope-1 defect of relative size ≥ 1e-9).',
    runs: 150,
    summarize: summarizeMetricInstance,
  });
}

export const riemannianGradientDepthOneClaim = defineClaim({
  ...riemannianGradientClaim(),
  id: 'metric.riemannian-gradient.depth-one',
  title: 'FALSE: for N = 1 too, A_W∇L¹ = ∇L¹ is the Riemannian gradient of L¹ on M_k (the flow stays on M_k)',
  statement:
    'metric.riemannian-gradient at depth N = 1. FALSE when k < min(d_0, d_N): A_W = I, so A_W∇L¹ = ∇L¹ has a normal component Ũ_⊥ᵀ∇L¹Ṽ_⊥ ≠ 0 and ' +
    'the flow leaves M_k at once; the identity g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩ for tangent ξ still holds, so only tangency refutes it.',
  source: {
    paper: 'BRTW',
    location:
      'FALSE variant of metric.riemannian-gradient (N = 1: no balanced factorization constrains the rank); derived',
    provenance: 'D',
  },
  hypotheses: [
    'W ∈ M_k, k ≥ 1, 2 ≤ d_0, d_N ≤ 4 (rank-deficient in most draws), N = 1',
    'L¹(W) = ½‖WX − Y‖², Gaussian X, Y',
  ],
  instances: metricInstanceArb({ depth: [1, 1], rows: [2, 4], cols: [2, 4] }),
  expected: 'counterexample',
  runs: 50,
});

export const riemannianGradientEuclideanClaim = defineClaim({
  ...riemannianGradientClaim({ operator: euclideanProjection }),
  id: 'metric.riemannian-gradient.euclidean',
  title: 'FALSE: the Euclidean Riemannian gradient P_T∇L¹ is the gradient of L¹|M_k for g_W (N ≥ 2)',
  statement:
    'g_W(P_T∇L¹(W), ξ) = ⟨∇L¹(W), ξ⟩ for every ξ ∈ T_W M_k, N ≥ 2: the balanced flow would be the projected Euclidean gradient flow on M_k. ' +
    'FALSE: P_T∇L¹ is tangent, but g_W rescales it by A_W^{-1} (coefficients c_ab = Σ_j σ_a^{2(N−j)/N}σ_b^{2(j−1)/N} ≠ 1), so the identity fails.',
  source: {
    paper: 'BRTW',
    location: 'FALSE variant of metric.riemannian-gradient (the Euclidean metric in place of g_W); derived',
    provenance: 'D',
  },
  hypotheses: ['W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4, depth 2 ≤ N ≤ 5', 'P_T∇L¹ in place of A_W∇L¹'],
  expected: 'counterexample',
  runs: 50,
});

export const completenessClaim = defineClaim({
  id: 'metric.completeness',
  title: '(M_k, g) is incomplete for N ≥ 2: σ_k reaches 0 at finite g-length',
  statement:
    'The g-length of the curve shrinking σ_k from s to 0 along u_kv_kᵀ (other factors fixed) is √N s^{1/N}: finite, so (M_k, g) is incomplete for every ' +
    'N ≥ 2; N = 1 gives the Euclidean length s.',
  source: {
    paper: 'BRTW',
    location: 'derived from the SVD form of g_W (c_kk = Nσ_k^{2(N−1)/N} along ũ_kṽ_kᵀ)',
    provenance: 'D',
  },
  hypotheses: [
    'W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4, depth 1 ≤ N ≤ 5',
    'curve σ_k(t) = s − t, t ∈ [0, s], built from the SVD factors (full relative precision of σ_k near 0)',
  ],
  instances: metricInstanceArb(),
  check: (i: MetricInstance) => checkCompleteness(i),
  expected: 'holds',
  tolerance:
    'relative 10·1e-12 (tanh-sinh level agreement) + neglected end pieces + 16(m+n)ε (round-off of g_W at each node)',
  runs: 200,
  summarize: summarizeMetricInstance,
});

/** The metric claims of THEORY §2, in THEORY's order, FALSE variants after their claim. */
export const metricClaims: Claim<any>[] = [
  svdFormClaim(),
  tangentClaim(),
  tangentPositiveDefiniteClaim,
  riemannianGradientClaim(),
  riemannianGradientDepthOneClaim,
  riemannianGradientEuclideanClaim,
  completenessClaim,
];
