import fc from 'fast-check';
import type { DiagonalInstance } from '../nnls/instances.js';
import { matVecInto } from '../nnls/vector.js';
import { conditionedMatrix } from '../random/constructions.js';
import { dimension, seeded } from './seeded.js';

export type { DiagonalInstance };

/** Consistent underdetermined regression problems Xβ = y for the two-layer diagonal network (wgl.q-alpha). */

/** The shapes of the regression problems (each shrinking toward its minimum). */
export interface DiagonalRegressionConstraints {
  /** Samples n (default [1, 4]). */
  readonly samples?: [number, number];
  /** Features beyond n (default [1, 4]; d = min(8, n + extra) > n). */
  readonly extraFeatures?: [number, number];
}

/** X n×d underdetermined with singular values in [10^{−q/8}, 1] (q ≤ 4), y = Xβ for a dense β with two decimals. */
export function diagonalRegressionArb(constraints: DiagonalRegressionConstraints = {}): fc.Arbitrary<DiagonalInstance> {
  return seeded(
    fc.tuple(
      dimension(...(constraints.samples ?? [1, 4])),
      dimension(...(constraints.extraFeatures ?? [1, 4])),
      fc.integer({ min: 0, max: 4 }),
    ),
    ([n, extra, logCond4], rng) => {
      const d = Math.min(8, n + extra);
      const X = conditionedMatrix(rng, n, d, { cond: 10 ** (logCond4 / 8) });
      // A dense Gaussian β_true makes y generic: the ℓ1 interpolant is then a non-degenerate vertex.
      const beta = Float64Array.from({ length: d }, () => Math.round(rng.gaussian() * 100) / 100);
      return { X, y: matVecInto(new Float64Array(n), X, beta) };
    },
  );
}
