import { type NetworkInstance, networkInstanceArb } from '../src/arbitraries/networks.js';
import { checkHessian, checkLayerGradient } from '../src/check/layer-calculus.js';
import { defineClaim } from '../src/claims/claim.js';

/**
 * THEORY §1: the layer calculus every other claim stands on — the layer gradients of the deep linear network and the
 * second derivative of its loss.
 *
 * The gradient formula is the one of S. Arora, N. Cohen, E. Hazan, "On the optimization of deep networks: implicit
 * acceleration by overparameterization", ICML 2018; arXiv:1802.06509 (ACH) and of B. Bah, H. Rauhut, U. Terstiege,
 * M. Westdickenberg, "Learning deep linear neural networks: Riemannian gradient flows and convergence to global
 * minimizers", Information and Inference 11(1):307–353, 2022; arXiv:1910.05505 (BRTW). The checks live in
 * src/check/layer-calculus.ts.
 */

const instances = networkInstanceArb({
  depth: [1, 6],
  width: [1, 5],
  samples: [1, 6],
  init: 'conditioned',
  maxLog10Cond: 4,
});

function summarize(net: NetworkInstance): unknown {
  return {
    widths: net.widths,
    samples: net.data.X.cols,
    weights: net.weights,
    X: net.data.X,
    Y: net.data.Y,
    direction: net.direction,
  };
}

export const layerCalculusClaims = [
  defineClaim({
    id: 'grad.layer',
    title: 'Layer gradients of the deep linear network',
    statement: '∇_{W_j} L = W_{N:j+1}ᵀ ∇L¹(W) W_{j−1:1}ᵀ (+ λW_j with weight decay), ∇L¹(W) = (WX − Y)Xᵀ',
    source: { paper: 'ACH/BRTW', location: 'layer gradient formula (THEORY §1 grad.layer)', provenance: 'P' },
    hypotheses: [
      'any depth N ≥ 1 and widths',
      'scale "half", weight decay λ = 0.1 (canonical (λ/2)Σ‖W_j‖²)',
      'layers with condition number up to 1e4',
    ],
    instances,
    check: (net: NetworkInstance) => checkLayerGradient(net),
    expected: 'holds',
    tolerance:
      'Taylor-remainder test: a slope-2 window of ≥ 2 decades above the round-off floor 2ε(|f| + |t·Df| + …); a slope-1 defect of relative size ≥ 1e-9 fails',
    runs: 60,
    summarize,
  }),
  defineClaim({
    id: 'grad.hessian',
    title: 'Hessian bilinear form P1/P2',
    statement:
      '∇²L[Δ,Δ] = ‖P1(Δ)X‖² + 2⟨∇L¹(W), P2(Δ)⟩ (+ λ‖Δ‖²), symmetric, and equal to ⟨∇²L[Δ], Δ⟩ from the Hessian-vector product',
    source: {
      paper: 'lecture notes',
      location: 'derived: second derivative of the DLN loss (THEORY §1 grad.hessian cites lecture notes, not a paper)',
      provenance: 'D',
    },
    hypotheses: [
      'any depth N ≥ 1 and widths',
      'scale "half", weight decay λ = 0.1',
      'layers with condition number up to 1e4',
    ],
    instances,
    check: (net: NetworkInstance) => checkHessian(net),
    expected: 'holds',
    tolerance:
      'second-order Taylor test (slope 3 over ≥ 2 decades); symmetry and HVP identities at 8ε·(|lhs| + |rhs| + 4N²·Π‖operands‖)',
    runs: 40,
    summarize,
  }),
];
