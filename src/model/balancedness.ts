import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Weights, widthsOf } from './network.js';

/** C_j := W_{j+1}ᵀW_{j+1} − W_jW_jᵀ ∈ R^{d_j×d_j}, j = 1..N−1 (THEORY §0). Balanced ⇔ all C_j = 0. */
export function balancednessDefects(weights: Weights): Matrix[] {
  widthsOf(weights);
  const defects: Matrix[] = [];
  for (let j = 0; j + 1 < weights.length; j++) {
    const c = multiply(weights[j + 1], weights[j + 1], 't', 'n');
    const wwT = multiply(weights[j], weights[j], 'n', 't');
    for (let i = 0; i < c.data.length; i++) c.data[i] -= wwT.data[i];
    defects.push(c);
  }
  return defects;
}

/** max_j ‖C_j‖_F (0 for N = 1). */
export function maxBalancednessDefect(weights: Weights): number {
  return balancednessDefects(weights).reduce((m, c) => Math.max(m, frobeniusNorm(c)), 0);
}
