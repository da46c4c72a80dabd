import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { ObservationSchedule } from './schedule.js';
import { allocateState, assertCount, assertStateShapes, type Shape } from './state.js';
import type { ObserveOptions, VectorField } from './vector-field.js';

/**
 * The classical explicit Runge–Kutta method of order 4 with a fixed step. Five state-sized buffers are allocated
 * once; step(t, h, state) updates the state in place with 4 field evaluations and no allocation.
 * Error model: global error O(h⁴) on [t0, t1]; a quadratic invariant drifts like C·h⁴·(t1 − t0) (not 0).
 */
export class Rk4 {
  readonly shapes: readonly Shape[];
  private readonly k1: Matrix[];
  private readonly k2: Matrix[];
  private readonly k3: Matrix[];
  private readonly k4: Matrix[];
  private readonly tmp: Matrix[];

  constructor(private readonly field: VectorField) {
    this.shapes = field.shapes;
    [this.k1, this.k2, this.k3, this.k4, this.tmp] = [0, 1, 2, 3, 4].map(() => allocateState(field.shapes));
  }

  step(t: number, h: number, state: readonly Matrix[]): void {
    const f = this.field,
      { k1, k2, k3, k4, tmp } = this;
    f.evaluate(t, state, k1);
    combine(tmp, state, h / 2, k1);
    f.evaluate(t + h / 2, tmp, k2);
    combine(tmp, state, h / 2, k2);
    f.evaluate(t + h / 2, tmp, k3);
    combine(tmp, state, h, k3);
    f.evaluate(t + h, tmp, k4);
    const c = h / 6;
    for (let j = 0; j < state.length; j++) {
      const Y = state[j].data,
        A = k1[j].data,
        B = k2[j].data,
        C = k3[j].data,
        D = k4[j].data;
      for (let i = 0; i < Y.length; i++) Y[i] += c * (A[i] + 2 * B[i] + 2 * C[i] + D[i]);
    }
  }
}

function combine(out: readonly Matrix[], base: readonly Matrix[], alpha: number, dir: readonly Matrix[]): void {
  for (let j = 0; j < out.length; j++) {
    const O = out[j].data,
      B = base[j].data,
      D = dir[j].data;
    for (let i = 0; i < O.length; i++) O[i] = B[i] + alpha * D[i];
  }
}

export interface FixedStepOptions extends ObserveOptions {
  readonly t0?: number;
  readonly t1: number;
  /** Number of equal steps, h = (t1 − t0)/steps. */
  readonly steps: number;
}

/** Integrate from t0 (default 0) to t1 with `steps` RK4 steps, in place. */
export function integrateRk4(
  field: VectorField,
  state: readonly Matrix[],
  options: FixedStepOptions,
): { t: number; steps: number; evaluations: number; h: number } {
  assertStateShapes(state, field.shapes, 'state');
  const t0 = options.t0 ?? 0,
    t1 = options.t1;
  const steps = assertCount(options.steps, 'steps');
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0))
    throw new DomainError('[t0, t1]', `expected finite t0 < t1, received [${t0}, ${t1}]`);
  const h = (t1 - t0) / steps;
  const rk = new Rk4(field);
  const schedule = new ObservationSchedule(options);
  schedule.observe(0, t0, state);
  for (let s = 1; s <= steps; s++) {
    rk.step(t0 + (s - 1) * h, h, state);
    schedule.observe(s, s === steps ? t1 : t0 + s * h, state, s === steps);
  }
  return { t: t1, steps, evaluations: 4 * steps, h };
}
