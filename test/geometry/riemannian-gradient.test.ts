import { describe, expect, it } from 'vitest';
import {
  normalProject,
  retract,
  riemannianGradient,
  tangentProject,
  tangentResidual,
} from '../../src/geometry/index.js';
import { frobeniusInner } from '../../src/linalg/frobenius.js';
import { endToEndLoss } from '../../src/model/loss.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { EPS, frobeniusNorm, spectrum, withSpectrum } from './helpers.js';

const CASES: Array<{ m: number; n: number; k: number }> = [
  { m: 3, n: 3, k: 3 },
  { m: 4, n: 4, k: 2 },
  { m: 3, n: 5, k: 2 },
  { m: 5, n: 3, k: 1 },
];

function instance(rng: Rng, m: number, n: number, k: number) {
  const w = withSpectrum(rng, m, n, spectrum(k, 3, 1.5));
  const samples = 8;
  return { w, data: { X: gaussianMatrix(rng, n, samples), Y: gaussianMatrix(rng, m, samples) } };
}

describe('Riemannian gradient A_W(∇L¹) (metric.riemannian-gradient)', () => {
  it('g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩ for tangent ξ, and NOT for ξ with a normal component', () => {
    const rng = new Rng(21);
    for (const { m, n, k } of CASES) {
      for (let depth = 1; depth <= 5; depth++) {
        const { w, data } = instance(rng, m, n, k);
        const { gradient, euclidean, operator } = riemannianGradient(w, data, depth);
        // N ≥ 2: the Riemannian gradient is tangent (range of A_W); N = 1: A_W = I, it is ∇L¹ itself.
        if (depth >= 2) expect(tangentResidual(operator.point, gradient).tangent).toBe(true);
        const z = gaussianMatrix(rng, m, n);
        const xi = tangentProject(operator.point, z);
        const lhs = operator.metric(gradient, xi),
          rhs = frobeniusInner(euclidean, xi);
        // Error model: A_W then A_W^{-1} (inside g) cost ~2(m+n)ε·cond(A_W|_T) relative to ‖∇L¹‖‖ξ‖.
        const cond = operator.largestEigenvalue() / operator.smallestTangentEigenvalue();
        const tol = 16 * EPS * (m + n) * cond * frobeniusNorm(euclidean) * frobeniusNorm(xi);
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(tol);
        if (k < Math.min(m, n)) {
          // Non-tangent ξ = z: g_W ignores the normal part, so the gap is ⟨∇L¹, P_N z⟩, generically O(1).
          const gap = Math.abs(operator.metric(gradient, z) - frobeniusInner(euclidean, z));
          expect(
            Math.abs(gap - Math.abs(frobeniusInner(euclidean, normalProject(operator.point, z)))),
          ).toBeLessThanOrEqual(tol * 10);
          expect(gap).toBeGreaterThan(1e6 * tol);
        }
      }
    }
  });

  it('⟨∇L¹, ξ⟩ equals DL¹(W)[ξ] measured by central differences along the retraction curve in M_k', () => {
    const rng = new Rng(22);
    for (const { m, n, k } of CASES) {
      const { w, data } = instance(rng, m, n, k);
      const { euclidean, operator } = riemannianGradient(w, data, 3);
      const xi = tangentProject(operator.point, gaussianMatrix(rng, m, n));
      const exact = frobeniusInner(euclidean, xi);
      const f = (t: number): number => endToEndLoss(retract(operator.point, xi, t), data);
      const central = (t: number): number => (f(t) - f(-t)) / (2 * t);
      // Central differences: e(t) = C t² + round-off ε·L/t. Slope-2 check: e(2e-3)/e(1e-3) ≈ 4 (when e is above
      // round-off), and |e(1e-3)| ≤ 1e-5·(|DL| + ‖∇L¹‖‖ξ‖).
      const e1 = Math.abs(central(2e-3) - exact),
        e2 = Math.abs(central(1e-3) - exact);
      const scale = Math.abs(exact) + frobeniusNorm(euclidean) * frobeniusNorm(xi);
      expect(e2).toBeLessThanOrEqual(1e-5 * scale);
      if (e2 > 1e-10 * scale) {
        expect(e1 / e2).toBeGreaterThan(3.5);
        expect(e1 / e2).toBeLessThan(4.5);
      }
    }
  });
});
