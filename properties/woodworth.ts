import { type DiagonalInstance, diagonalRegressionArb } from '../src/arbitraries/diagonal-regression.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { checkQAlpha, FLOW_ALPHAS, KERNEL_ALPHAS } from '../src/nnls/checks/q-alpha.js';
import { RICH_ALPHA2 } from '../src/nnls/checks/rich-limit.js';

/**
 * Blake Woodworth, Suriya Gunasekar, Jason D. Lee, Edward Moroshko, Pedro Savarese, Itay Golan, Daniel Soudry,
 * Nathan Srebro, "Kernel and Rich Regimes in Overparametrized Models", Conference on Learning Theory (COLT 2020),
 * PMLR 125; arXiv:2002.09277.
 *
 * THEORY §5, wgl.q-alpha: the two-layer diagonal network β = u⊙u − v⊙v trained by gradient flow from
 * u(0) = v(0) = α1 on ½‖Xβ − y‖² interpolates, and its limit is argmin {Q_α(β) : Xβ = y}; the kernel (α → ∞,
 * minimum ℓ2) and rich (α → 0, minimum ℓ1) regimes are its two ends. The check is src/nnls/checks/q-alpha.ts.
 */

export const woodworthClaims: Claim<any>[] = [
  defineClaim({
    id: 'wgl.q-alpha',
    title: 'Diagonal networks converge to the Q_α-minimal interpolant (kernel ↔ rich regimes)',
    statement:
      'Gradient flow on ½‖X(u⊙u − v⊙v) − y‖² from u(0) = v(0) = α1 converges to argmin {Q_α(β) : Xβ = y}, Q_α(β) = α² Σ q(β_i/α²), q(z) = 2 − √(4 + z²) + z·asinh(z/2); the minimizer tends to the minimum-ℓ2 interpolant as α → ∞ (Q_α ≈ ‖β‖²/(4α²)) and to the minimum-ℓ1 one as α → 0',
    source: {
      paper: 'WGL (Woodworth et al., Kernel and rich regimes in overparametrized models, COLT 2020)',
      location: 'main theorem for the depth-2 diagonal network (THEORY §5 wgl.q-alpha)',
      provenance: 'P',
    },
    hypotheses: [
      'X n×d, n ≤ 4 < d ≤ 8, full row rank with singular values in [1/√10, 1]; y = Xβ for a dense Gaussian β (generic y)',
      `flow limit checked at α ∈ {${FLOW_ALPHAS.join(', ')}} (flow run until ‖Xβ − y‖ ≤ 1e-10‖y‖)`,
      `kernel end at α ∈ {${KERNEL_ALPHAS.join(', ')}}, rich end at α² ∈ {${RICH_ALPHA2.join(', ')}} (exact ℓ1 interpolant by basis enumeration)`,
    ],
    instances: diagonalRegressionArb(),
    check: (inst: DiagonalInstance) => checkQAlpha(inst),
    expected: 'holds',
    tolerance:
      'flow vs argmin Q_α: κρ + 1e-8 (first-order sensitivity to the residual left at the stop, integrator allowance); kernel: the exact bound ‖2α²(sinh w − w)‖ + ‖r‖/σ_min + round-off; rich: twice the first-order off-support prediction (α²)^{1−|s_i|}e^{σ_i x_iᵀν₀} from the ℓ1 certificate + κ·(ρ + 8nε), the first-order effect of the residual of the dual solve; only the deepest α² refutes (above it a miss is pre-asymptotic, inconclusive) (inconclusive for a degenerate or non-unique vertex)',
    runs: 60,
    summarize: (i: DiagonalInstance) => ({ X: i.X.toArray(), y: Array.from(i.y) }),
  }),
];
