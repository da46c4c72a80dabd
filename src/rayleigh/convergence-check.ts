import { compare, EPS, inconclusive, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { multiply } from '../linalg/products.js';
import { svd } from '../linalg/svd.js';
import { squareLossFlow } from './flow.js';
import type { ManySamplesInstance, PopulationInstance } from './instances.js';
import { checkEnvelope } from './kl-rates.js';
import { type ModelMap, squareLossAt, tangentKernel } from './model-map.js';
import { diagonalModelMap, dlnModelMap, packWeights } from './models.js';
import { rateFigure } from './plots.js';
import { kernelSpectrum } from './rayleigh.js';

/**
 * Robin–Scaman–Lelarge's convergence argument: the square loss satisfies the functional KL inequality
 * ‖∇ℓ(f)‖² = ‖g‖² = 2ℓ(f), and ‖∇L(θ)‖² = R_θ(g)‖g‖² (rsl.identity), so a lower bound R_θ(t)(g(t)) ≥ r along the
 * flow gives L′ = −‖∇L‖² ≤ −2rL and L(t) ≤ L(0)e^{−2rt} → 0 — with no positive-definite tangent kernel, only a
 * kernel that is large in the direction of the residual g. Each example supplies its own r.
 */

/** A square-loss flow with the lower bound r on the Rayleigh quotient that its example proves. */
export interface RayleighProblem {
  readonly name: string;
  readonly map: ModelMap;
  readonly theta0: Float64Array;
  readonly target: Float64Array;
  readonly rate: { readonly value: number; readonly why: string };
  /** Where K_θ acts, for the report. */
  readonly kernelSpace: string;
  /** More outputs than parameters: K_θ = J_θJ_θ* has rank ≤ P < M and is never positive definite (checked). */
  readonly singularKernel: boolean;
}

/** Integrator tolerances, and the horizon T = 1.2·ln(L_0/floor)/(2r), by which the envelope is below the floor. */
export const RAYLEIGH_FLOW = { rtol: 1e-12, atol: 1e-14, maxSteps: 40_000, horizon: 1.2 } as const;
/** The floor 1e3·ε·L_0 below which L is round-off: the flow stops there and R is checked only above it. */
const RAYLEIGH_FLOOR = 1e3 * EPS;
/** Relative slack of the envelope (the integrator's error in L at rtol 1e-12) and of the bound on R. */
export const ENVELOPE_SLACK = 1e-6;
export const RATE_SLACK = 1e-9;

export interface ConvergenceOptions {
  /** Multiply the example's r (teeth tests: an overstated rate must be refuted). */
  readonly rateScale?: number;
  /** Integration budget (tests: a budget too small to reach the floor must be inconclusive). */
  readonly maxSteps?: number;
}

interface Observation {
  readonly t: number;
  readonly R: number;
  readonly tol: number;
  readonly lambdaMin: number;
  readonly lambdaMax: number;
}

/**
 * Along the flow (Dormand–Prince, rtol 1e-12, until L < 1e3·ε·L_0 or T): R_θ(g) = ‖∇L‖²/‖g‖² ≥ r at every
 * observation with L above the floor, held to r(1 − 1e-9) − τ, τ = 2λ_max(K)·e_g/‖g‖ the effect of the round-off
 * e_g = 8(P + M)ε(‖g‖ + 2‖f*‖) of the residual; and L(t) ≤ L_0e^{−2rt}(1 + 1e-6) + 1e3·ε·L_0 at every observation.
 * Inconclusive when the integration budget ran out before the floor or the horizon and nothing was violated.
 */
export function checkRayleighConvergence(p: RayleighProblem, options: ConvergenceOptions = {}): Verdict {
  const r = p.rate.value * (options.rateScale ?? 1);
  const L0 = squareLossAt(p.map, p.theta0, p.target).loss;
  const floor = RAYLEIGH_FLOOR * L0;
  const T = (RAYLEIGH_FLOW.horizon * Math.log(L0 / floor)) / (2 * r);
  const targetNorm = Math.hypot(...p.target);
  const size = p.map.parameterDim + p.map.outputDim;
  const points: Observation[] = [];
  const flow = squareLossFlow(p.map, p.target, p.theta0, {
    T,
    rtol: RAYLEIGH_FLOW.rtol,
    atol: RAYLEIGH_FLOW.atol,
    maxSteps: options.maxSteps ?? RAYLEIGH_FLOW.maxSteps,
    stopBelow: floor,
    observe: (t, theta, q) => {
      if (!(q.loss >= floor)) return;
      const K = kernelSpectrum(tangentKernel(p.map, theta, 'vjp'));
      const gNorm = Math.sqrt(2 * q.loss);
      const eg = 8 * size * EPS * (gNorm + 2 * targetNorm);
      const R = q.gradientNormSquared / (2 * q.loss);
      points.push({ t, R, tol: (2 * K.lambdaMax * eg) / gNorm, lambdaMin: K.lambdaMin, lambdaMax: K.lambdaMax });
    },
  });
  let worst = points[0];
  for (const o of points) if (o.R + o.tol < worst.R + worst.tol) worst = o;
  const rayleigh = compare({
    measured: worst.R / r,
    bound: 1 - RATE_SLACK - worst.tol / r,
    comparison: '>=',
    errorModel:
      `R/r ≥ 1 − ${fmt(RATE_SLACK)} − τ/r, τ = 2λ_max(K)·e_g/‖g‖, e_g = 8(P + M)ε(‖g‖ + 2‖f*‖) (round-off of the ` +
      `residual)`,
    detail:
      `${p.name}: min over ${points.length} observations of R_θ(g) = ‖∇L‖²/‖g‖² is ${fmt(worst.R)} at t = ` +
      `${fmt(worst.t)} vs r = ${fmt(r)} (${p.rate.why})`,
  });
  const envelope = checkEnvelope(flow, {
    name: `L ≤ L_0e^{−2rt}, r = ${fmt(r)}`,
    a: 1,
    c: 2 * r,
    relative: ENVELOPE_SLACK,
    absolute: floor,
  });
  const n = flow.t.length;
  const lambdaMinMax = Math.max(...points.map((o) => o.lambdaMin / o.lambdaMax));
  const kernelText = `λ_min(K)/λ_max(K) ≤ ${fmt(lambdaMinMax)} along the path (K on ${p.kernelSpace})`;
  const singular = compare({
    measured: lambdaMinMax,
    bound: 64 * p.map.outputDim * EPS,
    errorModel:
      `λ_min(K)/λ_max(K) ≤ 64·M·ε = ${fmt(64 * p.map.outputDim * EPS)} (a zero eigenvalue, up to the eigensolver's ` +
      `error)`,
    detail: `${p.name}: K_θ is ${p.map.outputDim}×${p.map.outputDim} of rank ≤ P = ${p.map.parameterDim}: ${kernelText}`,
  });
  const verdict = worstOf(p.singularKernel ? [rayleigh, envelope, singular] : [rayleigh, envelope]);
  const reached = flow.status === 'stopped' || flow.t[n - 1] >= T;
  const ended = `flow ${flow.status} at t = ${fmt(flow.t[n - 1])} of T = ${fmt(T)}, L = ${fmt(flow.loss[n - 1])} (floor ${fmt(floor)})`;
  const result: Verdict =
    verdict.status === 'pass' && !reached
      ? inconclusive({
          ...verdict,
          detail: `${verdict.detail}; the integration budget ran out before the floor or the horizon (${ended})`,
        })
      : { ...verdict, detail: `${verdict.detail}; ${ended}; ${kernelText}` };
  const plot = rateFigure({
    title: `${p.name}: L(t) against the Rayleigh-quotient envelope L_0e^{−2rt}`,
    yLabel: 'L(t) = ½‖f_θ(t) − f*‖²',
    t: flow.t.slice(1),
    measured: { name: 'L(t)', y: flow.loss.slice(1) },
    predicted: [{ name: 'L_0e^{−2rt}', y: envelope.envelope.slice(1) }],
  });
  return {
    ...result,
    data: {
      plot,
      rate: r,
      minRayleigh: worst.R,
      kernelConditionInverse: lambdaMinMax,
      finalLoss: flow.loss[n - 1],
      horizon: T,
      observations: n,
    },
  };
}

/** WGL's diagonal network from u = v = α1: u⊙v = α²1 is conserved, so K = X diag(4(u² + v²))Xᵀ ⪰ 8α²XXᵀ. */
export function manySamplesProblem(i: ManySamplesInstance): RayleighProblem {
  const n = i.X.rows,
    d = i.X.cols;
  const sd = svd(i.X).s[d - 1];
  return {
    name: `diagonal network f = X(u⊙u − v⊙v), n = ${n} samples > P = ${2 * d} parameters`,
    map: diagonalModelMap(i.X),
    theta0: new Float64Array(2 * d).fill(i.alpha),
    target: i.y,
    rate: {
      value: 8 * i.alpha ** 2 * sd ** 2,
      why: `8α²σ_d(X)², α = ${i.alpha}, σ_d(X) = ${fmt(sd)}: g = X(β − β*) ∈ range X`,
    },
    kernelSpace: `R^${n}, the samples`,
    singularKernel: true,
  };
}

/**
 * The population loss ½E‖(A − Φ)x‖², x ~ N(0, Σ), as ½‖(A − Φ)S‖²_F (SSᵀ = Σ), with G = ∇_Aℓ = (A − Φ)Σ: a balanced
 * flow has ‖∇L‖² ≥ N s_min(A)^{2(N−1)/N}‖G‖²_F and ‖G‖²_F ≥ λ_min(Σ)‖(A − Φ)S‖²_F = λ_min(Σ)‖g‖², so
 * R ≥ N s_min(A)^{2(N−1)/N}λ_min(Σ); and s_min(A(t)) ≥ σ_min(Φ) − ‖A(t) − Φ‖_2 ≥ σ_min(Φ) − √(2L(0)/λ_min(Σ)) = c
 * since L is non-increasing [D]. `whitened` drops λ_min(Σ) from r: the rate of whitened inputs claimed for
 * correlated ones (the FALSE neighbour).
 */
export function populationProblem(i: PopulationInstance, whitened = false): RayleighProblem {
  const N = i.depth,
    d = i.d;
  const c = i.sigmaMinPhi - i.reach;
  const margin = N * Math.pow(c, (2 * (N - 1)) / N);
  const factor = whitened ? 1 : i.lambdaMinSigma;
  return {
    name: `DLN f = W_{${N}:1}x on x ~ N(0, Σ), population loss`,
    map: dlnModelMap(new Array(N + 1).fill(d), i.S),
    theta0: packWeights(i.weights),
    target: multiply(i.Phi, i.S).data,
    rate: {
      value: margin * factor,
      why: whitened
        ? `N c^{2(N−1)/N} with c = ${fmt(c)}, as for whitened inputs (λ_min(Σ) = ${fmt(i.lambdaMinSigma)} left out)`
        : `N c^{2(N−1)/N}λ_min(Σ), c = σ_min(Φ) − √(2L_0/λ_min(Σ)) = ${fmt(c)}, λ_min(Σ) = ${fmt(i.lambdaMinSigma)}`,
    },
    kernelSpace: 'the linear functions x ↦ Mx, where g lives; on all of L²(N(0, Σ)) it has an infinite null space',
    singularKernel: false,
  };
}
