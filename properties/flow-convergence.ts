import {
  type FlowInstance,
  fullRankDataArb,
  gaussianNetworkArb,
  type LimitInstance,
  limitInstanceArb,
  rankOneAlignedStartArb,
  type SaddleInstance,
  type StepInstance,
  saddleInstanceArb,
  stepNetworkArb,
  summarizeFlowInstance,
  twoLayerLimitArb,
} from '../src/arbitraries/flows.js';
import type { Claim } from '../src/claims/claim.js';
import { defineClaim } from '../src/claims/claim.js';
import {
  checkConvergesCritical,
  checkGdMonotone,
  checkLimitGlobal,
  checkLimitOptimal,
  checkLossMonotone,
  checkSaddleStableManifold,
  GLOBAL_CONFIRM_CHUNKS,
  LIMIT_TMAX,
  LIMIT_TOLERANCE,
  MONOTONE_T,
  TAIL_FRACTION,
  TAIL_START,
} from '../src/flow/index.js';

/** Why BRTW's statements beyond the abstract are [M] here. */
const NOT_READ =
  'only the abstract and the opening of the introduction of arXiv:1910.05505 could be read (no theorem number)';

/**
 * Where the gradient flow of a deep linear network goes: the loss decreases, the trajectory converges to a critical
 * point, and for almost every initialization its limit is the global minimizer on the manifold M_k of its rank.
 *
 * B. Bah, H. Rauhut, U. Terstiege, M. Westdickenberg, "Learning deep linear neural networks: Riemannian gradient flows
 * and convergence to global minimizers", Information and Inference: A Journal of the IMA 11(1):307–353, 2022;
 * arXiv:1910.05505 (BRTW). Only the abstract was read; what it states is cited as such, the rest is [D] or [M].
 *
 * The checks live in src/flow/loss-monotone.ts, convergence.ts, limit.ts and saddle.ts, with their error models.
 */

export const flowLossMonotone: Claim<FlowInstance> = defineClaim({
  id: 'flow.loss-monotone',
  title: 'The loss never increases along gradient flow',
  statement: 'dL/dt = −Σ_j‖∇_{W_j}L‖_F² ≤ 0 along gradient flow: L(W(t)) is non-increasing.',
  source: {
    paper: 'BRTW',
    location: 'derived: chain rule along dW_j/dt = −∇_{W_j}L (THEORY §2 flow.loss-monotone)',
    provenance: 'D',
  },
  hypotheses: ['gradient flow of L = ½‖W_{N:1}X − Y‖² (scale "half")', 'any depth N ≥ 1 and initialization'],
  instances: gaussianNetworkArb({ depth: [1, 4], width: [1, 4], samples: [1, 5] }),
  check: (instance) => checkLossMonotone(instance),
  expected: 'holds',
  tolerance: `each increment L(t_{i+1}) − L(t_i) along RK4 (T = min(${MONOTONE_T}, 16/L)) must be ≤ twice the Richardson estimate of the integrator error at both ends plus round-off.`,
  runs: 100,
  summarize: summarizeFlowInstance,
});

export const flowLossMonotoneLargeStep: Claim<StepInstance> = defineClaim({
  id: 'flow.loss-monotone.large-step',
  title: 'FALSE: gradient descent never increases the loss, whatever the step',
  statement: 'FALSE variant: GD with any step η keeps L non-increasing (true only for η below ≈ 2/local smoothness).',
  source: {
    paper: 'BRTW',
    location: 'FALSE variant of flow.loss-monotone (THEORY §2): the discrete analogue needs a step condition',
    provenance: 'D',
  },
  hypotheses: ['GD with η = 2^e, e ∈ {0..4} (shrinks toward η = 1)', '10 steps'],
  instances: stepNetworkArb({ depth: [1, 3], width: [1, 3], samples: [1, 3] }, [0, 4]),
  check: checkGdMonotone,
  expected: 'counterexample',
  tolerance: 'round-off of the loss only: 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²) per increment.',
  runs: 50,
  summarize: (i) => summarizeFlowInstance(i, { eta: i.eta }),
});

export const flowConvergesCritical: Claim<FlowInstance> = defineClaim({
  id: 'flow.converges-critical',
  title: 'With XXᵀ of full rank, the trajectory of the factors converges (to a critical point)',
  statement:
    'If XXᵀ has full rank, for every initialization the factors stay bounded and the trajectory W(t) converges (finite length: its tail after ‖∇L‖ is small ' +
    'is short), to a point where ∇L = 0.',
  source: {
    paper: 'BRTW',
    location:
      'abstract (read): "the flow always converges to a critical point of the underlying functional"; the ' +
      `hypothesis XXᵀ of full rank is recalled from the theorem, not read (${NOT_READ}); a third-party note ` +
      'citing the arXiv v4 HTML numbers it Theorem 5 ("full-rank data condition"; secondary, unconfirmed); THEORY §2',
    provenance: 'P/M',
  },
  hypotheses: [
    'XXᵀ of full rank (condition number ≤ 3.2 here, well conditioned so that convergence is fast)',
    'any initialization (Gaussian, scale 1, unbalanced)',
    'L = ½‖W_{N:1}X − Y‖²',
  ],
  instances: fullRankDataArb(),
  check: checkConvergesCritical,
  expected: 'holds',
  tolerance:
    '‖∇L(T)‖ ≤ 1e−4·‖∇L(0)‖ at the end of a run (stopped at 1e−6 or T = 400) — a convergence tolerance, not round-off (near a limit of lower rank, N ≥ 3, the decay is algebraic); ' +
    `not reached with bounded factors ⇒ inconclusive, unbounded (‖W‖ > 1e3·max(1,‖W(0)‖)) ⇒ fail. Cauchy tail: length after ‖∇L‖ ≤ ${TAIL_START}‖∇L(0)‖ ≤ ${TAIL_FRACTION}·max(1,‖W(T)‖); ` +
    'longer with shrinking increments ⇒ inconclusive.',
  runs: 60,
  summarize: summarizeFlowInstance,
});

export const flowLimitOptimalOnMk: Claim<LimitInstance> = defineClaim({
  id: 'flow.limit-optimal-on-Mk',
  title: 'The limit of the flow is the rank-k optimum [Q]_k(XXᵀ)^{−1/2}',
  statement:
    'For almost every initialization the limit product W* minimizes L¹ on M_k, k = rank W*: W* = [Q]_k(XXᵀ)^{−1/2}, Q = YXᵀ(XXᵀ)^{−1/2}.',
  source: {
    paper: 'BRTW',
    location:
      'abstract (read): "for almost all initializations, the flow converges to a global minimum on the manifold of ' +
      'rank k matrices for some k ≤ r"; the closed form [Q]_k(XXᵀ)^{−1/2} of that minimum is derived (Eckart–Young ' +
      'after whitening); theorem number not read (a third-party note citing the arXiv v4 HTML gives Theorem 38; ' +
      'secondary, unconfirmed); THEORY §2',
    provenance: 'P/D',
  },
  hypotheses: [
    'XXᵀ = I (whitened, for fast convergence)',
    'σ(Q) distinct with ratio ≥ 1.5 (so [Q]_k is unique)',
    'small balanced start (σ ≤ 0.11) or unbalanced Gaussian start (entries N(0, 0.49/d_{ℓ−1}), generic), each at depths 2 and 3',
    'depth 2..3, widths ≤ 3',
  ],
  instances: limitInstanceArb(),
  check: checkLimitOptimal,
  expected: 'holds',
  tolerance:
    'convergence tolerance, not round-off: run until 2‖P_T∇L¹([W]_k)‖/μ ≤ 1e−7·max(1,‖W*_k‖) (μ = 1 − σ_{k+1}(Q)/σ_k(Q), the Eckart–Young curvature on M_k), then ‖[W]_k − W*_k‖_F must be ≤ that tolerance + 16·Σd·ε·‖W*_k‖; k = rank of W(T) at 1e−6 of the scale.',
  runs: 60,
  summarize: (i) => summarizeFlowInstance(i, { init: i.init }),
});

export const flowTwoLayerGlobal: Claim<LimitInstance> = defineClaim({
  id: 'flow.two-layer-global',
  title: 'Depth 2: for almost every initialization the limit is a global minimizer of L',
  statement:
    'For N = 2 and XXᵀ of full rank, for almost every initialization the flow converges to a global minimizer of L ' +
    'over all factors: its product is [Q]_r̄(XXᵀ)^{−1/2} with r̄ = min_j d_j (not only the optimum on M_k of its own ' +
    'limit rank k, as for N ≥ 3).',
  source: {
    paper: 'BRTW',
    location:
      `recalled as BRTW's result for N = 2 (not read: ${NOT_READ}; the abstract states only the general form ` +
      '"global minimum on M_k for some k ≤ r"); the gradient-descent analogue is in the abstract of Nguegnang, ' +
      'Rauhut, Terstiege, arXiv:2108.02040 ("for almost all initializations gradient descent converges to a global ' +
      'minimum in the case of two layers"), which extends the flow analysis',
    provenance: 'M',
  },
  hypotheses: [
    'depth N = 2, widths 1..3',
    'XXᵀ = I (whitened), σ(Q) distinct with ratio ≥ 1.5',
    'Gaussian (generic, unbalanced) start, entries N(0, 0.49/d_{ℓ−1})',
  ],
  instances: twoLayerLimitArb(),
  check: checkLimitGlobal,
  expected: 'holds',
  tolerance:
    `run until the tolerance of flow.limit-optimal-on-Mk at the rank read is ≤ ${LIMIT_TOLERANCE}·max(1,‖W*_k‖) ` +
    `for ${5 * GLOBAL_CONFIRM_CHUNKS} time units (T ≤ ${LIMIT_TMAX}, else inconclusive), then ` +
    '‖W(T) − [Q]_r̄(XXᵀ)^{−1/2}‖_F ≤ that tolerance + ‖W − [W]_k‖_F.',
  runs: 40,
  summarize: (i) => summarizeFlowInstance(i, { init: i.init }),
});

export const flowTwoLayerGlobalRankDeficient: Claim<LimitInstance> = defineClaim({
  id: 'flow.two-layer-global.rank-deficient-start',
  title: 'FALSE: at depth 2 every initialization, even a rank-deficient balanced one, ends at a global minimizer',
  statement:
    'flow.two-layer-global without "almost": the balanced start W_1 = W_2 = √c·u_1v_1ᵀ of rank 1 < r̄ also ends at ' +
    '[Q]_r̄(XXᵀ)^{−1/2}. FALSE: the flow keeps rank 1 and ends at [Q]_1 — the optimum on M_1 ' +
    '(flow.limit-optimal-on-Mk holds there), at distance (σ_2² + … + σ_r̄²)^{1/2} from the global minimizer.',
  source: {
    paper: 'BRTW',
    location: 'FALSE variant of flow.two-layer-global ("almost every" dropped); derived',
    provenance: 'D',
  },
  hypotheses: [
    'N = 2, X = I, Y = Q = diag(σ), σ_i = 2·0.6^i, d ∈ [2, 3], hidden width 2..3',
    'start √c·e_1e_1ᵀ in both layers (exact zeros elsewhere)',
  ],
  instances: rankOneAlignedStartArb(),
  check: checkLimitGlobal,
  expected: 'counterexample',
  tolerance: 'as flow.two-layer-global.',
  runs: 10,
  summarize: (i) => summarizeFlowInstance(i, { init: i.init }),
});

const summarize = (i: SaddleInstance): unknown =>
  summarizeFlowInstance(i, { direction: i.direction + 1, sigma: i.sigma });

export const flowSaddleStableManifold = defineClaim({
  id: 'flow.saddle-stable-manifold',
  title: 'A start on a saddle\'s stable manifold converges to the saddle: why BRTW say "almost all initializations"',
  statement:
    'With XXᵀ = I and Q = YXᵀ of distinct singular values, the balanced factorization of c·u_jv_jᵀ (j ≥ 2, c > 0) flows to σ_ju_jv_jᵀ, a critical ' +
    'point of L¹ on M_1 with L¹ − min_{M_1}L¹ = ½(σ_1² − σ_j²) > 0: such starts (a measure-zero set) miss the rank-1 optimum.',
  source: {
    paper: 'BRTW',
    location:
      'derived: the mechanism behind "for almost all initializations" (abstract); the stable manifold here is the invariant line through u_jv_jᵀ',
    provenance: 'D',
  },
  hypotheses: [
    'X = I, Y = Q = diag(σ), σ_i = 2·0.6^i, d ∈ [2, 3]',
    'depth 2..3, hidden widths 1..3',
    'start: balanced, coordinate-aligned factorization of c·e_je_jᵀ, c ∈ {0.1, 0.5, 2}·σ_j, j ≥ 2 (exact zeros elsewhere)',
  ],
  instances: saddleInstanceArb,
  check: checkSaddleStableManifold,
  expected: 'holds',
  tolerance:
    '‖W(T) − σ_je_je_jᵀ‖ ≤ 1e−6·σ_j after the flow reached ‖∇L‖ ≤ 1e−10·‖∇L(0)‖ (a convergence tolerance); the loss gap within 2σ_j·tol.',
  runs: 20,
  summarize,
});

export const flowLimitOptimalEveryStart = defineClaim({
  id: 'flow.limit-optimal-on-Mk.every-start',
  title: 'FALSE: from every initialization (not almost every) the flow ends at the rank-k optimum',
  statement:
    'flow.limit-optimal-on-Mk without "almost": every start, including the balanced factorization of c·u_jv_jᵀ (j ≥ 2), ends at [Q]_k(XXᵀ)^{−1/2} for its ' +
    'limit rank k. FALSE: that start stays on its invariant line and ends at σ_ju_jv_jᵀ (flow.saddle-stable-manifold), at distance √(σ_1² + σ_j²) from [Q]_1.',
  source: {
    paper: 'BRTW',
    location: 'FALSE variant of flow.limit-optimal-on-Mk ("almost all" dropped); derived',
    provenance: 'D',
  },
  hypotheses: ['the instances of flow.saddle-stable-manifold', 'the check of flow.limit-optimal-on-Mk'],
  instances: saddleInstanceArb,
  check: (i: SaddleInstance) => checkLimitOptimal(i),
  expected: 'counterexample',
  tolerance: 'as flow.limit-optimal-on-Mk: ‖[W]_k − W*_k‖ ≤ 2‖P_T∇L¹‖/μ + 16·Σd·ε·max(1, ‖W*_k‖)',
  runs: 10,
  summarize,
});

/** The convergence claims, in the order above. */
export const flowConvergenceClaims: Claim<any>[] = [
  flowLossMonotone,
  flowLossMonotoneLargeStep,
  flowConvergesCritical,
  flowLimitOptimalOnMk,
  flowTwoLayerGlobal,
  flowTwoLayerGlobalRankDeficient,
  flowSaddleStableManifold,
  flowLimitOptimalEveryStart,
];
