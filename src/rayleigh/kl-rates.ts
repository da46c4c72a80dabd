import { compare, EPS, inconclusive, type Verdict } from '../check/verdict.js';
import { DomainError } from '../errors.js';
import { sci } from '../format.js';

/**
 * Kurdyka–Łojasiewicz rates (THEORY §6, rsl.kl-rates [D]). Along a gradient flow L' = −‖∇L‖², an inequality
 * ‖∇L‖² ≥ cL^a on the path integrates to the envelope
 *   a = 1:  L(t) ≤ L_0 e^{−ct},
 *   a > 1:  L(t) ≤ (L_0^{1−a} + (a−1)ct)^{−1/(a−1)},
 *   a < 1:  L(t) ≤ max(L_0^{1−a} − (1−a)ct, 0)^{1/(1−a)}   (finite-time extinction; for completeness).
 * The exponent is fitted on the tail of a trajectory by least squares of log‖∇L‖² against log L, leaving out the
 * last decades where L < floorFactor·ε·L_0 (there the computed L and ‖∇L‖² are round-off and integrator error).
 */

/** A recorded trajectory of a gradient flow: time, loss and squared gradient norm at each observation. */
export interface KlTrajectory {
  readonly t: readonly number[];
  readonly loss: readonly number[];
  readonly gradientNormSquared: readonly number[];
}

function assertTrajectory(tr: KlTrajectory): void {
  const n = tr.t.length;
  if (n < 1) throw new DomainError('trajectory', 'needs at least one observation');
  if (tr.loss.length !== n || tr.gradientNormSquared.length !== n) {
    throw new DomainError(
      'trajectory',
      `t, loss and gradientNormSquared must have the same length (${n}, ${tr.loss.length}, ${tr.gradientNormSquared.length})`,
    );
  }
}

/** The KL envelope at time t from L(0) = L0 under ‖∇L‖² ≥ cL^a. */
export function klEnvelope(L0: number, a: number, c: number, t: number): number {
  if (!(L0 > 0 && Number.isFinite(L0))) throw new DomainError('L0', `must be positive and finite, received ${L0}`);
  if (!(a > 0 && Number.isFinite(a))) throw new DomainError('a', `must be positive and finite, received ${a}`);
  if (!(c >= 0 && Number.isFinite(c))) throw new DomainError('c', `must be finite and ≥ 0, received ${c}`);
  if (!(t >= 0)) throw new DomainError('t', `must be ≥ 0, received ${t}`);
  if (a === 1) return L0 * Math.exp(-c * t);
  // L0·(1 + x)^{−1/(a−1)}, x = (a−1)·c·t·L0^{a−1}, through log1p: the textbook form (L0^{1−a} + (a−1)ct)^{−1/(a−1)}
  // loses every digit when a is within ~1e-12 of 1 (a fitted â), this one tends smoothly to L0·e^{−ct}.
  const x = (a - 1) * c * t * Math.pow(L0, a - 1);
  if (!(x > -1)) return 0;
  return L0 * Math.exp(-Math.log1p(x) / (a - 1));
}

/** The envelope formula, as a value that a check can take (tests inject wrong ones). */
export type EnvelopeFormula = (L0: number, a: number, c: number, t: number) => number;

/** ρ_a = ‖∇L‖²/L^a at every observation with L > 0 (NaN elsewhere). */
export function klRatio(tr: KlTrajectory, a: number): number[] {
  assertTrajectory(tr);
  return tr.loss.map((l, i) => (l > 0 ? tr.gradientNormSquared[i] / Math.pow(l, a) : NaN));
}

/** A lower estimate of inf_t q(t) along a path from samples q_k. */
export interface PathMinimum {
  /** min_k over consecutive pairs of min(q_k, q_{k+1}) − |q_{k+1} − q_k|, clipped at 0. */
  readonly value: number;
  /** The plain minimum of the samples. */
  readonly sampled: number;
  /** Index of the sample where the plain minimum sits. */
  readonly at: number;
}

/**
 * A lower estimate of the infimum of a sampled path quantity: between two samples the quantity is assumed not to
 * dip below the smaller one by more than their difference (exact when it is monotone between samples; a smooth
 * dip between dense samples is second order in the step, the difference first order).
 */
export function pathMinimum(q: readonly number[]): PathMinimum {
  let value = Infinity,
    sampled = Infinity,
    at = -1;
  for (let k = 0; k < q.length; k++) {
    if (!Number.isFinite(q[k])) continue;
    if (q[k] < sampled) {
      sampled = q[k];
      at = k;
    }
    value = Math.min(value, q[k]);
    if (k + 1 < q.length && Number.isFinite(q[k + 1]))
      value = Math.min(value, Math.min(q[k], q[k + 1]) - Math.abs(q[k + 1] - q[k]));
  }
  return { value: Math.max(value, 0), sampled, at };
}

/** The KL constant c_a = inf over the path of ‖∇L‖²/L^a, as the lower estimate of pathMinimum. */
export function klConstant(tr: KlTrajectory, a: number): PathMinimum {
  return pathMinimum(klRatio(tr, a));
}

export interface KlExponentFit {
  /** The fitted exponent â (slope of log‖∇L‖² against log L). */
  readonly a: number;
  /** ĉ with ‖∇L‖² ≈ ĉL^â on the fitted range. */
  readonly c: number;
  /** First and last index of the fitted observations. */
  readonly from: number;
  readonly to: number;
  readonly points: number;
  /** The time range [t_from, t_to] of the fit. */
  readonly tRange: readonly [number, number];
  /** The loss range [L_to, L_from] of the fit. */
  readonly lossRange: readonly [number, number];
  /** Decades of L the fit spans. */
  readonly decades: number;
  /** Largest |log10‖∇L‖² − fitted line| over the fitted points. */
  readonly maxResidual: number;
  /** L below which nothing is fitted: floorFactor·ε·L_0. */
  readonly floor: number;
}

export interface FitOptions {
  /** Leave out L < floorFactor·ε·L_0 (default 1e3). */
  readonly floorFactor?: number;
  /** Fit on the lower `tailFraction` of the decades of L covered above the floor (default ½). */
  readonly tailFraction?: number;
  /** At least this many points (default 5). */
  readonly minPoints?: number;
}

/**
 * Fit log‖∇L‖² = log ĉ + â·log L on the tail of a trajectory: the observations with t > 0, ∇L ≠ 0 and
 * L ∈ [floorFactor·ε·L_0, L_0·10^{−(1 − tailFraction)·D}], D the decades of L covered above the floor.
 * Undefined when fewer than minPoints observations or less than ½ decade of L are left.
 */
export function fitKlExponent(tr: KlTrajectory, options: FitOptions = {}): KlExponentFit | undefined {
  assertTrajectory(tr);
  const floorFactor = options.floorFactor ?? 1e3,
    tailFraction = options.tailFraction ?? 0.5,
    minPoints = options.minPoints ?? 5;
  if (!(floorFactor > 0)) throw new DomainError('floorFactor', `must be positive, received ${floorFactor}`);
  if (!(tailFraction > 0 && tailFraction <= 1))
    throw new DomainError('tailFraction', `must be in (0, 1], received ${tailFraction}`);
  const L0 = tr.loss[0];
  if (!(L0 > 0)) return undefined;
  const floor = floorFactor * EPS * L0;
  const usable = tr.t.map((t, i) => t > 0 && tr.loss[i] >= floor && tr.loss[i] > 0 && tr.gradientNormSquared[i] > 0);
  let lowest = Infinity;
  usable.forEach((u, i) => {
    if (u) lowest = Math.min(lowest, tr.loss[i]);
  });
  if (!Number.isFinite(lowest)) return undefined;
  const D = Math.log10(L0 / lowest);
  const top = L0 * Math.pow(10, -(1 - tailFraction) * D);
  const idx = usable.flatMap((u, i) => (u && tr.loss[i] <= top ? [i] : []));
  if (idx.length < minPoints) return undefined;
  const lx = idx.map((i) => Math.log10(tr.loss[i])),
    ly = idx.map((i) => Math.log10(tr.gradientNormSquared[i]));
  const decades = Math.max(...lx) - Math.min(...lx);
  if (!(decades >= 0.5)) return undefined;
  const n = idx.length;
  const mx = lx.reduce((p, q) => p + q, 0) / n,
    my = ly.reduce((p, q) => p + q, 0) / n;
  let sxx = 0,
    sxy = 0;
  for (let k = 0; k < n; k++) {
    sxx += (lx[k] - mx) ** 2;
    sxy += (lx[k] - mx) * (ly[k] - my);
  }
  const a = sxy / sxx,
    intercept = my - a * mx;
  let maxResidual = 0;
  for (let k = 0; k < n; k++) maxResidual = Math.max(maxResidual, Math.abs(ly[k] - intercept - a * lx[k]));
  const from = idx[0],
    to = idx[n - 1];
  return {
    a,
    c: Math.pow(10, intercept),
    from,
    to,
    points: n,
    tRange: [tr.t[from], tr.t[to]],
    lossRange: [Math.min(...idx.map((i) => tr.loss[i])), Math.max(...idx.map((i) => tr.loss[i]))],
    decades,
    maxResidual,
    floor,
  };
}

/** "â = 1.500 on t ∈ [1.2e+02, 2.0e+03] (L from 3.1e-05 down to 2.0e-07, 2.2 decades, 41 points)". */
export function describeFit(fit: KlExponentFit): string {
  return (
    `â = ${fit.a.toFixed(3)} fitted on t ∈ [${sci(fit.tRange[0])}, ${sci(fit.tRange[1])}] (L from ${sci(fit.lossRange[1])} down to ` +
    `${sci(fit.lossRange[0])}, ${fit.decades.toFixed(1)} decades, ${fit.points} points; floor 1e3·ε·L_0 = ${sci(fit.floor)} excluded below)`
  );
}

export interface EnvelopeCheck {
  readonly name: string;
  readonly a: number;
  readonly c: number;
  /** Relative slack on the envelope (integrator error in L). */
  readonly relative: number;
  /** Absolute slack (round-off and integrator error where L is tiny). */
  readonly absolute: number;
  readonly formula?: EnvelopeFormula;
}

/**
 * L(t_k) ≤ envelope(t_k)·(1 + relative) + absolute at EVERY recorded observation. measured = max_k (L_k − env_k)/
 * (relative·env_k + absolute): the largest excess over the envelope in units of the tolerance (≤ 1 passes; 0 means
 * the trajectory touches the envelope, as it does at t = 0 by construction). The detail gives the closest approach
 * L/env over t > 0 and the whole time range checked.
 */
export function checkEnvelope(tr: KlTrajectory, spec: EnvelopeCheck): Verdict & { envelope: number[] } {
  assertTrajectory(tr);
  const formula = spec.formula ?? klEnvelope;
  const L0 = tr.loss[0];
  const envelope = tr.t.map((t) => formula(L0, spec.a, spec.c, t - tr.t[0]));
  let worst = -Infinity,
    at = 0,
    closest = -Infinity,
    closestAt = -1;
  for (let k = 0; k < tr.t.length; k++) {
    const q = (tr.loss[k] - envelope[k]) / (spec.relative * envelope[k] + spec.absolute);
    if (Number.isNaN(q)) {
      worst = NaN;
      at = k;
      break;
    }
    if (q > worst) {
      worst = q;
      at = k;
    }
    const r = tr.loss[k] / envelope[k];
    if (k > 0 && r > closest) {
      closest = r;
      closestAt = k;
    }
  }
  const n = tr.t.length;
  const closestText =
    closestAt >= 0
      ? `; closest approach over t > 0: L/env = ${closest.toPrecision(6)} at t = ${sci(tr.t[closestAt])}`
      : '';
  const verdict = compare({
    measured: worst,
    bound: 1,
    errorModel: `L(t) ≤ env(t)·(1 + ${sci(spec.relative)}) + ${sci(spec.absolute)} at every one of the ${n} observations; measured = max (L − env)/(${sci(spec.relative)}·env + ${sci(spec.absolute)})`,
    detail:
      `${spec.name}: a = ${spec.a.toFixed(3)}, c = ${sci(spec.c)}; over t ∈ [${sci(tr.t[0])}, ${sci(tr.t[n - 1])}] (L from ${sci(L0)} to ${sci(tr.loss[n - 1])}) ` +
      `the largest excess is at t = ${sci(tr.t[at])}: L = ${sci(tr.loss[at])} vs envelope ${sci(envelope[at])}${closestText}`,
  });
  return { ...verdict, envelope };
}

/**
 * An exponent check: |â − a_predicted| ≤ slack; inconclusive when no tail could be fitted. `slackModel` says where the
 * slack comes from (e.g. the spread of ‖∇L‖²/L^a the theory allows on the fit range).
 */
export function checkExponent(
  fit: KlExponentFit | undefined,
  predicted: number,
  slack: number,
  label: string,
  slackModel = '',
): Verdict {
  const errorModel = `|â − a| ≤ ${slack.toFixed(3)}${slackModel ? ` (${slackModel})` : ''}: least-squares slope of log‖∇L‖² on log L over the lower half of the decades above 1e3·ε·L_0`;
  if (!fit)
    return inconclusive({
      measured: NaN,
      bound: slack,
      errorModel,
      detail: `${label}: no tail to fit (fewer than 5 observations or ½ decade of L above the floor)`,
    });
  return compare({
    measured: Math.abs(fit.a - predicted),
    bound: slack,
    errorModel,
    detail: `${label}: predicted a = ${predicted.toFixed(3)}, ${describeFit(fit)}`,
  });
}
