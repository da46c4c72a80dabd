import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.js';
import { pseudoInverse } from '../../src/linalg/pinv.js';
import { minL1Interpolant, minNormInterpolant } from '../../src/nnls/interpolants.js';
import { klProjection } from '../../src/nnls/kl-projection.js';
import { residualSensitivity } from '../../src/nnls/sensitivity.js';
import { distance, matVecInto, norm1, norm2 } from '../../src/nnls/vector.js';
import { qAlpha, qAlphaGradient, qAlphaMinimizer, qPotential } from '../../src/nnls/woodworth.js';
import { conditionedMatrix } from '../../src/random/constructions.js';
import { Rng } from '../../src/random/rng.js';

/** ‖(I − X⁺X) z‖ / ‖z‖: how far z is from range(Xᵀ). */
function offRange(X: Matrix, z: Float64Array): number {
  const p = pseudoInverse(X).matrix;
  const xz = matVecInto(new Float64Array(X.rows), X, z);
  const proj = matVecInto(new Float64Array(X.cols), p, xz);
  return distance(z, proj) / (norm2(z) || 1);
}

describe('q and Q_α', () => {
  it('q(z) = 2 − √(4+z²) + z asinh(z/2), q′ = asinh(z/2), q ≈ z²/4 at small z without cancellation', () => {
    for (const z of [-7, -1.5, 0.3, 2, 40]) {
      expect(qPotential(z)).toBeCloseTo(2 - Math.sqrt(4 + z * z) + z * Math.asinh(z / 2), 12);
      const h = 1e-5 * Math.max(1, Math.abs(z));
      const d = (qPotential(z + h) - qPotential(z - h)) / (2 * h);
      expect(Math.abs(d - Math.asinh(z / 2))).toBeLessThan(1e-8);
    }
    for (const z of [1e-3, 1e-8, 1e-150]) expect(qPotential(z) / ((z * z) / 4)).toBeCloseTo(1, 6);
    expect(qPotential(0)).toBe(0);
  });

  it('Q_α → ‖β‖²/(4α²) for large α and Q_α/log(1/α²) → ‖β‖₁ for small α', () => {
    const beta = Float64Array.of(0.7, -1.3, 0, 2.1);
    const big = 1e3;
    expect((qAlpha(beta, big) * 4 * big * big) / norm2(beta) ** 2).toBeCloseTo(1, 9);
    const ratios = [1e-10, 1e-50, 1e-150].map((a) => qAlpha(beta, a) / Math.log(1 / (a * a)) / norm1(beta));
    expect(Math.abs(ratios[2] - 1)).toBeLessThan(Math.abs(ratios[0] - 1));
    expect(Math.abs(ratios[2] - 1)).toBeLessThan(0.01);
    const g = qAlphaGradient(beta, 0.5);
    expect(g[1]).toBeCloseTo(Math.asinh(-1.3 / 0.5), 14);
    expect(() => qAlpha(beta, 0)).toThrow(/^alpha:/);
  });
});

describe('argmin Q_α over interpolants (dual Newton)', () => {
  it('interpolates and satisfies asinh(β/(2α²)) ∈ range(Xᵀ) from α = 100 down to α² = 1e-300', () => {
    const rng = new Rng(11);
    for (let k = 0; k < 10; k++) {
      const n = rng.integer(1, 4),
        d = rng.integer(n + 1, 8);
      const X = conditionedMatrix(rng, n, d, { cond: 3 });
      const y = Float64Array.from({ length: n }, () => rng.gaussian());
      for (const alpha of [100, 1, 0.05, 1e-20, 1e-150]) {
        const r = qAlphaMinimizer(X, y, alpha);
        expect(r.residual).toBeLessThan(1e-12);
        const w = qAlphaGradient(r.x, alpha);
        // Far in the rich regime w is ~log(1/α²) and asinh loses relative digits of β: judge it at 1e-9 there.
        expect(offRange(X, w)).toBeLessThan(alpha > 1e-10 ? 1e-11 : 1e-9);
      }
    }
  });

  it('tends to the minimum-norm interpolant (large α) and to the minimum-ℓ1 one (small α)', () => {
    const X = Matrix.from([
      [1, 0, 1],
      [0, 1, 1],
    ]);
    const y = [1, 2];
    const l2 = minNormInterpolant(X, y);
    const l1 = minL1Interpolant(X, y)!;
    expect(Array.from(l1.beta, (v) => v + 0)).toEqual([0, 1, 1]);
    expect(l1.support).toEqual([1, 2]);
    expect(l1.margin).toBeCloseTo(1, 12);
    expect(distance(qAlphaMinimizer(X, y, 100).x, l2)).toBeLessThan(1e-8);
    expect(distance(qAlphaMinimizer(X, y, 1e-100).x, l1.beta)).toBeLessThan(1e-12);
  });

  it('rejects bad input by name', () => {
    const X = Matrix.from([[1, 2, 3]]);
    expect(() => qAlphaMinimizer(X, [1, 2], 1)).toThrow(/^y: expected shape length 1/);
    expect(() => qAlphaMinimizer(X, [1], -2)).toThrow(/^alpha:/);
    const bad = X.clone();
    bad.data[1] = Infinity;
    expect(() => qAlphaMinimizer(bad, [1], 1)).toThrow(/^X: entry 1 is Infinity/);
  });
});

describe('KL projection argmin {KL(x‖c) : x ≥ 0, Ax = b}', () => {
  it('is feasible, positive and satisfies log(x/c) ∈ range(Aᵀ); its sensitivity is finite', () => {
    const rng = new Rng(12);
    for (let k = 0; k < 10; k++) {
      const m = rng.integer(1, 4),
        n = rng.integer(m + 1, 8);
      const A = conditionedMatrix(rng, m, n, { cond: 3 });
      const b = matVecInto(
        new Float64Array(m),
        A,
        Float64Array.from({ length: n }, () => 0.5 + rng.uniform()),
      );
      for (const c of [1, 0.09, 1e-12]) {
        const r = klProjection(A, b, { reference: c });
        expect(r.converged).toBe(true);
        for (const v of r.x) expect(v).toBeGreaterThan(0);
        expect(
          offRange(
            A,
            r.x.map((v) => Math.log(v / c)),
          ),
        ).toBeLessThan(1e-11);
        expect(Number.isFinite(residualSensitivity(A, r.x))).toBe(true);
      }
    }
  });

  it('tends to the LP solution min 1ᵀx as c → 0 and reports an infeasible b as non-convergence', () => {
    const A = Matrix.from([[1, 1, 2]]);
    const lp = minL1Interpolant(A, [2], { nonnegative: true })!;
    expect(Array.from(lp.beta, (v) => v + 0)).toEqual([0, 0, 1]);
    expect(distance(klProjection(A, [2], { reference: 1e-200 }).x, lp.beta)).toBeLessThan(1e-12);
    // b = −1 has no x ≥ 0 with x₁ + x₂ + 2x₃ = −1: the dual diverges.
    const r = klProjection(A, [-1], { reference: 1, maxIterations: 50 });
    expect(r.converged).toBe(false);
    expect(minL1Interpolant(A, [-1], { nonnegative: true })).toBeUndefined();
    expect(() => klProjection(A, [1], { reference: 0 })).toThrow(/^reference:/);
  });
});

describe('minL1Interpolant', () => {
  it('matches a brute-force grid minimum on small problems and caps the enumeration', () => {
    const rng = new Rng(13);
    for (let k = 0; k < 5; k++) {
      const X = conditionedMatrix(rng, 1, 3, { cond: 1 });
      const y = [rng.gaussian()];
      const l1 = minL1Interpolant(X, y)!;
      // One constraint: the ℓ1 minimum puts all weight on the largest |x_j|: |y|/max|x_j|.
      const best = Math.abs(y[0]) / Math.max(...Array.from(X.data, Math.abs));
      expect(l1.norm).toBeCloseTo(best, 12);
    }
    expect(() => minL1Interpolant(new Matrix(8, 60), new Float64Array(8))).toThrow(/^X: C\(60, 8\)/);
    expect(() => minL1Interpolant(new Matrix(3, 2), [1, 2, 3])).toThrow(/^X: must be underdetermined/);
  });
});
