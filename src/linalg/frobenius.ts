import { assertSameShape, type Matrix } from './matrix.js';

/** ⟨A, B⟩ = tr(AᵀB) = Σ_ij A_ij B_ij. */
export function frobeniusInner(a: Matrix, b: Matrix): number {
  assertSameShape(a, b, 'frobeniusInner.B');
  const A = a.data,
    B = b.data;
  let s = 0;
  for (let i = 0; i < A.length; i++) s += A[i] * B[i];
  return s;
}

/** ‖A‖_F, scaled to avoid overflow and underflow (like BLAS nrm2). */
export function frobeniusNorm(a: Matrix): number {
  const A = a.data;
  let big = 0;
  for (let i = 0; i < A.length; i++) big = Math.max(big, Math.abs(A[i]));
  if (big === 0 || !Number.isFinite(big)) return big;
  let s = 0;
  for (let i = 0; i < A.length; i++) {
    const x = A[i] / big;
    s += x * x;
  }
  return big * Math.sqrt(s);
}

/** ‖A − B‖_F without allocating. */
export function frobeniusDistance(a: Matrix, b: Matrix): number {
  assertSameShape(a, b, 'frobeniusDistance.B');
  const A = a.data,
    B = b.data;
  let s = 0;
  for (let i = 0; i < A.length; i++) {
    const d = A[i] - B[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** max_ij |A_ij|. */
export function maxAbs(a: Matrix): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]));
  return m;
}
