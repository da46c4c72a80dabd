import { Matrix } from '../../src/linalg/matrix.js';
import { multiply, multiplyInto } from '../../src/linalg/products.js';
import { psdPower } from '../../src/linalg/psd-power.js';

/**
 * The deliberately WRONG end-to-end operator, kept in the tests and never in src: exponent j/N on the right
 * instead of (j − 1)/N, i.e. Σ_j (WWᵀ)^{(N−j)/N} Z (WᵀW)^{j/N}. In SVD coordinates its coefficients are
 * σ_b^{2/N}·c_ab. Every check that uses A_W must reject it.
 */
export function wrongExponentMetric(w: Matrix, depth: number, z: Matrix): Matrix {
  const wwt = multiply(w, w, 'n', 't'),
    wtw = multiply(w, w, 't', 'n');
  const out = new Matrix(w.rows, w.cols),
    tmp = new Matrix(w.rows, w.cols);
  for (let j = 1; j <= depth; j++) {
    multiplyInto(tmp, psdPower(wwt, (depth - j) / depth).matrix, z);
    multiplyInto(out, tmp, psdPower(wtw, j / depth).matrix, 'n', 'n', true);
  }
  return out;
}
