import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { nrClaims } from '../../properties/nouiehed-razaviyayn.js';
import { type CriticalInstance, criticalInstanceArb } from '../../src/arbitraries/critical-points.js';
import type { SymmetricFactor } from '../../src/arbitraries/symmetric-factors.js';
import type { Claim } from '../../src/claims/claim.js';
import { globalOrStrictVerdict } from '../../src/landscape/saddle-verdicts.js';
import type * as Symmetric from '../../src/landscape/symmetric-openness.js';
import { nearestSymmetricFactor, symmetricTarget } from '../../src/landscape/symmetric-openness.js';
import { frobeniusDistance, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { svd, symmetricEigen } from '../../src/linalg/svd.js';
import { randomOrthonormal } from '../../src/random/orthonormal.js';
import { Rng } from '../../src/random/rng.js';

/**
 * Teeth of the NR claims added for issue 16: the symmetric openness of XXᵀ (exact fiber distances) with its FALSE
 * "linear rate" neighbour, and "global minimum or strict saddle" at depth 2 with its FALSE depth-3 neighbour.
 * The closed-form fiber distance is tested against its definition; the checks are fed deliberately wrong inputs.
 */
const broken = vi.hoisted(() => ({ farFiberPoint: false, unverifiedPoint: false }));

vi.mock('../../src/landscape/symmetric-openness.js', async (importOriginal) => {
  const real = await importOriginal<typeof Symmetric>();
  return {
    ...real,
    nearestSymmetricFactor: (...args: Parameters<typeof real.nearestSymmetricFactor>) => {
      const f = real.nearestSymmetricFactor(...args);
      if (broken.farFiberPoint) return { ...f, distance: f.distance + 1 };
      if (broken.unverifiedPoint) return { ...f, residual: 1 };
      return f;
    },
  };
});

const claim = <I>(id: string): Claim<I> => nrClaims.find((c) => c.id === id) as Claim<I>;

function factor(rows: number[][]): SymmetricFactor {
  const X = Matrix.from(rows);
  return { X, rank: svd(X).s.filter((s) => s > 1e-12).length, seed: 5 };
}

function nuclear(a: Matrix): number {
  return Array.from(svd(a).s).reduce((s, x) => s + x, 0);
}

describe('nearestSymmetricFactor', () => {
  it('is on the fiber at the closed-form distance √(tr Z + ‖X‖² − 2‖Z^{1/2}X‖_*), nearer than other points', () => {
    const rng = new Rng(3);
    for (const [n, k, rank] of [
      [2, 3, 1],
      [3, 2, 2],
      [3, 3, 0],
      [2, 2, 2],
    ]) {
      const U = randomOrthonormal(rng, n, rank),
        V = randomOrthonormal(rng, k, rank);
      const X = multiply(U, V, 'n', 't');
      const S = Matrix.from(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.gaussian())));
      const Z = symmetricTarget(X, S, 1e-3);
      const f = nearestSymmetricFactor(X, Z);
      expect(f.residual).toBeLessThanOrEqual(f.residualBound);
      const { values, Q } = symmetricEigen(Z);
      const root = new Matrix(n, n);
      for (let c = 0; c < n; c++) {
        const s = Math.sqrt(Math.max(0, values[c]));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) root.data[i * n + j] += s * Q.data[i * n + c] * Q.data[j * n + c];
        }
      }
      let trace = 0;
      for (let i = 0; i < n; i++) trace += Z.data[i * n + i];
      const closed = Math.sqrt(Math.max(0, trace + frobeniusNorm(X) ** 2 - 2 * nuclear(multiply(root, X))));
      expect(Math.abs(f.distance - closed)).toBeLessThanOrEqual(1e-7);
      // Another fiber point: the nearest one turned by a random orthogonal k×k matrix (X'O)(X'O)ᵀ = Z.
      const O = randomOrthonormal(rng, k, k);
      const other = multiply(f.point, O);
      expect(frobeniusDistance(multiply(other, other, 'n', 't'), Z)).toBeLessThanOrEqual(1e-12);
      expect(frobeniusDistance(other, X)).toBeGreaterThanOrEqual(f.distance - 1e-12);
    }
  });

  it('rejects targets outside the range (rank Z > k) with a one-line error', () => {
    expect(() => nearestSymmetricFactor(new Matrix(2, 1), Matrix.identity(2))).toThrow(/rank ≤ k = 1/);
  });
});

describe("'nr.symmetric-openness' and its FALSE neighbour 'nr.symmetric-openness.linear-rate'", () => {
  const open = claim<SymmetricFactor>('nr.symmetric-openness');
  const linear = claim<SymmetricFactor>('nr.symmetric-openness.linear-rate');

  it('holds at zero, rank-deficient and full-rank X (distances vanish like √δ or δ)', () => {
    for (const rows of [
      [
        [0, 0],
        [0, 0],
      ],
      [
        [1, 0, 0],
        [0, 0, 0],
      ],
      [
        [1, 2],
        [3, 4],
      ],
      [[1], [2], [0]],
    ]) {
      expect(open.check(factor(rows)).status).toBe('pass');
    }
  });

  it('fails on a broken fiber point 1 away; an unverified point makes it inconclusive, never refuted', () => {
    broken.farFiberPoint = true;
    try {
      const v = open.check(
        factor([
          [1, 0],
          [0, 1],
        ]),
      );
      expect(v.status).toBe('fail');
      expect(v.measured).toBeGreaterThan(0.01);
    } finally {
      broken.farFiberPoint = false;
    }
    broken.unverifiedPoint = true;
    try {
      expect(
        open.check(
          factor([
            [1, 0],
            [0, 1],
          ]),
        ).status,
      ).toBe('inconclusive');
    } finally {
      broken.unverifiedPoint = false;
    }
  });

  it('the linear rate holds at full row rank and is refuted at X = 0 and at a rank-deficient wide X', () => {
    expect(
      linear.check(
        factor([
          [1, 2, 0],
          [0, 1, 1],
        ]),
      ).status,
    ).toBe('pass');
    const zero = linear.check(
      factor([
        [0, 0],
        [0, 0],
      ]),
    );
    expect(zero.status).toBe('fail');
    expect(zero.measured).toBeGreaterThan(50);
    expect(
      linear.check(
        factor([
          [1, 0],
          [0, 0],
        ]),
      ).status,
    ).toBe('fail');
  });
});

describe("'nr.two-layer-degenerate' and its FALSE neighbour 'nr.two-layer-degenerate.three-layers'", () => {
  const deep = (seed: number) =>
    fc.sample(criticalInstanceArb({ depth: [3, 3], width: [1, 4], kinds: ['top'] }), { seed, numRuns: 60 });

  it('passes on depth-2 critical points of every kind', () => {
    const points = fc.sample(criticalInstanceArb({ depth: [2, 2], width: [1, 4] }), { seed: 9, numRuns: 40 });
    const statuses = points.map((p) => globalOrStrictVerdict(p).status);
    expect(statuses.every((s) => s === 'pass')).toBe(true);
    expect(points.some((p) => p.point.kind !== 'global')).toBe(true);
  });

  it('fails when fed a depth-3 non-strict saddle (a deliberately wrong input for the depth-2 statement)', () => {
    const failing = deep(4).filter((p: CriticalInstance) => globalOrStrictVerdict(p).status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    const v = globalOrStrictVerdict(failing[0]);
    expect(v.detail).toMatch(/not global/);
    expect(v.measured).toBeGreaterThan(v.bound);
  });
});
