import fc from 'fast-check';
import type {
  BalancedInstance,
  BiasedInstance,
  DecayInstance,
  DriftIdentityInstance,
  FlowInstance,
  LimitInstance,
  RankInstance,
  SaddleInstance,
  StepInstance,
} from '../flow/instances.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { balancedFactorization } from '../model/balanced-init.js';
import { maxBalancednessDefect } from '../model/balancedness.js';
import type { Data } from '../model/loss.js';
import { shapesFor } from '../model/network.js';
import { conditionedMatrix, matrixWithSpectrum, roundEntries, whitenedInputs } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import { type NetworkInstance, networkInstanceArb } from './networks.js';
import { dimension, seeded, widths as widthsArb } from './seeded.js';

export type {
  BalancedInstance,
  BiasedInstance,
  DecayInstance,
  DriftIdentityInstance,
  FlowInstance,
  LimitInstance,
  RankInstance,
  SaddleInstance,
  StepInstance,
};

/**
 * Instances of the gradient-flow claims (THEORY §2: BRTW, ACH, ACHL): networks with data, balanced or not, of full
 * or deficient product rank, with whitened or well-conditioned data for the convergence claims. Every generator
 * draws its shape parameters first (they shrink toward the smallest network) and the matrices from a seeded Rng.
 */

const round = (x: number): number => Number(x.toPrecision(6));
const rows = (m: Matrix): number[][] => m.toArray().map((r) => r.map(round));

/** A compact JSON summary of an instance: widths, the matrices (6 significant digits) and the scalars given. */
export function summarizeFlowInstance(
  instance: FlowInstance,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    widths: instance.widths,
    weights: instance.weights.map(rows),
    X: rows(instance.data.X),
    Y: rows(instance.data.Y),
    maxDefect: round(maxBalancednessDefect(instance.weights)),
    ...extra,
  };
}

/** Depth, width and sample-count ranges of a Gaussian network. */
export interface GaussianNetworkOptions {
  readonly depth: [number, number];
  readonly width: [number, number];
  readonly samples: [number, number];
}

/** Gaussian network: widths from `widthsArb`, weights N(0, 1/fan-in), data entries rounded to shrinkable decimals. */
export function gaussianNetworkArb(options: GaussianNetworkOptions): fc.Arbitrary<FlowInstance> {
  return networkInstanceArb({
    depth: options.depth,
    width: options.width,
    samples: options.samples,
    init: 'gaussian',
  }).map((n: NetworkInstance): FlowInstance => ({ widths: n.widths, weights: n.weights, data: n.data }));
}

/** A Gaussian network with λ drawn from `lambdas` (shrinking toward the first). */
export function decayNetworkArb(
  options: GaussianNetworkOptions,
  lambdas: readonly number[],
): fc.Arbitrary<DecayInstance> {
  return fc
    .tuple(gaussianNetworkArb(options), fc.constantFrom(...lambdas))
    .map(([n, lambda]): DecayInstance => ({ ...n, lambda }));
}

/** A Gaussian network with η from `etas` and λ from `lambdas` (each shrinking toward its first value). */
export function driftIdentityArb(
  options: GaussianNetworkOptions,
  etas: readonly number[],
  lambdas: readonly number[],
): fc.Arbitrary<DriftIdentityInstance> {
  return fc
    .tuple(gaussianNetworkArb(options), fc.constantFrom(...etas), fc.constantFrom(...lambdas))
    .map(([n, eta, lambda]): DriftIdentityInstance => ({ ...n, eta, lambda }));
}

/** A Gaussian network with η = 2^e, e ∈ [exponents[0], exponents[1]] (shrinking toward the smallest η). */
export function stepNetworkArb(
  options: GaussianNetworkOptions,
  exponents: [number, number],
): fc.Arbitrary<StepInstance> {
  return fc
    .tuple(gaussianNetworkArb(options), fc.integer({ min: exponents[0], max: exponents[1] }))
    .map(([n, e]): StepInstance => ({ ...n, eta: 2 ** e }));
}

/** Depth and width ranges of biased networks, and their sample counts. */
export interface BiasedNetworkOptions {
  readonly depth: [number, number];
  readonly width: [number, number];
  readonly samples: [number, number];
}

/** Weights N(0, 1/fan-in), biases N(0, 0.25), data scaled by 1/√m. */
export function biasedNetworkArb(options: BiasedNetworkOptions): fc.Arbitrary<BiasedInstance> {
  const params = fc.tuple(widthsArb({ depth: options.depth, width: options.width }), dimension(...options.samples));
  return seeded(
    params,
    ([widths, m], rng): BiasedInstance => ({
      widths,
      weights: shapesFor(widths).map(([r, c]) => gaussianMatrix(rng, r, c, 1 / Math.sqrt(c))),
      biases: widths.slice(1).map((d) => gaussianMatrix(rng, d, 1, 0.5)),
      data: scaledData(rng, widths[0], widths[widths.length - 1], m),
    }),
  );
}

/** summarizeFlowInstance with the biases. */
export const summarizeBiased = (i: BiasedInstance): Record<string, unknown> =>
  summarizeFlowInstance(i, { biases: i.biases.map(rows) });

/** Singular values top·0.6^i·(1 + 0.1u_i), i < r: distinct (consecutive ratio ≥ 0.6·1.1 = 1/1.52), σ_1 ∈ [top, 1.1·top]. */
export function distinctSpectrum(rng: Rng, r: number, top = 1.5): number[] {
  return Array.from({ length: r }, (_, i) => top * Math.pow(0.6, i) * (1 + 0.1 * rng.uniform()));
}

/** Gaussian data scaled by 1/√m so that XXᵀ and YXᵀ are O(1) in the 'half' scale. */
function scaledData(rng: Rng, d0: number, dN: number, m: number): Data {
  return { X: gaussianMatrix(rng, d0, m, 1 / Math.sqrt(m)), Y: gaussianMatrix(rng, dN, m, 1 / Math.sqrt(m)) };
}

/** A balanced network (ACGH Procedure 1) whose product has the given rank and distinct singular values. */

/** summarizeFlowInstance with the spectrum of the product W(0). */
export const summarizeBalanced = (i: BalancedInstance): Record<string, unknown> =>
  summarizeFlowInstance(i, { spectrum: i.spectrum.map(round) });

/** Depth, outer widths and sample-count ranges of the full-rank instances (defaults: depth 2..4, d_0, d_N ∈ 1..3, m ∈ 1..4). */
export type FullRankOptions = { depth?: [number, number]; outer?: [number, number]; samples?: [number, number] };

/**
 * Widths [d_0, r + e_1, …, r + e_{N−1}, d_N] with r = min(d_0, d_N) and e_j ∈ {0, 1} (every hidden width ≥ r, so the
 * product can have full rank r) and a sample count m, as shrinkable parameters; `build` draws the rest from the Rng.
 */
function seededFullRank<T>(
  options: FullRankOptions,
  build: (shape: { widths: number[]; d0: number; dN: number; r: number; m: number }, rng: Rng) => T,
): fc.Arbitrary<T> {
  const [dLo, dHi] = options.depth ?? [2, 4];
  const [oLo, oHi] = options.outer ?? [1, 3];
  const params = fc.tuple(
    dimension(dLo, dHi),
    dimension(oLo, oHi),
    dimension(oLo, oHi),
    fc.array(dimension(0, 1), { minLength: dHi, maxLength: dHi }),
    dimension(...(options.samples ?? [1, 4])),
  );
  return seeded(params, ([n, d0, dN, extra, m], rng) => {
    const r = Math.min(d0, dN);
    return build({ widths: [d0, ...extra.slice(0, n - 1).map((e) => r + e), dN], d0, dN, r, m }, rng);
  });
}

/**
 * Balanced networks of depth 2..4 with full-rank product (rank r = min(d_0, d_N), hidden widths r..r+1) and
 * distinct singular values: where the end-to-end ODE is smooth (THEORY: not Lipschitz at rank-deficient W, N ≥ 3).
 */
export function balancedFullRankArb(options: FullRankOptions = {}): fc.Arbitrary<BalancedInstance> {
  return seededFullRank(options, ({ widths, d0, dN, r, m }, rng) => {
    const spectrum = distinctSpectrum(rng, r);
    const weights = balancedFactorization(matrixWithSpectrum(rng, dN, d0, spectrum), widths, rng);
    return { widths, weights, data: scaledData(rng, d0, dN, m), rank: r, spectrum };
  });
}

/** Same widths and data as balancedFullRankArb, but i.i.d. Gaussian factors: unbalanced (the FALSE variant). */
export function unbalancedFullRankArb(options: FullRankOptions = {}): fc.Arbitrary<FlowInstance> {
  return seededFullRank(options, ({ widths, d0, dN, m }, rng) => {
    const weights = shapesFor(widths).map(([a, b]) => roundEntries(gaussianMatrix(rng, a, b, 1 / Math.sqrt(b)), 2));
    return {
      widths,
      weights,
      data: { X: roundEntries(gaussianMatrix(rng, d0, m), 2), Y: roundEntries(gaussianMatrix(rng, dN, m), 2) },
    };
  });
}

/** Balanced, rank k ∈ [1, min(d_0, d_N) − 1], hidden widths ≥ min(d_0, d_N) (so the rank could rise), full-rank data. */
export function balancedRankDeficientArb(): fc.Arbitrary<RankInstance> {
  const params = fc.tuple(
    dimension(2, 4),
    dimension(2, 3),
    dimension(2, 3),
    dimension(1, 2),
    fc.array(dimension(0, 1), { minLength: 4, maxLength: 4 }),
    dimension(0, 2),
  );
  return seeded(params, ([n, d0, dN, kRaw, extra, mExtra], rng) => {
    const full = Math.min(d0, dN);
    const k = Math.min(kRaw, full - 1);
    const widths = [d0, ...extra.slice(0, n - 1).map((e) => full + e), dN];
    const weights = balancedFactorization(matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, k)), widths, rng);
    return { widths, weights, data: scaledData(rng, d0, dN, d0 + mExtra), rank: k };
  });
}

/**
 * W_1 = 0 and Gaussian layers W_2..W_N (entries rounded to 2 decimals, N(0, 1/fan-in)): product rank 0 but unbalanced,
 * C_1(0) = W_2ᵀW_2 ≠ 0; depth and width ranges as given, m samples with entries rounded to 2 decimals.
 */
export function zeroFirstLayerArb(options: BiasedNetworkOptions): fc.Arbitrary<RankInstance> {
  const params = fc.tuple(widthsArb({ depth: options.depth, width: options.width }), dimension(...options.samples));
  return seeded(
    params,
    ([widths, m], rng): RankInstance => ({
      widths,
      weights: shapesFor(widths).map(([r, c], j) =>
        j === 0 ? new Matrix(r, c) : roundEntries(gaussianMatrix(rng, r, c, 1 / Math.sqrt(c)), 2),
      ),
      data: {
        X: roundEntries(gaussianMatrix(rng, widths[0], m), 2),
        Y: roundEntries(gaussianMatrix(rng, widths[widths.length - 1], m), 2),
      },
      rank: 0,
    }),
  );
}

/** Depth 2..4, widths 1..4, X with XXᵀ of full rank (κ(X) ≤ 3.2), Y = BX + noise, Gaussian init of scale 1. */
export function fullRankDataArb(): fc.Arbitrary<FlowInstance> {
  const params = fc.tuple(widthsArb({ depth: [2, 4], width: [1, 4] }), dimension(0, 2), fc.integer({ min: 0, max: 2 }));
  return seeded(params, ([widths, mExtra, logCondQuarter], rng) => {
    const d0 = widths[0],
      dN = widths[widths.length - 1],
      m = d0 + mExtra;
    const X = conditionedMatrix(rng, d0, m, { cond: Math.pow(10, logCondQuarter / 4) });
    // Y = BX + 0.1E with B of distinct singular values 2·0.6^i: a well-separated Q (a random Y often has a tiny
    // σ_min(Q) or gap, and the flow then crawls for hundreds of time units).
    const Y = multiply(matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, Math.min(d0, dN), 2)), X);
    const E = gaussianMatrix(rng, dN, m, 0.1);
    for (let i = 0; i < Y.data.length; i++) Y.data[i] += E.data[i];
    const weights = shapesFor(widths).map(([r, c]) => gaussianMatrix(rng, r, c, 1 / Math.sqrt(c)));
    return { widths, weights, data: { X, Y } };
  });
}

/**
 * Whitened regression data: X with XXᵀ = I (d_0×m, m ≥ d_0) and Y = QX + E(I − XᵀX), so that YXᵀ = Q exactly, Q of
 * distinct singular values 2·0.6^i(1 + 0.1u_i), plus a residual no W can fit (E Gaussian of scale 0.3).
 */
function whitenedRegression(rng: Rng, d0: number, dN: number, m: number): Data {
  const X = whitenedInputs(rng, d0, m);
  const Q = matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, Math.min(d0, dN), 2));
  const E = gaussianMatrix(rng, dN, m, 0.3);
  const Y = multiply(Q, X);
  const ex = multiply(multiply(E, X, 'n', 't'), X);
  for (let i = 0; i < Y.data.length; i++) Y.data[i] += E.data[i] - ex.data[i];
  return { X, Y };
}

/**
 * Depth 2..3, widths 1..3, whitenedRegression data with m = d_0 + 0..2 samples, and a small balanced start (σ ≤ 0.11)
 * or an unbalanced Gaussian one (entries N(0, 0.49/d_{ℓ−1})), half and half.
 */
export function limitInstanceArb(): fc.Arbitrary<LimitInstance> {
  const params = fc.tuple(widthsArb({ depth: [2, 3], width: [1, 3] }), dimension(0, 2), fc.boolean());
  return seeded(params, ([widths, mExtra, gaussianInit], rng): LimitInstance => {
    const n = widths.length - 1,
      d0 = widths[0],
      dN = widths[n],
      m = d0 + mExtra;
    const data = whitenedRegression(rng, d0, dN, m);
    // Gaussian (unbalanced, generic) starts at every depth: for N ≥ 3 the balanced starts are a measure-zero set.
    const init = gaussianInit ? 'gaussian' : 'balanced';
    const weights =
      init === 'gaussian'
        ? shapesFor(widths).map(([a, b]) => gaussianMatrix(rng, a, b, 0.7 / Math.sqrt(b)))
        : balancedFactorization(
            matrixWithSpectrum(rng, dN, d0, distinctSpectrum(rng, Math.min(...widths), 0.1)),
            widths,
            rng,
          );
    return { widths, weights, data, init };
  });
}

/** Depth 2, widths 1..3, whitenedRegression data with m = d_0 + 0..2 samples, Gaussian start N(0, 0.49/d_{ℓ−1}). */
export function twoLayerLimitArb(): fc.Arbitrary<LimitInstance> {
  const params = fc.tuple(widthsArb({ depth: [2, 2], width: [1, 3] }), dimension(0, 2));
  return seeded(params, ([widths, mExtra], rng): LimitInstance => {
    const data = whitenedRegression(rng, widths[0], widths[2], widths[0] + mExtra);
    const weights = shapesFor(widths).map(([a, b]) => gaussianMatrix(rng, a, b, 0.7 / Math.sqrt(b)));
    return { widths, weights, data, init: 'gaussian' };
  });
}

/**
 * Depth 2 with d_0 = d_2 = d ∈ [2, 3] and hidden width h ∈ [2, 3] (so min_j d_j ≥ 2), X = I, Y = Q = diag(σ),
 * σ_i = 2·0.6^i, and the balanced start W_1 = W_2 = √c·e_1e_1ᵀ of rank 1, c ∈ {0.1, 0.5, 2}·σ_1 (exact zeros
 * elsewhere, which every gradient keeps): a measure-zero set of starts.
 */
export function rankOneAlignedStartArb(): fc.Arbitrary<LimitInstance> {
  const params = fc.tuple(dimension(2, 3), dimension(2, 3), fc.integer({ min: 0, max: 2 }));
  return seeded(params, ([d, h, fi]): LimitInstance => {
    const sigma = Array.from({ length: d }, (_, i) => 2 * Math.pow(0.6, i));
    const root = Math.sqrt([0.1, 0.5, 2][fi] * sigma[0]);
    const widths = [d, h, d];
    const weights = shapesFor(widths).map(([a, b]) => {
      const w = new Matrix(a, b);
      w.data[0] = root;
      return w;
    });
    return { widths, weights, data: { X: Matrix.identity(d), Y: Matrix.diag(sigma) }, init: 'balanced' };
  });
}

/** d ∈ [2, 3] inputs and outputs, depth 2..3, hidden widths 1..3, σ_i = 2·0.6^i, c = f·σ_j with f ∈ {0.1, 0.5, 2}. */
export const saddleInstanceArb: fc.Arbitrary<SaddleInstance> = seeded(
  fc.tuple(
    dimension(2, 3),
    dimension(2, 3),
    fc.array(dimension(1, 3), { minLength: 2, maxLength: 2 }),
    fc.nat(),
    fc.integer({ min: 0, max: 2 }),
  ),
  ([d, depth, hidden, j0, fi]) => {
    const widths = [d, ...hidden.slice(0, depth - 1), d];
    const sigma = Array.from({ length: d }, (_, i) => 2 * Math.pow(0.6, i));
    const direction = 1 + (j0 % (d - 1));
    const c = [0.1, 0.5, 2][fi] * sigma[direction];
    const root = Math.pow(c, 1 / depth);
    // W_1 = root·e_1e_jᵀ, hidden W_ℓ = root·e_1e_1ᵀ, W_N = root·e_je_1ᵀ: balanced, product c·e_je_jᵀ.
    const weights = widths.slice(1).map((rows, l) => {
      const w = new Matrix(rows, widths[l]);
      w.data[(l === depth - 1 ? direction : 0) * w.cols + (l === 0 ? direction : 0)] = root;
      return w;
    });
    return {
      widths,
      weights,
      data: { X: Matrix.identity(d), Y: Matrix.diag(sigma) },
      init: 'balanced',
      direction,
      sigma,
    };
  },
);
