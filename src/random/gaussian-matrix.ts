import { Matrix } from '../linalg/matrix.js';
import type { Rng } from './rng.js';

/** A rows×cols matrix with i.i.d. N(0, scale²) entries. */
export function gaussianMatrix(rng: Rng, rows: number, cols: number, scale = 1): Matrix {
  const m = new Matrix(rows, cols);
  rng.fillGaussian(m.data, scale);
  return m;
}
