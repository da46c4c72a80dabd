import { DomainError } from '../errors.js';
import { Matrix } from './matrix.js';
import { assertTolerance, defaultRankTolerance } from './rank.js';
import { type Svd, svd } from './svd.js';

/** [A]_k, a best rank-≤k approximation (Eckart–Young), with what decides whether it is the only one. */
export interface LowRankApproximation {
  readonly matrix: Matrix;
  readonly k: number;
  /** ‖A − [A]_k‖_F = √(Σ_{i>k} σ_i²), the minimal error over rank ≤ k. */
  readonly error: number;
  /** σ_k − σ_{k+1} (σ_0 := ∞, σ_i := 0 beyond min(m, n)). */
  readonly gap: number;
  /** Relative tolerance under which a gap (or σ_{k+1}) counts as 0. */
  readonly gapTolerance: number;
  /**
   * [A]_k is unique iff σ_k > σ_{k+1} or σ_{k+1} = 0 (then [A]_k = A). Decided numerically: gap or σ_{k+1}
   * must exceed gapTolerance·σ_1, since a backward-stable SVD knows each σ_i only to ~max(m, n)·ε·σ_1.
   */
  readonly unique: boolean;
  readonly singularValues: Float64Array;
}

/** [A]_k = Σ_{i≤k} σ_i u_i v_iᵀ for k ≥ 0 (k ≥ min(m, n) returns A's own reconstruction). */
export function bestRankK(
  a: Matrix,
  k: number,
  gapTolerance = defaultRankTolerance(a.rows, a.cols),
  argument = 'bestRankK.A',
): LowRankApproximation {
  if (!Number.isInteger(k) || k < 0)
    throw new DomainError('bestRankK.k', `expected an integer rank k ≥ 0, received ${k}`);
  assertTolerance(gapTolerance, 'bestRankK.gapTolerance');
  return truncateSvd(svd(a, argument), a.rows, a.cols, k, gapTolerance);
}

function truncateSvd({ U, s, V }: Svd, m: number, n: number, k: number, gapTolerance: number): LowRankApproximation {
  const p = s.length,
    kk = Math.min(k, p);
  const out = new Matrix(m, n),
    O = out.data;
  for (let c = 0; c < kk; c++) {
    for (let i = 0; i < m; i++) {
      const ui = U.data[i * p + c] * s[c];
      if (ui === 0) continue;
      for (let j = 0; j < n; j++) O[i * n + j] += ui * V.data[j * p + c];
    }
  }
  const sk = k === 0 ? Infinity : k <= p ? s[k - 1] : 0;
  const next = k < p ? s[k] : 0;
  const cut = p === 0 ? 0 : gapTolerance * s[0];
  return {
    matrix: out,
    k,
    error: Math.hypot(...s.subarray(kk)),
    gap: sk - next,
    gapTolerance,
    unique: next <= cut || sk - next > cut,
    singularValues: s,
  };
}
