import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError } from '../../src/errors.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { defaultRankTolerance, numericalRank, rankOfSingularValues } from '../../src/linalg/rank.js';
import { EPS, gaussianMatrix, Rng, withSingularValues } from './reference.js';

describe('numericalRank', () => {
  it('finds the constructed rank with the default τ = max(m, n)·ε and reports τ, τσ_1 and σ', () => {
    const rng = new Rng(51);
    for (const [m, n, s] of [
      [8, 6, [3, 1]],
      [4, 9, [5, 2, 0.1]],
      [6, 6, [1]],
      [5, 5, [2, 2, 2, 2, 2]],
    ] as [number, number, number[]][]) {
      const r = numericalRank(withSingularValues(rng, m, n, s));
      expect(r.rank).toBe(s.length);
      expect(r.tolerance).toBe(Math.max(m, n) * EPS);
      expect(r.threshold).toBe(r.tolerance * r.singularValues[0]);
      expect(r.singularValues.length).toBe(Math.min(m, n));
    }
    expect(numericalRank(gaussianMatrix(rng, 3, 7)).rank).toBe(3);
  });

  it('applies a caller-chosen τ: σ = (1, 1e-6, 1e-12) has rank 3, 2, 1 at τ = 0, 1e-9, 1e-3', () => {
    const a = withSingularValues(new Rng(52), 5, 4, [1, 1e-6, 1e-12]);
    // The construction perturbs the zero σ_4 by ~4·5·ε ≈ 4e-15, so τ = 0 would count it; use τ = 1e-14 as "≈ 0".
    expect(numericalRank(a, 1e-14).rank).toBe(3);
    expect(numericalRank(a, 1e-9).rank).toBe(2);
    expect(numericalRank(a, 1e-3).rank).toBe(1);
  });

  it('gives rank 0 for zero and empty matrices at any τ', () => {
    expect(numericalRank(new Matrix(3, 4)).rank).toBe(0);
    expect(numericalRank(new Matrix(3, 4), 0).rank).toBe(0);
    expect(numericalRank(new Matrix(0, 4)).rank).toBe(0);
  });

  it('counts strictly greater than τσ_1 (a tie is not counted)', () => {
    expect(rankOfSingularValues(Float64Array.from([4, 2, 1]), 0.5).rank).toBe(1);
    expect(defaultRankTolerance(3, 7)).toBe(7 * EPS);
  });

  it('rejects bad tolerances and non-finite input, naming the argument', () => {
    expect(() => numericalRank(Matrix.identity(2), -1)).toThrow(DomainError);
    expect(() => numericalRank(Matrix.identity(2), NaN)).toThrow(/numericalRank\.tolerance/);
    expect(() => numericalRank(Matrix.diag([1, Infinity]))).toThrow(NonFiniteError);
    expect(() => numericalRank(Matrix.diag([1, Infinity]))).toThrow(/numericalRank\.A/);
  });
});
