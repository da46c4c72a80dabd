import fc from 'fast-check';
import type { Matrix } from '../linalg/matrix.js';
import { conditionedMatrix, roundEntries } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { decimals, dimension, log10Condition, seeded } from './seeded.js';

/** A Gaussian matrix with rows, cols in the given ranges, entries rounded to a shrinkable number of decimals. */
export function gaussianMatrixArb(rows: [number, number], cols: [number, number], scale = 1): fc.Arbitrary<Matrix> {
  return seeded(fc.tuple(dimension(...rows), dimension(...cols), decimals()), ([r, c, dec], rng) =>
    roundEntries(gaussianMatrix(rng, r, c, scale), dec),
  );
}

/**
 * A matrix of controlled rank and condition number: rank in [1, min(rows, cols)] (or fixed), σ_1 = 1,
 * σ_rank = 10^{−log10 cond}.
 */
export function conditionedMatrixArb(options: {
  rows: [number, number];
  cols: [number, number];
  maxLog10Cond?: number;
  fullRank?: boolean;
}): fc.Arbitrary<Matrix> {
  const params = fc.tuple(
    dimension(...options.rows),
    dimension(...options.cols),
    log10Condition(options.maxLog10Cond ?? 4),
    fc.integer({ min: 0, max: 8 }),
  );
  return seeded(params, ([r, c, logCond, deficiency], rng) => {
    const full = Math.min(r, c);
    const rank = options.fullRank ? full : Math.max(1, full - (deficiency % full));
    return conditionedMatrix(rng, r, c, { rank, cond: Math.pow(10, logCond) });
  });
}
