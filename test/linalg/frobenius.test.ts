import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { frobeniusDistance, frobeniusInner, frobeniusNorm, maxAbs } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { EPS, gaussianMatrix, Rng } from './reference.js';

describe('frobenius', () => {
  it('⟨A, B⟩ = tr(AᵀB) within γ_n·Σ|a_ij b_ij| (n = number of entries, summation error model)', () => {
    const rng = new Rng(21);
    const a = gaussianMatrix(rng, 7, 5),
      b = gaussianMatrix(rng, 7, 5);
    let trace = 0,
      magnitude = 0;
    for (let j = 0; j < 5; j++)
      for (let i = 0; i < 7; i++) {
        trace += a.get(i, j) * b.get(i, j);
        magnitude += Math.abs(a.get(i, j) * b.get(i, j));
      }
    expect(Math.abs(frobeniusInner(a, b) - trace)).toBeLessThanOrEqual(2 * 35 * EPS * magnitude);
  });

  it('‖A‖_F agrees with Math.hypot to 4·ε relative, and neither overflows nor underflows at 1e±200', () => {
    const rng = new Rng(22);
    for (const s of [1, 1e200, 1e-200]) {
      const a = gaussianMatrix(rng, 6, 4, s);
      const ref = Math.hypot(...a.data.map((x) => x / s)) * s;
      // Error model: a scaled sum of n = 24 squares and a sqrt, ≲ (n/2 + 2)ε relative; 4ε·n/4 leaves room.
      expect(Math.abs(frobeniusNorm(a) - ref)).toBeLessThanOrEqual(24 * EPS * ref);
    }
    expect(frobeniusNorm(new Matrix(3, 3))).toBe(0);
    expect(frobeniusNorm(Matrix.from([[3, 4]]))).toBeCloseTo(5, 14);
  });

  it('‖A − B‖_F and max|a_ij| on a known example (small integers, representable to 1 ulp)', () => {
    const a = Matrix.from([
        [1, -7],
        [2, 0],
      ]),
      b = Matrix.from([
        [1, -4],
        [6, 0],
      ]);
    expect(Math.abs(frobeniusDistance(a, b) - 5)).toBeLessThanOrEqual(2 * EPS * 5);
    expect(maxAbs(a)).toBe(7);
  });

  it('rejects mismatched shapes naming the argument', () => {
    expect(() => frobeniusInner(new Matrix(2, 3), new Matrix(3, 2))).toThrow(ShapeError);
    expect(() => frobeniusInner(new Matrix(2, 3), new Matrix(3, 2))).toThrow(
      /frobeniusInner\.B: expected shape 2×3, received 3×2/,
    );
    expect(() => frobeniusDistance(new Matrix(2, 3), new Matrix(2, 2))).toThrow(/frobeniusDistance\.B/);
  });

  it('propagates non-finite entries instead of hiding them', () => {
    expect(frobeniusNorm(Matrix.diag([1, NaN]))).toBeNaN();
    expect(frobeniusNorm(Matrix.diag([1, Infinity]))).toBe(Infinity);
  });
});
