import { DomainError } from '../errors.js';
import { sci } from '../format.js';
import { fitLogLog, longestPowerWindow, type PowerWindow } from './loglog.js';
import { noiseLevel } from './noise.js';
import {
  assertDirection,
  assertPoint,
  displaced,
  displacedInto,
  type Point,
  pointNorm,
  type ScalarFunction,
  stepUnit,
} from './point.js';
import { compare, EPS, inconclusive, type Verdict } from './verdict.js';

/**
 * The Taylor-remainder test with a machine verdict (THEORY §7; Manopt's checkgradient/checkhessian without the
 * human reading the plot).
 *
 * Model: m(t) = f(x) + t·Df[ξ] (+ t²/2·D²f[ξ,ξ] for order 2). On a log grid of t the remainder
 * r(t) = f(x+tξ) − m(t) is computed on both sides, t and −t:
 * - e(t) = |r(t)| is the Manopt curve: slope p+1 when the claims are right (2 for a gradient, 3 for a Hessian).
 *   A pass needs a slope-(p+1) window spanning ≥ minSpan decades above the floor (slope p+2 counts too: the
 *   (p+1)-th term may vanish along ξ).
 * - The odd part o(t) = (r(t) − r(−t))/2 = t·(Df_true − Df_claimed) + O(t³) isolates a first-order defect: the
 *   t² term that hides a small defect in e(t) cancels, so a slope-1 regime of o(t) spans many more decades than
 *   e(t)'s (relative errors down to ~1e-8 show, where e(t) alone resolves ~sqrt(ε) at best). One Richardson step
 *   between neighbouring grid points also removes the t³ term, so the regime extends up to large t. The defect δ is
 *   the median of o(t)/t over the regime, reported as |δ|/|Df_true| (relative to the claim when Df_true is 0 within
 *   resolution). For order 2 the even part (r(t) + r(−t))/2 = t²/2·(D²f_true − D²f_claimed) + O(t⁴) does the same
 *   for the second-order term (slope 2).
 * - Round-off floor at each t: max(2ε·(|f(x)| + |f(x±tξ)| + |t·Df| + |t²/2·D²f| + scale), 2σ), where σ is the
 *   measured noise of f along ξ (noise.ts). Only points above floorFactor × floor are used.
 *
 * Verdict, in this order:
 * - fail: a defect regime (odd part slope 1, or even part slope 2 for order 2, each point of one sign) spans
 *   ≥ minDefectSpan decades with relative error ≥ minRelativeError. measured = that relative error; bound = the
 *   larger of minRelativeError and the smallest relative error visible above the floor in that window.
 * - pass: e(t) has a slope-(p+1) (or p+2) window of ≥ minSpan decades, or the parts carrying the claims do
 *   (odd part slope 3; for order 2 also even part slope 4). measured = the window's fitted slope; bound = p+1 − slack.
 * - pass ("exact"): no point of any curve rises above the floor and σ is at round-off level: the model is exact to
 *   round-off (a linear f with its gradient, a quadratic with its Hessian). measured = max e(t)/floor(t);
 *   bound = floorFactor.
 * - inconclusive otherwise (too noisy, too short a window). measured = the best slope found.
 */

/** Ulps charged per magnitude in the floor's error model: one rounding when forming each term, one when subtracting. */
const ROUNDOFF_ULPS = 2;

/** floor(t) = max(ROUNDOFF_ULPS·ε(base + |f(x ± tξ)|), 2σ), base = |f(x)| + |t·Df| + |t²/2·D²f| + scale. */
function roundOffFloor(base: number, value: number, sigma: number): number {
  return Math.max(ROUNDOFF_ULPS * EPS * (base + Math.abs(value)), 2 * sigma);
}
/** Empirical noise below this many ulps of the largest |f| on the grid is round-off, not a noisy function. */
const ROUNDOFF_NOISE_ULPS = 1e3;
/** Spacing of the noise probe, in units of the step unit (printed as 1e-6 in the error model): h⁴·f'''' is invisible. */
const NOISE_STEP = 1e-6;

export interface TaylorClaim {
  /** The claimed directional derivative Df(x)[ξ]. */
  readonly derivative: number;
  /** The claimed second-order term D²f(x)[ξ, ξ]; giving it makes this a second-order test. */
  readonly secondDerivative?: number;
}

export interface TaylorOptions {
  /** Smallest and largest t, in units of `unit` (defaults 1e-8 and 1, as in Manopt). */
  tMin?: number;
  tMax?: number;
  /** Grid points, log-spaced (default 33: four per decade over 8 decades). */
  points?: number;
  /** The unit of t (default stepUnit(x, ξ) = max(‖x‖, 1)/‖ξ‖, so t = 1 moves x by max(‖x‖, 1)). */
  unit?: number;
  /** Accepted deviation of a fitted slope from the expected one (default 0.15). */
  slack?: number;
  /** Largest departure of a window's points from its fitted line, in decades (default 0.1, a factor 1.26). */
  maxResidual?: number;
  /** Decades a slope-(p+1) window must span for a pass (default 2). */
  minSpan?: number;
  /** Decades a defect regime must span for a fail (default 1, i.e. ≥ 5 grid points). */
  minDefectSpan?: number;
  /** Points count only above this multiple of the round-off floor (default 10). */
  floorFactor?: number;
  /** Magnitude of the intermediate quantities f is computed from, added to the error model (default 0). */
  scale?: number;
  /** Smaller visible relative defects are treated as round-off in the claimed derivative (default 1e-9). */
  minRelativeError?: number;
}

/** Defaults (reasons at each option): Manopt's grid, a slack mid-range of ±0.1..0.2, THEORY §7's two decades. */
export const TAYLOR_DEFAULTS: Readonly<Omit<Required<TaylorOptions>, 'unit'>> = {
  tMin: 1e-8,
  tMax: 1,
  points: 33,
  slack: 0.15,
  maxResidual: 0.1,
  minSpan: 2,
  minDefectSpan: 1,
  floorFactor: 10,
  scale: 0,
  minRelativeError: 1e-9,
};

export interface TaylorData {
  readonly order: 1 | 2;
  /** The grid (actual multipliers of ξ) and the Manopt curve e(t) = |f(x+tξ) − m(t)| with its floor. */
  readonly t: number[];
  readonly error: number[];
  readonly floor: number[];
  /** The pass-evidence window [t_lo, t_hi] (of e(t), or of the odd/even parts), or null when there is none. */
  readonly window: [number, number] | null;
  readonly windowCurve: 'e' | 'parts' | null;
  readonly slope: number;
  readonly span: number;
  /**
   * |Df_claimed − Df_true|/|Df_true|: the estimate from the defect regime when one is found; otherwise an upper
   * estimate (the best central difference, noise included), or 0 when the claimed Df is 0.
   */
  readonly relativeError: number;
  /** |Df_claimed − Df_true| on the same terms. */
  readonly absoluteError: number;
  /** Order 2 only: the same for D²f[ξ, ξ]. */
  readonly relativeSecondOrderError?: number;
  readonly absoluteSecondOrderError?: number;
  /** Measured noise σ of f along ξ. */
  readonly noise: number;
  readonly exact: boolean;
}

interface Defect {
  readonly window: PowerWindow;
  /** Df_true − Df_claimed (or the second-order analogue). */
  readonly delta: number;
  readonly relative: number;
  /** The smallest relative defect visible above the floor in the window. */
  readonly resolution: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * |δ|/|D_true| with D_true = D_claimed + δ. When |D_true| is within `resolution` (the smallest |δ| the data can
 * see) the true value is 0 as far as the test can tell, and the error is taken relative to the claim instead (= 1).
 */
function relativeTo(delta: number, claimed: number, resolution: number): number {
  if (delta === 0) return 0;
  const truth = Math.abs(claimed + delta);
  return Math.abs(delta) / (truth > resolution ? truth : Math.abs(claimed));
}

/**
 * Richardson step that removes the next term of a part of the remainder: for part(t) = a·t^q + b·t^{q+2} + …
 * sampled at t_i and t_{i+1} = ρ·t_i, (part_i − part_{i+1}/ρ^{q+2})/(1 − ρ^{−2}) = a·t_i^q + O(t^{q+4}). A defect
 * (the a·t^q term) then stands alone up to much larger t (for a quartic loss the b term was the only other one), at
 * the price of amplifying noise by (1 + ρ^{−q−2})/(1 − ρ^{−2}) (1.7 on the default grid); the floor follows.
 */
function richardson(t: number[], part: number[], floor: number[], q: 1 | 2): { value: number[]; floor: number[] } {
  const value: number[] = [],
    fl: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (i + 1 === t.length) {
      value.push(NaN);
      fl.push(Infinity);
      continue;
    }
    const rho = t[i + 1] / t[i],
      c = 1 / (1 - rho ** -2),
      w = rho ** -(q + 2);
    value.push(c * (part[i] - w * part[i + 1]));
    fl.push(c * (floor[i] + w * floor[i + 1]));
  }
  return { value, floor: fl };
}

/**
 * A defect of power q in the odd (q = 1) or even (q = 2) part of the remainder: after the Richardson step,
 * |part(t)| ≈ |δ|·t^q/q! over a window of one sign; δ = q!·median(part/t^q).
 */
function findDefect(
  t: number[],
  part: { value: number[]; floor: number[] },
  q: 1 | 2,
  claimed: number,
  o: Required<TaylorOptions>,
): Defect | undefined {
  const abs = part.value.map(Math.abs);
  const usable = abs.map((a, i) => Number.isFinite(a) && a > o.floorFactor * part.floor[i]);
  const window = longestPowerWindow(t, abs, usable, {
    target: q,
    slack: o.slack,
    maxResidual: o.maxResidual,
    signs: part.value.map(Math.sign),
  });
  if (window === undefined || window.span < o.minDefectSpan - 1e-9) return undefined;
  const fact = q === 1 ? 1 : 2;
  const quotients: number[] = [];
  let smallest = Infinity;
  for (let i = window.from; i <= window.to; i++) {
    quotients.push((fact * part.value[i]) / t[i] ** q);
    smallest = Math.min(smallest, (fact * o.floorFactor * part.floor[i]) / t[i] ** q);
  }
  const delta = median(quotients);
  const relative = relativeTo(delta, claimed, smallest);
  return { window, delta, relative, resolution: relative * (smallest / Math.abs(delta)) };
}

/** Upper estimate of |δ| when no defect regime shows: min over t of (|part| + floorFactor·floor)·q!/t^q. */
function bestBound(t: number[], part: { value: number[]; floor: number[] }, q: 1 | 2, floorFactor: number): number {
  let best = Infinity;
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(part.value[i])) continue;
    best = Math.min(best, ((q === 1 ? 1 : 2) * (Math.abs(part.value[i]) + floorFactor * part.floor[i])) / t[i] ** q);
  }
  return best;
}

/** The remainders r(±t) = f(x ± tξ) − m(±t) on the grid, their floors, and the largest |f| met. */
function sample(
  f: ScalarFunction,
  x: Point,
  direction: Point,
  t: number[],
  f0: number,
  D: number,
  d2: number,
  sigma: number,
  scale: number,
): { rPlus: number[]; rMinus: number[]; floorPlus: number[]; floorMid: number[]; largestF: number } {
  const rPlus: number[] = [],
    rMinus: number[] = [],
    floorPlus: number[] = [],
    floorMid: number[] = [];
  let largestF = Math.max(Math.abs(f0), scale);
  // One buffer for all 2·|t| displaced points, fully rewritten before each evaluation (same entries as displaced()).
  const at = displaced(x, 0, direction);
  for (const ti of t) {
    const fp = f(displacedInto(at, x, ti, direction)),
      fm = f(displacedInto(at, x, -ti, direction));
    const lin = ti * D,
      quad = 0.5 * ti * ti * d2;
    rPlus.push(fp - f0 - lin - quad);
    rMinus.push(fm - f0 + lin - quad);
    const base = Math.abs(f0) + Math.abs(lin) + Math.abs(quad) + scale;
    const floorP = roundOffFloor(base, fp, sigma),
      floorM = roundOffFloor(base, fm, sigma);
    floorPlus.push(floorP);
    // The odd and even parts average the two sides, so their noise is at most the mean of the two floors.
    floorMid.push((floorP + floorM) / 2);
    if (Number.isFinite(fp)) largestF = Math.max(largestF, Math.abs(fp));
    if (Number.isFinite(fm)) largestF = Math.max(largestF, Math.abs(fm));
  }
  return { rPlus, rMinus, floorPlus, floorMid, largestF };
}

/** The longest power-law window of |y| above floorFactor × floor, over the given target slopes. */
function bestWindow(
  t: number[],
  y: number[],
  floor: number[],
  targets: number[],
  o: Required<TaylorOptions>,
): PowerWindow | undefined {
  const abs = y.map(Math.abs);
  const usable = abs.map((v, i) => Number.isFinite(v) && v > o.floorFactor * floor[i]);
  let best: PowerWindow | undefined;
  for (const target of targets) {
    const w = longestPowerWindow(t, abs, usable, { target, slack: o.slack, maxResidual: o.maxResidual });
    if (w !== undefined && (best === undefined || w.span > best.span + 1e-12)) best = w;
  }
  return best;
}

/** "relative 3.1e-12", or "3.1e-15 absolute" when the claim is 0 and a relative error means nothing. */
function agreement(relative: number, absolute: number, claimed: number): string {
  return claimed === 0 ? `${sci(absolute)} absolute` : `relative ${sci(relative)}`;
}

/** Check a claimed directional derivative (and optionally second-order term) of f at x along ξ. */
export function checkTaylor(
  f: ScalarFunction,
  x: Point,
  direction: Point,
  claim: TaylorClaim,
  options: TaylorOptions = {},
): Verdict {
  assertPoint(x, 'x');
  assertDirection(x, direction, 'direction');
  const D = claim.derivative,
    D2 = claim.secondDerivative;
  if (!Number.isFinite(D)) throw new DomainError('claim.derivative', `must be finite, received ${D}`);
  if (D2 !== undefined && !Number.isFinite(D2))
    throw new DomainError('claim.secondDerivative', `must be finite, received ${D2}`);
  if (pointNorm(direction) === 0)
    throw new DomainError('direction', 'is zero; a derivative check needs a non-zero direction');
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as TaylorOptions;
  const o: Required<TaylorOptions> = { ...TAYLOR_DEFAULTS, unit: given.unit ?? stepUnit(x, direction), ...given };
  if (!(o.tMin > 0 && o.tMax > o.tMin && Number.isFinite(o.tMax)))
    throw new DomainError('options.tMin/tMax', `need 0 < tMin < tMax < ∞, received ${o.tMin}, ${o.tMax}`);
  if (!Number.isInteger(o.points) || o.points < 5)
    throw new DomainError('options.points', `must be an integer ≥ 5, received ${o.points}`);
  for (const key of [
    'unit',
    'slack',
    'maxResidual',
    'minSpan',
    'minDefectSpan',
    'floorFactor',
    'minRelativeError',
  ] as const) {
    if (!(o[key] > 0 && Number.isFinite(o[key])))
      throw new DomainError(`options.${key}`, `must be positive and finite, received ${o[key]}`);
  }
  if (!(o.scale >= 0 && Number.isFinite(o.scale)))
    throw new DomainError('options.scale', `must be finite and ≥ 0, received ${o.scale}`);

  const order: 1 | 2 = D2 === undefined ? 1 : 2;
  const d2 = D2 ?? 0;
  const expected = order + 1;
  const f0 = f(x.map((m) => m.clone()));
  const errorModelHead = `floor(t) = max(${ROUNDOFF_ULPS}ε(|f(x)|+|f(x±tξ)|+|t·Df|+|t²/2·D²f|+scale), 2σ); points used above ${o.floorFactor}×floor`;
  if (!Number.isFinite(f0)) {
    return compare({
      measured: NaN,
      bound: 0,
      errorModel: errorModelHead,
      detail: `f(x) = ${f0}: the function under test is not finite at x`,
    });
  }

  const lo = Math.log10(o.tMin),
    hi = Math.log10(o.tMax);
  const t = Array.from({ length: o.points }, (_, i) => o.unit * 10 ** (lo + ((hi - lo) * i) / (o.points - 1)));
  const sigma = noiseLevel(f, x, direction, NOISE_STEP * o.unit, f0);
  const { rPlus, rMinus, floorPlus, floorMid, largestF } = sample(f, x, direction, t, f0, D, d2, sigma, o.scale);
  const e = rPlus.map(Math.abs);
  const odd = rPlus.map((r, i) => (r - rMinus[i]) / 2);
  const even = rPlus.map((r, i) => (r + rMinus[i]) / 2);
  const usableE = e.map((v, i) => Number.isFinite(v) && v > o.floorFactor * floorPlus[i]);

  // Error estimates, whatever the verdict.
  const oddR = richardson(t, odd, floorMid, 1);
  const evenR = richardson(t, even, floorMid, 2);
  const defect1 = findDefect(t, oddR, 1, D, o);
  const defect2 = order === 2 ? findDefect(t, evenR, 2, d2, o) : undefined;
  const abs1 = defect1 ? Math.abs(defect1.delta) : bestBound(t, oddR, 1, o.floorFactor);
  const rel1 = defect1 ? defect1.relative : D === 0 ? 0 : abs1 / Math.abs(D);
  const abs2 = order === 2 ? (defect2 ? Math.abs(defect2.delta) : bestBound(t, evenR, 2, o.floorFactor)) : undefined;
  const rel2 = abs2 === undefined ? undefined : defect2 ? defect2.relative : d2 === 0 ? 0 : abs2 / Math.abs(d2);
  // Evidence that the claims are right: e(t) with slope p+1 (or p+2 when the (p+1)-th term vanishes along ξ);
  // failing that, the parts that carry the claims with their own leading slopes (odd part t³ for Df; for order 2
  // also the even part t⁴ for D²f — the odd part alone says nothing about D²f), the shorter of the two counting.
  const eWindow = bestWindow(t, e, floorPlus, [expected, expected + 1], o);
  const parts = [bestWindow(t, odd, floorMid, [3], o), ...(order === 2 ? [bestWindow(t, even, floorMid, [4], o)] : [])];
  const partsWindow = parts.every((w) => w !== undefined)
    ? (parts as PowerWindow[]).reduce((a, b) => (b.span < a.span ? b : a))
    : undefined;
  const fromParts = partsWindow !== undefined && (eWindow === undefined || partsWindow.span > eWindow.span + 1e-12);
  const window = fromParts ? partsWindow : eWindow;
  const usedIdx = usableE.flatMap((u, i) => (u ? [i] : []));
  const anyAbove =
    usedIdx.length > 0 ||
    odd.some((v, i) => Math.abs(v) > o.floorFactor * floorMid[i]) ||
    (order === 2 && even.some((v, i) => Math.abs(v) > o.floorFactor * floorMid[i]));
  const roundoffNoise = sigma <= ROUNDOFF_NOISE_ULPS * EPS * largestF;
  const exact = !anyAbove && roundoffNoise;
  const slope =
    window?.slope ??
    (usedIdx.length >= 2
      ? fitLogLog(
          t.filter((_, i) => usableE[i]),
          usedIdx.map((i) => e[i]),
        ).slope
      : 0);
  const data: TaylorData = {
    order,
    t,
    error: e,
    floor: floorPlus,
    window: window ? [t[window.from], t[window.to]] : null,
    windowCurve: window ? (fromParts ? 'parts' : 'e') : null,
    slope,
    span: window?.span ?? 0,
    relativeError: rel1,
    absoluteError: abs1,
    ...(abs2 !== undefined ? { relativeSecondOrderError: rel2, absoluteSecondOrderError: abs2 } : {}),
    noise: sigma,
    exact,
  };
  const defectText = order === 1 ? 'odd part slope 1' : 'odd part slope 1 or even part slope 2';
  const errorModel =
    `${errorModelHead}; σ = ${sci(sigma)} (measured: 4th differences at h = 1e-6·unit); unit = ${sci(o.unit)}; ` +
    `fail: ${defectText} ±${o.slack} (after one Richardson step) over ≥ ${o.minDefectSpan} decade(s), relative error ≥ ${sci(o.minRelativeError)}; ` +
    `pass: e(t) slope ${expected} (or ${expected + 1}), or odd part slope 3${order === 2 ? ' and even part slope 4' : ''}, ±${o.slack} over ≥ ${o.minSpan} decades; ` +
    `measured = relative error (fail), fitted slope (pass, inconclusive), max e/floor (exact model)`;
  const curve = fromParts
    ? order === 1
      ? 'the odd part of the remainder'
      : 'the odd and even parts of the remainder'
    : 'e(t)';
  const windowText = window
    ? `${curve}: slope ${window.slope.toFixed(3)} over ${window.span.toFixed(2)} decades (t ∈ [${sci(t[window.from])}, ${sci(t[window.to])}])`
    : 'no power-law window above the floor for pass evidence';

  const defects = [
    defect1 && { d: defect1, name: 'Df[ξ]', claimed: D },
    defect2 && { d: defect2, name: 'D²f[ξ,ξ]', claimed: d2 },
  ].filter(
    (v): v is { d: Defect; name: string; claimed: number } => v !== undefined && v.d.relative >= o.minRelativeError,
  );
  if (defects.length > 0) {
    const worst = defects.reduce((a, b) => (b.d.relative > a.d.relative ? b : a));
    const w = worst.d.window;
    const q = worst.name === 'Df[ξ]' ? 1 : 2;
    return compare({
      measured: worst.d.relative,
      bound: Math.max(o.minRelativeError, worst.d.resolution),
      errorModel,
      detail:
        `${worst.name} is wrong: the ${q === 1 ? 'odd' : 'even'} part of the remainder has slope ${w.slope.toFixed(3)} (≈ ${q}) over ` +
        `${w.span.toFixed(2)} decades (t ∈ [${sci(t[w.from])}, ${sci(t[w.to])}]); claimed ${sci(worst.claimed)}, true ≈ ${sci(worst.claimed + worst.d.delta)}, ` +
        `relative error ${sci(worst.d.relative)}; ${windowText}`,
      data: { ...data },
    });
  }
  if (window && window.span >= o.minSpan - 1e-9) {
    return compare({
      measured: window.slope,
      bound: expected - o.slack,
      comparison: '>=',
      errorModel,
      detail:
        `${windowText} above the floor; no defect regime: Df[ξ] agrees to ${agreement(rel1, abs1, D)}` +
        (abs2 !== undefined ? `, D²f[ξ,ξ] to ${agreement(rel2 as number, abs2, d2)}` : '') +
        ' (upper estimates)',
      data: { ...data },
    });
  }
  if (exact) {
    const ratio = Math.max(0, ...e.map((v, i) => v / floorPlus[i]).filter(Number.isFinite));
    return compare({
      measured: ratio,
      bound: o.floorFactor,
      errorModel,
      detail: `the model is exact to round-off: every |f(x±tξ) − m(±t)| is within ${o.floorFactor}× the floor (largest ratio ${ratio.toFixed(2)}) for t up to ${sci(t[t.length - 1])}`,
      data: { ...data },
    });
  }
  const why =
    !roundoffNoise && !anyAbove
      ? `f is too noisy along ξ (σ = ${sci(sigma)}, ${sci(sigma / (EPS * largestF))} ulps of max|f|): nothing rises above the floor`
      : `not enough evidence: ${windowText}; a pass needs ${o.minSpan} decades of slope ${expected} above the floor` +
        (roundoffNoise ? '' : ` (f is noisy: σ = ${sci(sigma)})`);
  return inconclusive({
    measured: slope,
    bound: expected - o.slack,
    comparison: '>=',
    errorModel,
    detail: why,
    data: { ...data },
  });
}
