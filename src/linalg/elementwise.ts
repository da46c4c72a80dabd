import { allocValues } from './kernels/alloc.js';
import { assertSameShape, Matrix } from './matrix.js';

/** out ← αA + βB (out may alias A or B). */
export function linearCombinationInto(out: Matrix, alpha: number, a: Matrix, beta: number, b: Matrix): Matrix {
  assertSameShape(a, b, 'linearCombination.B');
  assertSameShape(a, out, 'linearCombination.out');
  const A = a.data,
    B = b.data,
    O = out.data;
  for (let i = 0; i < O.length; i++) O[i] = alpha * A[i] + beta * B[i];
  return out;
}

/** Y ← Y + αX in place. */
export function axpy(alpha: number, x: Matrix, y: Matrix): Matrix {
  assertSameShape(y, x, 'axpy.X');
  const X = x.data,
    Y = y.data;
  for (let i = 0; i < Y.length; i++) Y[i] += alpha * X[i];
  return y;
}

export function add(a: Matrix, b: Matrix): Matrix {
  return linearCombinationInto(new Matrix(a.rows, a.cols, allocValues(a.rows * a.cols)), 1, a, 1, b);
}

export function subtract(a: Matrix, b: Matrix): Matrix {
  return linearCombinationInto(new Matrix(a.rows, a.cols, allocValues(a.rows * a.cols)), 1, a, -1, b);
}

export function scale(alpha: number, a: Matrix): Matrix {
  const out = new Matrix(a.rows, a.cols, allocValues(a.rows * a.cols));
  for (let i = 0; i < out.data.length; i++) out.data[i] = alpha * a.data[i];
  return out;
}
