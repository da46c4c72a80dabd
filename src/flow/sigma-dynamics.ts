import { checkOrderAdaptive } from '../check/order.js';
import { EPS, type Verdict } from '../check/verdict.js';
import { DlnGradientField, integrateRk4, type VectorField } from '../dynamics/index.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { multiply } from '../linalg/products.js';
import { singularValues, svd } from '../linalg/svd.js';
import { endToEndGradient } from '../model/loss.js';
import { cloneWeights } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import type { BalancedInstance } from './instances.js';
import { lipschitzEstimate } from './lipschitz.js';
import { widthSum, withNote } from './state-measures.js';

/** The claimed rate dσ_i/dt given σ_i, depth N and u_iᵀ∇L¹v_i. */
export type SigmaRate = (sigma: number, depth: number, projectedGradient: number) => number;

/** ACHL 2019: dσ_i/dt = −N σ_i^{2−2/N} u_iᵀ∇L¹(W)v_i. */
export const sigmaRate: SigmaRate = (sigma, depth, pg) => -depth * Math.pow(sigma, 2 - 2 / depth) * pg;

/** The time-reversed field −F (to integrate a flow backward in time from t = 0). */
function reversed(field: VectorField): VectorField {
  return {
    shapes: field.shapes,
    evaluate(t, state, out) {
      field.evaluate(-t, state, out);
      for (const o of out) for (let i = 0; i < o.data.length; i++) o.data[i] = -o.data[i];
    },
  };
}

/** The largest τ of the sigma-dynamics check, in units of 1/L. */
export const SIGMA_TAU0 = 0.02;

/**
 * Taylor-style check of the singular-value rate at t = 0, on the odd part of the remainder (as checkTaylor does):
 * o(τ) = ‖(σ(τ) − σ(−τ))/2 − τ·σ̇_claimed(0)‖_2 over the r singular values, with σ(±τ) from RK4 on the factors
 * forward and backward in time (8 steps on [0, ±τ]) at τ = 0.02·2^{−i}/L, i = 0, 1, … until the order test decides.
 * The even (curvature) term ½σ̈τ² cancels, so a correct rate leaves σ⃛τ³/6 + O(τ⁵): order 3; a wrong rate leaves
 * τ·(σ̇ − σ̇_claimed): order 1.
 * (The plain remainder σ(τ) − σ(0) − τσ̇ was tried first: a small σ̈ against the τ³ term bent its slope below 1.7 on
 * ~1/500 instances.) The RK4 error, c·τ⁵/8⁴, is odd in τ and stays at order 5.
 * Floor: 16·(Σd + 8)·ε·‖W‖_F (the SVD of the product is accurate to ~d·ε·‖W‖; the RK4 steps round the factors).
 */
export function checkSigmaDynamics(instance: BalancedInstance, options: { rate?: SigmaRate } = {}): Verdict {
  const rate = options.rate ?? sigmaRate;
  const n = instance.widths.length - 1;
  const field = new DlnGradientField(instance.widths, instance.data);
  const backward = reversed(field);
  const w0 = endToEnd(instance.weights);
  const f = svd(w0);
  const r = instance.rank;
  const g = endToEndGradient(w0, instance.data);
  const ugv = multiply(multiply(f.U, g, 't', 'n'), f.V);
  const sigma0 = Array.from(f.s.subarray(0, r));
  const claimed = sigma0.map((s, i) => rate(s, n, ugv.get(i, i)));
  const L = lipschitzEstimate(field, instance.weights);
  const sigmaAt = (tau: number, which: VectorField): Float64Array => {
    const w = cloneWeights(instance.weights);
    integrateRk4(which, w, { t1: tau, steps: 8 });
    return singularValues(endToEnd(w));
  };
  const floor = 16 * (widthSum(instance.widths) + 8) * EPS * frobeniusNorm(w0);
  const v = checkOrderAdaptive(
    (tau) => {
      const plus = sigmaAt(tau, field),
        minus = sigmaAt(tau, backward);
      let e = 0;
      for (let i = 0; i < r; i++) e += ((plus[i] - minus[i]) / 2 - tau * claimed[i]) ** 2;
      return { error: Math.sqrt(e), floor };
    },
    { order: 3, h0: SIGMA_TAU0 / L, label: 'flow.sigma-dynamics: ‖(σ(τ) − σ(−τ))/2 − τσ̇_claimed‖' },
  );
  return withNote(
    v,
    `odd Taylor part: σ⃛τ³/6 + O(τ⁵) if the rate is right, τ·(rate error) otherwise; floor = 16·(Σd + 8)·ε·‖W‖_F = ${fmt(floor)}; σ(0) = ${sigma0.map((x) => fmt(x)).join(', ')}`,
  );
}
