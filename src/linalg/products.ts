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
  if (k !== kb) throw new ShapeError('multiply.B', `op(B) with ${k} rows (the inner dimension of op(A) = ${opA === 'n' ? a.shape : `(${a.shape})ᵀ`})`, `op(B) = ${opB === 'n' ? b.shape : `(${b.shape})ᵀ`}`);
  if (out.rows !== m || out.cols !== n) throw new ShapeError('multiply.out', `${m}×${n}`, out.shape);
  if (overlaps(out.data, a.data) || overlaps(out.data, b.data)) throw new ShapeError('multiply.out', 'storage disjoint from A and B', 'storage overlapping an operand');
  const A = a.data, B = b.data, C = out.data;
  const bc = b.cols;
  // op(A)(i, p) = A[aRow(i) + p·aStep]: one indexing rule for both ops, so the inner loops carry no branch.
  const aStep = opA === 'n' ? 1 : a.cols, aRowStride = opA === 'n' ? a.cols : 1;
  if (!accumulate) C.fill(0);
  // No skip of zero entries anywhere: 0·NaN must stay NaN so a diverged operand is never hidden.
  if (opB === 'n') {
    // C[i,:] += Σ_p op(A)(i,p)·B[p,:] over contiguous rows of B and C, four p at a time so each C entry is
    // loaded and stored once per four multiply-adds (about 2× faster than one p at a time at d ≥ 16).
    for (let i = 0; i < m; i++) {
      const ci = i * n, ai = i * aRowStride;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const a0 = A[ai + p * aStep], a1 = A[ai + (p + 1) * aStep], a2 = A[ai + (p + 2) * aStep], a3 = A[ai + (p + 3) * aStep];
        const b0 = p * bc, b1 = b0 + bc, b2 = b1 + bc, b3 = b2 + bc;
        for (let j = 0; j < n; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
      }
      for (; p < k; p++) {
        const ap = A[ai + p * aStep], bp = p * bc;
        for (let j = 0; j < n; j++) C[ci + j] += ap * B[bp + j];
      }
    }
  } else {
    // C[i,j] += Σ_p op(A)(i,p)·B[j,p]: dot products along contiguous rows of B, four j at a time so each
    // op(A)(i,p) is loaded once for four products.
    for (let i = 0; i < m; i++) {
      const ci = i * n, ai = i * aRowStride;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = j * bc, b1 = b0 + bc, b2 = b1 + bc, b3 = b2 + bc;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0; p < k; p++) {
          const x = A[ai + p * aStep];
          s0 += x * B[b0 + p];
          s1 += x * B[b1 + p];
          s2 += x * B[b2 + p];
          s3 += x * B[b3 + p];
        }
        C[ci + j] += s0;
        C[ci + j + 1] += s1;
        C[ci + j + 2] += s2;
        C[ci + j + 3] += s3;
      }
      for (; j < n; j++) {
        const bj = j * bc;
        let s = 0;
        for (let p = 0; p < k; p++) s += A[ai + p * aStep] * B[bj + p];
        C[ci + j] += s;
      }
    }
  }
  return out;
}

/** Whether two views share memory (the same array, or overlapping subarrays of one buffer). */
function overlaps(x: Float64Array, y: Float64Array): boolean {
  if (x.buffer !== y.buffer || x.length === 0 || y.length === 0) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
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
