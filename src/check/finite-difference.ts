import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { noiseLevel } from './noise.js';
import {
  assertDirection,
  assertPoint,
  displaced,
  type Point,
  pointNorm,
  type ScalarFunction,
  stepUnit,
} from './point.js';
import { EPS } from './verdict.js';

/**
 * Central finite differences with steps taken from an error model, each with an estimate of its own error, so a
 * caller compares an analytic derivative with a tolerance it can justify instead of a guessed atol.
 *
 * Error model along a direction ξ with unit u (t = u moves x by max(‖x‖, 1)):
 *   first difference  (f(x+hξ) − f(x−hξ))/2h:        truncation h²|f'''|/6, round-off ~ε|f|/h  → h = ε^{1/3}·u;
 *   second difference (f(x+hξ) − 2f(x) + f(x−hξ))/h²:  truncation h²|f''''|/12, round-off ~4ε|f|/h² → h = ε^{1/4}·u.
 * The truncation part is measured, not assumed: comparing the step h with 2h (Richardson) gives it as |D(2h) − D(h)|/3.
 * The reported error is |D(2h) − D(h)| (three times that, which absorbs the noise contaminating the comparison) plus
 * five standard deviations of the noise of the quotient, with the noise of f measured (noise.ts): an ε·|f| model
 * alone was exceeded by up to 2.5× on random deep-linear instances.
 */

/** Standard deviations of noise in the error bound: 5, because σ itself comes from only five fourth differences. */
const NOISE_SIGMAS = 5;

export interface DifferenceOptions {
  /** The step h (overrides the error-model choice). */
  step?: number;
  /** The unit the default step is a multiple of (default stepUnit(x, ξ)). */
  unit?: number;
}

export interface Difference {
  /** The difference quotient at step h. */
  readonly value: number;
  readonly step: number;
  /** Estimated bound on |value − exact|: 3× the Richardson truncation estimate plus 5σ of the quotient's noise. */
  readonly error: number;
}

function chooseStep(x: Point, direction: Point, power: number, options: DifferenceOptions): number {
  const h = options.step ?? EPS ** power * (options.unit ?? stepUnit(x, direction));
  if (!(h > 0) || !Number.isFinite(h))
    throw new DomainError('options.step', `must be a positive finite number, received ${h}`);
  return h;
}

/** Df(x)[ξ] ≈ (f(x+hξ) − f(x−hξ))/2h with h = ε^{1/3}·unit. */
export function centralDifference(
  f: ScalarFunction,
  x: Point,
  direction: Point,
  options: DifferenceOptions = {},
): Difference {
  assertPoint(x, 'x');
  assertDirection(x, direction, 'direction');
  const h = chooseStep(x, direction, 1 / 3, options);
  const at = (t: number): number => f(displaced(x, t, direction));
  const f0 = f(x.map((m) => m.clone()));
  const [p1, m1, p2, m2] = [at(h), at(-h), at(2 * h), at(-2 * h)];
  const d1 = (p1 - m1) / (2 * h),
    d2 = (p2 - m2) / (4 * h);
  // Noise σ in each value gives noise σ/(√2·h) in d1; NOISE_SIGMAS standard deviations.
  const noise = valueNoise(f, x, direction, h, f0, [p1, m1]);
  return { value: d1, step: h, error: Math.abs(d2 - d1) + (NOISE_SIGMAS * noise) / (Math.SQRT2 * h) };
}

/** D²f(x)[ξ, ξ] ≈ (f(x+hξ) − 2f(x) + f(x−hξ))/h² with h = ε^{1/4}·unit. */
export function secondDifference(
  f: ScalarFunction,
  x: Point,
  direction: Point,
  options: DifferenceOptions = {},
): Difference {
  assertPoint(x, 'x');
  assertDirection(x, direction, 'direction');
  const h = chooseStep(x, direction, 1 / 4, options);
  const at = (t: number): number => f(displaced(x, t, direction));
  const f0 = f(x.map((m) => m.clone()));
  const [p1, m1, p2, m2] = [at(h), at(-h), at(2 * h), at(-2 * h)];
  const d1 = (p1 - 2 * f0 + m1) / (h * h),
    d2 = (p2 - 2 * f0 + m2) / (4 * h * h);
  // Noise σ in each value gives noise √6·σ/h² in d1; NOISE_SIGMAS standard deviations.
  const noise = valueNoise(f, x, direction, h, f0, [p1, f0, m1]);
  return { value: d1, step: h, error: Math.abs(d2 - d1) + (NOISE_SIGMAS * Math.sqrt(6) * noise) / (h * h) };
}

/**
 * The noise level of the values entering a difference: the larger of one ulp of the largest of them and the
 * measured noise of f along ξ (noise.ts), which includes cancellation inside f that an ε·|f| model misses.
 */
function valueNoise(f: ScalarFunction, x: Point, direction: Point, h: number, f0: number, values: number[]): number {
  return Math.max(EPS * Math.max(...values.map(Math.abs)), noiseLevel(f, x, direction, 1e-3 * h, f0));
}

/**
 * The full gradient by central differences, one coordinate at a time (2·(number of entries) evaluations, so for
 * small problems only). Step h = ε^{1/3}·max(‖x‖, 1) per coordinate unless options.step is given; the step
 * actually used is the representable difference (x_k + h) − (x_k − h), which removes the representation error.
 */
export function centralDifferenceGradient(
  f: ScalarFunction,
  x: Point,
  options: Pick<DifferenceOptions, 'step'> = {},
): Matrix[] {
  assertPoint(x, 'x');
  const h = options.step ?? Math.cbrt(EPS) * Math.max(pointNorm(x), 1);
  if (!(h > 0) || !Number.isFinite(h))
    throw new DomainError('options.step', `must be a positive finite number, received ${h}`);
  const work = x.map((m) => m.clone());
  return work.map((m) => {
    const g = new Matrix(m.rows, m.cols);
    for (let i = 0; i < m.data.length; i++) {
      const xi = m.data[i],
        xp = xi + h,
        xm = xi - h;
      m.data[i] = xp;
      const fp = f(work);
      m.data[i] = xm;
      const fm = f(work);
      m.data[i] = xi;
      g.data[i] = (fp - fm) / (xp - xm);
    }
    return g;
  });
}
