import { DomainError } from '../errors.js';
import { fitLogLog } from './loglog.js';
import { compare, inconclusive, type Verdict } from './verdict.js';

/**
 * Convergence-order test for an integrator (THEORY §7: "conserved" means "drift shrinks at the integrator's order
 * as h → 0"). Given errors e(h) at several step sizes, fit log e = p·log h + c on the points above the round-off
 * floor and pass when the fitted order is ≥ p − slack.
 *
 * The fitted order is the smaller of two least-squares slopes: over all points above the floor, and over the three
 * smallest such steps (the asymptotic regime). Taking the smaller keeps a fast pre-asymptotic decay at large h from
 * hiding a lower order at small h.
 */

export interface OrderOptions {
  /** The claimed order p. */
  readonly order: number;
  /**
   * The error level round-off alone produces (e.g. c·ε·‖y‖·steps, or a solve tolerance). Points with
   * e ≤ floorFactor·floor are dropped: below it the error no longer follows h^p. Required: there is no safe default.
   */
  readonly floor: number;
  /** Accepted shortfall of the fitted order (default 0.3: a correct order-p method measures p ± 0.1 on a clean
   * asymptotic range, a method one order lower measures ≤ p − 1 + 0.1). */
  readonly slack?: number;
  /** Default 10. */
  readonly floorFactor?: number;
  readonly label?: string;
}

const fmt = (v: number): string => v.toExponential(2);

export function checkOrder(steps: readonly number[], errors: readonly number[], options: OrderOptions): Verdict {
  if (steps.length !== errors.length) throw new DomainError('errors', `expected ${steps.length} values (one per step), received ${errors.length}`);
  if (steps.length < 3) throw new DomainError('steps', `need at least 3 step sizes, received ${steps.length}`);
  steps.forEach((h, i) => {
    if (!(h > 0 && Number.isFinite(h))) throw new DomainError(`steps[${i}]`, `must be positive and finite, received ${h}`);
  });
  if (new Set(steps).size !== steps.length) throw new DomainError('steps', 'must be distinct');
  const { order: p, floor } = options;
  const slack = options.slack ?? 0.3, floorFactor = options.floorFactor ?? 10;
  if (!(p > 0 && Number.isFinite(p))) throw new DomainError('options.order', `must be positive, received ${p}`);
  if (!(floor >= 0 && Number.isFinite(floor))) throw new DomainError('options.floor', `must be finite and ≥ 0, received ${floor}`);
  if (!(slack >= 0 && Number.isFinite(slack))) throw new DomainError('options.slack', `must be finite and ≥ 0, received ${slack}`);
  if (!(floorFactor > 0 && Number.isFinite(floorFactor))) throw new DomainError('options.floorFactor', `must be positive, received ${floorFactor}`);

  const label = options.label ?? 'integrator';
  const bound = p - slack;
  const errorModel = `e(h) ∝ h^p with p = ${p}; least-squares slope of log e vs log h over points with e > ${floorFactor}·floor = ${fmt(floorFactor * floor)}; pass when slope ≥ p − ${slack}`;
  const order = steps.map((_, i) => i).sort((a, b) => steps[a] - steps[b]);
  const h = order.map((i) => steps[i]), e = order.map((i) => errors[i]);
  const data = { h, error: e, floor };

  // A non-finite error means the integrator blew up at that step: a failure of the method, not bad input.
  const broken = e.findIndex((v) => !Number.isFinite(v) || v < 0);
  if (broken >= 0) {
    return compare({ measured: NaN, bound, comparison: '>=', errorModel, detail: `${label}: error at h = ${fmt(h[broken])} is ${e[broken]}`, data });
  }
  const keep = h.flatMap((_, i) => (e[i] > floorFactor * floor ? [i] : []));
  if (keep.length < 3) {
    const why = keep.length === 0
      ? `every error is within ${floorFactor}× the floor: the method is exact to round-off on this problem, its order is not measurable`
      : `only ${keep.length} error(s) above ${floorFactor}× the floor; need 3 to fit an order`;
    return inconclusive({ measured: 0, bound, comparison: '>=', errorModel, detail: `${label}: ${why}`, data });
  }
  const hs = keep.map((i) => h[i]), es = keep.map((i) => e[i]);
  const all = fitLogLog(hs, es);
  const asymptotic = fitLogLog(hs.slice(0, 3), es.slice(0, 3));
  const measured = Math.min(all.slope, asymptotic.slope);
  return compare({
    measured,
    bound,
    comparison: '>=',
    errorModel,
    detail:
      `${label}: observed order ${measured.toFixed(3)} (all ${keep.length} points above the floor: ${all.slope.toFixed(3)}, ` +
      `3 smallest steps: ${asymptotic.slope.toFixed(3)}) against claimed order ${p}`,
    data: { ...data, slope: all.slope, asymptoticSlope: asymptotic.slope, used: hs },
  });
}
