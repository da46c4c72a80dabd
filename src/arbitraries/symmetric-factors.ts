import fc from 'fast-check';
import type { SymmetricFactor } from '../landscape/instances.js';
import { Matrix } from '../linalg/matrix.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import { dimension, seeded } from './seeded.js';

export type { SymmetricFactor };

/** What symmetricFactorArb draws from. */
export interface SymmetricFactorConstraints {
  /** n, k each in [1, maxDimension] (default 3). */
  readonly maxDimension?: number;
}

/**
 * X = U diag(1, 1.5, 2, …)Vᵀ of rank r ∈ [0, min(n, k)] (r = 0: X = 0), U, V random orthonormal: full-rank,
 * rank-deficient and zero factors, in both the wide (k ≥ n) and the narrow (k < n) shape.
 */
export function symmetricFactorArb(constraints: SymmetricFactorConstraints = {}): fc.Arbitrary<SymmetricFactor> {
  const top = constraints.maxDimension ?? 3;
  return seeded(fc.tuple(dimension(1, top), dimension(1, top), fc.nat()), ([n, k, a], rng) => {
    const rank = a % (Math.min(n, k) + 1);
    const U = randomOrthonormal(rng, n, rank),
      V = randomOrthonormal(rng, k, rank);
    const X = new Matrix(n, k);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < rank; t++) s += U.data[i * rank + t] * (1 + 0.5 * t) * V.data[j * rank + t];
        X.data[i * k + j] = s;
      }
    return { X, rank, seed: rng.integer(0, 0x7fffffff) };
  });
}
