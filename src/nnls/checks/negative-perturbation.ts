import { checkOrderAdaptive } from '../../check/order.js';
import { inconclusive, type Verdict } from '../../check/verdict.js';
import { sci as fmt } from '../../format.js';
import {
  type LimitMap,
  type PerturbedTruth,
  perturbationError,
  RECOVERY_RTOL,
  recoveryError,
  smallAlphaLimit,
} from '../small-alpha-limit.js';
import { norm1 } from '../vector.js';

/** The perturbation sizes s = ‖n‖₁: from 1e-1, divided by 10 at most 6 times (to 1e-7). */
export const PERTURBATION = { h0: 1e-1, ratio: 10, refinements: 6 } as const;
/** Round-off floor of ‖x₀ − x₊‖₁ in units of ‖x₊‖₁ + 1: the feasibility tolerance of the exact LP/NNLS solves. */
export const PERTURBATION_FLOOR = 1e-12;

/**
 * The claim is ‖x₀ − x₊‖₁ ≤ C‖n‖₁ for small n: the error is O(‖n‖₁), order 1 in s. The limit map is piecewise
 * linear in b (one optimal basis of the LP, or one active set of the NNLS, per piece), so below its last
 * breakpoint e(s) = C·s exactly: the order test shrinks s until the order estimates stabilize (past every
 * breakpoint, where they are 1 to round-off), then holds them to 1 − slack; a √s law stabilizes at 0.5.
 */
export function checkNegativePerturbation(inst: PerturbedTruth, limit: LimitMap = smallAlphaLimit): Verdict {
  const scale = norm1(inst.xPlus);
  const e0 = recoveryError(inst, limit);
  if (e0 > RECOVERY_RTOL * scale) {
    return inconclusive({
      measured: e0,
      bound: RECOVERY_RTOL * scale,
      errorModel: 'hypothesis check',
      detail: `x₊ is not recovered at s = 0 (‖x₀ − x₊‖₁ = ${fmt(e0)}): outside the claim's hypothesis (sparse x₊ identifiable)`,
    });
  }
  const ratios: string[] = [];
  const v = checkOrderAdaptive(
    (s) => {
      const e = perturbationError(inst, s, limit);
      ratios.push(`${fmt(e / s)} at ${fmt(s)}`);
      return { error: e, floor: PERTURBATION_FLOOR * (scale + 1) };
    },
    { order: 1, ...PERTURBATION, label: '‖x₀(s) − x₊‖₁ against ‖n‖₁ = s' },
  );
  const model = `exact LP/NNLS solves (floor ${PERTURBATION_FLOOR}·(‖x₊‖₁ + 1))`;
  return {
    ...v,
    errorModel: `${model}; ${v.errorModel}`,
    detail: `‖x₀ − x₊‖₁/‖n‖₁ = ${ratios.join(', ')}: ${v.detail}`,
  };
}
