import fc from 'fast-check';
import type { BottleneckInstance, DlnPlInstance, MarginStart } from '../acgh/instances.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd.js';
import { balancedFactorization } from '../model/balanced-init.js';
import { matrixWithSpectrum } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import { dimension, seeded } from './seeded.js';

export type { BottleneckInstance, DlnPlInstance, MarginStart };

/**
 * Square deep linear networks started inside ACGH's deficiency margin around a target Φ (the starts of
 * acgh.descent, acgh.dln-pl and rsl.kl-rates' dln-margin family), and the bottleneck starts that cannot have one.
 */

/**
 * Square layers d×d (no bottleneck); Φ with σ_max = 1, σ_min = 10^{−q/4}; A(0) = Φ + Δ with ‖Δ‖_F = u(σ_min − c),
 * u = uQ/4, c = γσ_min, γ = gammaQ/4; layers from ACGH Procedure 1 (balanced, random frames).
 */
export function marginStart(rng: Rng, d: number, depth: number, q: number, gammaQ: number, uQ: number): MarginStart {
  const cond = Math.pow(10, q / 4);
  const spectrum = Array.from({ length: d }, (_, a) => (d === 1 ? 1 : Math.pow(cond, -a / (d - 1))));
  const Phi = matrixWithSpectrum(rng, d, d, spectrum);
  const sigmaMinPhi = spectrum[d - 1];
  const c = (gammaQ / 4) * sigmaMinPhi;
  const delta = gaussianMatrix(rng, d, d);
  const s = ((uQ / 4) * (sigmaMinPhi - c)) / frobeniusNorm(delta);
  const A0 = Phi.clone();
  for (let t = 0; t < A0.data.length; t++) A0.data[t] += s * delta.data[t];
  return { d, depth, Phi, sigmaMinPhi, c, weights: balancedFactorization(A0, new Array(depth + 1).fill(d), rng) };
}

/** The shapes of a margin start: d ∈ dimension, N ∈ depth (both shrinking toward their minimum). */
export interface MarginConstraints {
  /** Layer width d (default [1, 3]). */
  readonly dimension?: [number, number];
  /** Depth N (default [1, 4]). */
  readonly depth?: [number, number];
}

/**
 * The parameters (d, N, q, gammaQ, uQ) of marginStart: q ∈ [0, 4] (σ_min(Φ) = 10^{−q/4}), γ, u ∈ {¼, ½, ¾};
 * every one shrinks toward the simplest start.
 */
export function marginParameters(
  constraints: MarginConstraints = {},
): fc.Arbitrary<[number, number, number, number, number]> {
  return fc.tuple(
    dimension(...(constraints.dimension ?? [1, 3])),
    dimension(...(constraints.depth ?? [1, 4])),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
  );
}

export const DLN_PL_ETAS = [1e-3, 1e-2, 1e-1];

/** As marginStart with N ≥ 2 by default (for N = 1 the kernel is the identity and R = 1 = the bound, an equality). */
export function dlnPlInstanceArb(constraints: MarginConstraints = {}): fc.Arbitrary<DlnPlInstance> {
  const depth = constraints.depth ?? [2, 4];
  return seeded(
    fc.tuple(
      dimension(...(constraints.dimension ?? [1, 3])),
      dimension(...depth),
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: DLN_PL_ETAS.length - 1 }),
    ),
    ([d, N, q, gammaQ, uQ, e], rng) => ({ ...marginStart(rng, d, N, q, gammaQ, uQ), etaRel: DLN_PL_ETAS[e] }),
  );
}

const round = (x: number): number => Number(x.toPrecision(4));

export function summarizeMargin(i: MarginStart & { etaRel?: number }): Record<string, unknown> {
  return {
    d: i.d,
    N: i.depth,
    c: round(i.c),
    sigmaMinPhi: round(i.sigmaMinPhi),
    ...(i.etaRel !== undefined ? { etaRel: i.etaRel } : {}),
    Phi: i.Phi.toArray().map((r) => r.map(round)),
  };
}

/** σ_a = 10^{−a/4}, a = 0..n−1: distinct singular values a quarter decade apart, σ_max = 1. */
export const quarterDecades = (n: number): number[] => Array.from({ length: n }, (_, a) => Math.pow(10, -a / 4));

export interface BottleneckConstraints extends MarginConstraints {
  /** Width w of the first hidden layer (default [1, 3]). */
  readonly width?: [number, number];
}

/**
 * Φ d×d of full rank (σ_a = 10^{−a/4}); widths [d, w, d, …, d], N ∈ [2, 4]; start: the best attainable product,
 * A(0) = [Φ + Δ]_{min(w,d)} (‖Δ‖_F = ¼σ_min(Φ)), balanced. With w ≥ d this is a start with margin c ≥ ¾σ_min(Φ).
 */
export function bottleneckInstanceArb(constraints: BottleneckConstraints = {}): fc.Arbitrary<BottleneckInstance> {
  return seeded(
    fc.tuple(
      dimension(...(constraints.dimension ?? [1, 3])),
      dimension(...(constraints.depth ?? [2, 4])),
      dimension(...(constraints.width ?? [1, 3])),
    ),
    ([d, depth, width], rng) => {
      const sigma = quarterDecades(d);
      const Phi = matrixWithSpectrum(rng, d, d, sigma);
      const delta = gaussianMatrix(rng, d, d);
      const s = (0.25 * sigma[d - 1]) / frobeniusNorm(delta);
      const A = Phi.clone();
      for (let t = 0; t < A.data.length; t++) A.data[t] += s * delta.data[t];
      const k = Math.min(width, d);
      const f = svd(A);
      const Ak = new Matrix(d, d);
      for (let a = 0; a < k; a++) {
        for (let r = 0; r < d; r++)
          for (let c = 0; c < d; c++) Ak.data[r * d + c] += f.s[a] * f.U.get(r, a) * f.V.get(c, a);
      }
      const widths = [d, width, ...new Array(depth - 1).fill(d)];
      return { d, depth, width, Phi, sigma, weights: balancedFactorization(Ak, widths, rng) };
    },
  );
}

export function summarizeBottleneck(i: BottleneckInstance): Record<string, unknown> {
  return { d: i.d, N: i.depth, width: i.width, sigma: i.sigma.map(round) };
}
