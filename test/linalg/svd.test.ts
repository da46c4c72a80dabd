import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError, OverflowError, ShapeError } from '../../src/errors.js';
import { frobeniusDistance, frobeniusNorm, maxAbs } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { pseudoInverse } from '../../src/linalg/pinv.js';
import { numericalRank } from '../../src/linalg/rank.js';
import {
  appendColumns,
  fullSvd,
  type Svd,
  selectColumns,
  singularValues,
  svd,
  symmetricEigen,
} from '../../src/linalg/svd.js';
import {
  compose,
  EPS,
  gaussianMatrix,
  orthonormalityError,
  Rng,
  randomOrthonormal,
  withSingularValues,
} from './reference.js';

/**
 * Error model for a backward-stable SVD/EVD (Golub–Kahan / tridiagonal QL, Householder based), with q := max(m, n) + 4
 * (the + 4 is the size-independent part, which dominates for tiny matrices):
 *   ‖A − UΣVᵀ‖_F ≤ c·q·ε·‖A‖_F,  ‖UᵀU − I‖_F, ‖VᵀV − I‖_F ≤ c·q·ε,  |σ̂_i − σ_i| ≤ c·q·ε·σ_1,  with c = 4.
 * Measured with ml-matrix (3000 random and rank-deficient cases up to 12×12, plus 60×40): reconstruction
 * ≤ 1.6·max(m, n)·ε·‖A‖_F, orthonormality ≤ 2.8·max(m, n)·ε (at 3×3, i.e. 1.2·q·ε).
 * For subnormal inputs the returned σ_i are themselves subnormal, quantized at 2^-1074 absolute, so the
 * reconstruction bound gets the extra term c·min(m, n)·√(mn)·2^-1074/‖A‖_F (negligible for normal inputs).
 */
const C = 4;

function bound(m: number, n: number): number {
  return C * (Math.max(m, n) + 4) * EPS;
}

/** Reconstruction error relative to ‖A‖_F, computed after an exact power-of-2 rescaling so that huge or subnormal inputs neither overflow nor lose digits in the check itself. */
function relativeReconstruction(a: Matrix, f: Svd): number {
  const big = maxAbs(a);
  if (big === 0) return frobeniusNorm(compose(f.U, f.s, f.V));
  const t = 2 ** -Math.round(Math.log2(big) / 2),
    scaleBy = (x: number): number => x * t * t;
  const scaled = new Matrix(a.rows, a.cols, a.data.map(scaleBy));
  return frobeniusDistance(scaled, compose(f.U, f.s.map(scaleBy), f.V)) / frobeniusNorm(scaled);
}

function expectValidSvd(a: Matrix, f: Svd): void {
  const m = a.rows,
    n = a.cols,
    p = Math.min(m, n);
  expect(f.U.shape).toBe(`${m}×${p}`);
  expect(f.V.shape).toBe(`${n}×${p}`);
  expect(f.s.length).toBe(p);
  for (let i = 0; i < p; i++) {
    expect(f.s[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(f.s[i]).toBeLessThanOrEqual(f.s[i - 1]);
  }
  const subnormalQuantum = (C * p * Math.sqrt(m * n) * Number.MIN_VALUE) / Math.max(frobeniusNorm(a), Number.MIN_VALUE);
  expect(relativeReconstruction(a, f)).toBeLessThanOrEqual(bound(m, n) + subnormalQuantum);
  expect(orthonormalityError(f.U)).toBeLessThanOrEqual(bound(m, n));
  expect(orthonormalityError(f.V)).toBeLessThanOrEqual(bound(m, n));
}

describe('svd (thin)', () => {
  const rng = new Rng(31);
  const cases: [string, Matrix][] = [
    ['wide 3×7', gaussianMatrix(rng, 3, 7)],
    ['tall 7×3', gaussianMatrix(rng, 7, 3)],
    ['square 6×6', gaussianMatrix(rng, 6, 6)],
    ['row 1×5', gaussianMatrix(rng, 1, 5)],
    ['column 5×1', gaussianMatrix(rng, 5, 1)],
    ['scalar 1×1', Matrix.from([[-2.5]])],
    ['zero 3×3', new Matrix(3, 3)],
    ['zero 2×5', new Matrix(2, 5)],
    ['zero 5×2', new Matrix(5, 2)],
    ['zero 1×1', new Matrix(1, 1)],
    ['rank 2, tall 8×6', withSingularValues(rng, 8, 6, [3, 1])],
    ['rank 2, wide 4×9', withSingularValues(rng, 4, 9, [5, 0.5])],
    [
      'rank 1 with a zero column',
      Matrix.from([
        [1, 0, 2],
        [2, 0, 4],
        [3, 0, 6],
      ]),
    ],
    [
      'repeated σ: 3·orthogonal 20×20',
      new Matrix(
        20,
        20,
        randomOrthonormal(rng, 20, 20).data.map((x) => 3 * x),
      ),
    ],
    [
      'clusters 2 (×10), 1e-9 (×10), 0 (×10)',
      withSingularValues(rng, 30, 30, [...Array(10).fill(2), ...Array(10).fill(1e-9)]),
    ],
    ['graded 1 … 1e-15', withSingularValues(rng, 6, 6, [1, 1e-3, 1e-6, 1e-9, 1e-12, 1e-15])],
    ['huge entries 1e300', gaussianMatrix(rng, 5, 4, 1e300)],
    ['subnormal entries 1e-310', gaussianMatrix(rng, 4, 3, 1e-310)],
    ['tall 40×25', gaussianMatrix(rng, 40, 25)],
    ['wide 25×40', gaussianMatrix(rng, 25, 40)],
  ];
  it.each(cases)('%s: reconstruction, orthonormality, descending σ ≥ 0', (_name, a) => {
    expectValidSvd(a, svd(a));
  });

  it('returns prescribed singular values to c·max(m, n)·ε·σ_1 (Weyl), including exact zeros of rank-deficient input', () => {
    const rng2 = new Rng(32);
    for (const [m, n, s] of [
      [8, 6, [3, 1]],
      [4, 9, [5, 2, 2, 0.5]],
      [10, 10, [1, 1, 1, 1, 1e-4]],
    ] as [number, number, number[]][]) {
      const a = withSingularValues(rng2, m, n, s);
      for (const values of [svd(a).s, singularValues(a)]) {
        for (let i = 0; i < values.length; i++)
          expect(Math.abs(values[i] - (s[i] ?? 0))).toBeLessThanOrEqual(bound(m, n) * s[0]);
      }
    }
  });

  it.each(cases)('%s: singularValues (no vectors) is svd(A).s bit for bit', (_name, a) => {
    expect(Array.from(singularValues(a))).toEqual(Array.from(svd(a).s));
  });

  it('singularValues of empty and small random matrices match svd(A).s bit for bit', () => {
    const rng2 = new Rng(33);
    for (const [m, n] of [
      [0, 3],
      [3, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [2, 3],
      [3, 2],
      [4, 4],
      [8, 8],
    ]) {
      for (let trial = 0; trial < 20; trial++) {
        const a = gaussianMatrix(rng2, m, n);
        expect(Array.from(singularValues(a)), `${m}×${n} trial ${trial}`).toEqual(Array.from(svd(a).s));
      }
    }
  });

  it('singularValues rejects non-finite and overflowing input, naming the argument', () => {
    const a = Matrix.identity(2);
    a.data[3] = NaN;
    expect(() => singularValues(a)).toThrow(/^singularValues\.A: entry 3 is NaN/);
    const huge = Matrix.from([
      [1e308, 1e308],
      [1e308, 1e308],
    ]);
    expect(() => singularValues(huge, 'W')).toThrow(OverflowError);
    expect(() => singularValues(huge, 'W')).toThrow(/^W: σ_1 ≈ 2\.00e308 exceeds the float64 range/);
  });

  it('gives an exact answer for the zero matrix (σ = 0, identity columns)', () => {
    const f = svd(new Matrix(3, 2));
    expect(Array.from(f.s)).toEqual([0, 0]);
    expect(f.U.toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(f.V.toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('handles empty matrices', () => {
    for (const [m, n] of [
      [0, 3],
      [3, 0],
      [0, 0],
    ]) {
      const f = svd(new Matrix(m, n));
      expect([f.U.shape, f.V.shape, f.s.length]).toEqual([`${m}×0`, `${n}×0`, 0]);
    }
  });

  it('rejects NaN and ±Infinity entries, naming the argument', () => {
    const a = Matrix.identity(2);
    a.data[3] = NaN;
    expect(() => svd(a)).toThrow(NonFiniteError);
    expect(() => svd(a)).toThrow(/svd\.A: entry 3 is NaN/);
    a.data[3] = -Infinity;
    expect(() => svd(a, 'layer W_2')).toThrow(/layer W_2: entry 3 is -Infinity/);
    expect(() => fullSvd(a)).toThrow(/fullSvd\.A/);
  });
});

describe('fullSvd', () => {
  const rng = new Rng(33);
  it.each([
    [3, 7],
    [7, 3],
    [5, 5],
    [1, 4],
    [4, 1],
  ])('%i×%i: square orthogonal U and V whose extra columns span the null spaces', (m, n) => {
    const a = gaussianMatrix(rng, m, n);
    const f = fullSvd(a);
    const p = Math.min(m, n);
    expect([f.U.shape, f.V.shape, f.s.length]).toEqual([`${m}×${m}`, `${n}×${n}`, p]);
    expect(orthonormalityError(f.U)).toBeLessThanOrEqual(bound(m, n));
    expect(orthonormalityError(f.V)).toBeLessThanOrEqual(bound(m, n));
    // The leading p columns reproduce A; the completions satisfy U_⊥ᵀA = 0 and A V_⊥ = 0 (relative to ‖A‖_F).
    expect(relativeReconstruction(a, { U: f.U, s: f.s, V: f.V })).toBeLessThanOrEqual(bound(m, n));
    const norm = frobeniusNorm(a);
    for (let c = p; c < m; c++)
      for (let j = 0; j < n; j++) {
        let t = 0;
        for (let i = 0; i < m; i++) t += f.U.get(i, c) * a.get(i, j);
        expect(Math.abs(t)).toBeLessThanOrEqual(bound(m, n) * norm);
      }
    for (let c = p; c < n; c++)
      for (let i = 0; i < m; i++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += a.get(i, j) * f.V.get(j, c);
        expect(Math.abs(t)).toBeLessThanOrEqual(bound(m, n) * norm);
      }
  });

  it('completes a rank-deficient and a zero matrix', () => {
    for (const a of [withSingularValues(rng, 6, 4, [2, 1]), new Matrix(3, 5)]) {
      const f = fullSvd(a);
      expect(orthonormalityError(f.U)).toBeLessThanOrEqual(bound(a.rows, a.cols));
      expect(orthonormalityError(f.V)).toBeLessThanOrEqual(bound(a.rows, a.cols));
    }
  });
});

describe('symmetricEigen', () => {
  const rng = new Rng(34);
  function expectValidEvd(a: Matrix): void {
    const { values, Q } = symmetricEigen(a);
    const n = a.rows;
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    expect(orthonormalityError(Q)).toBeLessThanOrEqual(bound(n, n));
    const big = Math.max(frobeniusNorm(a), Number.MIN_VALUE);
    expect(frobeniusDistance(a, compose(Q, values, Q)) / big).toBeLessThanOrEqual(bound(n, n));
  }
  it('decomposes random symmetric, rank-deficient PSD, zero and repeated-eigenvalue matrices', () => {
    const g = gaussianMatrix(rng, 12, 12);
    const sym = new Matrix(
      12,
      12,
      g.data.map((_, k) => g.data[k] + g.data[(k % 12) * 12 + Math.floor(k / 12)]),
    );
    const w = gaussianMatrix(rng, 10, 3),
      wwt = compose(w, [1, 1, 1], w);
    const q = randomOrthonormal(rng, 30, 20);
    const clusters = compose(q, [...Array(10).fill(2), ...Array(10).fill(1e-9)], q);
    for (const a of [sym, wwt, new Matrix(4, 4), Matrix.identity(6), clusters, Matrix.from([[7]])]) expectValidEvd(a);
  });

  it('rescales exactly: symmetricEigen(2^-700·A) and singularValues(2^-700·A) are 2^-700 times those of A, bit for bit', () => {
    const g = gaussianMatrix(rng, 7, 7),
      tiny = 2 ** -700;
    const sym = new Matrix(
      7,
      7,
      g.data.map((_, k) => g.data[k] + g.data[(k % 7) * 7 + Math.floor(k / 7)]),
    );
    const small = new Matrix(
      7,
      7,
      sym.data.map((x) => x * tiny),
    );
    const [e, f] = [symmetricEigen(sym), symmetricEigen(small)];
    expect(Array.from(f.values)).toEqual(Array.from(e.values, (v) => v * tiny));
    expect(Array.from(f.Q.data)).toEqual(Array.from(e.Q.data));
    expect(Array.from(singularValues(small))).toEqual(Array.from(singularValues(sym), (v) => v * tiny));
  });

  it('uses the symmetric part (A + Aᵀ)/2 of its input', () => {
    const { values } = symmetricEigen(
      Matrix.from([
        [1, 2],
        [0, 1],
      ]),
    );
    // (A + Aᵀ)/2 = [[1, 1], [1, 1]] has eigenvalues 2 and 0 (error model: c·n·ε·‖A‖).
    expect(Math.abs(values[0] - 2)).toBeLessThanOrEqual(bound(2, 2) * 2);
    expect(Math.abs(values[1])).toBeLessThanOrEqual(bound(2, 2) * 2);
  });

  it('rejects non-square and non-finite input, naming the argument', () => {
    expect(() => symmetricEigen(new Matrix(2, 3))).toThrow(ShapeError);
    expect(() => symmetricEigen(new Matrix(2, 3))).toThrow(/symmetricEigen\.A: expected shape square/);
    expect(() => symmetricEigen(Matrix.diag([1, Infinity]))).toThrow(NonFiniteError);
    expect(() => symmetricEigen(Matrix.diag([1, NaN]), 'XXᵀ')).toThrow(/XXᵀ: entry 3 is NaN/);
  });
});

describe('selectColumns / appendColumns', () => {
  it('reorders and concatenates columns exactly', () => {
    const a = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(selectColumns(a, [2, 0]).toArray()).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(appendColumns(a, Matrix.from([[7], [8]])).toArray()).toEqual([
      [1, 2, 3, 7],
      [4, 5, 6, 8],
    ]);
  });
  it('rejects out-of-range columns and row mismatches', () => {
    expect(() => selectColumns(new Matrix(2, 2), [2])).toThrow(DomainError);
    expect(() => appendColumns(new Matrix(2, 2), new Matrix(3, 1))).toThrow(/appendColumns\.B: expected shape 2×k/);
  });
});

describe('singular values beyond the float64 range (issue 16)', () => {
  // A 4×3 matrix with entries near 1e308: σ_1 ≈ 2·1e308·… is not a float64. It used to come back as Infinity, so
  // every relative rank cut was Infinity too: rank 0 and a zero pseudo-inverse, silently.
  const huge = Matrix.from([
    [1e308, -9e307, 8e307],
    [7e307, 1e308, -6e307],
    [-5e307, 4e307, 1e308],
    [9e307, 9e307, 9e307],
  ]);

  it('svd, numericalRank, pseudoInverse and symmetricEigen throw a one-line OverflowError naming the argument', () => {
    expect(() => svd(huge, 'W')).toThrow(OverflowError);
    expect(() => svd(huge, 'W')).toThrow(/^W: σ_1 ≈ \d\.\d\de308 exceeds the float64 range/);
    expect(() => numericalRank(huge)).toThrow(/^numericalRank\.A: σ_1 ≈ /);
    expect(() => pseudoInverse(huge)).toThrow(/^pseudoInverse\.A: σ_1 ≈ /);
    const sym = Matrix.from([
      [1e308, 1e308],
      [1e308, 1e308],
    ]);
    expect(() => symmetricEigen(sym, 'S')).toThrow(/^S: the largest \|eigenvalue\| ≈ 2\.00e308 exceeds/);
  });

  it('entries that large with a representable σ_1 are still fine: diag(1e308, 1) keeps both values exactly', () => {
    const d = svd(
      Matrix.from([
        [1e308, 0],
        [0, 1],
      ]),
    );
    expect(Array.from(d.s)).toEqual([1e308, 1]);
    expect(
      numericalRank(
        Matrix.from([
          [1e308, 0, 0],
          [0, 1e300, 0],
        ]),
      ).rank,
    ).toBe(2);
  });
});
