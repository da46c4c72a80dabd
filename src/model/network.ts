import { DomainError, ShapeError } from '../errors.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';

/**
 * A deep linear network is its list of weights [W_1, …, W_N], W_j ∈ R^{d_j × d_{j−1}} (THEORY §0):
 * W_1 acts first. The widths are d_0 (input) … d_N (output).
 */
export type Weights = readonly Matrix[];

/** Validate a weight list (N ≥ 1, chained shapes, finite entries) and return its widths [d_0, …, d_N]. */
export function widthsOf(weights: Weights, argument = 'weights'): number[] {
  if (!Array.isArray(weights) || weights.length === 0)
    throw new DomainError(argument, 'depth N must be ≥ 1 (got an empty weight list)');
  const widths = [weights[0].cols];
  for (let j = 0; j < weights.length; j++) {
    const w = weights[j];
    if (!(w instanceof Matrix)) throw new ShapeError(`${argument}[${j}] (W_${j + 1})`, 'a Matrix', typeof w);
    if (w.cols !== widths[j])
      throw new ShapeError(`${argument}[${j}] (W_${j + 1})`, `${w.rows}×${widths[j]} (d_${j + 1}×d_${j})`, w.shape);
    assertFinite(w, `${argument}[${j}] (W_${j + 1})`);
    widths.push(w.rows);
  }
  return widths;
}

/**
 * Whether widthsOf accepts the weights' shapes (N ≥ 1, Matrices, chained), without its scan for non-finite entries
 * and without allocating. For functions run at every observation of a trajectory (loss, maxBalancednessDefect),
 * which call widthsOf when this is false, or when their result is not finite: a NaN or ±∞ entry makes every product
 * and sum it enters non-finite (0·∞ and ∞ − ∞ are NaN, and NaN absorbs everything), so a finite result proves the
 * entries finite, and the scan — a pass over every entry at every call — runs only when it has something to say.
 */
export function chainedShapes(weights: Weights): boolean {
  if (!Array.isArray(weights) || weights.length === 0) return false;
  let cols = (weights[0] as Matrix | undefined)?.cols;
  for (let j = 0; j < weights.length; j++) {
    const w = weights[j];
    if (!(w instanceof Matrix) || w.cols !== cols) return false;
    cols = w.rows;
  }
  return true;
}

export function cloneWeights(weights: Weights): Matrix[] {
  return weights.map((w) => w.clone());
}

/** Shapes [d_1×d_0, …, d_N×d_{N−1}] for the widths [d_0, …, d_N]. */
export function shapesFor(widths: readonly number[]): Array<[number, number]> {
  if (widths.length < 2) throw new DomainError('widths', 'need at least [d_0, d_1] (depth N ≥ 1)');
  for (const [i, d] of widths.entries())
    if (!Number.isInteger(d) || d < 1) throw new DomainError(`widths[${i}]`, `must be a positive integer, got ${d}`);
  return widths.slice(1).map((rows, j) => [rows, widths[j]] as [number, number]);
}
