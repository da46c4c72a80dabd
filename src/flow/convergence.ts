import { compare, inconclusive, type Verdict, worstOf } from '../check/verdict.js';
import { stateNorm, type VectorField } from '../dynamics/index.js';
import { sci as fmt } from '../format.js';
import type { FlowInstance } from './instances.js';
import { runFlowUntil } from './run-until.js';

export const CRITICAL_FRACTION = 1e-4;
export const CRITICAL_STOP = 1e-6;
export const CRITICAL_TMAX = 400;
/** The Cauchy tail starts once ‖∇L‖ ≤ TAIL_START·‖∇L(0)‖; its length must be ≤ TAIL_FRACTION·max(1, ‖W(T)‖). */
export const TAIL_START = 1e-3;
export const TAIL_FRACTION = 0.1;
/** Chunks of 5 time units run past the stop, so that a fast run still has a tail to measure. */
const TAIL_CHUNKS = 4;

/**
 * BRTW state convergence of the trajectory, not only ‖∇L‖ → 0 (a path can creep along a valley of critical points
 * forever with ‖∇L‖ → 0). Two parts:
 * (1) ‖∇L(T)‖/‖∇L(0)‖ ≤ 1e−4 at the end of a run stopped 20 time units after ‖∇L‖ ≤ 1e−6·‖∇L(0)‖, or at T_max = 400;
 * (2) Cauchy tail: the length Σ_j‖W(t_{j+1}) − W(t_j)‖ of the trajectory after ‖∇L‖ first fell below 1e−3·‖∇L(0)‖
 *     (including the 20 time units past the stop) is ≤ 0.1·max(1, ‖W(T)‖). Near a minimum where a PL inequality ‖∇L‖² ≥ 2μ(L − L*) holds the remaining length
 *     is ≤ 2√(2(L − L*)/μ) ≤ 2‖∇L‖/μ, a small multiple of 1e−3·‖∇L(0)‖; a trajectory that keeps moving at a
 *     steady pace fails it. A long tail whose increments are shrinking (last ≤ ½ of the largest) is a slow but
 *     converging path (algebraic decay toward lower rank, N ≥ 3): inconclusive, never a failure.
 * Above the fraction at T_max with bounded factors (‖W‖ ≤ 1e3·max(1, ‖W(0)‖)): inconclusive — the flow is slow here.
 * Unbounded factors or a blow-up: fail (BRTW: the factors stay bounded). `flow` replaces the gradient flow (tests
 * inject a non-gradient field or one that circles along a gauge orbit).
 */
export function checkConvergesCritical(instance: FlowInstance, options: { flow?: VectorField } = {}): Verdict {
  let g0 = NaN,
    after = -1;
  // Once ‖∇L‖ ≤ 1e−6·‖∇L(0)‖, TAIL_CHUNKS more chunks are run: the Cauchy tail is watched past the stop too.
  const run = runFlowUntil(
    instance,
    (_s, g) => {
      if (Number.isNaN(g0)) g0 = g;
      if (after < 0 && g <= CRITICAL_STOP * g0) after = 0;
      else if (after >= 0) after++;
      return after >= TAIL_CHUNKS;
    },
    CRITICAL_TMAX,
    options.flow,
  );
  const startNorm = stateNorm(instance.weights);
  const bounded = Number.isFinite(run.gradientNorm) && run.maxNorm <= 1e3 * Math.max(1, startNorm);
  const ratio = run.gradientNorm / run.g0;
  const input = {
    measured: bounded ? ratio : Infinity,
    bound: CRITICAL_FRACTION,
    errorModel: `convergence tolerance (not round-off): ‖∇L(T)‖/‖∇L(0)‖ ≤ ${CRITICAL_FRACTION} at the end of a run stopped at ${CRITICAL_STOP} or T_max = ${CRITICAL_TMAX} (Dormand–Prince rtol 1e−9, h ≤ 1/L, checked every 5 time units)`,
    detail: `‖∇L‖: ${fmt(run.g0)} → ${fmt(run.gradientNorm)} (ratio ${fmt(ratio)}) at T = ${run.t}; max ‖W‖ along the way ${fmt(run.maxNorm)} (start ${fmt(startNorm)})${run.failure ? `; integrator: ${run.failure}` : ''}`,
  };
  if (bounded && !(ratio <= CRITICAL_FRACTION))
    return inconclusive({ ...input, detail: `${input.detail} — not converged within T_max, factors bounded` });
  const gradient = compare(input);
  if (gradient.status !== 'pass') return gradient;
  const first = run.chunkGradients.findIndex((g) => g <= TAIL_START * run.g0);
  // Chunk j moves from t_j to t_{j+1}; the tail starts with the chunk after the first sub-threshold reading.
  const tail = run.increments.slice(first + 1);
  const length = tail.reduce((a, x) => a + x, 0);
  const scale = Math.max(1, stateNorm(run.weights));
  const largest = Math.max(0, ...tail),
    last = tail.length ? tail[tail.length - 1] : 0;
  const cauchy = {
    measured: length / scale,
    bound: TAIL_FRACTION,
    errorModel: `Cauchy tail: length after ‖∇L‖ ≤ ${TAIL_START}·‖∇L(0)‖ over max(1, ‖W(T)‖) ≤ ${TAIL_FRACTION} (PL near the limit bounds it by ~2‖∇L‖/μ)`,
    detail: `trajectory length after ‖∇L‖ ≤ ${TAIL_START}·‖∇L(0)‖: ${fmt(length)} over ${tail.length} chunks of 5 time units (increments ${fmt(largest)} largest, ${fmt(last)} last; ‖W(T)‖ = ${fmt(scale)})`,
  };
  if (!(cauchy.measured <= cauchy.bound) && last <= 0.5 * largest)
    return inconclusive({
      ...cauchy,
      detail: `${cauchy.detail} — long but shrinking increments: a slow, converging tail`,
    });
  return worstOf([gradient, compare(cauchy)]);
}
