import {
  type BiasedInstance,
  biasedNetworkArb,
  type DecayInstance,
  type DriftIdentityInstance,
  decayNetworkArb,
  driftIdentityArb,
  type FlowInstance,
  gaussianNetworkArb,
  summarizeBiased,
  summarizeFlowInstance,
} from '../src/arbitraries/flows.js';
import type { Claim } from '../src/claims/claim.js';
import { defineClaim } from '../src/claims/claim.js';
import {
  CONSERVATION,
  checkConservation,
  checkConservationBias,
  checkConservationWeightDecay,
  checkDriftIdentity,
  checkGdConservation,
  DRIFT_IDENTITY_ULPS,
  RK4_ORDER_TEST,
} from '../src/flow/index.js';
import { DRIFT_SCALE_TEXT, STEP_SCALE_TEXT } from '../src/model/gd-drift.js';

/**
 * Conservation laws of the gradient flow of a deep linear network, and what becomes of them under gradient descent.
 *
 * B. Bah, H. Rauhut, U. Terstiege, M. Westdickenberg, "Learning deep linear neural networks: Riemannian gradient flows
 * and convergence to global minimizers", Information and Inference: A Journal of the IMA 11(1):307–353, 2022;
 * arXiv:1910.05505 (BRTW). The drift identity under GD is the exact form of the approximate balancedness used by
 * S. Arora, N. Cohen, N. Golowich, W. Hu, "A convergence analysis of gradient descent for deep linear neural
 * networks", ICLR 2019; arXiv:1810.02281 (ACGH).
 *
 * The checks live in src/flow/conservation.ts and src/flow/gd-drift-identity.ts, with their error models.
 */

/** Why BRTW's statements beyond the abstract are [M] here. */
const NOT_READ =
  'only the abstract and the opening of the introduction of arXiv:1910.05505 could be read (no lemma or theorem number)';

const conservationHypotheses = [
  'gradient flow dW_j/dt = −∇_{W_j}L of L = ½‖W_{N:1}X − Y‖_F² (scale "half")',
  'depth N ≥ 2 (C_j exists)',
  'any initialization (Gaussian here: C_j(0) ≠ 0)',
];

export const flowConservation: Claim<FlowInstance> = defineClaim({
  id: 'flow.conservation',
  title: 'Balancedness defects are conserved by gradient flow',
  statement: 'Along dW_j/dt = −∇_{W_j}L every C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ is constant.',
  source: {
    paper: 'BRTW',
    location:
      'recalled: conservation of W_{j+1}ᵀW_{j+1} − W_jW_jᵀ along the factor flow (also used by ACH); not confirmed, ' +
      `${NOT_READ}; THEORY §2`,
    provenance: 'M',
  },
  hypotheses: conservationHypotheses,
  instances: gaussianNetworkArb({ depth: [2, 4], width: [1, 4], samples: [1, 5] }),
  check: (instance) => checkConservation(instance),
  expected: 'holds',
  tolerance:
    `(a) RK4 drift of C_j over T = min(${CONSERVATION.tMax}, ${CONSERVATION.lipschitzTimes}/L), sup over the coarse grid, from h·L ≤ ${CONSERVATION.orderStartHL} (L a directional Lipschitz estimate), halving h: ${RK4_ORDER_TEST}; round-off floor of a run of n steps 2·(√n + Σd)·ε·max‖W_j‖² (random-walk accumulation of one rounding per entry per step); ` +
    '(b) implicit midpoint: drift ≤ 4·Σh‖r‖_∞·√block·max‖W‖ + 8·(steps + Σd)·ε·max‖W‖² (exact preservation up to the measured solve residual).',
  runs: 100,
  summarize: summarizeFlowInstance,
});

export const flowConservationWeightDecay: Claim<DecayInstance> = defineClaim({
  id: 'flow.conservation.weight-decay',
  title: 'With weight decay, C_j decays like e^{−2λt}',
  statement: 'Along the gradient flow of L + (λ/2)Σ_j‖W_j‖_F², C_j(t) = e^{−2λt}C_j(0).',
  source: {
    paper: 'BRTW',
    location: 'derived from flow.conservation: the decay term adds −2λC_j to dC_j/dt (THEORY §0, §2)',
    provenance: 'D',
  },
  hypotheses: [
    ...conservationHypotheses,
    "canonical weight decay (λ/2)Σ‖W_j‖² (WJ's λ‖θ‖² would give e^{−4λt})",
    'λ ∈ {0.1, 0.5, 1}',
  ],
  instances: decayNetworkArb({ depth: [2, 4], width: [1, 4], samples: [1, 5] }, [0.5, 0.1, 1]),
  check: (instance) => checkConservationWeightDecay(instance),
  expected: 'holds',
  tolerance: `RK4 deviation max_t ‖C_j(t) − e^{−2λt}C_j(0)‖ over T = min(${CONSERVATION.tMax}, ${CONSERVATION.lipschitzTimes}/L) from h·L ≤ ${CONSERVATION.orderStartHL}, halving h: ${RK4_ORDER_TEST}; round-off floor 2·(√n + Σd)·ε·max‖W_j‖².`,
  runs: 100,
  summarize: (i) => summarizeFlowInstance(i, { lambda: i.lambda }),
});

export const flowConservationBias: Claim<BiasedInstance> = defineClaim({
  id: 'flow.conservation.bias',
  title: 'With biases, W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ is conserved',
  statement:
    'For h_j = W_jh_{j−1} + b_j and L = ½Σ_i‖h_N(x_i) − y_i‖², gradient flow on (W_j, b_j) keeps W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ constant, j = 1..N−1.',
  source: {
    paper: 'BRTW',
    location: 'derived: the bias adds −b_jb_jᵀ to the conserved quantity (THEORY §2 flow.conservation, variants)',
    provenance: 'D',
  },
  hypotheses: [
    'gradient flow of ½‖H_N − Y‖_F² in all W_j and b_j (src/model/biased-network.ts)',
    'depth N ≥ 2',
    'any initialization',
  ],
  instances: biasedNetworkArb({ depth: [2, 4], width: [1, 4], samples: [1, 5] }),
  check: (instance) => checkConservationBias(instance),
  expected: 'holds',
  tolerance: `as flow.conservation (RK4 order test: ${RK4_ORDER_TEST}; implicit midpoint drift ≤ its solve-residual bound), with the biases counted in the state.`,
  runs: 100,
  summarize: summarizeBiased,
});

export const flowConservationGd: Claim<FlowInstance> = defineClaim({
  id: 'flow.conservation.gd',
  title: 'FALSE: gradient descent conserves C_j',
  statement:
    'FALSE variant: gradient descent W_j ← W_j − ηG_j keeps every C_j constant (it drifts by η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) per step).',
  source: {
    paper: 'BRTW',
    location: 'FALSE variant of flow.conservation (THEORY §2); its failure is derived from gd.drift-identity',
    provenance: 'D',
  },
  hypotheses: ['GD with η = 0.05, 20 steps, on L = ½‖W_{N:1}X − Y‖²', 'depth N ≥ 2'],
  instances: gaussianNetworkArb({ depth: [2, 3], width: [1, 3], samples: [1, 3] }),
  check: checkGdConservation,
  expected: 'counterexample',
  tolerance:
    'round-off only: 8·(steps + Σd)·ε·max‖W_j‖² — what a conserved quantity would meet; GD exceeds it by many orders.',
  runs: 50,
  summarize: summarizeFlowInstance,
});

export const gdDriftIdentity: Claim<DriftIdentityInstance> = defineClaim({
  id: 'gd.drift-identity',
  title: 'Exact drift of C_j under one GD step',
  statement:
    'One step W_j ← (1 − ηλ)W_j − ηG_j (G_j = ∇_{W_j}L¹-part) gives exactly C_j⁺ = (1 − ηλ)²C_j + η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ); λ = 0 is plain GD.',
  source: {
    paper: 'ACGH',
    location:
      "derived: the cross terms W_{j+1}ᵀG_{j+1} and G_jW_jᵀ coincide (THEORY §2 gd.drift-identity); context: ACGH's approximate balancedness along GD",
    provenance: 'D',
  },
  hypotheses: [
    'any cost depending only on the product (full batch here)',
    'depth N ≥ 2',
    'any η > 0, λ ≥ 0 (canonical weight decay)',
  ],
  instances: driftIdentityArb({ depth: [2, 4], width: [1, 4], samples: [1, 5] }, [0.1, 1, 0.01, 1e-3], [0, 0.1, 1]),
  check: (instance) => checkDriftIdentity(instance),
  expected: 'holds',
  tolerance:
    `exact identity, block by block: ‖lhs_j − rhs_j‖ ≤ ${DRIFT_IDENTITY_ULPS}·ε·(‖lhs_j‖ + ‖rhs_j‖ + scale_j), scale_j = ${DRIFT_SCALE_TEXT}, ` +
    `step scale = ${STEP_SCALE_TEXT} (src/model/gd-drift.ts: the gate's error model of the same identity).`,
  runs: 300,
  summarize: (i) => summarizeFlowInstance(i, { eta: i.eta, lambda: i.lambda }),
});

/** The conservation claims, in the order above. */
export const flowConservationClaims: Claim<any>[] = [
  flowConservation,
  flowConservationWeightDecay,
  flowConservationBias,
  flowConservationGd,
  gdDriftIdentity,
];
