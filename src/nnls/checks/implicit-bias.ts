import { compare, inconclusive, type Verdict, worstOf } from '../../check/verdict.js';
import { sci as fmt } from '../../format.js';
import type { ImplicitBiasInstance } from '../instances.js';
import { minL1Interpolant } from '../interpolants.js';
import { klProjection } from '../kl-projection.js';
import { type LeastSquaresProblem, leastSquaresProblem } from '../problem.js';
import { reparamFlow } from '../reparam-flow.js';
import { residualSensitivity } from '../sensitivity.js';
import { distance, matVecInto, norm2 } from '../vector.js';
import { RICH_ALPHA2, richVerdict } from './rich-limit.js';

/** ‖Ax − b‖/‖b‖ (‖Ax − b‖ when b = 0). */
function relativeResidual(problem: LeastSquaresProblem, x: Float64Array, out: Float64Array): number {
  matVecInto(out, problem.A, x);
  let s = 0;
  for (let i = 0; i < out.length; i++) s += (out[i] - problem.b[i]) ** 2;
  return Math.sqrt(s) / (norm2(problem.b) || 1);
}

/** Attempted-step budget of the L = 2 flow to interpolation (a run not there by then has hit its noise floor). */
export const FLOW_MAX_STEPS = 100_000;

/**
 * Run the flow (or an injected dynamics) to interpolation and compare its end point with the KL projection; then
 * the KL projection at α² = 1e-16 and 1e-256 against the LP min {1ᵀx : x ≥ 0, Ax = b}.
 */
export function checkImplicitBias(
  inst: ImplicitBiasInstance,
  limit?: (inst: ImplicitBiasInstance) => { x: Float64Array; reached: boolean; detail: string },
): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const { alpha } = inst;
  const kl = klProjection(inst.A, inst.b, { reference: alpha * alpha });
  if (kl.residual > 1e-12)
    return inconclusive({
      measured: NaN,
      bound: 0,
      errorModel: 'dual Newton',
      detail: `KL projection did not converge (residual ${fmt(kl.residual)})`,
    });
  const run =
    limit?.(inst) ??
    (() => {
      const buf = new Float64Array(inst.A.rows);
      const f = reparamFlow(inst.A, inst.b, {
        L: 2,
        alpha,
        T: 1e6,
        rtol: 1e-12,
        atol: 1e-15,
        maxSteps: FLOW_MAX_STEPS,
        observe: (_t, _u, x) => relativeResidual(problem, x, buf) <= 1e-10,
      });
      return {
        x: f.x,
        reached: f.status === 'stopped',
        detail: `u-flow (L = 2) stopped at t = ${fmt(f.t)} after ${f.steps} steps`,
      };
    })();
  const rho = relativeResidual(problem, run.x, new Float64Array(inst.A.rows));
  const kappa = (residualSensitivity(inst.A, kl.x) * norm2(inst.b)) / norm2(kl.x);
  const measured = distance(run.x, kl.x) / norm2(kl.x);
  const input = {
    measured,
    bound: kappa * rho + 1e-8,
    errorModel: `κ·ρ + 1e-8: ρ = ‖Ax − b‖/‖b‖ = ${fmt(rho)} left at the stop, κ = ‖XAᵀ(AXAᵀ)⁻¹‖_F‖b‖/‖x*‖ = ${fmt(kappa)} its first-order effect on x; 1e-8 for the integrator (local rtol 1e-12, ≤ ${FLOW_MAX_STEPS} steps)`,
    detail: `‖x_∞ − argmin_{x≥0,Ax=b} KL(x‖α²1)‖/‖x*‖ = ${fmt(measured)} (α = ${alpha}; ${run.detail})`,
  };
  const limitVerdict = run.reached
    ? compare(input)
    : inconclusive({ ...input, detail: `${input.detail}; did not reach ρ ≤ 1e-10` });
  // Rich limit: KL(x‖α²1) = log(1/α²)·1ᵀx + O(1), so the projection tends to the LP solution; the off-support
  // entries are predicted to first order by richLimitPrediction [D].
  const lp = minL1Interpolant(inst.A, inst.b, { nonnegative: true });
  if (!lp)
    return worstOf([
      limitVerdict,
      inconclusive({ measured: NaN, bound: 0, errorModel: 'LP', detail: 'no basic nonnegative solution found' }),
    ]);
  const richVerdicts = RICH_ALPHA2.map((a2, k) =>
    richVerdict(
      inst.A,
      inst.b,
      lp,
      klProjection(inst.A, inst.b, { reference: a2 }).x,
      a2,
      true,
      'x_KL',
      'argmin{1ᵀx : x ≥ 0, Ax = b}',
      k === RICH_ALPHA2.length - 1,
    ),
  );
  return worstOf([limitVerdict, ...richVerdicts]);
}
