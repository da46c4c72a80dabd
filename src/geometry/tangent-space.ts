import { DomainError } from '../errors.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { assertShape, Matrix } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { conditionOnManifold, type FixedRankPoint, tangentDimension } from './fixed-rank-point.js';

/**
 * The tangent space T_W M_k = {ξ : Ũ_⊥ᵀ ξ Ṽ_⊥ = 0} and its orthogonal complement, the normal space
 * {Ũ_⊥ C Ṽ_⊥ᵀ} (THEORY §2, metric.tangent), in the Frobenius inner product.
 */

function columns(a: Matrix, from: number, to: number): Matrix {
  const w = to - from,
    out = new Matrix(a.rows, w);
  for (let i = 0; i < a.rows; i++) for (let c = 0; c < w; c++) out.data[i * w + c] = a.data[i * a.cols + from + c];
  return out;
}

/** U_k = Ũ[:, 1..k] (m×k) and V_k = Ṽ[:, 1..k] (n×k). */
export function thinFactors(point: FixedRankPoint): { Uk: Matrix; Vk: Matrix } {
  return { Uk: columns(point.U, 0, point.k), Vk: columns(point.V, 0, point.k) };
}

/** Ũ_⊥ = Ũ[:, k+1..m] (m×(m−k)) and Ṽ_⊥ = Ṽ[:, k+1..n] (n×(n−k)). */
export function normalFactors(point: FixedRankPoint): { Uperp: Matrix; Vperp: Matrix } {
  return { Uperp: columns(point.U, point.k, point.m), Vperp: columns(point.V, point.k, point.n) };
}

/**
 * P_T(Z) = UUᵀZ + ZVVᵀ − UUᵀZVVᵀ with U = U_k, V = V_k (the formula of the brief, evaluated as
 * U(UᵀZ) + (ZV)Vᵀ − U(UᵀZV)Vᵀ so that nothing of size m×m or n×n is formed).
 */
export function tangentProject(point: FixedRankPoint, z: Matrix, argument = 'Z'): Matrix {
  assertShape(z, point.m, point.n, argument);
  const { Uk, Vk } = thinFactors(point);
  const utz = multiply(Uk, z, 't', 'n'); // k×n
  const zv = multiply(z, Vk); // m×k
  const utzv = multiply(utz, Vk); // k×k
  const out = multiply(Uk, utz); // UUᵀZ
  multiplyInto(out, zv, Vk, 'n', 't', true); // + ZVVᵀ
  const correction = multiply(multiply(Uk, utzv), Vk, 'n', 't');
  for (let i = 0; i < out.data.length; i++) out.data[i] -= correction.data[i];
  return out;
}

/**
 * P_N(Z) = Ũ_⊥Ũ_⊥ᵀ Z Ṽ_⊥Ṽ_⊥ᵀ, computed from the complements directly (not as Z − P_T Z), so that
 * P_T + P_N = I is a genuine check of the two formulas.
 */
export function normalProject(point: FixedRankPoint, z: Matrix, argument = 'Z'): Matrix {
  assertShape(z, point.m, point.n, argument);
  const { Uperp, Vperp } = normalFactors(point);
  const core = multiply(multiply(Uperp, z, 't', 'n'), Vperp); // (m−k)×(n−k)
  return multiply(multiply(Uperp, core), Vperp, 'n', 't');
}

/**
 * The orthonormal (Frobenius) tangent basis {ũ_a ṽ_bᵀ : a ≤ k or b ≤ k}, k(m + n − k) matrices, in the order
 * (a ≤ k, all b) then (a > k, b ≤ k). The coordinates of ξ in it are the entries (ŨᵀξṼ)_ab of the same index set.
 */
export function tangentBasis(point: FixedRankPoint): Matrix[] {
  const { m, n, k, U, V } = point;
  const out: Matrix[] = [];
  const outer = (a: number, b: number): Matrix => {
    const e = new Matrix(m, n);
    for (let i = 0; i < m; i++) {
      const ui = U.data[i * m + a];
      for (let j = 0; j < n; j++) e.data[i * n + j] = ui * V.data[j * n + b];
    }
    return e;
  };
  for (let a = 0; a < k; a++) for (let b = 0; b < n; b++) out.push(outer(a, b));
  for (let a = k; a < m; a++) for (let b = 0; b < k; b++) out.push(outer(a, b));
  if (out.length !== tangentDimension(m, n, k))
    throw new DomainError('tangentBasis', 'internal: basis size differs from k(m+n−k)');
  return out;
}

/** Z̃ = ŨᵀZṼ (m×n): Z in the SVD coordinates of the point. */
export function toSvdCoordinates(point: FixedRankPoint, z: Matrix, argument = 'Z'): Matrix {
  assertShape(z, point.m, point.n, argument);
  return multiply(multiply(point.U, z, 't', 'n'), point.V);
}

/** Z = Ũ Z̃ Ṽᵀ. */
export function fromSvdCoordinates(point: FixedRankPoint, zt: Matrix, argument = 'Z̃'): Matrix {
  assertShape(zt, point.m, point.n, argument);
  return multiply(multiply(point.U, zt), point.V, 'n', 't');
}

/** Result of the tangent-membership test. */
export interface TangentResidual {
  /** ‖P_N ξ‖_F = ‖Ũ_⊥ᵀ ξ Ṽ_⊥‖_F. */
  readonly residual: number;
  /** ‖ξ‖_F. */
  readonly norm: number;
  /** residual/‖ξ‖ (0 for ξ = 0). */
  readonly relative: number;
  /** The bound the residual is held to (see tangentResidual). */
  readonly bound: number;
  readonly tangent: boolean;
  readonly errorModel: string;
}

/**
 * Is ξ in T_W M_k? The residual ‖Ũ_⊥ᵀ ξ Ṽ_⊥‖_F is held to
 *   bound = factor·ε·(m + n)·κ·‖ξ‖_F,   κ = σ_1/σ_k (conditionOnManifold),
 * because (i) forming Ũ_⊥ᵀξṼ_⊥ in float64 costs ~(m + n)·ε·‖ξ‖ and (ii) a vector computed as tangent from another
 * decomposition of W (e.g. A_W(Z) through Gram-matrix powers) carries the SVD's subspace error ε·σ_1/σ_k relative
 * to ‖ξ‖. factor defaults to 16. A normal space of dimension 0 (k = min(m, n)) makes every ξ tangent.
 */
export function tangentResidual(
  point: FixedRankPoint,
  xi: Matrix,
  options: { readonly factor?: number } = {},
  argument = 'ξ',
): TangentResidual {
  assertShape(xi, point.m, point.n, argument);
  const factor = options.factor ?? 16;
  const { Uperp, Vperp } = normalFactors(point);
  const residual =
    Uperp.cols === 0 || Vperp.cols === 0 ? 0 : frobeniusNorm(multiply(multiply(Uperp, xi, 't', 'n'), Vperp));
  const norm = frobeniusNorm(xi);
  const kappa = point.k === 0 ? 1 : conditionOnManifold(point);
  const bound = factor * Number.EPSILON * (point.m + point.n) * kappa * norm;
  return {
    residual,
    norm,
    relative: norm === 0 ? 0 : residual / norm,
    bound,
    tangent: residual <= bound,
    errorModel: `${factor}·ε·(m+n)·(σ_1/σ_k)·‖ξ‖ = ${sci(bound)}`,
  };
}
