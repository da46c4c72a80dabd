import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { pseudoInverse } from '../linalg/pinv.js';
import { leastSquaresProblem } from './problem.js';
import { subsetLeastSquares } from './subset-least-squares.js';
import { distance, matVecInto, norm1, norm2 } from './vector.js';

/**
 * Reference interpolants of Xβ = y (X: samples × features, underdetermined): the minimum-ℓ2 one (the kernel
 * limit α → ∞ of the diagonal network) and the minimum-ℓ1 one (the rich limit α → 0).
 */

/** argmin ‖β‖₂ s.t. Xβ = y, i.e. X⁺y. */
export function minNormInterpolant(x: Matrix, y: ArrayLike<number>): Float64Array {
  const { A, b } = leastSquaresProblem(x, y, { A: 'X', b: 'y' });
  const pinv = pseudoInverse(A).matrix;
  return matVecInto(new Float64Array(A.cols), pinv, b);
}

export interface L1Interpolant {
  readonly beta: Float64Array;
  readonly norm: number;
  /** Relative ℓ1 gap to the best basic solution that differs from beta (∞ when there is none): > 0 ⇔ unique vertex. */
  readonly gap: number;
  /** The basis S (|S| = rank) of the optimal vertex. */
  readonly support: number[];
  /**
   * Strict-complementarity margin of the LP dual certificate ν of that basis (X_Sᵀν = sign(β_S), or = 1 when
   * nonnegative): 1 − max_{i∉S} |x_iᵀν| (signed) or min_{i∉S} (1 − x_iᵀν) (nonnegative). Positive ⇔ the optimum is
   * unique and every off-support coordinate is strictly suboptimal; NaN when the vertex is degenerate (some β_S = 0).
   */
  readonly margin: number;
  /** The dual certificate ν of the basis (X_Sᵀν = sign β_S, or 1), or undefined when the vertex is degenerate. */
  readonly certificate?: Float64Array;
  /** Number of bases examined. */
  readonly bases: number;
}

export interface L1Options {
  /** Minimize 1ᵀx over {x ≥ 0, Ax = b} instead of ‖β‖₁ over {Xβ = y}. */
  readonly nonnegative?: boolean;
  /** Cap on the number of bases C(d, n) (default 20000). */
  readonly maxBases?: number;
}

/**
 * argmin ‖β‖₁ s.t. Xβ = y (or argmin 1ᵀx s.t. Ax = b, x ≥ 0), exactly, for small problems: the LP is bounded below
 * and its feasible set is pointed, so an optimum sits at a basic feasible solution — supported on r = rank X
 * linearly independent columns S with X_S β_S = y (and β_S ≥ 0 in the nonnegative case). All C(d, r) bases are
 * enumerated; X must have full row rank. Returns undefined in the nonnegative case when no x ≥ 0 solves Ax = b.
 */
export function minL1Interpolant(x: Matrix, y: ArrayLike<number>, options: L1Options = {}): L1Interpolant | undefined {
  const { A, b } = leastSquaresProblem(x, y, { A: 'X', b: 'y' });
  const n = A.rows,
    d = A.cols,
    maxBases = options.maxBases ?? 20000,
    nonneg = options.nonnegative ?? false;
  if (n > d) throw new DomainError('X', `must be underdetermined or square (samples ${n} ≤ features ${d})`);
  let count = 1;
  for (let i = 0; i < n; i++) count = (count * (d - i)) / (i + 1);
  if (count > maxBases) throw new DomainError('X', `C(${d}, ${n}) = ${count} bases exceed maxBases = ${maxBases}`);
  const scale = norm2(b);
  let best: Float64Array | undefined,
    bestSupport: number[] = [],
    bestNorm = Infinity,
    second = Infinity,
    bases = 0,
    independent = 0;
  const fit = new Float64Array(n);
  const support = Array.from({ length: n }, (_, i) => i);
  const tol = 1e-12 * (norm2(A.data) + 1);
  for (;;) {
    bases++;
    const s = subsetLeastSquares(A, b, support);
    if (s.fullRank) {
      independent++;
      const beta = new Float64Array(d);
      support.forEach((c, k) => (beta[c] = s.z[k]));
      matVecInto(fit, A, beta);
      const feasible =
        distance(fit, b) <= 1e-9 * (scale + 1) && (!nonneg || beta.every((v) => v >= -tol * (norm2(beta) + 1)));
      if (feasible) {
        if (nonneg) for (let i = 0; i < d; i++) beta[i] = Math.max(beta[i], 0);
        const v = norm1(beta);
        const differs = best !== undefined && distance(best, beta) > 1e-9 * (norm2(beta) + 1);
        if (best === undefined || v < bestNorm) {
          if (differs) second = bestNorm;
          best = beta;
          bestNorm = v;
          bestSupport = [...support];
        } else if (differs) second = Math.min(second, v);
      }
    }
    let i = n - 1;
    while (i >= 0 && support[i] === d - n + i) i--;
    if (i < 0) break;
    support[i]++;
    for (let j = i + 1; j < n; j++) support[j] = support[j - 1] + 1;
  }
  if (independent === 0) throw new DomainError('X', 'has no n linearly independent columns (rank-deficient rows)');
  if (best === undefined) {
    if (nonneg) return undefined;
    throw new DomainError('y', 'no interpolant found');
  }
  const cert = certificate(A, best, bestSupport, nonneg);
  return {
    beta: best,
    norm: bestNorm,
    gap: (second - bestNorm) / Math.max(bestNorm, Number.MIN_VALUE),
    support: bestSupport,
    margin: cert ? cert.margin : NaN,
    ...(cert ? { certificate: cert.nu } : {}),
    bases,
  };
}

/** Solve X_Sᵀ ν = rhs (the n×n system whose rows are the columns x_c, c ∈ S). */
function solveTransposedBasis(a: Matrix, support: readonly number[], rhs: Float64Array): Float64Array {
  const n = a.rows,
    d = a.cols;
  const t = new Matrix(n, n);
  support.forEach((c, k) => {
    for (let i = 0; i < n; i++) t.data[k * n + i] = a.data[i * d + c];
  });
  return subsetLeastSquares(
    t,
    rhs,
    Array.from({ length: n }, (_, i) => i),
  ).z;
}

/** The dual certificate of the basis S at the vertex beta and its margin (see L1Interpolant.margin). */
function certificate(
  a: Matrix,
  beta: Float64Array,
  support: number[],
  nonneg: boolean,
): { nu: Float64Array; margin: number } | undefined {
  const n = a.rows,
    d = a.cols;
  const scale = Math.max(...support.map((c) => Math.abs(beta[c])));
  if (support.some((c) => Math.abs(beta[c]) <= 1e-12 * scale)) return undefined;
  const nu = solveTransposedBasis(
    a,
    support,
    Float64Array.from(support, (c) => (nonneg ? 1 : Math.sign(beta[c]))),
  );
  let margin = Infinity;
  for (let c = 0; c < d; c++) {
    if (support.includes(c)) continue;
    let s = 0;
    for (let i = 0; i < n; i++) s += a.data[i * d + c] * nu[i];
    margin = Math.min(margin, nonneg ? 1 - s : 1 - Math.abs(s));
  }
  return { nu, margin };
}

export interface RichLimitPrediction {
  /** Predicted |β_i| (or x_i) off the support at this α², in the order of the off-support indices. */
  readonly offSupport: Float64Array;
  readonly offIndices: number[];
  /** ‖X_S⁻¹X_off‖_F: how an off-support deviation moves the support entries (through Xβ = y). */
  readonly transfer: number;
  /** (1 + transfer)·‖offSupport‖/‖β_ℓ1‖: the predicted relative distance to the ℓ1 solution. */
  readonly relative: number;
}

/**
 * First-order prediction of how far the α-regularized interpolant (argmin Q_α, or the KL projection to α²1 when
 * nonnegative) sits from the ℓ1 vertex at small α [D]. Both are x = α²·e^{±w}-type maps with w = Xᵀν; on the
 * support |β_S| = α² e^{|w_S|} fixes ν = log(1/α²)·ν₁ + ν₀ with X_Sᵀν₁ = σ_S (the LP certificate) and
 * X_Sᵀν₀ = σ_S ⊙ log|β_S|; off the support this gives |β_i| ≈ (α²)^{1 − σ_i x_iᵀν₁}·e^{σ_i x_iᵀν₀}
 * (σ_i = sign(x_iᵀν₁) signed, 1 nonnegative). Requires a non-degenerate vertex (certificate defined).
 */
export function richLimitPrediction(
  x: Matrix,
  l1: L1Interpolant,
  alpha2: number,
  nonnegative = false,
): RichLimitPrediction | undefined {
  if (!l1.certificate) return undefined;
  const n = x.rows,
    d = x.cols,
    S = l1.support;
  const nu1 = l1.certificate;
  const nu0 = solveTransposedBasis(
    x,
    S,
    Float64Array.from(S, (c) => (nonnegative ? 1 : Math.sign(l1.beta[c])) * Math.log(Math.abs(l1.beta[c]))),
  );
  const offIndices = Array.from({ length: d }, (_, i) => i).filter((i) => !S.includes(i));
  const offSupport = Float64Array.from(offIndices, (c) => {
    let s1 = 0,
      s0 = 0;
    for (let i = 0; i < n; i++) {
      s1 += x.data[i * d + c] * nu1[i];
      s0 += x.data[i * d + c] * nu0[i];
    }
    const sigma = nonnegative ? 1 : Math.sign(s1) || 1;
    return Math.exp((1 - sigma * s1) * Math.log(alpha2) + sigma * s0);
  });
  // X_S⁻¹ X_off, column by column.
  let transfer = 0;
  const basis = new Matrix(n, n);
  S.forEach((c, k) => {
    for (let i = 0; i < n; i++) basis.data[i * n + k] = x.data[i * d + c];
  });
  for (const c of offIndices) {
    const col = Float64Array.from({ length: n }, (_, i) => x.data[i * d + c]);
    const z = subsetLeastSquares(
      basis,
      col,
      Array.from({ length: n }, (_, i) => i),
    ).z;
    for (const v of z) transfer += v * v;
  }
  transfer = Math.sqrt(transfer);
  return { offSupport, offIndices, transfer, relative: ((1 + transfer) * norm2(offSupport)) / norm2(l1.beta) };
}
