import fc from 'fast-check';
import type { LayerTuple } from '../landscape/instances.js';
import type { Matrix } from '../linalg/matrix.js';
import { logSpacedSpectrum, matrixWithSpectrum } from '../random/constructions.js';
import type { Rng } from '../random/rng.js';
import { dimension, log10Condition, seeded, widths as widthsArb } from './seeded.js';

export type { LayerTuple };

/**
 * Layers W_i ∈ R^{d_i×d_{i−1}} of the given ranks, singular values log-spaced over [1/cond, 1] times a random
 * scale.
 */
function layers(rng: Rng, widths: readonly number[], ranks: readonly number[], cond: number): Matrix[] {
  return ranks.map((r, i) => {
    const size = 0.5 + 1.5 * rng.uniform();
    return matrixWithSpectrum(
      rng,
      widths[i + 1],
      widths[i],
      logSpacedSpectrum(r, cond).map((s) => s * size),
    );
  });
}

/**
 * Non-degenerate tuples (rank W_h⋯W_1 = min_i d_i almost surely): depth 2..4, widths 1..4 (bottlenecks anywhere,
 * the narrowest layer at the input or output too), layer conditions up to 10, and in half the draws one layer of
 * deficient rank that still keeps at least min_i d_i (so only the product's rank is non-degenerate).
 */
export function nonDegenerateTupleArb(): fc.Arbitrary<LayerTuple> {
  return seeded(
    fc.tuple(widthsArb({ depth: [2, 4], width: [1, 4] }), log10Condition(1), fc.boolean()),
    ([widths, logCond, deficient], rng) => {
      const narrowest = Math.min(...widths);
      const ranks = widths.slice(1).map((d, i) => Math.min(d, widths[i]));
      const j = ranks.findIndex((r) => r > narrowest);
      const thinned = deficient && j >= 0;
      if (thinned) ranks[j] = rng.integer(narrowest, ranks[j] - 1);
      return {
        weights: layers(rng, widths, ranks, 10 ** logCond),
        name: thinned ? `rank-deficient W_${j + 1} (rank ${ranks[j]})` : 'full-rank layers',
        seed: rng.integer(0, 0x7fffffff),
      };
    },
  );
}

/**
 * Degenerate tuples of the kind Lemma 7 excludes: depth 3..4, hidden widths all b ∈ {1, 2}, outer widths d_0, d_h > b,
 * the outer layers of full rank b and one middle layer of rank b − 1 (zero when b = 1), so rank W_h⋯W_1 = b − 1.
 */
export function degenerateTupleArb(): fc.Arbitrary<LayerTuple> {
  return seeded(
    fc.tuple(dimension(3, 4), dimension(1, 2), dimension(0, 2), dimension(0, 2), fc.nat()),
    ([h, b, extraIn, extraOut, which], rng) => {
      const widths = [b + 1 + extraIn, ...Array.from({ length: h - 1 }, () => b), b + 1 + extraOut];
      const ranks = Array.from({ length: h }, () => b);
      const j = 1 + (which % (h - 2));
      ranks[j] = b - 1;
      return {
        weights: layers(rng, widths, ranks, 1),
        name: `bottleneck ${b}, W_${j + 1} of rank ${b - 1}`,
        seed: rng.integer(0, 0x7fffffff),
      };
    },
  );
}
