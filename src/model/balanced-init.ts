import { DomainError } from '../errors.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { selectColumns, svd } from '../linalg/svd.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import type { Rng } from '../random/rng.js';
import { shapesFor } from './network.js';

/** Relative cutoff below which singular values of the target count as zero (THEORY §0 truncation rule). */
const RANK_RTOL = 1e-10;

/**
 * Balanced initialization (ACGH Procedure 1) for arbitrary widths: with A = UΣVᵀ of rank k,
 * W_1 = O_1 Σ^{1/N} Vᵀ, W_j = O_j Σ^{1/N} O_{j−1}ᵀ, W_N = U Σ^{1/N} O_{N−1}ᵀ, where O_j ∈ R^{d_j×k} has
 * orthonormal columns (random when an Rng is given, else the zero-padded identity [I_k; 0]).
 * Then W_{N:1} = A and every C_j = 0. Needs rank A ≤ every hidden width, unless `truncate` asks for the best the
 * widths allow: the balanced factorization of [A]_k, k = min(rank A, narrowest hidden width) (Eckart–Young).
 */
export function balancedFactorization(
  target: Matrix,
  widths: readonly number[],
  rng?: Rng,
  options: { truncate?: boolean } = {},
): Matrix[] {
  const shapes = shapesFor(widths);
  const n = shapes.length;
  assertFinite(target, 'target');
  if (target.rows !== widths[n] || target.cols !== widths[0]) {
    throw new DomainError('target', `expected shape ${widths[n]}×${widths[0]} (d_N×d_0), received ${target.shape}`);
  }
  if (n === 1) return [target.clone()];
  const t = svd(target, 'target');
  const cutoff = RANK_RTOL * (t.s[0] ?? 0);
  let k = 0;
  while (k < t.s.length && t.s[k] > cutoff) k++;
  const narrowest = Math.min(...widths.slice(1, n));
  if (k > narrowest && !options.truncate)
    throw new DomainError(
      'target',
      `rank ${k} exceeds the narrowest hidden width ${narrowest}; no exact factorization exists`,
    );
  k = Math.min(k, narrowest);
  const keep = Array.from({ length: k }, (_, i) => i);
  const u = selectColumns(t.U, keep),
    v = selectColumns(t.V, keep);
  const frames: Matrix[] = [v];
  for (let j = 1; j < n; j++) frames.push(rng ? randomOrthonormal(rng, widths[j], k) : paddedIdentity(widths[j], k));
  frames.push(u);
  return balancedFromFrames(frames, t.s.subarray(0, k));
}

/**
 * The balanced network W_j = O_j Σ^{1/N} O_{j−1}ᵀ (j = 1..N) from frames O_0 = V, O_1..O_{N−1}, O_N = U with k
 * orthonormal columns each and the product's singular values σ_1..σ_k: W_{N:1} = U diag(σ) Vᵀ and every C_j = 0.
 */
export function balancedFromFrames(frames: readonly Matrix[], spectrum: ArrayLike<number>): Matrix[] {
  const n = frames.length - 1;
  const root = Matrix.diag(Array.from(spectrum, (s) => Math.pow(s, 1 / n)));
  const weights: Matrix[] = [];
  for (let j = 1; j <= n; j++) weights.push(multiply(multiply(frames[j], root), frames[j - 1], 'n', 't'));
  return weights;
}

function paddedIdentity(rows: number, k: number): Matrix {
  return Matrix.diag(new Array(k).fill(1), rows, k);
}
