import { Matrix } from './matrix.js';
import { assertTolerance, defaultRankTolerance } from './rank.js';
import { svd } from './svd.js';

/** A⁺ with the relative cutoff that defined it: σ_i ≤ rtol·σ_1 are treated as 0 (their 1/σ_i is dropped). */
export interface PseudoInverse {
  readonly matrix: Matrix;
  readonly rtol: number;
  readonly threshold: number;
  /** How many σ_i were inverted: the numerical rank at this cutoff. */
  readonly rank: number;
}

/**
 * Moore–Penrose pseudo-inverse A⁺ = V_r diag(1/σ_i) U_rᵀ (n×m for an m×n A). The cutoff rtol defaults to
 * max(m, n)·ε, the same as numericalRank, because σ_i below it are round-off and 1/σ_i would be noise.
 */
export function pseudoInverse(
  a: Matrix,
  rtol = defaultRankTolerance(a.rows, a.cols),
  argument = 'pseudoInverse.A',
): PseudoInverse {
  assertTolerance(rtol, 'pseudoInverse.rtol');
  const { U, s, V } = svd(a, argument);
  const m = a.rows,
    n = a.cols,
    p = s.length;
  const threshold = p === 0 ? 0 : rtol * s[0];
  let rank = 0;
  while (rank < p && s[rank] > threshold) rank++;
  const out = new Matrix(n, m),
    O = out.data,
    Ud = U.data,
    Vd = V.data;
  for (let c = 0; c < rank; c++) {
    const inv = 1 / s[c];
    for (let i = 0; i < n; i++) {
      const vi = Vd[i * p + c] * inv;
      if (vi === 0) continue;
      for (let j = 0; j < m; j++) O[i * m + j] += vi * Ud[j * p + c];
    }
  }
  return { matrix: out, rtol, threshold, rank };
}
