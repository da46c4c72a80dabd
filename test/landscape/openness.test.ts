import { describe, expect, it } from 'vitest';
import {
  fiberDistance,
  gaussNewtonFiber,
  opennessCriterion,
  opennessWitness,
  productJacobianSolve,
} from '../../src/landscape/openness.js';
import { frobeniusDistance } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { pseudoInverse } from '../../src/linalg/pinv.js';
import { multiply } from '../../src/linalg/products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

const M = (rows: number[][]) => Matrix.from(rows);

describe('rank criterion', () => {
  it('both regimes on hand examples', () => {
    // k ≥ min(m, n).
    expect(opennessCriterion(M([[0]]), M([[0]])).open).toBe(true); // xy at (0, 0): open (rate √δ)
    expect(
      opennessCriterion(
        M([
          [1, 0],
          [0, 0],
        ]),
        M([
          [0, 0],
          [0, 1],
        ]),
      ).open,
    ).toBe(false); // XY = 0, rank X = rank Y = 1
    expect(opennessCriterion(M([[0]]), M([[1, 0]])).open).toBe(false); // 1×1·1×2 with X = 0, Y ≠ 0
    expect(opennessCriterion(M([[1]]), M([[0, 0]])).open).toBe(true); // rank X − rank XY = 1 ≤ k − n? no; rank Y − rank XY = 0 ≤ 0 yes
    const wide = opennessCriterion(
      M([
        [1, 0],
        [0, 1],
      ]),
      M([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(wide.regime).toBe('wide');
    expect(wide.open).toBe(true);
    // k < min(m, n): NR (a) open, NR (b) not.
    const a = opennessCriterion(M([[1], [2]]), M([[1, 1]]));
    expect([a.regime, a.open, a.rankX, a.rankY, a.rankXY]).toEqual(['narrow', true, 1, 1, 1]);
    const b = opennessCriterion(M([[1], [1]]), M([[0, 0]]));
    expect([b.regime, b.open]).toEqual(['narrow', false]);
    expect(() => opennessCriterion(M([[1, 2]]), M([[1, 2]]))).toThrow(/Y/);
  });
});

describe('fiber-distance witness', () => {
  it('Gauss–Newton lands on the fiber', () => {
    const X = M([
        [1, 0.5],
        [0.2, 1],
      ]),
      Y = M([
        [1, 0],
        [0, 2],
      ]);
    const Z = multiply(X, Y);
    Z.data[0] += 1e-3;
    const r = gaussNewtonFiber(X, Y, Z);
    expect(r.converged).toBe(true);
    expect(frobeniusDistance(multiply(r.X, r.Y), Z)).toBeLessThan(1e-12);
  });

  it('NR (a): vanishing distances; NR (b): rigorous lower bound 1 for [[δ, 0], [0, 0]]', () => {
    const rng = new Rng(1);
    const a = opennessWitness(M([[1], [2]]), M([[1, 1]]), rng, { targets: 3 });
    expect(a.vanishing).toBe(true);
    expect(a.worstVanishing).toBeLessThan(1e-6);
    for (const d of [1e-2, 1e-5, 1e-8]) {
      const fd = fiberDistance(
        M([[1], [1]]),
        M([[0, 0]]),
        M([
          [d, 0],
          [0, 0],
        ]),
        rng,
      );
      expect(fd.lower).toBeGreaterThan(1 - 1e-12);
      expect(fd.upper).toBeGreaterThanOrEqual(fd.lower - 1e-12);
    }
    const b = opennessWitness(M([[1], [1]]), M([[0, 0]]), rng, { targets: 3 });
    expect(b.boundedAway && b.rigorousAway).toBe(true);
  });

  it('at (0, 0) with m = n = k = 1 the point is open but the fiber distance is √(2δ), not O(δ)', () => {
    const w = opennessWitness(M([[0]]), M([[0]]), new Rng(2), { targets: 2, deltas: [1e-2, 1e-8] });
    expect(w.vanishing).toBe(true);
    for (const t of w.targets) {
      expect(t.upper[1]).toBeCloseTo(Math.sqrt(2e-8), 10);
      expect(t.upper[1] / t.upper[0]).toBeCloseTo(1e-3, 5); // ratio √(1e-6), not 1e-6
    }
  });

  it('a non-open wide example keeps its distance as δ → 0', () => {
    const w = opennessWitness(
      M([
        [1, 0],
        [0, 0],
      ]),
      M([
        [0, 0],
        [0, 1],
      ]),
      new Rng(3),
      { targets: 3 },
    );
    expect(w.criterion.open).toBe(false);
    expect(w.boundedAway).toBe(true);
    expect(w.vanishing).toBe(false);
  });
});

describe('productJacobianSolve', () => {
  /** J⁺F the slow way: the mn×(mk + kn) Jacobian of (X, Y) ↦ XY and its SVD pseudo-inverse. */
  function explicitSolve(X: Matrix, Y: Matrix, F: Matrix): number[] {
    const m = X.rows,
      k = X.cols,
      n = Y.cols,
      cols = m * k + k * n;
    const J = new Matrix(m * n, cols);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < k; b++)
        for (let c = 0; c < n; c++) {
          J.data[(a * n + c) * cols + a * k + b] = Y.data[b * n + c];
          J.data[(a * n + c) * cols + m * k + b * n + c] = X.data[a * k + b];
        }
    return Array.from(multiply(pseudoInverse(J).matrix, new Matrix(m * n, 1, F.data)).data);
  }

  it('equals J⁺F from the SVD of J, also where X or Y is rank-deficient or zero (seed 7)', () => {
    const rng = new Rng(7);
    let worst = 0;
    for (let t = 0; t < 120; t++) {
      const m = 1 + (t % 4),
        k = 1 + ((t >> 2) % 3),
        n = 1 + ((t >> 4) % 4);
      const lowRank = (rows: number, cols: number, rank: number) =>
        multiply(gaussianMatrix(rng, rows, rank), gaussianMatrix(rng, rank, cols));
      const X = t % 3 === 0 ? lowRank(m, k, Math.min(m, k) - 1) : gaussianMatrix(rng, m, k);
      const Y = t % 5 === 0 ? lowRank(k, n, Math.min(k, n) - 1) : gaussianMatrix(rng, k, n);
      const F = gaussianMatrix(rng, m, n);
      const expected = explicitSolve(X, Y, F);
      const { dX, dY } = productJacobianSolve(X, Y, F);
      const got = [...dX.data, ...dY.data];
      const size = Math.max(1, ...expected.map(Math.abs));
      worst = Math.max(worst, ...got.map((g, i) => Math.abs(g - expected[i]) / size));
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
