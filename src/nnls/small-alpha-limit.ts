import type { Matrix } from '../linalg/matrix.js';
import { minL1Interpolant } from './interpolants.js';
import { solveNnls } from './lawson-hanson.js';
import { leastSquaresProblem } from './problem.js';
import { matVecInto, norm1 } from './vector.js';

/**
 * The α → 0 limit of the L = 2 flow from α·1, through its characterization [D; nnls.implicit-bias, nnls.converges]:
 * argmin{1ᵀx : x ≥ 0, Ax = b} when b ∈ cone(A) (KL(x‖α²1)/log(1/α²) → 1ᵀx), else the NNLS solution (unique here).
 */
export function smallAlphaLimit(a: Matrix, b: Float64Array): Float64Array {
  const lp = minL1Interpolant(a, b, { nonnegative: true });
  return lp ? lp.beta : solveNnls(leastSquaresProblem(a, b)).x;
}

/** The limit map applied to b for the ground truth x₊ − s·w: a function of b alone, as the flow's limit is. */
export type LimitMap = (a: Matrix, b: Float64Array) => Float64Array;

/** A ground truth x₊ − s·w with x₊ ≥ 0 sparse and w ≥ 0, ‖w‖₁ = 1, measured through A. */
export interface PerturbedTruth {
  readonly A: Matrix;
  readonly xPlus: Float64Array;
  readonly w: Float64Array;
}

/** ‖x₀ − x₊‖₁ for the ground truth x₊ − s·w (‖n‖₁ = s, since ‖w‖₁ = 1). */
export function perturbationError(truth: PerturbedTruth, s: number, limit: LimitMap): number {
  const b = matVecInto(
    new Float64Array(truth.A.rows),
    truth.A,
    truth.xPlus.map((v, i) => v - s * truth.w[i]),
  );
  return norm1(limit(truth.A, b).map((v, i) => v - truth.xPlus[i]));
}

/** ‖x₀ − x₊‖₁ at n = 0: within RECOVERY_RTOL·‖x₊‖₁ of 0 when x₊ is identifiable. */
export function recoveryError(truth: PerturbedTruth, limit: LimitMap = smallAlphaLimit): number {
  return perturbationError(truth, 0, limit);
}

/** Relative ℓ1 error below which x₊ counts as recovered at n = 0. */
export const RECOVERY_RTOL = 1e-9;
