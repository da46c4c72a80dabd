import { DomainError } from '../errors.js';
import { Matrix, assertFinite, assertShape } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { DEFAULT_PSD_RTOL, gramPower, psdPower } from '../linalg/psd-power.js';
import { svd } from '../linalg/svd.js';
import { assertDepth } from './metric-coefficients.js';

export interface ExplicitMetricOptions {
  /** Truncation of the PSD powers (σ ≤ rtol·σ_1 → 0 before any power). Default 1e-10. */
  readonly rtol?: number;
  /**
   * Where the powers come from. 'gram-eigen' (default): symmetric eigendecompositions of the formed Gram matrices
   * WWᵀ and WᵀW (psdPower), independent of the SVD of W that the SVD form uses, so comparing the two forms tests
   * something. The cut is then applied to eigenvalues σ², i.e. σ ≤ √rtol·σ_1 counts as 0: a W with genuine
   * σ_i in (rtol, √rtol]·σ_1 is outside this path's range. 'svd': gramPower from one SVD of W (cut on σ).
   */
  readonly source?: 'gram-eigen' | 'svd';
}

/**
 * A_W(Z) = Σ_{j=1}^{N} (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N} evaluated literally as a sum of matrix products with
 * rank-truncated PSD powers and A^0 := I (THEORY §0, §2 flow.end-to-end). The N left powers (WWᵀ)^{p/N} and the
 * N right powers (WᵀW)^{q/N}, p, q = 0..N−1, are computed once; apply costs 2N matrix products.
 */
export class ExplicitMetricOperator {
  readonly depth: number;
  readonly m: number;
  readonly n: number;
  /** left[p] = (WWᵀ)^{p/N}, m×m. */
  readonly left: readonly Matrix[];
  /** right[q] = (WᵀW)^{q/N}, n×n. */
  readonly right: readonly Matrix[];

  constructor(w: Matrix, depth: number, options: ExplicitMetricOptions = {}) {
    assertFinite(w, 'W');
    this.depth = assertDepth(depth);
    this.m = w.rows;
    this.n = w.cols;
    const rtol = options.rtol ?? DEFAULT_PSD_RTOL;
    const source = options.source ?? 'gram-eigen';
    const left: Matrix[] = [], right: Matrix[] = [];
    if (source === 'gram-eigen') {
      const wwt = multiply(w, w, 'n', 't'), wtw = multiply(w, w, 't', 'n');
      for (let p = 0; p < depth; p++) {
        left.push(psdPower(wwt, p / depth, { rtol }, 'WWᵀ').matrix);
        right.push(psdPower(wtw, p / depth, { rtol }, 'WᵀW').matrix);
      }
    } else if (source === 'svd') {
      const f = svd(w, 'W');
      for (let p = 0; p < depth; p++) {
        left.push(gramPower(f, p / depth, 'WWt', { rtol }).matrix);
        right.push(gramPower(f, p / depth, 'WtW', { rtol }).matrix);
      }
    } else {
      throw new DomainError('source', `expected 'gram-eigen' or 'svd', received ${String(source)}`);
    }
    this.left = left;
    this.right = right;
  }

  apply(z: Matrix): Matrix {
    assertShape(z, this.m, this.n, 'Z');
    const out = new Matrix(this.m, this.n), tmp = new Matrix(this.m, this.n);
    const N = this.depth;
    for (let j = 1; j <= N; j++) {
      multiplyInto(tmp, this.left[N - j], z);
      multiplyInto(out, tmp, this.right[j - 1], 'n', 'n', true);
    }
    return out;
  }
}

/** One-shot A_W(Z) by the explicit sum. */
export function applyMetricExplicit(w: Matrix, depth: number, z: Matrix, options: ExplicitMetricOptions = {}): Matrix {
  return new ExplicitMetricOperator(w, depth, options).apply(z);
}
