import fc from 'fast-check';
import type { CompositionInstance, KinkedCompositionInstance } from '../landscape/instances.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import { dimension, seeded } from './seeded.js';

export type { CompositionInstance, KinkedCompositionInstance };

/**
 * Instances of nr.open-composition: m, k, n ∈ [1, 3], a Gaussian target T and a Gaussian start (entries N(0, ¼)).
 * The pseudo-Huber loss is drawn only with k ≥ min(m, n), where its minimum over the range (all of R^{m×n}) is 0;
 * the square loss in both regimes (Eckart–Young below).
 */
export function compositionArb(): fc.Arbitrary<CompositionInstance> {
  return seeded(
    fc.tuple(
      dimension(1, 3),
      dimension(1, 3),
      dimension(1, 3),
      fc.constantFrom<'square' | 'pseudo-huber'>('square', 'pseudo-huber'),
    ),
    ([m, k, n, kind], rng) => ({
      loss: k >= Math.min(m, n) ? kind : 'square',
      T: gaussianMatrix(rng, m, n),
      X0: gaussianMatrix(rng, m, k, 0.5),
      Y0: gaussianMatrix(rng, k, n, 0.5),
      seed: rng.integer(0, 0x7fffffff),
    }),
  );
}

/**
 * The kinked non-open local minimum (src/landscape/open-composition.ts) with a ∈ [0.5, 2], q/p ∈ [1.5, 4], random
 * U, V.
 */
export function kinkedCompositionArb(): fc.Arbitrary<KinkedCompositionInstance> {
  return seeded(fc.constant(null), (_p, rng) => {
    const p = Math.round((0.5 + rng.uniform()) * 100) / 100;
    return {
      a: Math.round((0.5 + 1.5 * rng.uniform()) * 100) / 100,
      p,
      q: Math.round(p * (1.5 + 2.5 * rng.uniform()) * 100) / 100,
      U: randomOrthonormal(rng, 2, 2),
      V: randomOrthonormal(rng, 2, 2),
      seed: rng.integer(0, 0x7fffffff),
    };
  });
}
