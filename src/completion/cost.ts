import { DomainError, ShapeError } from '../errors.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import type { LossScale } from '../model/loss.js';
import type { ObservedSet } from './mask.js';

/**
 * A cost C(A) of the end-to-end matrix A = W_L ⋯ W_1 only (a "product-only" cost), written as a mean of S sample
 * terms so SGD can sample them: C(A) = (1/S) Σ_s c_s(A). Each term's gradient is rank one, ∇c_s(A) = u_s x_sᵀ with
 * x_s the sample's input and u_s its output residual — what lets a single-sample SGD step cost O(Σ_ℓ d_ℓ d_{ℓ−1})
 * instead of a product of matrices. Sampling s uniformly makes ∇c_s an unbiased estimate of ∇C.
 */
export interface ProductCost {
  readonly kind: 'completion' | 'regression';
  /** d_L × d_0, the shape of A. */
  readonly outputs: number;
  readonly inputs: number;
  /** S, the number of sample terms. */
  readonly samples: number;
  /** The formula, with its scale, for reports. */
  readonly formula: string;
  value(a: Matrix): number;
  /** out ← ∇C(A) (d_L×d_0, preallocated); returns C(A). Allocates nothing. */
  gradientInto(a: Matrix, out: Matrix): number;
  /** x ← x_s (length d_0). */
  inputInto(s: number, x: Float64Array): void;
  /** u ← u_s given o = A x_s (length d_L), so that ∇c_s(A) = u_s x_sᵀ; returns c_s(A). Allocates nothing. */
  residualInto(s: number, o: Float64Array, u: Float64Array): number;
}

/**
 * Wang–Jacot's matrix completion cost (THEORY §4): C(A) = (1/|I|) Σ_{(i,j)∈I} (A_ij − A*_ij)² — a mean over observed
 * entries, no ½. Sample s = the s-th observed entry (i, j): x_s = e_j, c_s = (A_ij − A*_ij)², u_s = 2(A_ij − A*_ij)e_i.
 * The target's unobserved entries never enter the cost; they are kept for reporting recovery (recoveryError).
 */
export class CompletionCost implements ProductCost {
  readonly kind = 'completion' as const;
  readonly outputs: number;
  readonly inputs: number;
  readonly samples: number;
  readonly formula = 'C(A) = (1/|I|) Σ_{(i,j)∈I} (A_ij − A*_ij)²  (Wang–Jacot: mean over observed entries, no ½)';
  /** A*_{ij} for the k-th observed entry. */
  private readonly values: Float64Array;

  constructor(
    readonly target: Matrix,
    readonly observed: ObservedSet,
  ) {
    if (!(target instanceof Matrix)) throw new ShapeError('target', 'a Matrix', typeof target);
    assertFinite(target, 'target');
    if (observed.rows !== target.rows || observed.cols !== target.cols) {
      throw new ShapeError(
        'mask',
        `an index set of a ${target.shape} matrix (the target's shape)`,
        `${observed.rows}×${observed.cols}`,
      );
    }
    this.outputs = target.rows;
    this.inputs = target.cols;
    this.samples = observed.size;
    this.values = Float64Array.from(observed.row, (i, k) => target.data[i * target.cols + observed.col[k]]);
  }

  value(a: Matrix): number {
    const { row, col, size } = this.observed;
    const n = this.inputs,
      A = a.data,
      v = this.values;
    let s = 0;
    for (let k = 0; k < size; k++) {
      const r = A[row[k] * n + col[k]] - v[k];
      s += r * r;
    }
    return s / size;
  }

  gradientInto(a: Matrix, out: Matrix): number {
    const { row, col, size } = this.observed;
    const n = this.inputs,
      A = a.data,
      v = this.values,
      G = out.data;
    G.fill(0);
    let s = 0;
    const c = 2 / size;
    for (let k = 0; k < size; k++) {
      const at = row[k] * n + col[k];
      const r = A[at] - v[k];
      s += r * r;
      G[at] = c * r;
    }
    return s / size;
  }

  inputInto(s: number, x: Float64Array): void {
    x.fill(0);
    x[this.observed.col[s]] = 1;
  }

  residualInto(s: number, o: Float64Array, u: Float64Array): number {
    const i = this.observed.row[s];
    const r = o[i] - this.values[s];
    u.fill(0);
    u[i] = 2 * r;
    return r * r;
  }

  /** ‖A − A*‖_F/‖A*‖_F over all entries, observed or not (what completion is for). */
  recoveryError(a: Matrix): number {
    let num = 0,
      den = 0;
    for (let i = 0; i < a.data.length; i++) {
      const d = a.data[i] - this.target.data[i];
      num += d * d;
      den += this.target.data[i] * this.target.data[i];
    }
    return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
  }
}

/**
 * Regression L¹(A) = (κ/2)‖AX − Y‖²_F on data X ∈ R^{d_0×m}, Y ∈ R^{d_L×m} in THEORY §0's scales ('half' κ = 1,
 * 'sum' κ = 2, 'mean' κ = 1/m), written as a mean over the m columns: c_n = (mκ/2)‖Ax_n − y_n‖², u_n = mκ(Ax_n − y_n).
 */
export class RegressionCost implements ProductCost {
  readonly kind = 'regression' as const;
  readonly outputs: number;
  readonly inputs: number;
  readonly samples: number;
  readonly formula: string;
  private readonly kappa: number;
  private readonly sxx: Matrix;
  private readonly syx: Matrix;

  constructor(
    readonly X: Matrix,
    readonly Y: Matrix,
    readonly scale: LossScale = 'half',
  ) {
    if (!(X instanceof Matrix)) throw new ShapeError('data.X', 'a Matrix', typeof X);
    if (!(Y instanceof Matrix)) throw new ShapeError('data.Y', 'a Matrix', typeof Y);
    if (X.cols < 1) throw new ShapeError('data.X', 'd_0×m with m ≥ 1 samples', X.shape);
    if (Y.cols !== X.cols) throw new ShapeError('data.Y', `d_L×${X.cols} (one column per sample of X)`, Y.shape);
    assertFinite(X, 'data.X');
    assertFinite(Y, 'data.Y');
    const m = X.cols;
    this.kappa = scale === 'half' ? 1 : scale === 'sum' ? 2 : scale === 'mean' ? 1 / m : NaN;
    if (Number.isNaN(this.kappa))
      throw new DomainError('scale', `expected 'half' | 'sum' | 'mean', received ${JSON.stringify(scale)}`);
    this.outputs = Y.rows;
    this.inputs = X.rows;
    this.samples = m;
    this.formula = `L¹(A) = (κ/2)‖AX − Y‖²_F, scale '${scale}' (κ = ${scale === 'mean' ? '1/m' : this.kappa})`;
    // κXXᵀ and κYXᵀ: the full gradient is A·κXXᵀ − κYXᵀ, independent of m.
    this.sxx = multiply(X, X, 'n', 't');
    this.syx = multiply(Y, X, 'n', 't');
    for (const s of [this.sxx, this.syx]) for (let i = 0; i < s.data.length; i++) s.data[i] *= this.kappa;
  }

  value(a: Matrix): number {
    const m = this.samples,
      d0 = this.inputs,
      dL = this.outputs,
      X = this.X.data,
      Y = this.Y.data,
      A = a.data;
    let s = 0;
    for (let n = 0; n < m; n++) {
      for (let i = 0; i < dL; i++) {
        let o = 0;
        for (let p = 0; p < d0; p++) o += A[i * d0 + p] * X[p * m + n];
        const r = o - Y[i * m + n];
        s += r * r;
      }
    }
    return 0.5 * this.kappa * s;
  }

  gradientInto(a: Matrix, out: Matrix): number {
    const d0 = this.inputs,
      dL = this.outputs,
      A = a.data,
      S = this.sxx.data,
      T = this.syx.data,
      G = out.data;
    for (let i = 0; i < dL; i++) {
      for (let j = 0; j < d0; j++) {
        let s = 0;
        for (let p = 0; p < d0; p++) s += A[i * d0 + p] * S[p * d0 + j];
        G[i * d0 + j] = s - T[i * d0 + j];
      }
    }
    return this.value(a);
  }

  inputInto(s: number, x: Float64Array): void {
    const m = this.samples,
      X = this.X.data;
    for (let p = 0; p < this.inputs; p++) x[p] = X[p * m + s];
  }

  residualInto(s: number, o: Float64Array, u: Float64Array): number {
    const m = this.samples,
      Y = this.Y.data,
      c = m * this.kappa;
    let q = 0;
    for (let i = 0; i < this.outputs; i++) {
      const r = o[i] - Y[i * m + s];
      q += r * r;
      u[i] = c * r;
    }
    return 0.5 * c * q;
  }
}
