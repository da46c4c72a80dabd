import { DomainError, ShapeError } from '../errors.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';
import { shapesFor, type Weights, widthsOf } from '../model/network.js';
import type { ModelMap } from './model-map.js';

/**
 * Concrete model maps (THEORY §6): the deep linear network f_θ = W_{N:1}X (or the product W_{N:1} itself), the
 * two-layer diagonal network f = X(u⊙u − v⊙v) of WGL, and the Hadamard reparametrization f = A u^{⊙L} of CMV.
 * Outputs are flattened row-major; parameters are the layers flattened row-major one after the other.
 */

/** θ = [vec W_1, …, vec W_N] (row-major, W_1 first). */
export function packWeights(weights: Weights): Float64Array {
  widthsOf(weights);
  const theta = new Float64Array(weights.reduce((n, w) => n + w.data.length, 0));
  let o = 0;
  for (const w of weights) {
    theta.set(w.data, o);
    o += w.data.length;
  }
  return theta;
}

/** The inverse of packWeights for the given widths [d_0, …, d_N] (copies). */
export function unpackWeights(theta: Float64Array, widths: readonly number[]): Matrix[] {
  const shapes = shapesFor(widths);
  const total = shapes.reduce((n, [r, c]) => n + r * c, 0);
  if (theta.length !== total)
    throw new ShapeError('theta', `length ${total} (widths ${widths.join('·')})`, `length ${theta.length}`);
  let o = 0;
  return shapes.map(([r, c]) => {
    const m = new Matrix(r, c, theta.slice(o, o + r * c));
    o += r * c;
    return m;
  });
}

export interface DlnModelMap extends ModelMap {
  readonly widths: readonly number[];
  /** The data X (d_0×m), or undefined for f_θ = W_{N:1}. */
  readonly X: Matrix | undefined;
  /** Output shape [d_N, m] (m = d_0 without data). */
  readonly outputShape: readonly [number, number];
}

/**
 * C ← op(A)·op(B) (+ C when accumulate) on raw row-major storage with offsets: A is ar×ac at a[ao…], B is br×bc at
 * b[bo…], C is written at c[co…]. For the small layers of the model maps; allocates nothing.
 */
function gemm(
  c: Float64Array,
  co: number,
  a: Float64Array,
  ao: number,
  ar: number,
  ac: number,
  ta: boolean,
  b: Float64Array,
  bo: number,
  br: number,
  bc: number,
  tb: boolean,
  accumulate = false,
): void {
  const m = ta ? ac : ar,
    k = ta ? ar : ac,
    n = tb ? br : bc;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = accumulate ? c[co + i * n + j] : 0;
      for (let p = 0; p < k; p++)
        s += (ta ? a[ao + p * ac + i] : a[ao + i * ac + p]) * (tb ? b[bo + j * bc + p] : b[bo + p * bc + j]);
      c[co + i * n + j] = s;
    }
  }
}

/**
 * The DLN model map f_θ = W_{N:1}X ∈ R^{d_N×m} (X given) or f_θ = W_{N:1} ∈ R^{d_N×d_0} (X omitted).
 *   evaluate: prefix products P_1 = W_1, P_j = W_jP_{j−1}; f = P_N X.
 *   jvp (forward mode): F = W_1, D = V_1; D ← W_jD + V_jF, F ← W_jF for j = 2..N; J_θV = D X.
 *   vjp (backward):     T_N = G Xᵀ, T_{j−1} = W_jᵀT_j; (J_θ*G)_j = T_j P_{j−1}ᵀ = W_{N:j+1}ᵀ G Xᵀ W_{j−1:1}ᵀ.
 * For a balanced θ and X = I the kernel is the end-to-end metric operator A_W (THEORY §2 flow.end-to-end).
 * Work buffers live in the closure (a map is not re-entrant); every call returns a fresh array.
 */
export function dlnModelMap(widths: readonly number[], X?: Matrix): DlnModelMap {
  const shapes = shapesFor(widths);
  const n = shapes.length,
    d0 = widths[0],
    dN = widths[n];
  if (X !== undefined) {
    if (!(X instanceof Matrix) || X.rows !== d0)
      throw new ShapeError('X', `${d0}×m (d_0 rows)`, X instanceof Matrix ? X.shape : typeof X);
    assertFinite(X, 'X');
  }
  const m = X ? X.cols : d0;
  const offsets: number[] = [];
  let P = 0;
  for (const [r, c] of shapes) {
    offsets.push(P);
    P += r * c;
  }
  const maxD = Math.max(...widths);
  /** prefix[j] = W_{j:1} (d_j×d_0), j = 1..N. */
  const prefix = widths.map((d) => new Float64Array(d * d0));
  const bufA = new Float64Array(maxD * d0),
    bufB = new Float64Array(maxD * d0),
    bufC = new Float64Array(maxD * d0);
  const check = (v: Float64Array, argument: string): void => {
    if (v.length !== P) throw new ShapeError(argument, `length ${P}`, `length ${v.length}`);
  };
  const prefixes = (theta: Float64Array): Float64Array => {
    prefix[1].set(theta.subarray(0, widths[1] * d0));
    for (let j = 2; j <= n; j++)
      gemm(
        prefix[j],
        0,
        theta,
        offsets[j - 1],
        widths[j],
        widths[j - 1],
        false,
        prefix[j - 1],
        0,
        widths[j - 1],
        d0,
        false,
      );
    return prefix[n];
  };
  /** The d_N×d_0 matrix E (at e[0…]) times X, as a fresh array. */
  const withData = (e: Float64Array): Float64Array => {
    if (!X) return e.slice(0, dN * d0);
    const out = new Float64Array(dN * m);
    gemm(out, 0, e, 0, dN, d0, false, X.data, 0, d0, m, false);
    return out;
  };
  return {
    name: X
      ? `DLN f = W_{${n}:1}X (widths ${widths.join('·')}, m = ${m})`
      : `DLN f = W_{${n}:1} (widths ${widths.join('·')})`,
    parameterDim: P,
    outputDim: dN * m,
    widths: [...widths],
    X,
    outputShape: [dN, m],
    evaluate(theta) {
      check(theta, 'theta');
      return withData(prefixes(theta));
    },
    jvp(theta, v) {
      check(theta, 'theta');
      check(v, 'v');
      let F = bufA,
        D = bufB,
        spare = bufC;
      F.set(theta.subarray(0, widths[1] * d0));
      D.set(v.subarray(0, widths[1] * d0));
      for (let j = 2; j <= n; j++) {
        const r = widths[j],
          c = widths[j - 1];
        gemm(spare, 0, theta, offsets[j - 1], r, c, false, D, 0, c, d0, false);
        gemm(spare, 0, v, offsets[j - 1], r, c, false, F, 0, c, d0, false, true);
        [D, spare] = [spare, D];
        gemm(spare, 0, theta, offsets[j - 1], r, c, false, F, 0, c, d0, false);
        [F, spare] = [spare, F];
      }
      return withData(D);
    },
    vjp(theta, g) {
      check(theta, 'theta');
      if (g.length !== dN * m) throw new ShapeError('w', `length ${dN * m}`, `length ${g.length}`);
      prefixes(theta);
      let T = bufA,
        spare = bufB;
      if (X) gemm(T, 0, g, 0, dN, m, false, X.data, 0, d0, m, true);
      else T.set(g);
      const out = new Float64Array(P);
      for (let j = n; j >= 1; j--) {
        const r = widths[j],
          c = widths[j - 1];
        if (j === 1) out.set(T.subarray(0, r * d0), 0);
        else {
          gemm(out, offsets[j - 1], T, 0, r, d0, false, prefix[j - 1], 0, c, d0, true);
          gemm(spare, 0, theta, offsets[j - 1], r, c, true, T, 0, r, d0, false);
          [T, spare] = [spare, T];
        }
      }
      return out;
    },
  };
}

function assertDataMatrix(a: Matrix, argument: string): Matrix {
  if (!(a instanceof Matrix) || a.rows < 1 || a.cols < 1)
    throw new ShapeError(argument, 'a non-empty Matrix', a instanceof Matrix ? a.shape : typeof a);
  return assertFinite(a, argument);
}

/** X v (rows of X are samples). */
function matVec(a: Matrix, v: Float64Array): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k] * v[k];
    out[i] = s;
  }
  return out;
}

/** Xᵀ w. */
function matTVec(a: Matrix, w: Float64Array): Float64Array {
  const out = new Float64Array(a.cols);
  for (let i = 0; i < a.rows; i++) {
    const wi = w[i];
    for (let k = 0; k < a.cols; k++) out[k] += a.data[i * a.cols + k] * wi;
  }
  return out;
}

/**
 * WGL's diagonal network f_θ = Xβ, β = u⊙u − v⊙v, θ = [u, v] ∈ R^{2d} (X: n samples × d features).
 * J_θ[du, dv] = X(2u⊙du − 2v⊙dv), J_θ*w = [2u⊙Xᵀw, −2v⊙Xᵀw]; K_θ = X diag(4(u⊙u + v⊙v)) Xᵀ.
 */
export function diagonalModelMap(X: Matrix): ModelMap {
  assertDataMatrix(X, 'X');
  const d = X.cols;
  const check = (theta: Float64Array, argument: string): void => {
    if (theta.length !== 2 * d) throw new ShapeError(argument, `length ${2 * d} ([u, v])`, `length ${theta.length}`);
  };
  return {
    name: `diagonal network f = X(u⊙u − v⊙v) (X ${X.shape})`,
    parameterDim: 2 * d,
    outputDim: X.rows,
    evaluate(theta) {
      check(theta, 'theta');
      const beta = new Float64Array(d);
      for (let i = 0; i < d; i++) beta[i] = theta[i] * theta[i] - theta[d + i] * theta[d + i];
      return matVec(X, beta);
    },
    jvp(theta, v) {
      check(theta, 'theta');
      check(v, 'v');
      const dbeta = new Float64Array(d);
      for (let i = 0; i < d; i++) dbeta[i] = 2 * theta[i] * v[i] - 2 * theta[d + i] * v[d + i];
      return matVec(X, dbeta);
    },
    vjp(theta, w) {
      check(theta, 'theta');
      if (w.length !== X.rows) throw new ShapeError('w', `length ${X.rows}`, `length ${w.length}`);
      const s = matTVec(X, w),
        out = new Float64Array(2 * d);
      for (let i = 0; i < d; i++) {
        out[i] = 2 * theta[i] * s[i];
        out[d + i] = -2 * theta[d + i] * s[i];
      }
      return out;
    },
  };
}

/**
 * CMV's Hadamard reparametrization f_θ = A u^{⊙L}, θ = u ∈ R^n (A: m×n). J_θdu = A(L u^{⊙(L−1)} ⊙ du),
 * J_θ*w = L u^{⊙(L−1)} ⊙ Aᵀw; K_θ = A diag(L² u^{⊙(2L−2)}) Aᵀ.
 */
export function hadamardModelMap(A: Matrix, L: number): ModelMap {
  assertDataMatrix(A, 'A');
  if (!Number.isInteger(L) || L < 1) throw new DomainError('L', `must be an integer ≥ 1, received ${L}`);
  const n = A.cols;
  const check = (theta: Float64Array, argument: string): void => {
    if (theta.length !== n) throw new ShapeError(argument, `length ${n}`, `length ${theta.length}`);
  };
  const derivative = (u: Float64Array): Float64Array => u.map((x) => L * x ** (L - 1));
  return {
    name: `Hadamard reparametrization f = A u^{⊙${L}} (A ${A.shape})`,
    parameterDim: n,
    outputDim: A.rows,
    evaluate(theta) {
      check(theta, 'theta');
      return matVec(
        A,
        theta.map((x) => x ** L),
      );
    },
    jvp(theta, v) {
      check(theta, 'theta');
      check(v, 'v');
      const dx = derivative(theta);
      for (let i = 0; i < n; i++) dx[i] *= v[i];
      return matVec(A, dx);
    },
    vjp(theta, w) {
      check(theta, 'theta');
      if (w.length !== A.rows) throw new ShapeError('w', `length ${A.rows}`, `length ${w.length}`);
      const s = matTVec(A, w),
        dx = derivative(theta);
      for (let i = 0; i < n; i++) s[i] *= dx[i];
      return s;
    },
  };
}
