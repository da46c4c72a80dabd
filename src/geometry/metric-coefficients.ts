import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { FixedRankPoint } from './fixed-rank-point.js';

/**
 * The SVD coefficients of A_W (THEORY §2, metric.svd-form): with W = ŨΣ̃Ṽᵀ, (ŨᵀA_W(Z)Ṽ)_ab = c_ab (ŨᵀZṼ)_ab,
 *   c_ab = Σ_{j=1}^{N} σ_a^{2(N−j)/N} σ_b^{2(j−1)/N},   0^0 := 1.
 */

export function assertDepth(depth: number, argument = 'N'): number {
  if (!Number.isInteger(depth) || depth < 1)
    throw new DomainError(argument, `depth must be an integer ≥ 1, received ${depth}`);
  return depth;
}

function assertSigma(x: number, argument: string): void {
  if (!(x >= 0) || !Number.isFinite(x))
    throw new DomainError(argument, `expected a finite singular value ≥ 0, received ${x}`);
}

/**
 * c(σ_a, σ_b) by the defining sum, term by term with Math.pow (which has 0^0 = 1). All terms are ≥ 0, so the
 * sum is accurate to N·ε relative: this is the reference the operator uses.
 */
export function metricCoefficient(sigmaA: number, sigmaB: number, depth: number): number {
  assertDepth(depth);
  assertSigma(sigmaA, 'σ_a');
  assertSigma(sigmaB, 'σ_b');
  let c = 0;
  for (let j = 1; j <= depth; j++)
    c += Math.pow(sigmaA, (2 * (depth - j)) / depth) * Math.pow(sigmaB, (2 * (j - 1)) / depth);
  return c;
}

/**
 * c(σ_a, σ_b) by the closed forms of THEORY §2 (derived from (x − y)Σ_j x^{N−j}y^{j−1} = x^N − y^N):
 *   σ_a ≠ σ_b, both > 0: (σ_a² − σ_b²)/(σ_a^{2/N} − σ_b^{2/N});   σ_a = σ_b > 0: N σ_a^{2(N−1)/N};
 *   σ_a > 0 = σ_b: σ_a^{2(N−1)/N};   σ_b > 0 = σ_a: σ_b^{2(N−1)/N};   σ_a = σ_b = 0: 0 for N ≥ 2, 1 for N = 1
 * (THEORY's "a, b > k ⇒ 0" is the N ≥ 2 case; for N = 1 the sum is 0^0·0^0 = 1 and A_W = I).
 * The first form cancels when σ_a ≈ σ_b: its relative error is ~ε·max(x, y)/|x − y| with x = σ_a^{2/N},
 * y = σ_b^{2/N}. Kept as an independent check of metricCoefficient and as the symbolic target.
 */
export function metricCoefficientClosedForm(sigmaA: number, sigmaB: number, depth: number): number {
  assertDepth(depth);
  assertSigma(sigmaA, 'σ_a');
  assertSigma(sigmaB, 'σ_b');
  const e = (2 * (depth - 1)) / depth;
  if (sigmaA > 0 && sigmaB > 0) {
    const x = Math.pow(sigmaA, 2 / depth),
      y = Math.pow(sigmaB, 2 / depth);
    // Branch on x = y, not σ_a = σ_b: distinct σ whose 2/N-th powers round together would divide by 0.
    if (x === y) return depth * Math.pow(sigmaA, e);
    return (sigmaA * sigmaA - sigmaB * sigmaB) / (x - y);
  }
  if (sigmaA > 0) return Math.pow(sigmaA, e);
  if (sigmaB > 0) return Math.pow(sigmaB, e);
  return depth === 1 ? 1 : 0;
}

/** σ̃ of length `size`: the point's σ (zero beyond rank k) padded with zeros. */
export function paddedSingularValues(point: FixedRankPoint, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let a = 0; a < Math.min(size, point.s.length); a++) out[a] = point.s[a];
  return out;
}

/** The m×n matrix c with c[a, b] = metricCoefficient(σ̃_a, σ̃_b, N), σ̃ = σ zero-padded to m (rows) and n (cols). */
export function metricCoefficientMatrix(point: FixedRankPoint, depth: number): Matrix {
  assertDepth(depth);
  const { m, n } = point;
  const sa = paddedSingularValues(point, m),
    sb = paddedSingularValues(point, n);
  const c = new Matrix(m, n);
  for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) c.data[a * n + b] = metricCoefficient(sa[a], sb[b], depth);
  return c;
}
