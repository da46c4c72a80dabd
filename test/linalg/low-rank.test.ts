import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError } from '../../src/errors.js';
import { frobeniusDistance, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { bestRankK } from '../../src/linalg/low-rank.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { numericalRank } from '../../src/linalg/rank.js';
import { EPS, gaussianMatrix, Rng, randomOrthonormal, withSingularValues } from './reference.js';

/** Error model: [A]_k is formed from a backward-stable SVD, so ‖A − [A]_k‖_F matches √(Σ_{i>k}σ_i²) to C·max(m, n)·ε·‖A‖_F, C = 8. */
const C = 8;

describe('bestRankK', () => {
  const rng = new Rng(81);

  it('attains the Eckart–Young error √(Σ_{i>k} σ_i²) and has rank k, on tall and wide inputs', () => {
    for (const [m, n] of [
      [7, 5],
      [4, 9],
    ]) {
      const a = gaussianMatrix(rng, m, n);
      const p = Math.min(m, n);
      for (let k = 0; k <= p + 1; k++) {
        const r = bestRankK(a, k);
        const tail = Math.hypot(...r.singularValues.subarray(Math.min(k, p)));
        const tol = C * Math.max(m, n) * EPS * frobeniusNorm(a);
        expect(Math.abs(r.error - tail)).toBeLessThanOrEqual(tol);
        expect(Math.abs(frobeniusDistance(a, r.matrix) - tail)).toBeLessThanOrEqual(tol);
        expect(numericalRank(r.matrix, 1e-12).rank).toBe(Math.min(k, p));
        expect(r.unique).toBe(true); // Gaussian σ are distinct with probability 1
      }
    }
  });

  it('is not beaten by nearby rank-2 competitors [A + δG]_2 (the minimality Eckart–Young states)', () => {
    const a = gaussianMatrix(rng, 6, 5);
    const best = bestRankK(a, 2).error;
    for (const delta of [1e-4, 1e-2, 1]) {
      const g = gaussianMatrix(rng, 6, 5);
      const competitor = bestRankK(
        new Matrix(
          6,
          5,
          a.data.map((x, i) => x + delta * g.data[i]),
        ),
        2,
      ).matrix;
      // The excess is O(δ²) ≥ 0; only round-off (C·max(m, n)·ε·‖A‖_F) may make it look negative.
      expect(frobeniusDistance(a, competitor)).toBeGreaterThanOrEqual(best - C * 6 * EPS * frobeniusNorm(a));
    }
  });

  it('flags non-uniqueness at a tie σ_k = σ_{k+1} and uniqueness when σ_{k+1} = 0', () => {
    const a = withSingularValues(rng, 5, 5, [3, 2, 2, 1]);
    expect(bestRankK(a, 1).unique).toBe(true);
    expect(bestRankK(a, 2).unique).toBe(false);
    expect(bestRankK(a, 3).unique).toBe(true);
    expect(bestRankK(a, 4).unique).toBe(true); // σ_5 = 0: [A]_4 = A
    expect(bestRankK(a, 5).unique).toBe(true); // σ_5 = σ_6 = 0
    const q = new Matrix(
      4,
      4,
      randomOrthonormal(rng, 4, 4).data.map((x) => 2 * x),
    );
    expect(bestRankK(q, 2).unique).toBe(false); // all σ equal
    const r = bestRankK(a, 2);
    expect(Math.abs(r.gap)).toBeLessThanOrEqual(r.gapTolerance * r.singularValues[0]);
    expect(bestRankK(new Matrix(3, 3), 1).unique).toBe(true);
  });

  it('k = 0 gives the zero matrix and k ≥ min(m, n) reproduces A', () => {
    const a = gaussianMatrix(rng, 3, 4);
    expect(bestRankK(a, 0).matrix.toArray()).toEqual(new Matrix(3, 4).toArray());
    expect(frobeniusDistance(bestRankK(a, 7).matrix, a)).toBeLessThanOrEqual(C * 4 * EPS * frobeniusNorm(a));
  });

  it('rejects a bad k, a bad tolerance and non-finite entries, naming the argument', () => {
    expect(() => bestRankK(Matrix.identity(2), -1)).toThrow(DomainError);
    expect(() => bestRankK(Matrix.identity(2), 1.5)).toThrow(/bestRankK\.k/);
    expect(() => bestRankK(Matrix.identity(2), 1, -1)).toThrow(/bestRankK\.gapTolerance/);
    expect(() => bestRankK(Matrix.diag([Infinity, 1]), 1)).toThrow(NonFiniteError);
    expect(() => bestRankK(Matrix.diag([Infinity, 1]), 1)).toThrow(/bestRankK\.A: entry 0 is Infinity/);
  });
});
