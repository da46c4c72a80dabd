import fc from 'fast-check';
import type { MetricInstance } from '../flow/instances.js';
import { matrixWithSpectrum } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { dimension, log10Condition, seeded } from './seeded.js';

export type { MetricInstance };

/** Instances of the metric claims (THEORY §2): a point W of the fixed-rank manifold M_k with a known spectrum. */

export interface MetricInstanceOptions {
  readonly rows?: [number, number];
  readonly cols?: [number, number];
  readonly depth?: [number, number];
  /** Largest log10 σ_1/σ_k (default 2: the Gram-eigen path of the explicit operator resolves σ down to 1e-5·σ_1). */
  readonly maxLog10Cond?: number;
}

/**
 * Parameters first, all shrinking toward the simplest case: m, n (→ 1), rank deficiency (→ 0: full rank), depth,
 * log10 condition (→ 0), spectral scale exponent (→ 0: σ_1 = 1), a repeated top singular value (→ false), samples;
 * then the Gaussian stream fills U, V (Haar-like), Z and the data.
 */
export function metricInstanceArb(options: MetricInstanceOptions = {}): fc.Arbitrary<MetricInstance> {
  const params = fc.tuple(
    dimension(...(options.rows ?? [1, 4])),
    dimension(...(options.cols ?? [1, 4])),
    fc.integer({ min: 0, max: 3 }),
    dimension(...(options.depth ?? [1, 5])),
    log10Condition(options.maxLog10Cond ?? 2),
    fc.integer({ min: -2, max: 2 }),
    fc.boolean(),
    dimension(1, 5),
  );
  return seeded(params, ([m, n, deficiency, depth, logCond, scaleExp, repeat, samples], rng) => {
    const p = Math.min(m, n),
      k = Math.max(1, p - deficiency);
    const top = Math.pow(10, scaleExp / 2),
      cond = Math.pow(10, logCond);
    const sigma = Array.from({ length: k }, (_, i) => top * (k === 1 ? 1 : Math.pow(cond, -i / (k - 1))));
    const repeated = repeat && k >= 2;
    if (repeated) sigma[1] = sigma[0];
    const W = matrixWithSpectrum(rng, m, n, sigma);
    const Z = gaussianMatrix(rng, m, n);
    const data = { X: gaussianMatrix(rng, n, samples), Y: gaussianMatrix(rng, m, samples) };
    return { m, n, k, depth, sigma, cond, repeated, W, Z, data };
  });
}

const round = (x: number): number => Number(x.toPrecision(4));

/** Compact report form: shapes, rank, depth, spectrum and (small) W. */
export function summarizeMetricInstance(i: MetricInstance): unknown {
  return {
    m: i.m,
    n: i.n,
    k: i.k,
    N: i.depth,
    sigma: i.sigma.map(round),
    cond: round(i.cond),
    W: i.W.toArray().map((r) => r.map(round)),
  };
}
