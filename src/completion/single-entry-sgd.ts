import type { Matrix } from '../linalg/matrix.js';
import { Workspace } from '../linalg/workspace.js';
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
 * entry (0·∞), so the caller must run this only on a state known to be finite: `update` reports whether the state
 * it wrote is finite (false = some entry may not be; then use the general path). Allocates nothing.
 *
 * The instance owns a state in a Workspace (`state`, in WebAssembly memory when available): given that very array,
 * the passes over whole rows run in the workspace's f64x2 kernels (src/wasm/sgd.ts) without copies, bitwise the
 * same as the JavaScript passes (src/linalg/kernels/sgd-js.ts), which any other state array gets.
 */
export class SingleEntrySgd {
  /** The state in WebAssembly memory whose steps run in its kernels (undefined without WebAssembly). */
  readonly state: readonly Matrix[] | undefined;
  private readonly workspace: Workspace;
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
    const sizes = [...widths.slice(1).map((d, l) => d * widths[l]), ...widths, ...widths];
    const workspace = new Workspace({ values: sizes.reduce((s, n) => s + n, 0) });
    this.workspace = workspace;
    const state = widths.slice(1).map((d, l) => workspace.matrix(d, widths[l]));
    // Without WebAssembly the workspace's state would save nothing over the caller's own.
    this.state = workspace.kernel === 'webassembly' ? state : undefined;
    this.b = widths.map((d) => workspace.vector(d));
    this.a = widths.map((d) => workspace.vector(d));
    const { row, col, size } = cost.observed;
    this.rowOf = Int32Array.from(row);
    this.colOf = Int32Array.from(col);
    const t = cost.target;
    this.values = new Float64Array(size);
    for (let k = 0; k < size; k++) this.values[k] = t.data[row[k] * t.cols + col[k]];
  }

  /** Forward pass for sample s at the state; returns c_s = (A_ij − A*_ij)². The state is not modified. */
  forward(state: readonly Matrix[], s: number): number {
    const n = this.depth,
      b = this.b,
      passes = this.workspace;
    const i = this.rowOf[s],
      j = this.colOf[s];
    this.i = i;
    this.j = j;
    // b_1 = W_1 e_j: column j of W_1.
    const W1 = state[0],
      D1 = W1.data,
      c1 = W1.cols,
      b1 = b[1];
    for (let r = 0; r < W1.rows; r++) b1[r] = D1[r * c1 + j];
    for (let l = 2; l < n; l++) passes.matVec(state[l - 1].data, b[l - 1], b[l]);
    let o: number;
    if (n === 1) o = b1[i];
    else {
      const W = state[n - 1],
        D = W.data,
        cols = W.cols,
        x = b[n - 1],
        off = i * cols;
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
    const n = this.depth,
      b = this.b,
      a = this.a,
      i = this.i,
      j = this.j,
      passes = this.workspace;
    const ai = 2 * this.residual;
    // b_1 is the old column j of W_1 (the first layer is updated last).
    if (n === 1) return updateFirst(passes, state[0], eta, mu, j, b[1], i, ai);
    let finite = true;
    // Last layer: gradient (2r e_i) b_{L−1}ᵀ, only row i; a_{L−1} = 2r·(old row i of W_L). The other rows decay.
    {
      const W = state[n - 1],
        D = W.data,
        cols = W.cols,
        x = b[n - 1],
        y = a[n - 1],
        off = i * cols;
      for (let c = 0; c < cols; c++) {
        const w = D[off + c];
        y[c] = w * ai;
        const nw = w - eta * (ai * x[c] + mu * w);
        D[off + c] = nw;
        if (nw - nw !== 0) finite = false;
      }
      if (mu !== 0) {
        // W − η(0·W) = W (finite W): skipped.
        const above = passes.decay(eta, mu, D, 0, off),
          below = passes.decay(eta, mu, D, off + cols, D.length);
        if (!(above && below)) finite = false;
      }
    }
    // Hidden layers: the full rank-one update fused with a_{ℓ−1} = W_ℓᵀa_ℓ (old entries).
    for (let l = n - 1; l >= 2; l--) {
      a[l - 1].fill(0);
      if (!passes.fused(eta, mu, state[l - 1].data, a[l], b[l - 1], a[l - 1])) finite = false;
    }
    // First layer: gradient a_1 e_jᵀ, only column j.
    if (!updateFirst(passes, state[0], eta, mu, j, b[1], -1, 0, a[1])) finite = false;
    return finite;
  }
}

/**
 * W ← W − η(G + μW) where G is zero but in column j: G_rj = g[r] (a vector) or, with g absent, G_ij = gi only;
 * `old` holds the old column j. True when all written entries are finite.
 */
function updateFirst(
  passes: Workspace,
  w: Matrix,
  eta: number,
  mu: number,
  j: number,
  old: Float64Array,
  i: number,
  gi: number,
  g?: Float64Array,
): boolean {
  const D = w.data,
    rows = w.rows,
    cols = w.cols;
  // W − η(0·W) = W (finite W): only column j changes.
  let finite = mu === 0 || passes.decay(eta, mu, D, 0, D.length);
  for (let r = 0; r < rows; r++) {
    const wj = old[r];
    const gr = g ? g[r] : r === i ? gi : 0;
    const nw = wj - eta * (gr + mu * wj);
    D[r * cols + j] = nw;
    if (nw - nw !== 0) finite = false;
  }
  return finite;
}
