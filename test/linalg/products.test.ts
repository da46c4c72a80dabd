import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { chain, multiply, multiplyInto, type Op, transpose, transposeInto } from '../../src/linalg/products.js';
import { EPS, gaussianMatrix, naiveProduct, Rng } from './reference.js';

/**
 * Error model: each of two summation orders of a length-k dot product is within γ_k·(|A||B|)_ij of the exact
 * value, γ_k = kε/(1 − kε) (Higham, Thm 3.5). So |kernel − naive|_ij ≤ 2γ_k(|A||B|)_ij: entrywise, never atol 0.
 */
function gamma(k: number): number {
  return (k * EPS) / (1 - k * EPS);
}

function expectWithinProductBound(actual: Matrix, expected: Matrix, magnitude: Matrix, k: number): void {
  expect(actual.shape).toBe(expected.shape);
  for (let i = 0; i < actual.data.length; i++) {
    expect(Math.abs(actual.data[i] - expected.data[i])).toBeLessThanOrEqual(2 * gamma(k) * magnitude.data[i]);
  }
}

const ops: [Op, Op][] = [
  ['n', 'n'],
  ['n', 't'],
  ['t', 'n'],
  ['t', 't'],
];

describe('multiplyInto', () => {
  it.each(ops)('matches the naive triple loop for op(A)=%s, op(B)=%s on non-square shapes', (opA, opB) => {
    const rng = new Rng(11);
    for (const [m, k, n] of [
      [3, 5, 2],
      [1, 7, 4],
      [6, 1, 3],
      [9, 8, 7],
      [2, 3, 1],
    ]) {
      const a = opA === 'n' ? gaussianMatrix(rng, m, k) : gaussianMatrix(rng, k, m);
      const b = opB === 'n' ? gaussianMatrix(rng, k, n) : gaussianMatrix(rng, n, k);
      const ref = naiveProduct(a, b, opA, opB);
      const out = new Matrix(m, n);
      out.data.fill(123); // stale contents must be overwritten
      multiplyInto(out, a, b, opA, opB);
      expectWithinProductBound(out, ref.value, ref.magnitude, k);
    }
  });

  it.each(ops)('accumulates out + op(A)op(B) for op(A)=%s, op(B)=%s', (opA, opB) => {
    const rng = new Rng(12);
    const [m, k, n] = [4, 6, 5];
    const a = opA === 'n' ? gaussianMatrix(rng, m, k) : gaussianMatrix(rng, k, m);
    const b = opB === 'n' ? gaussianMatrix(rng, k, n) : gaussianMatrix(rng, n, k);
    const c0 = gaussianMatrix(rng, m, n);
    const out = c0.clone();
    multiplyInto(out, a, b, opA, opB, true);
    const ref = naiveProduct(a, b, opA, opB);
    // One more addition (c0) per entry: a dot product of length k + 1 with |c0| added to the magnitude.
    const expected = new Matrix(m, n),
      magnitude = new Matrix(m, n);
    for (let i = 0; i < m * n; i++) {
      expected.data[i] = c0.data[i] + ref.value.data[i];
      magnitude.data[i] = Math.abs(c0.data[i]) + ref.magnitude.data[i];
    }
    expectWithinProductBound(out, expected, magnitude, k + 1);
  });

  it('handles an empty inner dimension (result 0) and empty outputs', () => {
    const out = new Matrix(2, 3);
    out.data.fill(5);
    multiplyInto(out, new Matrix(2, 0), new Matrix(0, 3));
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(multiply(new Matrix(0, 4), new Matrix(4, 2)).shape).toBe('0×2');
  });

  it.each(ops)('propagates NaN like IEEE arithmetic, even through zero entries (op %s, %s)', (opA, opB) => {
    const a = new Matrix(2, 2); // all zeros
    const b = Matrix.from([
      [1, 2],
      [3, 4],
    ]);
    b.data[1] = NaN;
    const out = multiply(a, b, opA, opB);
    expect(out.data.some(Number.isNaN)).toBe(true);
  });

  it('rejects an inner-dimension mismatch naming multiply.B and both shapes', () => {
    const a = new Matrix(2, 3),
      b = new Matrix(4, 2);
    expect(() => multiplyInto(new Matrix(2, 2), a, b)).toThrow(ShapeError);
    expect(() => multiplyInto(new Matrix(2, 2), a, b)).toThrow(/multiply\.B.*2×3.*4×2/);
    expect(() => multiply(a, b, 'n', 't')).toThrow(/multiply\.B/);
  });

  it('rejects a wrongly shaped out naming multiply.out', () => {
    expect(() => multiplyInto(new Matrix(3, 3), new Matrix(2, 3), new Matrix(3, 2))).toThrow(
      /multiply\.out: expected shape 2×2, received 3×3/,
    );
  });

  it('rejects out aliasing A or B, including overlapping subarray views', () => {
    const a = Matrix.identity(3);
    expect(() => multiplyInto(a, a, Matrix.identity(3))).toThrow(/multiply\.out.*overlapping/);
    expect(() => multiplyInto(a, Matrix.identity(3), a)).toThrow(ShapeError);
    const buffer = new Float64Array(8);
    const x = new Matrix(2, 2, buffer.subarray(0, 4)),
      y = new Matrix(2, 2, buffer.subarray(2, 6)),
      z = new Matrix(2, 2, buffer.subarray(4, 8));
    expect(() => multiplyInto(y, x, Matrix.identity(2))).toThrow(/overlapping/);
    expect(() => multiplyInto(z, x, Matrix.identity(2))).not.toThrow();
  });

  it('sees aliasing past the fast paths: shared arrays, views of a fresh matrix, equal offsets in other buffers', () => {
    const fresh = Matrix.identity(2);
    // Two matrices on one array, and a view into a constructor-allocated matrix, are not known disjoint.
    expect(() => multiplyInto(new Matrix(2, 2, fresh.data), fresh, Matrix.identity(2))).toThrow(/overlapping/);
    const tall = new Matrix(4, 2);
    expect(() => multiplyInto(new Matrix(2, 2, tall.data.subarray(2, 6)), tall, new Matrix(4, 2), 't')).toThrow(
      /overlapping/,
    );
    // Same byte offsets, different buffers (small arrays on the JS heap, offset 0 each): disjoint.
    expect(() =>
      multiplyInto(new Matrix(2, 2, new Float64Array(4)), new Matrix(2, 2, new Float64Array(4)), fresh),
    ).not.toThrow();
  });

  it('knows constructor-allocated matrices are disjoint, and nothing else', () => {
    const a = new Matrix(2, 2),
      b = a.clone(),
      wrapped = new Matrix(2, 2, a.data);
    expect(a.knownDisjointFrom(b)).toBe(true);
    expect(a.knownDisjointFrom(a)).toBe(false);
    expect(a.knownDisjointFrom(wrapped)).toBe(false);
    expect(wrapped.knownDisjointFrom(b)).toBe(false);
    // A Matrix without the private field (as from another copy of the module): not known, and no TypeError.
    const foreign = Object.assign(Object.create(Matrix.prototype), { rows: 2, cols: 2, data: new Float64Array(4) });
    expect(a.knownDisjointFrom(foreign)).toBe(false);
  });
});

describe('chain', () => {
  it('returns I for an empty list and the product left to right otherwise', () => {
    expect(chain([], 3).toArray()).toEqual(Matrix.identity(3).toArray());
    const a = Matrix.from([[1, 2]]),
      b = Matrix.from([[3], [4]]),
      c = Matrix.from([[5, 6]]);
    expect(chain([a], 7).toArray()).toEqual([[1, 2]]);
    expect(chain([a, b, c], 1).toArray()).toEqual([[55, 66]]); // small integers: exact
    expect(() => chain([a, c], 1)).toThrow(/multiply\.B/);
  });
});

describe('transpose', () => {
  it('moves entry (i, j) to (j, i) exactly on wide, tall and empty matrices', () => {
    const rng = new Rng(13);
    for (const [m, n] of [
      [3, 5],
      [5, 3],
      [1, 4],
      [0, 2],
    ]) {
      const a = gaussianMatrix(rng, m, n);
      const t = transpose(a);
      expect(t.shape).toBe(`${n}×${m}`);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(t.get(j, i)).toBe(a.get(i, j));
      expect(transpose(t).toArray()).toEqual(a.toArray());
    }
  });

  it('rejects a wrongly shaped out naming transpose.out', () => {
    expect(() => transposeInto(new Matrix(2, 3), new Matrix(2, 3))).toThrow(/transpose\.out: expected shape 3×2/);
  });
});
