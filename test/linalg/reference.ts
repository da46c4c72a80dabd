// Independent references and instance builders shared by the linalg tests.
import { Matrix } from '../../src/linalg/matrix.js';
import { svd } from '../../src/linalg/svd.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

export const EPS = Number.EPSILON;

/** op(A)·op(B) by the textbook triple loop with explicit indexing; also returns |op(A)|·|op(B)| for error bounds. */
export function naiveProduct(
  a: Matrix,
  b: Matrix,
  opA: 'n' | 't',
  opB: 'n' | 't',
): { value: Matrix; magnitude: Matrix } {
  const ga = (i: number, p: number): number => (opA === 'n' ? a.get(i, p) : a.get(p, i));
  const gb = (p: number, j: number): number => (opB === 'n' ? b.get(p, j) : b.get(j, p));
  const m = opA === 'n' ? a.rows : a.cols,
    k = opA === 'n' ? a.cols : a.rows,
    n = opB === 'n' ? b.cols : b.rows;
  const value = new Matrix(m, n),
    magnitude = new Matrix(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0,
        t = 0;
      for (let p = 0; p < k; p++) {
        s += ga(i, p) * gb(p, j);
        t += Math.abs(ga(i, p) * gb(p, j));
      }
      value.set(i, j, s);
      magnitude.set(i, j, t);
    }
  }
  return { value, magnitude };
}

/** ‖QᵀQ − I‖_F for a matrix meant to have orthonormal columns. */
export function orthonormalityError(q: Matrix): number {
  let s = 0;
  for (let a = 0; a < q.cols; a++) {
    for (let b = 0; b < q.cols; b++) {
      let d = 0;
      for (let i = 0; i < q.rows; i++) d += q.get(i, a) * q.get(i, b);
      s += (d - (a === b ? 1 : 0)) ** 2;
    }
  }
  return Math.sqrt(s);
}

/** U diag(s) Vᵀ (s may be shorter than the columns of U and V: missing entries are 0). */
export function compose(u: Matrix, s: ArrayLike<number>, v: Matrix): Matrix {
  const out = new Matrix(u.rows, v.rows);
  for (let i = 0; i < u.rows; i++) {
    for (let j = 0; j < v.rows; j++) {
      let t = 0;
      for (let c = 0; c < s.length; c++) t += u.get(i, c) * s[c] * v.get(j, c);
      out.set(i, j, t);
    }
  }
  return out;
}

/** An n×k matrix with orthonormal columns (the left singular vectors of a Gaussian matrix). */
export function randomOrthonormal(rng: Rng, n: number, k: number): Matrix {
  return svd(gaussianMatrix(rng, n, k)).U;
}

/** An m×n matrix with the given singular values (descending) and random singular vectors. */
export function withSingularValues(rng: Rng, m: number, n: number, s: readonly number[]): Matrix {
  return compose(randomOrthonormal(rng, m, s.length), s, randomOrthonormal(rng, n, s.length));
}

export { gaussianMatrix, Rng };
