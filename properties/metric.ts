import fc from 'fast-check';
import { dimension, log10Condition, seeded } from '../src/arbitraries/seeded.js';
import { EPS, compare, inconclusive, worstOf, type Verdict } from '../src/check/verdict.js';
import { checkIdentity, checkScalarIdentity } from '../src/check/identity.js';
import { checkTaylor } from '../src/check/taylor.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { conditionOnManifold, fixedRankPoint, type FixedRankPoint } from '../src/geometry/fixed-rank-point.js';
import { ExplicitMetricOperator } from '../src/geometry/metric-operator-explicit.js';
import { metricCoefficient, metricCoefficientClosedForm, metricCoefficientMatrix } from '../src/geometry/metric-coefficients.js';
import { MetricOperator } from '../src/geometry/metric-operator.js';
import { retract } from '../src/geometry/retraction.js';
import { tangentProject, tangentResidual, toSvdCoordinates } from '../src/geometry/tangent-space.js';
import { curveLength, singularValueShrinkCurve } from '../src/geometry/curve-length.js';
import { frobeniusInner, frobeniusNorm } from '../src/linalg/frobenius.js';
import { Matrix } from '../src/linalg/matrix.js';
import { symmetricEigen } from '../src/linalg/svd.js';
import { endToEndGradient, residual as residualOf, type Data } from '../src/model/loss.js';
import { multiply } from '../src/linalg/products.js';
import { matrixWithSpectrum } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { explain, fmt } from './support/verdict-text.js';

/**
 * The metric claims of THEORY §2 (BRTW; ACH): the operator A_W(Z) = Σ_{j=1}^{N} (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N},
 * its SVD form, its behaviour on the fixed-rank manifold M_k, the Riemannian gradient it defines and the
 * incompleteness of (M_k, g).
 *
 * Every check takes its operator A_W (and the closed form of c_ab) as an injectable function, so a test can feed
 * a deliberately wrong one (e.g. exponent j/N instead of (j−1)/N) and see the claim fail.
 */

/** (W, N, Z) ↦ A_W(Z). */
export type MetricApplication = (w: Matrix, depth: number, z: Matrix) => Matrix;
/** (σ_a, σ_b, N) ↦ c_ab. */
export type CoefficientFormula = (sigmaA: number, sigmaB: number, depth: number) => number;

/** A_W by its definition: the explicit sum of rank-truncated PSD powers of the Gram matrices (no SVD of W). */
export const explicitMetric: MetricApplication = (w, depth, z) => new ExplicitMetricOperator(w, depth, { source: 'gram-eigen' }).apply(z);

// ---------------------------------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------------------------------

/** A point W ∈ M_k with a known spectrum, a Gaussian Z (operator argument / direction) and small regression data. */
export interface MetricInstance {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly depth: number;
  /** σ_1 ≥ … ≥ σ_k > 0 used to build W (σ_1 = 10^{scaleExp/2}, σ_k = σ_1/cond, log-spaced; σ_2 = σ_1 when repeated). */
  readonly sigma: readonly number[];
  readonly cond: number;
  readonly repeated: boolean;
  readonly W: Matrix;
  /** A Gaussian m×n matrix: the argument of A_W, or the raw direction ξ (tangent-projected where the claim says so). */
  readonly Z: Matrix;
  /** X (n×s), Y (m×s) for L¹(W) = ½‖WX − Y‖². */
  readonly data: Data;
}

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
    const p = Math.min(m, n), k = Math.max(1, p - deficiency);
    const top = Math.pow(10, scaleExp / 2), cond = Math.pow(10, logCond);
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
  return { m: i.m, n: i.n, k: i.k, N: i.depth, sigma: i.sigma.map(round), cond: round(i.cond), W: i.W.toArray().map((r) => r.map(round)) };
}

function pointOf(i: MetricInstance): FixedRankPoint {
  return fixedRankPoint(i.W, { rank: i.k });
}

/** The largest singular value σ_1 (as built) to the power 2(N−1)/N: the size of ‖A_W‖_2 up to the factor N. */
function operatorNorm(i: MetricInstance): number {
  return i.depth * Math.pow(i.sigma[0], (2 * (i.depth - 1)) / i.depth);
}

/**
 * Error per unit ‖Z‖ of A_W(Z) computed by the explicit sum (metric-operator.test's model): the Gram matrices carry
 * ~(m+n)ε·σ_1²; a power λ^p (0 < p < 1) amplifies that by its divided differences, at most κ² = (σ_1/σ_k)² relative
 * to ‖A_W‖; N terms add up:  δ_op = 2·ε·(m+n)·N·κ²·‖A_W‖_2.
 */
function explicitOperatorError(i: MetricInstance, kappa: number): number {
  return 2 * EPS * (i.m + i.n) * i.depth * kappa * kappa * operatorNorm(i);
}

// ---------------------------------------------------------------------------------------------------------------
// metric.svd-form
// ---------------------------------------------------------------------------------------------------------------

export interface SvdFormOptions {
  /** The operator under test (default: the explicit sum of matrix powers). */
  readonly operator?: MetricApplication;
  /** The closed form of c_ab under test (default: src/geometry's metricCoefficientClosedForm). */
  readonly closedForm?: CoefficientFormula;
}

/**
 * (1) ŨᵀA_W(Z)Ṽ = c ⊙ ŨᵀZṼ with c_ab from the defining sum, A_W from the operator under test;
 * (2) the closed forms of c_ab agree with the defining sum on every pair (σ̃_a, σ̃_b) of the instance and on the
 *     special pairs (σ_1, σ_1), (σ_1, σ_k), (σ_k, 0), (0, σ_k), (0, 0), so every branch of THEORY's list is hit.
 */
export function checkSvdForm(i: MetricInstance, options: SvdFormOptions = {}): Verdict {
  const operator = options.operator ?? explicitMetric;
  const closed = options.closedForm ?? metricCoefficientClosedForm;
  const point = pointOf(i), N = i.depth;
  const kappa = conditionOnManifold(point);
  const image = operator(i.W, N, i.Z);
  const lhs = toSvdCoordinates(point, image, 'A_W(Z)');
  const c = metricCoefficientMatrix(point, N);
  const rhs = toSvdCoordinates(point, i.Z);
  for (let t = 0; t < rhs.data.length; t++) rhs.data[t] *= c.data[t];
  const zNorm = frobeniusNorm(i.Z), opNorm = operatorNorm(i);
  // Scale: explicit-sum error δ_op‖Z‖ plus the two coordinate transforms, ~(m+n)ε·‖A_W‖‖Z‖ each.
  const scale = (i.m + i.n) * (N * kappa * kappa + 2) * opNorm * zNorm;
  const form = explain(
    checkIdentity(lhs, rhs, { scale, c: 2, label: 'ŨᵀA_W(Z)Ṽ = c ⊙ Z̃' }),
    `scale = (m+n)(N·κ² + 2)·N·σ_1^{2(N−1)/N}·‖Z‖ with κ = σ_1/σ_k = ${fmt(kappa)} (explicit sum: Gram round-off amplified by the powers' divided differences ≤ κ²; two orthogonal transforms)`,
  );

  // The closed forms are scalar identities in (σ_a, σ_b): they are checked on the spectrum as BUILT (exact values,
  // so a repeated σ is exactly repeated and takes the σ_a = σ_b branch), zero-padded like σ̃. Computed singular values
  // of a repeated spectrum differ by ulps, where the difference quotient is not evaluable in float64 (see below).
  const padded = (size: number): number[] => Array.from({ length: size }, (_, a) => (a < i.k ? i.sigma[a] : 0));
  const sa = padded(i.m), sb = padded(i.n);
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < i.m; a++) for (let b = 0; b < i.n; b++) pairs.push([sa[a], sb[b]]);
  const s1 = i.sigma[0], sk = i.sigma[i.k - 1];
  pairs.push([s1, s1], [s1, sk], [sk, s1], [sk, 0], [0, sk], [0, 0]);
  let worstClosed: Verdict | undefined;
  for (const [x, y] of pairs) {
    const sum = metricCoefficient(x, y, N), cf = closed(x, y, N);
    // The sum has N non-negative terms (N·ε relative); the closed form (σ_a² − σ_b²)/(x − y), x = σ_a^{2/N}, cancels:
    // relative error ~ε·max(x, y)/|x − y|. Both relative to the pair's scale, floored at σ_1^{2(N−1)/N}·1 (never 0).
    const px = Math.pow(x, 2 / N), py = Math.pow(y, 2 / N);
    // σ_a ≠ σ_b with σ_a^{2/N} = σ_b^{2/N} in float64: the difference quotient is 0/0 or ±∞ — not evaluable, skipped.
    if (x !== y && px === py) continue;
    const amplification = x === y ? 1 : Math.max(px, py) / Math.abs(px - py);
    const size = Math.max(Math.abs(sum), Math.abs(cf), Math.pow(s1, (2 * (N - 1)) / N));
    const v = compare({
      measured: Math.abs(sum - cf),
      bound: 8 * EPS * (N + amplification) * size,
      errorModel: `8·ε·(N + max(x,y)/|x−y|)·max(|sum|, |closed|, σ_1^{2(N−1)/N}), x = σ_a^{2/N}, y = σ_b^{2/N}`,
      detail: `c(σ_a = ${fmt(x)}, σ_b = ${fmt(y)}, N = ${N}): defining sum ${fmt(sum)} vs closed form ${fmt(cf)}`,
    });
    worstClosed = worstClosed ? worstOf([worstClosed, v]) : v;
  }
  return worstOf([form, worstClosed!]);
}

export function svdFormClaim(options: SvdFormOptions = {}): Claim<MetricInstance> {
  return defineClaim({
    id: 'metric.svd-form',
    title: 'A_W is diagonal in the SVD basis of W with coefficients c_ab',
    statement:
      'With the full SVD W = ŨΣ̃Ṽᵀ (σ_a := 0 beyond rank k) and Z̃ = ŨᵀZṼ: (ŨᵀA_W(Z)Ṽ)_ab = c_ab Z̃_ab, ' +
      'c_ab = Σ_{j=1}^{N} σ_a^{2(N−j)/N} σ_b^{2(j−1)/N} (0^0 := 1). Closed forms: σ_a ≠ σ_b > 0: (σ_a² − σ_b²)/(σ_a^{2/N} − σ_b^{2/N}); ' +
      'σ_a = σ_b > 0: Nσ_a^{2(N−1)/N}; exactly one of σ_a, σ_b zero: the other to the power 2(N−1)/N; both zero: 0 (N ≥ 2), 1 (N = 1).',
    source: { paper: 'ACH', location: 'A_W of the end-to-end dynamics in SVD coordinates (lecture-note form); closed forms derived', provenance: 'P' },
    hypotheses: [
      'W ∈ R^{d_N×d_0} of rank k ≥ 1 (full rank or rank-deficient), any depth N ≥ 1',
      'A_W(Z) evaluated as the explicit sum of rank-truncated PSD powers (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N}, A^0 := I',
      'σ_1/σ_k ≤ 100 (the Gram-eigen power path truncates σ ≤ 1e-5·σ_1)',
    ],
    instances: metricInstanceArb(),
    check: (i) => checkSvdForm(i, options),
    expected: 'holds',
    tolerance:
      'Identity: 2ε(‖lhs‖+‖rhs‖+scale), scale = (m+n)(Nκ²+2)·‖A_W‖·‖Z‖ (explicit powers amplify Gram round-off by ≤ κ²). ' +
      'Closed forms: 8ε(N + max(x,y)/|x−y|)·|c| (cancellation in the difference quotient).',
    runs: 300,
    summarize: summarizeMetricInstance,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// metric.tangent (and the FALSE variant metric.tangent.positive-definite)
// ---------------------------------------------------------------------------------------------------------------

/** Column-major-free vec: entry p of the flat row-major data. M[:, q] = vec(A(E_q)) for the standard basis E_q. */
function operatorMatrix(apply: (z: Matrix) => Matrix, m: number, n: number): Matrix {
  const d = m * n, M = new Matrix(d, d);
  for (let q = 0; q < d; q++) {
    const e = new Matrix(m, n);
    e.data[q] = 1;
    const img = apply(e);
    for (let p = 0; p < d; p++) M.data[p * d + q] = img.data[p];
  }
  return M;
}

/** Orthonormal vec-basis (columns) of {ũ_a ṽ_bᵀ : (a, b) ∈ set}. */
function svdBasis(point: FixedRankPoint, tangent: boolean): Matrix {
  const { m, n, k, U, V } = point;
  const cols: Array<[number, number]> = [];
  for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) if ((a < k || b < k) === tangent) cols.push([a, b]);
  const B = new Matrix(m * n, cols.length);
  cols.forEach(([a, b], c) => {
    for (let r = 0; r < m; r++) for (let s = 0; s < n; s++) B.data[(r * n + s) * cols.length + c] = U.data[r * m + a] * V.data[s * n + b];
  });
  return B;
}

interface TangentAnalysis {
  readonly point: FixedRankPoint;
  readonly M: Matrix;
  readonly eigenvalues: Float64Array;
  /** Round-off level of eigenvalues / Frobenius blocks of M (see tangentTolerance). */
  readonly tau: number;
  readonly model: string;
  readonly kappa: number;
}

/**
 * M (mn×mn) of the operator in the standard basis, with its error model: each column carries δ_op (explicit-sum
 * error per unit input), so ‖ΔM‖_F ≤ √(mn)·δ_op; the symmetric eigensolver adds ~4·mn·ε·‖M‖. τ = the sum.
 */
function analyse(i: MetricInstance, operator: MetricApplication): TangentAnalysis {
  const point = pointOf(i);
  const kappa = conditionOnManifold(point);
  const M = operatorMatrix((z) => operator(i.W, i.depth, z), i.m, i.n);
  const d = i.m * i.n, opNorm = operatorNorm(i);
  const tau = Math.sqrt(d) * explicitOperatorError(i, kappa) + 4 * d * EPS * opNorm;
  const model = `τ = √(mn)·2ε(m+n)Nκ²‖A_W‖ + 4·mn·ε·‖A_W‖ = ${fmt(tau)} (κ = ${fmt(kappa)}, ‖A_W‖ ≤ Nσ_1^{2(N−1)/N} = ${fmt(opNorm)})`;
  return { point, M, eigenvalues: symmetricEigen(M).values, tau, model, kappa };
}

export interface TangentOptions {
  readonly operator?: MetricApplication;
}

/**
 * For W ∈ M_k and N ≥ 2: (1) M = Mᵀ; (2) λ_min(M) ≥ −τ; (3) A_W vanishes on the normal space (kernel ⊇ normal);
 * (4) its range has no normal component (range ⊆ tangent); (5) exactly k(m+n−k) eigenvalues exceed τ (so kernel =
 * normal space, range = tangent space of that dimension); (6) λ_min of A_W on T_W M_k = σ_k^{2(N−1)/N}
 * (k < max(m, n)) or Nσ_k^{2(N−1)/N} (square invertible).
 */
export function checkTangent(i: MetricInstance, options: TangentOptions = {}): Verdict {
  const { point, M, eigenvalues, tau, model, kappa } = analyse(i, options.operator ?? explicitMetric);
  const d = i.m * i.n, N = i.depth, k = i.k;
  const Mt = new Matrix(d, d);
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) Mt.data[p * d + q] = M.data[q * d + p];
  let asym = 0;
  for (let p = 0; p < d * d; p++) asym = Math.hypot(asym, M.data[p] - Mt.data[p]);
  // M − Mᵀ = ΔM − ΔMᵀ: at most 2‖ΔM‖_F ≤ 2τ.
  const symmetric = compare({ measured: asym, bound: 2 * tau, errorModel: `2τ; ${model}`, detail: `A_W self-adjoint: ‖M − Mᵀ‖_F = ${fmt(asym)}` });
  const asc = Array.from(eigenvalues).sort((a, b) => a - b);
  const psd = compare({ measured: asc[0], bound: -tau, comparison: '>=', errorModel: model, detail: `A_W PSD: λ_min(M) = ${fmt(asc[0])}` });
  const normal = svdBasis(point, false), tangent = svdBasis(point, true);
  const verdicts = [symmetric, psd];
  if (normal.cols > 0) {
    const kernel = frobeniusNorm(multiply(M, normal));
    const range = frobeniusNorm(multiply(normal, M, 't', 'n'));
    const fNormal = Math.sqrt(normal.cols) * tau;
    verdicts.push(
      compare({ measured: kernel, bound: fNormal, errorModel: `√dim N·τ; ${model}`, detail: `normal space ⊆ kernel: ‖A_W(Ũ_⊥CṼ_⊥ᵀ)‖ over an orthonormal normal basis = ${fmt(kernel)}` }),
      compare({ measured: range, bound: fNormal, errorModel: `√dim N·τ; ${model}`, detail: `range ⊆ tangent space: ‖P_N A_W‖ over the normal basis = ${fmt(range)}` }),
    );
  }
  const dimT = k * (i.m + i.n - k), dimN = d - dimT;
  verdicts.push(
    compare({
      measured: asc[dimN],
      bound: tau,
      comparison: '>=',
      errorModel: model,
      detail: `rank A_W = dim T_W M_k = k(m+n−k) = ${dimT}: eigenvalue #${dimN + 1} (ascending) = ${fmt(asc[dimN])} must exceed the round-off level`,
    }),
  );
  const onT = symmetricEigen(multiply(multiply(tangent, M, 't', 'n'), tangent)).values;
  const lambdaMin = Math.min(...onT);
  const sk = point.s[k - 1], e = (2 * (N - 1)) / N;
  const square = i.m === i.n && k === i.m;
  const predicted = (square ? N : 1) * Math.pow(sk, e);
  // λ_min is perturbed by ‖ΔM‖ ≤ τ; σ_k (from the SVD of W) is known to ~(m+n)ε·σ_1, i.e. relative (m+n)εκ,
  // which the power e < 2 turns into ≤ 2(m+n)εκ relative.
  const eigBound = tau + 2 * (i.m + i.n) * EPS * kappa * predicted;
  verdicts.push(
    compare({
      measured: Math.abs(lambdaMin - predicted),
      bound: eigBound,
      errorModel: `τ + 2(m+n)εκ·predicted = ${fmt(eigBound)}; ${model}`,
      detail: `λ_min(A_W on T_W M_k) = ${fmt(lambdaMin)} vs ${square ? 'Nσ_k^{2(N−1)/N} (square invertible)' : 'σ_k^{2(N−1)/N} (k < max(m, n))'} = ${fmt(predicted)}`,
    }),
  );
  return worstOf(verdicts);
}

/** FALSE variant: "A_W is positive definite on all of R^{m×n}": λ_min(M) must exceed the round-off level τ. */
export function checkPositiveDefinite(i: MetricInstance, options: TangentOptions = {}): Verdict {
  const { eigenvalues, tau, model } = analyse(i, options.operator ?? explicitMetric);
  const lambdaMin = Math.min(...eigenvalues);
  return compare({
    measured: lambdaMin,
    bound: tau,
    comparison: '>=',
    errorModel: model,
    detail: `λ_min(A_W on R^{${i.m}×${i.n}}) = ${fmt(lambdaMin)}; rank W = ${i.k} of min(m, n) = ${Math.min(i.m, i.n)}, normal dimension ${(i.m - i.k) * (i.n - i.k)}`,
  });
}

const tangentStatement =
  'For W ∈ M_k (rank exactly k) and N ≥ 2, A_W is self-adjoint and PSD on R^{d_N×d_0}; its kernel is the normal space {Ũ_⊥CṼ_⊥ᵀ} ' +
  'and its range the tangent space T_W M_k = {ξ : Ũ_⊥ᵀξṼ_⊥ = 0} of dimension k(d_0 + d_N − k); on T_W M_k its smallest eigenvalue is ' +
  'σ_k^{2(N−1)/N} when k < max(d_0, d_N) and Nσ_k^{2(N−1)/N} when W is square invertible.';

export function tangentClaim(options: TangentOptions = {}): Claim<MetricInstance> {
  return defineClaim({
    id: 'metric.tangent',
    title: 'A_W is PSD with kernel = normal space and range = tangent space of M_k',
    statement: tangentStatement,
    // THEORY tags this [P/D]: A_W on the fixed-rank manifold is BRTW's ('P'); the kernel, range and λ_min statements
    // are derived from the SVD form ('D').
    source: { paper: 'BRTW', location: 'derived from the SVD form of A_W (metric.svd-form); context: A_W on the fixed-rank manifold', provenance: 'P/D' },
    hypotheses: ['W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4', 'N ≥ 2 (for N = 1, A_W = I and the normal space is not its kernel)', 'σ_1/σ_k ≤ 100', 'A_W evaluated by the explicit sum of powers'],
    instances: metricInstanceArb({ depth: [2, 5] }),
    check: (i) => checkTangent(i, options),
    expected: 'holds',
    tolerance:
      'τ = √(mn)·δ_op + 4·mn·ε·‖A_W‖ with δ_op = 2ε(m+n)Nκ²‖A_W‖ (explicit-sum error per unit input, summed over the mn columns of the ' +
      'operator matrix, plus the symmetric eigensolver): eigenvalues within τ of 0 count as 0; λ_min on T within τ + 2(m+n)εκ·λ_min.',
    runs: 200,
    summarize: summarizeMetricInstance,
  });
}

export const tangentPositiveDefiniteClaim = defineClaim({
  id: 'metric.tangent.positive-definite',
  title: 'FALSE: A_W is positive definite on all of R^{d_N×d_0}',
  statement: 'For every W ∈ M_k (k ≥ 1, any k ≤ min(d_0, d_N)) and N ≥ 2, A_W is positive definite on all of R^{d_N×d_0}. FALSE when W is rank-deficient: the normal space is its kernel.',
  source: { paper: 'BRTW', location: 'FALSE variant of metric.tangent (kernel = normal space ≠ {0} when k < min(d_0, d_N))', provenance: 'D' },
  hypotheses: ['W ∈ M_k with k ≥ 1, full rank or rank-deficient', 'N ≥ 2'],
  instances: metricInstanceArb({ depth: [2, 5] }),
  check: (i: MetricInstance) => checkPositiveDefinite(i),
  expected: 'counterexample',
  tolerance: 'λ_min(A_W) must exceed the round-off level τ of metric.tangent; a rank-deficient W has λ_min = 0 up to τ.',
  runs: 100,
  summarize: summarizeMetricInstance,
});

// ---------------------------------------------------------------------------------------------------------------
// metric.riemannian-gradient (and the FALSE variants .depth-one, .euclidean)
// ---------------------------------------------------------------------------------------------------------------

export interface RiemannianGradientOptions {
  /** The operator under test (default: the SVD form, src/geometry's MetricOperator). */
  readonly operator?: MetricApplication;
  /** Project the instance's direction onto T_W M_k (default true; false is the FALSE variant). */
  readonly tangent?: boolean;
  /** Which checks to run: the identity, the Taylor test of DL¹(W)[ξ] along the retraction, or both (default). */
  readonly parts?: 'both' | 'identity' | 'taylor';
}

/**
 * (0) A_W∇L¹ ∈ T_W M_k (tangentResidual: ‖Ũ_⊥ᵀ(A_W∇L¹)Ṽ_⊥‖ at round-off);
 * (1) g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩ (g_W from the SVD coefficients, A_W from the operator under test);
 * (2) the claimed derivative g_W(A_W∇L¹, ξ) of t ↦ L¹(R_W(tξ)), R_W(tξ) = [W + tξ]_k (a curve in M_k with velocity
 *     ξ at 0 for tangent ξ), by the Taylor-remainder test.
 */
export function checkRiemannianGradient(i: MetricInstance, options: RiemannianGradientOptions = {}): Verdict {
  const operator = options.operator ?? ((w: Matrix, depth: number, z: Matrix) => new MetricOperator(fixedRankPoint(w, { rank: i.k }), depth).apply(z));
  const point = pointOf(i), N = i.depth;
  const g = new MetricOperator(point, N);
  const euclidean = endToEndGradient(i.W, i.data);
  const riemannian = operator(i.W, N, euclidean);
  const xi = options.tangent === false ? i.Z : tangentProject(point, i.Z, 'ξ');
  const lhs = g.metric(riemannian, xi), rhs = frobeniusInner(euclidean, xi);
  const kappa = conditionOnManifold(point);
  const condT = g.largestEigenvalue() / g.smallestTangentEigenvalue();
  const gNorm = frobeniusNorm(euclidean), xNorm = frobeniusNorm(xi);
  // A_W then A_W^{-1} inside g: (m+n)ε·cond(A_W|_T) relative to ‖∇L¹‖‖ξ‖ for the SVD form; an explicit-sum operator adds
  // δ_op/λ_min,T ≤ 2(m+n)Nκ²·cond(A_W|_T). The model covers both.
  const scale = (i.m + i.n) * condT * (2 + 2 * N * kappa * kappa) * gNorm * xNorm;
  const identity = explain(
    checkScalarIdentity(lhs, rhs, { scale, c: 8, label: 'g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩' }),
    `scale = (m+n)·cond(A_W|T)·(2 + 2Nκ²)·‖∇L¹‖‖ξ‖, cond(A_W|T) = ${fmt(condT)}, κ = ${fmt(kappa)}`,
    `ξ ${options.tangent === false ? 'with its normal component kept' : 'tangent'} (‖P_N ξ‖/‖ξ‖ = ${fmt(tangentResidual(point, xi).relative)})`,
  );
  // (0) A_W∇L¹ must lie in T_W M_k, or the flow it defines leaves M_k (for N = 1, A_W = I and it does).
  const t = tangentResidual(point, riemannian);
  const tangency = compare({
    measured: t.residual,
    bound: t.bound,
    errorModel: t.errorModel,
    detail: `A_W∇L¹ tangent to M_k (N = ${N}, k = ${i.k} of min(m, n) = ${Math.min(i.m, i.n)}): ‖P_N A_W∇L¹‖_F = ${fmt(t.residual)} (relative ${fmt(t.relative)})`,
  });
  const parts = options.parts ?? 'both';
  if (parts === 'identity') return worstOf([tangency, identity]);
  // The retraction t ↦ [W + tξ]_k is analytic only while σ_k(W + tξ) > σ_{k+1}(W + tξ), i.e. for |t|‖ξ‖ ≲ σ_k/2; beyond
  // that the remainder is not a power series and its odd part can fake a slope-1 regime. So the grid is measured in
  // unit = σ_k/‖ξ‖ (t = 1 moves W by σ_k) and stops at t = 0.2 (a fifth of σ_k); it starts 8 decades lower.
  const sk = point.s[i.k - 1];
  const unit = sk / xNorm;
  // f(t) = L¹(R_W(tξ)) − L¹(W) evaluated without cancellation as ⟨R, DX⟩ + ½‖DX‖², R = WX − Y, D = R_W(tξ) − W: its
  // round-off is ~ε‖W‖‖RXᵀ‖ (the SVD reconstruction inside the retraction), not ε·L¹(W), which is much larger when
  // ‖W‖ is small against the residual. (The measured noise σ enters the floor either way.)
  const R = residualOf(i.W, i.data);
  const curve = (x: readonly Matrix[]): number => {
    let D: Matrix;
    try {
      D = retract(point, xi, x[0].data[0]);
    } catch {
      return NaN; // [W + tξ]_k not unique: off the usable part of the grid
    }
    for (let t = 0; t < D.data.length; t++) D.data[t] -= i.W.data[t];
    const DX = multiply(D, i.data.X);
    return frobeniusInner(R, DX) + 0.5 * frobeniusInner(DX, DX);
  };
  const taylor = checkTaylor(curve, [new Matrix(1, 1)], [Matrix.from([[1]])], { derivative: lhs }, { unit, tMin: 1e-9, tMax: 0.2 });
  const derivative = explain(taylor, 'f(t) = L¹([W + tξ]_k) (retraction curve in M_k), t·‖ξ‖ ∈ [1e-9, 0.2]·σ_k (inside the analytic radius ~σ_k/2)', 'DL¹(W)[ξ] along R_W(tξ) vs g_W(A_W∇L¹, ξ)');
  return parts === 'taylor' ? derivative : worstOf([tangency, identity, derivative]);
}

export function riemannianGradientClaim(options: RiemannianGradientOptions = {}): Claim<MetricInstance> {
  return defineClaim({
    id: 'metric.riemannian-gradient',
    title: 'A_W(∇L¹) is the Riemannian gradient of L¹|M_k for g_W',
    statement:
      'For depth N ≥ 2, with g_W(ξ, η) := ⟨A_W^{-1}ξ, η⟩ on T_W M_k: A_W∇L¹(W) ∈ T_W M_k and g_W(A_W∇L¹(W), ξ) = ⟨∇L¹(W), ξ⟩ = DL¹(W)[ξ] ' +
      'for every ξ ∈ T_W M_k; so the balanced DLN flow is the Riemannian gradient flow of L¹ on (M_k, g), k = rank W(0).',
    // THEORY tags this [P/D]: BRTW state that the balanced flow is a Riemannian gradient flow on M_k (abstract); the
    // SVD-coordinate identity is derived. 'P' for the stated part.
    source: { paper: 'BRTW', location: 'the DLN flow as a Riemannian gradient flow on M_k (abstract); the SVD-coordinate identity is derived', provenance: 'P/D' },
    hypotheses: ['W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4, depth 2 ≤ N ≤ 5 (N = 1 is the FALSE variant .depth-one)', 'ξ ∈ T_W M_k (tangent projection of a Gaussian matrix)', 'L¹(W) = ½‖WX − Y‖² (scale "half"), Gaussian X, Y', 'σ_1/σ_k ≤ 100'],
    instances: metricInstanceArb({ depth: [2, 5] }),
    check: (i) => checkRiemannianGradient(i, options),
    expected: 'holds',
    tolerance:
      'Tangency: ‖P_N A_W∇L¹‖ ≤ 16ε(m+n)κ‖A_W∇L¹‖. Identity: 8ε(|lhs|+|rhs|+scale), scale = (m+n)·cond(A_W|T)·(2+2Nκ²)·‖∇L¹‖‖ξ‖. Derivative: Taylor-remainder test of t ↦ L¹([W+tξ]_k) ' +
      '(slope 2 over ≥ 2 decades above the measured round-off floor; fail on a slope-1 defect of relative size ≥ 1e-9).',
    runs: 150,
    summarize: summarizeMetricInstance,
  });
}

export const riemannianGradientDepthOneClaim = defineClaim({
  ...riemannianGradientClaim(),
  id: 'metric.riemannian-gradient.depth-one',
  title: 'FALSE: for N = 1 too, A_W∇L¹ = ∇L¹ is the Riemannian gradient of L¹ on M_k (the flow stays on M_k)',
  statement:
    'metric.riemannian-gradient at depth N = 1. FALSE when k < min(d_0, d_N): A_W = I, so A_W∇L¹ = ∇L¹ has a normal component Ũ_⊥ᵀ∇L¹Ṽ_⊥ ≠ 0 and ' +
    'the flow leaves M_k at once; the identity g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩ for tangent ξ still holds, so only tangency refutes it.',
  source: { paper: 'BRTW', location: 'FALSE variant of metric.riemannian-gradient (N = 1: no balanced factorization constrains the rank); derived', provenance: 'D' },
  hypotheses: ['W ∈ M_k, k ≥ 1, 2 ≤ d_0, d_N ≤ 4 (rank-deficient in most draws), N = 1', 'L¹(W) = ½‖WX − Y‖², Gaussian X, Y'],
  instances: metricInstanceArb({ depth: [1, 1], rows: [2, 4], cols: [2, 4] }),
  expected: 'counterexample',
  runs: 50,
});

/** P_T Z at W's numerical rank: the Riemannian gradient for the Euclidean metric, A_W's stand-in in the FALSE variant. */
const euclideanProjection: MetricApplication = (w, _depth, z) => tangentProject(fixedRankPoint(w), z);

export const riemannianGradientEuclideanClaim = defineClaim({
  ...riemannianGradientClaim({ operator: euclideanProjection }),
  id: 'metric.riemannian-gradient.euclidean',
  title: 'FALSE: the Euclidean Riemannian gradient P_T∇L¹ is the gradient of L¹|M_k for g_W (N ≥ 2)',
  statement:
    'g_W(P_T∇L¹(W), ξ) = ⟨∇L¹(W), ξ⟩ for every ξ ∈ T_W M_k, N ≥ 2: the balanced flow would be the projected Euclidean gradient flow on M_k. ' +
    'FALSE: P_T∇L¹ is tangent, but g_W rescales it by A_W^{-1} (coefficients c_ab = Σ_j σ_a^{2(N−j)/N}σ_b^{2(j−1)/N} ≠ 1), so the identity fails.',
  source: { paper: 'BRTW', location: 'FALSE variant of metric.riemannian-gradient (the Euclidean metric in place of g_W); derived', provenance: 'D' },
  hypotheses: ['W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4, depth 2 ≤ N ≤ 5', 'P_T∇L¹ in place of A_W∇L¹'],
  expected: 'counterexample',
  runs: 50,
});

// ---------------------------------------------------------------------------------------------------------------
// metric.completeness
// ---------------------------------------------------------------------------------------------------------------

const QUADRATURE_TOL = 1e-12;

/** The g-length of the curve shrinking σ_k = s to 0 at depth N, as claimed: √N s^{1/N}. */
export const shrinkLength = (s: number, depth: number): number => Math.sqrt(depth) * Math.pow(s, 1 / depth);

/** g-length of σ_k: s → 0 along ũ_kṽ_kᵀ by tanh-sinh quadrature vs the claimed length (default √N s^{1/N}). */
export function checkCompleteness(i: MetricInstance, options: { claimedLength?: (s: number, N: number) => number } = {}): Verdict {
  const point = pointOf(i), N = i.depth;
  const { curve, t0, t1 } = singularValueShrinkCurve(point, i.k);
  const s = point.s[i.k - 1];
  const r = curveLength(curve, N, t0, t1, { tol: QUADRATURE_TOL });
  const expected = (options.claimedLength ?? shrinkLength)(s, N);
  const relative = Math.abs(r.value - expected) / expected;
  // Quadrature: successive levels agree to tol·|I| (tanh-sinh roughly squares its error per level, so the final error
  // is far below; ×10 safety); neglected end pieces √N(cutoff·s)^{1/N} with cutoff 1e-120; round-off of each g_W
  // value ~16(m+n)ε relative, kept relative by the positive weights.
  const endPiece = (Math.sqrt(N) * Math.pow(1e-120 * s, 1 / N)) / expected;
  const bound = 10 * QUADRATURE_TOL + endPiece + 16 * (i.m + i.n) * EPS;
  const input = {
    measured: relative,
    bound,
    errorModel: `10·tol (${QUADRATURE_TOL}) + end piece ${fmt(endPiece)} + 16(m+n)ε = ${fmt(bound)} relative`,
    detail: `g-length of σ_${i.k}: ${fmt(s)} → 0 along ũ_kṽ_kᵀ (N = ${N}): quadrature ${r.value.toPrecision(15)} vs ${options.claimedLength ? 'the claimed length' : '√N s^{1/N}'} = ${expected.toPrecision(15)} (${r.evaluations} nodes, level ${r.level})` +
      (N === 1 ? ' — N = 1: the Euclidean length s' : ' — finite, so (M_k, g) is incomplete'),
  };
  return r.converged ? compare(input) : inconclusive({ ...input, detail: `${input.detail}; quadrature did not converge (estimate ${fmt(r.errorEstimate)})` });
}

export const completenessClaim = defineClaim({
  id: 'metric.completeness',
  title: '(M_k, g) is incomplete for N ≥ 2: σ_k reaches 0 at finite g-length',
  statement:
    'The g-length of the curve shrinking σ_k from s to 0 along u_kv_kᵀ (other factors fixed) is √N s^{1/N}: finite, so (M_k, g) is incomplete for every ' +
    'N ≥ 2; N = 1 gives the Euclidean length s.',
  source: { paper: 'BRTW', location: 'derived from the SVD form of g_W (c_kk = Nσ_k^{2(N−1)/N} along ũ_kṽ_kᵀ)', provenance: 'D' },
  hypotheses: ['W ∈ M_k, k ≥ 1, d_0, d_N ≤ 4, depth 1 ≤ N ≤ 5', 'curve σ_k(t) = s − t, t ∈ [0, s], built from the SVD factors (full relative precision of σ_k near 0)'],
  instances: metricInstanceArb(),
  check: (i: MetricInstance) => checkCompleteness(i),
  expected: 'holds',
  tolerance: 'relative 10·1e-12 (tanh-sinh level agreement) + neglected end pieces + 16(m+n)ε (round-off of g_W at each node)',
  runs: 200,
  summarize: summarizeMetricInstance,
});

/** The metric claims of THEORY §2, in THEORY's order, FALSE variants after their claim. */
export const metricClaims: Claim<any>[] = [
  svdFormClaim(),
  tangentClaim(),
  tangentPositiveDefiniteClaim,
  riemannianGradientClaim(),
  riemannianGradientDepthOneClaim,
  riemannianGradientEuclideanClaim,
  completenessClaim,
];
