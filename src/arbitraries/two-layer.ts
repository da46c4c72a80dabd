import fc from 'fast-check';
import type { TwoLayerInstance } from '../landscape/instances.js';
import { multiply } from '../linalg/products.js';
import type { LossScale } from '../model/loss.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { dimension, seeded } from './seeded.js';

export type { TwoLayerInstance };

/** What twoLayerArb draws from. */
export interface TwoLayerConstraints {
  /** d_0, d_1, d_2 in [1, maxWidth] (default 4). */
  readonly maxWidth?: number;
  /** Samples m in [1, maxSamples] (default 6). */
  readonly maxSamples?: number;
  /** rank X = max(1, min(d_0, m) − deficiency), deficiency in [0, maxDeficiency] (default 3). */
  readonly maxDeficiency?: number;
}

/**
 * X of rank ρ ≤ min(d_0, m), often rank-deficient (a product of Gaussian d_0×ρ and ρ×m factors); Y Gaussian, so
 * generally not in the row space of X; start entries N(0, 1/fan-in); all three loss scales.
 */
export function twoLayerArb(constraints: TwoLayerConstraints = {}): fc.Arbitrary<TwoLayerInstance> {
  const w = constraints.maxWidth ?? 4;
  return seeded(
    fc.tuple(
      dimension(1, w),
      dimension(1, w),
      dimension(1, w),
      dimension(1, constraints.maxSamples ?? 6),
      fc.nat(constraints.maxDeficiency ?? 3),
      fc.constantFrom<LossScale>('half', 'sum', 'mean'),
    ),
    ([d0, d1, d2, m, deficiency, scale], rng) => {
      const rho = Math.max(1, Math.min(d0, m) - deficiency);
      const X = multiply(gaussianMatrix(rng, d0, rho), gaussianMatrix(rng, rho, m));
      const Y = gaussianMatrix(rng, d2, m);
      const start = [gaussianMatrix(rng, d1, d0, 1 / Math.sqrt(d0)), gaussianMatrix(rng, d2, d1, 1 / Math.sqrt(d1))];
      return { widths: [d0, d1, d2], scale, data: { X, Y }, start, seed: rng.integer(0, 0x7fffffff) };
    },
  );
}
