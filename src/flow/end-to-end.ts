import { checkOrderAdaptive } from '../check/order.js';
import { EPS, type Verdict } from '../check/verdict.js';
import {
  DlnGradientField,
  EndToEndField,
  GradientDescent,
  integrateRk4,
  type MetricApplication,
} from '../dynamics/index.js';
import { sci as fmt } from '../format.js';
import { metricOperator } from '../geometry/metric-operator.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { maxBalancednessDefect } from '../model/balancedness.js';
import { endToEndGradient } from '../model/loss.js';
import { cloneWeights } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import type { FlowInstance } from './instances.js';
import { lipschitzEstimate, stepCount } from './lipschitz.js';
import { listDistance, widthSum, withNote } from './state-measures.js';

/** The end-to-end dynamics of a balanced network (ACH; THEORY §2): the product follows dW/dt = −A_W(∇L¹(W)). */

export const E2E_T = 0.5;

/**
 * h·L of the coarsest run of the continuous order test (then halved until it decides). Measured on 60 instances of
 * each claim: from 0.2, 5684 RK4 steps (flow.end-to-end) and 12240 (.unbalanced); from 0.4, 2968 and 6360, with the
 * same verdicts (60 pass, 60 fail): the order test reaches its asymptotic regime one halving earlier.
 */
export const E2E_START_HL = 0.4;

/** The default A_W: the SVD-form MetricOperator of src/geometry at the numerical rank of W. */
export const defaultMetric: MetricApplication = (w, depth, z) => metricOperator(w, depth).apply(z);

/**
 * Continuous version: RK4 on the factors and RK4 on the end-to-end ODE dW/dt = −A_W(∇L¹(W)) from W(0) = W_{N:1}(0),
 * both to T = min(0.5, 2/L) with n_0·2^k steps (h·L ≤ E2E_START_HL at k = 0) until the order test decides. If the
 * claim holds both approximate the same curve, so the gap ‖W_{N:1}(T) − W(T)‖_F falls at order 4; if not (unbalanced start,
 * wrong A_W) it tends to a non-zero constant (order ≈ 0). Floor of a run of n steps:
 * 2·(√n + Σd)·ε·(Π‖W_j‖_F + ‖W(T) − W(0)‖_F): per-step rounding of both
 * trajectories (random walk, √n) and the Σd-ulp errors of forming the product and of the SVD inside A_W. Measured:
 * with truncation ≪ round-off (T = 0.1, 4096 steps) the gap was 3–14·ε·Π‖W_j‖ on 12 random instances.
 */
export function checkEndToEndContinuous(instance: FlowInstance, options: { metric?: MetricApplication } = {}): Verdict {
  const n = instance.widths.length - 1;
  const factorField = new DlnGradientField(instance.widths, instance.data);
  const e2e = new EndToEndField(n, instance.data, { metric: options.metric ?? defaultMetric });
  const w0 = endToEnd(instance.weights);
  const L = Math.max(lipschitzEstimate(factorField, instance.weights), lipschitzEstimate(e2e, [w0]));
  const T = Math.min(E2E_T, 2 / L);
  const n0 = stepCount(T, L, 4, E2E_START_HL);
  const size = widthSum(instance.widths);
  const product = Math.max(
    instance.weights.reduce((p, w) => p * frobeniusNorm(w), 1),
    frobeniusNorm(w0),
  );
  const counts: number[] = [];
  let floor = 0;
  const v = checkOrderAdaptive(
    (h) => {
      const steps = Math.round(T / h);
      counts.push(steps);
      const wf = cloneWeights(instance.weights);
      integrateRk4(factorField, wf, { t1: T, steps });
      const wp = [w0.clone()];
      integrateRk4(e2e, wp, { t1: T, steps });
      floor = 2 * (Math.sqrt(steps) + size) * EPS * (product + listDistance(wp, [w0]));
      return { error: listDistance([endToEnd(wf)], wp), floor };
    },
    {
      order: 4,
      h0: T / n0,
      label: 'flow.end-to-end: ‖W_{N:1}(T) − W_e2e(T)‖_F (RK4 on factors vs RK4 on the product ODE)',
    },
  );
  return withNote(
    v,
    `both sides RK4 ⇒ gap = O(h⁴) iff they solve the same ODE; floor = 2·(√n + Σd)·ε·(Π‖W_j‖ + ‖W(T) − W(0)‖) = ${fmt(floor)} at the last run; T = min(${E2E_T}, 2/L) = ${fmt(T)}, steps ${counts.join('/')}; max‖C_j(0)‖ = ${fmt(maxBalancednessDefect(instance.weights))}`,
  );
}

/** The learning rates of the discrete check: η_0 = 10^{−2}/max(1, L), then half decades, at most 6 times. */
export const E2E_DISCRETE = { eta0: 1e-2, ratio: Math.sqrt(10), refinements: 6 } as const;

/**
 * Discrete version: one GD step from the balanced W_j moves the product by −ηA_W(∇L¹(W)) + O(η²).
 * dev(η) = ‖Π_j(W_j − ηG_j) − (W − ηA_W(∇L¹(W)))‖_F from η = 10^{−2}/max(1, L) down a half-decade grid until the
 * order test decides: order 2 (a wrong operator or an unbalanced start leaves an O(η) term: order 1). Floor:
 * 8·(Σd)·ε·(Π‖W_j‖_F + ‖W‖_F + η‖A_W∇L¹‖) per ulp of forming the two products.
 */
export function checkEndToEndDiscrete(instance: FlowInstance, options: { metric?: MetricApplication } = {}): Verdict {
  const n = instance.widths.length - 1;
  const field = new DlnGradientField(instance.widths, instance.data);
  const w0 = endToEnd(instance.weights);
  const direction = (options.metric ?? defaultMetric)(w0, n, endToEndGradient(w0, instance.data));
  const L = lipschitzEstimate(field, instance.weights);
  const prod = instance.weights.reduce((p, w) => p * frobeniusNorm(w), 1);
  const ratios: string[] = [];
  const v = checkOrderAdaptive(
    (eta) => {
      const next = cloneWeights(instance.weights);
      new GradientDescent(field, { learningRate: eta }).step(next);
      const wn = endToEnd(next);
      let s = 0;
      for (let i = 0; i < wn.data.length; i++) s += (wn.data[i] - (w0.data[i] - eta * direction.data[i])) ** 2;
      ratios.push(fmt(Math.sqrt(s) / eta ** 2));
      return {
        error: Math.sqrt(s),
        floor: 8 * widthSum(instance.widths) * EPS * (prod + frobeniusNorm(w0) + eta * frobeniusNorm(direction)),
      };
    },
    {
      order: 2,
      h0: E2E_DISCRETE.eta0 / Math.max(1, L),
      ratio: E2E_DISCRETE.ratio,
      refinements: E2E_DISCRETE.refinements,
      label: 'flow.end-to-end.discrete: ‖W⁺ − (W − ηA_W(∇L¹))‖_F vs η',
    },
  );
  return withNote(
    v,
    `one GD step: W⁺ − W = −ηA_W(∇L¹) + O(η²) ⇒ order 2; floor = 8·Σd·ε·(Π‖W_j‖ + ‖W‖ + η‖A_W∇L¹‖); ‖dev‖/η² = ${ratios.join(', ')}`,
  );
}
