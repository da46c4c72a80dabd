import { DomainError } from '../errors.js';
import { sci } from '../format.js';
import { compare, inconclusive, type Verdict } from './verdict.js';

/**
 * Convergence-order test (THEORY §7: "conserved" means "drift shrinks at the integrator's order as h → 0"). An
 * order read off step sizes that are not yet in the asymptotic regime says nothing about the order, so the test
 * decides only once its estimate has stabilized under refinement. From errors e(h) at h_0 > h_1 > … it forms the
 * local orders p_k = ln(e_{k−1}/e_k)/ln(h_{k−1}/h_k) on consecutive points above the round-off floor, and
 *   - passes once two consecutive estimates agree within `agreement` and the finer one is ≥ p − slack;
 *   - fails once three consecutive estimates agree (each pair within `agreement`) and the finest, plus how far it can
 *     still rise if they keep climbing as they did (remainingRise), is < p − slack;
 *   - otherwise refines (checkOrderAdaptive) or reads on (checkOrder); when the refinements run out, or the error
 *     reaches the round-off floor first, it is inconclusive and says which.
 * Why these constants: in the asymptotic regime the estimates approach the true order geometrically (an O(h)
 * correction halves with h), so the distance left to the limit is at most the last difference. After two estimates
 * agree within 0.2, a method of order p therefore reads ≥ p − 0.2 > p − 0.3, and one of order ≤ p − 1 reads
 * ≤ p − 0.8: neither can land on the wrong side of the bound. Before the asymptotic regime the estimates can creep
 * up slowly (e = h⁴/(1 + 3h) from h = 1 reads 3.32, 3.49, 3.65, 3.79, …: agreeing within 0.2 yet below 3.7), so a
 * failure also needs a third agreeing estimate and the extrapolated remaining rise. The floor factor keeps the
 * round-off of a used point ≤ 10 % of its error (≤ 0.15 in a local order at halving).
 */
export const ORDER_TEST = { agreement: 0.2, slack: 0.3, floorFactor: 10, refinements: 8 } as const;

export interface OrderSettings {
  /** The claimed order p. */
  readonly order: number;
  /** Accepted shortfall of the stabilized order (default ORDER_TEST.slack). */
  readonly slack?: number;
  /** Consecutive estimates within this are "agreeing" (default ORDER_TEST.agreement). */
  readonly agreement?: number;
  /** Points with e ≤ floorFactor·floor are not used (default ORDER_TEST.floorFactor). */
  readonly floorFactor?: number;
  readonly label?: string;
}

export interface OrderOptions extends OrderSettings {
  /**
   * The error level round-off alone produces (e.g. c·ε·‖y‖·steps, or a solve tolerance): below floorFactor·floor
   * the error no longer follows h^p. Required: there is no safe default.
   */
  readonly floor: number;
}

/** One measurement of an adaptive order test: the error at a step and the round-off floor of that run. */
export interface OrderSample {
  readonly error: number;
  readonly floor: number;
}

export interface AdaptiveOrderOptions extends OrderSettings {
  /** The coarsest step h_0. */
  readonly h0: number;
  /** h_{k+1} = h_k/ratio (default 2: halving). */
  readonly ratio?: number;
  /** Most refinements after h_0 (default ORDER_TEST.refinements). */
  readonly refinements?: number;
}

const fixed = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : String(v));

interface Settings {
  readonly p: number;
  readonly slack: number;
  readonly agreement: number;
  readonly floorFactor: number;
  readonly label: string;
  /** The error model text: the decision rule with the constants in use. */
  readonly rule: string;
}

function settings(options: OrderSettings, refinements?: { refinements: number; ratio: number }): Settings {
  const p = options.order;
  const slack = options.slack ?? ORDER_TEST.slack,
    agreement = options.agreement ?? ORDER_TEST.agreement;
  const floorFactor = options.floorFactor ?? ORDER_TEST.floorFactor;
  if (!(p > 0 && Number.isFinite(p))) throw new DomainError('options.order', `must be positive, received ${p}`);
  if (!(slack >= 0 && Number.isFinite(slack)))
    throw new DomainError('options.slack', `must be finite and ≥ 0, received ${slack}`);
  if (!(agreement > 0 && Number.isFinite(agreement)))
    throw new DomainError('options.agreement', `must be positive, received ${agreement}`);
  if (!(floorFactor > 0 && Number.isFinite(floorFactor)))
    throw new DomainError('options.floorFactor', `must be positive, received ${floorFactor}`);
  const rule = `e(h) ∝ h^p with p = ${p}; ${describeOrderTest({ order: p, slack, agreement, floorFactor, ...refinements })}`;
  return { p, slack, agreement, floorFactor, label: options.label ?? 'integrator', rule };
}

/** The decision rule in words, from the constants in use: for error models and claim tolerances. */
export function describeOrderTest(
  options: Partial<OrderSettings> & { refinements?: number; ratio?: number } = {},
): string {
  const agreement = options.agreement ?? ORDER_TEST.agreement,
    slack = options.slack ?? ORDER_TEST.slack;
  const floorFactor = options.floorFactor ?? ORDER_TEST.floorFactor;
  const p = options.order === undefined ? 'p' : String(options.order);
  const bound = options.order === undefined ? `p − ${slack}` : String(options.order - slack);
  const refine =
    options.refinements === undefined ? '' : ` (at most ${options.refinements} refinements by ${options.ratio ?? 2})`;
  return (
    `local orders ln(e_{k−1}/e_k)/ln(h_{k−1}/h_k) on points with e > ${floorFactor}·floor, refined${refine} until they ` +
    `stabilize: pass once two consecutive estimates agree within ${agreement} and the last is ≥ ${bound} (order ${p} − ${slack}); ` +
    `fail once three agree and, extrapolated, stay below it; inconclusive if the refinements run out or round-off is reached first`
  );
}

interface Point {
  readonly h: number;
  readonly error: number;
  readonly floor: number;
}

type Decision =
  | { readonly kind: 'pass' | 'fail'; readonly estimate: number; readonly window: readonly number[] }
  | { readonly kind: 'open' };

/** Local orders between consecutive points (all assumed usable: finite and above the floor). */
function localOrders(points: readonly Point[]): number[] {
  return points.slice(1).map((q, k) => Math.log(points[k].error / q.error) / Math.log(points[k].h / q.h));
}

/**
 * How far the last of the estimates p can still rise. Estimates that rose at both of their last two steps are
 * extrapolated: |d|·r/(1 − r), d the last rise, if rises keep shrinking at least by r = max(d/d_prev, h_k/h_{k−1})
 * (an O(h) correction shrinks by the step ratio; a faster apparent contraction is not trusted), ∞ if they do not.
 * Otherwise (no steady climb: a dip, or round-off scatter) one more O(h) contraction: |d|·ρ/(1 − ρ), ρ = h_k/h_{k−1}.
 */
function remainingRise(p: readonly number[], h: readonly number[]): number {
  const n = p.length,
    d = p[n - 1] - p[n - 2],
    prev = p[n - 2] - p[n - 3];
  const rho = h[h.length - 1] / h[h.length - 2];
  if (!(d > 0 && prev > 0)) return (Math.abs(d) * rho) / (1 - rho);
  const r = Math.max(d / prev, rho);
  return r < 1 ? (d * r) / (1 - r) : Infinity;
}

/** The decision of the window that ends at the last of `run` (consecutive usable points), if it is decisive. */
function decideAtEnd(run: readonly Point[], s: Settings): Decision {
  const p = localOrders(run);
  const n = p.length,
    bound = s.p - s.slack;
  const agree = (i: number): boolean => Math.abs(p[i] - p[i - 1]) <= s.agreement;
  if (n >= 2 && agree(n - 1) && p[n - 1] >= bound)
    return { kind: 'pass', estimate: p[n - 1], window: run.slice(-3).map((q) => q.h) };
  if (
    n >= 3 &&
    agree(n - 1) &&
    agree(n - 2) &&
    p[n - 1] +
      remainingRise(
        p,
        run.map((q) => q.h),
      ) <
      bound
  ) {
    return { kind: 'fail', estimate: p[n - 1], window: run.slice(-4).map((q) => q.h) };
  }
  return { kind: 'open' };
}

const usable = (q: Point, s: Settings): boolean => q.error > s.floorFactor * q.floor;
const finite = (q: Point): boolean => Number.isFinite(q.error) && q.error >= 0;

/**
 * The verdict on the points measured so far (h decreasing): the finest decisive window decides; otherwise
 * inconclusive with `why`. A non-finite error breaks the run of consecutive points like one under the floor: an
 * explicit method that blows up at a step (even one finer than a finite but already unstable coarser one, when the
 * problem stiffens along the run) is outside its stability region there, which says nothing about its order.
 */
function verdictOf(points: readonly Point[], s: Settings, why: string): Verdict {
  const bound = s.p - s.slack,
    errorModel = s.rule;
  const floor = Math.max(0, ...points.filter(finite).map((q) => q.floor));
  const base = { h: points.map((q) => q.h), error: points.map((q) => q.error), floor };
  const listing = `e = ${points.map((q) => `${sci(q.error)} at h = ${sci(q.h)}`).join(', ')}`;
  let decided: Decision = { kind: 'open' };
  let run: Point[] = [];
  let last = NaN,
    lastRun: Point[] = [];
  for (const q of points) {
    if (!finite(q) || !usable(q, s)) {
      if (run.length > 0) lastRun = run;
      run = [];
      continue;
    }
    run.push(q);
    if (run.length >= 2) last = localOrders(run.slice(-2))[0];
    const d = decideAtEnd(run, s);
    if (d.kind !== 'open') decided = d;
  }
  const estimates = localOrders(run.length >= 2 ? run : lastRun);
  const shown = `order estimates ${estimates.map(fixed).join(', ') || 'none'}`;
  if (decided.kind !== 'open') {
    const data = { ...base, slope: decided.estimate, used: decided.window, estimates };
    const how =
      decided.kind === 'pass'
        ? `the last two agree within ${s.agreement}: stabilized at ${fixed(decided.estimate)}`
        : `three consecutive estimates agree within ${s.agreement} and settle at ${fixed(decided.estimate)}, below ${bound}`;
    return compare({
      measured: decided.estimate,
      bound,
      comparison: '>=',
      errorModel,
      detail: `${s.label}: ${shown} (${how}) against claimed order ${s.p}`,
      data,
    });
  }
  const used = points.filter((q) => finite(q) && usable(q, s)).length;
  const blowUps = points.filter((q) => !finite(q)).map((q) => sci(q.h));
  const reason =
    blowUps.length === points.length
      ? `no step gave a finite error (the method is unstable at every step tried)`
      : used === 0
        ? `every error is within ${s.floorFactor}× the round-off floor (${sci(floor)}): the method is exact to round-off on this problem, its order is not measurable`
        : `${shown}, not stabilized: ${why}${blowUps.length > 0 ? ` (non-finite error at h = ${blowUps.join(', ')})` : ''}`;
  return inconclusive({
    measured: Number.isFinite(last) ? last : 0,
    bound,
    comparison: '>=',
    errorModel,
    detail: `${s.label}: ${reason} (${listing})`,
    data: { ...base, estimates },
  });
}

/**
 * The order test on given errors e(h) (any order of the steps; one floor for all): the finest decisive window
 * decides, so a lower order that shows only at the smallest steps is not hidden by a faster decay at large ones.
 */
export function checkOrder(steps: readonly number[], errors: readonly number[], options: OrderOptions): Verdict {
  if (steps.length !== errors.length)
    throw new DomainError('errors', `expected ${steps.length} values (one per step), received ${errors.length}`);
  if (steps.length < 3) throw new DomainError('steps', `need at least 3 step sizes, received ${steps.length}`);
  steps.forEach((h, i) => {
    if (!(h > 0 && Number.isFinite(h)))
      throw new DomainError(`steps[${i}]`, `must be positive and finite, received ${h}`);
  });
  if (new Set(steps).size !== steps.length) throw new DomainError('steps', 'must be distinct');
  const { floor } = options;
  if (!(floor >= 0 && Number.isFinite(floor)))
    throw new DomainError('options.floor', `must be finite and ≥ 0, received ${floor}`);
  const s = settings(options);
  const points = steps.map((h, i) => ({ h, error: errors[i], floor })).sort((a, b) => b.h - a.h);
  return verdictOf(
    points,
    s,
    `the ${steps.length} given steps end before two consecutive estimates agree within ${s.agreement}`,
  );
}

/**
 * The order test that measures its own errors: sample(h) at h_0, h_0/r, h_0/r², … until the estimates decide, at
 * most `refinements` times. It stops early, inconclusive, when the next error is predicted (at the latest local order
 * clamped to [0, p]: a pre-asymptotic jump can read as order 20) to fall under floorFactor × its floor: refining
 * further only measures round-off, and costs the most.
 */
export function checkOrderAdaptive(sample: (h: number) => OrderSample, options: AdaptiveOrderOptions): Verdict {
  const ratio = options.ratio ?? 2,
    refinements = options.refinements ?? ORDER_TEST.refinements;
  const s = settings(options, { refinements, ratio });
  if (!(options.h0 > 0 && Number.isFinite(options.h0)))
    throw new DomainError('options.h0', `must be positive and finite, received ${options.h0}`);
  if (!(ratio > 1 && Number.isFinite(ratio))) throw new DomainError('options.ratio', `must be > 1, received ${ratio}`);
  if (!(Number.isInteger(refinements) && refinements >= 2))
    throw new DomainError('options.refinements', `must be an integer ≥ 2, received ${refinements}`);
  const points: Point[] = [];
  const done = (why: string): Verdict => verdictOf(points, s, why);
  let h = options.h0;
  for (let k = 0; k <= refinements; k++, h /= ratio) {
    const { error, floor } = sample(h);
    const point = { h, error, floor };
    points.push(point);
    if (!finite(point)) continue;
    if (!(floor >= 0 && Number.isFinite(floor)))
      throw new DomainError('sample(h).floor', `must be finite and ≥ 0, received ${floor} at h = ${h}`);
    if (!usable(point, s)) return done(`the error reached ${s.floorFactor}× the round-off floor at h = ${sci(h)}`);
    const v = verdictOf(points, s, '');
    if (v.status !== 'inconclusive') return done('');
    const estimates = v.data?.estimates as number[];
    const next =
      error / ratio ** (estimates.length > 0 ? Math.min(Math.max(estimates[estimates.length - 1], 0), s.p) : s.p);
    if (k < refinements && next <= s.floorFactor * floor) {
      return done(
        `the next error (≈ ${sci(next)} at h = ${sci(h / ratio)}) would be within ${s.floorFactor}× the round-off floor ${sci(floor)}`,
      );
    }
  }
  return done(`${refinements} refinements (h = ${sci(options.h0)} … ${sci(h * ratio)}) used up`);
}
