/**
 * Shared pieces of the proofs: random non-square instances, bindings of the symbolic DLN symbols to numeric
 * weights, and small formatting helpers.
 */
import type { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import type { Data } from '../src/model/loss.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import type { Rng } from '../src/random/rng.js';
import type { DlnSymbols } from '../src/symbolic/dln.js';
import type { Bindings } from '../src/symbolic/evaluate.js';

export interface Instance {
  readonly widths: readonly number[];
  readonly weights: Matrix[];
  readonly data: Data;
}

/**
 * Gaussian weights W_j with entries N(0, 1/d_{j−1}) (products stay O(1)), data X ~ N(0,1), Y ~ N(0,1).
 * Widths are chosen non-square by the caller.
 */
export function randomInstance(rng: Rng, widths: readonly number[], samples: number): Instance {
  const weights = widths.slice(1).map((rows, j) => gaussianMatrix(rng, rows, widths[j], 1 / Math.sqrt(widths[j])));
  const X = gaussianMatrix(rng, widths[0], samples);
  const Y = gaussianMatrix(rng, widths[widths.length - 1], samples);
  return { widths, weights, data: { X, Y } };
}

/** Distinct widths in [2, 6] with consecutive ones different (every layer non-square). */
export function nonSquareWidths(rng: Rng, depth: number): number[] {
  const w = [rng.integer(2, 6)];
  while (w.length < depth + 1) {
    const d = rng.integer(2, 6);
    if (d !== w[w.length - 1]) w.push(d);
  }
  return w;
}

/** Bind W_1..W_N, X, Y (and extra named matrices) to an instance. */
export function bindInstance(
  s: DlnSymbols,
  inst: Instance,
  extra: Record<string, Matrix> = {},
  scalars: Record<string, number> = {},
): Bindings {
  const matrices: Record<string, Matrix> = { X: inst.data.X, Y: inst.data.Y, ...extra };
  s.W.forEach((w, i) => (matrices[w.name] = inst.weights[i]));
  return { matrices, scalars };
}

/** A random direction shaped like the weights. */
export function randomDirection(rng: Rng, weights: readonly Matrix[]): Matrix[] {
  return weights.map((w) => gaussianMatrix(rng, w.rows, w.cols));
}

/** Σ_j ⟨A_j, B_j⟩. */
export function innerSum(a: readonly Matrix[], b: readonly Matrix[]): number {
  let s = 0;
  a.forEach((m, j) => {
    for (let i = 0; i < m.data.length; i++) s += m.data[i] * b[j].data[i];
  });
  return s;
}

/** AᵀB and ABᵀ without naming ops at the call site. */
export const tn = (a: Matrix, b: Matrix): Matrix => multiply(a, b, 't', 'n');
export const nt = (a: Matrix, b: Matrix): Matrix => multiply(a, b, 'n', 't');

/** Wall-clock milliseconds of f. */
export function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}
