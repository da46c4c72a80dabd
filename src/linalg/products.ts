import { ShapeError } from '../errors.js';
import { Matrix } from './matrix.js';

/** Which operand is transposed: 'n' uses the matrix as stored, 't' its transpose (never materialized). */
export type Op = 'n' | 't';

/**
 * out ← op(A)·op(B) (+ out when accumulate), written into a preallocated `out`; allocates nothing.
 * `out` must not alias A or B. The loops are ordered so the innermost one walks contiguous memory.
 */
export function multiplyInto(out: Matrix, a: Matrix, b: Matrix, opA: Op = 'n', opB: Op = 'n', accumulate = false): Matrix {
  const m = opA === 'n' ? a.rows : a.cols;
  const k = opA === 'n' ? a.cols : a.rows;
  const kb = opB === 'n' ? b.rows : b.cols;
  const n = opB === 'n' ? b.cols : b.rows;
  if (k !== kb) throw new ShapeError('multiply.B', `${k}×${n} (inner dimension ${k})`, `${opB === 'n' ? b.shape : `(${b.shape})ᵀ`}`);
  if (out.rows !== m || out.cols !== n) throw new ShapeError('multiply.out', `${m}×${n}`, out.shape);
  if (out.data === a.data || out.data === b.data) throw new ShapeError('multiply.out', 'a buffer distinct from A and B', 'an alias');
  const A = a.data, B = b.data, C = out.data;
  const ac = a.cols, bc = b.cols;
  if (!accumulate) C.fill(0);
  if (opB === 'n') {
    // C[i,:] += A'(i,p) · B[p,:]: contiguous rows of B and C.
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = opA === 'n' ? A[i * ac + p] : A[p * ac + i];
        if (aip === 0) continue;
        const bp = p * bc;
        for (let j = 0; j < n; j++) C[ci + j] += aip * B[bp + j];
      }
    }
  } else {
    // C[i,j] += Σ_p A'(i,p) · B[j,p]: dot products along contiguous rows of B.
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * bc;
        let s = 0;
        if (opA === 'n') {
          const ai = i * ac;
          for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
        } else {
          for (let p = 0; p < k; p++) s += A[p * ac + i] * B[bj + p];
        }
        C[ci + j] += s;
      }
    }
  }
  return out;
}

/** op(A)·op(B) into a new matrix. */
export function multiply(a: Matrix, b: Matrix, opA: Op = 'n', opB: Op = 'n'): Matrix {
  const m = opA === 'n' ? a.rows : a.cols;
  const n = opB === 'n' ? b.cols : b.rows;
  return multiplyInto(new Matrix(m, n), a, b, opA, opB);
}

/** The product of a list of matrices, left to right; `identitySize` is returned as I when the list is empty. */
export function chain(factors: readonly Matrix[], identitySize: number): Matrix {
  if (factors.length === 0) return Matrix.identity(identitySize);
  let acc = factors[0].clone();
  for (let i = 1; i < factors.length; i++) acc = multiply(acc, factors[i]);
  return acc;
}

export function transposeInto(out: Matrix, a: Matrix): Matrix {
  if (out.rows !== a.cols || out.cols !== a.rows) throw new ShapeError('transpose.out', `${a.cols}×${a.rows}`, out.shape);
  const A = a.data, T = out.data, r = a.rows, c = a.cols;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = A[i * c + j];
  return out;
}

export function transpose(a: Matrix): Matrix {
  return transposeInto(new Matrix(a.cols, a.rows), a);
}
