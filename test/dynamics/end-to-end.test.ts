import { describe, expect, it } from 'vitest';
import { DlnGradientField, EndToEndField, integrateRk4, type MetricApplication } from '../../src/dynamics/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { balancedFactorization } from '../../src/model/balanced-init.js';
import { maxBalancednessDefect } from '../../src/model/balancedness.js';
import { cloneWeights } from '../../src/model/network.js';
import { Rng } from '../../src/random/rng.js';
import { withSpectrum } from '../geometry/helpers.js';
import { wrongExponentMetric } from '../helpers/wrong-metric.js';
import { distance, gaussianData, product } from './helpers.js';

/** The deliberately wrong operator (exponents j/N on the right), kept in the test file only. */
const wrongMetric: MetricApplication = wrongExponentMetric;

/** Same product, unbalanced: W_2 ← W_2 D, W_1 ← D^{-1} W_1 with a positive diagonal D ≠ I. */
function unbalance(ws: readonly Matrix[]): Matrix[] {
  const out = cloneWeights(ws);
  const d = out[0].rows,
    n0 = out[0].cols;
  for (let r = 0; r < d; r++) {
    const f = r % 2 === 0 ? 1.3 : 0.85;
    for (let c = 0; c < n0; c++) out[0].data[r * n0 + c] /= f;
    for (let i = 0; i < out[1].rows; i++) out[1].data[i * d + r] *= f;
  }
  return out;
}

const T = 0.5;

function compare(
  widths: number[],
  w0: readonly Matrix[],
  data: ReturnType<typeof gaussianData>,
  steps: number,
  metric?: MetricApplication,
): number {
  const wf = cloneWeights(w0);
  integrateRk4(new DlnGradientField(widths, data), wf, { t1: T, steps });
  const wp = [product(w0)];
  integrateRk4(new EndToEndField(widths.length - 1, data, metric ? { metric } : {}), wp, { t1: T, steps });
  return distance(product(wf), wp[0]);
}

/** Data and a balanced full-rank start (σ = 1.2, 0.7, 0.5 as far as the rank allows) in `widths`, drawn from `rng`. */
function balancedCase(rng: Rng, widths: number[]): { data: ReturnType<typeof gaussianData>; w0: Matrix[] } {
  const d0 = widths[0],
    dN = widths[widths.length - 1];
  const data = gaussianData(rng, d0, dN, 12);
  const w0 = balancedFactorization(withSpectrum(rng, dN, d0, [1.2, 0.7, 0.5].slice(0, Math.min(d0, dN))), widths, rng);
  return { data, w0 };
}

describe('flow.end-to-end: a balanced flow’s product solves dW/dt = −A_W(∇L¹(W))', () => {
  const widthSets = [
    [3, 4, 4, 2],
    [3, 3, 3],
    [2, 3, 3, 3, 2],
  ];

  it('RK4 on the factors and RK4 on the product ODE agree to the integrators’ order-4 error (full rank)', () => {
    const rng = new Rng(71);
    for (const widths of widthSets) {
      const { data, w0 } = balancedCase(rng, widths);
      expect(maxBalancednessDefect(w0)).toBeLessThan(1e-14);
      const e20 = compare(widths, w0, data, 20),
        e40 = compare(widths, w0, data, 40);
      // Both sides are O(h⁴)-accurate solutions of the same ODE: the gap falls ≈ 16× per halving (accept > 8;
      // recorded 12–17) and is small (recorded ≤ 2e-6 at h = 1/40; bound 1e-5).
      expect(e20 / e40).toBeGreaterThan(8);
      expect(e40).toBeLessThan(1e-5);
    }
  });

  it('FAILS for an unbalanced start with the same product: the gap does not shrink with h', () => {
    const rng = new Rng(72);
    for (const widths of widthSets) {
      const { data, w0: balanced } = balancedCase(rng, widths);
      const w0 = unbalance(balanced);
      expect(maxBalancednessDefect(w0)).toBeGreaterThan(0.1);
      const e20 = compare(widths, w0, data, 20),
        e40 = compare(widths, w0, data, 40);
      // Model: gap = O(T·max‖C_j‖) + O(h⁴): constant in h (ratio ≈ 1), and ≫ the balanced gap (recorded 4e-2..2e-1).
      expect(e20 / e40).toBeLessThan(1.5);
      expect(e40).toBeGreaterThan(1e-3);
    }
  });

  it('detects the wrong-exponent operator through the same comparison (balanced start)', () => {
    const rng = new Rng(73);
    for (const widths of widthSets) {
      const { data, w0 } = balancedCase(rng, widths);
      const right = compare(widths, w0, data, 40),
        wrong = compare(widths, w0, data, 40, wrongMetric);
      expect(wrong).toBeGreaterThan(1e3 * right);
      expect(wrong).toBeGreaterThan(1e-3);
    }
  });
});
