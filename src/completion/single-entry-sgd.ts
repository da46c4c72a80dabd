import { Matrix } from '../linalg/matrix.js';
import type { CompletionCost } from './cost.js';

/**
 * Plain single-entry SGD on a CompletionCost, done the cheap way: for observed entry (i, j) the input is e_j and
 * the residual u = 2r·e_i, so b_1 = W_1 e_j is column j of W_1, a_{L−1} = W_Lᵀu = 2r·(row i of W_L), and the
 * rank-one gradients a_ℓ b_{ℓ−1}ᵀ of the first and last layers touch one column / one row; the other entries get
 * the weight decay only. The hidden layers take one forward matrix–vector product and one fused pass
 * (a_{ℓ−1} = W_ℓᵀa_ℓ accumulated from the old entries while W_ℓ ← W_ℓ − η(a_ℓb_{ℓ−1}ᵀ + μW_ℓ) is written).
 *
 * Every entry is computed with the same floating-point operations, in the same order, as StochasticGradient
 * (batch 1) followed by the plain Sgd optimizer, on a finite state: the results are bitwise equal (up to the sign
 * of a zero). The skipped terms are products with exact zeros; they only differ when the state holds a non-finite
 * entry (0·∞), so the caller must run this only on a state known to be finite: `step` reports whether the state
 * it wrote is finite (false = some entry may not be; then use the general path). Allocates nothing.
 */
export class SingleEntrySgd {
  private readonly b: Float64Array[];
  private readonly a: Float64Array[];
  private readonly depth: number;
  private readonly rowOf: Int32Array;
  private readonly colOf: Int32Array;
  private readonly values: Float64Array;
  /** The cost of the last `forward` (the sample term c_s). */
  cost = NaN;
  private residual = NaN;
  private i = 0;
  private j = 0;

  constructor(
    readonly widths: readonly number[],
    cost: CompletionCost,
  ) {
    this.depth = widths.length - 1;
    this.b = widths.map((d) => new Float64Array(d));
    this.a = widths.map((d) => new Float64Array(d));
    const { row, col, size } = cost.observed;
    this.rowOf = Int32Array.from(row);
    this.colOf = Int32Array.from(col);
    const t = cost.target;
    this.values = new Float64Array(size);
    for (let k = 0; k < size; k++) this.values[k] = t.data[row[k] * t.cols + col[k]];
  }

  /** Forward pass for sample s at the state; returns c_s = (A_ij − A*_ij)². The state is not modified. */
  forward(state: readonly Matrix[], s: number): number {
    const n = this.depth, b = this.b;
    const i = this.rowOf[s], j = this.colOf[s];
    this.i = i;
    this.j = j;
    // b_1 = W_1 e_j: column j of W_1.
    const W1 = state[0], D1 = W1.data, c1 = W1.cols, b1 = b[1];
    for (let r = 0; r < W1.rows; r++) b1[r] = D1[r * c1 + j];
    for (let l = 2; l < n; l++) matVec(state[l - 1], b[l - 1], b[l]);
    let o: number;
    if (n === 1) o = b1[i];
    else {
      const W = state[n - 1], D = W.data, cols = W.cols, x = b[n - 1], off = i * cols;
      o = 0;
      for (let c = 0; c < cols; c++) o += D[off + c] * x[c];
    }
    const r = o - this.values[s];
    this.residual = r;
    this.cost = r * r;
    return this.cost;
  }

  /**
   * Backward pass and update W_ℓ ← W_ℓ − η(∇_{W_ℓ}c_s + μW_ℓ) for the sample of the last `forward` (at the same,
   * unmodified state). Returns true when every entry written is finite.
   */
  update(state: readonly Matrix[], eta: number, mu: number): boolean {
    const n = this.depth, b = this.b, a = this.a, i = this.i, j = this.j;
    const ai = 2 * this.residual;
    let finite = true;
    if (n === 1) {
      return decayExceptColumn(state[0], eta, mu, j, i, ai) && finite;
    }
    // Last layer: gradient (2r e_i) b_{L−1}ᵀ, only row i; a_{L−1} = 2r·(old row i of W_L).
    {
      const W = state[n - 1], D = W.data, cols = W.cols, x = b[n - 1], y = a[n - 1], off = i * cols;
      for (let c = 0; c < cols; c++) {
        const w = D[off + c];
        y[c] = w * ai;
        const nw = w - eta * (ai * x[c] + mu * w);
        D[off + c] = nw;
        if (nw - nw !== 0) finite = false;
      }
      if (!decayRows(W, eta, mu, i)) finite = false;
    }
    // Hidden layers: the full rank-one update fused with a_{ℓ−1} = W_ℓᵀa_ℓ (old entries).
    for (let l = n - 1; l >= 2; l--) {
      const W = state[l - 1], D = W.data, rows = W.rows, cols = W.cols, al = a[l], x = b[l - 1], y = a[l - 1];
      y.fill(0);
      for (let r = 0; r < rows; r++) {
        const ar = al[r], off = r * cols;
        for (let c = 0; c < cols; c++) {
          const w = D[off + c];
          y[c] += w * ar;
          const nw = w - eta * (ar * x[c] + mu * w);
          D[off + c] = nw;
          if (nw - nw !== 0) finite = false;
        }
      }
    }
    // First layer: gradient a_1 e_jᵀ, only column j.
    if (!decayExceptColumn(state[0], eta, mu, j, -1, 0, a[1])) finite = false;
    return finite;
  }
}

/** y ← W x (the same order of sums as StochasticGradient's). */
function matVec(w: Matrix, x: Float64Array, y: Float64Array): void {
  const W = w.data, rows = w.rows, cols = w.cols;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const off = r * cols;
    for (let c = 0; c < cols; c++) s += W[off + c] * x[c];
    y[r] = s;
  }
}

/**
 * Whether v − η(μv) is finite for every finite v: with μ ≤ 1 and ημ ≤ ½, μv and η(μv) are no larger than |v| in
 * magnitude and of v's sign, so the difference is no larger than |v| either (no overflow); then the decay-only
 * entries need no check.
 */
function decayKeepsFinite(eta: number, mu: number): boolean {
  return mu >= 0 && mu <= 1 && eta >= 0 && eta <= 1 && eta * mu <= 0.5;
}

/** W ← W − η(μW) on every row but `skip` (rows with no data gradient); true when all written entries are finite. */
function decayRows(w: Matrix, eta: number, mu: number, skip: number): boolean {
  if (mu === 0) return true; // W − η(0·W) = W (finite W)
  const D = w.data, rows = w.rows, cols = w.cols;
  if (decayKeepsFinite(eta, mu)) {
    for (let r = 0; r < rows; r++) {
      if (r === skip) continue;
      const off = r * cols, end = off + cols;
      for (let k = off; k < end; k++) {
        const v = D[k];
        D[k] = v - eta * (mu * v);
      }
    }
    return true;
  }
  let finite = true;
  for (let r = 0; r < rows; r++) {
    if (r === skip) continue;
    const off = r * cols, end = off + cols;
    for (let k = off; k < end; k++) {
      const v = D[k];
      const nw = v - eta * (mu * v);
      D[k] = nw;
      if (nw - nw !== 0) finite = false;
    }
  }
  return finite;
}

/**
 * W ← W − η(G + μW) where G is zero but in column j: G_rj = g[r] (a vector) or, with g absent, G_ij = gi only.
 * True when all written entries are finite.
 */
function decayExceptColumn(w: Matrix, eta: number, mu: number, j: number, i: number, gi: number, g?: Float64Array): boolean {
  const D = w.data, rows = w.rows, cols = w.cols;
  const checked = !decayKeepsFinite(eta, mu);
  let finite = true;
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const wj = D[off + j];
    if (mu !== 0) {
      const end = off + cols;
      if (checked) {
        for (let k = off; k < end; k++) {
          const v = D[k];
          const nw = v - eta * (mu * v);
          D[k] = nw;
          if (nw - nw !== 0) finite = false;
        }
      } else {
        for (let k = off; k < end; k++) {
          const v = D[k];
          D[k] = v - eta * (mu * v);
        }
      }
    }
    const gr = g ? g[r] : r === i ? gi : 0;
    const nw = wj - eta * (gr + mu * wj);
    D[off + j] = nw;
    if (nw - nw !== 0) finite = false;
  }
  return finite;
}
