import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError } from '../../src/errors.js';
import { frobeniusDistance, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { pseudoInverse } from '../../src/linalg/pinv.js';
import { multiply } from '../../src/linalg/products.js';
import { EPS, gaussianMatrix, Rng, withSingularValues } from './reference.js';

/**
 * Penrose conditions, each with the error model C·max(m, n)·ε·κ·(norm of the two sides), C = 8, where
 * κ = σ_1/σ_r is the condition number on the kept range (A⁺ has norm 1/σ_r, so errors scale with κ).
 */
const C = 8;

function expectPenrose(a: Matrix, rank: number, kappa: number): void {
  const { matrix: p, rank: r } = pseudoInverse(a);
  expect(r).toBe(rank);
  expect(p.shape).toBe(`${a.cols}×${a.rows}`);
  const tol = C * Math.max(a.rows, a.cols) * EPS * kappa;
  const ap = multiply(a, p),
    pa = multiply(p, a);
  // (1) A A⁺ A = A   (2) A⁺ A A⁺ = A⁺   (3) (A A⁺)ᵀ = A A⁺   (4) (A⁺ A)ᵀ = A⁺ A
  expect(frobeniusDistance(multiply(ap, a), a)).toBeLessThanOrEqual(tol * frobeniusNorm(a));
  expect(frobeniusDistance(multiply(pa, p), p)).toBeLessThanOrEqual(tol * frobeniusNorm(p));
  expect(frobeniusDistance(ap, multiply(p, a, 't', 't'))).toBeLessThanOrEqual(tol * Math.sqrt(rank));
  expect(frobeniusDistance(pa, multiply(a, p, 't', 't'))).toBeLessThanOrEqual(tol * Math.sqrt(rank));
}

describe('pseudoInverse', () => {
  const rng = new Rng(71);
  it('satisfies the four Penrose conditions on tall, wide, square, rank-deficient and vector inputs', () => {
    expectPenrose(withSingularValues(rng, 7, 4, [3, 2, 1, 0.5]), 4, 6);
    expectPenrose(withSingularValues(rng, 3, 8, [2, 1, 0.25]), 3, 8);
    expectPenrose(withSingularValues(rng, 6, 6, [4, 2, 1]), 3, 4);
    expectPenrose(withSingularValues(rng, 5, 9, [1, 1]), 2, 1);
    expectPenrose(gaussianMatrix(rng, 1, 5), 1, 1);
    expectPenrose(gaussianMatrix(rng, 5, 1), 1, 1);
  });

  it('inverts an invertible matrix: A⁺A = I', () => {
    const a = withSingularValues(rng, 5, 5, [2, 1.5, 1, 0.7, 0.5]);
    expect(frobeniusDistance(multiply(pseudoInverse(a).matrix, a), Matrix.identity(5))).toBeLessThanOrEqual(
      C * 5 * EPS * 4 * Math.sqrt(5),
    );
  });

  it('reports its cutoff: σ below rtol·σ_1 are not inverted', () => {
    const a = withSingularValues(rng, 4, 4, [1, 1e-3, 1e-8]);
    const loose = pseudoInverse(a, 1e-6);
    expect([loose.rank, loose.rtol]).toEqual([2, 1e-6]);
    expect(Math.abs(loose.threshold - 1e-6)).toBeLessThanOrEqual(C * 4 * EPS * 1e-6);
    expect(pseudoInverse(a).rank).toBe(3);
    expect(pseudoInverse(a).rtol).toBe(4 * EPS);
  });

  it('maps a zero or empty matrix to the zero matrix of transposed shape', () => {
    expect(pseudoInverse(new Matrix(2, 3)).matrix.toArray()).toEqual(new Matrix(3, 2).toArray());
    expect(pseudoInverse(new Matrix(0, 3)).matrix.shape).toBe('3×0');
  });

  it('rejects non-finite entries and bad cutoffs, naming the argument', () => {
    expect(() => pseudoInverse(Matrix.diag([1, NaN]))).toThrow(NonFiniteError);
    expect(() => pseudoInverse(Matrix.diag([1, NaN]))).toThrow(/pseudoInverse\.A/);
    expect(() => pseudoInverse(Matrix.identity(2), -1e-3)).toThrow(DomainError);
    expect(() => pseudoInverse(Matrix.identity(2), -1e-3)).toThrow(/pseudoInverse\.rtol/);
  });
});
