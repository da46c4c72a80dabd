import { DomainError, ShapeError } from '../errors.js';
import { assertSquare, type Matrix } from '../linalg/matrix.js';
import { symmetricEigen } from '../linalg/svd.js';
import { assertOutput, assertParameters, type ModelMap } from './model-map.js';

/**
 * Rayleigh quotients of the tangent kernel (THEORY §6, RSL): R_θ(g) = ⟨g, K_θg⟩/‖g‖², with
 *   ‖∇L(θ)‖² = ⟨g, K_θg⟩ = R_θ(g)‖g‖²                  (rsl.identity; square loss: = 2R_θL),
 *   λ_min(K_θ) ≤ R_θ(g) ≤ λ_max(K_θ),                    (rsl.bounds)
 *   R_θ(g) ≥ ‖g‖²/⟨g, K_θ⁺g⟩ for g ∈ range(K_θ)         (Cauchy–Schwarz: ‖g‖² = ⟨K^{1/2}g, K^{+1/2}g⟩).
 * ⟨g, K⁺g⟩ is the squared RKHS norm ‖g‖²_{H(K)}; a bound B² on it along a path gives ‖∇L‖² ≥ (4/B²)L² (square loss).
 */

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function kernelTimes(K: Matrix, g: Float64Array): Float64Array {
  const M = K.rows,
    out = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    let s = 0;
    for (let j = 0; j < M; j++) s += K.data[i * M + j] * g[j];
    out[i] = s;
  }
  return out;
}

function assertKernelVector(K: Matrix, g: Float64Array, argument: string): void {
  assertSquare(K, 'K');
  if (g.length !== K.rows) throw new ShapeError(argument, `length ${K.rows}`, `length ${g.length}`);
}

/** R(g) = ⟨g, Kg⟩/‖g‖² for an explicit kernel; g ≠ 0. */
export function rayleighQuotient(K: Matrix, g: Float64Array): number {
  assertKernelVector(K, g, 'g');
  const n2 = dot(g, g);
  if (!(n2 > 0)) throw new DomainError('g', 'the Rayleigh quotient needs g ≠ 0');
  return dot(g, kernelTimes(K, g)) / n2;
}

/** R_θ(g) = ‖J_θ*g‖²/‖g‖², matrix-free (one vjp): the left side of rsl.identity divided by ‖g‖². */
export function rayleighQuotientOf(map: ModelMap, theta: Float64Array, g: Float64Array): number {
  assertParameters(map, theta);
  assertOutput(map, g);
  const n2 = dot(g, g);
  if (!(n2 > 0)) throw new DomainError('g', 'the Rayleigh quotient needs g ≠ 0');
  const v = map.vjp(theta, g);
  return dot(v, v) / n2;
}

/** The eigen-decomposition of a tangent kernel with the cutoff that defines its range and pseudo-inverse. */
export interface KernelSpectrum {
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors (columns, same order). */
  readonly Q: Matrix;
  readonly lambdaMax: number;
  /** The smallest eigenvalue (may be ≈ 0 or slightly negative by round-off). */
  readonly lambdaMin: number;
  /** Eigenvalues ≤ cutoff = rtol·λ_max count as 0: the range of K is spanned by the others. */
  readonly cutoff: number;
  readonly rtol: number;
  readonly rank: number;
  /** λ_max / (smallest eigenvalue above the cutoff): the condition number of K on its range. */
  readonly rangeCondition: number;
  /** The largest eigenvalue at or below the cutoff and the smallest above it (the numerical gap at the cutoff). */
  readonly gap: readonly [number, number];
}

/** The default relative cutoff of the range of K (eigenvalues of a PSD K computed to ~Mε·λ_max sit far below it). */
export const KERNEL_RTOL = 1e-10;

export function kernelSpectrum(K: Matrix, rtol = KERNEL_RTOL): KernelSpectrum {
  assertSquare(K, 'K');
  if (!(rtol > 0 && rtol < 1)) throw new DomainError('rtol', `must be in (0, 1), received ${rtol}`);
  const { values, Q } = symmetricEigen(K, 'K');
  const M = values.length;
  const lambdaMax = M > 0 ? Math.max(values[0], 0) : 0;
  const cutoff = rtol * lambdaMax;
  let rank = 0;
  while (rank < M && values[rank] > cutoff) rank++;
  const above = rank > 0 ? values[rank - 1] : 0,
    below = rank < M ? values[rank] : 0;
  return {
    values,
    Q,
    lambdaMax,
    lambdaMin: M > 0 ? values[M - 1] : 0,
    cutoff,
    rtol,
    rank,
    rangeCondition: rank > 0 ? lambdaMax / above : Infinity,
    gap: [below, above],
  };
}

/** ⟨g, K⁺g⟩ (the squared RKHS norm) and how far g is from range(K) (relative), from a spectrum. */
export function rkhsNormSquared(spectrum: KernelSpectrum, g: Float64Array): { value: number; rangeResidual: number } {
  const { Q, values, rank } = spectrum;
  const M = values.length;
  if (g.length !== M) throw new ShapeError('g', `length ${M}`, `length ${g.length}`);
  let value = 0,
    inRange = 0;
  for (let c = 0; c < rank; c++) {
    let p = 0;
    for (let i = 0; i < M; i++) p += Q.data[i * M + c] * g[i];
    value += (p * p) / values[c];
    inRange += p * p;
  }
  const n2 = dot(g, g);
  return { value, rangeResidual: n2 > 0 ? Math.sqrt(Math.max(n2 - inRange, 0) / n2) : 0 };
}

/** The pseudo-inverse lower bound ‖g‖²/⟨g, K⁺g⟩ on R(g) (valid for g ∈ range K). */
export function pseudoInverseBound(spectrum: KernelSpectrum, g: Float64Array): number {
  const { value } = rkhsNormSquared(spectrum, g);
  return dot(g, g) / value;
}

/** Everything rsl.bounds compares at one (θ, g). */
export interface RayleighBounds {
  readonly R: number;
  readonly lambdaMin: number;
  readonly lambdaMax: number;
  /** ‖g‖²/⟨g, K⁺g⟩. */
  readonly pinvBound: number;
  /** ‖g − Π_range g‖/‖g‖. */
  readonly rangeResidual: number;
  readonly spectrum: KernelSpectrum;
}

export function rayleighBounds(K: Matrix, g: Float64Array, rtol = KERNEL_RTOL): RayleighBounds {
  assertKernelVector(K, g, 'g');
  const spectrum = kernelSpectrum(K, rtol);
  const R = rayleighQuotient(K, g);
  const { value, rangeResidual } = rkhsNormSquared(spectrum, g);
  return {
    R,
    lambdaMin: spectrum.lambdaMin,
    lambdaMax: spectrum.lambdaMax,
    pinvBound: dot(g, g) / value,
    rangeResidual,
    spectrum,
  };
}
