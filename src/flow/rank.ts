import { compare, EPS, type Verdict } from '../check/verdict.js';
import { callbackObserver, DlnGradientField } from '../dynamics/index.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { singularValues } from '../linalg/svd.js';
import { cloneWeights } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import type { RankInstance } from './instances.js';
import { lipschitzEstimate, stepCount } from './lipschitz.js';
import { widthSum } from './state-measures.js';
import { type FixedStepIntegrator, rk4Integrator } from './tracked-quantity.js';

export const RANK_T = 1;
export const RANK_OBSERVATIONS = 8;

/**
 * Integrate the factors with RK4 (T = min(1, 8/L), h·L ≤ 0.25) and measure, at t = 0 and 8 later times, ρ(t) = σ_{k+1}(W_{N:1}(t))/Π_j‖W_j(t)‖_F.
 * Round-off model: the computed product of exact rank-k factors is off by ≤ (Σd)·ε·Π‖W_j‖_F, and the SVD adds
 * ~d·ε·‖W‖; the balanced flow moves the factors' null blocks only at second order in their rounding (ε²). So
 * ρ ≤ 16·(Σd)·ε. A product whose rank rises has ρ = O(1).
 */
export function checkRankConstant(instance: RankInstance, options: { integrator?: FixedStepIntegrator } = {}): Verdict {
  const integrator = options.integrator ?? rk4Integrator;
  const field = new DlnGradientField(instance.widths, instance.data);
  const L = lipschitzEstimate(field, instance.weights);
  const T = Math.min(RANK_T, 8 / L);
  const steps = stepCount(T, L, RANK_OBSERVATIONS);
  const k = instance.rank;
  let worst = 0,
    worstT = 0,
    sigma1 = 0;
  const observer = callbackObserver((_s, t, state) => {
    const s = singularValues(endToEnd(state));
    const scale = state.reduce((p, w) => p * frobeniusNorm(w), 1);
    const rho = k < s.length ? (scale > 0 ? s[k] / scale : 0) : 0;
    if (rho >= worst) {
      worst = rho;
      worstT = t;
      sigma1 = s[0];
    }
  });
  integrator(field, cloneWeights(instance.weights), { t1: T, steps, observer, every: steps / RANK_OBSERVATIONS });
  const bound = 16 * widthSum(instance.widths) * EPS;
  return compare({
    measured: worst,
    bound,
    errorModel: `rank k preserved ⇒ σ_{k+1}(W)/Π‖W_j‖_F is round-off of forming the product and its SVD: ≤ 16·Σd·ε = ${fmt(bound)}`,
    detail: `rank ${k} at t = 0; max over ${RANK_OBSERVATIONS + 1} times in [0, ${fmt(T)}] of σ_${k + 1}(W)/Π‖W_j‖_F = ${fmt(worst)} at t = ${worstT.toFixed(3)} (σ_1 = ${fmt(sigma1)}), RK4 ${steps} steps`,
  });
}
