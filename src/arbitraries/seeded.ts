import fc from 'fast-check';
import { Rng } from '../random/rng.js';

/**
 * The one way dlnv builds random instances on fast-check: shrinkable parameters first (dimensions, ranks,
 * decimals…), then a 31-bit seed for a Gaussian stream that fills in the entries. Shrinking reduces the
 * parameters (smaller dimensions) and the seed; the entries are never fast-check's raw doubles (THEORY §7).
 */
export function seeded<P, T>(parameters: fc.Arbitrary<P>, build: (parameters: P, rng: Rng) => T): fc.Arbitrary<T> {
  return fc.tuple(parameters, fc.integer({ min: 0, max: 0x7fffffff })).map(([p, seed]) => build(p, new Rng(seed)));
}

/** A dimension in [min, max], shrinking toward min. */
export function dimension(min: number, max: number): fc.Arbitrary<number> {
  return fc.integer({ min, max });
}

/**
 * Widths [d_0, …, d_N] with depth N in [minDepth, maxDepth]: depth and widths are drawn independently (no
 * chain), so each shrinks on its own.
 */
export function widths(options: { depth: [number, number]; width: [number, number] }): fc.Arbitrary<number[]> {
  const [minDepth, maxDepth] = options.depth;
  const [minWidth, maxWidth] = options.width;
  return fc
    .tuple(
      dimension(minDepth, maxDepth),
      fc.array(dimension(minWidth, maxWidth), { minLength: maxDepth + 1, maxLength: maxDepth + 1 }),
    )
    .map(([depth, all]) => all.slice(0, depth + 1));
}

/** Decimal places for entries of unconstrained matrices: shrinks toward 2 (short decimals); 17 means unrounded. */
export function decimals(): fc.Arbitrary<number> {
  return fc.integer({ min: 2, max: 17 });
}

/** A log10 condition number in [0, maxLog10], shrinking toward a perfectly conditioned 0. */
export function log10Condition(maxLog10: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: Math.round(maxLog10 * 4) }).map((q) => q / 4);
}
