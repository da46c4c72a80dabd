import fc from 'fast-check';
import type { DecayInstance } from '../landscape/instances.js';
import { multiply } from '../linalg/products.js';
import { shapesFor } from '../model/network.js';
import { matrixWithSpectrum, whitenedInputs } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { dimension, seeded, widths as widthsArb } from './seeded.js';

export type { DecayInstance };

/** What decayInstanceArb draws from. */
export interface DecayConstraints {
  /** Depth N in this range (default [3, 4]: the origin is a strict local minimum only for N ≥ 3). */
  readonly depth?: [number, number];
  /** Every width in this range (default [1, 3]). */
  readonly width?: [number, number];
  /** λ (default 0.01, far below σ(B) ∈ [1, 2]: fitting the data pays). */
  readonly lambda?: number;
}

/** Whitened X (XXᵀ = I), Y = BX with σ(B) evenly in [1, 2], Gaussian start with N(0, 1/fan-in) entries. */
export function decayInstanceArb(constraints: DecayConstraints = {}): fc.Arbitrary<DecayInstance> {
  return seeded(
    fc.tuple(widthsArb({ depth: constraints.depth ?? [3, 4], width: constraints.width ?? [1, 3] }), dimension(0, 2)),
    ([widths, extra], rng) => {
      const N = widths.length - 1,
        d0 = widths[0],
        dN = widths[N];
      const X = whitenedInputs(rng, d0, d0 + extra);
      const r = Math.min(d0, dN);
      const B = matrixWithSpectrum(
        rng,
        dN,
        d0,
        Array.from({ length: r }, (_, k) => (r === 1 ? 2 : 2 - k / (r - 1))),
      );
      const start = shapesFor(widths).map(([a, b]) => gaussianMatrix(rng, a, b, 1 / Math.sqrt(b)));
      return { widths, data: { X, Y: multiply(B, X) }, lambda: constraints.lambda ?? 0.01, start };
    },
  );
}
