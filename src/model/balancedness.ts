import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiplyInto, newMatrix } from '../linalg/products.js';
import { Scratch } from '../linalg/scratch.js';
import { chainedShapes, type Weights, widthsOf } from './network.js';

/** c ← C_{j+1} = W_{j+2}ᵀW_{j+2} − W_{j+1}W_{j+1}ᵀ (0-based j), with `wwT` as room for the second Gram matrix. */
function defectInto(c: Matrix, wwT: Matrix, weights: Weights, j: number): Matrix {
  multiplyInto(c, weights[j + 1], weights[j + 1], 't', 'n');
  multiplyInto(wwT, weights[j], weights[j], 'n', 't');
  for (let i = 0; i < c.data.length; i++) c.data[i] -= wwT.data[i];
  return c;
}

/** C_j := W_{j+1}ᵀW_{j+1} − W_jW_jᵀ ∈ R^{d_j×d_j}, j = 1..N−1 (THEORY §0). Balanced ⇔ all C_j = 0. */
export function balancednessDefects(weights: Weights): Matrix[] {
  widthsOf(weights);
  const defects: Matrix[] = [];
  for (let j = 0; j + 1 < weights.length; j++) {
    const d = weights[j].rows;
    defects.push(defectInto(newMatrix(d, d), newMatrix(d, d), weights, j));
  }
  return defects;
}

const gram = new Scratch(),
  coGram = new Scratch();

/**
 * max_j ‖C_j‖_F (0 for N = 1), as the norms of balancednessDefects but in reused scratch: it runs at every
 * observation of a trajectory, where fresh d_j×d_j matrices per layer were most of its cost.
 */
export function maxBalancednessDefect(weights: Weights): number {
  if (!chainedShapes(weights) || weights.length === 1) widthsOf(weights);
  let worst = 0;
  for (let j = 0; j + 1 < weights.length; j++) {
    const d = weights[j].rows;
    worst = Math.max(worst, frobeniusNorm(defectInto(gram.matrix(d, d), coGram.matrix(d, d), weights, j)));
  }
  // Every W_j enters a Gram matrix's diagonal, so a NaN or ±∞ entry leaves worst non-finite (chainedShapes): only
  // then the scan for such entries, which throws.
  if (!Number.isFinite(worst)) widthsOf(weights);
  return worst;
}
