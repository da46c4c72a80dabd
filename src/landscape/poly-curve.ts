import { Matrix } from '../linalg/matrix.js';
import { multiplyInto } from '../linalg/products.js';
import { type Data, type LossScale, scaleFactor } from '../model/loss.js';
import type { Weights } from '../model/network.js';
import { absMatrix, gamma } from './tolerances.js';

/**
 * Truncated matrix power series along polynomial curves W_j(t) = Σ_p t^p C_{j,p}: the loss (a polynomial in t)
 * and the layer gradients, coefficient by coefficient. Every coefficient carries a magnitude — the same
 * computation on absolute values — so that γ·magnitude bounds its rounding error and a coefficient is called
 * non-zero only above that bound (THEORY §7: never compare with 0 at atol = 0).
 */
export interface Series {
  /** val[q], mag[q]: the t^q coefficient and its magnitude (same shape). */
  readonly val: Matrix[];
  readonly mag: Matrix[];
}

export function constantSeries(m: Matrix): Series {
  return { val: [m], mag: [absMatrix(m)] };
}

export function polynomialSeries(coefficients: readonly Matrix[]): Series {
  return { val: coefficients.map((c) => c), mag: coefficients.map(absMatrix) };
}

export function seriesProduct(a: Series, b: Series, maxDegree: number): Series {
  const rows = a.val[0].rows,
    cols = b.val[0].cols;
  const degree = Math.min(maxDegree, a.val.length - 1 + b.val.length - 1);
  const val: Matrix[] = [],
    mag: Matrix[] = [];
  for (let q = 0; q <= degree; q++) {
    const v = new Matrix(rows, cols),
      m = new Matrix(rows, cols);
    let first = true;
    for (let p = Math.max(0, q - (b.val.length - 1)); p <= Math.min(q, a.val.length - 1); p++) {
      multiplyInto(v, a.val[p], b.val[q - p], 'n', 'n', !first);
      multiplyInto(m, a.mag[p], b.mag[q - p], 'n', 'n', !first);
      first = false;
    }
    val.push(v);
    mag.push(m);
  }
  return { val, mag };
}

export interface ScalarSeries {
  readonly coef: Float64Array;
  /** γ·(magnitude): the rounding-error bound of each coefficient. */
  readonly error: Float64Array;
}

/** The layers of W + tA + t²B + … as series (directions[0] = A, directions[1] = B, …). */
export function curveSeries(weights: Weights, directions: readonly (readonly Matrix[])[]): Series[] {
  return weights.map((w, j) => polynomialSeries([w, ...directions.map((d) => d[j])]));
}

function productSeries(
  layers: readonly Series[],
  from: number,
  to: number,
  maxDegree: number,
  identity: number,
): Series {
  // Layers from..to (1-based, from ≤ to), left factor is the higher layer; identity when empty.
  if (from > to) return constantSeries(Matrix.identity(identity));
  let acc = layers[from - 1];
  for (let l = from + 1; l <= to; l++) acc = seriesProduct(layers[l - 1], acc, maxDegree);
  return acc;
}

/** Coefficients of L(W(t)) − nothing subtracted: ℓ_q with L(W(t)) = Σ_q ℓ_q t^q (degree ≤ maxDegree). */
export function lossSeries(
  layers: readonly Series[],
  data: Data,
  scale: LossScale,
  maxDegree: number,
  weightsForGamma: Weights,
): ScalarSeries {
  const kappa = scaleFactor(scale, data.X.cols);
  const n = layers.length;
  const P = productSeries(layers, 1, n, maxDegree, 0);
  const X = constantSeries(data.X);
  const E = seriesProduct(P, X, maxDegree);
  const ay = absMatrix(data.Y);
  for (let i = 0; i < E.val[0].data.length; i++) {
    E.val[0].data[i] -= data.Y.data[i];
    E.mag[0].data[i] += ay.data[i];
  }
  const D = Math.min(maxDegree, 2 * (E.val.length - 1));
  const coef = new Float64Array(D + 1),
    mag = new Float64Array(D + 1);
  for (let a = 0; a < E.val.length; a++) {
    for (let b = 0; b < E.val.length && a + b <= D; b++) {
      const ea = E.val[a].data,
        eb = E.val[b].data,
        ma = E.mag[a].data,
        mb = E.mag[b].data;
      let s = 0,
        m = 0;
      for (let i = 0; i < ea.length; i++) {
        s += ea[i] * eb[i];
        m += ma[i] * mb[i];
      }
      coef[a + b] += 0.5 * kappa * s;
      mag[a + b] += 0.5 * kappa * m;
    }
  }
  const g = gamma(weightsForGamma, data) * (2 + maxDegree);
  return { coef, error: mag.map((m) => g * m) };
}

/**
 * The t^degree coefficient of every layer gradient along the curve:
 * ∇_j L(W(t)) = κ W_{N:j+1}(t)ᵀ (W(t)X − Y) Xᵀ W_{j−1:1}(t)ᵀ, with its rounding-error bound (Frobenius).
 */
export function gradientCoefficient(
  layers: readonly Series[],
  data: Data,
  scale: LossScale,
  degree: number,
  weightsForGamma: Weights,
): { value: Matrix[]; error: number } {
  const kappa = scaleFactor(scale, data.X.cols);
  const n = layers.length;
  const P = productSeries(layers, 1, n, degree, 0);
  const E = seriesProduct(P, constantSeries(data.X), degree);
  const ay = absMatrix(data.Y);
  for (let i = 0; i < E.val[0].data.length; i++) {
    E.val[0].data[i] -= data.Y.data[i];
    E.mag[0].data[i] += ay.data[i];
  }
  const xt = { val: [transposeOf(data.X)], mag: [transposeOf(absMatrix(data.X))] };
  const EX = seriesProduct(E, xt, degree);
  const value: Matrix[] = [];
  let errSq = 0;
  const g = gamma(weightsForGamma, data) * (2 + degree);
  for (let j = 1; j <= n; j++) {
    const top = transposeSeries(productSeries(layers, j + 1, n, degree, layers[n - 1].val[0].rows));
    const bottom = transposeSeries(productSeries(layers, 1, j - 1, degree, layers[0].val[0].cols));
    const full = seriesProduct(seriesProduct(top, EX, degree), bottom, degree);
    const rows = layers[j - 1].val[0].rows,
      cols = layers[j - 1].val[0].cols;
    const v = full.val[degree] ?? new Matrix(rows, cols);
    const m = full.mag[degree] ?? new Matrix(rows, cols);
    for (let i = 0; i < v.data.length; i++) {
      v.data[i] *= kappa;
      errSq += (g * kappa * m.data[i]) ** 2;
    }
    value.push(v);
  }
  return { value, error: Math.sqrt(errSq) };
}

function transposeOf(m: Matrix): Matrix {
  const out = new Matrix(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

function transposeSeries(s: Series): Series {
  return { val: s.val.map(transposeOf), mag: s.mag.map(transposeOf) };
}
