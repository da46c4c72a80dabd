// Instance builders and error-model helpers shared by the geometry tests.

import { frobeniusNorm } from '../../src/linalg/frobenius.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { randomOrthonormal } from '../../src/random/orthonormal.js';
import type { Rng } from '../../src/random/rng.js';

export const EPS = Number.EPSILON;

/** U diag(spectrum) Vᵀ with random orthonormal U (rows×k), V (cols×k): exactly the given singular values. */
export function withSpectrum(rng: Rng, rows: number, cols: number, spectrum: readonly number[]): Matrix {
  const k = spectrum.length;
  const u = randomOrthonormal(rng, rows, k),
    v = randomOrthonormal(rng, cols, k);
  for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) u.data[i * k + c] *= spectrum[c];
  return multiply(u, v, 'n', 't');
}

/** k singular values log-spaced from `top` down to top/cond (numerically reasonable, THEORY §7). */
export function spectrum(k: number, cond: number, top = 1): number[] {
  return Array.from({ length: k }, (_, i) => top * (k === 1 ? 1 : Math.pow(cond, -i / (k - 1))));
}

export function distance(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return Math.sqrt(s);
}

export { frobeniusNorm };
