import { DomainError } from '../errors.js';
import { assertFinite, Matrix } from './matrix.js';

/**
 * An orthonormal basis (m×(m−k)) of the orthogonal complement of the column space of Q (m×k, orthonormal
 * columns). Deterministic: Gram–Schmidt (twice, for stability) on the standard basis vectors, taking at each
 * step the one with the largest residual, so the result does not depend on a random draw.
 */
export function orthonormalComplement(q: Matrix): Matrix {
  assertFinite(q, 'orthonormalComplement.Q');
  const m = q.rows,
    k = q.cols;
  if (k > m)
    throw new DomainError(
      'orthonormalComplement.Q',
      `has ${k} columns but only ${m} rows; expected orthonormal columns`,
    );
  const basis: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = q.data[i * k + c];
    basis.push(v);
  }
  const out = new Matrix(m, m - k);
  const used = new Uint8Array(m);
  for (let c = 0; c < m - k; c++) {
    let best: Float64Array | undefined,
      bestNorm = -1,
      bestIndex = -1;
    for (let e = 0; e < m; e++) {
      if (used[e]) continue;
      const v = new Float64Array(m);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) for (const b of basis) project(v, b);
      const nv = Math.hypot(...v);
      if (nv > bestNorm) [best, bestNorm, bestIndex] = [v, nv, e];
    }
    if (!best || bestNorm < 1e-8)
      throw new DomainError('orthonormalComplement.Q', 'columns are not orthonormal (complement collapsed)');
    used[bestIndex] = 1;
    for (let i = 0; i < m; i++) best[i] /= bestNorm;
    basis.push(best);
    for (let i = 0; i < m; i++) out.data[i * (m - k) + c] = best[i];
  }
  return out;
}

function project(v: Float64Array, b: Float64Array): void {
  let d = 0;
  for (let i = 0; i < v.length; i++) d += v[i] * b[i];
  for (let i = 0; i < v.length; i++) v[i] -= d * b[i];
}
