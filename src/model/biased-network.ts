import { Matrix } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { balancednessDefects } from './balancedness.js';
import { type Data, validateData } from './loss.js';
import { shapesFor } from './network.js';

/**
 * A deep linear network with biases, h_0 = x, h_j = W_jh_{j−1} + b_j (b_j ∈ R^{d_j}), and its loss
 * L = ½‖H_N − Y‖_F² with H_0 = X, H_j = W_jH_{j−1} + b_j1ᵀ. Parameters as one state [W_1..W_N, b_1..b_N] (b_j a
 * d_j×1 matrix). Backpropagation: D_N = H_N − Y, D_{j−1} = W_jᵀD_j; ∇_{W_j}L = D_jH_{j−1}ᵀ, ∇_{b_j}L = D_j1 (row
 * sums). Buffers are allocated once: not re-entrant.
 * Derivation of the invariant [D]: d/dt(W_jW_jᵀ + b_jb_jᵀ) = −(D_j(W_jH_{j−1} + b_j1ᵀ)ᵀ + sym) = −(D_jH_jᵀ + sym)
 * and d/dt W_{j+1}ᵀW_{j+1} = −(W_{j+1}ᵀD_{j+1}H_jᵀ + sym) = −(D_jH_jᵀ + sym), so
 * W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ (biasedDefects) is conserved by gradient flow (b_N does not enter).
 */
export class BiasedNetwork {
  /** Shapes of the state [W_1..W_N, b_1..b_N]. */
  readonly shapes: readonly (readonly [number, number])[];
  readonly depth: number;
  private readonly H: Matrix[];
  private readonly D: Matrix[];

  constructor(
    readonly widths: readonly number[],
    readonly data: Data,
  ) {
    const n = widths.length - 1;
    validateData(data, widths[0], widths[n]);
    this.depth = n;
    const w = shapesFor(widths);
    const b = widths.slice(1).map((d) => [d, 1] as const);
    this.shapes = [...w, ...b];
    const m = data.X.cols;
    this.H = widths.map((d) => new Matrix(d, m));
    this.D = widths.map((d) => new Matrix(d, m));
  }

  /** L = ½‖H_N − Y‖_F². */
  loss(state: readonly Matrix[]): number {
    this.forward(state);
    const h = this.H[this.depth].data,
      y = this.data.Y.data;
    let s = 0;
    for (let i = 0; i < h.length; i++) s += (h[i] - y[i]) ** 2;
    return 0.5 * s;
  }

  private forward(state: readonly Matrix[]): void {
    const n = this.depth,
      m = this.data.X.cols;
    this.H[0].data.set(this.data.X.data);
    for (let j = 1; j <= n; j++) {
      const out = multiplyInto(this.H[j], state[j - 1], this.H[j - 1]);
      const b = state[n + j - 1].data;
      for (let r = 0; r < out.rows; r++) for (let c = 0; c < m; c++) out.data[r * m + c] += b[r];
    }
  }

  gradientInto(state: readonly Matrix[], out: readonly Matrix[]): void {
    const n = this.depth,
      m = this.data.X.cols;
    this.forward(state);
    const dn = this.D[n].data,
      h = this.H[n].data,
      y = this.data.Y.data;
    for (let i = 0; i < dn.length; i++) dn[i] = h[i] - y[i];
    for (let j = n; j >= 1; j--) {
      multiplyInto(out[j - 1], this.D[j], this.H[j - 1], 'n', 't');
      const g = out[n + j - 1].data,
        d = this.D[j].data;
      for (let r = 0; r < g.length; r++) {
        let s = 0;
        for (let c = 0; c < m; c++) s += d[r * m + c];
        g[r] = s;
      }
      if (j > 1) multiplyInto(this.D[j - 1], state[j - 1], this.D[j], 't', 'n');
    }
  }
}

/** C^b_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ − b_jb_jᵀ for the state [W_1..W_N, b_1..b_N]. */
export function biasedDefects(state: readonly Matrix[]): Matrix[] {
  const n = state.length / 2;
  const c = balancednessDefects(state.slice(0, n));
  return c.map((cj, j) => {
    const bbt = multiply(state[n + j], state[n + j], 'n', 't');
    for (let i = 0; i < cj.data.length; i++) cj.data[i] -= bbt.data[i];
    return cj;
  });
}
