import { describe, expect, it } from 'vitest';
import {
  DlnGradientField,
  integrateDormandPrince,
  integrateImplicitMidpoint,
  integrateRk4,
  type VectorField,
} from '../../src/dynamics/index.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { balancednessDefects } from '../../src/model/balancedness.js';
import { cloneWeights } from '../../src/model/network.js';
import { Rng } from '../../src/random/rng.js';
import { defectDrift, distance, EPS, gaussianData, gaussianWeights, logSlope, weightScale } from './helpers.js';

/** dY/dt = −D ⊙ Y + sin(t)·B on a 3×2 matrix: linear, non-autonomous, with a closed-form solution. */
function linearProblem(): { field: VectorField; exact: (t: number, y0: Matrix) => Matrix } {
  const d = [0.5, 1, 1.5, 2, 0.7, 1.3],
    b = [1, -0.5, 0.25, 2, -1, 0.3];
  const field: VectorField = {
    shapes: [[3, 2]],
    evaluate(t, state, out) {
      const Y = state[0].data,
        O = out[0].data,
        s = Math.sin(t);
      for (let i = 0; i < 6; i++) O[i] = -d[i] * Y[i] + s * b[i];
    },
  };
  // y' = −d y + b sin t: y(t) = e^{−dt}y0 + b·(d sin t − cos t + e^{−dt})/(1 + d²).
  const exact = (t: number, y0: Matrix): Matrix => {
    const out = new Matrix(3, 2);
    for (let i = 0; i < 6; i++)
      out.data[i] =
        Math.exp(-d[i] * t) * y0.data[i] +
        (b[i] * (d[i] * Math.sin(t) - Math.cos(t) + Math.exp(-d[i] * t))) / (1 + d[i] * d[i]);
    return out;
  };
  return { field, exact };
}

const Y0 = Matrix.from([
  [1, 2],
  [-1, 0.5],
  [0.3, -2],
]);

/** A fixed-step integrator's observed order on the linear problem: slope of log(error at t = 3) against log h. */
function linearOrder(
  integrate: (field: VectorField, state: Matrix[], options: { t1: number; steps: number }) => unknown,
  steps: number[],
): number {
  const { field, exact } = linearProblem();
  const errors = steps.map((n) => {
    const y = [Y0.clone()];
    integrate(field, y, { t1: 3, steps: n });
    return distance(y[0], exact(3, Y0));
  });
  return logSlope(
    steps.map((n) => 3 / n),
    errors,
  );
}

describe('RK4 (fixed step)', () => {
  it('has global order 4 on a linear non-autonomous problem', () => {
    // Order model: e ∝ h⁴ ⇒ slope of log e vs log h in [3.7, 4.3]; errors stay far above round-off (~1e-15).
    const slope = linearOrder(integrateRk4, [10, 20, 40, 80]);
    expect(slope).toBeGreaterThan(3.7);
    expect(slope).toBeLessThan(4.3);
  });

  it('flow.conservation: the drift of C_j falls at order 4 as the step halves (not exactly conserved)', () => {
    const rng = new Rng(51);
    const widths = [3, 4, 4, 2];
    const data = gaussianData(rng, 3, 2, 10);
    const w0 = gaussianWeights(rng, widths, 1);
    const field = new DlnGradientField(widths, data);
    const steps = [20, 40, 80, 160];
    const drifts = steps.map((n) => {
      const w = cloneWeights(w0);
      integrateRk4(field, w, { t1: 2, steps: n });
      return defectDrift(w, w0);
    });
    // Recorded: 4.4e-3, 2.1e-4, 1.1e-5, 6.5e-7 (slope ≈ 4.2). Order model: slope in [3.6, 4.6], and every drift
    // is far above the round-off floor ~steps·ε·‖W‖² ≈ 1e-13, so the slope is not a round-off artefact.
    const slope = logSlope(
      steps.map((n) => 2 / n),
      drifts,
    );
    expect(slope).toBeGreaterThan(3.6);
    expect(slope).toBeLessThan(4.6);
    expect(drifts[drifts.length - 1]).toBeGreaterThan(1e3 * 160 * EPS * weightScale(w0));
  });

  it('weight decay: C_j(t) = e^{−2λt} C_j(0) up to the order-4 error', () => {
    const rng = new Rng(52);
    const widths = [3, 4, 2];
    const data = gaussianData(rng, 3, 2, 10);
    const w0 = gaussianWeights(rng, widths, 1);
    const lambda = 0.4,
      T = 1.5;
    const field = new DlnGradientField(widths, data, { weightDecay: lambda });
    const deviation = (n: number): number => {
      const w = cloneWeights(w0);
      integrateRk4(field, w, { t1: T, steps: n });
      const c0 = balancednessDefects(w0)[0],
        c1 = balancednessDefects(w)[0];
      let s = 0;
      for (let i = 0; i < c0.data.length; i++) s += (c1.data[i] - Math.exp(-2 * lambda * T) * c0.data[i]) ** 2;
      return Math.sqrt(s);
    };
    const e1 = deviation(40),
      e2 = deviation(80);
    // Order-4 model: halving h divides the deviation by ≈ 16 (accept > 10); and it is small in absolute terms.
    expect(e1 / e2).toBeGreaterThan(10);
    expect(e2).toBeLessThan(1e-6 * weightScale(w0));
  });
});

describe('Dormand–Prince 5(4) (adaptive)', () => {
  it('respects its tolerance: global error ≤ 20·tol on the linear problem, for tol = 1e-4..1e-10', () => {
    const { field, exact } = linearProblem();
    let previousAccepted = 0;
    for (const tol of [1e-4, 1e-6, 1e-8, 1e-10]) {
      const y = [Y0.clone()];
      const stats = integrateDormandPrince(field, y, { t1: 3, rtol: tol, atol: tol });
      // Error model: the controller bounds the local error per unit step by tol (mixed abs/rel); over t ∈ [0, 3]
      // with contraction (−D) the global error is a small multiple: allow 20·tol·(1 + ‖y‖_∞) plus round-off.
      const ref = exact(3, Y0);
      const ymax = Math.max(...Array.from(ref.data, Math.abs));
      expect(distance(y[0], ref)).toBeLessThanOrEqual(20 * tol * (1 + ymax) + 1e3 * EPS);
      expect(stats.t).toBe(3);
      expect(stats.maxAcceptedError).toBeLessThanOrEqual(1);
      expect(stats.accepted).toBeGreaterThan(previousAccepted); // tighter tolerance ⇒ more steps
      previousAccepted = stats.accepted;
    }
  });

  it('on the DLN flow: error vs a fine RK4 reference scales with tol; a too-large first step is rejected', () => {
    const rng = new Rng(53);
    const widths = [3, 4, 4, 2];
    const data = gaussianData(rng, 3, 2, 10);
    const w0 = gaussianWeights(rng, widths, 1);
    const field = new DlnGradientField(widths, data);
    const ref = cloneWeights(w0);
    integrateRk4(field, ref, { t1: 2, steps: 2000 }); // RK4 error ~ (1e-3)^4 ≈ 1e-12·C: a reference for tol ≥ 1e-9
    for (const tol of [1e-5, 1e-7, 1e-9]) {
      const w = cloneWeights(w0);
      const stats = integrateDormandPrince(field, w, { t1: 2, rtol: tol, atol: tol });
      let err = 0;
      for (let j = 0; j < w.length; j++) err = Math.max(err, distance(w[j], ref[j]));
      // Recorded: error/tol ≈ 1.7–4.4. Bound 20·tol·(1 + ‖W‖).
      expect(err).toBeLessThanOrEqual(20 * tol * (1 + Math.sqrt(weightScale(w0))));
      expect(stats.evaluations).toBe(6 * (stats.accepted + stats.rejected) + 2);
    }
    const w = cloneWeights(w0);
    const stats = integrateDormandPrince(field, w, { t1: 2, rtol: 1e-8, atol: 1e-8, h0: 2 });
    expect(stats.rejected).toBeGreaterThan(0);
  });
});

describe('implicit midpoint (quadratic invariants)', () => {
  it('has order 2 on the linear problem', () => {
    const slope = linearOrder(integrateImplicitMidpoint, [20, 40, 80, 160]);
    expect(slope).toBeGreaterThan(1.8);
    expect(slope).toBeLessThan(2.2);
  });

  it('keeps every C_j to the solve tolerance (while RK4 at the same step drifts by orders of magnitude more)', () => {
    const rng = new Rng(54);
    for (const widths of [
      [3, 4, 4, 2],
      [2, 3, 3, 3, 2],
    ]) {
      const data = gaussianData(rng, widths[0], widths[widths.length - 1], 10);
      const w0 = gaussianWeights(rng, widths, 1);
      const field = new DlnGradientField(widths, data);
      const w = cloneWeights(w0);
      // h = 0.02 keeps the fixed-point contraction (h/2)·Lip(F) well below 1 (≈ 12–18 iterations per step).
      const stats = integrateImplicitMidpoint(field, w, { t1: 2, steps: 100, rtol: 1e-13 });
      expect(stats.unconvergedSteps).toBe(0);
      const drift = defectDrift(w, w0);
      // Error model: ΔC_j = h·(r-terms)·W̄ per step ⇒ ≤ 4·Σ h‖r‖·‖W‖ ≤ 4·residualIntegral·√(mn)·max‖W_j‖, plus
      // round-off of forming C_j and of the update, ~steps·(Σd)·ε·‖W‖². Recorded drift ≈ 2e-15.
      const scale = weightScale(w0);
      const size = widths.reduce((a, b) => a + b);
      const bound = 4 * stats.residualIntegral * size * Math.sqrt(scale) + 8 * stats.steps * size * EPS * scale;
      expect(drift).toBeLessThanOrEqual(bound);
      expect(drift).toBeLessThan(1e-12 * scale);
      const wr = cloneWeights(w0);
      integrateRk4(field, wr, { t1: 2, steps: 100 });
      expect(defectDrift(wr, w0)).toBeGreaterThan(1e4 * drift);
    }
  });
});
