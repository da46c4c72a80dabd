import { Matrix as MlMatrix, SingularValueDecomposition, EigenvalueDecomposition } from 'ml-matrix';
import { Matrix, assertFinite, assertSquare } from './matrix.js';
import { orthonormalComplement } from './complement.js';

/** A = U diag(s) Vᵀ with s descending. Thin: U is m×p, V is n×p, p = min(m, n). */
export interface Svd {
  readonly U: Matrix;
  readonly s: Float64Array;
  readonly V: Matrix;
}

function toMl(a: Matrix): MlMatrix {
  const m = new MlMatrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i * a.cols + j]);
  return m;
}

function fromMl(m: MlMatrix): Matrix {
  const out = new Matrix(m.rows, m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out.data[i * m.columns + j] = m.get(i, j);
  return out;
}

/** Thin SVD through ml-matrix (autoTranspose keeps it exact on wide matrices). */
export function svd(a: Matrix, argument = 'svd.A'): Svd {
  assertFinite(a, argument);
  const p = Math.min(a.rows, a.cols);
  if (p === 0) return { U: new Matrix(a.rows, 0), s: new Float64Array(0), V: new Matrix(a.cols, 0) };
  const d = new SingularValueDecomposition(toMl(a), { autoTranspose: true });
  const U = fromMl(d.leftSingularVectors), V = fromMl(d.rightSingularVectors);
  const s = Float64Array.from(d.diagonal);
  // ml-matrix sorts descending already; enforce it so callers may rely on it.
  const order = Array.from(s.keys()).sort((i, j) => s[j] - s[i]);
  if (order.every((v, i) => v === i)) return { U, s, V };
  return { U: selectColumns(U, order), s: Float64Array.from(order, (i) => s[i]), V: selectColumns(V, order) };
}

/** Full SVD: U is m×m and V is n×n (orthonormal completions of the thin factors); s has min(m, n) entries. */
export function fullSvd(a: Matrix, argument = 'fullSvd.A'): Svd {
  const t = svd(a, argument);
  return { U: appendColumns(t.U, orthonormalComplement(t.U)), s: t.s, V: appendColumns(t.V, orthonormalComplement(t.V)) };
}

/** Symmetric eigendecomposition A = Q diag(values) Qᵀ with values descending. Uses (A + Aᵀ)/2. */
export function symmetricEigen(a: Matrix, argument = 'symmetricEigen.A'): { values: Float64Array; Q: Matrix } {
  assertSquare(a, argument);
  assertFinite(a, argument);
  const n = a.rows;
  if (n === 0) return { values: new Float64Array(0), Q: new Matrix(0, 0) };
  const sym = new MlMatrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym.set(i, j, 0.5 * (a.data[i * n + j] + a.data[j * n + i]));
  const e = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const order = Array.from(vals.keys()).sort((i, j) => vals[j] - vals[i]);
  return { values: Float64Array.from(order, (i) => vals[i]), Q: selectColumns(fromMl(e.eigenvectorMatrix), order) };
}

export function selectColumns(a: Matrix, columns: readonly number[]): Matrix {
  const out = new Matrix(a.rows, columns.length);
  for (let i = 0; i < a.rows; i++) for (let c = 0; c < columns.length; c++) out.data[i * columns.length + c] = a.data[i * a.cols + columns[c]];
  return out;
}

export function appendColumns(a: Matrix, b: Matrix): Matrix {
  const n = a.cols + b.cols, out = new Matrix(a.rows, n);
  for (let i = 0; i < a.rows; i++) {
    out.data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * n);
    out.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * n + a.cols);
  }
  return out;
}
