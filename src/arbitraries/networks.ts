import fc from 'fast-check';
import type { NetworkInstance } from '../check/layer-calculus.js';
import type { Matrix } from '../linalg/matrix.js';
import { balancedFactorization } from '../model/balanced-init.js';
import { shapesFor } from '../model/network.js';
import { conditionedMatrix, roundEntries, whitenedInputs } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { decimals, dimension, log10Condition, seeded, widths as widthsArb } from './seeded.js';

export type { NetworkInstance };

export interface NetworkOptions {
  depth?: [number, number];
  width?: [number, number];
  samples?: [number, number];
  /** 'gaussian': i.i.d. layers; 'conditioned': each layer U diag(s) Vᵀ with condition number up to 10^maxLog10Cond;
   *  'balanced': ACGH Procedure 1 from a Gaussian target of rank ≤ the narrowest width. */
  init?: 'gaussian' | 'conditioned' | 'balanced';
  maxLog10Cond?: number;
  /** X with orthonormal rows (XXᵀ = I); needs samples ≥ d_0 (samples are raised to d_0 when needed). */
  whitened?: boolean;
  /** Standard deviation of the layer entries ('gaussian') or σ_1 of each layer ('conditioned'). */
  weightScale?: number;
}

export function networkInstanceArb(options: NetworkOptions = {}): fc.Arbitrary<NetworkInstance> {
  const params = fc.tuple(
    widthsArb({ depth: options.depth ?? [1, 4], width: options.width ?? [1, 4] }),
    dimension(...(options.samples ?? [1, 6])),
    log10Condition(options.maxLog10Cond ?? 2),
    decimals(),
  );
  return seeded(params, ([widths, samples, logCond, dec], rng) => {
    const scale = options.weightScale ?? 1;
    const m = options.whitened ? Math.max(samples, widths[0]) : samples;
    const X = options.whitened
      ? whitenedInputs(rng, widths[0], m)
      : roundEntries(gaussianMatrix(rng, widths[0], m), dec);
    const Y = roundEntries(gaussianMatrix(rng, widths[widths.length - 1], m), dec);
    let weights: Matrix[];
    if (options.init === 'balanced') {
      const n = widths.length - 1;
      const rank = Math.min(...widths);
      const target = conditionedMatrix(rng, widths[n], widths[0], { rank, cond: Math.pow(10, logCond), scale });
      weights = balancedFactorization(target, widths, rng);
    } else if (options.init === 'conditioned') {
      weights = shapesFor(widths).map(([r, c]) => conditionedMatrix(rng, r, c, { cond: Math.pow(10, logCond), scale }));
    } else {
      weights = shapesFor(widths).map(([r, c]) => roundEntries(gaussianMatrix(rng, r, c, scale / Math.sqrt(c)), dec));
    }
    const direction = weights.map((w) => gaussianMatrix(rng, w.rows, w.cols));
    return { widths, weights, data: { X, Y }, direction };
  });
}
