import { type KlInstance, klInstanceArb } from '../src/arbitraries/kl-flows.js';
import { type ModelInstance, modelInstanceArb, summarizeModel } from '../src/arbitraries/rayleigh-models.js';
import {
  type ManySamplesInstance,
  manySamplesInstanceArb,
  type PopulationInstance,
  populationInstanceArb,
  summarizeManySamples,
  summarizePopulation,
} from '../src/arbitraries/rsl-examples.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { checkRayleighBounds } from '../src/rayleigh/bounds-check.js';
import {
  checkRayleighConvergence,
  ENVELOPE_SLACK,
  manySamplesProblem,
  populationProblem,
  RATE_SLACK,
  RAYLEIGH_FLOW,
} from '../src/rayleigh/convergence-check.js';
import { checkRayleighIdentity } from '../src/rayleigh/identity-check.js';
import { checkKlRates, KL_EXPONENT_SLACK, KL_FLOW } from '../src/rayleigh/kl-rates-check.js';

/**
 * David A. R. Robin, Kevin Scaman, Marc Lelarge, "Convergence beyond the over-parameterized regime using Rayleigh
 * quotients", Advances in Neural Information Processing Systems 35 (NeurIPS 2022); arXiv:2301.08117.
 *
 * THEORY §6: Rayleigh quotients of the tangent kernel K_θ = J_θJ_θ* and the Kurdyka–Łojasiewicz inequalities they
 * give. Model maps: the deep linear network f_θ = W_{N:1}X (and W_{N:1} itself), WGL's diagonal network
 * f = X(u⊙u − v⊙v) and CMV's Hadamard map f = A u^{⊙L}; square loss ℓ(f) = ½‖f − f*‖² throughout (scale "half"),
 * so g = f_θ − f* and ‖g‖² = 2L. The machinery lives in src/rayleigh; ACGH's deficiency-margin bound, once filed
 * here, is in properties/acgh.ts.
 */

const RSL =
  'RSL (Robin, Scaman, Lelarge, Convergence beyond the over-parameterized regime using Rayleigh quotients, arXiv 2301.08117)';
const modelInstances = modelInstanceArb();
const klInstances = klInstanceArb();

/** Where the convergence claims stand in the paper: the argument is its main result, the examples are ours. */
const RSL_MAIN =
  'the convergence argument of the paper (abstract read: Rayleigh quotients give KL inequalities, "does not require ' +
  'the number of parameters to tend to infinity, nor the number of samples to be finite"); the theorem and example ' +
  'numbers were not read [M]; the example and its bound on R are derived here';
const CONVERGENCE_TOLERANCE =
  `R/r ≥ 1 − ${RATE_SLACK} − τ/r at every observation above the floor 1e3·ε·L_0 (τ = 2λ_max(K)e_g/‖g‖, the round-off ` +
  `e_g of the residual); L ≤ L_0e^{−2rt}(1 + ${ENVELOPE_SLACK}) + 1e3·ε·L_0 at every observation (the integrator's ` +
  `error in L at rtol ${RAYLEIGH_FLOW.rtol}); inconclusive when ${RAYLEIGH_FLOW.maxSteps} steps end before the floor ` +
  `or the horizon`;
const CONVERGENCE_FLOW =
  `flow: Dormand–Prince 5(4), rtol ${RAYLEIGH_FLOW.rtol}, atol ${RAYLEIGH_FLOW.atol}, until L < 1e3·ε·L_0 or the ` +
  `horizon ` +
  `T = ${RAYLEIGH_FLOW.horizon}·ln(L_0/floor)/(2r), by which the envelope is below the floor`;
const manySamples = manySamplesInstanceArb();
const population = populationInstanceArb();

export const rayleighClaims: Claim<any>[] = [
  defineClaim({
    id: 'rsl.identity',
    title: 'Rayleigh identity ‖∇L‖² = ⟨g, K_θg⟩ = 2R_θ(g)L (square loss)',
    statement:
      'For a model map θ ↦ f_θ with Jacobian J_θ, tangent kernel K_θ = J_θJ_θ* and L(θ) = ℓ(f_θ), g = ∇ℓ(f_θ): ‖∇L(θ)‖² = ⟨g, K_θg⟩ = R_θ(g)‖g‖²; ' +
      'for the square loss ℓ = ½‖f − f*‖², ‖∇L‖² = 2R_θ(g)L',
    source: {
      paper: RSL,
      location: 'Rayleigh-quotient identity (THEORY §6 rsl.identity): ∇L = J_θ*g, so ‖∇L‖² = ⟨J*g, J*g⟩ = ⟨g, JJ*g⟩',
      provenance: 'D',
    },
    hypotheses: [
      'models: DLN f = W_{N:1} and f = W_{N:1}X (N ≤ 3, widths ≤ 4, m ≤ 4 samples), diagonal network X(u⊙u − v⊙v), Hadamard map A u^{⊙L} (L = N)',
      'θ, f*, X, A Gaussian (layers with variance 1/fan-in), entries rounded to a shrinkable number of decimals',
      '‖∇L‖² and L from code that does not use the model map (src/model for the DLN, the chain rule written out otherwise); K from the explicit Jacobian built by jvps',
    ],
    instances: modelInstances,
    check: (i: ModelInstance) => checkRayleighIdentity(i),
    expected: 'holds',
    tolerance:
      'exact identity: |lhs − rhs| ≤ 8ε(|lhs| + |rhs| + (M + P)·tr(K)·‖g‖²) — a few ulps of the size of the terms Σ_k (Jᵀg)_k² is built from (~1e-13 to 1e-12 relative)',
    runs: 200,
    summarize: summarizeModel,
  }),
  defineClaim({
    id: 'rsl.bounds',
    title: 'λ_min(K_θ) ≤ R_θ ≤ λ_max(K_θ), and R_θ(g) ≥ ‖g‖²/⟨g, K_θ⁺g⟩ on the range',
    statement:
      'The Rayleigh quotient of the tangent kernel satisfies λ_min(K_θ) ≤ R_θ(h) ≤ λ_max(K_θ) for every h ≠ 0, and without a spectral gap R_θ(g) ≥ ‖g‖²/⟨g, K_θ⁺g⟩ ' +
      'for g ∈ range(K_θ); for the square loss, ‖f_θ − f*‖²_{H(K)} ≤ B² gives ‖∇L‖² ≥ (4/B²)L²',
    source: {
      paper: RSL,
      location:
        'Rayleigh-quotient bounds (THEORY §6 rsl.bounds): Courant–Fischer and Cauchy–Schwarz ‖g‖² = ⟨K^{1/2}g, K^{+1/2}g⟩',
      provenance: 'D',
    },
    hypotheses: [
      'the models of rsl.identity at random θ',
      'h Gaussian in H; g = J_θv for a Gaussian v (so g ∈ range K_θ); f* = f_θ − g for the square-loss reading',
      'range of K = eigenvalues above 1e-10·λ_max (inconclusive when an eigenvalue lies between 1e3·M·ε·λ_max and that cutoff)',
    ],
    instances: modelInstances,
    check: (i: ModelInstance) => checkRayleighBounds(i),
    expected: 'holds',
    tolerance:
      'spectral: 16·M·ε·λ_max (eigensolver error); pseudo-inverse bound: ratio R⟨g, K⁺g⟩/‖g‖² ≥ 1 − 64·M·ε·κ_range − ‖g − Πg‖/‖g‖',
    runs: 200,
    summarize: summarizeModel,
  }),
  defineClaim({
    id: 'rsl.kl-rates',
    title: 'KL inequalities ‖∇L‖² ≥ cL^a give L(t) ≤ L_0e^{−ct} (a = 1) or (L_0^{1−a} + (a−1)ct)^{−1/(a−1)} (a > 1)',
    statement:
      'Along a gradient flow, ‖∇L‖² ≥ cL^a on the path implies L(t) ≤ L_0e^{−ct} for a = 1 and L(t) ≤ (L_0^{1−a} + (a−1)ct)^{−1/(a−1)} for a > 1. ' +
      'Checked over the whole recorded trajectory of simulated flows with c from the kernel (2·inf λ_min(K), a = 1; 4/sup‖g‖²_{H(K)}, a = 2), from the theory ' +
      '(deficiency margin; u⊙v = α²) and from the fitted tail exponent â, which must match the predicted one (1 for a non-degenerate minimum, 2 − 1/N ' +
      'for a DLN converging to a rank-deficient target)',
    source: {
      paper: RSL,
      location:
        'KL rates (THEORY §6 rsl.kl-rates): integrate L′ = −‖∇L‖² ≤ −cL^a (standard); the tail exponents are derived',
      provenance: 'D',
    },
    hypotheses: [
      'families: dln-margin (balanced square DLN, full-rank Φ, deficiency margin), dln-degenerate (rank Φ < d; start = Φ + zero-target modes of size 0.1..0.5 + a generic coupling of size 0.05σ_r(Φ)), diagonal network (n ≤ 3 samples < features, u = v = α1, α ∈ [0.3, 1])',
      `flow: Dormand–Prince 5(4), rtol ${KL_FLOW.rtol}, atol ${KL_FLOW.atol}, recorded at every accepted step until L < 1e2·ε·L_0 or t = ${KL_FLOW.T}`,
      'path infima from the samples with a lower estimate (min of neighbours minus their difference)',
      `â fitted by least squares of log‖∇L‖² on log L over the lower half of the decades of L above 1e3·ε·L_0 (the last decades, below that floor, are excluded); |â − a| ≤ ${KL_EXPONENT_SLACK} + 1.5·S/D, S the spread (decades) of ‖∇L‖²/L^a the theory allows on the fit range (kernel condition number for a = 1, power mean of the zero modes for a = 2 − 1/N), D the decades fitted`,
    ],
    instances: klInstances,
    check: (i: KlInstance) => checkKlRates(i),
    expected: 'holds',
    tolerance:
      'envelope: L ≤ env·(1 + 1e-6) + 1e3·ε·L_0 at every observation (the integrator error in L, ≲ 2√(2L)·‖J‖·1e-11‖θ‖ at rtol 1e-12, and the round-off of L stay below that ' +
      `absolute floor); exponent: |â − a| ≤ ${KL_EXPONENT_SLACK} + 1.5·S/D (a least-squares slope over D decades of a quantity confined to a band S decades wide deviates by at most 1.5·S/D)`,
    runs: 20,
    summarize: (i: KlInstance) => i.summary,
  }),
  defineClaim({
    id: 'rsl.kl-rates.degenerate-exponential',
    title: 'FALSE: a DLN flow converging to a rank-deficient target still has an exponential tail (KL exponent a = 1)',
    statement:
      'For a balanced square DLN (N ≥ 2) whose flow converges to a global minimum of ½‖W_{N:1} − Φ‖² with rank Φ < d, the tail satisfies ‖∇L‖² ≥ cL ' +
      '(a = 1), as at a full-rank target, so L decays exponentially. FALSE: the zero-target modes obey ṡ = −Ns^{3−2/N}; their kernel eigenvalues vanish ' +
      'and ‖∇L‖² ∝ L^{2−1/N}: the fitted tail exponent is 2 − 1/N, not 1.',
    source: {
      paper: RSL,
      location:
        'FALSE variant of rsl.kl-rates (the dln-degenerate family with the exponent a = 1 of a non-degenerate minimum); derived',
      provenance: 'D',
    },
    hypotheses: [
      'the dln-degenerate family of rsl.kl-rates (rank Φ < d, full-rank start with zero-target modes)',
      'the tail exponent fitted as in rsl.kl-rates and held to a = 1',
    ],
    instances: klInstances.filter((i) => i.family === 'dln-degenerate'),
    check: (i: KlInstance) => checkKlRates(i, { predictedA: 1 }),
    expected: 'counterexample',
    tolerance: `|â − 1| ≤ ${KL_EXPONENT_SLACK} + 1.5·S/D as in rsl.kl-rates (S = 0 for a = 1 on this family's prediction)`,
    runs: 10,
    summarize: (i: KlInstance) => i.summary,
  }),
  defineClaim({
    id: 'rsl.convergence.many-samples',
    title:
      'More samples than parameters: R_θ(g) ≥ 8α²σ_d(X)² along the flow, so L(t) ≤ L_0e^{−16α²σ_d²t} → 0 although ' +
      'K_θ is singular',
    statement:
      'A lower bound r on the Rayleigh quotient R_θ(t)(g(t)) along the flow plus the functional KL inequality of the ' +
      'square loss (‖∇ℓ(f)‖² = 2ℓ(f)) gives L(t) ≤ L_0e^{−2rt} → 0. Example beyond the over-parameterized regime: ' +
      'the diagonal network f = X(u⊙u − v⊙v) with n samples > P = 2d parameters, X of full column rank, a realizable ' +
      'target y = Xβ*, u(0) = v(0) = α1. The tangent kernel K = X diag(4(u² + v²))Xᵀ has rank ≤ d < n at every θ ' +
      '(never positive definite), yet u⊙v = α²1 is conserved, so K ⪰ 8α²XXᵀ, and g = X(β − β*) stays in range X, ' +
      'where XXᵀ ⪰ σ_d(X)²: R_θ(g) ≥ r = 8α²σ_d(X)²',
    source: { paper: RSL, location: RSL_MAIN, provenance: 'D' },
    hypotheses: [
      'X n×d, d ≤ 3, n = 2d + 1..3, singular values 10^{−a/4} (a < d) in a random frame; β* entries ±0.2..1.9; y = Xβ*',
      'u(0) = v(0) = α1, α ∈ {0.3, …, 1}; square loss ½‖f − y‖²',
      CONVERGENCE_FLOW,
    ],
    instances: manySamples,
    check: (i: ManySamplesInstance) => checkRayleighConvergence(manySamplesProblem(i)),
    expected: 'holds',
    tolerance: `${CONVERGENCE_TOLERANCE}; K singular: λ_min(K)/λ_max(K) ≤ 64·n·ε along the path`,
    runs: 20,
    summarize: summarizeManySamples,
  }),
  defineClaim({
    id: 'rsl.convergence.many-samples.unrealizable',
    title:
      'FALSE: with more samples than parameters the Rayleigh bound, and convergence to zero loss, hold for any target',
    statement:
      'rsl.convergence.many-samples for a target y with a part outside range X (‖y − P_Xy‖ = 0.3‖Xβ*‖). FALSE: the ' +
      'argument needs g in the range of K_θ; here g tends to the unreachable part y − P_Xy, orthogonal to range X ⊇ ' +
      'range K_θ, so R_θ(g) → 0 and L → ½‖y − P_Xy‖² > 0 (beyond the over-parameterized regime a singular kernel ' +
      'only helps when the target is realizable)',
    source: {
      paper: RSL,
      location: 'FALSE variant of rsl.convergence.many-samples (an unrealizable target); derived',
      provenance: 'D',
    },
    hypotheses: [
      'the instances of rsl.convergence.many-samples with y + w, w ⟂ range X, ‖w‖ = 0.3‖Xβ*‖',
      CONVERGENCE_FLOW,
    ],
    instances: manySamplesInstanceArb({ unreachable: 0.3 }),
    check: (i: ManySamplesInstance) => checkRayleighConvergence(manySamplesProblem(i)),
    expected: 'counterexample',
    tolerance: CONVERGENCE_TOLERANCE,
    runs: 10,
    summarize: summarizeManySamples,
  }),
  defineClaim({
    id: 'rsl.convergence.population',
    title:
      'Infinitely many samples: a DLN on Gaussian inputs reaches zero population loss, R_θ ≥ N c^{2(N−1)/N}λ_min(Σ)',
    statement:
      'The argument of rsl.convergence.many-samples with infinitely many samples: a balanced square DLN f_θ(x) = ' +
      'W_{N:1}x trained on the population loss L = ½E‖(W_{N:1} − Φ)x‖², x ~ N(0, Σ) (computed exactly as ½‖(A − ' +
      'Φ)S‖²_F, SSᵀ = Σ). Its tangent kernel on L²(N(0, Σ)) has an infinite null space (finitely many parameters), ' +
      'but g(x) = (A − Φ)x is linear, R_θ(g) ≥ N s_min(A)^{2(N−1)/N}λ_min(Σ), and s_min(A(t)) ≥ c = σ_min(Φ) − ' +
      '√(2L_0/λ_min(Σ)) > 0 along the flow: L(t) ≤ L_0e^{−2N c^{2(N−1)/N}λ_min(Σ)t} → 0',
    source: { paper: RSL, location: RSL_MAIN, provenance: 'D' },
    hypotheses: [
      'square layers d×d, d ≤ 3, 1 ≤ N ≤ 3, balanced (ACGH Procedure 1); f*(x) = Φx, σ_max(Φ) = 1, σ_min(Φ) ≥ ' +
        '10^{−1/2}',
      'Σ with λ_max = 1, λ_min(Σ) = 10^{−k/4}, k ≤ 4; ‖(A(0) − Φ)S‖_F = uσ_min(Φ)√λ_min(Σ), u ∈ {¼, ½, ¾}, so c = (1 ' +
        '− u)σ_min(Φ)',
      CONVERGENCE_FLOW,
    ],
    instances: population,
    check: (i: PopulationInstance) => checkRayleighConvergence(populationProblem(i)),
    expected: 'holds',
    tolerance: CONVERGENCE_TOLERANCE,
    runs: 20,
    summarize: summarizePopulation,
  }),
  defineClaim({
    id: 'rsl.convergence.population.whitened-rate',
    title: 'FALSE: on correlated Gaussian inputs the population loss decays at the whitened rate 2N c^{2(N−1)/N}',
    statement:
      'rsl.convergence.population with the rate of whitened inputs (ACGH), r = N c^{2(N−1)/N}, for inputs with ' +
      'λ_min(Σ) = 0.01. FALSE: the error along the least-variance input direction decays at a rate ≤ 2Nλ_min(Σ) ' +
      '(σ_max(Φ) = 1), so L exceeds L_0e^{−2rt}: the covariance enters the rate through λ_min(Σ)',
    source: {
      paper: RSL,
      location: 'FALSE variant of rsl.convergence.population (λ_min(Σ) left out of the rate); derived',
      provenance: 'D',
    },
    hypotheses: [
      'the instances of rsl.convergence.population with λ_min(Σ) = 0.01, σ_min(Φ) = 1, u = ¼ (c = ¾)',
      CONVERGENCE_FLOW,
    ],
    instances: populationInstanceArb({
      covarianceQuarterDecades: [8, 8],
      targetQuarterDecades: [0, 0],
      reachQuarters: [1, 1],
    }),
    check: (i: PopulationInstance) => checkRayleighConvergence(populationProblem(i, true)),
    expected: 'counterexample',
    tolerance: CONVERGENCE_TOLERANCE,
    runs: 10,
    summarize: summarizePopulation,
  }),
];
