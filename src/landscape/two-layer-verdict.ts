import { compare, type Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { loss } from '../model/loss.js';
import { Rng } from '../random/rng.js';
import { globalDescentVerdict } from './global-descent.js';
import type { TwoLayerInstance } from './instances.js';
import { twoLayerClosedForm, twoLayerMinimizer } from './nr-models.js';
import { lossTolerance } from './tolerances.js';

/**
 * nr.two-layer-global: (1) the explicit minimizer [YV_x]_kΣ_x⁻¹U_xᵀ attains the closed form, (2) local descent from
 * the instance's random start reaches it (refuted only at a certified local minimum, globalDescentVerdict).
 * `withProjection: false` drops the ½‖Y(I − V_xV_xᵀ)‖² term (the FALSE variant).
 */
export function twoLayerVerdicts(instance: TwoLayerInstance, withProjection: boolean): Verdict[] {
  const cf = twoLayerClosedForm(instance.data, instance.widths, instance.scale);
  const formula = withProjection ? cf.value : cf.truncation;
  const opt = twoLayerMinimizer(instance.data, instance.widths, new Rng(instance.seed));
  const attained = loss(opt, instance.data, { scale: instance.scale });
  const tau =
    lossTolerance(opt, instance.data, instance.scale) + lossTolerance(instance.start, instance.data, instance.scale);
  const label = withProjection
    ? '½Σ_{i>k}σ_i(YV_x)² + ½‖Y(I − V_xV_xᵀ)‖²'
    : '½Σ_{i>k}σ_i(YV_x)² (projection term dropped)';
  return [
    compare({
      measured: Math.abs(attained - formula),
      bound: tau + 1e-12 * (1 + formula),
      errorModel: 'τ_L + 1e-12 relative (SVD of X and YV_x)',
      detail:
        `explicit minimizer [YV_x]_kΣ_x⁻¹U_xᵀ attains ${sci(attained)} vs ${label} = ${sci(formula)} (rank X = ` +
        `${cf.rankX}, k = ${cf.k})`,
    }),
    globalDescentVerdict(instance.start, instance.data, formula, { scale: instance.scale, targetLabel: label }),
  ];
}
