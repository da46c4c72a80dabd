import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { svd } from '../linalg/svd.js';
import { lbfgs, type VectorDescentResult } from './descent.js';
import type { CompositionInstance, KinkedCompositionInstance } from './instances.js';

/**
 * NR's link between local openness and "local = global" (nr.open-composition; Observation 1 of the ICLR 2018
 * submission version [P]): let M be locally open at w̄ (onto its range) and w̄ a local minimum of ℓ∘M. Every Z in
 * the range near M(w̄) is M(w) for some w near w̄, so ℓ(Z) = ℓ(M(w)) ≥ ℓ(M(w̄)): M(w̄) is a local minimum of ℓ on
 * range(M). When the range is all of R^{m×n} (M(X, Y) = XY with k ≥ min(m, n)) and ℓ is convex, a local minimum is
 * global. For k < min(m, n) the range is the non-convex set {rank ≤ k}; for the square loss a local minimum Z there
 * is global [D]: if rank Z < k, adding t·u₁v₁ᵀ (top singular pair of T − Z) lowers ℓ; if rank Z = k, Z keeps k
 * singular triplets of T (criticality on the rank-k manifold), and if one is not among the top k, rotating it toward
 * a larger one lowers ℓ. For other convex losses it need not hold.
 */
export interface MatrixLoss {
  readonly value: (Z: Matrix) => number;
  readonly gradient: (Z: Matrix) => Matrix;
}

/** ½‖Z − T‖² or Σ(√(1 + (Z − T)²) − 1) (convex, smooth, minimum 0 at T). */
export function compositionLoss(kind: CompositionInstance['loss'], T: Matrix): MatrixLoss {
  const residual = (Z: Matrix) => Z.data.map((z, i) => z - T.data[i]);
  if (kind === 'square')
    return {
      value: (Z) => 0.5 * residual(Z).reduce((s, r) => s + r * r, 0),
      gradient: (Z) => new Matrix(Z.rows, Z.cols, residual(Z)),
    };
  return {
    value: (Z) => residual(Z).reduce((s, r) => s + (r * r) / (Math.sqrt(1 + r * r) + 1), 0),
    gradient: (Z) =>
      new Matrix(
        Z.rows,
        Z.cols,
        residual(Z).map((r) => r / Math.sqrt(1 + r * r)),
      ),
  };
}

/**
 * min ℓ over the range of XY with inner dimension k: 0 when k ≥ min(m, n) (both losses vanish at T); for the square
 * loss and k < min(m, n), ½Σ_{i>k}σ_i(T)² (Eckart–Young). Other cases have no closed form here.
 */
export function minimumOverRange(kind: CompositionInstance['loss'], T: Matrix, k: number): number {
  if (k >= Math.min(T.rows, T.cols)) return 0;
  if (kind !== 'square')
    throw new DomainError('loss', `no closed-form minimum of ${kind} over rank ≤ ${k} matrices (k < min(m, n))`);
  const s = svd(T).s;
  let tail = 0;
  for (let i = k; i < s.length; i++) tail += s[i] * s[i];
  return 0.5 * tail;
}

function split(v: Float64Array, m: number, k: number, n: number): { X: Matrix; Y: Matrix } {
  return { X: new Matrix(m, k, v.slice(0, m * k)), Y: new Matrix(k, n, v.slice(m * k)) };
}

/** Monotone L-BFGS descent on (X, Y) ↦ ℓ(XY), gradient (∇ℓ(XY)Yᵀ, Xᵀ∇ℓ(XY)). */
export function descendComposition(
  loss: MatrixLoss,
  X0: Matrix,
  Y0: Matrix,
): VectorDescentResult & { X: Matrix; Y: Matrix } {
  const m = X0.rows,
    k = X0.cols,
    n = Y0.cols;
  const value = (v: Float64Array) => {
    const { X, Y } = split(v, m, k, n);
    return loss.value(multiply(X, Y));
  };
  const gradient = (v: Float64Array) => {
    const { X, Y } = split(v, m, k, n);
    const G = loss.gradient(multiply(X, Y));
    const out = new Float64Array(v.length);
    out.set(multiply(G, Y, 'n', 't').data);
    out.set(multiply(X, G, 't', 'n').data, m * k);
    return out;
  };
  const start = new Float64Array(m * k + k * n);
  start.set(X0.data);
  start.set(Y0.data, m * k);
  const result = lbfgs(value, gradient, start);
  return { ...result, ...split(result.x, m, k, n) };
}

/**
 * The kinked instance (NR's example (b) made a local minimum): in the rotated coordinates W = UᵀZV,
 * ℓ(Z) = ½‖W‖² − pW₁₁ + q|W₂₁|, X̄ = aU[1; 1], Ȳ = 0. Near X̄, UᵀX = [x₁; x₂] and YV = [y₁ y₂] give
 * ℓ(XY) = ½(x₁² + x₂²)‖y‖² − px₁y₁ + q|x₂y₁| ≥ (qx₂ − px₁)|y₁| ≥ 0 = ℓ(X̄Ȳ) whenever qx₂ ≥ px₁, which holds for
 * ‖X − X̄‖ < a(q − p)/(q + p): a local minimum (exact). The range (rank ≤ 1) contains pU e₁e₁ᵀVᵀ with ℓ = −p²/2,
 * the global minimum of ℓ over all of R^{2×2}: so ℓ(X̄Ȳ) = 0 is not global, and XY is not locally open at (X̄, Ȳ)
 * (rank X̄ = 1 ≠ rank Ȳ = 0, k = 1 < min(m, n) = 2).
 */
export function kinkedComposition(inst: KinkedCompositionInstance) {
  const { a, p, q, U, V } = inst;
  if (!(q > p && p > 0 && a > 0)) throw new DomainError('kinked instance', `needs q > p > 0 and a > 0`);
  const rotated = (Z: Matrix) => multiply(multiply(U, Z, 't', 'n'), V);
  const loss = (Z: Matrix) => {
    const W = rotated(Z);
    return 0.5 * W.data.reduce((s, w) => s + w * w, 0) - p * W.data[0] + q * Math.abs(W.data[2]);
  };
  const X = multiply(U, Matrix.from([[a], [a]]));
  return { X, Y: new Matrix(1, 2), loss, minimum: -0.5 * p * p, radius: (a * (q - p)) / (q + p) };
}
