import { allocateState, stateNorm, type VectorField } from '../dynamics/index.js';
import type { Matrix } from '../linalg/matrix.js';
import { listDistance } from './state-measures.js';

/**
 * A directional estimate of the Lipschitz constant of a field at a state: ‖F(y + δd) − F(y)‖/(δ‖d‖) for d = F(y) and
 * for a fixed ±1 pattern, the larger of the two. It only sets step sizes and time spans (h·L ≤ 0.2 keeps explicit RK4
 * in its asymptotic regime and the midpoint fixed-point iteration contracting); it is a lower estimate, hence the
 * margins, and the integrators that depend on it retry with smaller steps when they blow up.
 */
export function lipschitzEstimate(field: VectorField, state: readonly Matrix[]): number {
  const f0 = allocateState(field.shapes),
    f1 = allocateState(field.shapes),
    probe = allocateState(field.shapes);
  field.evaluate(0, state, f0);
  const pattern = allocateState(field.shapes);
  let k = 0;
  for (const p of pattern) for (let i = 0; i < p.data.length; i++) p.data[i] = k++ % 2 === 0 ? 1 : -0.7;
  let best = 0;
  for (const d of [f0.map((m) => m.clone()), pattern]) {
    const dn = stateNorm(d);
    if (!(dn > 0)) continue;
    const delta = (1e-6 * Math.max(1, stateNorm(state))) / dn;
    for (let j = 0; j < state.length; j++)
      for (let i = 0; i < state[j].data.length; i++) probe[j].data[i] = state[j].data[i] + delta * d[j].data[i];
    field.evaluate(0, probe, f1);
    best = Math.max(best, listDistance(f1, f0) / (delta * dn));
  }
  return Math.max(best, 1e-3);
}

/** The smallest power of two n ≥ minSteps with (T/n)·L ≤ hL. */
export function stepCount(T: number, lipschitz: number, minSteps: number, hL = 0.25): number {
  const n = Math.max(minSteps, Math.ceil((T * lipschitz) / hL));
  return 2 ** Math.ceil(Math.log2(n));
}
