import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError, ShapeError } from '../../src/errors.js';
import { frobeniusDistance, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { bestRankK } from '../../src/linalg/low-rank.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { pseudoInverse } from '../../src/linalg/pinv.js';
import { multiply, transpose } from '../../src/linalg/products.js';
import { psdPower } from '../../src/linalg/psd-power.js';
import { numericalRank } from '../../src/linalg/rank.js';
import { rankConstrainedMinimizer, whiten } from '../../src/linalg/whitening.js';
import { EPS, gaussianMatrix, Rng, randomOrthonormal, withSingularValues } from './reference.js';

/** ½‖WX − Y‖², computed directly as the reference. */
function loss(w: Matrix, x: Matrix, y: Matrix): number {
  return 0.5 * frobeniusDistance(multiply(w, x), y) ** 2;
}

/**
 * Error model for the loss identity: each residual entry of WX − Y (or WS − Q) is off by ≲ γ_{d_0+1}·(|W||X| + |Y|),
 * and the whitened quantities carry the SVD's c·max(d_0, m)·ε relative error; so both sides agree to
 * C·ε·(d_0 + m)·scale with scale = ½(‖W‖_F‖X‖_F + ‖Y‖_F)² and C = 8 (measured ratios stay below 1).
 */
const C = 8;
function lossTolerance(w: Matrix, x: Matrix, y: Matrix): number {
  return C * EPS * (x.rows + x.cols) * 0.5 * (frobeniusNorm(w) * frobeniusNorm(x) + frobeniusNorm(y)) ** 2;
}

describe('whiten', () => {
  const rng = new Rng(91);

  it.each([
    [3, 10, 2],
    [4, 4, 5],
    [5, 30, 5],
    [2, 7, 1],
  ])('½‖WX − Y‖² = ½‖W(XXᵀ)^{1/2} − Q‖² + const for d_0 = %i, m = %i, d_N = %i', (d0, m, dN) => {
    const x = gaussianMatrix(rng, d0, m),
      y = gaussianMatrix(rng, dN, m);
    const wh = whiten(x, y);
    expect([wh.Q.shape, wh.sqrtXXt.shape, wh.invSqrtXXt.shape]).toEqual([`${dN}×${d0}`, `${d0}×${d0}`, `${d0}×${d0}`]);
    for (let t = 0; t < 5; t++) {
      const w = gaussianMatrix(rng, dN, d0, 10 ** (t - 2));
      const whitened = 0.5 * frobeniusDistance(multiply(w, wh.sqrtXXt), wh.Q) ** 2 + wh.constant;
      expect(Math.abs(loss(w, x, y) - whitened)).toBeLessThanOrEqual(lossTolerance(w, x, y));
    }
  });

  it('agrees with the textbook formulas Q = Y Xᵀ (XXᵀ)^{-1/2}, const = ½(‖Y‖² − ‖Q‖²) = min L¹', () => {
    const x = withSingularValues(rng, 4, 12, [3, 2, 1, 0.5]),
      y = gaussianMatrix(rng, 3, 12);
    const wh = whiten(x, y);
    const xxt = multiply(x, x, 'n', 't');
    const naiveQ = multiply(multiply(y, x, 'n', 't'), psdPower(xxt, -0.5).matrix);
    // κ(XXᵀ) = 36: the naive route loses up to κ·ε relative.
    expect(frobeniusDistance(wh.Q, naiveQ)).toBeLessThanOrEqual(C * 12 * EPS * 36 * frobeniusNorm(wh.Q));
    const formula = 0.5 * (frobeniusNorm(y) ** 2 - frobeniusNorm(wh.Q) ** 2);
    expect(Math.abs(wh.constant - formula)).toBeLessThanOrEqual(C * 12 * EPS * frobeniusNorm(y) ** 2);
    const leastSquares = multiply(y, pseudoInverse(x).matrix);
    expect(Math.abs(wh.constant - loss(leastSquares, x, y))).toBeLessThanOrEqual(
      C * 12 * EPS * 36 * frobeniusNorm(y) ** 2,
    );
    expect(wh.constant).toBeGreaterThanOrEqual(0);
    expect(Math.abs(wh.conditionNumber - 36)).toBeLessThanOrEqual(C * 12 * EPS * 36 * 36);
    // (XXᵀ)^{1/2} squares to XXᵀ and inverts (XXᵀ)^{-1/2}.
    expect(frobeniusDistance(multiply(wh.sqrtXXt, wh.sqrtXXt), xxt)).toBeLessThanOrEqual(
      C * 12 * EPS * frobeniusNorm(xxt),
    );
    expect(frobeniusDistance(multiply(wh.sqrtXXt, wh.invSqrtXXt), Matrix.identity(4))).toBeLessThanOrEqual(
      C * 12 * EPS * 6 * 2,
    );
  });

  it('gives const = 0 when Y lies in the row space of X (Y = MX)', () => {
    const x = gaussianMatrix(rng, 3, 8),
      m = gaussianMatrix(rng, 2, 3);
    const y = multiply(m, x);
    // Residual Y − YVVᵀ is round-off: const ≤ ½(C·m·ε·‖Y‖_F)².
    expect(whiten(x, y).constant).toBeLessThanOrEqual(0.5 * (C * 8 * EPS * frobeniusNorm(y)) ** 2);
  });

  it('rejects singular XXᵀ with a DomainError reporting the condition number', () => {
    expect(() => whiten(gaussianMatrix(rng, 5, 3), gaussianMatrix(rng, 2, 3))).toThrow(DomainError);
    expect(() => whiten(gaussianMatrix(rng, 5, 3), gaussianMatrix(rng, 2, 3))).toThrow(
      /whiten\.X: XXᵀ \(5×5, from 3 samples\) is not invertible: condition number κ\(XXᵀ\) = Infinity/,
    );
    const rankTwo = withSingularValues(rng, 3, 10, [1, 1]);
    expect(() => whiten(rankTwo, gaussianMatrix(rng, 2, 10))).toThrow(
      /condition number κ\(XXᵀ\) = (Infinity|\d\.\d+e\+\d+)/,
    );
    const illConditioned = withSingularValues(rng, 3, 10, [1, 1, 1e-6]); // κ = 1e12, σ ratio 1e-6 > rtol: accepted
    expect(whiten(illConditioned, gaussianMatrix(rng, 2, 10)).conditionNumber).toBeGreaterThan(0.99e12);
    expect(() => whiten(illConditioned, gaussianMatrix(rng, 2, 10), { rtol: 1e-5 })).toThrow(DomainError);
  });

  it('rejects shape mismatches and non-finite entries, naming the argument', () => {
    expect(() => whiten(gaussianMatrix(rng, 2, 6), gaussianMatrix(rng, 2, 5))).toThrow(ShapeError);
    expect(() => whiten(gaussianMatrix(rng, 2, 6), gaussianMatrix(rng, 2, 5))).toThrow(
      /whiten\.Y: expected shape d_N×6/,
    );
    const bad = gaussianMatrix(rng, 2, 6);
    bad.data[4] = NaN;
    expect(() => whiten(bad, gaussianMatrix(rng, 1, 6))).toThrow(NonFiniteError);
    expect(() => whiten(bad, gaussianMatrix(rng, 1, 6))).toThrow(/whiten\.X: entry 4 is NaN/);
    expect(() => whiten(gaussianMatrix(rng, 2, 6), bad)).toThrow(/whiten\.Y: entry 4 is NaN/);
    expect(() => whiten(gaussianMatrix(rng, 2, 6), gaussianMatrix(rng, 1, 6), { rtol: -1 })).toThrow(/whiten\.rtol/);
  });
});

describe('rankConstrainedMinimizer', () => {
  const rng = new Rng(92);
  const x = gaussianMatrix(rng, 5, 20),
    y = gaussianMatrix(rng, 4, 20);
  const wh = whiten(x, y);

  it('W*_k = [Q]_k(XXᵀ)^{-1/2} has rank k and value const + ½Σ_{i>k}σ_i(Q)² = ½‖W*_k X − Y‖²', () => {
    for (let k = 0; k <= 4; k++) {
      const r = rankConstrainedMinimizer(wh, k);
      expect(numericalRank(r.W, 1e-12).rank).toBe(k);
      expect(r.truncation.unique).toBe(true);
      expect(Math.abs(r.value - loss(r.W, x, y))).toBeLessThanOrEqual(lossTolerance(r.W, x, y));
      const tail = r.truncation.singularValues.subarray(k).reduce((s, v) => s + v * v, 0);
      expect(Math.abs(r.value - (wh.constant + 0.5 * tail))).toBeLessThanOrEqual(C * 20 * EPS * frobeniusNorm(y) ** 2);
    }
  });

  it('is not beaten by nearby rank-k matrices, and k ≥ rank gives the least-squares solution Y X⁺', () => {
    const k = 2,
      best = rankConstrainedMinimizer(wh, k);
    for (const delta of [1e-4, 1e-2, 1]) {
      const g = gaussianMatrix(rng, 4, 5);
      const competitor = bestRankK(
        new Matrix(
          4,
          5,
          best.W.data.map((v, i) => v + delta * g.data[i]),
        ),
        k,
      ).matrix;
      expect(loss(competitor, x, y)).toBeGreaterThanOrEqual(best.value - lossTolerance(competitor, x, y));
    }
    const full = rankConstrainedMinimizer(wh, 4);
    const ls = multiply(y, pseudoInverse(x).matrix);
    expect(frobeniusDistance(full.W, ls)).toBeLessThanOrEqual(C * 20 * EPS * wh.conditionNumber * frobeniusNorm(ls));
    expect(rankConstrainedMinimizer(wh, 9).value).toBe(full.value);
  });

  it('reports non-uniqueness when σ_k(Q) = σ_{k+1}(Q)', () => {
    // X with orthonormal rows gives XXᵀ = I and Q = Y Xᵀ; Y = M X makes Q = M with σ(M) = (2, 2, 1).
    const xRows = transpose(randomOrthonormal(rng, 9, 3));
    const m = withSingularValues(rng, 3, 3, [2, 2, 1]);
    const w = whiten(xRows, multiply(m, xRows));
    expect(rankConstrainedMinimizer(w, 1).truncation.unique).toBe(false);
    expect(rankConstrainedMinimizer(w, 2).truncation.unique).toBe(true);
  });

  it('rejects a bad k naming rankConstrainedMinimizer.k', () => {
    expect(() => rankConstrainedMinimizer(wh, -1)).toThrow(/rankConstrainedMinimizer\.k/);
    expect(() => rankConstrainedMinimizer(wh, 0.5)).toThrow(DomainError);
  });
});
