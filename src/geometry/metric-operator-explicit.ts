import { DomainError } from '../errors.js';
import { assertFinite, assertShape, Matrix } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { DEFAULT_PSD_RTOL, gramPower, type PsdPower, psdPower } from '../linalg/psd-power.js';
import { svd } from '../linalg/svd.js';
import { assertDepth } from './metric-coefficients.js';

export interface ExplicitMetricOptions {
  /** Truncation of the PSD powers (σ ≤ rtol·σ_1 → 0 before any power). Default 1e-10. */
  readonly rtol?: number;
  /**
   * Where the powers come from. 'svd' (default): gramPower from one SVD of W, which knows every σ_i to ~ε·σ_1, cut
   * on σ (σ ≤ rtol·σ_1 counts as 0). 'gram-eigen': symmetric eigendecompositions of the formed Gram matrices WWᵀ
   * and WᵀW (psdPower), independent of the SVD of W that the SVD form of A_W uses, so comparing the two forms tests
   * something; but a formed Gram matrix knows σ_i² only to ~ε·σ_1², so the cut is applied to σ², i.e. σ ≤ √rtol·σ_1
   * counts as 0 (1e-5·σ_1 at the default rtol): W = diag(1, 1e-6) at depth 6 loses its second mode and A_W(ones) is
   * off by 1e-2. `truncation.sigmaCutoff` reports the cut that was applied.
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
  /** What counted as 0: every σ_i(W) ≤ sigmaCutoff was dropped from the powers; `rank` values survived. */
  readonly truncation: { readonly source: 'svd' | 'gram-eigen'; readonly sigmaCutoff: number; readonly rank: number };

  constructor(w: Matrix, depth: number, options: ExplicitMetricOptions = {}) {
    assertFinite(w, 'W');
    this.depth = assertDepth(depth);
    this.m = w.rows;
    this.n = w.cols;
    const rtol = options.rtol ?? DEFAULT_PSD_RTOL;
    const source = options.source ?? 'svd';
    const left: PsdPower[] = [],
      right: PsdPower[] = [];
    if (source === 'gram-eigen') {
      const wwt = multiply(w, w, 'n', 't'),
        wtw = multiply(w, w, 't', 'n');
      for (let p = 0; p < depth; p++) {
        left.push(psdPower(wwt, p / depth, { rtol }, 'WWᵀ'));
        right.push(psdPower(wtw, p / depth, { rtol }, 'WᵀW'));
      }
    } else if (source === 'svd') {
      const f = svd(w, 'W');
      for (let p = 0; p < depth; p++) {
        left.push(gramPower(f, p / depth, 'WWt', { rtol }));
        right.push(gramPower(f, p / depth, 'WtW', { rtol }));
      }
    } else {
      throw new DomainError('source', `expected 'gram-eigen' or 'svd', received ${String(source)}`);
    }
    this.left = left.map((q) => q.matrix);
    this.right = right.map((q) => q.matrix);
    // gram-eigen cuts eigenvalues σ², svd cuts σ itself.
    const cut = left[0].threshold;
    this.truncation = {
      source,
      sigmaCutoff: source === 'svd' ? cut : Math.sqrt(cut),
      rank: Math.min(left[0].rank, right[0].rank),
    };
  }

  apply(z: Matrix): Matrix {
    assertShape(z, this.m, this.n, 'Z');
    const out = new Matrix(this.m, this.n),
      tmp = new Matrix(this.m, this.n);
    const N = this.depth;
    for (let j = 1; j <= N; j++) {
      multiplyInto(tmp, this.left[N - j], z);
      multiplyInto(out, tmp, this.right[j - 1], 'n', 'n', true);
    }
    return out;
  }
}
