import type { IntegrationStatus } from '../dynamics/dormand-prince.js';
import { dormandPrinceVector } from '../dynamics/vector-ode.js';
import { DomainError } from '../errors.js';
import type { KlTrajectory } from './kl-rates.js';
import { assertOutput, assertParameters, type ModelMap, type SquareLossPoint, squareLossAt } from './model-map.js';

/**
 * The gradient flow θ' = −∇L(θ) = −J_θ*(f_θ − f*) of the square loss L(θ) = ½‖f_θ − f*‖² of a model map,
 * integrated with adaptive Dormand–Prince 5(4) (src/dynamics/vector-ode.ts), recording t, L and ‖∇L‖² at t = 0 and after
 * every accepted step: the trajectory the KL checks (rsl.kl-rates) read.
 */

export interface SquareLossFlowOptions {
  /** Final time. */
  readonly T: number;
  /** Local tolerances (default 1e-12, 1e-14). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Accepted + rejected steps cap (default 50 000). */
  readonly maxSteps?: number;
  /** Stop once L < stopBelow (default 1e2·ε·L_0: one decade below the 1e3·ε·L_0 fit floor). */
  readonly stopBelow?: number;
  /** Called at every observation (t = 0 and every accepted step). */
  readonly observe?: (t: number, theta: Float64Array, point: SquareLossPoint) => void;
}

export interface SquareLossFlowResult extends KlTrajectory {
  readonly theta: Float64Array;
  readonly status: IntegrationStatus;
  readonly steps: number;
  readonly rtol: number;
  readonly atol: number;
}

export function squareLossFlow(
  map: ModelMap,
  target: Float64Array,
  theta0: Float64Array,
  options: SquareLossFlowOptions,
): SquareLossFlowResult {
  assertParameters(map, theta0, 'theta0');
  assertOutput(map, target, 'target');
  if (!(options.T > 0 && Number.isFinite(options.T)))
    throw new DomainError('T', `must be positive and finite, received ${options.T}`);
  const rtol = options.rtol ?? 1e-12,
    atol = options.atol ?? 1e-14;
  const t: number[] = [],
    loss: number[] = [],
    gradientNormSquared: number[] = [];
  let stopBelow = options.stopBelow;
  const r = dormandPrinceVector(
    (_t, theta, dtheta) => {
      const v = map.vjp(theta, residual(map, theta, target));
      for (let k = 0; k < v.length; k++) dtheta[k] = -v[k];
    },
    0,
    theta0,
    options.T,
    {
      rtol,
      atol,
      maxSteps: options.maxSteps ?? 50_000,
      observe: (time, theta) => {
        const p = squareLossAt(map, theta, target);
        t.push(time);
        loss.push(p.loss);
        gradientNormSquared.push(p.gradientNormSquared);
        options.observe?.(time, theta, p);
        stopBelow ??= 1e2 * Number.EPSILON * p.loss;
        return p.loss < stopBelow;
      },
    },
  );
  return { t, loss, gradientNormSquared, theta: r.y, status: r.status, steps: r.steps, rtol, atol };
}

function residual(map: ModelMap, theta: Float64Array, target: Float64Array): Float64Array {
  const f = map.evaluate(theta);
  for (let i = 0; i < f.length; i++) f[i] -= target[i];
  return f;
}
