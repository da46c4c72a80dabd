import { EPS } from '../check/verdict.js';
import type { MetricApplication } from '../dynamics/index.js';
import { type FixedRankPoint, fixedRankPoint } from '../geometry/fixed-rank-point.js';
import { ExplicitMetricOperator } from '../geometry/metric-operator-explicit.js';
import type { MetricInstance } from './instances.js';

export type { MetricApplication };

/**
 * What the metric checks share: the operator A_W(Z) = Σ_{j=1}^{N} (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N} as an injectable
 * function (so a test can feed a deliberately wrong one), its size and its round-off model.
 */

/** (σ_a, σ_b, N) ↦ c_ab. */
export type CoefficientFormula = (sigmaA: number, sigmaB: number, depth: number) => number;

/** A_W by its definition: the explicit sum of rank-truncated PSD powers of the Gram matrices (no SVD of W). */
export const explicitMetric: MetricApplication = (w, depth, z) =>
  new ExplicitMetricOperator(w, depth, { source: 'gram-eigen' }).apply(z);

/** The fixed-rank point of the instance at its built rank k. */
export function pointOf(i: MetricInstance): FixedRankPoint {
  return fixedRankPoint(i.W, { rank: i.k });
}

/** The largest singular value σ_1 (as built) to the power 2(N−1)/N: the size of ‖A_W‖_2 up to the factor N. */
export function operatorNorm(i: MetricInstance): number {
  return i.depth * Math.pow(i.sigma[0], (2 * (i.depth - 1)) / i.depth);
}

/**
 * Error per unit ‖Z‖ of A_W(Z) computed by the explicit sum (metric-operator.test's model): the Gram matrices carry
 * ~(m+n)ε·σ_1²; a power λ^p (0 < p < 1) amplifies that by its divided differences, at most κ² = (σ_1/σ_k)² relative
 * to ‖A_W‖; N terms add up:  δ_op = 2·ε·(m+n)·N·κ²·‖A_W‖_2.
 */
export function explicitOperatorError(i: MetricInstance, kappa: number): number {
  return 2 * EPS * (i.m + i.n) * i.depth * kappa * kappa * operatorNorm(i);
}
