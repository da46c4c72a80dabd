import { compare, EPS, inconclusive, type Verdict } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { curveLength, singularValueShrinkCurve } from '../geometry/curve-length.js';
import type { MetricInstance } from './instances.js';
import { pointOf } from './metric-instance.js';

export const QUADRATURE_TOL = 1e-12;

/** The g-length of the curve shrinking σ_k = s to 0 at depth N, as claimed: √N s^{1/N}. */
export const shrinkLength = (s: number, depth: number): number => Math.sqrt(depth) * Math.pow(s, 1 / depth);

/** g-length of σ_k: s → 0 along ũ_kṽ_kᵀ by tanh-sinh quadrature vs the claimed length (default √N s^{1/N}). */
export function checkCompleteness(
  i: MetricInstance,
  options: { claimedLength?: (s: number, N: number) => number } = {},
): Verdict {
  const point = pointOf(i),
    N = i.depth;
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
    detail:
      `g-length of σ_${i.k}: ${fmt(s)} → 0 along ũ_kṽ_kᵀ (N = ${N}): quadrature ${r.value.toPrecision(15)} vs ${options.claimedLength ? 'the claimed length' : '√N s^{1/N}'} = ${expected.toPrecision(15)} (${r.evaluations} nodes, level ${r.level})` +
      (N === 1 ? ' — N = 1: the Euclidean length s' : ' — finite, so (M_k, g) is incomplete'),
  };
  return r.converged
    ? compare(input)
    : inconclusive({
        ...input,
        detail: `${input.detail}; quadrature did not converge (estimate ${fmt(r.errorEstimate)})`,
      });
}
