import fc from 'fast-check';
import type { Claim } from '../src/claims/claim.js';
import { defineClaim } from '../src/claims/claim.js';
import { checkIdentity, compare, inconclusive, worstOf, type Verdict } from '../src/check/index.js';
import { ORDER_TEST, checkOrderAdaptive, describeOrderTest } from '../src/check/order.js';
import { dimension, seeded, widths as widthsArb } from '../src/arbitraries/seeded.js';
import { networkInstanceArb, type NetworkInstance } from '../src/arbitraries/networks.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply, multiplyInto } from '../src/linalg/products.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { svd } from '../src/linalg/svd.js';
import { rankConstrainedMinimizer, whiten } from '../src/linalg/whitening.js';
import { Rng } from '../src/random/rng.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { conditionedMatrix, matrixWithSpectrum, roundEntries, whitenedInputs } from '../src/random/constructions.js';
import type { Data } from '../src/model/loss.js';
import { endToEndGradient, validateData } from '../src/model/loss.js';
import { layerGradients } from '../src/model/gradients.js';
import { balancednessDefects, maxBalancednessDefect } from '../src/model/balancedness.js';
import { balancedFactorization } from '../src/model/balanced-init.js';
import { endToEnd } from '../src/model/partial-products.js';
import { cloneWeights, shapesFor } from '../src/model/network.js';
import { metricOperator } from '../src/geometry/metric-operator.js';
import { fixedRankPoint } from '../src/geometry/fixed-rank-point.js';
import { tangentProject } from '../src/geometry/tangent-space.js';
import {
  DlnGradientField,
  EndToEndField,
  GradientDescent,
  allocateState,
  callbackObserver,
  integrateDormandPrince,
  integrateImplicitMidpoint,
  integrateRk4,
  stateNorm,
  type FixedStepOptions,
  type MetricApplication,
  type Shape,
  type VectorField,
} from '../src/dynamics/index.js';
import { fmt } from './support/verdict-text.js';
import { EPS } from '../src/check/verdict.js';

/**
 * THEORY §2, the flow claims of BRTW, ACH (and ACHL 2019): conservation of the balancedness defects, the GD drift
 * identity, the end-to-end ODE of a balanced network (continuous and one GD step), the singular-value dynamics,
 * rank constancy, monotone loss, convergence to a critical point and to the rank-k optimum.
 *
 * Every check answers with a Verdict whose bound comes from an error model printed in `errorModel`:
 *   - flows are checked against the integrator's order (THEORY §7): a true statement makes the defect fall at the
 *     integrator's order as the step halves (checkOrder, with a round-off floor below which points are ignored); a
 *     false one leaves a defect that does not shrink (slope ≈ 0) or shrinks one order too slowly;
 *   - the implicit midpoint rule keeps quadratic invariants up to its measured nonlinear-solve residual;
 *   - exact identities use checkIdentity with a product scale (a few ulps of the terms they were built from);
 *   - the convergence claims state a convergence tolerance derived from the gradient norm reached.
 * The check functions take injectable parts (integrator, metric operator, singular-value rate) so that tests can
 * break them on purpose and watch the verdict fail.
 */

/** The verdict with a note on its bound appended to the error model of the check that produced it. */
const withNote = (v: Verdict, note: string): Verdict => ({ ...v, errorModel: `${v.errorModel}; ${note}` });

// ───────────────────────────── instances ─────────────────────────────

/** A network with data: widths [d_0..d_N], weights [W_1..W_N], data {X, Y}. */
export interface FlowInstance {
  readonly widths: number[];
  readonly weights: Matrix[];
  readonly data: Data;
}

const round = (x: number): number => Number(x.toPrecision(6));
const rows = (m: Matrix): number[][] => m.toArray().map((r) => r.map(round));

/** A compact JSON summary of an instance: widths, the matrices (6 significant digits) and the scalars given. */
export function summarizeFlowInstance(instance: FlowInstance, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    widths: instance.widths,
    weights: instance.weights.map(rows),
    X: rows(instance.data.X),
    Y: rows(instance.data.Y),
    maxDefect: round(maxBalancednessDefect(instance.weights)),
    ...extra,
  };
}

/** Gaussian network: widths from `widthsArb`, weights N(0, 1/fan-in), data entries rounded to shrinkable decimals. */
function gaussianNetworkArb(options: { depth: [number, number]; width: [number, number]; samples: [number, number] }): fc.Arbitrary<FlowInstance> {
  return networkInstanceArb({ depth: options.depth, width: options.width, samples: options.samples, init: 'gaussian' }).map(
    (n: NetworkInstance): FlowInstance => ({ widths: n.widths, weights: n.weights, data: n.data }),
  );
}

/** Singular values top·0.6^i·(1 + 0.1u_i), i < r: distinct (consecutive ratio ≥ 0.6·1.1 = 1/1.52), σ_1 ∈ [top, 1.1·top]. */
function distinctSpectrum(rng: Rng, r: number, top = 1.5): number[] {
  return Array.from({ length: r }, (_, i) => top * Math.pow(0.6, i) * (1 + 0.1 * rng.uniform()));
}

/** Gaussian data scaled by 1/√m so that XXᵀ and YXᵀ are O(1) in the 'half' scale. */
function scaledData(rng: Rng, d0: number, dN: number, m: number): Data {
  return { X: gaussianMatrix(rng, d0, m, 1 / Math.sqrt(m)), Y: gaussianMatrix(rng, dN, m, 1 / Math.sqrt(m)) };
}

/** A balanced network (ACGH Procedure 1) whose product has the given rank and distinct singular values. */
export interface BalancedInstance extends FlowInstance {
  /** rank of the product W(0). */
  readonly rank: number;
  /** σ(W(0)), descending (rank values). */
  readonly spectrum: number[];
}

/** summarizeFlowInstance with the spectrum of the product W(0). */
const summarizeBalanced = (i: BalancedInstance): Record<string, unknown> => summarizeFlowInstance(i, { spectrum: i.spectrum.map(round) });

/** Depth, outer widths and sample-count ranges of the full-rank instances (defaults: depth 2..4, d_0, d_N ∈ 1..3, m ∈ 1..4). */
export type FullRankOptions = { depth?: [number, number]; outer?: [number, number]; samples?: [number, number] };

/**
 * Widths [d_0, r + e_1, …, r + e_{N−1}, d_N] with r = min(d_0, d_N) and e_j ∈ {0, 1} (every hidden width ≥ r, so the
 * product can have full rank r) and a sample count m, as shrinkable parameters; `build` draws the rest from the Rng.
 */
function seededFullRank<T>(options: FullRankOptions, build: (shape: { widths: number[]; d0: number; dN: number; r: number; m: number }, rng: Rng) => T): fc.Arbitrary<T> {
  const [dLo, dHi] = options.depth ?? [2, 4];
  const [oLo, oHi] = options.outer ?? [1, 3];
  const params = fc.tuple(dimension(dLo, dHi), dimension(oLo, oHi), dimension(oLo, oHi), fc.array(dimension(0, 1), { minLength: dHi, maxLength: dHi }), dimension(...(options.samples ?? [1, 4])));
  return seeded(params, ([n, d0, dN, extra, m], rng) => {
    const r = Math.min(d0, dN);
    return build({ widths: [d0, ...extra.slice(0, n - 1).map((e) => r + e), dN], d0, dN, r, m }, rng);
  });
}

/**
 * Balanced networks of depth 2..4 with full-rank product (rank r = min(d_0, d_N), hidden widths r..r+1) and
 * distinct singular values: where the end-to-end ODE is smooth (THEORY: not Lipschitz at rank-deficient W, N ≥ 3).
 */
export function balancedFullRankArb(options: FullRankOptions = {}): fc.Arbitrary<BalancedInstance> {
  return seededFullRank(options, ({ widths, d0, dN, r, m }, rng) => {
    const spectrum = distinctSpectrum(rng, r);
    const weights = balancedFactorization(matrixWithSpectrum(rng, dN, d0, spectrum), widths, rng);
    return { widths, weights, data: scaledData(rng, d0, dN, m), rank: r, spectrum };
  });
}

/** Same widths and data as balancedFullRankArb, but i.i.d. Gaussian factors: unbalanced (the FALSE variant). */
export function unbalancedFullRankArb(options: FullRankOptions = {}): fc.Arbitrary<FlowInstance> {
  return seededFullRank(options, ({ widths, d0, dN, m }, rng) => {
    const weights = shapesFor(widths).map(([a, b]) => roundEntries(gaussianMatrix(rng, a, b, 1 / Math.sqrt(b)), 2));
    return { widths, weights, data: { X: roundEntries(gaussianMatrix(rng, d0, m), 2), Y: roundEntries(gaussianMatrix(rng, dN, m), 2) } };
  });
}

// ───────────────────────────── shared numerics ─────────────────────────────

/** Σ_j d_j: the size factor of round-off models (inner dimensions of products, entries of a state). */
const widthSum = (widths: readonly number[]): number => widths.reduce((a, b) => a + b, 0);

/** max_j ‖X_j‖_F² over a state: the scale of the quadratic quantities C_j built from it. */
function maxSquaredNorm(state: readonly Matrix[]): number {
  return state.reduce((m, x) => Math.max(m, frobeniusNorm(x) ** 2), 0);
}

/** ‖A − B‖_F over lists of matrices. */
function listDistance(a: readonly Matrix[], b: readonly Matrix[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) for (let i = 0; i < a[j].data.length; i++) s += (a[j].data[i] - b[j].data[i]) ** 2;
  return Math.sqrt(s);
}

/**
 * A directional estimate of the Lipschitz constant of a field at a state: ‖F(y + δd) − F(y)‖/(δ‖d‖) for d = F(y) and
 * for a fixed ±1 pattern, the larger of the two. It only sets step sizes and time spans (h·L ≤ 0.2 keeps explicit RK4
 * in its asymptotic regime and the midpoint fixed-point iteration contracting); it is a lower estimate, hence the
 * margins, and the integrators that depend on it retry with smaller steps when they blow up.
 */
export function lipschitzEstimate(field: VectorField, state: readonly Matrix[]): number {
  const f0 = allocateState(field.shapes), f1 = allocateState(field.shapes), probe = allocateState(field.shapes);
  field.evaluate(0, state, f0);
  const pattern = allocateState(field.shapes);
  let k = 0;
  for (const p of pattern) for (let i = 0; i < p.data.length; i++) p.data[i] = k++ % 2 === 0 ? 1 : -0.7;
  let best = 0;
  for (const d of [f0.map((m) => m.clone()), pattern]) {
    const dn = stateNorm(d);
    if (!(dn > 0)) continue;
    const delta = (1e-6 * Math.max(1, stateNorm(state))) / dn;
    for (let j = 0; j < state.length; j++) for (let i = 0; i < state[j].data.length; i++) probe[j].data[i] = state[j].data[i] + delta * d[j].data[i];
    field.evaluate(0, probe, f1);
    best = Math.max(best, listDistance(f1, f0) / (delta * dn));
  }
  return Math.max(best, 1e-3);
}

/** The smallest power of two n ≥ minSteps with (T/n)·L ≤ hL. */
function stepCount(T: number, lipschitz: number, minSteps: number, hL = 0.25): number {
  const n = Math.max(minSteps, Math.ceil((T * lipschitz) / hL));
  return 2 ** Math.ceil(Math.log2(n));
}

/** A fixed-step integrator with integrateRk4's signature; injectable so tests can swap in Euler or GD. */
export type FixedStepIntegrator = (field: VectorField, state: Matrix[], options: FixedStepOptions) => unknown;

/** The order test every RK4 claim here is held to, in words generated from its constants. */
const RK4_ORDER_TEST = describeOrderTest({ order: 4, refinements: ORDER_TEST.refinements });

export const rk4Integrator: FixedStepIntegrator = (field, state, options) => integrateRk4(field, state, options);

/**
 * A quantity q(state) (a list of matrices) with a claimed evolution q(t) = claimed(t, q(0)) along the flow. For a
 * conserved quantity `claimed` is the identity.
 */
export interface TrackedQuantity {
  readonly name: string;
  measure(state: readonly Matrix[]): Matrix[];
  claimed(t: number, initial: readonly Matrix[]): Matrix[];
}

export interface DriftOrderOptions {
  readonly T: number;
  /** The coarsest step count; the order test refines n_0·2^k until it decides. Observations are taken on the
   * grid of min(n_0, 16) intervals, the same for every step count. */
  readonly n0: number;
  readonly order: number;
  readonly integrator?: FixedStepIntegrator;
  /** Ulps per unit of (√steps + Σd)·scale charged to round-off in the floor (default 2: each step rounds every entry
   * once, |δC| ≤ 2‖W‖‖δW‖, and uncorrelated roundings add like a random walk, √n; the order test ignores points
   * below 10× this floor). Measured: RK4 drift at 16384 steps (truncation ≪ round-off) was 3–101·ε·max‖W_j‖² on 12
   * random instances, below 2·√16384 = 256. */
  readonly floorUlps?: number;
  readonly sizeFactor: number;
  readonly label: string;
}

/**
 * Order test of a tracked quantity: for step counts n = n_0·2^k, integrate to T and record
 * e(h) = max over the coarse-grid times t_i of ‖q(t_i) − claimed(t_i, q(0))‖_F (the sup over times keeps a zero
 * crossing of the leading error coefficient at T from faking a higher order). A true claim gives e(h) ∝ h^p for an
 * order-p integrator; checkOrderAdaptive refines until the order estimates stabilize. Round-off floor of each run:
 * floorUlps·(√n + Σd)·ε·scale, scale = max‖X_j‖_F² over its observed states (each step rounds every entry once,
 * uncorrelated between steps; forming q costs Σd roundings per entry). A step at which the explicit method blows up
 * (the Lipschitz estimate is taken at t = 0) is outside its stability region: the order test skips it.
 */
export function driftOrderVerdict(field: VectorField, state0: readonly Matrix[], quantity: TrackedQuantity, options: DriftOrderOptions): Verdict {
  const integrator = options.integrator ?? rk4Integrator;
  const floorUlps = options.floorUlps ?? 2;
  const q0 = quantity.measure(state0);
  const grid = Math.min(options.n0, 16);
  const counts: number[] = [];
  let scale = maxSquaredNorm(state0);
  const v = checkOrderAdaptive((h) => {
    const n = Math.round(options.T / h);
    counts.push(n);
    const state = cloneWeights(state0);
    let worst = 0, runScale = maxSquaredNorm(state0);
    const observer = callbackObserver((_step, t, s) => {
      if (!Number.isFinite(worst) || !s.every((m) => m.data.every(Number.isFinite))) {
        worst = Infinity;
        return;
      }
      worst = Math.max(worst, listDistance(quantity.measure(s), quantity.claimed(t, q0)));
      runScale = Math.max(runScale, maxSquaredNorm(s));
    });
    integrator(field, state, { t1: options.T, steps: n, observer, every: n / grid });
    // A run that blew up has no meaningful scale: its error is ∞, which the order test handles.
    if (Number.isFinite(worst) && Number.isFinite(runScale)) scale = Math.max(scale, runScale);
    else runScale = maxSquaredNorm(state0);
    return { error: worst, floor: floorUlps * (Math.sqrt(n) + options.sizeFactor) * EPS * runScale };
  }, { order: options.order, h0: options.T / options.n0, label: `${options.label}: ${quantity.name}` });
  return withNote(v, `floor = ${floorUlps}·(√n + Σd ${options.sizeFactor})·ε·max‖W_j‖_F² (${fmt(scale)}) per run; T = ${fmt(options.T)}, steps ${counts.join('/')}`);
}

/** A quantity claimed constant along the flow: claimed(t, q(0)) = q(0). */
function conserved(name: string, measure: (state: readonly Matrix[]) => Matrix[]): TrackedQuantity {
  return { name, measure, claimed: (_t, q0) => q0.map((m) => m) };
}

/** C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ, j = 1..N−1, claimed constant. */
export const defectsConserved: TrackedQuantity = conserved('max_t ‖C_j(t) − C_j(0)‖_F', (s) => balancednessDefects(s));

/** C_j(t) = e^{−2λt}C_j(0) under weight decay λ (canonical (λ/2)Σ‖W_j‖², THEORY §0). */
export function defectsDecaying(lambda: number): TrackedQuantity {
  return {
    name: `max_t ‖C_j(t) − e^{−2λt}C_j(0)‖_F (λ = ${lambda})`,
    measure: (s) => balancednessDefects(s),
    claimed: (t, q0) => q0.map((m) => {
      const out = m.clone();
      const f = Math.exp(-2 * lambda * t);
      for (let i = 0; i < out.data.length; i++) out.data[i] *= f;
      return out;
    }),
  };
}

/**
 * The implicit midpoint rule keeps every quadratic invariant Q up to its solve residual: Q(y⁺) − Q(y) = h·DQ(ȳ)[r]
 * exactly for quadratic Q (ȳ the midpoint, r = K − F(ȳ) the measured residual). For C_j,
 * ‖DC_j(ȳ)[r]‖_F ≤ 2(‖r_{j+1}‖_F‖W̄_{j+1}‖ + ‖r_j‖_F‖W̄_j‖) ≤ 4·√(max block size)·‖r‖_∞·max‖W̄‖_F, so over the run
 * (and over the list of invariants) drift ≤ 4·Σ_steps h‖r‖_∞·√(max block·#invariants)·max_t‖W‖_F, plus round-off
 * 8·(steps + Σd)·ε·max_t‖W_j‖_F² (one rounding of each entry per step, and forming C_j; the linear, worst-case count
 * is affordable here because the bound is not a floor below which points are dropped). max_t over the steps.
 * `invariants` maps a state to its quadratic invariants (defaults to the C_j).
 */
export function midpointConservationVerdict(field: VectorField, state0: readonly Matrix[], options: { T: number; steps: number; sizeFactor: number; label: string; invariants?: (s: readonly Matrix[]) => Matrix[] }): Verdict {
  const invariants = options.invariants ?? ((s: readonly Matrix[]) => balancednessDefects(s));
  // The fixed-point solve contracts only when (h/2)·Lip(F) < 1 along the whole run; the Lipschitz estimate is taken
  // at t = 0, so on divergence the step is halved (at most 4 times) — a solver condition, not a tolerance.
  let state = cloneWeights(state0);
  let stats: ReturnType<typeof integrateImplicitMidpoint> | undefined;
  let scale = 0;
  for (let steps = options.steps, attempt = 0; !stats; steps *= 2, attempt++) {
    state = cloneWeights(state0);
    scale = 0;
    const observer = callbackObserver((_s, _t, st) => {
      scale = Math.max(scale, maxSquaredNorm(st));
    });
    try {
      stats = integrateImplicitMidpoint(field, state, { t1: options.T, steps, rtol: 1e-13, observer });
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  const q0 = invariants(state0);
  const drift = listDistance(invariants(state), q0);
  const block = Math.sqrt(Math.max(...state0.map((m) => m.data.length)) * Math.max(1, q0.length));
  const solvePart = 4 * stats.residualIntegral * block * Math.sqrt(scale);
  const roundPart = 8 * (stats.steps + options.sizeFactor) * EPS * scale;
  const bound = solvePart + roundPart;
  return compare({
    measured: drift,
    bound,
    errorModel:
      `implicit midpoint keeps quadratic invariants to its solve residual: drift ≤ 4·Σh‖r‖_∞ (${fmt(stats.residualIntegral)})·√(max block·#invariants) (${fmt(block)})·max_t‖W‖_F (${fmt(Math.sqrt(scale))}) ` +
      `+ 8·(steps ${stats.steps} + Σd ${options.sizeFactor})·ε·max_t‖W‖_F² = ${fmt(solvePart)} + ${fmt(roundPart)} = ${fmt(bound)}`,
    detail: `${options.label}: implicit midpoint, ${stats.steps} steps to T = ${options.T}: drift of the invariants ${fmt(drift)} (max residual ${fmt(stats.maxResidual)}, ${stats.unconvergedSteps} unconverged steps)`,
  });
}

// ───────────────────────────── flow.conservation ─────────────────────────────

/**
 * The conservation runs: T = min(4, 8/L) — up to 8 "Lipschitz times", the scale on which the flow moves (a stiff
 * instance, L ≈ 500 with unnormalized data, would otherwise need thousands of steps), and at most 4 so that a slow
 * flow still drifts measurably above round-off; the order test starts at h·L ≤ 0.8, inside RK4's stability interval
 * (|hλ| ≤ 2.78), so that its errors span more decades above the floor (a coarse step that still blows up, the
 * Lipschitz estimate being taken at t = 0, is skipped by the test); the implicit midpoint rule takes h·L ≤ 0.2, where
 * its fixed-point solve contracts fast. Measured on seeds 1–30 (3000 instances, T ≤ 1 and h·L ≤ 0.2 before):
 * inconclusive 15 → 5 and RK4 steps 1.1M → 0.4M.
 */
export const CONSERVATION = { tMax: 4, lipschitzTimes: 8, orderStartHL: 0.8, midpointHL: 0.2 } as const;

export function conservationTime(lipschitz: number): number {
  return Math.min(CONSERVATION.tMax, CONSERVATION.lipschitzTimes / lipschitz);
}

export interface ConservationOptions {
  /** Replaces RK4 in the order test (tests inject Euler or GD here: both must fail the order-4 test). */
  readonly integrator?: FixedStepIntegrator;
  /** The order the integrator is held to (default 4, RK4). */
  readonly order?: number;
  /** Skip the implicit-midpoint half (to isolate the order test in tests). */
  readonly orderOnly?: boolean;
}

/** What a conservation run tracks: the quantity of the order test and the quadratic invariants of the midpoint run. */
interface ConservationRun {
  readonly quantity: TrackedQuantity;
  /** The invariants the implicit midpoint rule is held to (default: the C_j). */
  readonly invariants?: (s: readonly Matrix[]) => Matrix[];
  readonly sizeFactor: number;
  readonly label: string;
}

/**
 * Over [0, T], T = conservationTime(L): (a) order test of the tracked quantity from the smallest power of two ≥ 4
 * steps with h·L ≤ 0.8, doubling until it decides; (b) unless orderOnly, implicit midpoint drift (h·L ≤ 0.2) ≤ its
 * solve-residual bound.
 */
function conservationVerdict(field: VectorField, state0: readonly Matrix[], run: ConservationRun, options: ConservationOptions): Verdict {
  const L = lipschitzEstimate(field, state0);
  const T = conservationTime(L);
  const { sizeFactor, label } = run;
  const n0 = stepCount(T, L, 4, CONSERVATION.orderStartHL);
  const order = driftOrderVerdict(field, state0, run.quantity, { T, n0, order: options.order ?? 4, integrator: options.integrator, sizeFactor, label });
  if (options.orderOnly) return order;
  const steps = stepCount(T, L, 4, CONSERVATION.midpointHL);
  const midpoint = midpointConservationVerdict(field, state0, { T, steps, sizeFactor, label, invariants: run.invariants });
  return worstOf([order, midpoint]);
}

/** (a) RK4 order test of the drift of C_j over [0, T]; (b) implicit midpoint drift ≤ its solve-residual bound. */
export function checkConservation(instance: FlowInstance, options: ConservationOptions = {}): Verdict {
  const field = new DlnGradientField(instance.widths, instance.data);
  return conservationVerdict(field, instance.weights, { quantity: defectsConserved, sizeFactor: widthSum(instance.widths), label: 'flow.conservation' }, options);
}

const conservationHypotheses = ['gradient flow dW_j/dt = −∇_{W_j}L of L = ½‖W_{N:1}X − Y‖_F² (scale "half")', 'depth N ≥ 2 (C_j exists)', 'any initialization (Gaussian here: C_j(0) ≠ 0)'];

export const flowConservation: Claim<FlowInstance> = defineClaim({
  id: 'flow.conservation',
  title: 'Balancedness defects are conserved by gradient flow',
  statement: 'Along dW_j/dt = −∇_{W_j}L every C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ is constant.',
  source: { paper: 'BRTW', location: 'conservation of W_{j+1}ᵀW_{j+1} − W_jW_jᵀ along the factor flow (also used by ACH); THEORY §2', provenance: 'P' },
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

/** An instance plus a weight-decay coefficient. */
export interface DecayInstance extends FlowInstance {
  readonly lambda: number;
}

/** RK4 order test of C_j(t) − e^{−2λt}C_j(0) over [0, T] (no midpoint half: the decaying C_j is not an invariant). */
export function checkConservationWeightDecay(instance: DecayInstance, options: { integrator?: FixedStepIntegrator } = {}): Verdict {
  const field = new DlnGradientField(instance.widths, instance.data, { weightDecay: instance.lambda });
  const run = { quantity: defectsDecaying(instance.lambda), sizeFactor: widthSum(instance.widths), label: 'flow.conservation.weight-decay' };
  return conservationVerdict(field, instance.weights, run, { integrator: options.integrator, orderOnly: true });
}

export const flowConservationWeightDecay: Claim<DecayInstance> = defineClaim({
  id: 'flow.conservation.weight-decay',
  title: 'With weight decay, C_j decays like e^{−2λt}',
  statement: 'Along the gradient flow of L + (λ/2)Σ_j‖W_j‖_F², C_j(t) = e^{−2λt}C_j(0).',
  source: { paper: 'BRTW', location: 'derived from flow.conservation: the decay term adds −2λC_j to dC_j/dt (THEORY §0, §2)', provenance: 'D' },
  hypotheses: [...conservationHypotheses, 'canonical weight decay (λ/2)Σ‖W_j‖² (WJ\'s λ‖θ‖² would give e^{−4λt})', 'λ ∈ {0.1, 0.5, 1}'],
  instances: fc
    .tuple(gaussianNetworkArb({ depth: [2, 4], width: [1, 4], samples: [1, 5] }), fc.constantFrom(0.5, 0.1, 1))
    .map(([n, lambda]): DecayInstance => ({ ...n, lambda })),
  check: (instance) => checkConservationWeightDecay(instance),
  expected: 'holds',
  tolerance: `RK4 deviation max_t ‖C_j(t) − e^{−2λt}C_j(0)‖ over T = min(${CONSERVATION.tMax}, ${CONSERVATION.lipschitzTimes}/L) from h·L ≤ ${CONSERVATION.orderStartHL}, halving h: ${RK4_ORDER_TEST}; round-off floor 2·(√n + Σd)·ε·max‖W_j‖².`,
  runs: 100,
  summarize: (i) => summarizeFlowInstance(i, { lambda: i.lambda }),
});

// ── biases ──

/** A network with biases: h_0 = x, h_j = W_j h_{j−1} + b_j (b_j ∈ R^{d_j}). */
export interface BiasedInstance extends FlowInstance {
  readonly biases: Matrix[];
}

/**
 * The gradient-flow field of a DLN with biases, L = ½‖H_N − Y‖_F² with H_0 = X, H_j = W_jH_{j−1} + b_j1ᵀ, written
 * here because src/model has no biased network. State [W_1..W_N, b_1..b_N] (b_j a d_j×1 matrix). Backpropagation:
 * D_N = H_N − Y, D_{j−1} = W_jᵀD_j; ∇_{W_j}L = D_jH_{j−1}ᵀ, ∇_{b_j}L = D_j1 (row sums). Buffers are allocated once.
 * Derivation of the invariant [D]: d/dt(W_jW_jᵀ + b_jb_jᵀ) = −(D_j(W_jH_{j−1} + b_j1ᵀ)ᵀ + sym) = −(D_jH_jᵀ + sym)
 * and d/dt W_{j+1}ᵀW_{j+1} = −(W_{j+1}ᵀD_{j+1}H_jᵀ + sym) = −(D_jH_jᵀ + sym), so
 * W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ is conserved (b_N does not enter).
 */
export class BiasedDlnField implements VectorField {
  readonly shapes: readonly Shape[];
  readonly depth: number;
  private readonly H: Matrix[];
  private readonly D: Matrix[];

  constructor(readonly widths: readonly number[], readonly data: Data) {
    const n = widths.length - 1;
    validateData(data, widths[0], widths[n]);
    this.depth = n;
    const w = shapesFor(widths) as Shape[];
    const b = widths.slice(1).map((d) => [d, 1] as const);
    this.shapes = [...w, ...b];
    const m = data.X.cols;
    this.H = widths.map((d) => new Matrix(d, m));
    this.D = widths.map((d) => new Matrix(d, m));
  }

  /** L = ½‖H_N − Y‖_F². */
  loss(state: readonly Matrix[]): number {
    this.forward(state);
    const h = this.H[this.depth].data, y = this.data.Y.data;
    let s = 0;
    for (let i = 0; i < h.length; i++) s += (h[i] - y[i]) ** 2;
    return 0.5 * s;
  }

  private forward(state: readonly Matrix[]): void {
    const n = this.depth, m = this.data.X.cols;
    this.H[0].data.set(this.data.X.data);
    for (let j = 1; j <= n; j++) {
      const out = multiplyInto(this.H[j], state[j - 1], this.H[j - 1]);
      const b = state[n + j - 1].data;
      for (let r = 0; r < out.rows; r++) for (let c = 0; c < m; c++) out.data[r * m + c] += b[r];
    }
  }

  gradientInto(state: readonly Matrix[], out: readonly Matrix[]): void {
    const n = this.depth, m = this.data.X.cols;
    this.forward(state);
    const dn = this.D[n].data, h = this.H[n].data, y = this.data.Y.data;
    for (let i = 0; i < dn.length; i++) dn[i] = h[i] - y[i];
    for (let j = n; j >= 1; j--) {
      multiplyInto(out[j - 1], this.D[j], this.H[j - 1], 'n', 't');
      const g = out[n + j - 1].data, d = this.D[j].data;
      for (let r = 0; r < g.length; r++) {
        let s = 0;
        for (let c = 0; c < m; c++) s += d[r * m + c];
        g[r] = s;
      }
      if (j > 1) multiplyInto(this.D[j - 1], state[j - 1], this.D[j], 't', 'n');
    }
  }

  evaluate(_t: number, state: readonly Matrix[], out: readonly Matrix[]): void {
    this.gradientInto(state, out);
    for (const o of out) for (let i = 0; i < o.data.length; i++) o.data[i] = -o.data[i];
  }
}

/** C^b_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ for the state [W_1..W_N, b_1..b_N]. */
export function biasedDefects(state: readonly Matrix[]): Matrix[] {
  const n = state.length / 2;
  const c = balancednessDefects(state.slice(0, n));
  return c.map((cj, j) => {
    const bbt = multiply(state[n + j], state[n + j], 'n', 't');
    for (let i = 0; i < cj.data.length; i++) cj.data[i] -= bbt.data[i];
    return cj;
  });
}

export function checkConservationBias(instance: BiasedInstance, options: ConservationOptions = {}): Verdict {
  const field = new BiasedDlnField(instance.widths, instance.data);
  const quantity = conserved('max_t ‖C^b_j(t) − C^b_j(0)‖_F, C^b_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ', biasedDefects);
  const run = { quantity, invariants: biasedDefects, sizeFactor: widthSum(instance.widths) + 1, label: 'flow.conservation.bias' };
  return conservationVerdict(field, [...instance.weights, ...instance.biases], run, options);
}

export const flowConservationBias: Claim<BiasedInstance> = defineClaim({
  id: 'flow.conservation.bias',
  title: 'With biases, W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ is conserved',
  statement: 'For h_j = W_jh_{j−1} + b_j and L = ½Σ_i‖h_N(x_i) − y_i‖², gradient flow on (W_j, b_j) keeps W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ constant, j = 1..N−1.',
  source: { paper: 'BRTW', location: 'derived: the bias adds −b_jb_jᵀ to the conserved quantity (THEORY §2 flow.conservation, variants)', provenance: 'D' },
  hypotheses: ['gradient flow of ½‖H_N − Y‖_F² in all W_j and b_j (field written in properties/flows.ts, BiasedDlnField)', 'depth N ≥ 2', 'any initialization'],
  instances: seeded(fc.tuple(widthsArb({ depth: [2, 4], width: [1, 4] }), dimension(1, 5)), ([widths, m], rng): BiasedInstance => ({
    widths,
    weights: shapesFor(widths).map(([r, c]) => gaussianMatrix(rng, r, c, 1 / Math.sqrt(c))),
    biases: widths.slice(1).map((d) => gaussianMatrix(rng, d, 1, 0.5)),
    data: scaledData(rng, widths[0], widths[widths.length - 1], m),
  })),
  check: (instance) => checkConservationBias(instance),
  expected: 'holds',
  tolerance: `as flow.conservation (RK4 order test: ${RK4_ORDER_TEST}; implicit midpoint drift ≤ its solve-residual bound), with the biases counted in the state.`,
  runs: 100,
  summarize: (i) => summarizeFlowInstance(i, { biases: i.biases.map(rows) }),
});

// ── FALSE: GD conserves C_j ──

const GD_CONSERVATION_STEPS = 20;
const GD_CONSERVATION_ETA = 0.05;

/**
 * Drift of C_j over K GD steps, held to the round-off bound a conserved quantity would meet. GD that diverges (a
 * non-finite entry) has left every bound on C_j: its drift is ∞.
 */
export function checkGdConservation(instance: FlowInstance): Verdict {
  const field = new DlnGradientField(instance.widths, instance.data);
  const state = cloneWeights(instance.weights);
  const gd = new GradientDescent(field, { learningRate: GD_CONSERVATION_ETA });
  let diverged = 0;
  for (let s = 1; s <= GD_CONSERVATION_STEPS && !diverged; s++) {
    gd.step(state);
    if (!state.every((m) => m.data.every(Number.isFinite))) diverged = s;
  }
  const drift = diverged ? Infinity : listDistance(balancednessDefects(state), balancednessDefects(instance.weights));
  const scale = diverged ? maxSquaredNorm(instance.weights) : Math.max(maxSquaredNorm(instance.weights), maxSquaredNorm(state));
  const bound = 8 * (GD_CONSERVATION_STEPS + widthSum(instance.widths)) * EPS * scale;
  return compare({
    measured: drift,
    bound,
    errorModel: `a conserved quantity drifts only by round-off: 8·(steps ${GD_CONSERVATION_STEPS} + Σd)·ε·max‖W_j‖_F² = ${fmt(bound)} (gd.drift-identity predicts η²Σ(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) per step)`,
    detail: `GD, η = ${GD_CONSERVATION_ETA}, ${GD_CONSERVATION_STEPS} steps: ${diverged ? `diverged at step ${diverged}` : `‖C(K) − C(0)‖_F = ${fmt(drift)}`}`,
  });
}

export const flowConservationGd: Claim<FlowInstance> = defineClaim({
  id: 'flow.conservation.gd',
  title: 'FALSE: gradient descent conserves C_j',
  statement: 'FALSE variant: gradient descent W_j ← W_j − ηG_j keeps every C_j constant (it drifts by η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) per step).',
  source: { paper: 'BRTW', location: 'FALSE variant of flow.conservation (THEORY §2); its failure is derived from gd.drift-identity', provenance: 'D' },
  hypotheses: ['GD with η = 0.05, 20 steps, on L = ½‖W_{N:1}X − Y‖²', 'depth N ≥ 2'],
  instances: gaussianNetworkArb({ depth: [2, 3], width: [1, 3], samples: [1, 3] }),
  check: checkGdConservation,
  expected: 'counterexample',
  tolerance: 'round-off only: 8·(steps + Σd)·ε·max‖W_j‖² — what a conserved quantity would meet; GD exceeds it by many orders.',
  runs: 50,
  summarize: summarizeFlowInstance,
});

// ───────────────────────────── gd.drift-identity ─────────────────────────────

export interface DriftIdentityInstance extends FlowInstance {
  readonly eta: number;
  readonly lambda: number;
}

/**
 * One GD step W_j⁺ = (1 − ηλ)W_j − ηG_j (G_j the gradient of the data term, from src/model's layerGradients; the
 * step itself from src/dynamics' GradientDescent on the field with weight decay λ). Checks
 *   C_j⁺ − (1 − ηλ)²C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ), all j at once.
 * Scale for checkIdentity (the terms both sides are built from, each with its own rounding):
 *   Σ_j (Σd)·(‖W⁺_{j+1}‖² + ‖W⁺_j‖² + ‖W_{j+1}‖² + ‖W_j‖² + η²(‖G_{j+1}‖² + ‖G_j‖²))
 *   + 2η(δG_j + δG_{j+1} + ‖G_j‖ + ‖G_{j+1}‖ + λ(‖W_j‖ + ‖W_{j+1}‖))(‖W_j‖ + ‖W_{j+1}‖),
 * where δG_j = (Σd + m)·Π_{i≠j}‖W_i‖·(Π‖W_i‖‖X‖ + ‖Y‖)‖X‖ is the a-priori size of the rounding error of G_j per ulp
 * (the cross terms −η(W_{j+1}ᵀG_{j+1} + G_jW_jᵀ + sym) cancel exactly only for the exact G_j).
 */
export function checkDriftIdentity(instance: DriftIdentityInstance, options: { power?: number } = {}): Verdict {
  const { weights, data, eta, lambda } = instance;
  const power = options.power ?? 2;
  const G = layerGradients(weights, data);
  const field = new DlnGradientField(instance.widths, data, { weightDecay: lambda });
  const next = cloneWeights(weights);
  new GradientDescent(field, { learningRate: eta }).step(next);
  const before = balancednessDefects(weights), after = balancednessDefects(next);
  const a2 = (1 - eta * lambda) ** 2;
  const lhs = after.map((c, j) => {
    const out = c.clone();
    for (let i = 0; i < out.data.length; i++) out.data[i] -= a2 * before[j].data[i];
    return out;
  });
  const rhs = before.map((_, j) => {
    const out = multiply(G[j + 1], G[j + 1], 't', 'n');
    const ggt = multiply(G[j], G[j], 'n', 't');
    const f = Math.pow(eta, power);
    for (let i = 0; i < out.data.length; i++) out.data[i] = f * (out.data[i] - ggt.data[i]);
    return out;
  });
  const size = widthSum(instance.widths);
  const m = data.X.cols;
  const norms = weights.map(frobeniusNorm), normsNext = next.map(frobeniusNorm), gn = G.map(frobeniusNorm);
  const prodAll = norms.reduce((p, x) => p * x, 1);
  const nx = frobeniusNorm(data.X), ny = frobeniusNorm(data.Y);
  const deltaG = norms.map((_, j) => (size + m) * norms.reduce((p, x, i) => (i === j ? p : p * x), 1) * (prodAll * nx + ny) * nx);
  let scale = 0;
  for (let j = 0; j + 1 < weights.length; j++) {
    scale += size * (normsNext[j + 1] ** 2 + normsNext[j] ** 2 + norms[j + 1] ** 2 + norms[j] ** 2 + eta * eta * (gn[j + 1] ** 2 + gn[j] ** 2));
    scale += 2 * eta * (deltaG[j] + deltaG[j + 1] + gn[j] + gn[j + 1] + lambda * (norms[j] + norms[j + 1])) * (norms[j] + norms[j + 1]);
  }
  const v = checkIdentity(lhs, rhs, { scale, label: `C⁺ − (1 − ηλ)²C vs η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ), η = ${eta}, λ = ${lambda}` });
  return withNote(v, 'scale = Σ_j (Σd)(‖W±‖² + η²‖G‖²) + 2η(δG + ‖G‖ + λ‖W‖)‖W‖ (gradient rounding δG per ulp)');
}

export const gdDriftIdentity: Claim<DriftIdentityInstance> = defineClaim({
  id: 'gd.drift-identity',
  title: 'Exact drift of C_j under one GD step',
  statement: 'One step W_j ← (1 − ηλ)W_j − ηG_j (G_j = ∇_{W_j}L¹-part) gives exactly C_j⁺ = (1 − ηλ)²C_j + η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ); λ = 0 is plain GD.',
  source: { paper: 'ACGH', location: 'derived: the cross terms W_{j+1}ᵀG_{j+1} and G_jW_jᵀ coincide (THEORY §2 gd.drift-identity); context: ACGH\'s approximate balancedness along GD', provenance: 'D' },
  hypotheses: ['any cost depending only on the product (full batch here)', 'depth N ≥ 2', 'any η > 0, λ ≥ 0 (canonical weight decay)'],
  instances: fc
    .tuple(gaussianNetworkArb({ depth: [2, 4], width: [1, 4], samples: [1, 5] }), fc.constantFrom(0.1, 1, 0.01, 1e-3), fc.constantFrom(0, 0.1, 1))
    .map(([n, eta, lambda]): DriftIdentityInstance => ({ ...n, eta, lambda })),
  check: (instance) => checkDriftIdentity(instance),
  expected: 'holds',
  tolerance: 'exact identity: checkIdentity at 8·ε·(‖lhs‖ + ‖rhs‖ + scale), scale = the rounding-error sizes of C_j, C_j⁺, η²G products and of the gradient (see checkDriftIdentity).',
  runs: 300,
  summarize: (i) => summarizeFlowInstance(i, { eta: i.eta, lambda: i.lambda }),
});

// ───────────────────────────── flow.end-to-end ─────────────────────────────

const E2E_T = 0.5;

/** The default A_W: the SVD-form MetricOperator of src/geometry at the numerical rank of W. */
export const defaultMetric: MetricApplication = (w, depth, z) => metricOperator(w, depth).apply(z);

/**
 * Continuous version: RK4 on the factors and RK4 on the end-to-end ODE dW/dt = −A_W(∇L¹(W)) from W(0) = W_{N:1}(0),
 * both to T = min(0.5, 2/L) with n_0·2^k steps (h·L ≤ 0.2 at k = 0) until the order test decides. If the claim holds
 * both approximate the same curve, so the gap ‖W_{N:1}(T) − W(T)‖_F falls at order 4; if not (unbalanced start,
 * wrong A_W) it tends to a non-zero constant (order ≈ 0). Floor of a run of n steps:
 * 2·(√n + Σd)·ε·(Π‖W_j‖_F + ‖W(T) − W(0)‖_F): per-step rounding of both
 * trajectories (random walk, √n) and the Σd-ulp errors of forming the product and of the SVD inside A_W. Measured:
 * with truncation ≪ round-off (T = 0.1, 4096 steps) the gap was 3–14·ε·Π‖W_j‖ on 12 random instances.
 */
export function checkEndToEndContinuous(instance: FlowInstance, options: { metric?: MetricApplication } = {}): Verdict {
  const n = instance.widths.length - 1;
  const factorField = new DlnGradientField(instance.widths, instance.data);
  const e2e = new EndToEndField(n, instance.data, { metric: options.metric ?? defaultMetric });
  const w0 = endToEnd(instance.weights);
  const L = Math.max(lipschitzEstimate(factorField, instance.weights), lipschitzEstimate(e2e, [w0]));
  const T = Math.min(E2E_T, 2 / L);
  const n0 = stepCount(T, L, 4, 0.2);
  const size = widthSum(instance.widths);
  const product = Math.max(instance.weights.reduce((p, w) => p * frobeniusNorm(w), 1), frobeniusNorm(w0));
  const counts: number[] = [];
  let floor = 0;
  const v = checkOrderAdaptive((h) => {
    const steps = Math.round(T / h);
    counts.push(steps);
    const wf = cloneWeights(instance.weights);
    integrateRk4(factorField, wf, { t1: T, steps });
    const wp = [w0.clone()];
    integrateRk4(e2e, wp, { t1: T, steps });
    floor = 2 * (Math.sqrt(steps) + size) * EPS * (product + listDistance(wp, [w0]));
    return { error: listDistance([endToEnd(wf)], wp), floor };
  }, { order: 4, h0: T / n0, label: 'flow.end-to-end: ‖W_{N:1}(T) − W_e2e(T)‖_F (RK4 on factors vs RK4 on the product ODE)' });
  return withNote(v, `both sides RK4 ⇒ gap = O(h⁴) iff they solve the same ODE; floor = 2·(√n + Σd)·ε·(Π‖W_j‖ + ‖W(T) − W(0)‖) = ${fmt(floor)} at the last run; T = min(${E2E_T}, 2/L) = ${fmt(T)}, steps ${counts.join('/')}; max‖C_j(0)‖ = ${fmt(maxBalancednessDefect(instance.weights))}`);
}

const e2eHypotheses = ['balanced initialization: every C_j(0) = 0 (ACGH Procedure 1)', 'gradient flow on the factors, L¹ = ½‖WX − Y‖² (scale "half")', 'W(0) of full rank min(d_0, d_N) with distinct singular values (the product ODE is smooth there)', 'depth N ≥ 2'];

export const flowEndToEnd: Claim<BalancedInstance> = defineClaim({
  id: 'flow.end-to-end',
  title: 'The product of a balanced flow follows dW/dt = −A_W(∇L¹(W))',
  statement: 'If all C_j(0) = 0, W(t) = W_{N:1}(t) solves dW/dt = −A_W(∇L¹(W)), A_W(Z) = Σ_{j=1}^{N}(WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N}.',
  source: { paper: 'ACH', location: 'end-to-end dynamics of a balanced initialization (continuous time); THEORY §2 flow.end-to-end', provenance: 'P' },
  hypotheses: e2eHypotheses,
  instances: balancedFullRankArb(),
  check: (instance) => checkEndToEndContinuous(instance),
  expected: 'holds',
  tolerance: `consistency order test of the gap between RK4 on the factors and RK4 on the product ODE (T = min(0.5, 2/L)) from h·L ≤ 0.2, halving h: ${RK4_ORDER_TEST}; round-off floor 2·(√n + Σd)·ε·(Π‖W_j‖ + ‖W(T) − W(0)‖).`,
  runs: 40,
  summarize: summarizeBalanced,
});

/** The learning rates of the discrete check: η_0 = 10^{−2}/max(1, L), then half decades, at most 6 times. */
const E2E_DISCRETE = { eta0: 1e-2, ratio: Math.sqrt(10), refinements: 6 } as const;

/**
 * Discrete version: one GD step from the balanced W_j moves the product by −ηA_W(∇L¹(W)) + O(η²).
 * dev(η) = ‖Π_j(W_j − ηG_j) − (W − ηA_W(∇L¹(W)))‖_F from η = 10^{−2}/max(1, L) down a half-decade grid until the
 * order test decides: order 2 (a wrong operator or an unbalanced start leaves an O(η) term: order 1). Floor:
 * 8·(Σd)·ε·(Π‖W_j‖_F + ‖W‖_F + η‖A_W∇L¹‖) per ulp of forming the two products.
 */
export function checkEndToEndDiscrete(instance: FlowInstance, options: { metric?: MetricApplication } = {}): Verdict {
  const n = instance.widths.length - 1;
  const field = new DlnGradientField(instance.widths, instance.data);
  const w0 = endToEnd(instance.weights);
  const direction = (options.metric ?? defaultMetric)(w0, n, endToEndGradient(w0, instance.data));
  const L = lipschitzEstimate(field, instance.weights);
  const prod = instance.weights.reduce((p, w) => p * frobeniusNorm(w), 1);
  const ratios: string[] = [];
  const v = checkOrderAdaptive((eta) => {
    const next = cloneWeights(instance.weights);
    new GradientDescent(field, { learningRate: eta }).step(next);
    const wn = endToEnd(next);
    let s = 0;
    for (let i = 0; i < wn.data.length; i++) s += (wn.data[i] - (w0.data[i] - eta * direction.data[i])) ** 2;
    ratios.push(fmt(Math.sqrt(s) / eta ** 2));
    return { error: Math.sqrt(s), floor: 8 * widthSum(instance.widths) * EPS * (prod + frobeniusNorm(w0) + eta * frobeniusNorm(direction)) };
  }, { order: 2, h0: E2E_DISCRETE.eta0 / Math.max(1, L), ratio: E2E_DISCRETE.ratio, refinements: E2E_DISCRETE.refinements, label: 'flow.end-to-end.discrete: ‖W⁺ − (W − ηA_W(∇L¹))‖_F vs η' });
  return withNote(v, `one GD step: W⁺ − W = −ηA_W(∇L¹) + O(η²) ⇒ order 2; floor = 8·Σd·ε·(Π‖W_j‖ + ‖W‖ + η‖A_W∇L¹‖); ‖dev‖/η² = ${ratios.join(', ')}`);
}

export const flowEndToEndDiscrete: Claim<BalancedInstance> = defineClaim({
  id: 'flow.end-to-end.discrete',
  title: 'One GD step of a balanced network moves the product by −ηA_W(∇L¹) + O(η²)',
  statement: 'If all C_j = 0, one GD step W_j ← W_j − η∇_{W_j}L gives W_{N:1}⁺ = W − ηA_W(∇L¹(W)) + O(η²).',
  source: { paper: 'ACH', location: 'end-to-end update rule for GD with a balanced start (discrete version); THEORY §2 flow.end-to-end', provenance: 'P' },
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
  statement: 'FALSE variant: for i.i.d. Gaussian (unbalanced) factors, W_{N:1}(t) solves dW/dt = −A_W(∇L¹(W)) (the error grows with max‖C_j‖).',
  source: { paper: 'ACH', location: 'FALSE variant of flow.end-to-end (THEORY §2): balancedness is a hypothesis', provenance: 'D' },
  hypotheses: ['i.i.d. Gaussian factors (C_j ≠ 0)', 'otherwise as flow.end-to-end (full-rank product)'],
  instances: unbalancedFullRankArb(),
  check: (instance) => checkEndToEndContinuous(instance),
  expected: 'counterexample',
  tolerance: 'as flow.end-to-end: the factor/product gap must fall at order 4; from an unbalanced start it tends to a constant O(T·max‖C_j‖·‖∇L¹‖).',
  runs: 25,
  summarize: summarizeFlowInstance,
});

// ───────────────────────────── flow.sigma-dynamics ─────────────────────────────

/** The claimed rate dσ_i/dt given σ_i, depth N and u_iᵀ∇L¹v_i. */
export type SigmaRate = (sigma: number, depth: number, projectedGradient: number) => number;

/** ACHL 2019: dσ_i/dt = −N σ_i^{2−2/N} u_iᵀ∇L¹(W)v_i. */
export const sigmaRate: SigmaRate = (sigma, depth, pg) => -depth * Math.pow(sigma, 2 - 2 / depth) * pg;

/** The time-reversed field −F (to integrate a flow backward in time from t = 0). */
function reversed(field: VectorField): VectorField {
  return {
    shapes: field.shapes,
    evaluate(t, state, out) {
      field.evaluate(-t, state, out);
      for (const o of out) for (let i = 0; i < o.data.length; i++) o.data[i] = -o.data[i];
    },
  };
}

/** The largest τ of the sigma-dynamics check, in units of 1/L. */
const SIGMA_TAU0 = 0.02;

/**
 * Taylor-style check of the singular-value rate at t = 0, on the odd part of the remainder (as checkTaylor does):
 * o(τ) = ‖(σ(τ) − σ(−τ))/2 − τ·σ̇_claimed(0)‖_2 over the r singular values, with σ(±τ) from RK4 on the factors
 * forward and backward in time (8 steps on [0, ±τ]) at τ = 0.02·2^{−i}/L, i = 0, 1, … until the order test decides.
 * The even (curvature) term ½σ̈τ² cancels, so a correct rate leaves σ⃛τ³/6 + O(τ⁵): order 3; a wrong rate leaves
 * τ·(σ̇ − σ̇_claimed): order 1.
 * (The plain remainder σ(τ) − σ(0) − τσ̇ was tried first: a small σ̈ against the τ³ term bent its slope below 1.7 on
 * ~1/500 instances.) The RK4 error, c·τ⁵/8⁴, is odd in τ and stays at order 5.
 * Floor: 16·(Σd + 8)·ε·‖W‖_F (the SVD of the product is accurate to ~d·ε·‖W‖; the RK4 steps round the factors).
 */
export function checkSigmaDynamics(instance: BalancedInstance, options: { rate?: SigmaRate } = {}): Verdict {
  const rate = options.rate ?? sigmaRate;
  const n = instance.widths.length - 1;
  const field = new DlnGradientField(instance.widths, instance.data);
  const backward = reversed(field);
  const w0 = endToEnd(instance.weights);
  const f = svd(w0);
  const r = instance.rank;
  const g = endToEndGradient(w0, instance.data);
  const ugv = multiply(multiply(f.U, g, 't', 'n'), f.V);
  const sigma0 = Array.from(f.s.subarray(0, r));
  const claimed = sigma0.map((s, i) => rate(s, n, ugv.get(i, i)));
  const L = lipschitzEstimate(field, instance.weights);
  const sigmaAt = (tau: number, which: VectorField): Float64Array => {
    const w = cloneWeights(instance.weights);
    integrateRk4(which, w, { t1: tau, steps: 8 });
    return svd(endToEnd(w)).s;
  };
  const floor = 16 * (widthSum(instance.widths) + 8) * EPS * frobeniusNorm(w0);
  const v = checkOrderAdaptive((tau) => {
    const plus = sigmaAt(tau, field), minus = sigmaAt(tau, backward);
    let e = 0;
    for (let i = 0; i < r; i++) e += ((plus[i] - minus[i]) / 2 - tau * claimed[i]) ** 2;
    return { error: Math.sqrt(e), floor };
  }, { order: 3, h0: SIGMA_TAU0 / L, label: 'flow.sigma-dynamics: ‖(σ(τ) − σ(−τ))/2 − τσ̇_claimed‖' });
  return withNote(v, `odd Taylor part: σ⃛τ³/6 + O(τ⁵) if the rate is right, τ·(rate error) otherwise; floor = 16·(Σd + 8)·ε·‖W‖_F = ${fmt(floor)}; σ(0) = ${sigma0.map(fmt).join(', ')}`);
}

export const flowSigmaDynamics: Claim<BalancedInstance> = defineClaim({
  id: 'flow.sigma-dynamics',
  title: 'Singular values of a balanced flow move at rate −Nσ^{2−2/N}u_iᵀ∇L¹v_i',
  statement: 'Under balanced gradient flow with distinct singular values, dσ_i/dt = −N σ_i^{2−2/N} u_iᵀ∇L¹(W)v_i.',
  source: { paper: 'ACHL', location: 'Arora, Cohen, Hu, Luo 2019 (Implicit regularization in deep matrix factorization): singular-value dynamics of the end-to-end matrix; cited in THEORY §2', provenance: 'P' },
  hypotheses: ['balanced initialization', 'distinct non-zero singular values (ratio ≥ 1.5 here)', 'L¹ = ½‖WX − Y‖²', 'depth N ≥ 2'],
  instances: balancedFullRankArb(),
  check: (instance) => checkSigmaDynamics(instance),
  expected: 'holds',
  tolerance: `Taylor-style order test on the odd part ‖(σ(τ) − σ(−τ))/2 − τσ̇_claimed(0)‖ from τ = ${SIGMA_TAU0}/L, halving: ${describeOrderTest({ order: 3, refinements: ORDER_TEST.refinements })}; round-off floor 16·(Σd + 8)·ε·‖W‖ (a wrong rate gives order 1).`,
  runs: 200,
  summarize: summarizeBalanced,
});

// ───────────────────────────── flow.rank-constant ─────────────────────────────

const RANK_T = 1;
const RANK_OBSERVATIONS = 8;

/** A network whose product has a known rank k at t = 0 (balanced and rank-deficient, or W_1 = 0 for the FALSE variant). */
export interface RankInstance extends FlowInstance {
  readonly rank: number;
}

/**
 * Integrate the factors with RK4 (T = min(1, 8/L), h·L ≤ 0.25) and measure, at t = 0 and 8 later times, ρ(t) = σ_{k+1}(W_{N:1}(t))/Π_j‖W_j(t)‖_F.
 * Round-off model: the computed product of exact rank-k factors is off by ≤ (Σd)·ε·Π‖W_j‖_F, and the SVD adds
 * ~d·ε·‖W‖; the balanced flow moves the factors' null blocks only at second order in their rounding (ε²). So
 * ρ ≤ 16·(Σd)·ε. A product whose rank rises has ρ = O(1).
 */
export function checkRankConstant(instance: RankInstance, options: { integrator?: FixedStepIntegrator } = {}): Verdict {
  const integrator = options.integrator ?? rk4Integrator;
  const field = new DlnGradientField(instance.widths, instance.data);
  const L = lipschitzEstimate(field, instance.weights);
  const T = Math.min(RANK_T, 8 / L);
  const steps = stepCount(T, L, RANK_OBSERVATIONS);
  const k = instance.rank;
  let worst = 0, worstT = 0, sigma1 = 0;
  const observer = callbackObserver((_s, t, state) => {
    const s = svd(endToEnd(state)).s;
    const scale = state.reduce((p, w) => p * frobeniusNorm(w), 1);
    const rho = k < s.length ? (scale > 0 ? s[k] / scale : 0) : 0;
    if (rho >= worst) {
      worst = rho;
      worstT = t;
      sigma1 = s[0];
    }
  });
  integrator(field, cloneWeights(instance.weights), { t1: T, steps, observer, every: steps / RANK_OBSERVATIONS });
  const bound = 16 * widthSum(instance.widths) * EPS;
  return compare({
    measured: worst,
    bound,
    errorModel: `rank k preserved ⇒ σ_{k+1}(W)/Π‖W_j‖_F is round-off of forming the product and its SVD: ≤ 16·Σd·ε = ${fmt(bound)}`,
    detail: `rank ${k} at t = 0; max over ${RANK_OBSERVATIONS + 1} times in [0, ${fmt(T)}] of σ_${k + 1}(W)/Π‖W_j‖_F = ${fmt(worst)} at t = ${worstT.toFixed(3)} (σ_1 = ${fmt(sigma1)}), RK4 ${steps} steps`,
  });
}

/** Balanced, rank k ∈ [1, min(d_0, d_N) − 1], hidden widths ≥ min(d_0, d_N) (so the rank could rise), full-rank data. */
export function balancedRankDeficientArb(): fc.Arbitrary<RankInstance> {
  const params = fc.tuple(dimension(2, 4), dimension(2, 3), dimension(2, 3), dimension(1, 2), fc.array(dimension(0, 1), { minLength: 4, maxLength: 4 }), dimension(0, 2));
  return seeded(params, ([n, d0, dN, kRaw, extra, mExtra], rng) => {
    const full = Math.min(d0, dN);
    const k = Math.min(kRaw, full - 1);
    const widths = [d0, ...extra.slice(0, n - 1).map((e) => full + e), dN];
    const weights = balancedFactorization(matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, k)), widths, rng);
    return { widths, weights, data: scaledData(rng, d0, dN, d0 + mExtra), rank: k };
  });
}

export const flowRankConstant: Claim<RankInstance> = defineClaim({
  id: 'flow.rank-constant',
  title: 'A balanced flow keeps the rank of the product',
  statement: 'Under balanced gradient flow, rank W_{N:1}(t) is constant for all finite t (it can drop only in the limit).',
  source: { paper: 'BRTW', location: 'the factor flow is a Riemannian gradient flow on the manifold of rank-r matrices (abstract); the constancy of the rank for all finite t is also derived from flow.sigma-dynamics (THEORY [P/D])', provenance: 'P/D' },
  hypotheses: ['balanced initialization of product rank k, 1 ≤ k < min(d_0, d_N)', 'hidden widths ≥ min(d_0, d_N) (a rank rise is not excluded by the shapes)', 'XXᵀ of full rank, L¹ = ½‖WX − Y‖²', `finite time T = min(${RANK_T}, 8/L), L a Lipschitz estimate of the flow`],
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
  source: { paper: 'BRTW', location: 'FALSE variant of flow.rank-constant (THEORY §2): balancedness is needed; ∇_{W_1}L = −W_{N:2}ᵀYXᵀ ≠ 0 at t = 0', provenance: 'D' },
  hypotheses: ['W_1(0) = 0, other layers Gaussian: C_1(0) = W_2ᵀW_2 ≠ 0', 'YXᵀ ≠ 0'],
  instances: seeded(fc.tuple(widthsArb({ depth: [2, 3], width: [1, 3] }), dimension(1, 3)), ([widths, m], rng): RankInstance => ({
    widths,
    weights: shapesFor(widths).map(([r, c], j) => (j === 0 ? new Matrix(r, c) : roundEntries(gaussianMatrix(rng, r, c, 1 / Math.sqrt(c)), 2))),
    data: { X: roundEntries(gaussianMatrix(rng, widths[0], m), 2), Y: roundEntries(gaussianMatrix(rng, widths[widths.length - 1], m), 2) },
    rank: 0,
  })),
  expected: 'counterexample',
  tolerance: 'as flow.rank-constant: σ_1(W(t))/Π‖W_j(t)‖_F ≤ 16·Σd·ε; the product leaves 0 at first order in t.',
  runs: 30,
});

// ───────────────────────────── flow.loss-monotone ─────────────────────────────

const MONOTONE_T = 2;

/** L = ½‖W_{N:1}X − Y‖_F² at a state, and the size ½(Π‖W_j‖_F‖X‖_F + ‖Y‖_F)² its round-off is charged to. */
function lossWithScale(state: readonly Matrix[], data: Data): { loss: number; scale: number } {
  const res = multiply(endToEnd(state), data.X);
  let r2 = 0;
  for (let i = 0; i < res.data.length; i++) r2 += (res.data[i] - data.Y.data[i]) ** 2;
  const p = state.reduce((acc, x) => acc * frobeniusNorm(x), 1);
  return { loss: 0.5 * r2, scale: 0.5 * (p * frobeniusNorm(data.X) + frobeniusNorm(data.Y)) ** 2 };
}

/** Doublings of the step count tried while the loss-monotone check fails or an RK4 run blows up. */
const MONOTONE_REFINEMENTS = 3;

/**
 * RK4 with n and 2n steps (h·L ≤ 0.25) to T = min(2, 16/L), losses at the n_0 + 1 times of the first grid.
 * Increments ΔL_i = L(t_{i+1}) − L(t_i) from the fine run; each L(t_i) is off by at most e_i ≈ |L_n(t_i) − L_{2n}(t_i)|·16/15
 * (Richardson, order 4), plus round-off 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²). Claim: ΔL_i ≤ b_i := 2(e_i + e_{i+1})
 * + the round-off of both values. Verdict on the i with the largest ΔL_i/b_i.
 * The Richardson estimate holds only once both runs are in RK4's asymptotic regime (the Lipschitz estimate is taken
 * at t = 0, and the flow can stiffen): while the check fails, or a run blows up, the steps are doubled (at most 3
 * times; the fine run becomes the coarse one). A real increase of the loss stays as the bound shrinks like h⁴, so it
 * is refuted only if it persists to the last refinement; after that a blow-up leaves the intervals before it checked,
 * and none at all is inconclusive.
 */
export function checkLossMonotone(instance: FlowInstance, options: { field?: VectorField } = {}): Verdict {
  const field = options.field ?? new DlnGradientField(instance.widths, instance.data);
  const L = lipschitzEstimate(field, instance.weights);
  const T = Math.min(MONOTONE_T, 16 / L);
  const grid = stepCount(T, L, 16);
  const run = (steps: number): { losses: number[]; scales: number[] } => {
    const losses: number[] = [], scales: number[] = [];
    const observer = callbackObserver((_s, _t, state) => {
      if (!state.every((m) => m.data.every(Number.isFinite))) {
        losses.push(Infinity);
        scales.push(Infinity);
        return;
      }
      const { loss, scale } = lossWithScale(state, instance.data);
      losses.push(loss);
      scales.push(scale);
    });
    integrateRk4(field, cloneWeights(instance.weights), { t1: T, steps, observer, every: steps / grid });
    return { losses, scales };
  };
  const size = widthSum(instance.widths) + instance.data.X.cols;
  let n = grid, coarse = run(n), fine = run(2 * n);
  const verdict = (last: boolean): Verdict => {
    const bad = fine.losses.findIndex((l, i) => !Number.isFinite(l) || !Number.isFinite(coarse.losses[i]) || !Number.isFinite(fine.scales[i]));
    const times = bad < 0 ? fine.losses.length : bad;
    let pick = { ratio: -Infinity, delta: 0, bound: 1, i: 0 };
    for (let i = 0; i + 1 < times; i++) {
      const e = (k: number): number => (16 / 15) * Math.abs(coarse.losses[k] - fine.losses[k]) + 8 * size * EPS * (fine.losses[k] + fine.scales[k]);
      const delta = fine.losses[i + 1] - fine.losses[i];
      const bound = 2 * (e(i) + e(i + 1));
      const ratio = delta / bound;
      if (!(ratio <= pick.ratio)) pick = { ratio: Number.isNaN(ratio) ? Infinity : ratio, delta, bound, i };
    }
    const decrease = fine.losses[0] - fine.losses[times - 1];
    const blowUp = bad < 0 ? '' : `; RK4 blew up after t_${times - 1}, the ${times - 1} intervals before it are checked`;
    const input = {
      measured: pick.delta,
      bound: pick.bound,
      errorModel: `ΔL_i ≤ 2(e_i + e_{i+1}), e = Richardson estimate (16/15)|L_h − L_{h/2}| of the RK4 error + 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²) = ${fmt(pick.bound)} at interval ${pick.i}; steps doubled (at most ${MONOTONE_REFINEMENTS} times) while it fails`,
      detail: `RK4 ${n}/${2 * n} steps to T = ${fmt(T)}: largest increment relative to its bound ΔL = ${fmt(pick.delta)} on [t_${pick.i}, t_${pick.i + 1}]; total decrease ${fmt(decrease)} (L(0) = ${fmt(fine.losses[0])})${blowUp}`,
    };
    if (bad >= 0 && !last) return inconclusive(input);
    return times < 2 ? inconclusive({ ...input, detail: `${input.detail}: no interval before the blow-up` }) : compare(input);
  };
  let v = verdict(false);
  for (let k = 1; k <= MONOTONE_REFINEMENTS && v.status !== 'pass'; k++) {
    n *= 2;
    coarse = fine;
    fine = run(2 * n);
    v = verdict(k === MONOTONE_REFINEMENTS);
  }
  return v;
}

export const flowLossMonotone: Claim<FlowInstance> = defineClaim({
  id: 'flow.loss-monotone',
  title: 'The loss never increases along gradient flow',
  statement: 'dL/dt = −Σ_j‖∇_{W_j}L‖_F² ≤ 0 along gradient flow: L(W(t)) is non-increasing.',
  source: { paper: 'BRTW', location: 'derived: chain rule along dW_j/dt = −∇_{W_j}L (THEORY §2 flow.loss-monotone)', provenance: 'D' },
  hypotheses: ['gradient flow of L = ½‖W_{N:1}X − Y‖² (scale "half")', 'any depth N ≥ 1 and initialization'],
  instances: gaussianNetworkArb({ depth: [1, 4], width: [1, 4], samples: [1, 5] }),
  check: (instance) => checkLossMonotone(instance),
  expected: 'holds',
  tolerance: `each increment L(t_{i+1}) − L(t_i) along RK4 (T = min(${MONOTONE_T}, 16/L)) must be ≤ twice the Richardson estimate of the integrator error at both ends plus round-off.`,
  runs: 100,
  summarize: summarizeFlowInstance,
});

/** GD with a step η = 2^e; the claim that its loss never increases is FALSE for large η. */
export interface StepInstance extends FlowInstance {
  readonly eta: number;
}

const LARGE_STEP_STEPS = 10;

/** Largest increase of the loss over 10 GD steps, held to the round-off of evaluating the loss. */
export function checkGdMonotone(instance: StepInstance): Verdict {
  const field = new DlnGradientField(instance.widths, instance.data);
  const state = cloneWeights(instance.weights);
  const gd = new GradientDescent(field, { learningRate: instance.eta });
  const size = widthSum(instance.widths) + instance.data.X.cols;
  let prev = lossWithScale(state, instance.data);
  let worst = { delta: -Infinity, bound: 1, step: 0 };
  for (let s = 1; s <= LARGE_STEP_STEPS; s++) {
    gd.step(state);
    const cur = lossWithScale(state, instance.data);
    const bound = 8 * size * EPS * (prev.loss + cur.loss + prev.scale + cur.scale);
    const delta = Number.isFinite(cur.loss) ? cur.loss - prev.loss : Infinity;
    if (delta / bound > worst.delta / worst.bound || worst.delta === -Infinity) worst = { delta, bound, step: s };
    if (!Number.isFinite(cur.loss)) break;
    prev = cur;
  }
  return compare({
    measured: worst.delta,
    bound: worst.bound,
    errorModel: `monotone ⇒ each increment ≤ round-off of the two loss values: 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²) = ${fmt(worst.bound)}`,
    detail: `GD η = ${instance.eta}, ${LARGE_STEP_STEPS} steps: largest L(k) − L(k−1) = ${fmt(worst.delta)} at step ${worst.step}`,
  });
}

export const flowLossMonotoneLargeStep: Claim<StepInstance> = defineClaim({
  id: 'flow.loss-monotone.large-step',
  title: 'FALSE: gradient descent never increases the loss, whatever the step',
  statement: 'FALSE variant: GD with any step η keeps L non-increasing (true only for η below ≈ 2/local smoothness).',
  source: { paper: 'BRTW', location: 'FALSE variant of flow.loss-monotone (THEORY §2): the discrete analogue needs a step condition', provenance: 'D' },
  hypotheses: ['GD with η = 2^e, e ∈ {0..4} (shrinks toward η = 1)', '10 steps'],
  instances: fc
    .tuple(gaussianNetworkArb({ depth: [1, 3], width: [1, 3], samples: [1, 3] }), fc.integer({ min: 0, max: 4 }))
    .map(([n, e]): StepInstance => ({ ...n, eta: 2 ** e })),
  check: checkGdMonotone,
  expected: 'counterexample',
  tolerance: 'round-off of the loss only: 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²) per increment.',
  runs: 50,
  summarize: (i) => summarizeFlowInstance(i, { eta: i.eta }),
});

// ───────────────────────────── convergence (BRTW) ─────────────────────────────

export interface ConvergenceRun {
  readonly weights: Matrix[];
  readonly t: number;
  readonly g0: number;
  readonly gradientNorm: number;
  /** Whether the stop rule was met before tMax. */
  readonly converged: boolean;
  readonly maxNorm: number;
  /** Per chunk j: ‖W(t_{j+1}) − W(t_j)‖ and ‖∇L(W(t_{j+1}))‖ (the trajectory's increments and where they were made). */
  readonly increments: number[];
  readonly chunkGradients: number[];
  /** The integrator's error when the trajectory blew up. */
  readonly failure?: string;
}

/**
 * Dormand–Prince (rtol 1e−9, atol 1e−12) in chunks of ΔT = 5 until `done(state, ‖∇L‖)` or t = tMax, with the step
 * capped at 1/L (L re-estimated per chunk): near an attracting point the error controller would otherwise grow h to
 * the edge of the stability region (h·L ≈ 3.3) and the state would hover at the tolerance level (seen: ‖∇L‖ stuck
 * at 1e−8) instead of converging. Along a gradient flow a trajectory error only moves the point within the same
 * basin, so the tolerances matter for the path, not for the tests, which read the state reached.
 */
export function runFlowUntil(
  instance: FlowInstance,
  done: (state: readonly Matrix[], gradientNorm: number) => boolean,
  tMax: number,
  /** The flow to follow (default: the gradient flow of L); ‖∇L‖ is always that of the DLN loss. */
  flow?: VectorField,
): ConvergenceRun {
  const gradient = new DlnGradientField(instance.widths, instance.data);
  const field = flow ?? gradient;
  const grads = allocateState(gradient.shapes);
  const state = cloneWeights(instance.weights);
  const norm = (): number => {
    gradient.gradientInto(state, grads);
    return stateNorm(grads);
  };
  const g0 = norm();
  let t = 0, g = g0, maxNorm = stateNorm(state), converged = done(state, g);
  let failure: string | undefined;
  const increments: number[] = [], chunkGradients: number[] = [];
  while (!converged && t < tMax) {
    const before = cloneWeights(state);
    try {
      integrateDormandPrince(field, state, { t0: t, t1: t + 5, rtol: 1e-9, atol: 1e-12, hMax: 1 / lipschitzEstimate(field, state) });
    } catch (e) {
      // Step-size underflow or overflow: the trajectory blew up (finite-time blow-up of a non-gradient field).
      failure = e instanceof Error ? e.message : String(e);
      g = Infinity;
      break;
    }
    t += 5;
    g = norm();
    increments.push(listDistance(state, before));
    chunkGradients.push(g);
    maxNorm = Math.max(maxNorm, stateNorm(state));
    if (!Number.isFinite(g)) break;
    converged = done(state, g);
  }
  return { weights: state, t, g0, gradientNorm: g, converged, maxNorm, increments, chunkGradients, ...(failure ? { failure } : {}) };
}

const CRITICAL_FRACTION = 1e-4;
const CRITICAL_STOP = 1e-6;
const CRITICAL_TMAX = 400;
/** The Cauchy tail starts once ‖∇L‖ ≤ TAIL_START·‖∇L(0)‖; its length must be ≤ TAIL_FRACTION·max(1, ‖W(T)‖). */
const TAIL_START = 1e-3;
const TAIL_FRACTION = 0.1;
/** Chunks of 5 time units run past the stop, so that a fast run still has a tail to measure. */
const TAIL_CHUNKS = 4;

/**
 * BRTW state convergence of the trajectory, not only ‖∇L‖ → 0 (a path can creep along a valley of critical points
 * forever with ‖∇L‖ → 0). Two parts:
 * (1) ‖∇L(T)‖/‖∇L(0)‖ ≤ 1e−4 at the end of a run stopped 20 time units after ‖∇L‖ ≤ 1e−6·‖∇L(0)‖, or at T_max = 400;
 * (2) Cauchy tail: the length Σ_j‖W(t_{j+1}) − W(t_j)‖ of the trajectory after ‖∇L‖ first fell below 1e−3·‖∇L(0)‖
 *     (including the 20 time units past the stop) is ≤ 0.1·max(1, ‖W(T)‖). Near a minimum where a PL inequality ‖∇L‖² ≥ 2μ(L − L*) holds the remaining length
 *     is ≤ 2√(2(L − L*)/μ) ≤ 2‖∇L‖/μ, a small multiple of 1e−3·‖∇L(0)‖; a trajectory that keeps moving at a
 *     steady pace fails it. A long tail whose increments are shrinking (last ≤ ½ of the largest) is a slow but
 *     converging path (algebraic decay toward lower rank, N ≥ 3): inconclusive, never a failure.
 * Above the fraction at T_max with bounded factors (‖W‖ ≤ 1e3·max(1, ‖W(0)‖)): inconclusive — the flow is slow here.
 * Unbounded factors or a blow-up: fail (BRTW: the factors stay bounded). `flow` replaces the gradient flow (tests
 * inject a non-gradient field or one that circles along a gauge orbit).
 */
export function checkConvergesCritical(instance: FlowInstance, options: { flow?: VectorField } = {}): Verdict {
  let g0 = NaN, after = -1;
  // Once ‖∇L‖ ≤ 1e−6·‖∇L(0)‖, TAIL_CHUNKS more chunks are run: the Cauchy tail is watched past the stop too.
  const run = runFlowUntil(instance, (_s, g) => {
    if (Number.isNaN(g0)) g0 = g;
    if (after < 0 && g <= CRITICAL_STOP * g0) after = 0;
    else if (after >= 0) after++;
    return after >= TAIL_CHUNKS;
  }, CRITICAL_TMAX, options.flow);
  const startNorm = stateNorm(instance.weights);
  const bounded = Number.isFinite(run.gradientNorm) && run.maxNorm <= 1e3 * Math.max(1, startNorm);
  const ratio = run.gradientNorm / run.g0;
  const input = {
    measured: bounded ? ratio : Infinity,
    bound: CRITICAL_FRACTION,
    errorModel: `convergence tolerance (not round-off): ‖∇L(T)‖/‖∇L(0)‖ ≤ ${CRITICAL_FRACTION} at the end of a run stopped at ${CRITICAL_STOP} or T_max = ${CRITICAL_TMAX} (Dormand–Prince rtol 1e−9, h ≤ 1/L, checked every 5 time units)`,
    detail: `‖∇L‖: ${fmt(run.g0)} → ${fmt(run.gradientNorm)} (ratio ${fmt(ratio)}) at T = ${run.t}; max ‖W‖ along the way ${fmt(run.maxNorm)} (start ${fmt(startNorm)})${run.failure ? `; integrator: ${run.failure}` : ''}`,
  };
  if (bounded && !(ratio <= CRITICAL_FRACTION)) return inconclusive({ ...input, detail: `${input.detail} — not converged within T_max, factors bounded` });
  const gradient = compare(input);
  if (gradient.status !== 'pass') return gradient;
  const first = run.chunkGradients.findIndex((g) => g <= TAIL_START * run.g0);
  // Chunk j moves from t_j to t_{j+1}; the tail starts with the chunk after the first sub-threshold reading.
  const tail = run.increments.slice(first + 1);
  const length = tail.reduce((a, x) => a + x, 0);
  const scale = Math.max(1, stateNorm(run.weights));
  const largest = Math.max(0, ...tail), last = tail.length ? tail[tail.length - 1] : 0;
  const cauchy = {
    measured: length / scale,
    bound: TAIL_FRACTION,
    errorModel: `Cauchy tail: length after ‖∇L‖ ≤ ${TAIL_START}·‖∇L(0)‖ over max(1, ‖W(T)‖) ≤ ${TAIL_FRACTION} (PL near the limit bounds it by ~2‖∇L‖/μ)`,
    detail: `trajectory length after ‖∇L‖ ≤ ${TAIL_START}·‖∇L(0)‖: ${fmt(length)} over ${tail.length} chunks of 5 time units (increments ${fmt(largest)} largest, ${fmt(last)} last; ‖W(T)‖ = ${fmt(scale)})`,
  };
  if (!(cauchy.measured <= cauchy.bound) && last <= 0.5 * largest) return inconclusive({ ...cauchy, detail: `${cauchy.detail} — long but shrinking increments: a slow, converging tail` });
  return worstOf([gradient, compare(cauchy)]);
}

/** Depth 2..4, widths 1..4, X with XXᵀ of full rank (κ(X) ≤ 3.2), Y = BX + noise, Gaussian init of scale 1. */
export function fullRankDataArb(): fc.Arbitrary<FlowInstance> {
  const params = fc.tuple(widthsArb({ depth: [2, 4], width: [1, 4] }), dimension(0, 2), fc.integer({ min: 0, max: 2 }));
  return seeded(params, ([widths, mExtra, logCondQuarter], rng) => {
    const d0 = widths[0], dN = widths[widths.length - 1], m = d0 + mExtra;
    const X = conditionedMatrix(rng, d0, m, { cond: Math.pow(10, logCondQuarter / 4) });
    // Y = BX + 0.1E with B of distinct singular values 2·0.6^i: a well-separated Q (a random Y often has a tiny
    // σ_min(Q) or gap, and the flow then crawls for hundreds of time units).
    const Y = multiply(matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, Math.min(d0, dN), 2)), X);
    const E = gaussianMatrix(rng, dN, m, 0.1);
    for (let i = 0; i < Y.data.length; i++) Y.data[i] += E.data[i];
    const weights = shapesFor(widths).map(([r, c]) => gaussianMatrix(rng, r, c, 1 / Math.sqrt(c)));
    return { widths, weights, data: { X, Y } };
  });
}

export const flowConvergesCritical: Claim<FlowInstance> = defineClaim({
  id: 'flow.converges-critical',
  title: 'With XXᵀ of full rank, the trajectory of the factors converges (to a critical point)',
  statement:
    'If XXᵀ has full rank, for every initialization the factors stay bounded and the trajectory W(t) converges (finite length: its tail after ‖∇L‖ is small ' +
    'is short), to a point where ∇L = 0.',
  source: { paper: 'BRTW', location: 'abstract: "the flow always converges to a critical point of the underlying functional"; THEORY §2', provenance: 'P' },
  hypotheses: ['XXᵀ of full rank (condition number ≤ 3.2 here, well conditioned so that convergence is fast)', 'any initialization (Gaussian, scale 1, unbalanced)', 'L = ½‖W_{N:1}X − Y‖²'],
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

/** Whitened data (XXᵀ = I) with Q = YXᵀ of controlled spectrum, and a small balanced or an unbalanced Gaussian start. */
export interface LimitInstance extends FlowInstance {
  readonly init: 'balanced' | 'gaussian';
}

export function limitInstanceArb(): fc.Arbitrary<LimitInstance> {
  const params = fc.tuple(widthsArb({ depth: [2, 3], width: [1, 3] }), dimension(0, 2), fc.boolean());
  return seeded(params, ([widths, mExtra, gaussianInit], rng): LimitInstance => {
    const n = widths.length - 1, d0 = widths[0], dN = widths[n], m = d0 + mExtra;
    const X = whitenedInputs(rng, d0, m);
    const Q = matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, Math.min(d0, dN), 2));
    // Y = QX + E(I − XᵀX): YXᵀ = Q exactly (XXᵀ = I), plus a residual no W can fit (constant > 0).
    const E = gaussianMatrix(rng, dN, m, 0.3);
    const Y = multiply(Q, X);
    const ex = multiply(multiply(E, X, 'n', 't'), X);
    for (let i = 0; i < Y.data.length; i++) Y.data[i] += E.data[i] - ex.data[i];
    // Gaussian (unbalanced, generic) starts at every depth: for N ≥ 3 the balanced starts are a measure-zero set.
    const init = gaussianInit ? 'gaussian' : 'balanced';
    const weights = init === 'gaussian'
      ? shapesFor(widths).map(([a, b]) => gaussianMatrix(rng, a, b, 0.7 / Math.sqrt(b)))
      : balancedFactorization(matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, Math.min(...widths), 0.1)), widths, rng);
    return { widths, weights, data: { X, Y }, init };
  });
}

const LIMIT_TOLERANCE = 1e-7;
const LIMIT_TMAX = 600;
const LIMIT_RANK_RTOL = 1e-6;

/** What the limit test reads at a state: the rank k, [W]_k, W*_k, the tangent gradient and the curvature μ. */
export interface LimitReading {
  readonly k: number;
  readonly sigma: number[];
  readonly sigmaQ: number[];
  /** ‖[W]_k − W*_k‖_F. */
  readonly distance: number;
  /** ‖W − [W]_k‖_F (below the rank cut by construction). */
  readonly tail: number;
  /** ‖P_T ∇L¹([W]_k)‖_F (tangent space of M_k at [W]_k). */
  readonly tangentGradient: number;
  /** λ_min(XXᵀ)·(1 − σ_{k+1}(Q)/σ_k(Q)). */
  readonly mu: number;
  /** 2‖P_T∇L¹‖/μ + 16·Σd·ε·max(1, ‖W*_k‖): the convergence tolerance on `distance`. */
  readonly bound: number;
  readonly scale: number;
}

/**
 * k = #{σ_i(W) > 1e−6·max(σ_1(W), σ_1(Q))} (an absolute scale, so a product that shrinks to 0 has k = 0);
 * W*_k = [Q]_k(XXᵀ)^{−1/2} by whiten + rankConstrainedMinimizer. Error model (whitened data): on M_k near W*_k the
 * Riemannian gradient of L¹ (Euclidean metric), P_T∇L¹, has norm ≥ μ·dist − O(dist²) with μ = 1 − σ_{k+1}(Q)/σ_k(Q),
 * the smallest eigenvalue of the Eckart–Young Hessian on M_k at W*_k (times λ_min(XXᵀ) = 1 here). So a point of M_k
 * near the optimum satisfies dist ≤ 2‖P_T∇L¹‖/μ (factor 2 for the second-order term); a point near any other
 * critical point of L¹ on M_k (the saddles [Q] with other singular triplets) has a small ‖P_T∇L¹‖ but dist = O(1).
 */
export function readLimit(instance: FlowInstance, weights: readonly Matrix[]): LimitReading {
  const w = endToEnd(weights);
  const s = Array.from(svd(w).s);
  const wh = whiten(instance.data.X, instance.data.Y);
  const qs = Array.from(svd(wh.Q).s);
  const cut = LIMIT_RANK_RTOL * Math.max(s[0], qs[0]);
  let k = 0;
  while (k < s.length && s[k] > cut) k++;
  const opt = rankConstrainedMinimizer(wh, k);
  const point = fixedRankPoint(w, { rank: k });
  const tail = Math.sqrt(s.slice(k).reduce((a, x) => a + x * x, 0));
  const lambdaMin = Math.min(...Array.from(svd(multiply(instance.data.X, instance.data.X, 'n', 't')).s));
  const mu = k === 0 ? lambdaMin : lambdaMin * (1 - (k < qs.length ? qs[k] : 0) / qs[k - 1]);
  const tangentGradient = k === 0 ? 0 : frobeniusNorm(tangentProject(point, endToEndGradient(point.W, instance.data)));
  const scale = Math.max(1, frobeniusNorm(opt.W));
  const bound = (2 * tangentGradient) / mu + 16 * widthSum(instance.widths) * EPS * scale;
  return { k, sigma: s, sigmaQ: qs, distance: listDistance([point.W], [opt.W]), tail, tangentGradient, mu, bound, scale };
}

/**
 * Run the flow until the convergence tolerance 2‖P_T∇L¹([W]_k)‖/μ is ≤ 1e−7·max(1, ‖W*_k‖) (or T = 600), then
 * compare [W]_k with W*_k against that tolerance. The rank is read at the state reached: for N ≥ 3 a singular value
 * may still be decaying algebraically toward 0 (BRTW: the limit rank is some k ≤ r); it counts as 0 once below
 * 1e−6 of the scale, and the rank-k part is what the claim is about.
 */
export function checkLimitOptimal(instance: LimitInstance): Verdict {
  let last: LimitReading | undefined;
  const run = runFlowUntil(instance, (state) => {
    last = readLimit(instance, state);
    return last.bound <= LIMIT_TOLERANCE * last.scale;
  }, LIMIT_TMAX);
  const r = last ?? readLimit(instance, run.weights);
  const input = {
    measured: r.distance,
    bound: r.bound,
    errorModel: `convergence tolerance (whitened data): dist ≤ 2‖P_T∇L¹([W]_k)‖/μ + 16·Σd·ε·max(1,‖W*‖) with ‖P_T∇L¹‖ = ${fmt(r.tangentGradient)}, μ = 1 − σ_{k+1}(Q)/σ_k(Q) = ${fmt(r.mu)}; run until this is ≤ ${LIMIT_TOLERANCE}·max(1,‖W*_k‖)`,
    detail: `${instance.init} start, T = ${run.t}, ‖∇L‖ ${fmt(run.g0)} → ${fmt(run.gradientNorm)}; limit rank k = ${r.k} (σ(W) = ${r.sigma.map(fmt).join(', ')}, tail ${fmt(r.tail)}; σ(Q) = ${r.sigmaQ.map(fmt).join(', ')}); ‖[W(T)]_k − [Q]_k(XXᵀ)^{−1/2}‖_F = ${fmt(r.distance)}`,
  };
  if (!run.converged) return inconclusive({ ...input, detail: `${input.detail} — tolerance not reached by T = ${LIMIT_TMAX}` });
  return compare(input);
}

export const flowLimitOptimalOnMk: Claim<LimitInstance> = defineClaim({
  id: 'flow.limit-optimal-on-Mk',
  title: 'The limit of the flow is the rank-k optimum [Q]_k(XXᵀ)^{−1/2}',
  statement: 'For almost every initialization the limit product W* minimizes L¹ on M_k, k = rank W*: W* = [Q]_k(XXᵀ)^{−1/2}, Q = YXᵀ(XXᵀ)^{−1/2}.',
  source: { paper: 'BRTW', location: 'abstract: "for almost all initializations, the flow converges to a global minimum on the manifold of rank k matrices for some k ≤ r"; THEORY §2', provenance: 'P' },
  hypotheses: ['XXᵀ = I (whitened, for fast convergence)', 'σ(Q) distinct with ratio ≥ 1.5 (so [Q]_k is unique)', 'small balanced start (σ ≤ 0.11) or unbalanced Gaussian start (entries N(0, 0.49/d_{ℓ−1}), generic), each at depths 2 and 3', 'depth 2..3, widths ≤ 3'],
  instances: limitInstanceArb(),
  check: checkLimitOptimal,
  expected: 'holds',
  tolerance: 'convergence tolerance, not round-off: run until 2‖P_T∇L¹([W]_k)‖/μ ≤ 1e−7·max(1,‖W*_k‖) (μ = 1 − σ_{k+1}(Q)/σ_k(Q), the Eckart–Young curvature on M_k), then ‖[W]_k − W*_k‖_F must be ≤ that tolerance + 16·Σd·ε·‖W*_k‖; k = rank of W(T) at 1e−6 of the scale.',
  runs: 60,
  summarize: (i) => summarizeFlowInstance(i, { init: i.init }),
});

// ───────────────────────────── export ─────────────────────────────

/** The flow claims of THEORY §2 (BRTW, ACH, ACHL), in THEORY's order. */
export const flowClaims: Claim<any>[] = [
  flowConservation,
  flowConservationWeightDecay,
  flowConservationBias,
  flowConservationGd,
  gdDriftIdentity,
  flowEndToEnd,
  flowEndToEndDiscrete,
  flowEndToEndUnbalanced,
  flowSigmaDynamics,
  flowRankConstant,
  flowRankConstantUnbalanced,
  flowLossMonotone,
  flowLossMonotoneLargeStep,
  flowConvergesCritical,
  flowLimitOptimalOnMk,
];

