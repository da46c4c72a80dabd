import type { Verdict } from '../check/verdict.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';

/** Σ_j d_j: the size factor of round-off models (inner dimensions of products, entries of a state). */
export const widthSum = (widths: readonly number[]): number => widths.reduce((a, b) => a + b, 0);

/** max_j ‖X_j‖_F² over a state: the scale of the quadratic quantities C_j built from it. */
export function maxSquaredNorm(state: readonly Matrix[]): number {
  return state.reduce((m, x) => Math.max(m, frobeniusNorm(x) ** 2), 0);
}

/** ‖A − B‖_F over lists of matrices. */
export function listDistance(a: readonly Matrix[], b: readonly Matrix[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) for (let i = 0; i < a[j].data.length; i++) s += (a[j].data[i] - b[j].data[i]) ** 2;
  return Math.sqrt(s);
}

/** The verdict with a note on its bound appended to the error model of the check that produced it. */
export const withNote = (v: Verdict, note: string): Verdict => ({ ...v, errorModel: `${v.errorModel}; ${note}` });

/** Prefix the error model of a verdict with where its scale came from (and its detail with what was compared). */
export function explain(v: Verdict, model: string, detail?: string): Verdict {
  return { ...v, errorModel: `${model}; ${v.errorModel}`, detail: detail ? `${detail}: ${v.detail}` : v.detail };
}
