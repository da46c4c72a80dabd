import {
  EigenvalueDecomposition,
  type Matrix as MlMatrix,
  SingularValueDecomposition,
  WrapperMatrix1D,
} from 'ml-matrix';
import { DomainError, OverflowError, ShapeError } from '../errors.js';
import { orthonormalComplement } from './complement.js';
import { assertFinite, assertSquare, Matrix } from './matrix.js';

/** A = U diag(s) Vᵀ with s descending and ≥ 0. Thin: U is m×p, V is n×p, p = min(m, n). */
export interface Svd {
  readonly U: Matrix;
  readonly s: Float64Array;
  readonly V: Matrix;
}

function fromMl(m: MlMatrix, columns = m.columns): Matrix {
  const out = new Matrix(m.rows, columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < columns; j++) out.data[i * columns + j] = m.get(i, j);
  return out;
}

/**
 * The exponent e such that 2^e·max|a_ij| is near 1, or 0 when no scaling is needed. Multiplying by a power of
 * two is exact, and it keeps ml-matrix's Householder/Givens arithmetic away from overflow and from subnormals
 * (where it loses orthogonality: ~1e3·ε measured at entries ~1e-310).
 */
function safeExponent(data: Float64Array): number {
  let big = 0;
  for (let i = 0; i < data.length; i++) big = Math.max(big, Math.abs(data[i]));
  if (big === 0 || (big > 2 ** -200 && big < 2 ** 200)) return 0;
  return -Math.ceil(Math.log2(big));
}

/** x·2^e, in two exact steps because 2^e alone overflows for e up to 1074 (subnormal inputs). */
function ldexp(x: number, e: number): number {
  const h = Math.trunc(e / 2);
  return x * 2 ** h * 2 ** (e - h);
}

/**
 * Throws OverflowError unless `largest`·2^{−e} (a value computed on the input scaled by 2^e) is a finite float64:
 * the input is finite, but what it asks for is not representable, and Infinity would pass for an answer (σ_1 = ∞
 * makes every relative rank cut ∞, so the rank reads 0 and the pseudo-inverse 0).
 */
function assertRepresentable(largest: number, e: number, what: string, argument: string): void {
  if (Number.isFinite(ldexp(largest, -e))) return;
  const log10 = Math.log10(Math.abs(largest)) - e * Math.LOG10E * Math.LN2;
  const mantissa = 10 ** (log10 - Math.floor(log10));
  throw new OverflowError(
    argument,
    `${what} ≈ ${mantissa.toFixed(2)}e${Math.floor(log10)} exceeds the float64 range (≤ 1.8e308); rescale the input`,
  );
}

/** The first p columns of the n×n identity: the singular vectors returned for a zero matrix. */
function identityColumns(n: number, p: number): Matrix {
  return Matrix.diag(new Float64Array(p).fill(1), n, p);
}

/**
 * Thin SVD through ml-matrix (Golub–Kahan; autoTranspose keeps it exact on wide matrices). The input is wrapped,
 * not copied (ml-matrix copies it once internally), unless it must be rescaled. Handles empty, zero, 1×n, n×1
 * and rank-deficient inputs; singular vectors of zero singular values are still orthonormal.
 */
export function svd(a: Matrix, argument = 'svd.A'): Svd {
  const m = a.rows,
    n = a.cols,
    p = Math.min(m, n);
  const run = golubKahan(a, argument, true);
  // Empty or zero: a zero matrix has no direction to find; answer exactly instead of relying on the iteration.
  if (run === undefined) {
    if (p === 0) return { U: new Matrix(m, 0), s: new Float64Array(0), V: new Matrix(n, 0) };
    return { U: identityColumns(m, p), s: new Float64Array(p), V: identityColumns(n, p) };
  }
  const { d, s } = run;
  const U = fromMl(d.leftSingularVectors, p),
    V = fromMl(d.rightSingularVectors, p);
  // ml-matrix sorts descending already; enforce it so callers may rely on it.
  if (isDescending(s)) return { U, s, V };
  const order = Array.from(s.keys()).sort((i, j) => s[j] - s[i]);
  return { U: selectColumns(U, order), s: Float64Array.from(order, (i) => s[i]), V: selectColumns(V, order) };
}

/**
 * The singular values of A, descending: svd(A).s bit for bit (the same iteration; the singular values never
 * depend on the vectors), without accumulating U and V or copying them out — for callers that need only σ.
 */
export function singularValues(a: Matrix, argument = 'singularValues.A'): Float64Array {
  const run = golubKahan(a, argument, false);
  if (run === undefined) return new Float64Array(Math.min(a.rows, a.cols));
  return isDescending(run.s) ? run.s : run.s.sort().reverse();
}

/**
 * ml-matrix's SVD of A·2^e (safeExponent) and |σ|·2^{−e} in ml-matrix's order, or undefined when A is empty or
 * zero (the callers answer those exactly). Throws for a non-finite A or an unrepresentable σ_1.
 */
function golubKahan(
  a: Matrix,
  argument: string,
  vectors: boolean,
): { d: SingularValueDecomposition; s: Float64Array } | undefined {
  assertFinite(a, argument);
  const m = a.rows,
    p = Math.min(m, a.cols);
  if (p === 0) return undefined;
  const e = safeExponent(a.data);
  if (e === 0 && a.data.every((x) => x === 0)) return undefined;
  const input = e === 0 ? a.data : a.data.map((x) => ldexp(x, e));
  const d = new SingularValueDecomposition(new WrapperMatrix1D(input, { rows: m }), {
    autoTranspose: true,
    computeLeftSingularVectors: vectors,
    computeRightSingularVectors: vectors,
  });
  const raw = d.diagonal;
  let largest = 0;
  for (let i = 0; i < p; i++) largest = Math.max(largest, Math.abs(raw[i]));
  assertRepresentable(largest, e, 'σ_1', argument);
  const s = new Float64Array(p);
  for (let i = 0; i < p; i++) s[i] = e === 0 ? Math.abs(raw[i]) : ldexp(Math.abs(raw[i]), -e);
  return { d, s };
}

function isDescending(s: Float64Array): boolean {
  for (let i = 1; i < s.length; i++) if (s[i] > s[i - 1]) return false;
  return true;
}

/** Full SVD: U is m×m and V is n×n (orthonormal completions of the thin factors); s has min(m, n) entries. */
export function fullSvd(a: Matrix, argument = 'fullSvd.A'): Svd {
  const t = svd(a, argument);
  return {
    U: appendColumns(t.U, orthonormalComplement(t.U)),
    s: t.s,
    V: appendColumns(t.V, orthonormalComplement(t.V)),
  };
}

/** Symmetric eigendecomposition A = Q diag(values) Qᵀ with values descending. Uses (A + Aᵀ)/2. */
export function symmetricEigen(a: Matrix, argument = 'symmetricEigen.A'): { values: Float64Array; Q: Matrix } {
  assertSquare(a, argument);
  assertFinite(a, argument);
  const n = a.rows;
  if (n === 0) return { values: new Float64Array(0), Q: new Matrix(0, 0) };
  const e = safeExponent(a.data);
  // Scaling by 2^0 is the identity: skip it in the common case (these run on every Newton step of the landscape).
  const x = e === 0 ? a.data : a.data.map((v) => ldexp(v, e));
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = 0.5 * (x[i * n + j] + x[j * n + i]);
  const evd = new EigenvalueDecomposition(new WrapperMatrix1D(sym, { rows: n }), { assumeSymmetric: true });
  const vals = evd.realEigenvalues;
  let largest = 0;
  for (const v of vals) largest = Math.max(largest, Math.abs(v));
  assertRepresentable(largest, e, 'the largest |eigenvalue|', argument);
  const order = Array.from(vals.keys()).sort((i, j) => vals[j] - vals[i]);
  const vectors = evd.eigenvectorMatrix,
    Q = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) Q.data[i * n + c] = vectors.get(i, order[c]);
  return { values: Float64Array.from(order, (i) => (e === 0 ? vals[i] : ldexp(vals[i], -e))), Q };
}

/** The listed columns of A, in the listed order. */
export function selectColumns(a: Matrix, columns: readonly number[]): Matrix {
  for (const c of columns)
    if (!Number.isInteger(c) || c < 0 || c >= a.cols)
      throw new DomainError('selectColumns.columns', `index ${c} is not a column of a ${a.shape} matrix`);
  const out = new Matrix(a.rows, columns.length);
  for (let i = 0; i < a.rows; i++)
    for (let c = 0; c < columns.length; c++) out.data[i * columns.length + c] = a.data[i * a.cols + columns[c]];
  return out;
}

/** [A B]: the columns of B after those of A (same number of rows). */
export function appendColumns(a: Matrix, b: Matrix): Matrix {
  if (b.rows !== a.rows) throw new ShapeError('appendColumns.B', `${a.rows}×k (as many rows as A)`, b.shape);
  const n = a.cols + b.cols,
    out = new Matrix(a.rows, n);
  for (let i = 0; i < a.rows; i++) {
    out.data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * n);
    out.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * n + a.cols);
  }
  return out;
}
