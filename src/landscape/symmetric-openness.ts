import { ShapeError } from '../errors.js';
import { orthonormalComplement } from '../linalg/complement.js';
import { frobeniusDistance, frobeniusNorm } from '../linalg/frobenius.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { selectColumns, svd, symmetricEigen } from '../linalg/svd.js';

/**
 * The symmetric matrix multiplication M₊(X) = XXᵀ, X ∈ R^{n×k}, whose range is {Z ⪰ 0 : rank Z ≤ min(n, k)}.
 * Its fiber distance has a closed form, so local openness is checked without a numeric search [D]:
 * every X' with X'X'ᵀ = Z is Z^{1/2}U with UUᵀ ⪯ I (U = (Z^{1/2})⁺X'), so
 *   ‖X' − X‖² = tr Z + ‖X‖² − 2⟨U, Z^{1/2}X⟩ ≥ tr Z + ‖X‖² − 2‖Z^{1/2}X‖_*      (von Neumann),
 * with equality at U = A_rC_rᵀ + WDᵀ: A_rΣC_rᵀ the SVD of Z^{1/2}X on its non-zero part, W an orthonormal basis of
 * range Z ⊖ span A_r, D orthonormal ⊥ C_r (rank Z ≤ k leaves room). That U has UUᵀ ⪰ Π_Z, so X'X'ᵀ = Z exactly.
 */
export interface SymmetricFiberPoint {
  /** The nearest X' with X'X'ᵀ = Z. */
  readonly point: Matrix;
  /** ‖X' − X‖_F: the distance from X to the fiber. */
  readonly distance: number;
  /** ‖X'X'ᵀ − Z‖_F, the round-off of the construction. */
  readonly residual: number;
  /** Its bound: 64·n·ε·(‖Z‖_F + ‖X'‖_F²). */
  readonly residualBound: number;
}

/** Relative cut below which eigenvalues of Z and singular values of Z^{1/2}X count as zero (round-off). */
const ZERO_CUT = 1e-13;

export function nearestSymmetricFactor(X: Matrix, Z: Matrix): SymmetricFiberPoint {
  assertFinite(X, 'X');
  assertFinite(Z, 'Z');
  const n = X.rows,
    k = X.cols;
  if (Z.rows !== n || Z.cols !== n) throw new ShapeError('Z', `${n}×${n}`, Z.shape);
  const { values, Q } = symmetricEigen(Z, 'Z');
  const top = Math.max(0, values[0] ?? 0);
  const kept = Array.from(values.keys()).filter((i) => values[i] > ZERO_CUT * top);
  if (kept.length > k) throw new ShapeError('Z', `rank ≤ k = ${k} (the range of XXᵀ)`, `rank ${kept.length}`);
  const root = new Matrix(n, n);
  for (const c of kept) {
    const s = Math.sqrt(values[c]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) root.data[i * n + j] += s * Q.data[i * n + c] * Q.data[j * n + c];
    }
  }
  const B = svd(multiply(root, X));
  const bTop = B.s.length ? B.s[0] : 0;
  const r = Array.from(B.s).filter((s) => s > ZERO_CUT * Math.max(bTop, top)).length;
  const Ar = selectColumns(
    B.U,
    Array.from({ length: r }, (_, i) => i),
  );
  const Cr = selectColumns(
    B.V,
    Array.from({ length: r }, (_, i) => i),
  );
  // W: range Z with span A_r projected out, orthonormalized.
  const QZ = selectColumns(Q, kept);
  const rest = QZ.clone();
  const proj = multiply(Ar, multiply(Ar, QZ, 't', 'n'));
  for (let i = 0; i < rest.data.length; i++) rest.data[i] -= proj.data[i];
  const extra = kept.length - r;
  const U = multiply(Ar, Cr, 'n', 't');
  if (extra > 0) {
    const R = svd(rest);
    const W = selectColumns(
      R.U,
      Array.from({ length: extra }, (_, i) => i),
    );
    const D = selectColumns(
      orthonormalComplement(Cr),
      Array.from({ length: extra }, (_, i) => i),
    );
    const WD = multiply(W, D, 'n', 't');
    for (let i = 0; i < U.data.length; i++) U.data[i] += WD.data[i];
  }
  const point = multiply(root, U);
  const residual = frobeniusDistance(multiply(point, point, 'n', 't'), Z);
  const residualBound = 64 * n * Number.EPSILON * (frobeniusNorm(Z) + frobeniusNorm(point) ** 2);
  return { point, distance: frobeniusDistance(point, X), residual, residualBound };
}

/**
 * A target in the range of M₊ near XXᵀ: XXᵀ + δS/‖S‖ (S symmetric) projected onto {Z ⪰ 0, rank ≤ min(n, k)}
 * (keep the largest min(n, k) eigenvalues, clip negative ones to 0). ‖Z − XXᵀ‖ ≤ 2δ.
 */
export function symmetricTarget(X: Matrix, S: Matrix, delta: number): Matrix {
  const n = X.rows;
  const Z = multiply(X, X, 'n', 't');
  const s = frobeniusNorm(S);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) Z.data[i * n + j] += (delta * 0.5 * (S.data[i * n + j] + S.data[j * n + i])) / s;
  }
  const { values, Q } = symmetricEigen(Z, 'Z');
  const out = new Matrix(n, n);
  for (let c = 0; c < Math.min(n, X.cols); c++) {
    const v = Math.max(0, values[c]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) out.data[i * n + j] += v * Q.data[i * n + c] * Q.data[j * n + c];
    }
  }
  return out;
}
