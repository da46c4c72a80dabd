import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Rng } from './rng.js';

/**
 * An n×k matrix with orthonormal columns, Haar-like: Gram–Schmidt (applied twice, for orthogonality to
 * round-off) on Gaussian columns.
 */
export function randomOrthonormal(rng: Rng, n: number, k: number): Matrix {
  if (k > n) throw new DomainError('randomOrthonormal', `cannot have ${k} orthonormal columns in R^${n}`);
  const cols: Float64Array[] = [];
  while (cols.length < k) {
    const v = rng.fillGaussian(new Float64Array(n));
    for (let pass = 0; pass < 2; pass++) {
      for (const c of cols) {
        let d = 0;
        for (let i = 0; i < n; i++) d += v[i] * c[i];
        for (let i = 0; i < n; i++) v[i] -= d * c[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-8) continue; // a draw (almost) in the span so far: draw again
    for (let i = 0; i < n; i++) v[i] /= norm;
    cols.push(v);
  }
  const out = new Matrix(n, k);
  for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) out.data[i * k + c] = cols[c][i];
  return out;
}
