import fc from 'fast-check';
import type { BurerMonteiroInstance } from '../landscape/instances.js';
import { Matrix } from '../linalg/matrix.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import { dimension, seeded } from './seeded.js';

export type { BurerMonteiroInstance };

/** What burerMonteiroArb draws from. */
export interface BurerMonteiroConstraints {
  /** n in [2, maxSize] (default 5). */
  readonly maxSize?: number;
}

/**
 * p < n positive eigenvalues (so M has a negative part) and k > p factor columns; eigenvalues ±(0.3..1.5) in a
 * random orthonormal basis; X_0, Y_0 with N(0, 0.25) entries.
 */
export function burerMonteiroArb(constraints: BurerMonteiroConstraints = {}): fc.Arbitrary<BurerMonteiroInstance> {
  return seeded(fc.tuple(dimension(2, constraints.maxSize ?? 5), fc.nat(), fc.nat()), ([n, a, b], rng) => {
    const p = a % n;
    const k = p + 1 + (b % (n - p));
    const Q = randomOrthonormal(rng, n, n);
    const lambda = Array.from({ length: n }, (_, i) => (i < p ? 1 : -1) * (0.3 + 1.2 * rng.uniform()));
    const M = new Matrix(n, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += lambda[c] * Q.data[i * n + c] * Q.data[j * n + c];
        M.data[i * n + j] = s;
      }
    const X0 = gaussianMatrix(rng, n, k, 0.5);
    return { n, positive: p, k, M, X0, Y0: gaussianMatrix(rng, n, k, 0.5) };
  });
}
