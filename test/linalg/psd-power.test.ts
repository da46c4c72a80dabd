import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError, ShapeError } from '../../src/errors.js';
import { frobeniusDistance, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { DEFAULT_PSD_RTOL, gramPower, psdPower } from '../../src/linalg/psd-power.js';
import { svd } from '../../src/linalg/svd.js';
import { compose, EPS, gaussianMatrix, Rng, randomOrthonormal, withSingularValues } from './reference.js';

/**
 * Error model: A^p = Q f(Λ) Qᵀ with Q orthonormal to c·n·ε (backward-stable EVD/SVD), so identities between
 * powers hold to C·(n + 4)·ε·(product of the norms involved)·κ^{|p|} on the kept range (κ = λ_1/λ_r). C = 8 covers
 * the decomposition (4, see svd.test.ts) plus the one or two products formed in the check; the "+ 4" is the
 * size-independent part (the root, the products) that dominates for n ≤ 4: over 2000 random WWᵀ, n ≤ 12,
 * ‖A^{1/2}A^{1/2} − A‖_F/(ε‖A‖_F) peaked at 17.7 (n = 3), against a bound of 56.
 */
const C = 8;
const tol = (n: number): number => C * (n + 4) * EPS;

function psd(rng: Rng, n: number, eigenvalues: number[]): Matrix {
  const q = randomOrthonormal(rng, n, eigenvalues.length);
  return compose(q, eigenvalues, q);
}

function isExactlySymmetric(a: Matrix): boolean {
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < i; j++) if (a.get(i, j) !== a.get(j, i)) return false;
  return true;
}

describe('psdPower', () => {
  const rng = new Rng(61);

  it('A^{1/2}·A^{1/2} = A for full-rank and rank-deficient PSD A (≤ C·n·ε·‖A‖_F); the result is exactly symmetric', () => {
    const w = gaussianMatrix(rng, 5, 2);
    for (const a of [psd(rng, 6, [3, 2, 1, 0.5, 0.25, 0.1]), psd(rng, 7, [5, 1, 1e-3]), multiply(w, w, 'n', 't')]) {
      const r = psdPower(a, 0.5);
      expect(isExactlySymmetric(r.matrix)).toBe(true);
      expect(frobeniusDistance(multiply(r.matrix, r.matrix), a)).toBeLessThanOrEqual(tol(a.rows) * frobeniusNorm(a));
    }
  });

  it('reports rtol, the absolute threshold rtol·λ_1 and the kept rank', () => {
    const r = psdPower(psd(rng, 5, [4, 1]), 0.5);
    expect(r.rtol).toBe(DEFAULT_PSD_RTOL);
    expect(r.exponent).toBe(0.5);
    expect(r.rank).toBe(2);
    expect(Math.abs(r.threshold - 4 * DEFAULT_PSD_RTOL)).toBeLessThanOrEqual(tol(5) * 4 * DEFAULT_PSD_RTOL);
  });

  it('A^0 = I exactly, also for singular and zero A (convention A^0 := I)', () => {
    for (const a of [psd(rng, 4, [2, 1]), new Matrix(3, 3), Matrix.diag([1, 0])]) {
      expect(psdPower(a, 0).matrix.toArray()).toEqual(Matrix.identity(a.rows).toArray());
    }
  });

  it('truncation zeroes tiny eigenvalues exactly: diag(1, 1e-16)^{1/4} = diag(1, 0), not diag(1, 1e-4)', () => {
    const r = psdPower(Matrix.diag([1, 1e-16]), 0.25);
    expect(r.matrix.get(1, 1)).toBe(0);
    expect(r.matrix.get(0, 1)).toBe(0);
    expect(Math.abs(r.matrix.get(0, 0) - 1)).toBeLessThanOrEqual(tol(2));
    expect(r.rank).toBe(1);
    // Teeth: with the truncation switched off, the round-off-sized eigenvalue comes back as 1e-4.
    expect(psdPower(Matrix.diag([1, 1e-16]), 0.25, { rtol: 0 }).matrix.get(1, 1)).toBeCloseTo(1e-4, 12);
  });

  it('negative powers are pseudo-inverse powers on the range: A^{-1} = A⁺, A^{1/2}A^{-1/2} = projector onto range(A)', () => {
    const q = randomOrthonormal(rng, 6, 3);
    const lambda = [4, 2, 0.5];
    const a = compose(q, lambda, q);
    const inv = psdPower(a, -1).matrix;
    const expected = compose(
      q,
      lambda.map((l) => 1 / l),
      q,
    );
    // κ = λ_1/λ_3 = 8 on the range.
    expect(frobeniusDistance(inv, expected)).toBeLessThanOrEqual(tol(6) * 8 * frobeniusNorm(expected));
    const projector = multiply(psdPower(a, 0.5).matrix, psdPower(a, -0.5).matrix);
    expect(frobeniusDistance(projector, compose(q, [1, 1, 1], q))).toBeLessThanOrEqual(
      tol(6) * Math.sqrt(8) * Math.sqrt(3),
    );
  });

  it('p = 1 returns A (the truncated spectral reconstruction) and p = 2 returns A·A', () => {
    const a = psd(rng, 5, [3, 2, 1, 0.5, 0.2]);
    expect(frobeniusDistance(psdPower(a, 1).matrix, a)).toBeLessThanOrEqual(tol(5) * frobeniusNorm(a));
    const a2 = multiply(a, a);
    expect(frobeniusDistance(psdPower(a, 2).matrix, a2)).toBeLessThanOrEqual(tol(5) * frobeniusNorm(a2));
  });

  it('accepts round-off asymmetry and round-off negative eigenvalues (and zeroes them)', () => {
    const q = randomOrthonormal(rng, 5, 5);
    const a = multiply(multiply(q, Matrix.diag([1, 1, 0, 0, 0])), q, 'n', 't'); // not exactly symmetric
    const r = psdPower(a, 0.5);
    expect(r.rank).toBe(2);
    const shifted = Matrix.diag([1, -1e-14]);
    expect(psdPower(shifted, 0.5).matrix.get(1, 1)).toBe(0);
  });

  it('rejects non-PSD input with DomainError naming the argument', () => {
    expect(() => psdPower(Matrix.diag([1, -0.5]), 0.5)).toThrow(DomainError);
    expect(() => psdPower(Matrix.diag([1, -0.5]), 0.5)).toThrow(
      /psdPower\.A: is not positive semidefinite: eigenvalue -5\.000e-1/,
    );
    expect(() => psdPower(Matrix.diag([-1, -2]), 2, {}, 'XXᵀ')).toThrow(/XXᵀ: is not positive semidefinite/);
    expect(() =>
      psdPower(
        Matrix.from([
          [1, 1],
          [0, 1],
        ]),
        0.5,
      ),
    ).toThrow(/psdPower\.A: is not symmetric/);
    expect(() => psdPower(Matrix.diag([1, -1e-6]), 0.5, { psdTolerance: 1e-10 })).toThrow(DomainError);
    expect(() => psdPower(Matrix.diag([1, -1e-6]), 0.5, { psdTolerance: 1e-5 })).not.toThrow();
  });

  it('rejects bad shapes, non-finite entries, exponents and tolerances, naming the argument', () => {
    expect(() => psdPower(new Matrix(2, 3), 1)).toThrow(ShapeError);
    expect(() => psdPower(new Matrix(2, 3), 1)).toThrow(/psdPower\.A: expected shape square/);
    expect(() => psdPower(Matrix.diag([1, NaN]), 1)).toThrow(NonFiniteError);
    expect(() => psdPower(Matrix.diag([1, Infinity]), 1)).toThrow(/psdPower\.A: entry 3 is Infinity/);
    expect(() => psdPower(Matrix.identity(2), NaN)).toThrow(/psdPower\.p/);
    expect(() => psdPower(Matrix.identity(2), Infinity)).toThrow(DomainError);
    expect(() => psdPower(Matrix.identity(2), 1, { rtol: -1 })).toThrow(/psdPower\.rtol/);
  });
});

describe('gramPower', () => {
  const rng = new Rng(62);

  it.each([1 / 3, 0.5, 1, -0.5, 2 / 3])(
    '(WWᵀ)^p and (WᵀW)^p from the SVD of W agree with psdPower of the formed Gram matrix (p = %f)',
    (p) => {
      // σ(W) = (2, 1.5, 1, 0.5): κ(WᵀW) = 16; WWᵀ (6×6) is singular and the truncation removes its zero eigenvalues.
      const w = withSingularValues(rng, 6, 4, [2, 1.5, 1, 0.5]);
      const f = svd(w);
      for (const side of ['WWt', 'WtW'] as const) {
        const gram = side === 'WWt' ? multiply(w, w, 'n', 't') : multiply(w, w, 't', 'n');
        const viaSvd = gramPower(f, p, side),
          viaEvd = psdPower(gram, p);
        expect(viaSvd.rank).toBe(4);
        expect(isExactlySymmetric(viaSvd.matrix)).toBe(true);
        expect(frobeniusDistance(viaSvd.matrix, viaEvd.matrix)).toBeLessThanOrEqual(
          tol(6) * 16 ** Math.abs(p) * frobeniusNorm(viaEvd.matrix),
        );
      }
    },
  );

  it('p = 0 gives I of the right size on each side, even for rank-deficient W', () => {
    const f = svd(withSingularValues(rng, 5, 3, [1]));
    expect(gramPower(f, 0, 'WWt').matrix.toArray()).toEqual(Matrix.identity(5).toArray());
    expect(gramPower(f, 0, 'WtW').matrix.toArray()).toEqual(Matrix.identity(3).toArray());
  });

  it('truncates σ_i(W) ≤ rtol·σ_1(W) before the power: σ = (1, 1e-12) gives (WWᵀ)^{1/4} of rank 1', () => {
    const u = randomOrthonormal(rng, 4, 2),
      v = randomOrthonormal(rng, 3, 2);
    const f = svd(compose(u, [1, 1e-12], v));
    const r = gramPower(f, 0.25, 'WWt');
    expect(r.rank).toBe(1);
    expect(r.threshold).toBe(DEFAULT_PSD_RTOL * f.s[0]);
    const u1 = compose(u, [1], u); // u_1 u_1ᵀ, the exact answer
    expect(frobeniusDistance(r.matrix, u1)).toBeLessThanOrEqual(tol(4));
    // Teeth: without truncation the 1e-12 singular value contributes (1e-24)^{1/4} = 1e-6.
    expect(frobeniusDistance(gramPower(f, 0.25, 'WWt', { rtol: 0 }).matrix, u1)).toBeGreaterThan(1e-7);
  });

  it('rejects a bad exponent, side or tolerance', () => {
    const f = svd(Matrix.identity(2));
    expect(() => gramPower(f, NaN, 'WWt')).toThrow(/gramPower\.p/);
    expect(() => gramPower(f, 1, 'WW' as 'WWt')).toThrow(/gramPower\.side/);
    expect(() => gramPower(f, 1, 'WtW', { rtol: Infinity })).toThrow(/gramPower\.rtol/);
  });
});
