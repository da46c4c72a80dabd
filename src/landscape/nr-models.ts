import { DomainError } from '../errors.js';
import { frobeniusDistance } from '../linalg/frobenius.js';
import { bestRankK } from '../linalg/low-rank.js';
import { assertFinite, assertSquare, Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { DEFAULT_PSD_RTOL } from '../linalg/psd-power.js';
import { selectColumns, svd, symmetricEigen } from '../linalg/svd.js';
import { balancedFactorization } from '../model/balanced-init.js';
import { type Data, type LossScale, scaleFactor } from '../model/loss.js';
import type { Rng } from '../random/rng.js';
import { lbfgs, type VectorDescentResult } from './descent.js';

/**
 * nr.two-layer-global [P, NR]: every local minimum of ½‖W_2W_1X − Y‖² is global with NO assumption on X, Y.
 * Closed form [D]: with X = U_xΣ_xV_xᵀ its thin SVD restricted to the ρ non-zero singular values and
 * k = min(d_0, d_1, d_2),
 *   min = ½ Σ_{i>k} σ_i(Y V_x)² + ½‖Y(I − V_xV_xᵀ)‖²   (times κ for other scales).
 * Computed here straight from the SVD of X (independently of the landscape frame).
 */
export interface TwoLayerClosedForm {
  readonly value: number;
  /** κ·½Σ_{i>k}σ_i(YV_x)². */
  readonly truncation: number;
  /** κ·½‖Y(I − V_xV_xᵀ)‖²: the part of Y outside the row space of X. */
  readonly projection: number;
  readonly k: number;
  readonly rankX: number;
}

export function twoLayerClosedForm(
  data: Data,
  widths: readonly number[],
  scale: LossScale = 'half',
): TwoLayerClosedForm {
  if (widths.length !== 3)
    throw new DomainError(
      'widths',
      `a two-layer network has widths [d_0, d_1, d_2], received ${widths.length} entries`,
    );
  const kappa = scaleFactor(scale, data.X.cols);
  const f = svd(data.X, 'data.X');
  let rho = 0;
  while (rho < f.s.length && f.s[rho] > DEFAULT_PSD_RTOL * f.s[0]) rho++;
  const Vx = selectColumns(
    f.V,
    Array.from({ length: rho }, (_, i) => i),
  );
  const YV = multiply(data.Y, Vx);
  const s = svd(YV, 'YV').s;
  const k = Math.min(...widths);
  let trunc = 0;
  for (let i = k; i < s.length; i++) trunc += s[i] * s[i];
  const projection = 0.5 * kappa * frobeniusDistance(data.Y, multiply(YV, Vx, 'n', 't')) ** 2;
  const truncation = 0.5 * kappa * trunc;
  return { value: truncation + projection, truncation, projection, k, rankX: rho };
}

/** An explicit global minimizer: W_2W_1 = [YV_x]_k Σ_x^{−1}U_xᵀ, balanced-factorized through width d_1. */
export function twoLayerMinimizer(data: Data, widths: readonly number[], rng: Rng): Matrix[] {
  const f = svd(data.X, 'data.X');
  let rho = 0;
  while (rho < f.s.length && f.s[rho] > DEFAULT_PSD_RTOL * f.s[0]) rho++;
  const keep = Array.from({ length: rho }, (_, i) => i);
  const Ux = selectColumns(f.U, keep),
    Vx = selectColumns(f.V, keep);
  const M = bestRankK(multiply(data.Y, Vx), Math.min(...widths)).matrix;
  const Tpinv = new Matrix(rho, data.X.rows);
  for (let c = 0; c < rho; c++)
    for (let i = 0; i < data.X.rows; i++) Tpinv.data[c * data.X.rows + i] = Ux.data[i * rho + c] / f.s[c];
  return balancedFactorization(multiply(M, Tpinv), widths, rng);
}

/**
 * nr.burer-monteiro [M]: f(X) = ½‖XXᵀ − M‖² with X ∈ R^{n×k}, M symmetric; when k exceeds the number of positive
 * eigenvalues of M, local descent reaches XXᵀ = M_+ (the positive part). ∇f = 2(XXᵀ − M)X.
 */
export function burerMonteiroLoss(X: Matrix, M: Matrix): number {
  const G = multiply(X, X, 'n', 't');
  return 0.5 * frobeniusDistance(G, M) ** 2;
}

export function burerMonteiroGradient(X: Matrix, M: Matrix): Matrix {
  const G = multiply(X, X, 'n', 't');
  for (let i = 0; i < G.data.length; i++) G.data[i] -= M.data[i];
  const out = multiply(G, X);
  for (let i = 0; i < out.data.length; i++) out.data[i] *= 2;
  return out;
}

/** M_+ = Σ_{λ_i > 0} λ_i q_iq_iᵀ. */
export function positivePart(M: Matrix): Matrix {
  assertSquare(M, 'M');
  assertFinite(M, 'M');
  const { values, Q } = symmetricEigen(M, 'M');
  const n = M.rows,
    out = new Matrix(n, n);
  for (let c = 0; c < n; c++) {
    if (!(values[c] > 0)) continue;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out.data[i * n + j] += values[c] * Q.data[i * n + c] * Q.data[j * n + c];
  }
  return out;
}

export function burerMonteiroDescend(
  X0: Matrix,
  M: Matrix,
  options: { maxIterations?: number } = {},
): VectorDescentResult & { X: Matrix; distance: number } {
  const n = X0.rows,
    k = X0.cols;
  const r = lbfgs(
    (x) => burerMonteiroLoss(new Matrix(n, k, x), M),
    (x) => burerMonteiroGradient(new Matrix(n, k, x), M).data,
    X0.data.slice(),
    options,
  );
  const X = new Matrix(n, k, r.x);
  return { ...r, X, distance: frobeniusDistance(multiply(X, X, 'n', 't'), positivePart(M)) };
}

/**
 * nr.iclr18-example [D, regression]: X = I, Y = diag(0, 1), W_3 = [1; 0], W_2 = [0], W_1 = [1 0] is critical with
 * a PSD Hessian but NOT a local minimum: along W_3 = [1; t], W_2 = [t²], W_1 = [1, t] the loss is
 * ½(1 − t⁴ + 2t⁶ + t⁸) < ½. Optionally moved by symmetries that keep every statement: X = O_in O_s,
 * Y = O_out diag(0, 1) O_s (orthogonal O's), W_3 → c·O_out W_3, W_1 → c⁻¹ W_1 O_inᵀ.
 */
export interface Iclr18Instance {
  readonly weights: Matrix[];
  readonly data: Data;
  readonly curve: (t: number) => Matrix[];
  /** The exact loss along the curve (scale-adjusted): κ·½(1 − t⁴ + 2t⁶ + t⁸). */
  readonly curveLoss: (t: number) => number;
  readonly scale: LossScale;
}

export function iclr18Example(
  options: { Oin?: Matrix; Oout?: Matrix; Os?: Matrix; c?: number; scale?: LossScale } = {},
): Iclr18Instance {
  const I = Matrix.identity(2);
  const Oin = options.Oin ?? I,
    Oout = options.Oout ?? I,
    Os = options.Os ?? I;
  const c = options.c ?? 1;
  const scale = options.scale ?? 'half';
  if (!(c > 0 && Number.isFinite(c))) throw new DomainError('c', `must be a positive gauge factor, received ${c}`);
  for (const [name, O] of [
    ['Oin', Oin],
    ['Oout', Oout],
    ['Os', Os],
  ] as const) {
    if (O.rows !== 2 || O.cols !== 2 || frobeniusDistance(multiply(O, O, 't', 'n'), I) > 1e-12)
      throw new DomainError(name, 'must be a 2×2 orthogonal matrix');
  }
  const data = { X: multiply(Oin, Os), Y: multiply(multiply(Oout, Matrix.diag([0, 1])), Os) };
  const curve = (t: number): Matrix[] => [
    multiply(Matrix.from([[1 / c, t / c]]), Oin, 'n', 't'),
    Matrix.from([[t * t]]),
    multiply(Oout, Matrix.from([[c], [c * t]])),
  ];
  const kappa = scaleFactor(scale, 2);
  return { weights: curve(0), data, curve, curveLoss: (t) => kappa * 0.5 * (1 - t ** 4 + 2 * t ** 6 + t ** 8), scale };
}
