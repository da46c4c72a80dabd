import { checkBottleneck, checkDlnPl, DLN_PL_GD_EVERY, DLN_PL_GD_STEPS } from '../src/acgh/deficiency-margin.js';
import { checkDescent } from '../src/acgh/descent.js';
import { checkIdentityInit, IDENTITY_INIT } from '../src/acgh/identity-init.js';
import { type DescentInstance, descentInstanceArb, summarizeDescentInstance } from '../src/arbitraries/acgh-descent.js';
import {
  type BottleneckInstance,
  bottleneckInstanceArb,
  DLN_PL_ETAS,
  type DlnPlInstance,
  dlnPlInstanceArb,
  summarizeBottleneck,
  summarizeMargin,
} from '../src/arbitraries/deficiency-margin.js';
import {
  type IdentityInitInstance,
  identityInitInstanceArb,
  summarizeIdentityInit,
} from '../src/arbitraries/identity-init.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';

/**
 * Sanjeev Arora, Nadav Cohen, Noah Golowich, Wei Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
 * Neural Networks", International Conference on Learning Representations (ICLR 2019); arXiv:1810.02281.
 *
 * THEORY §2: gradient descent on a deep linear network with whitened data converges at a linear rate from a
 * balanced start with a deficiency margin. In the paper's order: the descent inequality behind Theorem 1, the
 * deficiency-margin bound on the gradient read as a Rayleigh quotient (with the bottleneck that rules a margin
 * out), and the identity-initialization counterexample of Claims 4/5. Loss scale "mean" with Λ_xx = XXᵀ/m = I for
 * acgh.descent (L¹(W) = ½‖W − Φ‖² + const, Φ = YXᵀ/m), scale "half" with f = W_{N:1} for the margin claims.
 * The machinery lives in src/acgh and src/arbitraries.
 */

const DLN_HYPOTHESES = [
  'square layers d×d, d ≤ 3, depth 2 ≤ N ≤ 4, f_θ = W_{N:1}, ℓ = ½‖W_{N:1} − Φ‖² (scale "half")',
  'Φ with σ_max = 1, σ_min(Φ) = 10^{−q/4}, q ≤ 4; deficiency margin c = γσ_min(Φ), γ ∈ {¼, ½, ¾}; ‖A(0) − Φ‖_F = u(σ_min − c), u ∈ {¼, ½, ¾}',
  'layers balanced by ACGH Procedure 1 (random orthonormal frames)',
];

export const acghClaims: Claim<any>[] = [
  defineClaim({
    id: 'acgh.descent',
    title: 'One GD step decreases the loss by at least (η/2)σ_min^{2(N−1)/N}‖∇L¹‖²',
    statement:
      'Whitened data (Λ_xx = I), scale "mean", square layers, a start with deficiency margin c (‖W(0) − Φ‖_F ≤ σ_min(Φ) − c), δ-balanced with ' +
      'δ ≤ c²/(256N³‖Φ‖_F^{2(N−1)/N}), η ≤ c^{(4N−2)/N}/(6144N³‖Φ‖_F^{(6N−4)/N}): every GD step satisfies ' +
      'L(t+1) ≤ L(t) − (η/2)σ_min(W(t))^{2(N−1)/N}‖∇L¹(W(t))‖²_F.',
    source: {
      paper: 'ACGH',
      location:
        'Lemma 1 (descent inequality), under the conditions of Theorem 1: read in the ICLR 2019 text, whose copy ' +
        'had its displayed formulas stripped (the ½ "only appears due to discretization" and λ_min(P) ≥ ' +
        'σ_min^{2(N−1)/N} are read in the proof) [P]; the displayed inequality and the constants 256 and 6144 are ' +
        "recalled from a lecture's restatement, not read in the paper [M]",
      provenance: 'P/M',
    },
    hypotheses: [
      'd_0 = d_1 = … = d_N = d ≤ 4 (square layers, no bottleneck), 1 ≤ N ≤ 4',
      'whitened inputs: XXᵀ/m = I; Φ = YXᵀ/m with σ_max = 1, σ_min(Φ) ≥ 0.1',
      'deficiency margin c = γσ_min(Φ), γ ∈ {1/4, 1/2, 3/4}; ‖W(0) − Φ‖_F = u(σ_min(Φ) − c), u ∈ {1/4, 1/2, 3/4}',
      "balanced (ACGH Procedure 1) or δ-balanced with δ ≤ half of ACGH's bound",
      "η = ACGH's largest allowed step; 8 consecutive steps checked",
    ],
    instances: descentInstanceArb(),
    check: (i: DescentInstance) => checkDescent(i),
    expected: 'holds',
    tolerance:
      'measured = achieved/promised decrease ≥ 1 − 2·allowance/P, allowance = 4ε(N+m+2)/(2m)·(Π‖W_j‖_F‖X‖_F + ‖Y‖_F)² per loss value (round-off ' +
      'of the product, the residual and the sum of squares); the margin is how far above 1 the achieved ratio is.',
    runs: 300,
    summarize: summarizeDescentInstance,
  }),
  defineClaim({
    id: 'acgh.dln-pl',
    title: 'Balanced square DLN: R_θ ≥ N s_min(A)^{2(N−1)/N}, along the flow and along GD',
    statement:
      'For a balanced deep linear network with square layers and ℓ = ½‖A − Φ‖², A = W_{N:1}: R_θ(g) ≥ N s_min(A)^{2(N−1)/N}, so ‖∇L‖² ≥ 2N s_min(A)^{2(N−1)/N}L; ' +
      'with a deficiency margin c (‖A(0) − Φ‖_F ≤ σ_min(Φ) − c) this is a PL inequality ‖∇L‖² ≥ 2Nc^{2(N−1)/N}L along the whole flow. Discrete GD violates ' +
      'the first inequality only by its O(η²) balancedness drift',
    source: {
      paper: 'ACGH',
      location:
        "derived: ACGH's deficiency-margin argument (‖∇L‖² ≥ 2N s_min(A)^{2(N−1)/N}L along balanced flows, s_min(A) ≥ c), " +
        'read as the Rayleigh quotient of the balanced kernel (THEORY §2 metric.tangent); formerly filed as rsl.dln-pl',
      provenance: 'D',
    },
    hypotheses: [
      ...DLN_HYPOTHESES,
      `GD with η = η_rel/λ_max(K_θ(0)), η_rel ∈ {${DLN_PL_ETAS.join(', ')}}, ≤ ${DLN_PL_GD_STEPS} steps, checked every ${DLN_PL_GD_EVERY}th step; the flow at every accepted step; both until L < 1e3·ε·L_0`,
    ],
    instances: dlnPlInstanceArb(),
    check: (i: DlnPlInstance) => checkDlnPl(i),
    expected: 'holds',
    tolerance:
      'R ≥ bound − τ, τ = 2κ_N·max_j‖C_j‖_F + round-off of R; κ_N = N(N−1)/2·(s_max/s_min)^{2/N}·s_min^{2(N−2)/N} (first-order effect of the balancedness defect on λ_min(K): ' +
      "[D] for N = 2, a validated model for N ≥ 3, ×2 for second order); GD's defect is measured, it grows by η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) per step; PL margin: 1e-9 relative",
    runs: 20,
    summarize: (i: DlnPlInstance) => summarizeMargin(i),
  }),
  defineClaim({
    id: 'acgh.dln-pl.bottleneck',
    title: 'FALSE: a deficiency margin (and the PL inequality) exists for any widths',
    statement:
      'For the DLN loss ½‖W_{N:1} − Φ‖² with any widths there is a start with deficiency margin c = σ_min(Φ) − ‖A(0) − Φ‖_F > 0, and then ‖∇L‖² ≥ 2Nc^{2(N−1)/N}L along ' +
      'the flow (FALSE: a hidden width w < rank Φ gives ‖A − Φ‖_F ≥ (Σ_{a>w}σ_a²)^{1/2} ≥ σ_min(Φ) for every product A)',
    source: {
      paper: 'ACGH',
      location: "FALSE variant of acgh.dln-pl, derived (ACGH's deficiency margin needs no bottleneck)",
      provenance: 'D',
    },
    hypotheses: [
      'Φ d×d of full rank, d ≤ 3, σ_a = 10^{−a/4}',
      'widths [d, w, d, …, d], w ≤ 3, 2 ≤ N ≤ 4',
      'start: the best rank-min(w, d) approximation of Φ + Δ (‖Δ‖_F = ¼σ_min), balanced',
    ],
    instances: bottleneckInstanceArb(),
    check: (i: BottleneckInstance) => checkBottleneck(i),
    expected: 'counterexample',
    tolerance:
      'margin c > 0 (Eckart–Young makes the best attainable margin exact); with no bottleneck also inf ‖∇L‖²/L ≥ 2Nc^{2(N−1)/N}(1 − 1e-9) along the flow',
    runs: 100,
    summarize: summarizeBottleneck,
  }),
  defineClaim({
    id: 'acgh.descent.claim5',
    title: 'FALSE: GD from the identity initialization converges to the global minimum',
    statement:
      'N even, square layers, W_j(0) = I, whitened data, Φ symmetric: gradient descent with a small step converges to the global minimum (L → 0). ' +
      'FALSE when Φ has a negative eigenvalue λ_neg: the product stays PSD and L stays ≥ ½Σλ_neg².',
    source: {
      paper: 'ACGH',
      location:
        'negation of convergence from the identity; Claim 5 (read): 0-balanced, non-stationary starts from which GD ' +
        'fails under any step (even depth, equal widths); "a target with a negative eigenvalue" is recalled from ' +
        'its appendix, not read',
      provenance: 'D',
    },
    hypotheses: [
      'd ≤ 3, N ∈ {2, 4}',
      'W_j(0) = I for every layer',
      'Φ symmetric with eigenvalues in ±{0.5, 1, 1.5, 2}',
      `η = ${IDENTITY_INIT.eta}, T = ${IDENTITY_INIT.steps} steps (time 200: a positive-definite Φ converges to round-off)`,
    ],
    instances: identityInitInstanceArb(),
    check: (i: IdentityInitInstance) => checkIdentityInit(i),
    expected: 'counterexample',
    tolerance:
      'L(T) ≤ 1e-10·(1 + ½‖Φ‖²); a converging run reaches round-off (≈ 1e-30), a stuck one stays at ½Σλ_neg² ≥ 0.125.',
    runs: 50,
    summarize: summarizeIdentityInit,
  }),
];
