import { DomainError, ShapeError } from '../errors.js';
import { frobeniusDistance } from './frobenius.js';
import { bestRankK, type LowRankApproximation } from './low-rank.js';
import { assertFinite, type Matrix } from './matrix.js';
import { multiply } from './products.js';
import { DEFAULT_PSD_RTOL, gramPower } from './psd-power.js';
import { assertTolerance } from './rank.js';
import { svd } from './svd.js';

/**
 * The whitened form of L¹(W) = ½‖WX − Y‖² (THEORY §0): with S := (XXᵀ)^{1/2} and Q := Y Xᵀ (XXᵀ)^{−1/2},
 * L¹(W) = ½‖W S − Q‖² + constant, constant = ½(‖Y‖² − ‖Q‖²).
 */
export interface Whitening {
  /** Q = Y Xᵀ (XXᵀ)^{−1/2}, d_N×d_0. */
  readonly Q: Matrix;
  /** (XXᵀ)^{1/2}, d_0×d_0. */
  readonly sqrtXXt: Matrix;
  /** (XXᵀ)^{−1/2}, d_0×d_0. */
  readonly invSqrtXXt: Matrix;
  /** ½(‖Y‖² − ‖Q‖²) = min_W L¹(W) ≥ 0. */
  readonly constant: number;
  /** κ(XXᵀ) = (σ_1(X)/σ_{d_0}(X))². */
  readonly conditionNumber: number;
  /** XXᵀ counted as invertible iff σ_{d_0}(X) > rtol·σ_1(X) (the psd-power truncation rule). */
  readonly rtol: number;
}

/**
 * Whitening of data X (d_0×m) and targets Y (d_N×m). Throws DomainError with κ(XXᵀ) when XXᵀ is singular under
 * the truncation rule (in particular when d_0 > m). Everything comes from one SVD X = U Σ Vᵀ (thin, V is m×d_0),
 * which is better conditioned than forming XXᵀ: Xᵀ(XXᵀ)^{−1/2} = V Uᵀ, so Q = (Y V) Uᵀ, and the constant is
 * computed as ½‖Y − (Y V) Vᵀ‖² (= ½(‖Y‖² − ‖Q‖²), but without the cancellation of that difference).
 */
export function whiten(x: Matrix, y: Matrix, options: { readonly rtol?: number } = {}): Whitening {
  if (y.cols !== x.cols) throw new ShapeError('whiten.Y', `d_N×${x.cols} (as many columns as X has samples)`, y.shape);
  const rtol = assertTolerance(options.rtol ?? DEFAULT_PSD_RTOL, 'whiten.rtol');
  const d0 = x.rows;
  assertFinite(y, 'whiten.Y');
  const f = svd(x, 'whiten.X');
  const smallest = d0 > x.cols ? 0 : d0 === 0 ? 1 : f.s[d0 - 1];
  const largest = d0 === 0 ? 1 : f.s[0];
  const conditionNumber = (largest / smallest) ** 2;
  if (!(smallest > rtol * largest)) {
    throw new DomainError(
      'whiten.X',
      `XXᵀ (${d0}×${d0}, from ${x.cols} samples) is not invertible: condition number κ(XXᵀ) = ${conditionNumber.toExponential(3)}, σ_min(X) ≤ rtol·σ_max(X) with rtol = ${rtol}`,
    );
  }
  const yv = multiply(y, f.V);
  return {
    Q: multiply(yv, f.U, 'n', 't'),
    sqrtXXt: gramPower(f, 0.5, 'WWt', { rtol }).matrix,
    invSqrtXXt: gramPower(f, -0.5, 'WWt', { rtol }).matrix,
    constant: 0.5 * frobeniusDistance(y, multiply(yv, f.V, 'n', 't')) ** 2,
    conditionNumber,
    rtol,
  };
}

/** The minimizer of L¹ over rank ≤ k and its value. */
export interface RankConstrainedMinimizer {
  /** W*_k = [Q]_k (XXᵀ)^{−1/2}. */
  readonly W: Matrix;
  /** L¹(W*_k) = constant + ½ Σ_{i>k} σ_i(Q)². */
  readonly value: number;
  /** [Q]_k with its uniqueness verdict (unique iff σ_k(Q) > σ_{k+1}(Q)). */
  readonly truncation: LowRankApproximation;
}

/** W*_k and its value; gapTolerance decides uniqueness as in bestRankK (default max(d_N, d_0)·ε). */
export function rankConstrainedMinimizer(w: Whitening, k: number, gapTolerance?: number): RankConstrainedMinimizer {
  if (!Number.isInteger(k) || k < 0)
    throw new DomainError('rankConstrainedMinimizer.k', `expected an integer rank k ≥ 0, received ${k}`);
  const truncation = bestRankK(w.Q, k, gapTolerance, 'rankConstrainedMinimizer.Q');
  return {
    W: multiply(truncation.matrix, w.invSqrtXXt),
    value: w.constant + 0.5 * truncation.error ** 2,
    truncation,
  };
}
