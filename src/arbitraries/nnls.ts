import fc from 'fast-check';
import type {
  AcceleratedInstance,
  ConvergesInstance,
  DeepImplicitBiasInstance,
  DiscreteEquivalenceInstance,
  DiscreteRateInstance,
  ImplicitBiasInstance,
  NnlsInstance,
  PerturbationInstance,
  PositivityInstance,
  ReparamFlowInstance,
} from '../nnls/instances.js';
import { LeastSquaresWorkspace, leastSquaresProblem } from '../nnls/problem.js';
import { RECOVERY_RTOL, recoveryError } from '../nnls/small-alpha-limit.js';
import { matVecInto, norm1 } from '../nnls/vector.js';
import { conditionedMatrix, roundEntries } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import { decimals, dimension, seeded } from './seeded.js';

export type {
  AcceleratedInstance,
  ConvergesInstance,
  DeepImplicitBiasInstance,
  DiscreteEquivalenceInstance,
  DiscreteRateInstance,
  ImplicitBiasInstance,
  NnlsInstance,
  PerturbationInstance,
  PositivityInstance,
  ReparamFlowInstance,
};

/**
 * Instances of overparametrized NNLS, min_{x ≥ 0} ½‖Ax − b‖² (CMV, arXiv:2207.08437): one generator per claim
 * family, each with a constraints type whose defaults are the catalogue's. Every generator is seeded (same seed,
 * same instance) and shrinks through its dimensions, its depth and its α index toward the smallest case.
 */

/** The JSON summary of (A, b) every NNLS claim reports. */
export function summarizeNnlsProblem(p: NnlsInstance): Record<string, unknown> {
  return { A: p.A.toArray(), b: Array.from(p.b) };
}

function gaussianVector(rng: Rng, n: number, dec = 17): Float64Array {
  const v = Float64Array.from({ length: n }, () => rng.gaussian());
  if (dec < 17) {
    const f = 10 ** dec;
    for (let i = 0; i < n; i++) v[i] = Math.round(v[i] * f) / f;
  }
  return v;
}

/** α from a shrinkable index: α = 0.3 + 0.1·k, k ∈ [0, 7] (shrinks toward 0.3). */
const alphaArb = fc.integer({ min: 0, max: 7 }).map((k) => Math.round((0.3 + 0.1 * k) * 10) / 10);

/** σ_1 = 1 and σ_min = 10^{−q/8}, q ∈ [0, 4] (cond ≤ √10): keeps an explicit integrator's stiffness ratio small. */
const conditionIndex = fc.integer({ min: 0, max: 4 });
const conditionOf = (q: number): number => 10 ** (q / 8);

/** Ranges of the dimensions of A (m rows, n columns), inclusive. */
export interface DimensionConstraints {
  readonly rows?: readonly [number, number];
  readonly cols?: readonly [number, number];
}

/** Defaults: m, n ∈ [1, 6], L ∈ [1, 5]. */
export interface ReparamFlowConstraints extends DimensionConstraints {
  readonly depth?: readonly [number, number];
}

/** Gaussian A, b rounded to a shrinkable number of decimals, log-normal u(0) > 0, Gaussian c. */
export function reparamFlowInstances(constraints: ReparamFlowConstraints = {}): fc.Arbitrary<ReparamFlowInstance> {
  const { rows = [1, 6], cols = [1, 6], depth = [1, 5] } = constraints;
  return seeded(
    fc.tuple(dimension(...rows), dimension(...cols), fc.integer({ min: depth[0], max: depth[1] }), decimals()),
    ([m, n, L, dec], rng) => ({
      A: roundEntries(gaussianMatrix(rng, m, n), dec),
      b: gaussianVector(rng, m, dec),
      L,
      u0: Float64Array.from({ length: n }, () => Math.round(Math.exp(0.5 * rng.gaussian()) * 1e4) / 1e4),
      c: gaussianVector(rng, n),
    }),
  );
}

/** Defaults: m, n ∈ [1, 8], L ∈ [2, 4]. */
export interface ConvergesConstraints extends DimensionConstraints {
  readonly depth?: readonly [number, number];
}

/** A with singular values log-spaced in [1/cond, 1] (cond ≤ √10), Gaussian b, α ∈ {0.3, …, 1}. */
export function convergesInstances(constraints: ConvergesConstraints = {}): fc.Arbitrary<ConvergesInstance> {
  const { rows = [1, 8], cols = [1, 8], depth = [2, 4] } = constraints;
  return seeded(
    fc.tuple(
      dimension(...rows),
      dimension(...cols),
      fc.integer({ min: depth[0], max: depth[1] }),
      alphaArb,
      conditionIndex,
    ),
    ([m, n, L, alpha, q], rng) => ({
      A: conditionedMatrix(rng, m, n, { cond: conditionOf(q) }),
      b: gaussianVector(rng, m),
      L,
      alpha,
    }),
  );
}

/** Defaults: m ∈ [1, 4] rows and n = min(maxCols, m + extra) columns, extra ∈ [1, 4], maxCols 8. */
export interface ImplicitBiasConstraints {
  readonly rows?: readonly [number, number];
  readonly extraCols?: readonly [number, number];
  readonly maxCols?: number;
}

/**
 * Underdetermined A (full row rank, cond ≤ √10) and b = A·x_true with x_true ∈ [0.5, 2]ⁿ: b lies strictly inside
 * cone(A), so {x > 0, Ax = b} ≠ ∅, the KL projection exists and the flow interpolates.
 */
export function implicitBiasInstances(constraints: ImplicitBiasConstraints = {}): fc.Arbitrary<ImplicitBiasInstance> {
  const { rows = [1, 4], extraCols = [1, 4], maxCols = 8 } = constraints;
  return seeded(
    fc.tuple(dimension(...rows), dimension(...extraCols), alphaArb, conditionIndex),
    ([m, extra, alpha, q], rng) => {
      const n = Math.min(maxCols, m + extra);
      const A = conditionedMatrix(rng, m, n, { cond: conditionOf(q) });
      const xTrue = Float64Array.from({ length: n }, () => Math.round((0.5 + 1.5 * rng.uniform()) * 100) / 100);
      return { A, b: matVecInto(new Float64Array(m), A, xTrue), alpha, xTrue };
    },
  );
}

/** Defaults: m, n ∈ [1, 8], 60 iterations; the depths are required (even for the claim, odd for its FALSE twin). */
export interface PositivityConstraints extends DimensionConstraints {
  readonly depths: readonly number[];
  readonly iterations?: number;
}

/**
 * Gaussian A, b (shrinkable decimals), η = 10^{k/4} for k ∈ [−12, 8] (1e-3 … 1e2), step decay γ ∈ {0, ½, 1},
 * α ∈ {0.3, …, 1}, and a random set of frozen coordinates (never all of them).
 */
export function positivityInstances(constraints: PositivityConstraints): fc.Arbitrary<PositivityInstance> {
  const { rows = [1, 8], cols = [1, 8], depths, iterations = 60 } = constraints;
  const eta4 = fc.integer({ min: -12, max: 8 });
  const mask = fc.integer({ min: 0, max: 255 });
  return seeded(
    fc.tuple(
      dimension(...rows),
      dimension(...cols),
      fc.constantFrom(...depths),
      eta4,
      fc.constantFrom(0, 0.5, 1),
      alphaArb,
      mask,
      decimals(),
    ),
    ([m, n, L, e4, gamma, alpha, bits, dec], rng) => ({
      A: roundEntries(gaussianMatrix(rng, m, n), dec),
      b: gaussianVector(rng, m, dec),
      L,
      eta: 10 ** (e4 / 4),
      gamma,
      alpha,
      // Freeze coordinate i when bit i of the mask is set, but never all of them.
      frozen: Array.from({ length: n }, (_, i) => i).filter((i) => (bits >> i) & 1 && i < n - 1),
      iterations,
    }),
  );
}

export function summarizePositivity(p: PositivityInstance): unknown {
  const { L, eta, gamma, alpha, frozen, iterations } = p;
  return { ...summarizeNnlsProblem(p), L, eta, gamma, alpha, frozen, iterations };
}

/** A with singular values log-spaced in [1/cond, 1] (cond ≤ √10), Gaussian b; defaults m, n ∈ [1, 8]. */
export function acceleratedInstances(constraints: DimensionConstraints = {}): fc.Arbitrary<AcceleratedInstance> {
  const { rows = [1, 8], cols = [1, 8] } = constraints;
  return seeded(
    fc.tuple(dimension(...rows), dimension(...cols), alphaArb, conditionIndex),
    ([m, n, alpha, q], rng) => ({
      A: conditionedMatrix(rng, m, n, { cond: conditionOf(q) }),
      b: gaussianVector(rng, m),
      alpha,
    }),
  );
}

/** Defaults: m ∈ [2, 5], n = min(8, m + extra), extra ∈ [1, 3], support bound k ∈ [1, 4], 50 draws. */
export interface PerturbationConstraints {
  readonly rows?: readonly [number, number];
  readonly extraCols?: readonly [number, number];
  readonly support?: readonly [number, number];
  /** Draws of (A, x₊, w) before an instance whose x₊ is not identifiable is kept (and reported inconclusive). */
  readonly draws?: number;
}

/** The default number of draws of perturbationInstances. */
export const PERTURBATION_DRAWS = 50;

/**
 * A m×n (m < n) Gaussian with a positive first row, x₊ ≥ 0 on a random support of ≤ max(1, m − 2) entries and a
 * direction w ≥ 0, ‖w‖₁ = 1; redrawn (same dimensions) until x₊ is what the small-α limit returns at n = 0, the
 * claim's hypothesis that x₊ is identifiable (about one draw in eight is not).
 */
export function perturbationInstances(constraints: PerturbationConstraints = {}): fc.Arbitrary<PerturbationInstance> {
  const { rows = [2, 5], extraCols = [1, 3], support = [1, 4], draws = PERTURBATION_DRAWS } = constraints;
  return seeded(fc.tuple(dimension(...rows), dimension(...extraCols), dimension(...support)), ([m, extra, k], rng) => {
    const n = Math.min(8, m + extra);
    const draw = (): PerturbationInstance => {
      const A = gaussianMatrix(rng, m, n);
      // M₊: the first row is positive, so t = e₁ gives Aᵀt > 0.
      for (let j = 0; j < n; j++) A.data[j] = Math.abs(A.data[j]) + 0.5;
      const size = Math.min(k, Math.max(1, m - 2));
      const order = Array.from({ length: n }, (_, i) => i).sort(() => rng.uniform() - 0.5);
      const xPlus = new Float64Array(n);
      for (let i = 0; i < size; i++) xPlus[order[i]] = Math.round((0.5 + rng.uniform()) * 100) / 100;
      const w = Float64Array.from({ length: n }, () => Math.abs(rng.gaussian()));
      const s1 = norm1(w);
      for (let i = 0; i < n; i++) w[i] /= s1;
      return { A, b: matVecInto(new Float64Array(m), A, xPlus), xPlus, w };
    };
    let inst = draw();
    for (let attempt = 1; attempt < draws && recoveryError(inst) > RECOVERY_RTOL * norm1(inst.xPlus); attempt++)
      inst = draw();
    return inst;
  });
}

/** Defaults: m, n ∈ [1, 6], L ∈ [2, 4], 30 iterations. */
export interface DiscreteEquivalenceConstraints extends DimensionConstraints {
  readonly depth?: readonly [number, number];
  readonly iterations?: number;
}

/**
 * A with singular values in [1/√10, 1], Gaussian b, u0 = exp(0.3·N(0, 1)) > 0 shared by every factor, decay
 * γ ∈ {0, ½, 1} (η_k = η/(k+2)^γ) and η = θ/(1 + max_i |u0_i^{L−2} ∂_i f(u0^L)|) with θ = 10^{q/4}, q ∈ [−12, −2]
 * (1e-3 … 0.32): relative to the first step's size, so that most runs keep u > 0, where the claim lives.
 */
export function discreteEquivalenceInstances(
  constraints: DiscreteEquivalenceConstraints = {},
): fc.Arbitrary<DiscreteEquivalenceInstance> {
  const { rows = [1, 6], cols = [1, 6], depth = [2, 4], iterations = 30 } = constraints;
  const depthArb = fc.integer({ min: depth[0], max: depth[1] });
  const theta4 = fc.integer({ min: -12, max: -2 });
  return seeded(
    fc.tuple(dimension(...rows), dimension(...cols), depthArb, theta4, fc.constantFrom(0, 0.5, 1), conditionIndex),
    ([m, n, L, q, gamma, c], rng) => {
      const A = conditionedMatrix(rng, m, n, { cond: conditionOf(c) });
      const b = gaussianVector(rng, m);
      const u0 = Float64Array.from({ length: n }, () => Math.round(Math.exp(0.3 * rng.gaussian()) * 1e4) / 1e4);
      const ws = new LeastSquaresWorkspace(leastSquaresProblem(A, b));
      ws.evaluate(u0.map((v) => v ** L));
      let speed = 0;
      for (let i = 0; i < n; i++) speed = Math.max(speed, Math.abs(u0[i] ** (L - 2) * ws.gradient[i]));
      return { A, b, L, u0, eta: Number((10 ** (q / 4) / (1 + speed)).toPrecision(6)), gamma, iterations };
    },
  );
}

/** Defaults: m, n ∈ [1, 8], 300 steps; interior: b = A·x_true with x_true ∈ [1, 2]ⁿ and m ≥ n instead. */
export interface DiscreteRateConstraints extends DimensionConstraints {
  readonly iterations?: number;
  readonly interior?: boolean;
}

/**
 * NNLS instances for nnls.discrete-rate: A with σ ∈ [1/√10, 1], Gaussian b, α ∈ {0.3, …, 1}, η ∈ {0.1, 0.3, 1, 3},
 * γ ∈ {0, ½, 1}. With `interior` (its FALSE variant) the unique solution x* = x_true ≥ 1 is interior, so that GD on
 * u with the step 1/‖A‖² is unstable there (the Hessian 4diag(u*)AᵀAdiag(u*) has λ_max ≥ 4‖A‖²·min x* ≥ 4‖A‖²).
 */
export function discreteRateInstances(constraints: DiscreteRateConstraints = {}): fc.Arbitrary<DiscreteRateInstance> {
  const { rows = [1, 8], cols = [1, 8], iterations = 300, interior = false } = constraints;
  return seeded(
    fc.tuple(
      dimension(...rows),
      dimension(...cols),
      alphaArb,
      fc.constantFrom(0.1, 0.3, 1, 3),
      fc.constantFrom(0, 0.5, 1),
      conditionIndex,
    ),
    ([r, c, alpha, eta, gamma, q], rng) => {
      const n = c,
        m = interior ? Math.max(r, c) : r;
      const A = conditionedMatrix(rng, m, n, { cond: conditionOf(q) });
      const xTrue = Float64Array.from({ length: n }, () => Math.round((1 + rng.uniform()) * 100) / 100);
      const b = interior ? matVecInto(new Float64Array(m), A, xTrue) : gaussianVector(rng, m);
      return { A, b, alpha, eta, gamma, iterations };
    },
  );
}

/** implicitBiasInstances with a depth L ∈ depth (default [3, 4]). */
export function deepImplicitBiasInstances(
  constraints: ImplicitBiasConstraints & { readonly depth?: readonly [number, number] } = {},
): fc.Arbitrary<DeepImplicitBiasInstance> {
  const { depth = [3, 4] } = constraints;
  return fc
    .tuple(implicitBiasInstances(constraints), fc.integer({ min: depth[0], max: depth[1] }))
    .map(([inst, L]) => ({ ...inst, L }));
}
