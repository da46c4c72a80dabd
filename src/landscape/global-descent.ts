import { compare, inconclusive, type Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { Matrix } from '../linalg/matrix.js';
import type { Data, LossScale } from '../model/loss.js';
import type { Weights } from '../model/network.js';
import { Rng } from '../random/rng.js';
import { strictGradientTolerance } from './criticality.js';
import { hessianSpectrum } from './hessian.js';
import { higherOrderProbe } from './probe.js';
import { lossTolerance } from './tolerances.js';
import { trustRegionDescent } from './trust-region.js';

/**
 * "Every local minimum is global", tested by descent (crit.no-bad-local-min, nr.two-layer-global). Descent from
 * a random start only says something about local minima where its own preconditions held, so:
 *   pass          the endpoint's L is the global value L* to 1e-7·(1 + |L*|);
 *   fail          L < L* beyond that bound (the closed form is wrong: descent is monotone and L is computed to τ_L),
 *                 or the endpoint is CERTIFIED a local minimum above L*: critical to round-off (‖∇L‖ ≤ τ_g), no
 *                 negative curvature beyond τ_H, and the higher-order probe finds no descent curve;
 *   inconclusive  descent did not reach a critical point, or a saddle could not be escaped.
 * A certified saddle is escaped along the probe's confirmed descent curve (negative curvature or higher order)
 * and descent goes on, at most MAX_ESCAPES times.
 *
 * With `escape: false` (FALSE variants about descent itself, "from ANY start") a certified critical endpoint
 * above L* is already a counterexample: descent stops there.
 */
export const REACH_TOLERANCE = 1e-7;
export const MAX_ESCAPES = 3;

export interface GlobalDescentOptions {
  readonly scale: LossScale;
  readonly escape?: boolean;
  /** Trust-region iterations per descent (default: trustRegionDescent's). */
  readonly maxIterations?: number;
  /** What L* is, for the verdict text (e.g. "the closed-form global value"). */
  readonly targetLabel?: string;
}

function along(weights: readonly Matrix[], A: readonly Matrix[], B: readonly Matrix[], t: number): Matrix[] {
  return weights.map((w, j) => {
    const out = new Matrix(w.rows, w.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = w.data[i] + t * A[j].data[i] + t * t * B[j].data[i];
    return out;
  });
}

export function globalDescentVerdict(
  start: Weights,
  data: Data,
  target: number,
  options: GlobalDescentOptions,
): Verdict {
  const { scale } = options;
  const label = options.targetLabel ?? 'the global value';
  const bound = REACH_TOLERANCE * (1 + Math.abs(target));
  const reach = `reached iff |L_end − L*| ≤ ${REACH_TOLERANCE}·(1 + |L*|) (other critical values: ≥ ½κσ_{r*}² above)`;
  const budget = options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {};
  const rng = new Rng(0x5eed);
  let w: Matrix[] = start.map((m) => m.clone());
  const path: string[] = [];
  for (let escapes = 0; ; escapes++) {
    const r = trustRegionDescent(w, data, { scale, ...budget });
    const gap = r.loss - target;
    const run = `descent (${r.iterations} trust-region steps, ‖∇L‖ = ${sci(r.gradientNorm)}, τ_c = ${sci(r.tolerance)})`;
    const head = [...path, run].join('; ');
    const ends = `L = ${sci(r.loss)} vs ${label} ${sci(target)}`;
    const stats = { steps: r.iterations, escapes };
    if (Math.abs(gap) <= bound) {
      const detail = `${head} ends at ${ends}`;
      return compare({ measured: Math.abs(gap), bound, errorModel: reach, detail, data: stats });
    }
    if (gap < 0) {
      return compare({
        measured: gap,
        bound: -Math.max(bound, lossTolerance(r.weights, data, scale)),
        comparison: '>=',
        errorModel: 'descent is monotone and L is computed to τ_L: L_end < L* − max(1e-7(1 + |L*|), τ_L) refutes L*',
        detail: `${head} ends BELOW ${label}: ${ends}`,
        data: stats,
      });
    }
    if (!r.converged) {
      return inconclusive({
        measured: r.gradientNorm,
        bound: r.tolerance,
        errorModel: 'an endpoint tells about local minima only when critical to round-off (τ_c, criticality.ts)',
        detail: `${head} did not reach a critical point (${r.reason}); ${ends}: nothing refuted`,
        data: stats,
      });
    }
    if (options.escape === false) {
      return compare({
        measured: gap,
        bound,
        errorModel: `${reach}; the endpoint is critical to round-off, so descent stops there`,
        detail: `${head} stops at a critical point: ${ends}`,
        data: stats,
      });
    }
    const strict = strictGradientTolerance(r.weights, data, scale);
    if (r.gradientNorm > strict) {
      return inconclusive({
        measured: r.gradientNorm,
        bound: strict,
        errorModel: 'a refutation needs the endpoint critical to the evaluation round-off τ_g (not only τ_c)',
        detail: `${head} ends near, not at, a critical point: ${ends}: nothing refuted`,
        data: stats,
      });
    }
    const spectrum = hessianSpectrum(r.weights, data, scale);
    const probe = higherOrderProbe(r.weights, data, scale, spectrum, { rng });
    const where = `critical point with ${ends} (λ_min = ${sci(spectrum.lambdaMin)}, τ_H = ${sci(spectrum.tolerance)})`;
    if (probe.found && probe.curve && probe.observations) {
      if (escapes >= MAX_ESCAPES) {
        return inconclusive({
          measured: escapes,
          bound: MAX_ESCAPES,
          errorModel: 'saddles are escaped along confirmed descent curves',
          detail: `${head} ends at a saddle again after ${escapes} escapes (${where}): nothing refuted`,
        });
      }
      path.push(`${run} ends at a saddle (L = ${sci(r.loss)}), escaped along an order-${probe.order} descent curve`);
      w = along(r.weights, probe.curve.A, probe.curve.B, probe.observations[0].t);
      continue;
    }
    if (spectrum.negative > 0) {
      return inconclusive({
        measured: spectrum.lambdaMin,
        bound: -spectrum.tolerance,
        errorModel: 'a strict saddle whose descent stays below the loss round-off can be neither escaped nor certified',
        detail: `${head} ends at a ${where} with no confirmed descent curve: nothing refuted`,
      });
    }
    return compare({
      measured: gap,
      bound,
      errorModel: `${reach}; certified local minimum: ‖∇L‖ ≤ τ_g, λ_min ≥ −τ_H, no curve in ${probe.trials} probes`,
      detail: `${head} ends at a local minimum ABOVE ${label}: ${where}; probe: ${probe.detail}`,
      data: stats,
    });
  }
}
