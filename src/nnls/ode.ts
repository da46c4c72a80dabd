import { DomainError } from '../errors.js';
import { allFinite, positive, toVector } from './vector.js';

/**
 * Two small integrators for vector ODEs y' = F(t, y) on Float64Array state: classical RK4 with a fixed step
 * (order 4; used where a known error model h⁴ is wanted) and adaptive Dormand–Prince 5(4) with FSAL and the
 * standard PI-free step controller (Hairer–Nørsett–Wanner, Solving ODEs I, §II.4–5). Every buffer is
 * allocated once per call; the stepping loops allocate nothing.
 */

/** dydt ← F(t, y). Must not keep references to y or dydt. */
export type VectorField = (t: number, y: Float64Array, dydt: Float64Array) => void;

/** Called with the initial state and after every accepted step; return true to stop the integration there. */
export type Observer = (t: number, y: Float64Array) => boolean | void;

export type IntegrationStatus = 'done' | 'stopped' | 'max-steps' | 'step-underflow' | 'non-finite';

export interface IntegrationResult {
  readonly t: number;
  readonly y: Float64Array;
  readonly status: IntegrationStatus;
  readonly steps: number;
  readonly rejected: number;
  readonly evaluations: number;
}

export interface AdaptiveOptions {
  /** Relative local tolerance (default 1e-10). */
  readonly rtol?: number;
  /** Absolute local tolerance (default 1e-12). */
  readonly atol?: number;
  /** First step (default from |y|/|F|). */
  readonly initialStep?: number;
  readonly maxStep?: number;
  /** Cap on accepted + rejected steps (default 1e6). */
  readonly maxSteps?: number;
  readonly observe?: Observer;
}

// Dormand–Prince 5(4) tableau.
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
// Error weights: 5th-order minus embedded 4th-order solution.
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

/** Integrate from t0 to t1 (t1 > t0) with adaptive Dormand–Prince 5(4). */
export function dormandPrince(f: VectorField, t0: number, y0: ArrayLike<number>, t1: number, options: AdaptiveOptions = {}): IntegrationResult {
  const y = toVector(y0, 'y0');
  if (!Number.isFinite(t0)) throw new DomainError('t0', `must be finite, got ${t0}`);
  if (!(t1 > t0) || !Number.isFinite(t1)) throw new DomainError('t1', `must be finite and > t0 = ${t0}, got ${t1}`);
  const rtol = positive(options.rtol ?? 1e-10, 'options.rtol');
  const atol = positive(options.atol ?? 1e-12, 'options.atol');
  const maxSteps = options.maxSteps ?? 1_000_000;
  const maxStep = options.maxStep ?? t1 - t0;
  positive(maxStep, 'options.maxStep');
  const n = y.length;
  const k1 = new Float64Array(n), k2 = new Float64Array(n), k3 = new Float64Array(n), k4 = new Float64Array(n);
  const k5 = new Float64Array(n), k6 = new Float64Array(n), k7 = new Float64Array(n);
  const yt = new Float64Array(n), yn = new Float64Array(n);
  let t = t0, steps = 0, rejected = 0, evaluations = 1;
  f(t, y, k1);
  if (options.observe?.(t, y)) return { t, y, status: 'stopped', steps, rejected, evaluations };
  if (!allFinite(k1)) return { t, y, status: 'non-finite', steps, rejected, evaluations };
  let h = options.initialStep ?? initialStep(y, k1, rtol, atol, t1 - t0);
  h = Math.min(h, maxStep, t1 - t0);
  for (;;) {
    if (t >= t1) return { t, y, status: 'done', steps, rejected, evaluations };
    if (steps + rejected >= maxSteps) return { t, y, status: 'max-steps', steps, rejected, evaluations };
    const last = t + h >= t1 || t1 - (t + h) < 1e-12 * Math.abs(t1);
    if (last) h = t1 - t;
    if (!(h > 4 * Number.EPSILON * Math.max(Math.abs(t), 1e-300))) return { t, y, status: 'step-underflow', steps, rejected, evaluations };
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * A21 * k1[i];
    f(t + C2 * h, yt, k2);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    f(t + C3 * h, yt, k3);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    f(t + C4 * h, yt, k4);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    f(t + C5 * h, yt, k5);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    const tn = last ? t1 : t + h;
    f(tn, yt, k6);
    for (let i = 0; i < n; i++) yn[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
    f(tn, yn, k7);
    evaluations += 6;
    let err = 0;
    for (let i = 0; i < n; i++) {
      const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yn[i]));
      err += (e / sc) ** 2;
    }
    err = Math.sqrt(err / Math.max(n, 1));
    if (!Number.isFinite(err)) {
      // A non-finite trial state: shrink hard, and give up if even tiny steps blow up.
      rejected++;
      h *= 0.1;
      continue;
    }
    if (err <= 1) {
      steps++;
      t = tn;
      y.set(yn);
      k1.set(k7); // FSAL
      if (options.observe?.(t, y)) return { t, y, status: 'stopped', steps, rejected, evaluations };
      if (!allFinite(y)) return { t, y, status: 'non-finite', steps, rejected, evaluations };
      h = Math.min(maxStep, h * Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.2))));
    } else {
      rejected++;
      h *= Math.max(0.2, 0.9 * Math.pow(err, -0.2));
    }
  }
}

/** The usual starting-step heuristic: h such that h·|F| is a small fraction of the tolerance-weighted |y|. */
function initialStep(y: Float64Array, dy: Float64Array, rtol: number, atol: number, span: number): number {
  let d0 = 0, d1 = 0;
  for (let i = 0; i < y.length; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d0 += (y[i] / sc) ** 2;
    d1 += (dy[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / Math.max(y.length, 1));
  d1 = Math.sqrt(d1 / Math.max(y.length, 1));
  const h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 * span : (0.01 * d0) / d1;
  return Math.min(Math.max(h, 1e-12 * span), span);
}

/** Classical RK4 with `steps` equal steps from t0 to t1; observe is called after every step. */
export function rk4(f: VectorField, t0: number, y0: ArrayLike<number>, t1: number, steps: number, observe?: Observer): IntegrationResult {
  const y = toVector(y0, 'y0');
  if (!Number.isInteger(steps) || steps < 1) throw new DomainError('steps', `must be an integer ≥ 1, got ${steps}`);
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) throw new DomainError('t1', `t0 and t1 must be finite, got ${t0}, ${t1}`);
  const n = y.length, h = (t1 - t0) / steps;
  const k1 = new Float64Array(n), k2 = new Float64Array(n), k3 = new Float64Array(n), k4 = new Float64Array(n), yt = new Float64Array(n);
  let t = t0;
  if (observe?.(t, y)) return { t, y, status: 'stopped', steps: 0, rejected: 0, evaluations: 0 };
  for (let s = 0; s < steps; s++) {
    f(t, y, k1);
    for (let i = 0; i < n; i++) yt[i] = y[i] + 0.5 * h * k1[i];
    f(t + 0.5 * h, yt, k2);
    for (let i = 0; i < n; i++) yt[i] = y[i] + 0.5 * h * k2[i];
    f(t + 0.5 * h, yt, k3);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * k3[i];
    f(t + h, yt, k4);
    for (let i = 0; i < n; i++) y[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    t = s === steps - 1 ? t1 : t0 + (s + 1) * h;
    if (observe?.(t, y)) return { t, y, status: 'stopped', steps: s + 1, rejected: 0, evaluations: 4 * (s + 1) };
    if (!allFinite(y)) return { t, y, status: 'non-finite', steps: s + 1, rejected: 0, evaluations: 4 * (s + 1) };
  }
  return { t, y, status: 'done', steps, rejected: 0, evaluations: 4 * steps };
}
