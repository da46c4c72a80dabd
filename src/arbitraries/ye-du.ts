import fc from 'fast-check';
import { matrixWithSpectrum } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { YdInstance } from '../ye-du/asymmetric-factorization.js';
import { dimension, seeded } from './seeded.js';

export type { YdInstance };

/** Ye–Du asymmetric low-rank factorization problems: Σ of rank d and a small Gaussian initialization. */

const round = (x: number): number => Number(x.toPrecision(4));

/** The variants' settings (the defaults are yd.asymmetric's instances). */
export interface YdConstraints {
  /** Fixed ησ_1 (the large-step variant); default drawn from {0.1, …, 0.5}. */
  readonly etaSigma1?: number;
  /** Start from U_0 = V_0 = 0 (the zero-init variant). */
  readonly zeroInit?: boolean;
}

/**
 * Parameters (all shrinking toward the simplest case): d ∈ [1, 3], m − d, n − d ∈ [0, 2] (so m, n ≤ 5), κ = 10^{q/4}
 * (q ∈ [0, 4], κ ≤ 10), ε = 10^{−e} (e ∈ [3, 8]), ησ_1 = a/10 (a ∈ [1, 5]); then Σ = U_Σ diag(σ) V_Σᵀ (Haar-like)
 * and the Gaussian initialization.
 */
export function ydInstanceArb(options: YdConstraints = {}): fc.Arbitrary<YdInstance> {
  const params = fc.tuple(
    dimension(1, 3),
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 3, max: 8 }),
    fc.integer({ min: 1, max: 5 }),
  );
  return seeded(params, ([d, dm, dn, q, e, a], rng) => {
    const m = d + dm,
      n = d + dn;
    const kappa = Math.pow(10, q / 4);
    const sigma = Array.from({ length: d }, (_, i) => (d === 1 ? 1 : Math.pow(kappa, -i / (d - 1))));
    const Sigma = matrixWithSpectrum(rng, m, n, sigma);
    const epsilon = options.zeroInit ? 0 : Math.pow(10, -e);
    const etaSigma1 = options.etaSigma1 ?? a / 10;
    const U0 = gaussianMatrix(rng, m, d, epsilon),
      V0 = gaussianMatrix(rng, n, d, epsilon);
    return { m, n, d, sigma, Sigma, epsilon, etaSigma1, eta: etaSigma1 / sigma[0], U0, V0 };
  });
}

export function summarizeYdInstance(i: YdInstance): unknown {
  return {
    m: i.m,
    n: i.n,
    d: i.d,
    sigma: i.sigma.map(round),
    epsilon: i.epsilon,
    etaSigma1: i.etaSigma1,
    Sigma: i.Sigma.toArray().map((r) => r.map(round)),
  };
}
