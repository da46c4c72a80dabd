import {
  type AcceleratedInstance,
  acceleratedInstances,
  type ConvergesInstance,
  convergesInstances,
  type DeepImplicitBiasInstance,
  type DiscreteEquivalenceInstance,
  type DiscreteRateInstance,
  deepImplicitBiasInstances,
  discreteEquivalenceInstances,
  discreteRateInstances,
  type ImplicitBiasInstance,
  implicitBiasInstances,
  PERTURBATION_DRAWS,
  type PerturbationInstance,
  type PositivityInstance,
  perturbationInstances,
  positivityInstances,
  type ReparamFlowInstance,
  reparamFlowInstances,
  summarizeNnlsProblem,
  summarizePositivity,
} from '../src/arbitraries/nnls.js';
import { describeOrderTest } from '../src/check/order.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { mirrorGradient } from '../src/nnls/bregman.js';
import { ACCEL_T, ACCEL_T0, checkAccelerated } from '../src/nnls/checks/accelerated.js';
import { CONVERGE_T, checkConverges } from '../src/nnls/checks/converges.js';
import { checkDeepImplicitBias } from '../src/nnls/checks/deep-implicit-bias.js';
import { checkDiscreteEquivalence } from '../src/nnls/checks/discrete-equivalence.js';
import { checkDiscreteRate, smoothnessStep } from '../src/nnls/checks/discrete-rate.js';
import { checkImplicitBias } from '../src/nnls/checks/implicit-bias.js';
import {
  checkNegativePerturbation,
  PERTURBATION,
  PERTURBATION_FLOOR,
} from '../src/nnls/checks/negative-perturbation.js';
import { checkPositivity, checkRiemannianPositivity } from '../src/nnls/checks/positivity.js';
import { checkReparamFlow } from '../src/nnls/checks/reparam-flow.js';
import { RICH_ALPHA2 } from '../src/nnls/checks/rich-limit.js';
import { euclideanRetractionStep } from '../src/nnls/riemannian-step.js';

/**
 * Overparametrized non-negative least squares, min_{x ≥ 0} f(x) = ½‖Ax − b‖², through the Hadamard
 * reparametrization x = u^{⊙L}:
 *
 *   Hung-Hsu Chou, Johannes Maly, Claudio Mayrink Verdun, Bernardo Freitas Paulo da Costa, Heudson Mirandola,
 *   "Get rid of your constraints and reparametrize: A study in NNLS and implicit bias", AISTATS 2025
 *   (PMLR 258:829–837); arXiv:2207.08437 (v1 2022: "Non-negative least squares via overparametrization").
 *
 * The claims follow the paper: the reparametrized flow and its positivity, global convergence of the flow with
 * its O(1/t) rate, the accelerated second-order flow, the implicit bias of small initialization, and the
 * stability against negative perturbations. The instances (src/arbitraries/nnls.ts) are small and seeded
 * (dimensions ≤ 8, controlled condition numbers) and shrink through their dimensions; the checks live in
 * src/nnls/checks. Only the abstract could be read: a [P] cites it; theorem numbers are not cited ([M]).
 */

const CMV = 'CMV (Chou, Maly, Verdun et al., arXiv 2207.08437)';

const positivityClaim = defineClaim({
  id: 'nnls.positivity',
  title: 'Even L keeps x = u^{⊙L} ≥ 0 for any step; u_i = 0 freezes coordinate i',
  statement:
    'Gradient descent on u with x = u^{⊙L}, L even, any step schedule η/(k+2)^γ: every iterate has x ≥ 0, and a ' +
    'coordinate with u_i(0) = 0 stays 0 forever',
  source: { paper: CMV, location: 'positivity of the reparametrization (THEORY §5 nnls.positivity)', provenance: 'D' },
  hypotheses: [
    'L ∈ {2, 4, 6}',
    'η ∈ [1e-3, 1e2] (log grid), γ ∈ {0, ½, 1}, 60 steps',
    'finite iterates only (a diverged run is checked up to divergence)',
  ],
  instances: positivityInstances({ depths: [2, 4, 6] }),
  check: (inst: PositivityInstance) => checkPositivity(inst),
  expected: 'holds',
  tolerance: 'none: the sign test is exact',
  runs: 200,
  summarize: summarizePositivity,
});

export const nnlsClaims: Claim<any>[] = [
  defineClaim({
    id: 'nnls.reparam-flow',
    title: 'Hadamard reparametrization induces ẋ = −L² x^{2−2/L} ⊙ ∇f(x)',
    statement:
      'If u solves u̇ = −∇_u f(u^{⊙L}) with u > 0, then x = u^{⊙L} satisfies ẋ = −L² x^{⊙(2−2/L)} ⊙ ∇f(x), f(x) = ' +
      '½‖Ax − b‖² (L = 2: ẋ = −4x ⊙ ∇f(x))',
    source: {
      paper: CMV,
      location: "derived by the chain rule; the reparametrized flow of CMV's code (THEORY §5 nnls.reparam-flow)",
      provenance: 'D',
    },
    hypotheses: [
      'depth L ∈ {1, …, 5}',
      'u(0) > 0 entrywise (log-normal)',
      'A, b Gaussian, m, n ≤ 6, entries rounded to a shrinkable number of decimals',
    ],
    instances: reparamFlowInstances(),
    check: (inst: ReparamFlowInstance) => checkReparamFlow(inst),
    expected: 'holds',
    tolerance:
      'Taylor-remainder test on t ↦ ⟨c, x(t)⟩ (x(t) by RK4, local error O(t⁵)): slope 2 over ≥ 2 decades above the ' +
      'round-off floor; a slope-1 defect of relative size ≥ 1e-9 fails',
    runs: 100,
    summarize: (i: ReparamFlowInstance) => ({ ...summarizeNnlsProblem(i), L: i.L, u0: Array.from(i.u0) }),
  }),
  defineClaim({
    id: 'nnls.discrete-equivalence',
    title: "GD on identical factors is Riemannian GD with the parametrization's retraction, step by step",
    statement:
      'Gradient descent on the L-factor network x = u_1 ⊙ … ⊙ u_L from identical factors u_j(0) = u0 > 0 keeps the ' +
      'factors equal, and x_{k+1} = R_{x_k}(−η_k grad f(x_k)) at every step: grad f(x) = L x^{2−2/L} ⊙ ∇f(x) is the ' +
      'Riemannian gradient for the metric diag(1/(L x^{2−2/L})) and R_x(ξ) = (x^{1/L} + ξ ⊙ x^{1/L−1}/L)^{⊙L} the ' +
      'retraction the parametrization induces',
    source: {
      paper: CMV,
      location:
        'abstract: "view overparametrized GD with identical initialization as a Riemannian GD" [P]; the metric, ' +
        'gradient and retraction that make it exact are derived [D]; the theorem number was not read [M]',
      provenance: 'P/D',
    },
    hypotheses: [
      'L ∈ {2, 3, 4} factors, u0 = exp(0.3·N(0, 1)) > 0, the same for every factor',
      'A m×n, m, n ≤ 6, σ ∈ [1/√10, 1], b Gaussian',
      'η = θ/(1 + max|u0^{L−2}∇f(x0)|), θ ∈ [1e-3, 0.32] (log grid); η_k = η/(k+2)^γ, γ ∈ {0, ½, 1}; 30 steps; only ' +
        'steps that keep u > 0 are in scope',
    ],
    instances: discreteEquivalenceInstances(),
    check: (inst: DiscreteEquivalenceInstance) => checkDiscreteEquivalence(inst),
    expected: 'holds',
    tolerance:
      "per coordinate and step: the first-order round-off of both computations of u' = u − ηu^{L−1}g raised to the " +
      'L-th power, times 4; the factors exactly equal',
    runs: 100,
    summarize: (i: DiscreteEquivalenceInstance) => {
      const { L, eta, gamma, iterations } = i;
      return { ...summarizeNnlsProblem(i), L, u0: Array.from(i.u0), eta, gamma, iterations };
    },
  }),
  defineClaim({
    id: 'nnls.discrete-equivalence.euclidean-retraction',
    title: 'FALSE variant: GD on identical factors is the x-space step x − η grad f(x)',
    statement:
      'Gradient descent on identical factors follows x_{k+1} = x_k − η_k L x_k^{2−2/L} ⊙ ∇f(x_k) step by step ' +
      '(FALSE: that is the same Riemannian gradient with the Euclidean retraction, which agrees with GD on the ' +
      'factors only to first order in η)',
    source: { paper: CMV, location: 'FALSE variant of nnls.discrete-equivalence', provenance: 'D' },
    hypotheses: ['as nnls.discrete-equivalence'],
    instances: discreteEquivalenceInstances(),
    check: (inst: DiscreteEquivalenceInstance) => checkDiscreteEquivalence(inst, euclideanRetractionStep),
    expected: 'counterexample',
    tolerance: 'as nnls.discrete-equivalence',
    runs: 100,
    summarize: (i: DiscreteEquivalenceInstance) => ({
      ...summarizeNnlsProblem(i),
      L: i.L,
      u0: Array.from(i.u0),
      eta: i.eta,
      gamma: i.gamma,
    }),
  }),
  positivityClaim,
  defineClaim({
    ...positivityClaim,
    id: 'nnls.positivity.odd-L',
    title: 'FALSE variant: odd L keeps x ≥ 0',
    statement:
      'Gradient descent on u with x = u^{⊙L}, L odd, keeps x ≥ 0 (FALSE: a large step overshoots u_i below 0, and ' +
      'then x_i = u_i^L < 0)',
    source: { paper: CMV, location: 'FALSE variant of nnls.positivity (THEORY §5)', provenance: 'D' },
    hypotheses: ['L ∈ {3, 5}', 'η ∈ [1e-3, 1e2], γ ∈ {0, ½, 1}, 60 steps'],
    instances: positivityInstances({ depths: [3, 5] }),
    expected: 'counterexample',
  }),
  defineClaim({
    ...positivityClaim,
    id: 'nnls.positivity.large-step',
    title: 'FALSE variant: the x-space step keeps x ≥ 0 for any step',
    statement:
      "CMV's x-space step x ← x − Lη_k ∇f(x) ⊙ x^{⊙(2−2/L)} keeps x ≥ 0 for every η (FALSE: for L = 2 it multiplies " +
      'x_i by 1 − 2η_k ∇f_i, negative once 2η_k∇f_i > 1)',
    source: { paper: CMV, location: 'FALSE variant of nnls.positivity (THEORY §5)', provenance: 'D' },
    hypotheses: ['L ∈ {2, 3, 4}', 'η ∈ [1e-3, 1e2], γ ∈ {0, ½, 1}, 60 steps, x(0) = α^L·1'],
    instances: positivityInstances({ depths: [2, 3, 4] }),
    check: (inst: PositivityInstance) => checkRiemannianPositivity(inst),
    expected: 'counterexample',
  }),
  defineClaim({
    id: 'nnls.converges',
    title: 'The reparametrized gradient flow solves NNLS, with f(x(t)) − f* ≤ D_Φ(x*, x0)/t',
    statement:
      'The gradient flow of u ↦ ½‖Au^{⊙L} − b‖² from u(0) = α1 converges to an NNLS solution (KKT; agrees with ' +
      'Lawson–Hanson), and f(x(t)) − f* ≤ D_Φ(x*, x(0))/t for the mirror map Φ of the reparametrization (L = 2: D_Φ ' +
      '= ¼KL(x*‖α²1))',
    source: {
      paper: CMV,
      location:
        'abstract: "gradient flow on the reparametrized objective converges globally to NNLS solutions" [P]; the ' +
        'constant of the D_Φ/t rate is derived (mirror-flow Lyapunov argument, THEORY §5) [D]; theorem number not ' +
        'read [M]',
      provenance: 'P/D',
    },
    hypotheses: [
      'L ∈ {2, 3, 4}, α ∈ [0.3, 1]',
      'A m×n with m, n ≤ 8 (over- and underdetermined), singular values log-spaced in [1/√10, 1], b Gaussian',
      `rate checked at every accepted integrator step over t ∈ [first step, T]: T is the KKT ≤ 1e-10 stop for L = ` +
        `2, T = ${CONVERGE_T} for L ≥ 3 (zero coordinates decay only like t^{−L/(L−2)})`,
      'agreement with Lawson–Hanson in x only when A has full column rank (the solution is unique); in value always',
    ],
    instances: convergesInstances(),
    check: (inst: ConvergesInstance) => checkConverges(inst),
    expected: 'holds',
    tolerance:
      'rate: D_Φ(1 + 1e-6) + t·16(m+n)ε·scale(f); distance to x_LH: √(2 gap)/σ_min (strong convexity, exact); L = ' +
      '2: relative KKT ≤ 1e-8 at the stop',
    runs: 40,
    summarize: (i: ConvergesInstance) => ({ ...summarizeNnlsProblem(i), L: i.L, alpha: i.alpha }),
  }),
  defineClaim({
    id: 'nnls.discrete-rate',
    title: 'Discrete rate of GD on x = u⊙u: f(x_k) − f* ≤ (D_Φ(x*, x_0) + ΣR_i)/Σ_{i<k} η_i',
    statement:
      'Gradient descent u_{k+1} = u_k − η_k∇_u f(u_k⊙u_k) from u_0 = α1, with steps obeying η_k·max(‖A‖₂²‖x_k‖∞, ' +
      '‖∇f(x_k)‖∞) ≤ 1/8, satisfies S_k(f(x_k) − f*) + D_Φ(x*, x_k) ≤ D_Φ(x*, x_0) + Σ_{i<k} R_i for every k, ' +
      'with S_k = Σ_{i<k} η_i, D_Φ = ¼KL and R_i = η_i²Σ_j ∂_jf(x_i)²(4x*_j/3 − x_{i,j}) ≤ (4/3)η_i²⟨x*, ∇f(x_i)²⟩: ' +
      "the flow's D_Φ/t rate with t → Σ η_i up to a second-order remainder, so O(1/Σ η_i) when Σ η_i² < ∞",
    source: {
      paper: CMV,
      location:
        'abstract: "providing convergence rates also for its discretized counterpart" [P for existence]; this ' +
        'bound, its step condition and its remainder are derived (three-point identity for ¼KL + descent lemma, ' +
        "written out in src/nnls/checks/discrete-rate.ts) [D]; the paper's own discrete theorem was not read",
      provenance: 'D',
    },
    hypotheses: [
      'L = 2 only (the derivation uses Φ = ¼(x log x − x)); α ∈ [0.3, 1]',
      'A m×n, m, n ≤ 8, σ ∈ [1/√10, 1], b Gaussian; x* = Lawson–Hanson (any minimizer makes the bound valid)',
      'η_k = min(η/(k+2)^γ, 1/(8 max(‖A‖²‖x_k‖∞, ‖∇f(x_k)‖∞))), η ∈ {0.1, 0.3, 1, 3}, γ ∈ {0, ½, 1}, 300 steps',
      "also checked: the derivation's descent step f(x_{k+1}) ≤ f(x_k) − 2η_kΣ x_j∂_jf(x_k)² at every step",
    ],
    instances: discreteRateInstances(),
    check: (inst: DiscreteRateInstance) => checkDiscreteRate(inst),
    expected: 'holds',
    tolerance:
      'D_Φ(x*, x_0) + S_k·16(m+n)ε·½(‖A‖_F‖x‖ + ‖b‖)² (round-off of f − f*) + 16nε·(magnitude of the terms of ' +
      'D_Φ(x*, x_0), D_Φ(x*, x_k) and ΣR_i) (their round-off); the inequality itself is exact',
    runs: 60,
    summarize: (i: DiscreteRateInstance) => {
      const { alpha, eta, gamma, iterations } = i;
      return { ...summarizeNnlsProblem(i), alpha, eta, gamma, iterations };
    },
  }),
  defineClaim({
    id: 'nnls.discrete-rate.smoothness-step',
    title: 'FALSE variant: the constant step 1/‖A‖² gives f(x_k) − f* ≤ D_Φ(x*, x_0)/(kη)',
    statement:
      'Gradient descent on u with x = u⊙u and the constant step η = 1/‖A‖₂² (the classical step for the ‖A‖²-smooth ' +
      "f) satisfies the flow's rate with t = kη: f(x_k) − f* ≤ D_Φ(x*, x_0)/(kη). FALSE: the step condition needs " +
      "the iterates' size; at an interior x* ≥ 1, GD on u is unstable (λ_max(∇²_u) ≥ 4‖A‖²·min x*) and f(x_k) ↛ f*",
    source: { paper: CMV, location: 'FALSE variant of nnls.discrete-rate (step condition dropped)', provenance: 'D' },
    hypotheses: ['A m×n, n ≤ m ≤ 8, σ ∈ [1/√10, 1]; b = A·x_true, x_true ∈ [1, 2]ⁿ; 300 steps of η = 1/‖A‖²'],
    instances: discreteRateInstances({ interior: true }),
    check: (inst: DiscreteRateInstance) => checkDiscreteRate(inst, smoothnessStep, false),
    expected: 'counterexample',
    tolerance: 'D_Φ(x*, x_0) + kη·16(m+n)ε·½(‖A‖_F‖x‖ + ‖b‖)²',
    runs: 20,
    summarize: (i: DiscreteRateInstance) => ({ ...summarizeNnlsProblem(i), alpha: i.alpha }),
  }),
  defineClaim({
    id: 'nnls.accelerated',
    title: 'Accelerated second-order flow: f(x(t)) − f* ≤ 4KL(x*‖y0)/t²',
    statement:
      "CMV's ODE ẋ = (2/t)(y − x), ẏ = −(t/2) y ⊙ ∇f(x), x(t0) = y(t0) = α²1 satisfies t²(f(x(t)) − f*) ≤ 4KL(x* ‖ " +
      'α²1) + t0²(f(x0) − f*) for all t ≥ t0',
    source: {
      paper: CMV,
      location:
        'abstract: "accelerated convergence using a second-order ODE" [P]; the bound is derived from the energy ' +
        't²(f − f*) + 4KL(x*‖y) (THEORY §5 nnls.accelerated) [D]; theorem number not read [M]',
      provenance: 'P/D',
    },
    hypotheses: [
      `α ∈ [0.3, 1], t0 = ${ACCEL_T0}, T = ${ACCEL_T}`,
      'A m×n, m, n ≤ 8, σ ∈ [1/√10, 1], b Gaussian',
      'x* = Lawson–Hanson solution (any minimizer gives a valid bound)',
    ],
    instances: acceleratedInstances(),
    check: (inst: AcceleratedInstance) => checkAccelerated(inst),
    expected: 'holds',
    tolerance: 'bound·(1 + 1e-6) + T²·16(m+n)ε·scale(f): integrator (rtol 1e-10) and round-off of f − f*',
    runs: 100,
    summarize: (i: AcceleratedInstance) => ({ ...summarizeNnlsProblem(i), alpha: i.alpha }),
  }),
  defineClaim({
    id: 'nnls.implicit-bias',
    title: 'Implicit bias: the L = 2 flow converges to the KL projection of α²1; ℓ1 as α → 0',
    statement:
      'For consistent underdetermined Ax = b with a positive solution, the flow of x = u⊙u from u(0) = α1 converges ' +
      'to argmin_{x ≥ 0, Ax = b} KL(x ‖ α²1); as α → 0 this tends to argmin{‖x‖₁ : x ≥ 0, Ax = b}',
    source: {
      paper: CMV,
      location:
        'implicit bias of the reparametrized flow, derived via the mirror-flow invariant log(x/α²) ∈ range(Aᵀ) ' +
        '(THEORY §5 nnls.implicit-bias)',
      provenance: 'D',
    },
    hypotheses: [
      'L = 2, α ∈ [0.3, 1]',
      'A m×n, m ≤ 4 < n ≤ 8 (full row rank, σ ∈ [1/√10, 1])',
      'b = A x_true with x_true ∈ [0.5, 2]ⁿ (b strictly inside cone(A))',
      `rich limit at α² ∈ {${RICH_ALPHA2.join(', ')}} against the LP solution (exact, by basis enumeration)`,
    ],
    instances: implicitBiasInstances(),
    check: (inst: ImplicitBiasInstance) => checkImplicitBias(inst),
    expected: 'holds',
    tolerance:
      "flow vs KL projection: κ·ρ + 1e-8 (κ the projection's sensitivity to the residual ρ left at the stop, 1e-8 " +
      'for the integrator); rich limit: twice the first-order off-support prediction from the LP certificate + κ·(ρ ' +
      '+ 8nε), the first-order effect of the residual of the dual solve (inconclusive for a degenerate or ' +
      'non-unique vertex)',
    runs: 100,
    summarize: (i: ImplicitBiasInstance) => ({
      ...summarizeNnlsProblem(i),
      alpha: i.alpha,
      xTrue: Array.from(i.xTrue),
    }),
  }),
  defineClaim({
    id: 'nnls.implicit-bias.deep',
    title: 'Depth L ≥ 3: the flow converges to the Φ_L-Bregman projection of α^L·1',
    statement:
      'For consistent underdetermined Ax = b with a positive solution and L ≥ 3, the flow of x = u^{⊙L} from u(0) = ' +
      'α1 converges to argmin {D_Φ(x, α^L 1) : x ≥ 0, Ax = b} with Φ_L(x) = −Σ x_i^{2/L}/(2(L−2)): at its limit Ax ' +
      '= b and ∇Φ_L(x) − ∇Φ_L(α^L 1) ∈ range(Aᵀ)',
    source: {
      paper: CMV,
      location:
        'implicit bias of deeper reparametrizations: derived from the mirror-flow invariant of x = u^{⊙L} [D]; the ' +
        "paper's own depth-L statement was not read [M]",
      provenance: 'D',
    },
    hypotheses: [
      'L ∈ {3, 4}, α ∈ [0.3, 1]',
      'A m×n, m ≤ 4 < n ≤ 8 (full row rank, σ ∈ [1/√10, 1]); b = A x_true, x_true ∈ [0.5, 2]ⁿ',
      'the flow (rtol 1e-12) stopped at relative residual ≤ 1e-10; not reaching it is inconclusive',
    ],
    instances: deepImplicitBiasInstances(),
    check: (inst: DeepImplicitBiasInstance) => checkDeepImplicitBias(inst),
    expected: 'holds',
    tolerance:
      '‖P_ker(A)(∇Φ(x_T) − ∇Φ(x0))‖ ≤ 10·N√n·L(rtol + atol/u_min)·max|∇Φ| + 64nε(‖v‖ + max|∇Φ|): the local ' +
      'integrator errors of N steps, summed',
    runs: 40,
    summarize: (i: DeepImplicitBiasInstance) => ({
      ...summarizeNnlsProblem(i),
      L: i.L,
      alpha: i.alpha,
      xTrue: Array.from(i.xTrue),
    }),
  }),
  defineClaim({
    id: 'nnls.implicit-bias.deep.kl',
    title: 'FALSE variant: at every depth the flow converges to the KL projection',
    statement:
      'For L ≥ 3 the flow of x = u^{⊙L} from α1 still converges to argmin {KL(x ‖ α^L 1) : x ≥ 0, Ax = b}, i.e. log ' +
      'x − log x0 ∈ range(Aᵀ) at the limit (FALSE: that is the L = 2 geometry; depth L has its own mirror map Φ_L)',
    source: { paper: CMV, location: 'FALSE variant of nnls.implicit-bias.deep', provenance: 'D' },
    hypotheses: ['as nnls.implicit-bias.deep'],
    instances: deepImplicitBiasInstances(),
    check: (inst: DeepImplicitBiasInstance) => checkDeepImplicitBias(inst, (_L, x) => mirrorGradient(2, x)),
    expected: 'counterexample',
    tolerance: 'as nnls.implicit-bias.deep, with the KL mirror map log(x)/4 in place of ∇Φ_L',
    runs: 40,
    summarize: (i: DeepImplicitBiasInstance) => ({ ...summarizeNnlsProblem(i), L: i.L, alpha: i.alpha }),
  }),
  defineClaim({
    id: 'nnls.negative-perturbation',
    title: 'A small negative part of the ground truth costs linearly in ℓ1',
    statement:
      'Under M₊ (∃t: Aᵀt > 0), if b = A(x₊ − n) with x₊ ≥ 0 sparse and n ≥ 0 small, the small-α limit x₀ of the ' +
      'reparametrized flow satisfies ‖x₀ − x₊‖₁ ≤ C‖n‖₁ (linear in ‖n‖₁)',
    source: {
      paper: CMV,
      location:
        'abstract: "stability against negative perturbations" [P]; the shape of the bound (linear in ‖n‖₁, constant ' +
        'unspecified) is recalled, not confirmed against the text [M]',
      provenance: 'P/M',
    },
    hypotheses: [
      'A m×n, 2 ≤ m < n ≤ 8, Gaussian with a positive first row (M₊ with t = e₁)',
      `x₊ with ≤ max(1, m − 2) nonzeros in [0.5, 1.5], identifiable: x₀ = x₊ at n = 0 (A, x₊, w redrawn until so, ` +
        `at most ${PERTURBATION_DRAWS} times; else inconclusive)`,
      `n = s·w, w ≥ 0, ‖w‖₁ = 1, s = ${PERTURBATION.h0}, ` +
        `divided by ${PERTURBATION.ratio} up to ${PERTURBATION.refinements} times`,
      'small-α limit through its characterization (min 1ᵀx over {x ≥ 0, Ax = b} if feasible, else the NNLS ' +
        'solution) [D], not by simulating the flow',
    ],
    instances: perturbationInstances(),
    check: (inst: PerturbationInstance) => checkNegativePerturbation(inst),
    expected: 'holds',
    tolerance:
      `order test of the ℓ1 error in s = ‖n‖₁ (linear scaling: order 1 once past the last breakpoint of the ` +
      `piecewise-linear limit map; a √ law: 0.5): ${describeOrderTest({ order: 1, ...PERTURBATION })}; round-off ` +
      `floor ${PERTURBATION_FLOOR}·(‖x₊‖₁ + 1) (the limit is computed by exact LP/NNLS solves)`,
    runs: 150,
    summarize: (i: PerturbationInstance) => ({
      ...summarizeNnlsProblem(i),
      xPlus: Array.from(i.xPlus),
      w: Array.from(i.w),
    }),
  }),
];
