import { compare, EPS, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { conditionOnManifold, type FixedRankPoint } from '../geometry/fixed-rank-point.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { symmetricEigen } from '../linalg/svd.js';
import type { MetricInstance } from './instances.js';
import {
  explicitMetric,
  explicitOperatorError,
  type MetricApplication,
  operatorNorm,
  pointOf,
} from './metric-instance.js';

/** Column-major-free vec: entry p of the flat row-major data. M[:, q] = vec(A(E_q)) for the standard basis E_q. */
function operatorMatrix(apply: (z: Matrix) => Matrix, m: number, n: number): Matrix {
  const d = m * n,
    M = new Matrix(d, d);
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
    for (let r = 0; r < m; r++)
      for (let s = 0; s < n; s++) B.data[(r * n + s) * cols.length + c] = U.data[r * m + a] * V.data[s * n + b];
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
  const d = i.m * i.n,
    opNorm = operatorNorm(i);
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
  const d = i.m * i.n,
    N = i.depth,
    k = i.k;
  const Mt = new Matrix(d, d);
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) Mt.data[p * d + q] = M.data[q * d + p];
  let asym = 0;
  for (let p = 0; p < d * d; p++) asym = Math.hypot(asym, M.data[p] - Mt.data[p]);
  // M − Mᵀ = ΔM − ΔMᵀ: at most 2‖ΔM‖_F ≤ 2τ.
  const symmetric = compare({
    measured: asym,
    bound: 2 * tau,
    errorModel: `2τ; ${model}`,
    detail: `A_W self-adjoint: ‖M − Mᵀ‖_F = ${fmt(asym)}`,
  });
  const asc = Array.from(eigenvalues).sort((a, b) => a - b);
  const psd = compare({
    measured: asc[0],
    bound: -tau,
    comparison: '>=',
    errorModel: model,
    detail: `A_W PSD: λ_min(M) = ${fmt(asc[0])}`,
  });
  const normal = svdBasis(point, false),
    tangent = svdBasis(point, true);
  const verdicts = [symmetric, psd];
  if (normal.cols > 0) {
    const kernel = frobeniusNorm(multiply(M, normal));
    const range = frobeniusNorm(multiply(normal, M, 't', 'n'));
    const fNormal = Math.sqrt(normal.cols) * tau;
    verdicts.push(
      compare({
        measured: kernel,
        bound: fNormal,
        errorModel: `√dim N·τ; ${model}`,
        detail: `normal space ⊆ kernel: ‖A_W(Ũ_⊥CṼ_⊥ᵀ)‖ over an orthonormal normal basis = ${fmt(kernel)}`,
      }),
      compare({
        measured: range,
        bound: fNormal,
        errorModel: `√dim N·τ; ${model}`,
        detail: `range ⊆ tangent space: ‖P_N A_W‖ over the normal basis = ${fmt(range)}`,
      }),
    );
  }
  const dimT = k * (i.m + i.n - k),
    dimN = d - dimT;
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
  const sk = point.s[k - 1],
    e = (2 * (N - 1)) / N;
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
