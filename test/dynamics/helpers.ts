// Instance builders shared by the dynamics tests.
import type { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { balancednessDefects } from '../../src/model/balancedness.js';
import type { Data } from '../../src/model/loss.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import type { Rng } from '../../src/random/rng.js';

export const EPS = Number.EPSILON;

/** Gaussian data X (d_0×m), Y (d_N×m) scaled by 1/√m so that XXᵀ and YXᵀ are O(1) in the 'half' scale. */
export function gaussianData(rng: Rng, d0: number, dN: number, m: number): Data {
  return { X: gaussianMatrix(rng, d0, m, 1 / Math.sqrt(m)), Y: gaussianMatrix(rng, dN, m, 1 / Math.sqrt(m)) };
}

/** Gaussian weights W_j ∈ R^{d_j×d_{j−1}} with entries N(0, scale²/d_{j−1}). */
export function gaussianWeights(rng: Rng, widths: readonly number[], scale = 1): Matrix[] {
  return widths.slice(1).map((d, j) => gaussianMatrix(rng, d, widths[j], scale / Math.sqrt(widths[j])));
}

/** max_j ‖C_j(a) − C_j(b)‖_F. */
export function defectDrift(a: readonly Matrix[], b: readonly Matrix[]): number {
  const ca = balancednessDefects(a),
    cb = balancednessDefects(b);
  let m = 0;
  for (let j = 0; j < ca.length; j++) {
    let s = 0;
    for (let i = 0; i < ca[j].data.length; i++) s += (ca[j].data[i] - cb[j].data[i]) ** 2;
    m = Math.max(m, Math.sqrt(s));
  }
  return m;
}

/** max_j ‖W_j‖_2² bound via Frobenius: the scale of C_j. */
export function weightScale(ws: readonly Matrix[]): number {
  let m = 0;
  for (const w of ws) {
    let s = 0;
    for (const x of w.data) s += x * x;
    m = Math.max(m, s);
  }
  return m;
}

export function distance(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return Math.sqrt(s);
}

export function product(ws: readonly Matrix[]): Matrix {
  let p = ws[0].clone();
  for (let j = 1; j < ws.length; j++) p = multiply(ws[j], p);
  return p;
}

/** Least-squares slope of log y against log x. */
export function logSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log),
    ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length,
    my = ly.reduce((a, b) => a + b) / ly.length;
  let num = 0,
    den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}
