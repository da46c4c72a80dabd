import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { randomOrthonormal } from './orthonormal.js';
import type { Rng } from './rng.js';

/**
 * Deterministic constructions of numerically reasonable random instances from an Rng (THEORY §7): explicit
 * rank, condition number and spectral gaps, instead of raw doubles. The fast-check arbitraries wrap these.
 */

/** Singular values 1 = s_1 ≥ … ≥ s_rank = 1/cond, log-spaced. */
export function logSpacedSpectrum(rank: number, cond: number): number[] {
  if (!(cond >= 1)) throw new DomainError('cond', `condition number must be ≥ 1, got ${cond}`);
  return Array.from({ length: rank }, (_, i) => (rank === 1 ? 1 : Math.pow(cond, -i / (rank - 1))));
}

/** U diag(spectrum) Vᵀ with Haar-like U, V: a rows×cols matrix with exactly these singular values. */
export function matrixWithSpectrum(rng: Rng, rows: number, cols: number, spectrum: readonly number[]): Matrix {
  const k = spectrum.length;
  if (k > Math.min(rows, cols))
    throw new DomainError('spectrum', `${k} singular values do not fit a ${rows}×${cols} matrix`);
  const u = randomOrthonormal(rng, rows, k),
    v = randomOrthonormal(rng, cols, k);
  for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) u.data[i * k + c] *= spectrum[c];
  return multiply(u, v, 'n', 't');
}

/** A rows×cols matrix of the given rank and condition number (σ_1 = scale, σ_rank = scale/cond). */
export function conditionedMatrix(
  rng: Rng,
  rows: number,
  cols: number,
  options: { rank?: number; cond?: number; scale?: number } = {},
): Matrix {
  const rank = options.rank ?? Math.min(rows, cols);
  const scale = options.scale ?? 1;
  return matrixWithSpectrum(
    rng,
    rows,
    cols,
    logSpacedSpectrum(rank, options.cond ?? 1).map((s) => s * scale),
  );
}

/**
 * Whitened inputs: X ∈ R^{d×m} (m ≥ d) with XXᵀ = I exactly up to round-off (orthonormal rows), as ACGH assume.
 */
export function whitenedInputs(rng: Rng, d: number, m: number): Matrix {
  if (m < d) throw new DomainError('samples', `whitened data need m ≥ d_0 (${m} < ${d})`);
  const q = randomOrthonormal(rng, m, d);
  const x = new Matrix(d, m);
  for (let i = 0; i < d; i++) for (let j = 0; j < m; j++) x.data[i * m + j] = q.data[j * d + i];
  return x;
}

/** Round every entry to `decimals` decimal places (17 or more: unchanged), so shrunk instances read well. */
export function roundEntries(m: Matrix, decimals: number): Matrix {
  if (decimals >= 17) return m;
  const f = Math.pow(10, decimals);
  for (let i = 0; i < m.data.length; i++) m.data[i] = Math.round(m.data[i] * f) / f;
  return m;
}
