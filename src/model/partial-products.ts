import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiply, newMatrix } from '../linalg/products.js';
import { type Weights, widthsOf } from './network.js';

/**
 * W_{b:a} := W_b W_{b−1} ⋯ W_a with 1-based layer indices (THEORY §0), and W_{b:a} := I (size d_{a−1}) when a > b.
 */
export function partialProduct(weights: Weights, b: number, a: number): Matrix {
  const widths = widthsOf(weights);
  const n = weights.length;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b > n || a > b + 1) {
    throw new DomainError('partialProduct', `indices must satisfy 1 ≤ a ≤ b+1, b ≤ N = ${n}; got b=${b}, a=${a}`);
  }
  if (a > b) return identity(widths[a - 1]);
  if (a === b) return newMatrix(weights[a - 1].rows, weights[a - 1].cols).copyFrom(weights[a - 1]);
  let acc = multiply(weights[a], weights[a - 1]);
  for (let j = a + 2; j <= b; j++) acc = multiply(weights[j - 1], acc);
  return acc;
}

/** The end-to-end matrix W = W_{N:1}. */
export function endToEnd(weights: Weights): Matrix {
  return partialProduct(weights, weights.length, 1);
}

/**
 * All prefix products below[j] = W_{j:1} (below[0] = I_{d_0}) and suffix products above[j] = W_{N:j+1}
 * (above[N] = I_{d_N}), computed once in O(N) products: what every layer-gradient formula needs.
 */
export function prefixSuffixProducts(weights: Weights): { below: Matrix[]; above: Matrix[] } {
  const widths = widthsOf(weights);
  const n = weights.length;
  const below: Matrix[] = [identity(widths[0])];
  for (let j = 1; j <= n; j++) below.push(multiply(weights[j - 1], below[j - 1]));
  const above: Matrix[] = new Array(n + 1);
  above[n] = identity(widths[n]);
  for (let j = n - 1; j >= 0; j--) above[j] = multiply(above[j + 1], weights[j]);
  return { below, above };
}

/** I_n in slab storage (see src/linalg/kernels/alloc.ts). */
function identity(n: number): Matrix {
  const m = newMatrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}
