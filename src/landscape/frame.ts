import { DomainError, ShapeError } from '../errors.js';
import { orthonormalComplement } from '../linalg/complement.js';
import { frobeniusDistance, frobeniusInner } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { DEFAULT_PSD_RTOL } from '../linalg/psd-power.js';
import { selectColumns, svd } from '../linalg/svd.js';
import { type Data, type LossScale, scaleFactor, validateData } from '../model/loss.js';

/**
 * The data frame of the landscape analysis (THEORY §0, §3): a generalized whitening that also works when XXᵀ is
 * singular. From the thin SVD X = U_x Σ_x V_xᵀ restricted to its ρ numerically non-zero singular values,
 *   T := U_ρ Σ_ρ (d_0×ρ),   Q̃ := Y V_ρ (d_N×ρ),
 *   ½‖WX − Y‖² = ½‖W T − Q̃‖² + offset,   offset = ½‖Y(I − V_ρV_ρᵀ)‖².
 * When XXᵀ is invertible (ρ = d_0), Q̃ = Q U_x with THEORY's Q = Y Xᵀ(XXᵀ)^{−1/2}, so σ_i(Q̃) = σ_i(Q) and
 * λ_i = σ_i² are the eigenvalues of Σ = Σ_YX Σ_XX^{−1} Σ_XY. In the frame, layer 1 acts as W_1' := W_1 T and the
 * problem is the whitened one, min ½‖W_N ⋯ W_2 W_1' − Q̃‖², whose critical points are those of the original
 * problem (T has full column rank, so ∇_{W_1} = ∇_{W_1'} Tᵀ vanishes iff ∇_{W_1'} does).
 */
export interface Frame {
  readonly scale: LossScale;
  /** κ of the scale: L = (κ/2)‖WX − Y‖². */
  readonly kappa: number;
  readonly d0: number;
  readonly dN: number;
  readonly samples: number;
  /** ρ = numerical rank of X (σ_i(X) > rtol·σ_1(X)). */
  readonly rank: number;
  /** ρ = d_0: XXᵀ is invertible and the frame is THEORY's whitening. */
  readonly invertible: boolean;
  /** κ(XXᵀ) = (σ_1/σ_ρ)² over the retained singular values. */
  readonly conditionNumber: number;
  readonly T: Matrix;
  /** T⁺ = Σ_ρ^{−1} U_ρᵀ (ρ×d_0). */
  readonly Tpinv: Matrix;
  /** U_ρ (d_0×ρ): TT⁺ = U_ρU_ρᵀ. */
  readonly Ux: Matrix;
  readonly Qt: Matrix;
  /** Thin SVD of Q̃: U (d_N×p), σ descending (p = min(d_N, ρ)), V (ρ×p). */
  readonly U: Matrix;
  readonly sigma: Float64Array;
  readonly V: Matrix;
  /** rank of Q̃ (σ_i > rtol·σ_1). */
  readonly rankQ: number;
  /** ½‖Y(I − V_ρV_ρᵀ)‖² (scale 'half'): the part of the loss no W can reduce. */
  readonly offset: number;
  /** ‖Y‖² = tr Σ_YY. */
  readonly yNormSquared: number;
  readonly rtol: number;
}

export function buildFrame(data: Data, scale: LossScale = 'half', options: { rtol?: number } = {}): Frame {
  if (!data || !(data.X instanceof Matrix) || !(data.Y instanceof Matrix))
    throw new ShapeError('data', '{ X: Matrix, Y: Matrix }', typeof data);
  validateData(data, data.X.rows, data.Y.rows);
  const kappa = scaleFactor(scale, data.X.cols);
  const rtol = options.rtol ?? DEFAULT_PSD_RTOL;
  if (!(rtol >= 0 && rtol < 1)) throw new DomainError('frame.rtol', `must be in [0, 1), received ${rtol}`);
  const { X, Y } = data;
  const d0 = X.rows,
    dN = Y.rows,
    m = X.cols;
  const fx = svd(X, 'data.X');
  let rho = 0;
  while (rho < fx.s.length && fx.s[rho] > rtol * fx.s[0]) rho++;
  const keep = Array.from({ length: rho }, (_, i) => i);
  const Ux = selectColumns(fx.U, keep),
    Vx = selectColumns(fx.V, keep);
  const T = new Matrix(d0, rho),
    Tpinv = new Matrix(rho, d0);
  for (let i = 0; i < d0; i++) {
    for (let c = 0; c < rho; c++) {
      T.data[i * rho + c] = Ux.data[i * rho + c] * fx.s[c];
      Tpinv.data[c * d0 + i] = Ux.data[i * rho + c] / fx.s[c];
    }
  }
  const Qt = multiply(Y, Vx);
  const fq = svd(Qt, 'frame.Q');
  let rankQ = 0;
  while (rankQ < fq.s.length && fq.s[rankQ] > rtol * fq.s[0]) rankQ++;
  const offset = 0.5 * frobeniusDistance(Y, multiply(Qt, Vx, 'n', 't')) ** 2;
  return {
    scale,
    kappa,
    d0,
    dN,
    samples: m,
    rank: rho,
    invertible: rho === d0,
    conditionNumber: rho === 0 ? Infinity : (fx.s[0] / fx.s[rho - 1]) ** 2,
    T,
    Tpinv,
    Ux,
    Qt,
    U: fq.U,
    sigma: fq.s,
    V: fq.V,
    rankQ,
    offset,
    yNormSquared: frobeniusInner(Y, Y),
    rtol,
  };
}

/** r_max = min(ρ, d_1, …, d_N): the largest rank the product W_{N:1}T can have. */
export function maxRank(frame: Frame, widths: readonly number[]): number {
  return Math.min(frame.rank, ...widths.slice(1));
}

/** r* = min(r_max, rank Q̃): the rank of the product at a global minimizer. */
export function optimalRank(frame: Frame, widths: readonly number[]): number {
  return Math.min(maxRank(frame, widths), frame.rankQ);
}

/** 1-based indices i with σ_i(Q̃) > 0 that are not in S. */
function complementOf(frame: Frame, S: readonly number[]): number[] {
  const inS = new Set(S);
  const out: number[] = [];
  for (let i = 1; i <= frame.sigma.length; i++) if (!inS.has(i)) out.push(i);
  return out;
}

export function validateIndexSet(frame: Frame, S: readonly number[], argument = 'S'): number[] {
  if (!Array.isArray(S)) throw new DomainError(argument, 'expected an array of 1-based indices');
  const sorted = [...S].sort((a, b) => a - b);
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k];
    if (!Number.isInteger(i) || i < 1 || i > frame.rankQ)
      throw new DomainError(argument, `index ${i} is not in 1..${frame.rankQ} (the non-zero singular values of Q)`);
    if (k > 0 && sorted[k - 1] === i) throw new DomainError(argument, `index ${i} appears twice`);
  }
  return sorted;
}

/**
 * THEORY's critical value (scale-adjusted): κ·½(tr Σ_YY − Σ_{i∈S} λ_i), evaluated in the cancellation-free form
 * κ·(offset + ½ Σ_{i∉S} σ_i²) (equal by ‖Y‖² = 2·offset + Σ_i σ_i²; see proofs/critical-value.ts).
 */
export function criticalValue(frame: Frame, S: readonly number[]): number {
  const set = validateIndexSet(frame, S);
  let rest = 0;
  for (const i of complementOf(frame, set)) rest += frame.sigma[i - 1] ** 2;
  return frame.kappa * (frame.offset + 0.5 * rest);
}

/** The same value in THEORY's literal form κ·½(‖Y‖² − Σ_{i∈S} σ_i²) (cancels when the loss is small). */
export function criticalValueLiteral(frame: Frame, S: readonly number[]): number {
  let kept = 0;
  for (const i of validateIndexSet(frame, S)) kept += frame.sigma[i - 1] ** 2;
  return frame.kappa * 0.5 * (frame.yNormSquared - kept);
}

/** The global minimum of L over depth-N networks with these widths: κ(offset + ½ Σ_{i>r_max} σ_i²). */
export function globalValue(frame: Frame, widths: readonly number[]): number {
  const r = maxRank(frame, widths);
  let rest = 0;
  for (let i = r; i < frame.sigma.length; i++) rest += frame.sigma[i] ** 2;
  return frame.kappa * (frame.offset + 0.5 * rest);
}

/**
 * Back from frame coordinates: W_1 = W_1' T⁺ (+ F(I − U_ρU_ρᵀ) for an optional d_1×d_0 matrix F acting on the
 * directions of R^{d_0} the data never reach, which changes neither the loss nor criticality).
 */
export function fromFrame(frame: Frame, weights: readonly Matrix[], nullComponent?: Matrix): Matrix[] {
  const w1 = multiply(weights[0], frame.Tpinv);
  if (nullComponent && frame.rank < frame.d0) {
    // F N_x N_xᵀ with an orthonormal basis N_x of range(X)^⊥: computing F(I − U_ρU_ρᵀ) instead would cancel when
    // F nearly lies in span(U_ρ), leaving W_1X ≠ 0 far above the round-off of the (small) result.
    const Nx = orthonormalComplement(frame.Ux);
    const part = multiply(multiply(nullComponent, Nx), Nx, 'n', 't');
    for (let i = 0; i < w1.data.length; i++) w1.data[i] += part.data[i];
  }
  return [w1, ...weights.slice(1)];
}
