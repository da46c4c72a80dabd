import { DomainError, NonFiniteError, ShapeError } from '../errors.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { allocValues } from '../linalg/kernels/alloc.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';

/**
 * Vector kernels for the NNLS module. Vectors are Float64Array; the matrix A is dlnv's flat row-major Matrix
 * (entry (i, j) at data[i·cols + j]). The *Into kernels write into a preallocated output and allocate nothing,
 * so the integrators' inner loops stay allocation-free; they stay plain loops (not linalg's multiplyInto) so that
 * Lawson–Hanson's sums keep their order, which the SciPy fixtures pin. Norms come from linalg.
 */

/** A finite Float64Array copy of `v` (of length `length` when given); throws naming `argument` otherwise. */
export function toVector(v: ArrayLike<number>, argument: string, length?: number): Float64Array {
  if (v === null || v === undefined || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(argument, length === undefined ? 'a vector' : `a vector of length ${length}`, String(v));
  }
  if (length !== undefined && v.length !== length)
    throw new ShapeError(argument, `length ${length}`, `length ${v.length}`);
  const out = allocValues(v.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = v[i];
    if (!Number.isFinite(out[i])) throw new NonFiniteError(argument, i, out[i]);
  }
  return out;
}

/** Throws unless A is a finite Matrix with at least one row and one column. */
export function assertMatrix(a: Matrix, argument: string): Matrix {
  if (!(a instanceof Matrix)) throw new ShapeError(argument, 'a Matrix', typeof a);
  if (a.rows === 0 || a.cols === 0) throw new ShapeError(argument, 'at least 1×1', a.shape);
  return assertFinite(a, argument);
}

/** A positive finite number, else a DomainError naming the argument. */
export function positive(value: number, argument: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw new DomainError(argument, `must be a positive finite number, got ${value}`);
  return value;
}

/** A finite number ≥ 0. */
export function nonNegative(value: number, argument: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
    throw new DomainError(argument, `must be a finite number ≥ 0, got ${value}`);
  return value;
}

/** An integer in [min, max]. */
export function integerIn(value: number, min: number, max: number, argument: string): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new DomainError(argument, `must be an integer in [${min}, ${max}], got ${value}`);
  return value;
}

/** The reparametrization depth L (x = u^{⊙L}): an integer ≥ 1 (≥ 2 where a mirror map is needed). */
export function depth(value: number, argument = 'L', min = 1): number {
  return integerIn(value, min, 64, argument);
}

/** out ← A·x (A m×n, x length n, out length m). */
export function matVecInto(out: Float64Array, a: Matrix, x: Float64Array): Float64Array {
  const m = a.rows,
    n = a.cols,
    A = a.data;
  for (let i = 0; i < m; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += A[row + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** out ← Aᵀ·r (A m×n, r length m, out length n). */
export function matTVecInto(out: Float64Array, a: Matrix, r: Float64Array): Float64Array {
  const m = a.rows,
    n = a.cols,
    A = a.data;
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const ri = r[i],
      row = i * n;
    for (let j = 0; j < n; j++) out[j] += A[row + j] * ri;
  }
  return out;
}

export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** ‖x‖₂ without overflow or underflow: linalg's scaled frobeniusNorm of x viewed as a 1×n matrix. */
export function norm2(x: Float64Array): number {
  return frobeniusNorm(new Matrix(1, x.length, x));
}

export function norm1(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]);
  return s;
}

/** ‖x − y‖₂. */
export function distance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s);
}

/** Whether every entry is finite. */
export function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/**
 * u^k for an integer k ≥ 0 by repeated multiplication: bitwise Math.pow(u, k) for k ≤ 2, within k − 1 roundings
 * above, with the same signs, and about 30× faster than Math.pow at k = 3 (it runs in the flows' inner loops).
 */
export function integerPower(u: number, k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) p *= u;
  return p;
}

/**
 * The real power x^p extended oddly to negative x: sign(x)·|x|^p. For an integer p it is x^p when p is odd;
 * for p = 1 (L = 2 in x^{⊙(2−2/L)}) it is x itself. Used where a formula with x^{2−2/L} meets an iterate that
 * has left the orthant; Math.pow would return NaN there and hide the sign change the positivity claims look for.
 */
export function signedPower(x: number, p: number): number {
  if (p === 1) return x;
  return x < 0 ? -Math.pow(-x, p) : Math.pow(x, p);
}
