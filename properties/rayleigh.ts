import fc from 'fast-check';
import { decimals, dimension, seeded, widths as widthsArb } from '../src/arbitraries/seeded.js';
import { checkScalarIdentity } from '../src/check/identity.js';
import { EPS, compare, inconclusive, worstOf, type Verdict } from '../src/check/verdict.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import { svd } from '../src/linalg/svd.js';
import { balancedFactorization } from '../src/model/balanced-init.js';
import { balancednessDefects } from '../src/model/balancedness.js';
import { layerGradients } from '../src/model/gradients.js';
import { loss, residual, type Data } from '../src/model/loss.js';
import { endToEnd } from '../src/model/partial-products.js';
import { conditionedMatrix, matrixWithSpectrum, roundEntries } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { randomOrthonormal } from '../src/random/orthonormal.js';
import type { Rng } from '../src/random/rng.js';
import {
  checkEnvelope,
  checkExponent,
  describeFit,
  diagonalModelMap,
  dlnModelMap,
  fitKlExponent,
  hadamardModelMap,
  kernelSpectrum,
  klConstant,
  klRatio,
  packWeights,
  pathMinimum,
  rateFigure,
  rayleighQuotient,
  rkhsNormSquared,
  squareLossAt,
  squareLossFlow,
  tangentKernel,
  unpackWeights,
  type EnvelopeFormula,
  type KlTrajectory,
  type ModelMap,
} from '../src/rayleigh/index.js';
import { marginStart, type MarginStart } from './support/deficiency-margin.js';
import { fmt } from './support/verdict-text.js';

/**
 * THEORY §6 (seed: RSL): Rayleigh quotients of the tangent kernel K_θ = J_θJ_θ* and the Kurdyka–Łojasiewicz
 * inequalities they give. Model maps: the deep linear network f_θ = W_{N:1}X (and W_{N:1} itself), WGL's diagonal
 * network f = X(u⊙u − v⊙v) and CMV's Hadamard map f = A u^{⊙L}; square loss ℓ(f) = ½‖f − f*‖² throughout
 * (scale "half"), so g = f_θ − f* and ‖g‖² = 2L.
 */

const round = (x: number): number => Number(x.toPrecision(4));
const RSL = 'RSL (Robin, Scaman, Lelarge, Convergence beyond the over-parameterized regime using Rayleigh quotients, arXiv 2301.08117)';

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** σ_a = 10^{−a/4}, a = 0..n−1: distinct singular values a quarter decade apart, σ_max = 1. */
const quarterDecades = (n: number): number[] => Array.from({ length: n }, (_, a) => Math.pow(10, -a / 4));

function gaussianVector(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.gaussian());
}

// ---------------------------------------------------------------------------------------------------------------
// Random models at random points: rsl.identity and rsl.bounds
// ---------------------------------------------------------------------------------------------------------------

export const MODEL_KINDS = ['dln-product', 'dln', 'diagonal', 'hadamard'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface ModelInstance {
  readonly kind: ModelKind;
  readonly map: ModelMap;
  readonly theta: Float64Array;
  /** f* in H. */
  readonly target: Float64Array;
  /** DLN layers and data (kind dln, dln-product; X = I for the product). */
  readonly weights?: Matrix[];
  readonly data?: Data;
  /** Diagonal network / Hadamard map data. */
  readonly A?: Matrix;
  readonly L?: number;
  /** A parameter-space direction: J_θv is a vector in range(K_θ). */
  readonly v: Float64Array;
  /** A generic output-space vector. */
  readonly h: Float64Array;
}

/**
 * Kind (shrinks toward the DLN product map), widths [d_0..d_N] with N ≤ 3 and d_j ≤ 4 (the diagonal network
 * uses n = d_0 samples and d = d_N features, the Hadamard map A d_0×d_N and L = N), samples m ≤ 4 for f = W_{N:1}X,
 * and decimals for the entries. Layers are Gaussian with variance 1/fan-in so products stay O(1).
 */
export const modelInstances: fc.Arbitrary<ModelInstance> = seeded(
  fc.tuple(fc.integer({ min: 0, max: 3 }), widthsArb({ depth: [1, 3], width: [1, 4] }), dimension(1, 4), decimals()),
  ([k, widths, m, dec], rng): ModelInstance => {
    const kind = MODEL_KINDS[k];
    const N = widths.length - 1, d0 = widths[0], dN = widths[N];
    const v0 = (P: number): Float64Array => gaussianVector(rng, P);
    if (kind === 'dln-product' || kind === 'dln') {
      const weights = widths.slice(1).map((rows, j) => roundEntries(gaussianMatrix(rng, rows, widths[j], 1 / Math.sqrt(widths[j])), dec));
      const X = kind === 'dln' ? roundEntries(gaussianMatrix(rng, d0, m), dec) : Matrix.identity(d0);
      const Y = roundEntries(gaussianMatrix(rng, dN, X.cols), dec);
      const map = dlnModelMap(widths, kind === 'dln' ? X : undefined);
      return { kind, map, theta: packWeights(weights), target: Y.data.slice(), weights, data: { X, Y }, v: v0(map.parameterDim), h: v0(map.outputDim) };
    }
    const A = roundEntries(gaussianMatrix(rng, d0, dN), dec);
    const target = roundEntries(new Matrix(1, d0, gaussianVector(rng, d0)), dec).data;
    if (kind === 'diagonal') {
      const theta = roundEntries(new Matrix(1, 2 * dN, gaussianVector(rng, 2 * dN)), dec).data;
      return { kind, map: diagonalModelMap(A), theta, target, A, v: v0(2 * dN), h: v0(d0) };
    }
    const theta = roundEntries(new Matrix(1, dN, gaussianVector(rng, dN)), dec).data;
    return { kind, map: hadamardModelMap(A, N), theta, target, A, L: N, v: v0(dN), h: v0(d0) };
  },
);

export function summarizeModel(i: ModelInstance): Record<string, unknown> {
  return {
    kind: i.kind,
    model: i.map.name,
    theta: Array.from(i.theta, round),
    target: Array.from(i.target, round),
    ...(i.data && i.kind === 'dln' ? { X: i.data.X.toArray().map((r) => r.map(round)) } : {}),
    ...(i.A ? { A: i.A.toArray().map((r) => r.map(round)) } : {}),
    ...(i.L !== undefined ? { L: i.L } : {}),
  };
}

/**
 * The loss, functional gradient and parameter gradient of the square loss computed WITHOUT the model map: src/model
 * (loss, residual, layerGradients) for the DLN, the chain rule written out for the diagonal and Hadamard maps.
 */
export function independentSquareLoss(i: ModelInstance): { loss: number; g: Float64Array; gradient: Float64Array } {
  if (i.weights && i.data) {
    const g = residual(endToEnd(i.weights), i.data).data.slice();
    return { loss: loss(i.weights, i.data), g, gradient: packWeights(layerGradients(i.weights, i.data)) };
  }
  const A = i.A as Matrix, n = A.cols, m = A.rows;
  const x = new Float64Array(n);
  if (i.kind === 'diagonal') for (let k = 0; k < n; k++) x[k] = i.theta[k] ** 2 - i.theta[n + k] ** 2;
  else for (let k = 0; k < n; k++) x[k] = i.theta[k] ** (i.L as number);
  const g = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = -i.target[r];
    for (let k = 0; k < n; k++) s += A.data[r * n + k] * x[k];
    g[r] = s;
  }
  const atg = new Float64Array(n);
  for (let r = 0; r < m; r++) for (let k = 0; k < n; k++) atg[k] += A.data[r * n + k] * g[r];
  const gradient = new Float64Array(i.theta.length);
  if (i.kind === 'diagonal') {
    for (let k = 0; k < n; k++) {
      gradient[k] = 2 * i.theta[k] * atg[k];
      gradient[n + k] = -2 * i.theta[n + k] * atg[k];
    }
  } else {
    const L = i.L as number;
    for (let k = 0; k < n; k++) gradient[k] = L * i.theta[k] ** (L - 1) * atg[k];
  }
  return { loss: 0.5 * dot(g, g), g, gradient };
}

/** How a check obtains K_θ (tests inject wrong kernels). Default: the explicit Jacobian from jvps, K = JJᵀ. */
export type KernelOf = (map: ModelMap, theta: Float64Array) => Matrix;
const defaultKernel: KernelOf = (map, theta) => tangentKernel(map, theta, 'jvp');

// ---------------------------------------------------------------------------------------------------------------
// rsl.identity
// ---------------------------------------------------------------------------------------------------------------

export interface IdentityOptions {
  /** The factor in ‖∇L‖² = factor·R·L (2 for the square loss). */
  readonly factor?: number;
  readonly kernel?: KernelOf;
}

/**
 * ‖∇L‖² (from src/model or the written-out chain rule) = ⟨g, K_θg⟩ (K from the explicit Jacobian built by jvps)
 * = 2R_θ(g)L, each at c = 8 ulps of the scale (M + P)·tr(K)·‖g‖² — the size of the terms Σ_k (J_θᵀg)_k² is built
 * from (‖J‖_F² = tr K).
 */
export function checkRayleighIdentity(i: ModelInstance, options: IdentityOptions = {}): Verdict {
  const factor = options.factor ?? 2;
  const K = (options.kernel ?? defaultKernel)(i.map, i.theta);
  const { loss: L, g, gradient } = independentSquareLoss(i);
  const lhs = dot(gradient, gradient);
  const R = rayleighQuotient(K, g);
  const quad = R * dot(g, g);
  let trace = 0;
  for (let k = 0; k < K.rows; k++) trace += K.data[k * K.rows + k];
  const scale = (i.map.outputDim + i.map.parameterDim) * trace * dot(g, g);
  const rel = (a: number, b: number): string => fmt(Math.abs(a - b) / Math.max(Math.abs(a), Number.MIN_VALUE));
  const quadratic = checkScalarIdentity(lhs, quad, { scale, label: `‖∇L‖² = ⟨g, K_θg⟩ (relative ${rel(lhs, quad)})` });
  const square = checkScalarIdentity(lhs, factor * R * L, { scale, label: `‖∇L‖² = ${factor}·R_θ(g)·L (relative ${rel(lhs, factor * R * L)})` });
  const v = worstOf([quadratic, square]);
  return {
    ...v,
    detail: `${i.map.name}: ‖∇L‖² = ${fmt(lhs)}, ⟨g, Kg⟩ = ${fmt(quad)}, R = ${fmt(R)}, L = ${fmt(L)}; ${v.detail}`,
    data: { lhs, quadratic: quad, R, L, relativeError: Math.abs(lhs - factor * R * L) / lhs },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// rsl.bounds
// ---------------------------------------------------------------------------------------------------------------

/**
 * At a random θ: (1) λ_min(K) ≤ R(h) ≤ λ_max(K) for a generic h, with c·M·ε·λ_max for the eigenvalue error of a
 * symmetric eigensolver (backward stable: |Δλ| ≤ c·M·ε·‖K‖); (2) for g = J_θv ∈ range(K) the pseudo-inverse bound
 * R(g)·⟨g, K⁺g⟩/‖g‖² ≥ 1 (Cauchy–Schwarz), held to 64·M·ε·κ (κ = the condition number of K on its range: the
 * relative error of ⟨g, K⁺g⟩); (3) its square-loss reading at f* = f_θ − J_θv: ‖∇L‖² ≥ (4/B²)L² with
 * B² = ‖f_θ − f*‖²_{H(K)} = ⟨g, K⁺g⟩. Inconclusive when the range of K is not numerically separated (an eigenvalue
 * between 1e3·M·ε·λ_max and the 1e-10·λ_max cutoff).
 */
export function checkRayleighBounds(i: ModelInstance, kernel: KernelOf = defaultKernel): Verdict {
  const K = kernel(i.map, i.theta);
  const M = K.rows;
  const spectrum = kernelSpectrum(K);
  const { lambdaMin, lambdaMax } = spectrum;
  const Rh = rayleighQuotient(K, i.h);
  const position = lambdaMax > lambdaMin ? (Rh - lambdaMin) / (lambdaMax - lambdaMin) : 0.5;
  const scale = lambdaMax > 0 ? lambdaMax : 1;
  const spectral = [
    compare({
      measured: (lambdaMin - Rh) / scale,
      bound: 16 * M * EPS,
      errorModel: `(λ_min − R)/λ_max ≤ 16·M·ε = ${fmt(16 * M * EPS)} (eigenvalue error of a backward-stable symmetric eigensolver)`,
      detail: `λ_min ≤ R(h): λ_min = ${fmt(lambdaMin)}, R(h) = ${fmt(Rh)}, λ_max = ${fmt(lambdaMax)} (R at ${position.toFixed(3)} of [λ_min, λ_max])`,
    }),
    compare({
      measured: (Rh - lambdaMax) / scale,
      bound: 16 * M * EPS,
      errorModel: `(R − λ_max)/λ_max ≤ 16·M·ε = ${fmt(16 * M * EPS)}`,
      detail: `R(h) ≤ λ_max: λ_min = ${fmt(lambdaMin)}, R(h) = ${fmt(Rh)}, λ_max = ${fmt(lambdaMax)} (R at ${position.toFixed(3)} of [λ_min, λ_max])`,
    }),
  ];
  const g = i.map.jvp(i.theta, i.v);
  if (!(dot(g, g) > 0) || spectrum.rank === 0) return worstOf(spectral);
  const R = rayleighQuotient(K, g);
  const { value: B2, rangeResidual } = rkhsNormSquared(spectrum, g);
  const ratio = (R * B2) / dot(g, g);
  const tol = 64 * M * EPS * spectrum.rangeCondition + rangeResidual;
  // Square-loss reading: L = ½‖g‖², ‖∇L‖² = ‖J*g‖² (one vjp), B² = ⟨g, K⁺g⟩.
  const gradSq = dot(i.map.vjp(i.theta, g), i.map.vjp(i.theta, g));
  const L = 0.5 * dot(g, g);
  const klRatio2 = (gradSq * B2) / (4 * L * L);
  const input = {
    measured: Math.min(ratio, klRatio2),
    bound: 1 - tol,
    comparison: '>=' as const,
    errorModel: `R·⟨g, K⁺g⟩/‖g‖² ≥ 1 − (64·M·ε·κ + ‖g − Πg‖/‖g‖) = 1 − ${fmt(tol)}, κ = λ_max/λ_r = ${fmt(spectrum.rangeCondition)} on the range (rank ${spectrum.rank} of ${M})`,
    detail:
      `g = J_θv ∈ range(K): R(g) = ${fmt(R)} ≥ ‖g‖²/⟨g, K⁺g⟩ = ${fmt(dot(g, g) / B2)} (ratio ${ratio.toFixed(6)}); ` +
      `square loss with f* = f_θ − g: ‖∇L‖² = ${fmt(gradSq)} ≥ 4L²/B² = ${fmt((4 * L * L) / B2)} (ratio ${klRatio2.toFixed(6)})`,
  };
  const separated = spectrum.gap[0] <= 1e3 * M * EPS * lambdaMax;
  const pinv = separated
    ? compare(input)
    : inconclusive({ ...input, detail: `${input.detail}; the range of K is not numerically separated (eigenvalue ${fmt(spectrum.gap[0])} below the cutoff)` });
  return worstOf([...spectral, pinv]);
}

// ---------------------------------------------------------------------------------------------------------------
// Deep linear networks with a deficiency margin (rsl.kl-rates family dln-margin, rsl.dln-pl)
// ---------------------------------------------------------------------------------------------------------------

/** The parameters (d, N, q, gammaQ, uQ) of marginStart. */
const marginParams = fc.tuple(dimension(1, 3), dimension(1, 4), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }));

// ---------------------------------------------------------------------------------------------------------------
// rsl.kl-rates
// ---------------------------------------------------------------------------------------------------------------

export const KL_FAMILIES = ['dln-margin', 'dln-degenerate', 'diagonal'] as const;
export type KlFamily = (typeof KL_FAMILIES)[number];

export interface KlInstance {
  readonly family: KlFamily;
  readonly map: ModelMap;
  readonly theta0: Float64Array;
  readonly target: Float64Array;
  /** The KL exponent the family predicts on the tail. */
  readonly predictedA: number;
  /** A constant c with ‖∇L‖² ≥ cL along the whole flow, when the theory gives one (a = 1). */
  readonly predictedC?: { readonly value: number; readonly why: string };
  /**
   * How far ‖∇L‖²/L^a may spread on the tail for the predicted a, which bounds the fitted slope's deviation:
   * 'kernel' (a = 1: 2λ_min(K) ≤ ‖∇L‖²/L ≤ 2λ_max(K), spread log10 of the kernel's condition number on the fit
   * range) or a number of decoupled zero-target modes z (a = 2 − 1/N: ‖∇L‖²/L^a = N2^aΣs_i^{2a}/(Σs_i²)^a lies within a
   * factor z^{a−1} by the power-mean inequality).
   */
  readonly spread: 'kernel' | { readonly zeroModes: number };
  readonly summary: Record<string, unknown>;
}

/**
 * Three families of square-loss gradient flows:
 *  - dln-margin: balanced square DLN, f = W_{N:1}, target Φ of full rank, start with deficiency margin c:
 *    ‖∇L‖² = 2RL ≥ 2N s_min(A)^{2(N−1)/N}L ≥ 2Nc^{2(N−1)/N}L (rsl.dln-pl; ‖A(t) − Φ‖_F is non-increasing), a = 1;
 *  - dln-degenerate: balanced square DLN, target of rank r < d (Φ = 0 allowed), full-rank start = Φ plus
 *    zero-target modes plus a small coupling: on the tail the zero-target block follows Ȧ = −N(AAᵀ)^{(N−1)/N}A, whose
 *    singular values obey ṡ = −N s^{3−2/N}, so ‖∇L‖² ∝ L^{2−1/N}, a = 2 − 1/N [D];
 *  - diagonal: WGL's diagonal network from u = v = α1 on a consistent underdetermined problem: u⊙v = α²1 is
 *    conserved, K = X diag(4(u² + v²))Xᵀ ⪰ 8α²XXᵀ, so ‖∇L‖² ≥ 16α²σ_min(X)²L, a = 1 [D].
 */
export const klInstances: fc.Arbitrary<KlInstance> = seeded(
  fc.tuple(fc.integer({ min: 0, max: 2 }), marginParams, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 7 })),
  ([k, [d, depth, q, gammaQ, uQ], extra, alphaQ], rng): KlInstance => {
    const family = KL_FAMILIES[k];
    if (family === 'dln-margin') {
      const s = marginStart(rng, d, depth, q, gammaQ, uQ);
      const N = depth;
      return {
        family,
        map: dlnModelMap(new Array(N + 1).fill(d)),
        theta0: packWeights(s.weights),
        target: s.Phi.data.slice(),
        predictedA: 1,
        predictedC: { value: 2 * N * Math.pow(s.c, (2 * (N - 1)) / N), why: `2N·c^{2(N−1)/N}, deficiency margin c = ${fmt(s.c)}` },
        spread: 'kernel',
        summary: { family, d, N, c: round(s.c), sigmaMinPhi: round(s.sigmaMinPhi), Phi: s.Phi.toArray().map((r) => r.map(round)) },
      };
    }
    if (family === 'dln-degenerate') {
      // Φ = Σ_{a<r} σ_a u_a v_aᵀ; A(0) = Φ + Σ_{a≥r} z_a u_a v_aᵀ + E: zero-target modes of size z_a ∈ [0.1, 0.5] (so the
      // algebraic tail dominates early) and a small generic E (‖E‖_F = 0.05·σ_r) that couples all modes.
      const r = Math.min(q, d - 1); // rank of the target, shrinking toward Φ = 0
      const sigma = quarterDecades(r);
      const U = randomOrthonormal(rng, d, d), V = randomOrthonormal(rng, d, d);
      const z = Array.from({ length: d - r }, (_, a) => Math.round((0.1 + (0.4 * (uQ - 1 + a)) / 4) * 100) / 100);
      const outer = (values: readonly number[], from: number): Matrix => {
        const M = new Matrix(d, d);
        values.forEach((v, k) => {
          for (let row = 0; row < d; row++) for (let col = 0; col < d; col++) M.data[row * d + col] += v * U.get(row, from + k) * V.get(col, from + k);
        });
        return M;
      };
      const Phi = outer(sigma, 0);
      const A0 = outer(z, r);
      const E = gaussianMatrix(rng, d, d);
      const e = (0.05 * (r > 0 ? sigma[r - 1] : 1)) / frobeniusNorm(E);
      for (let t = 0; t < A0.data.length; t++) A0.data[t] += Phi.data[t] + e * E.data[t];
      const N = depth;
      const weights = balancedFactorization(A0, new Array(N + 1).fill(d), rng);
      return {
        family,
        map: dlnModelMap(new Array(N + 1).fill(d)),
        theta0: packWeights(weights),
        target: Phi.data.slice(),
        predictedA: 2 - 1 / N,
        spread: { zeroModes: d - r },
        summary: { family, d, N, rankPhi: r, zeroModes: z, Phi: Phi.toArray().map((row) => row.map(round)) },
      };
    }
    const n = d, features = d + extra + 1;
    const X = conditionedMatrix(rng, n, features, { cond: Math.pow(10, q / 8) });
    const beta = gaussianVector(rng, features);
    const y = new Float64Array(n);
    for (let r = 0; r < n; r++) for (let j = 0; j < features; j++) y[r] += X.data[r * features + j] * beta[j];
    const alpha = Math.round((0.3 + 0.1 * alphaQ) * 10) / 10;
    const sMin = svd(X).s[n - 1];
    return {
      family,
      map: diagonalModelMap(X),
      theta0: new Float64Array(2 * features).fill(alpha),
      target: y,
      predictedA: 1,
      predictedC: { value: 16 * alpha * alpha * sMin * sMin, why: `16α²σ_min(X)² (u⊙v = α² conserved ⇒ K ⪰ 8α²XXᵀ), α = ${alpha}` },
      spread: 'kernel',
      summary: { family, alpha, X: X.toArray().map((r) => r.map(round)), y: Array.from(y, round) },
    };
  },
);

/** Horizon and integrator of the KL flows. */
export const KL_FLOW = { T: 500, rtol: 1e-12, atol: 1e-14, maxSteps: 40_000 } as const;
/** Base slack of the fitted exponent against the predicted one (plus 1.5·spread/decades, see KlInstance.spread). */
export const KL_EXPONENT_SLACK = 0.02;

export interface KlRatesOptions {
  /** Replace the family's predicted exponent (tests: a wrong a must fail). */
  readonly predictedA?: number;
  /** The exponent the envelopes are evaluated with, from the exponent their constant was measured for (default identity). */
  readonly envelopeExponent?: (a: number) => number;
  readonly formula?: EnvelopeFormula;
}

interface KlRecord extends KlTrajectory {
  readonly lambdaMin: number[];
  readonly lambdaMax: number[];
  readonly rkhs: number[];
  readonly rangeResidual: number[];
}

/** Run the flow, recording λ_min(K_θ) and ⟨g, K_θ⁺g⟩ at every observation with the loss and gradient. */
export function klFlow(i: KlInstance): KlRecord & { status: string; steps: number } {
  const lambdaMin: number[] = [], lambdaMax: number[] = [], rkhs: number[] = [], rangeResidual: number[] = [];
  const r = squareLossFlow(i.map, i.target, i.theta0, {
    T: KL_FLOW.T,
    rtol: KL_FLOW.rtol,
    atol: KL_FLOW.atol,
    maxSteps: KL_FLOW.maxSteps,
    observe: (_t, theta, p) => {
      const s = kernelSpectrum(tangentKernel(i.map, theta, 'vjp'));
      lambdaMin.push(Math.max(s.lambdaMin, 0));
      lambdaMax.push(s.lambdaMax);
      const b = rkhsNormSquared(s, p.g);
      rkhs.push(b.value);
      rangeResidual.push(b.rangeResidual);
    },
  });
  return { t: r.t, loss: r.loss, gradientNormSquared: r.gradientNormSquared, lambdaMin, lambdaMax, rkhs, rangeResidual, status: r.status, steps: r.steps };
}

/**
 * Along the simulated flow, over EVERY recorded observation (t = 0 and every accepted step, until L < 1e2·ε·L_0 or
 * T), the envelope of each KL inequality whose constant is known on the path:
 *   a = 1 with c = 2·inf λ_min(K_θ(t)) (R ≥ λ_min, rsl.bounds);
 *   a = 2 with c = 4/sup ‖g‖²_{H(K)} (the RKHS bound of rsl.bounds);
 *   a = 1 with the family's theoretical constant, when it has one;
 *   a = â (fitted on the tail) with c = inf ‖∇L‖²/L^â.
 * Path infima use pathMinimum's lower estimate. Then |â − a_predicted| ≤ 0.02 + 1.5·S/D (KlInstance.spread).
 */
export function checkKlRates(i: KlInstance, options: KlRatesOptions = {}): Verdict {
  const tr = klFlow(i);
  const L0 = tr.loss[0];
  const floor = 1e3 * EPS * L0;
  const shift = options.envelopeExponent ?? ((a: number) => a);
  const envelopes: { name: string; short: string; a: number; c: number }[] = [];
  const cLambda = pathMinimum(tr.lambdaMin.map((l) => 2 * l)).value;
  envelopes.push({ name: 'a = 1, c = 2·inf λ_min(K)', short: 'envelope a=1, c=2λ_min', a: 1, c: cLambda });
  const inRange = Math.max(...tr.rangeResidual) <= 1e-6;
  if (inRange) envelopes.push({ name: 'a = 2, c = 4/sup ‖g‖²_H(K)', short: 'envelope a=2, c=4/B²', a: 2, c: pathMinimum(tr.rkhs.map((b) => 4 / b)).value });
  if (i.predictedC) envelopes.push({ name: `a = 1, c = ${i.predictedC.why}`, short: 'envelope a=1, c theory', a: 1, c: i.predictedC.value });
  const fit = fitKlExponent(tr);
  if (fit) envelopes.push({ name: `a = â = ${fit.a.toFixed(3)}, c = inf ‖∇L‖²/L^â`, short: `envelope a=â=${fit.a.toFixed(2)}`, a: fit.a, c: klConstant(tr, fit.a).value });
  const checks = envelopes.map((e) => {
    const v = checkEnvelope(tr, { name: e.name, a: shift(e.a), c: e.c, relative: 1e-6, absolute: floor, ...(options.formula ? { formula: options.formula } : {}) });
    return { ...e, verdict: v };
  });
  const predicted = options.predictedA ?? i.predictedA;
  let spread = 0, spreadModel = '';
  if (fit && i.spread === 'kernel') {
    const lo = Math.min(...tr.lambdaMin.slice(fit.from, fit.to + 1)), hi = Math.max(...tr.lambdaMax.slice(fit.from, fit.to + 1));
    spread = Math.log10(hi / lo);
    spreadModel = `${KL_EXPONENT_SLACK} + 1.5·log10(sup λ_max/inf λ_min of K on the fit range = ${fmt(hi / lo)})/${fit.decades.toFixed(2)} decades: 2λ_min ≤ ‖∇L‖²/L ≤ 2λ_max`;
  } else if (fit && i.spread !== 'kernel') {
    spread = (predicted - 1) * Math.log10(i.spread.zeroModes);
    spreadModel = `${KL_EXPONENT_SLACK} + 1.5·(a − 1)·log10(${i.spread.zeroModes} zero-target modes)/${fit.decades.toFixed(2)} decades: power-mean spread of ‖∇L‖²/L^a`;
  }
  const slack = KL_EXPONENT_SLACK + (fit ? (1.5 * spread) / fit.decades : 0);
  const exponent = checkExponent(fit, predicted, slack, `${i.family} tail exponent`, spreadModel);
  const n = tr.t.length;
  const header =
    `${i.map.name}, ${i.family}: ${n} observations over t ∈ [0, ${fmt(tr.t[n - 1])}] (${tr.status}), L from ${fmt(L0)} to ${fmt(tr.loss[n - 1])}; ` +
    (fit ? describeFit(fit) : 'no tail fit');
  const worst = worstOf([...checks.map((c) => c.verdict), exponent]);
  const plot = rateFigure({
    title: `rsl.kl-rates (${i.family}): L(t) and KL envelopes${fit ? `, â = ${fit.a.toFixed(2)} (predicted ${predicted.toFixed(2)})` : ''}`,
    yLabel: 'L(t) = ½‖f_θ(t) − f*‖²',
    t: tr.t,
    measured: { name: 'L(t)', y: tr.loss },
    predicted: [
      ...checks.map((c) => ({ name: c.short, y: c.verdict.envelope })),
      { name: 'floor 1e3·ε·L₀', y: tr.t.map(() => floor) },
    ],
    bands: fit ? [{ from: fit.tRange[0], to: fit.tRange[1], label: `fit range of â = ${fit.a.toFixed(3)}` }] : [],
  });
  const ratio = klRatio(tr, predicted);
  const cRatio = klConstant(tr, predicted).value;
  const ratioPlot = rateFigure({
    title: `rsl.kl-rates (${i.family}): KL ratio ‖∇L‖²/L^a along the flow, predicted a = ${predicted.toFixed(3)}`,
    yLabel: `‖∇L‖²/L^${predicted.toFixed(2)}`,
    t: tr.t,
    measured: { name: `‖∇L‖²/L^a`, y: ratio },
    predicted: [
      { name: 'c = inf over the path', y: tr.t.map(() => cRatio) },
      ...(predicted === 1 ? [{ name: '2λ_min(K_θ(t))', y: tr.lambdaMin.map((l) => 2 * l) }] : []),
    ],
    bands: fit ? [{ from: fit.tRange[0], to: fit.tRange[1], label: 'fit range' }] : [],
  });
  return {
    ...worst,
    detail: `${header}; ${worst.detail}`,
    data: {
      plot,
      ratioPlot,
      fit: fit ?? null,
      predictedA: predicted,
      envelopes: checks.map((c) => ({ name: c.name, a: c.a, c: c.c, status: c.verdict.status, margin: c.verdict.margin })),
      timeRange: [tr.t[0], tr.t[n - 1]],
      observations: n,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// rsl.dln-pl
// ---------------------------------------------------------------------------------------------------------------

export interface DlnPlInstance extends MarginStart {
  /** GD step η = etaRel/Λ_0, Λ_0 = λ_max(K_θ(0)). */
  readonly etaRel: number;
}

export const DLN_PL_ETAS = [1e-3, 1e-2, 1e-1];

/** As the dln-margin family but N ≥ 2 (for N = 1 the kernel is the identity and R = 1 = the bound, an equality). */
export const dlnPlInstances: fc.Arbitrary<DlnPlInstance> = seeded(
  fc.tuple(dimension(1, 3), dimension(2, 4), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: DLN_PL_ETAS.length - 1 })),
  ([d, depth, q, gammaQ, uQ, e], rng) => ({ ...marginStart(rng, d, depth, q, gammaQ, uQ), etaRel: DLN_PL_ETAS[e] }),
);

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

/** GD steps of rsl.dln-pl (stopping earlier once L < 1e3·ε·L_0), checked every DLN_PL_GD_EVERY steps and at the last. */
export const DLN_PL_GD_STEPS = 1500;
export const DLN_PL_GD_EVERY = 5;

/** The claimed lower bound on R (tests inject wrong ones). */
export type PlBound = (N: number, sMin: number) => number;
export const dlnPlBound: PlBound = (N, sMin) => N * Math.pow(sMin, (2 * (N - 1)) / N);

/**
 * The tolerance of R ≥ N s_min(A)^{2(N−1)/N} at a point whose layers are only nearly balanced:
 *   drift: 2·κ_N·max_j‖C_j‖_F, κ_N = N(N−1)/2·(s_max/s_min)^{2/N}·s_min^{2(N−2)/N}
 *     [D for N = 2 to first order: K = W_2W_2ᵀ ⊗ I + I ⊗ W_1ᵀW_1 and ‖W_2W_2ᵀ − (AAᵀ)^{1/2}‖ ≤ ‖W_2‖²‖C‖/(σ_min(W_2)² + s_min)
 *     by the square-root perturbation bound, likewise for W_1ᵀW_1; for N ≥ 3 one such term per pair of layers is a
 *     model, validated on 40 000 random and gauge perturbations of balanced networks (largest shortfall/(κ_Nδ) = 1.0);
 *     ×2 for second-order terms];
 *   round-off: R = ‖J*g‖²/‖g‖² with g = A − Φ known to e_g = 4(N + d)ε(Π‖W_j‖_F + ‖Φ‖_F), moving R by ≤ 2Λe_g/‖g‖,
 *     plus 8(P + M)εΛ, Λ = Σ_j Π_{i≠j}‖W_i‖_F² ≥ λ_max(K).
 */
export function plTolerance(weights: readonly Matrix[], Phi: Matrix, gNorm: number, s: Float64Array): { drift: number; roundoff: number; defect: number; kappa: number } {
  const N = weights.length, d = Phi.rows;
  const sMin = s[s.length - 1], sMax = s[0];
  const defect = N > 1 ? Math.max(...balancednessDefects(weights).map(frobeniusNorm)) : 0;
  const kappa = ((N * (N - 1)) / 2) * Math.pow(sMax / sMin, 2 / N) * Math.pow(sMin, (2 * (N - 2)) / N);
  const norms = weights.map((w) => frobeniusNorm(w) ** 2);
  let lambda = 0;
  for (let j = 0; j < N; j++) lambda += norms.reduce((p, x, i) => (i === j ? p : p * x), 1);
  const eg = 4 * (N + d) * EPS * (Math.sqrt(norms.reduce((p, x) => p * x, 1)) + frobeniusNorm(Phi));
  const P = N * d * d, M = d * d;
  return { drift: N > 1 ? 2 * kappa * defect : 0, roundoff: (2 * lambda * eg) / gNorm + 8 * (P + M) * EPS * lambda, defect, kappa };
}

interface PlPoint {
  readonly t: number;
  readonly R: number;
  readonly bound: number;
  readonly tol: number;
  readonly defect: number;
  readonly loss: number;
  readonly rho: number;
  readonly sMin: number;
}

function plPoint(i: MarginStart, widths: readonly number[], theta: Float64Array, t: number, L: number, gradSq: number, g: Float64Array, bound: PlBound, drift: boolean): PlPoint {
  const weights = unpackWeights(theta, widths);
  const A = new Matrix(i.d, i.d, Float64Array.from(g, (x, k) => x + i.Phi.data[k]));
  const s = svd(A).s;
  const gNorm = Math.sqrt(2 * L);
  const tol = plTolerance(weights, i.Phi, gNorm, s);
  return { t, R: gradSq / (2 * L), bound: bound(i.depth, s[s.length - 1]), tol: (drift ? tol.drift : 0) + tol.roundoff, defect: tol.defect, loss: L, rho: gradSq / L, sMin: s[s.length - 1] };
}

function plVerdict(points: readonly PlPoint[], label: string): Verdict {
  let worst: PlPoint | undefined, worstQ = Infinity;
  for (const p of points) {
    const q = p.R / p.bound - (1 - p.tol / p.bound);
    if (!(q >= worstQ)) {
      worstQ = q;
      worst = p;
    }
  }
  const p = worst as PlPoint;
  return compare({
    measured: p.R / p.bound,
    bound: 1 - p.tol / p.bound,
    comparison: '>=',
    errorModel: `R/(N s_min^{2(N−1)/N}) ≥ 1 − τ/bound, τ = 2κ_N·max‖C_j‖_F (balancedness drift) + round-off of R (plTolerance)`,
    detail:
      `${label}: closest at t = ${fmt(p.t)} (L = ${fmt(p.loss)}): R = ${fmt(p.R)} vs N s_min(A)^{2(N−1)/N} = ${fmt(p.bound)} ` +
      `(ratio ${(p.R / p.bound).toFixed(9)}), τ = ${fmt(p.tol)} with max‖C_j‖_F = ${fmt(p.defect)}; ${points.length} points`,
  });
}

export interface DlnPlOptions {
  /** The claimed lower bound on R (default N s_min^{2(N−1)/N}). */
  readonly bound?: PlBound;
  /** Model the balancedness drift in the tolerance (default true; false keeps only round-off, to show the drift is real). */
  readonly modelDrift?: boolean;
}

/**
 * Along the balanced gradient flow (Dormand–Prince, rtol 1e-12) and along GD with η = etaRel/λ_max(K_θ(0)), at
 * every recorded point until L < 1e3·ε·L_0: R_θ(g) ≥ N s_min(A)^{2(N−1)/N} − τ (τ: plTolerance, which carries the
 * O(η²) balancedness drift of GD, C_j⁺ − C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ)); and along the flow the PL inequality
 * with the deficiency margin, ‖∇L‖²/L ≥ 2N c^{2(N−1)/N}.
 */
export function checkDlnPl(i: DlnPlInstance, options: DlnPlOptions = {}): Verdict {
  const bound = options.bound ?? dlnPlBound;
  const drift = options.modelDrift ?? true;
  const N = i.depth, d = i.d;
  const widths = new Array(N + 1).fill(d);
  const map = dlnModelMap(widths);
  const target = i.Phi.data.slice();
  const theta0 = packWeights(i.weights);
  const p0 = squareLossAt(map, theta0, target);
  const floor = 1e3 * EPS * p0.loss;
  const flowPoints: PlPoint[] = [];
  const flow = squareLossFlow(map, target, theta0, {
    T: KL_FLOW.T,
    rtol: KL_FLOW.rtol,
    atol: KL_FLOW.atol,
    maxSteps: KL_FLOW.maxSteps,
    stopBelow: floor,
    observe: (t, theta, p) => {
      if (p.loss >= floor) flowPoints.push(plPoint(i, widths, theta, t, p.loss, p.gradientNormSquared, p.g, bound, drift));
    },
  });
  // GD: θ ← θ − η∇L.
  const lambda0 = kernelSpectrum(tangentKernel(map, theta0, 'vjp')).lambdaMax;
  const eta = i.etaRel / lambda0;
  const gdPoints: PlPoint[] = [];
  const theta = theta0.slice();
  let gdSteps = 0;
  for (let k = 0; k <= DLN_PL_GD_STEPS; k++) {
    const p = squareLossAt(map, theta, target);
    if (!(p.loss >= floor)) break;
    gdSteps = k;
    if (k % DLN_PL_GD_EVERY === 0 || k === DLN_PL_GD_STEPS) gdPoints.push(plPoint(i, widths, theta, k * eta, p.loss, p.gradientNormSquared, p.g, bound, drift));
    for (let j = 0; j < theta.length; j++) theta[j] -= eta * p.gradient[j];
  }
  const plConstant = 2 * N * Math.pow(i.c, (2 * (N - 1)) / N);
  let minRho = Infinity, at = 0;
  for (const p of flowPoints) if (p.rho < minRho) [minRho, at] = [p.rho, p.t];
  const margin = compare({
    measured: minRho / plConstant,
    bound: 1 - 1e-9,
    comparison: '>=',
    errorModel: 'inf over the flow of ‖∇L‖²/L against 2N·c^{2(N−1)/N} ≥ 1 − 1e-9 (round-off; s_min(A(t)) ≥ c since ‖A(t) − Φ‖_F is non-increasing)',
    detail: `PL with deficiency margin c = ${fmt(i.c)}: min ‖∇L‖²/L = ${fmt(minRho)} at t = ${fmt(at)} vs 2N c^{2(N−1)/N} = ${fmt(plConstant)}`,
  });
  const verdicts = [plVerdict(flowPoints, `flow (${flowPoints.length} points, ${flow.status})`), plVerdict(gdPoints, `GD η = ${fmt(eta)} (${gdSteps} steps, every ${DLN_PL_GD_EVERY}th checked)`), margin];
  const worst = worstOf(verdicts);
  const tFlow = flowPoints.map((p) => p.t);
  const plot = rateFigure({
    title: `rsl.dln-pl: KL ratio ‖∇L‖²/L along the flow and GD (N = ${N}, d = ${d}, c = ${i.c.toPrecision(3)}, η = ${fmt(eta)})`,
    yLabel: '‖∇L‖²/L = 2R_θ(g)',
    t: tFlow,
    measured: { name: 'flow ‖∇L‖²/L', y: flowPoints.map((p) => p.rho) },
    predicted: [
      { name: 'bound 2N s_min^{2−2/N}', y: flowPoints.map((p) => 2 * p.bound) },
      { name: `margin 2Nc^{2−2/N}`, y: flowPoints.map(() => plConstant) },
    ],
  });
  const keepGd = gdPoints.filter((p) => p.t > 0).filter((_, k, all) => k % Math.max(1, Math.ceil(all.length / 80)) === 0);
  const plotWithGd = {
    ...plot,
    series: [
      ...plot.series,
      { name: 'GD ‖∇L‖²/L (t = kη)', x: keepGd.map((p) => round(p.t)), y: keepGd.map((p) => round(p.rho)), style: 'points' as const },
    ],
  };
  return {
    ...worst,
    data: {
      plot: plotWithGd,
      checks: verdicts.map((v) => ({ status: v.status, measured: v.measured, bound: v.bound, margin: v.margin, detail: v.detail })),
      eta,
      flowPoints: flowPoints.length,
      gdSteps,
      maxDefectGd: Math.max(0, ...gdPoints.map((p) => p.defect)),
      timeRange: [0, tFlow[tFlow.length - 1]],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// FALSE: a deficiency margin with a bottleneck
// ---------------------------------------------------------------------------------------------------------------

export interface BottleneckInstance {
  readonly d: number;
  readonly depth: number;
  /** Width of the first hidden layer (the others are d). */
  readonly width: number;
  readonly Phi: Matrix;
  readonly sigma: readonly number[];
  readonly weights: Matrix[];
}

/**
 * Φ d×d of full rank (σ_a = 10^{−a/4}); widths [d, w, d, …, d], N ∈ [2, 4]; start: the best attainable product,
 * A(0) = [Φ + Δ]_{min(w,d)} (‖Δ‖_F = ¼σ_min(Φ)), balanced. With w ≥ d this is a start with margin c ≥ ¾σ_min(Φ).
 */
export const bottleneckInstances: fc.Arbitrary<BottleneckInstance> = seeded(
  fc.tuple(dimension(1, 3), dimension(2, 4), dimension(1, 3)),
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
    for (let a = 0; a < k; a++) for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) Ak.data[r * d + c] += f.s[a] * f.U.get(r, a) * f.V.get(c, a);
    const widths = [d, width, ...new Array(depth - 1).fill(d)];
    return { d, depth, width, Phi, sigma, weights: balancedFactorization(Ak, widths, rng) };
  },
);

/**
 * The claim "for any widths, the balanced flow has a deficiency margin c = σ_min(Φ) − ‖A(0) − Φ‖_F > 0 and
 * ‖∇L‖² ≥ 2Nc^{2(N−1)/N}L along it". The best margin any start can have is σ_min(Φ) − min_{rank A ≤ w}‖A − Φ‖_F
 * = σ_min(Φ) − (Σ_{a>w} σ_a²)^{1/2} (Eckart–Young, exact), ≤ 0 when w < rank Φ; the flow from the best rank-w start
 * then sits at a critical point with L > 0 and ‖∇L‖²/L → 0.
 */
export function checkBottleneck(i: BottleneckInstance): Verdict {
  const { d, depth: N, width: w } = i;
  const best = i.sigma[d - 1] - Math.sqrt(i.sigma.slice(Math.min(w, d)).reduce((p, x) => p + x * x, 0));
  const A0 = endToEnd(i.weights);
  let dist = 0;
  for (let t = 0; t < A0.data.length; t++) dist += (A0.data[t] - i.Phi.data[t]) ** 2;
  const c = i.sigma[d - 1] - Math.sqrt(dist);
  const widths = [d, w, ...new Array(N - 1).fill(d)];
  const map = dlnModelMap(widths);
  const tr = squareLossFlow(map, i.Phi.data.slice(), packWeights(i.weights), { T: 200, rtol: 1e-10, atol: 1e-14, maxSteps: 20_000 });
  const rho = tr.loss.map((l, k) => tr.gradientNormSquared[k] / l);
  const minRho = Math.min(...rho);
  const flowText = `along the flow (t ≤ ${fmt(tr.t[tr.t.length - 1])}) min ‖∇L‖²/L = ${fmt(minRho)}, final L = ${fmt(tr.loss[tr.loss.length - 1])}`;
  const marginVerdict = compare({
    measured: c / i.sigma[d - 1],
    bound: 1e-12,
    comparison: '>=',
    errorModel: 'c/σ_min(Φ) ≥ 1e-12 (positive beyond round-off) needed; best attainable margin σ_min(Φ) − min_{rank ≤ w}‖A − Φ‖_F by Eckart–Young (exact)',
    detail: `widths ${widths.join('·')} (bottleneck ${Math.min(...widths.slice(1, N))} vs rank Φ = ${d}): margin of the start c = ${fmt(c)}, best attainable ${fmt(best)}; ${flowText}`,
  });
  if (marginVerdict.status === 'fail') return marginVerdict;
  const pl = 2 * N * Math.pow(c, (2 * (N - 1)) / N);
  return worstOf([
    marginVerdict,
    compare({
      measured: minRho / pl,
      bound: 1 - 1e-9,
      comparison: '>=',
      errorModel: 'inf over the flow of ‖∇L‖²/L against 2N·c^{2(N−1)/N}',
      detail: `no bottleneck: ${flowText} vs 2N c^{2(N−1)/N} = ${fmt(pl)}`,
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------------------------

const DLN_HYPOTHESES = [
  'square layers d×d, d ≤ 3, depth 2 ≤ N ≤ 4, f_θ = W_{N:1}, ℓ = ½‖W_{N:1} − Φ‖² (scale "half")',
  'Φ with σ_max = 1, σ_min(Φ) = 10^{−q/4}, q ≤ 4; deficiency margin c = γσ_min(Φ), γ ∈ {¼, ½, ¾}; ‖A(0) − Φ‖_F = u(σ_min − c), u ∈ {¼, ½, ¾}',
  'layers balanced by ACGH Procedure 1 (random orthonormal frames)',
];

export const rayleighClaims: Claim<any>[] = [
  defineClaim({
    id: 'rsl.identity',
    title: 'Rayleigh identity ‖∇L‖² = ⟨g, K_θg⟩ = 2R_θ(g)L (square loss)',
    statement:
      'For a model map θ ↦ f_θ with Jacobian J_θ, tangent kernel K_θ = J_θJ_θ* and L(θ) = ℓ(f_θ), g = ∇ℓ(f_θ): ‖∇L(θ)‖² = ⟨g, K_θg⟩ = R_θ(g)‖g‖²; ' +
      'for the square loss ℓ = ½‖f − f*‖², ‖∇L‖² = 2R_θ(g)L',
    source: { paper: RSL, location: 'Rayleigh-quotient identity (THEORY §6 rsl.identity): ∇L = J_θ*g, so ‖∇L‖² = ⟨J*g, J*g⟩ = ⟨g, JJ*g⟩', provenance: 'D' },
    hypotheses: [
      'models: DLN f = W_{N:1} and f = W_{N:1}X (N ≤ 3, widths ≤ 4, m ≤ 4 samples), diagonal network X(u⊙u − v⊙v), Hadamard map A u^{⊙L} (L = N)',
      'θ, f*, X, A Gaussian (layers with variance 1/fan-in), entries rounded to a shrinkable number of decimals',
      '‖∇L‖² and L from code that does not use the model map (src/model for the DLN, the chain rule written out otherwise); K from the explicit Jacobian built by jvps',
    ],
    instances: modelInstances,
    check: (i: ModelInstance) => checkRayleighIdentity(i),
    expected: 'holds',
    tolerance: 'exact identity: |lhs − rhs| ≤ 8ε(|lhs| + |rhs| + (M + P)·tr(K)·‖g‖²) — a few ulps of the size of the terms Σ_k (Jᵀg)_k² is built from (~1e-13 to 1e-12 relative)',
    runs: 200,
    summarize: summarizeModel,
  }),
  defineClaim({
    id: 'rsl.bounds',
    title: 'λ_min(K_θ) ≤ R_θ ≤ λ_max(K_θ), and R_θ(g) ≥ ‖g‖²/⟨g, K_θ⁺g⟩ on the range',
    statement:
      'The Rayleigh quotient of the tangent kernel satisfies λ_min(K_θ) ≤ R_θ(h) ≤ λ_max(K_θ) for every h ≠ 0, and without a spectral gap R_θ(g) ≥ ‖g‖²/⟨g, K_θ⁺g⟩ ' +
      'for g ∈ range(K_θ); for the square loss, ‖f_θ − f*‖²_{H(K)} ≤ B² gives ‖∇L‖² ≥ (4/B²)L²',
    source: { paper: RSL, location: 'Rayleigh-quotient bounds (THEORY §6 rsl.bounds): Courant–Fischer and Cauchy–Schwarz ‖g‖² = ⟨K^{1/2}g, K^{+1/2}g⟩', provenance: 'D' },
    hypotheses: [
      'the models of rsl.identity at random θ',
      'h Gaussian in H; g = J_θv for a Gaussian v (so g ∈ range K_θ); f* = f_θ − g for the square-loss reading',
      'range of K = eigenvalues above 1e-10·λ_max (inconclusive when an eigenvalue lies between 1e3·M·ε·λ_max and that cutoff)',
    ],
    instances: modelInstances,
    check: (i: ModelInstance) => checkRayleighBounds(i),
    expected: 'holds',
    tolerance: 'spectral: 16·M·ε·λ_max (eigensolver error); pseudo-inverse bound: ratio R⟨g, K⁺g⟩/‖g‖² ≥ 1 − 64·M·ε·κ_range − ‖g − Πg‖/‖g‖',
    runs: 200,
    summarize: summarizeModel,
  }),
  defineClaim({
    id: 'rsl.kl-rates',
    title: 'KL inequalities ‖∇L‖² ≥ cL^a give L(t) ≤ L_0e^{−ct} (a = 1) or (L_0^{1−a} + (a−1)ct)^{−1/(a−1)} (a > 1)',
    statement:
      'Along a gradient flow, ‖∇L‖² ≥ cL^a on the path implies L(t) ≤ L_0e^{−ct} for a = 1 and L(t) ≤ (L_0^{1−a} + (a−1)ct)^{−1/(a−1)} for a > 1. ' +
      'Checked over the whole recorded trajectory of simulated flows with c from the kernel (2·inf λ_min(K), a = 1; 4/sup‖g‖²_{H(K)}, a = 2), from the theory ' +
      '(deficiency margin; u⊙v = α²) and from the fitted tail exponent â, which must match the predicted one (1 for a non-degenerate minimum, 2 − 1/N ' +
      'for a DLN converging to a rank-deficient target)',
    source: { paper: RSL, location: 'KL rates (THEORY §6 rsl.kl-rates): integrate L′ = −‖∇L‖² ≤ −cL^a (standard); the tail exponents are derived', provenance: 'D' },
    hypotheses: [
      'families: dln-margin (balanced square DLN, full-rank Φ, deficiency margin), dln-degenerate (rank Φ < d; start = Φ + zero-target modes of size 0.1..0.5 + a generic coupling of size 0.05σ_r(Φ)), diagonal network (n ≤ 3 samples < features, u = v = α1, α ∈ [0.3, 1])',
      `flow: Dormand–Prince 5(4), rtol ${KL_FLOW.rtol}, atol ${KL_FLOW.atol}, recorded at every accepted step until L < 1e2·ε·L_0 or t = ${KL_FLOW.T}`,
      'path infima from the samples with a lower estimate (min of neighbours minus their difference)',
      `â fitted by least squares of log‖∇L‖² on log L over the lower half of the decades of L above 1e3·ε·L_0 (the last decades, below that floor, are excluded); |â − a| ≤ ${KL_EXPONENT_SLACK} + 1.5·S/D, S the spread (decades) of ‖∇L‖²/L^a the theory allows on the fit range (kernel condition number for a = 1, power mean of the zero modes for a = 2 − 1/N), D the decades fitted`,
    ],
    instances: klInstances,
    check: (i: KlInstance) => checkKlRates(i),
    expected: 'holds',
    tolerance:
      'envelope: L ≤ env·(1 + 1e-6) + 1e3·ε·L_0 at every observation (the integrator error in L, ≲ 2√(2L)·‖J‖·1e-11‖θ‖ at rtol 1e-12, and the round-off of L stay below that ' +
      `absolute floor); exponent: |â − a| ≤ ${KL_EXPONENT_SLACK} + 1.5·S/D (a least-squares slope over D decades of a quantity confined to a band S decades wide deviates by at most 1.5·S/D)`,
    runs: 20,
    summarize: (i: KlInstance) => i.summary,
  }),
  defineClaim({
    id: 'rsl.dln-pl',
    title: 'Balanced square DLN: R_θ ≥ N s_min(A)^{2(N−1)/N}, along the flow and along GD',
    statement:
      'For a balanced deep linear network with square layers and ℓ = ½‖A − Φ‖², A = W_{N:1}: R_θ(g) ≥ N s_min(A)^{2(N−1)/N}, so ‖∇L‖² ≥ 2N s_min(A)^{2(N−1)/N}L; ' +
      'with a deficiency margin c (‖A(0) − Φ‖_F ≤ σ_min(Φ) − c) this is a PL inequality ‖∇L‖² ≥ 2Nc^{2(N−1)/N}L along the whole flow. Discrete GD violates ' +
      'the first inequality only by its O(η²) balancedness drift',
    source: {
      paper: 'ACGH',
      location:
        'derived: ACGH\'s deficiency-margin argument (‖∇L‖² ≥ 2N s_min(A)^{2(N−1)/N}L along balanced flows, s_min(A) ≥ c); filed with the RSL claims only ' +
        'because it is the Rayleigh quotient of the balanced kernel (THEORY §2 metric.tangent), not an RSL result',
      provenance: 'D',
    },
    hypotheses: [...DLN_HYPOTHESES, `GD with η = η_rel/λ_max(K_θ(0)), η_rel ∈ {${DLN_PL_ETAS.join(', ')}}, ≤ ${DLN_PL_GD_STEPS} steps, checked every ${DLN_PL_GD_EVERY}th step; the flow at every accepted step; both until L < 1e3·ε·L_0`],
    instances: dlnPlInstances,
    check: (i: DlnPlInstance) => checkDlnPl(i),
    expected: 'holds',
    tolerance:
      'R ≥ bound − τ, τ = 2κ_N·max_j‖C_j‖_F + round-off of R; κ_N = N(N−1)/2·(s_max/s_min)^{2/N}·s_min^{2(N−2)/N} (first-order effect of the balancedness defect on λ_min(K): ' +
      '[D] for N = 2, a validated model for N ≥ 3, ×2 for second order); GD\'s defect is measured, it grows by η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) per step; PL margin: 1e-9 relative',
    runs: 20,
    summarize: (i: DlnPlInstance) => summarizeMargin(i),
  }),
  defineClaim({
    id: 'rsl.kl-rates.degenerate-exponential',
    title: 'FALSE: a DLN flow converging to a rank-deficient target still has an exponential tail (KL exponent a = 1)',
    statement:
      'For a balanced square DLN (N ≥ 2) whose flow converges to a global minimum of ½‖W_{N:1} − Φ‖² with rank Φ < d, the tail satisfies ‖∇L‖² ≥ cL ' +
      '(a = 1), as at a full-rank target, so L decays exponentially. FALSE: the zero-target modes obey ṡ = −Ns^{3−2/N}; their kernel eigenvalues vanish ' +
      'and ‖∇L‖² ∝ L^{2−1/N}: the fitted tail exponent is 2 − 1/N, not 1.',
    source: { paper: RSL, location: 'FALSE variant of rsl.kl-rates (the dln-degenerate family with the exponent a = 1 of a non-degenerate minimum); derived', provenance: 'D' },
    hypotheses: ['the dln-degenerate family of rsl.kl-rates (rank Φ < d, full-rank start with zero-target modes)', 'the tail exponent fitted as in rsl.kl-rates and held to a = 1'],
    instances: klInstances.filter((i) => i.family === 'dln-degenerate'),
    check: (i: KlInstance) => checkKlRates(i, { predictedA: 1 }),
    expected: 'counterexample',
    tolerance: `|â − 1| ≤ ${KL_EXPONENT_SLACK} + 1.5·S/D as in rsl.kl-rates (S = 0 for a = 1 on this family's prediction)`,
    runs: 10,
    summarize: (i: KlInstance) => i.summary,
  }),
  defineClaim({
    id: 'rsl.dln-pl.bottleneck',
    title: 'FALSE: a deficiency margin (and the PL inequality) exists for any widths',
    statement:
      'For the DLN loss ½‖W_{N:1} − Φ‖² with any widths there is a start with deficiency margin c = σ_min(Φ) − ‖A(0) − Φ‖_F > 0, and then ‖∇L‖² ≥ 2Nc^{2(N−1)/N}L along ' +
      'the flow (FALSE: a hidden width w < rank Φ gives ‖A − Φ‖_F ≥ (Σ_{a>w}σ_a²)^{1/2} ≥ σ_min(Φ) for every product A)',
    source: { paper: 'ACGH', location: 'FALSE variant of rsl.dln-pl, derived (ACGH\'s deficiency margin needs no bottleneck)', provenance: 'D' },
    hypotheses: ['Φ d×d of full rank, d ≤ 3, σ_a = 10^{−a/4}', 'widths [d, w, d, …, d], w ≤ 3, 2 ≤ N ≤ 4', 'start: the best rank-min(w, d) approximation of Φ + Δ (‖Δ‖_F = ¼σ_min), balanced'],
    instances: bottleneckInstances,
    check: (i: BottleneckInstance) => checkBottleneck(i),
    expected: 'counterexample',
    tolerance: 'margin c > 0 (Eckart–Young makes the best attainable margin exact); with no bottleneck also inf ‖∇L‖²/L ≥ 2Nc^{2(N−1)/N}(1 − 1e-9) along the flow',
    runs: 100,
    summarize: (i: BottleneckInstance) => ({ d: i.d, N: i.depth, width: i.width, sigma: i.sigma.map(round) }),
  }),
];
