import { checkIdentity } from '../check/identity.js';
import { compare, EPS, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { conditionOnManifold } from '../geometry/fixed-rank-point.js';
import {
  metricCoefficient,
  metricCoefficientClosedForm,
  metricCoefficientMatrix,
} from '../geometry/metric-coefficients.js';
import { toSvdCoordinates } from '../geometry/tangent-space.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { MetricInstance } from './instances.js';
import {
  type CoefficientFormula,
  explicitMetric,
  type MetricApplication,
  operatorNorm,
  pointOf,
} from './metric-instance.js';
import { explain } from './state-measures.js';

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
  const point = pointOf(i),
    N = i.depth;
  const kappa = conditionOnManifold(point);
  const image = operator(i.W, N, i.Z);
  const lhs = toSvdCoordinates(point, image, 'A_W(Z)');
  const c = metricCoefficientMatrix(point, N);
  const rhs = toSvdCoordinates(point, i.Z);
  for (let t = 0; t < rhs.data.length; t++) rhs.data[t] *= c.data[t];
  const zNorm = frobeniusNorm(i.Z),
    opNorm = operatorNorm(i);
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
  const sa = padded(i.m),
    sb = padded(i.n);
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < i.m; a++) for (let b = 0; b < i.n; b++) pairs.push([sa[a], sb[b]]);
  const s1 = i.sigma[0],
    sk = i.sigma[i.k - 1];
  pairs.push([s1, s1], [s1, sk], [sk, s1], [sk, 0], [0, sk], [0, 0]);
  let worstClosed: Verdict | undefined;
  for (const [x, y] of pairs) {
    const sum = metricCoefficient(x, y, N),
      cf = closed(x, y, N);
    // The sum has N non-negative terms (N·ε relative); the closed form (σ_a² − σ_b²)/(x − y), x = σ_a^{2/N}, cancels:
    // relative error ~ε·max(x, y)/|x − y|. Both relative to the pair's scale, floored at σ_1^{2(N−1)/N}·1 (never 0).
    const px = Math.pow(x, 2 / N),
      py = Math.pow(y, 2 / N);
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
