import { DomainError, NonFiniteError, ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { DormandPrince, type IntegrationStatus } from './dormand-prince.js';
import { Rk4 } from './rk4.js';
import { assertPositive, stateMaxAbs } from './state.js';
import type { VectorField } from './vector-field.js';

/**
 * The integrators of this folder (Rk4, DormandPrince) for an ODE y' = F(t, y) on one flat Float64Array, the
 * form the NNLS and model-map flows are written in: the state is a single m×1 matrix viewing the caller's copy of
 * y0, so the stepping is the very same code, with the same error model (RK4: global error O(h⁴); Dormand–Prince:
 * local error per step held to atol + rtol·|y|). An observer may stop the run; limits end it with a status.
 */

/** dydt ← F(t, y). Must not keep references to y or dydt, and should not allocate (it runs in the inner loop). */
export type VectorOdeField = (t: number, y: Float64Array, dydt: Float64Array) => void;

/** Called with the initial state and after every accepted step; return true to stop the integration there. */
export type VectorOdeObserver = (t: number, y: Float64Array) => boolean | void;

export interface VectorOdeResult {
  readonly t: number;
  readonly y: Float64Array;
  readonly status: IntegrationStatus;
  readonly steps: number;
  readonly rejected: number;
  readonly evaluations: number;
}

export interface VectorOdeOptions {
  /** Relative local tolerance (default 1e-10). */
  readonly rtol?: number;
  /** Absolute local tolerance (default 1e-12). */
  readonly atol?: number;
  /** First step (default: Hairer's starting-step heuristic). */
  readonly initialStep?: number;
  readonly maxStep?: number;
  /** Cap on accepted + rejected steps (default 1e6). */
  readonly maxSteps?: number;
  readonly observe?: VectorOdeObserver;
}

/** A finite Float64Array copy of y0; a one-line error naming `argument` otherwise. */
function initialState(y0: ArrayLike<number>, argument: string): Float64Array {
  if (y0 === null || y0 === undefined || typeof y0.length !== 'number')
    throw new ShapeError(argument, 'a vector', String(y0));
  const y = Float64Array.from(y0);
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new NonFiniteError(argument, i, y[i]);
  return y;
}

function asField(f: VectorOdeField, n: number): VectorField {
  return { shapes: [[n, 1]], evaluate: (t, state, out) => f(t, state[0].data, out[0].data) };
}

/** Integrate from t0 to t1 (t1 > t0) with adaptive Dormand–Prince 5(4) (DormandPrince, onLimit 'report'). */
export function dormandPrinceVector(
  f: VectorOdeField,
  t0: number,
  y0: ArrayLike<number>,
  t1: number,
  options: VectorOdeOptions = {},
): VectorOdeResult {
  const y = initialState(y0, 'y0');
  if (!Number.isFinite(t0)) throw new DomainError('t0', `must be finite, got ${t0}`);
  if (!(t1 > t0) || !Number.isFinite(t1)) throw new DomainError('t1', `must be finite and > t0 = ${t0}, got ${t1}`);
  const observe = options.observe;
  const stats = new DormandPrince(asField(f, y.length)).run([new Matrix(y.length, 1, y)], {
    t0,
    t1,
    rtol: assertPositive(options.rtol ?? 1e-10, 'options.rtol'),
    atol: assertPositive(options.atol ?? 1e-12, 'options.atol'),
    ...(options.initialStep !== undefined ? { h0: options.initialStep } : {}),
    ...(options.maxStep !== undefined ? { hMax: options.maxStep } : {}),
    maxSteps: options.maxSteps ?? 1_000_000,
    onLimit: 'report',
    afterRejection: 'grow',
    ...(observe ? { stopWhen: (t: number, state: readonly Matrix[]) => Boolean(observe(t, state[0].data)) } : {}),
  });
  return {
    t: stats.t,
    y,
    status: stats.status,
    steps: stats.accepted,
    rejected: stats.rejected,
    evaluations: stats.evaluations,
  };
}

/** Classical RK4 (Rk4) with `steps` equal steps from t0 to t1 (either direction); observe after every step. */
export function rk4Vector(
  f: VectorOdeField,
  t0: number,
  y0: ArrayLike<number>,
  t1: number,
  steps: number,
  observe?: VectorOdeObserver,
): VectorOdeResult {
  const y = initialState(y0, 'y0');
  if (!Number.isInteger(steps) || steps < 1) throw new DomainError('steps', `must be an integer ≥ 1, got ${steps}`);
  if (!Number.isFinite(t0) || !Number.isFinite(t1))
    throw new DomainError('t1', `t0 and t1 must be finite, got ${t0}, ${t1}`);
  const h = (t1 - t0) / steps;
  const state = [new Matrix(y.length, 1, y)];
  const rk = new Rk4(asField(f, y.length));
  const result = (t: number, status: IntegrationStatus, taken: number): VectorOdeResult => {
    return { t, y, status, steps: taken, rejected: 0, evaluations: 4 * taken };
  };
  if (observe?.(t0, y)) return result(t0, 'stopped', 0);
  for (let s = 0; s < steps; s++) {
    rk.step(t0 + s * h, h, state);
    const t = s === steps - 1 ? t1 : t0 + (s + 1) * h;
    if (observe?.(t, y)) return result(t, 'stopped', s + 1);
    if (!(stateMaxAbs(state) < Infinity)) return result(t, 'non-finite', s + 1);
  }
  return result(t1, 'done', steps);
}
