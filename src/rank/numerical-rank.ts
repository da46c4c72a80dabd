import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';

/**
 * A numerical rank that shows how it was decided (issue 5: rank is never decided by an absolute threshold alone).
 * rank_τ(A) = #{i : σ_i > τ·ref} with ref = σ_1(A) (THEORY §0) — or, when a reference scale is given,
 * max(σ_1(A), reference), so a matrix that is tiny compared with the problem (a zero start, a collapsed layer)
 * is not declared full rank by its own round-off. The reading reports the threshold, and the gap it fell in:
 * the last kept σ_r and the first dropped σ_{r+1}, with their separation in decades. A clear gap (≥ minGapDecades)
 * means the rank does not depend on the exact τ; a small one means the threshold cut through a continuum and the
 * rank is a matter of convention there.
 */
export interface RankReading {
  readonly rank: number;
  /** τ, relative. */
  readonly tolerance: number;
  /** The scale τ multiplies: σ_1, or max(σ_1, reference). */
  readonly reference: number;
  /** τ·reference, the absolute cut. */
  readonly threshold: number;
  /** σ_r, the smallest kept value (Infinity when rank = 0). */
  readonly above: number;
  /** σ_{r+1}, the largest dropped value (0 when none is dropped). */
  readonly below: number;
  /** log10(above/below), Infinity when below = 0 or rank = 0 and the matrix is 0. */
  readonly gapDecades: number;
  /** gapDecades ≥ minGapDecades. */
  readonly clear: boolean;
}

export interface RankOptions {
  /** Absolute reference scale: ref = max(σ_1, reference). Default 0 (ref = σ_1). */
  readonly reference?: number;
  /** Decades of separation for a clear decision. Default 2. */
  readonly minGapDecades?: number;
}

/** The rank reading of singular values sorted descending. */
export function readRank(singularValues: ArrayLike<number>, tolerance: number, options: RankOptions = {}): RankReading {
  if (!(Number.isFinite(tolerance) && tolerance >= 0 && tolerance < 1))
    throw new DomainError('rankTolerance', `expected a relative tolerance τ in [0, 1), received ${tolerance}`);
  const reference = options.reference ?? 0;
  if (!(Number.isFinite(reference) && reference >= 0))
    throw new DomainError('rank.reference', `expected a finite scale ≥ 0, received ${reference}`);
  const minGap = options.minGapDecades ?? 2;
  const s = singularValues,
    n = s.length;
  for (let i = 0; i < n; i++)
    if (!(s[i] >= 0)) throw new DomainError('singularValues', `entry ${i} is ${s[i]}; expected finite values ≥ 0`);
  const ref = Math.max(n > 0 ? s[0] : 0, reference);
  const threshold = tolerance * ref;
  let rank = 0;
  while (rank < n && s[rank] > threshold) rank++;
  const above = rank === 0 ? Infinity : s[rank - 1];
  const below = rank < n ? s[rank] : 0;
  const gapDecades =
    below === 0 ? Infinity : rank === 0 ? (ref > 0 ? Math.log10(ref / below) : Infinity) : Math.log10(above / below);
  return { rank, tolerance, reference: ref, threshold, above, below, gapDecades, clear: gapDecades >= minGap };
}

/** The rank reading of a matrix (one SVD). */
export function matrixRank(
  a: Matrix,
  tolerance: number,
  options: RankOptions = {},
): RankReading & { readonly singularValues: Float64Array } {
  const s = singularValues(a);
  return { ...readRank(s, tolerance, options), singularValues: s };
}

/**
 * The threshold-free reading: the index r maximizing σ_r/σ_{r+1} over values above `floor`·σ_1 (the largest
 * multiplicative gap), with that ratio. Useful to see whether a fixed τ agrees with the spectrum's own gap.
 */
export function largestGap(singularValues: ArrayLike<number>, floor = 1e-14): { rank: number; ratio: number } {
  const s = singularValues,
    n = s.length;
  if (n === 0 || !(s[0] > 0)) return { rank: 0, ratio: Infinity };
  const cut = floor * s[0];
  let best = { rank: n, ratio: 1 };
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? Math.max(s[i + 1], cut) : cut;
    if (s[i] <= cut) break;
    const ratio = s[i] / next;
    if (ratio > best.ratio) best = { rank: i + 1, ratio };
  }
  return best;
}

/** σ_{r+1} (1-based r), 0 when the matrix has at most r singular values. */
export function tailSingularValue(singularValues: ArrayLike<number>, r: number): number {
  if (!(Number.isInteger(r) && r >= 0)) throw new DomainError('r', `expected an integer r ≥ 0, received ${r}`);
  return r < singularValues.length ? singularValues[r] : 0;
}

/** Singular values and thresholds in rank texts: two significant digits are enough to see a gap. */
const f = (x: number): string => x.toExponential(1);

/**
 * Where a rank cut fell, in words: "gap σ_3 = 4.2e-1 | σ_4 = 3.3e-15, 14.1 decades"; "no gap: rank is full" when
 * nothing was dropped; "σ_1 = 2.0e-9 is below the threshold" at rank 0 (never an Infinity).
 */
export function gapText(rank: number, above: number, below: number, gapDecades: number): string {
  if (rank === 0) return below === 0 ? 'the matrix is exactly 0' : `σ_1 = ${f(below)} is below the threshold`;
  if (below === 0) return `no gap: rank is full (σ_${rank} = ${f(above)})`;
  return `gap σ_${rank} = ${f(above)} | σ_${rank + 1} = ${f(below)}, ${gapDecades.toFixed(1)} decades`;
}

/** "rank 3 (τ = 1e-6 × 2.1e0 = 2.1e-6; gap σ_3 = 4.2e-1 | σ_4 = 3.3e-15, 14.1 decades)" */
export function describeRank(r: RankReading): string {
  const full = r.rank > 0 && r.below === 0;
  return `rank ${r.rank} (τ = ${f(r.tolerance)} × ${f(r.reference)} = ${f(r.threshold)}; ${gapText(r.rank, r.above, r.below, r.gapDecades)}${r.clear || full || r.rank === 0 ? '' : ', NOT a clear gap'})`;
}
