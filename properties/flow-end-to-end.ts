import {
  type BalancedInstance,
  balancedFullRankArb,
  balancedRankDeficientArb,
  type FlowInstance,
  type RankInstance,
  summarizeBalanced,
  summarizeFlowInstance,
  unbalancedFullRankArb,
  zeroFirstLayerArb,
} from '../src/arbitraries/flows.js';
import { describeOrderTest, ORDER_TEST } from '../src/check/order.js';
import type { Claim } from '../src/claims/claim.js';
import { defineClaim } from '../src/claims/claim.js';
import {
  checkEndToEndContinuous,
  checkEndToEndDiscrete,
  checkRankConstant,
  checkSigmaDynamics,
  E2E_DISCRETE,
  E2E_START_HL,
  E2E_T,
  RANK_OBSERVATIONS,
  RANK_T,
  RK4_ORDER_TEST,
  SIGMA_TAU0,
} from '../src/flow/index.js';

/**
 * The end-to-end dynamics of a balanced deep linear network: the product follows dW/dt = −A_W(∇L¹(W)), its singular
 * values move at −Nσ^{2−2/N}u_iᵀ∇L¹v_i, and its rank stays constant.
 *
 * S. Arora, N. Cohen, E. Hazan, "On the optimization of deep networks: implicit acceleration by overparameterization",
 * ICML 2018; arXiv:1802.06509 (ACH). S. Arora, N. Cohen, W. Hu, Y. Luo, "Implicit regularization in deep matrix
 * factorization", NeurIPS 2019; arXiv:1905.13655 (ACHL). B. Bah, H. Rauhut, U. Terstiege, M. Westdickenberg,
 * "Learning deep linear neural networks: Riemannian gradient flows and convergence to global minimizers",
 * Information and Inference 11(1):307–353, 2022; arXiv:1910.05505 (BRTW).
 *
 * The checks live in src/flow/end-to-end.ts, sigma-dynamics.ts and rank.ts, with their error models.
 */

const e2eHypotheses = [
  'balanced initialization: every C_j(0) = 0 (ACGH Procedure 1)',
  'gradient flow on the factors, L¹ = ½‖WX − Y‖² (scale "half")',
  'W(0) of full rank min(d_0, d_N) with distinct singular values (the product ODE is smooth there)',
  'depth N ≥ 2',
];

export const flowEndToEnd: Claim<BalancedInstance> = defineClaim({
  id: 'flow.end-to-end',
  title: 'The product of a balanced flow follows dW/dt = −A_W(∇L¹(W))',
  statement:
    'If all C_j(0) = 0, W(t) = W_{N:1}(t) solves dW/dt = −A_W(∇L¹(W)), A_W(Z) = Σ_{j=1}^{N}(WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N}.',
  source: {
    paper: 'ACH',
    location: 'end-to-end dynamics of a balanced initialization (continuous time); THEORY §2 flow.end-to-end',
    provenance: 'P',
  },
  hypotheses: e2eHypotheses,
  instances: balancedFullRankArb(),
  check: (instance) => checkEndToEndContinuous(instance),
  expected: 'holds',
  tolerance: `consistency order test of the gap between RK4 on the factors and RK4 on the product ODE (T = min(${E2E_T}, 2/L)) from h·L ≤ ${E2E_START_HL}, halving h: ${RK4_ORDER_TEST}; round-off floor 2·(√n + Σd)·ε·(Π‖W_j‖ + ‖W(T) − W(0)‖).`,
  runs: 40,
  summarize: summarizeBalanced,
});

export const flowEndToEndDiscrete: Claim<BalancedInstance> = defineClaim({
  id: 'flow.end-to-end.discrete',
  title: 'One GD step of a balanced network moves the product by −ηA_W(∇L¹) + O(η²)',
  statement: 'If all C_j = 0, one GD step W_j ← W_j − η∇_{W_j}L gives W_{N:1}⁺ = W − ηA_W(∇L¹(W)) + O(η²).',
  source: {
    paper: 'ACH',
    location: 'end-to-end update rule for GD with a balanced start (discrete version); THEORY §2 flow.end-to-end',
    provenance: 'P',
  },
  hypotheses: ['balanced weights (C_j = 0)', 'one full-batch GD step, L¹ = ½‖WX − Y‖²', 'depth N ≥ 2'],
  instances: balancedFullRankArb(),
  check: (instance) => checkEndToEndDiscrete(instance),
  expected: 'holds',
  tolerance: `order test of ‖dev‖ in η from ${E2E_DISCRETE.eta0}/max(1, L) down half decades: ${describeOrderTest({ order: 2, refinements: E2E_DISCRETE.refinements, ratio: 3.16 })}; round-off floor 8·Σd·ε·(Π‖W_j‖ + ‖W‖ + η‖A_W∇L¹‖); ‖dev‖/η² is printed.`,
  runs: 200,
  summarize: summarizeBalanced,
});

export const flowEndToEndUnbalanced: Claim<FlowInstance> = defineClaim({
  id: 'flow.end-to-end.unbalanced',
  title: 'FALSE: the end-to-end ODE holds from an unbalanced start',
  statement:
    'FALSE variant: for i.i.d. Gaussian (unbalanced) factors, W_{N:1}(t) solves dW/dt = −A_W(∇L¹(W)) (the error grows with max‖C_j‖).',
  source: {
    paper: 'ACH',
    location: 'FALSE variant of flow.end-to-end (THEORY §2): balancedness is a hypothesis',
    provenance: 'D',
  },
  hypotheses: ['i.i.d. Gaussian factors (C_j ≠ 0)', 'otherwise as flow.end-to-end (full-rank product)'],
  instances: unbalancedFullRankArb(),
  check: (instance) => checkEndToEndContinuous(instance),
  expected: 'counterexample',
  tolerance:
    'as flow.end-to-end: the factor/product gap must fall at order 4; from an unbalanced start it tends to a constant O(T·max‖C_j‖·‖∇L¹‖).',
  runs: 25,
  summarize: summarizeFlowInstance,
});

export const flowSigmaDynamics: Claim<BalancedInstance> = defineClaim({
  id: 'flow.sigma-dynamics',
  title: 'Singular values of a balanced flow move at rate −Nσ^{2−2/N}u_iᵀ∇L¹v_i',
  statement: 'Under balanced gradient flow with distinct singular values, dσ_i/dt = −N σ_i^{2−2/N} u_iᵀ∇L¹(W)v_i.',
  source: {
    paper: 'ACHL',
    location:
      'Arora, Cohen, Hu, Luo 2019 (Implicit regularization in deep matrix factorization): singular-value dynamics of the end-to-end matrix; cited in THEORY §2',
    provenance: 'P',
  },
  hypotheses: [
    'balanced initialization',
    'distinct non-zero singular values (ratio ≥ 1.5 here)',
    'L¹ = ½‖WX − Y‖²',
    'depth N ≥ 2',
  ],
  instances: balancedFullRankArb(),
  check: (instance) => checkSigmaDynamics(instance),
  expected: 'holds',
  tolerance: `Taylor-style order test on the odd part ‖(σ(τ) − σ(−τ))/2 − τσ̇_claimed(0)‖ from τ = ${SIGMA_TAU0}/L, halving: ${describeOrderTest({ order: 3, refinements: ORDER_TEST.refinements })}; round-off floor 16·(Σd + 8)·ε·‖W‖ (a wrong rate gives order 1).`,
  runs: 200,
  summarize: summarizeBalanced,
});

export const flowRankConstant: Claim<RankInstance> = defineClaim({
  id: 'flow.rank-constant',
  title: 'A balanced flow keeps the rank of the product',
  statement:
    'Under balanced gradient flow, rank W_{N:1}(t) is constant for all finite t (it can drop only in the limit).',
  source: {
    paper: 'BRTW',
    location:
      'the factor flow is a Riemannian gradient flow on the manifold of rank-r matrices (abstract); the constancy of the rank for all finite t is also derived from flow.sigma-dynamics (THEORY [P/D])',
    provenance: 'P/D',
  },
  hypotheses: [
    'balanced initialization of product rank k, 1 ≤ k < min(d_0, d_N)',
    'hidden widths ≥ min(d_0, d_N) (a rank rise is not excluded by the shapes)',
    'XXᵀ of full rank, L¹ = ½‖WX − Y‖²',
    `finite time T = min(${RANK_T}, 8/L), L a Lipschitz estimate of the flow`,
  ],
  instances: balancedRankDeficientArb(),
  check: (instance) => checkRankConstant(instance),
  expected: 'holds',
  tolerance: `σ_{k+1}(W(t))/Π‖W_j(t)‖_F ≤ 16·Σd·ε at ${RANK_OBSERVATIONS + 1} times in [0, min(${RANK_T}, 8/L)] (round-off of the product and its SVD).`,
  runs: 100,
  summarize: (i) => summarizeFlowInstance(i, { rank: i.rank }),
});

export const flowRankConstantUnbalanced: Claim<RankInstance> = defineClaim({
  ...flowRankConstant,
  id: 'flow.rank-constant.unbalanced',
  title: 'FALSE: any flow keeps the rank of the product',
  statement: 'FALSE variant: with W_1(0) = 0, W_j(0) ≠ 0 (j ≥ 2) and YXᵀ ≠ 0 (unbalanced), the product rank stays 0.',
  source: {
    paper: 'BRTW',
    location:
      'FALSE variant of flow.rank-constant (THEORY §2): balancedness is needed; ∇_{W_1}L = −W_{N:2}ᵀYXᵀ ≠ 0 at t = 0',
    provenance: 'D',
  },
  hypotheses: ['W_1(0) = 0, other layers Gaussian: C_1(0) = W_2ᵀW_2 ≠ 0', 'YXᵀ ≠ 0'],
  instances: zeroFirstLayerArb({ depth: [2, 3], width: [1, 3], samples: [1, 3] }),
  expected: 'counterexample',
  tolerance: 'as flow.rank-constant: σ_1(W(t))/Π‖W_j(t)‖_F ≤ 16·Σd·ε; the product leaves 0 at first order in t.',
  runs: 30,
});

/** The end-to-end claims, in the order above. */
export const flowEndToEndClaims: Claim<any>[] = [
  flowEndToEnd,
  flowEndToEndDiscrete,
  flowEndToEndUnbalanced,
  flowSigmaDynamics,
  flowRankConstant,
  flowRankConstantUnbalanced,
];
