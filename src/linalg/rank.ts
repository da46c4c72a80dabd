import { DomainError } from '../errors.js';
import type { Matrix } from './matrix.js';
import { singularValues } from './svd.js';

/** rank_τ(A) = #{i : σ_i > τ·σ_1}, with the tolerance τ, the absolute threshold τ·σ_1 and the σ_i it came from. */
export interface NumericalRank {
  readonly rank: number;
  readonly tolerance: number;
  readonly threshold: number;
  readonly singularValues: Float64Array;
}

/**
 * The default relative tolerance τ = max(m, n)·ε (numpy's matrix_rank and LAPACK's convention): a backward-stable
 * SVD returns σ_i with absolute error of order max(m, n)·ε·σ_1, so smaller σ_i are indistinguishable from 0.
 */
export function defaultRankTolerance(rows: number, cols: number): number {
  return Math.max(rows, cols) * Number.EPSILON;
}

/** The relative tolerance argument must be a finite number ≥ 0; shared by rank, pinv and low-rank. */
export function assertTolerance(tolerance: number, argument: string): number {
  if (!(Number.isFinite(tolerance) && tolerance >= 0))
    throw new DomainError(argument, `expected a finite relative tolerance ≥ 0, received ${tolerance}`);
  return tolerance;
}

/** rank_τ from singular values sorted descending. A zero matrix has rank 0 for every τ. */
export function rankOfSingularValues(s: Float64Array, tolerance: number): NumericalRank {
  assertTolerance(tolerance, 'rank.tolerance');
  const threshold = s.length === 0 ? 0 : tolerance * s[0];
  let rank = 0;
  while (rank < s.length && s[rank] > threshold) rank++;
  return { rank, tolerance, threshold, singularValues: s };
}

/** rank_τ(A); τ defaults to max(m, n)·ε and is always reported. */
export function numericalRank(
  a: Matrix,
  tolerance = defaultRankTolerance(a.rows, a.cols),
  argument = 'numericalRank.A',
): NumericalRank {
  assertTolerance(tolerance, 'numericalRank.tolerance');
  return rankOfSingularValues(singularValues(a, argument), tolerance);
}
