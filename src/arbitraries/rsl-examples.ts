import fc from 'fast-check';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { svd } from '../linalg/svd.js';
import { balancedFactorization } from '../model/balanced-init.js';
import { matrixWithSpectrum } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { ManySamplesInstance, PopulationInstance } from '../rayleigh/instances.js';
import { quarterDecades } from './deficiency-margin.js';
import { dimension, seeded } from './seeded.js';

export type { ManySamplesInstance, PopulationInstance };

/**
 * Examples of Robin–Scaman–Lelarge's convergence argument beyond the over-parameterized regime: a model with more
 * samples than parameters (its tangent kernel is never positive definite) and a model trained on infinitely many
 * samples (the population loss, computed exactly from the inputs' second moment).
 */

const round = (x: number): number => Number(x.toPrecision(4));
const grid = (m: Matrix): number[][] => m.toArray().map((r) => r.map(round));

export interface ManySamplesConstraints {
  /** Features d (default [1, 3]); parameters P = 2d. */
  readonly features?: [number, number];
  /** Samples beyond the parameter count, n − 2d (default [1, 3]). */
  readonly extraSamples?: [number, number];
  /** Add a generic part of y outside range X of this size relative to ‖Xβ*‖ (default 0: realizable). */
  readonly unreachable?: number;
}

/**
 * X n×d with σ_a(X) = 10^{−a/4} (a random frame), β* with entries ±(0.2..1.9), y = Xβ* (+ a part ⟂ range X),
 * α ∈ {0.3, …, 1}. Shrinks toward d = 1, n = 3, α = 0.3.
 */
export function manySamplesInstanceArb(constraints: ManySamplesConstraints = {}): fc.Arbitrary<ManySamplesInstance> {
  return seeded(
    fc.tuple(
      dimension(...(constraints.features ?? [1, 3])),
      dimension(...(constraints.extraSamples ?? [1, 3])),
      fc.integer({ min: 0, max: 7 }),
    ),
    ([d, extra, alphaQ], rng) => {
      const n = 2 * d + extra;
      const X = matrixWithSpectrum(rng, n, d, quarterDecades(d));
      const sign = (): number => (rng.uniform() < 0.5 ? -1 : 1);
      const beta = Float64Array.from({ length: d }, () => (sign() * Math.round(2 + 17 * rng.uniform())) / 10);
      const y = new Float64Array(n);
      for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) y[r] += X.data[r * d + k] * beta[k];
      const size = constraints.unreachable ?? 0;
      let unreachable = 0;
      if (size > 0) {
        // z − XXᵀz is orthogonal to range X (X has orthonormal columns scaled by σ: project with its SVD).
        const z = gaussianMatrix(rng, n, 1).data;
        const U = svd(X).U;
        const w = Float64Array.from(z);
        for (let k = 0; k < d; k++) {
          let c = 0;
          for (let r = 0; r < n; r++) c += U.get(r, k) * z[r];
          for (let r = 0; r < n; r++) w[r] -= c * U.get(r, k);
        }
        const scale = (size * Math.hypot(...y)) / Math.hypot(...w);
        for (let r = 0; r < n; r++) y[r] += scale * w[r];
        unreachable = (scale * Math.hypot(...w)) / Math.hypot(...y);
      }
      return { X, y, alpha: Math.round((0.3 + 0.1 * alphaQ) * 10) / 10, unreachable };
    },
  );
}

export function summarizeManySamples(i: ManySamplesInstance): Record<string, unknown> {
  const y = Array.from(i.y, round);
  return { n: i.X.rows, d: i.X.cols, alpha: i.alpha, unreachable: round(i.unreachable), X: grid(i.X), y };
}

export interface PopulationConstraints {
  /** Width d (default [1, 3]). */
  readonly dimension?: [number, number];
  /** Depth N (default [1, 3]). */
  readonly depth?: [number, number];
  /** λ_min(Σ) = 10^{−k/4} for k in this range (default [0, 4]: λ_min ≥ 0.1). */
  readonly covarianceQuarterDecades?: [number, number];
  /** σ_min(Φ) = 10^{−q/4} for q in this range (default [0, 2]). */
  readonly targetQuarterDecades?: [number, number];
  /** u·4 with ‖A(0) − Φ‖_2 ≤ √(2L(0)/λ_min(Σ)) = uσ_min(Φ) (default [1, 3]: u ∈ {¼, ½, ¾}). */
  readonly reachQuarters?: [number, number];
}

const logSpaced = (n: number, ratio: number): number[] =>
  Array.from({ length: n }, (_, a) => (n === 1 ? 1 : Math.pow(ratio, -a / (n - 1))));

/**
 * Σ = U diag(λ)Uᵀ with λ log-spaced from 1 down to 10^{−k/4} (d = 1: λ = 10^{−k/4}, so the covariance still
 * matters), S = U diag(√λ)Vᵀ; Φ with σ log-spaced from 1 to 10^{−q/4}; A(0) = Φ + Δ scaled so that
 * ‖ΔS‖_F = uσ_min(Φ)√λ_min(Σ); layers by ACGH's balanced factorization.
 */
export function populationInstanceArb(constraints: PopulationConstraints = {}): fc.Arbitrary<PopulationInstance> {
  const [k0, k1] = constraints.covarianceQuarterDecades ?? [0, 4];
  const [q0, q1] = constraints.targetQuarterDecades ?? [0, 2];
  const [u0, u1] = constraints.reachQuarters ?? [1, 3];
  return seeded(
    fc.tuple(
      dimension(...(constraints.dimension ?? [1, 3])),
      dimension(...(constraints.depth ?? [1, 3])),
      fc.integer({ min: k0, max: k1 }),
      fc.integer({ min: q0, max: q1 }),
      fc.integer({ min: u0, max: u1 }),
    ),
    ([d, depth, k, q, uQ], rng) => {
      const lambdaMinSigma = Math.pow(10, -k / 4);
      const lambda = d === 1 ? [lambdaMinSigma] : logSpaced(d, 1 / lambdaMinSigma);
      const S = matrixWithSpectrum(rng, d, d, lambda.map(Math.sqrt));
      const sigma = logSpaced(d, Math.pow(10, q / 4));
      const Phi = matrixWithSpectrum(rng, d, d, sigma);
      const sigmaMinPhi = sigma[d - 1];
      const delta = gaussianMatrix(rng, d, d);
      const reach = (uQ / 4) * sigmaMinPhi;
      const s = (reach * Math.sqrt(lambdaMinSigma)) / frobeniusNorm(multiply(delta, S));
      const A0 = Phi.clone();
      for (let t = 0; t < A0.data.length; t++) A0.data[t] += s * delta.data[t];
      const weights = balancedFactorization(A0, new Array(depth + 1).fill(d), rng);
      return { d, depth, Phi, S, lambdaMinSigma, sigmaMinPhi, reach, weights };
    },
  );
}

export function summarizePopulation(i: PopulationInstance): Record<string, unknown> {
  return {
    d: i.d,
    N: i.depth,
    lambdaMinSigma: round(i.lambdaMinSigma),
    sigmaMinPhi: round(i.sigmaMinPhi),
    reach: round(i.reach),
    Phi: grid(i.Phi),
    Sigma: grid(multiply(i.S, i.S, 'n', 't')),
  };
}
