import { DomainError } from '../errors.js';
import { sci } from '../format.js';

/**
 * An integrand that also receives the distances of its node to both ends, computed without cancellation:
 * fromStart = x − a and toEnd = b − x. Integrands with an endpoint singularity must use these (x itself cannot
 * resolve a distance below ε·|b| from b).
 */
export type EndpointAwareIntegrand = (x: number, fromStart: number, toEnd: number) => number;

export interface QuadratureOptions {
  /** Stop when two successive levels agree to tol·|I|. Default 1e-12. */
  readonly tol?: number;
  /** Maximum refinement level (step 2^-level in the tanh-sinh variable). Default 12. */
  readonly maxLevel?: number;
  /**
   * Nodes closer than cutoff·(b − a) to an end are not evaluated. The neglected mass is ∫ over those end
   * pieces; for |f| ≲ C·d^{−α} (α < 1) it is ≤ C(cutoff·(b − a))^{1−α}/(1 − α). Default 1e-120, small enough for
   * α ≤ 0.9 and large enough that metric coefficients like σ^{2(N−1)/N} stay normal floats.
   */
  readonly cutoff?: number;
}

export interface QuadratureResult {
  readonly value: number;
  /** |I_level − I_{level−1}|: tanh-sinh roughly squares its error per level, so this over-estimates the final error. */
  readonly errorEstimate: number;
  readonly evaluations: number;
  readonly level: number;
  readonly converged: boolean;
}

/**
 * ∫_a^b f by tanh-sinh (double-exponential) quadrature, x = (a+b)/2 + (b−a)/2·tanh((π/2) sinh τ). It converges
 * exponentially even for integrable algebraic singularities at the ends (like σ^{−(N−1)/N} in the length of a curve
 * that leaves M_k), which is why it is used for metric lengths. Throws DomainError if f returns a non-finite value.
 */
export function tanhSinh(
  f: EndpointAwareIntegrand,
  a: number,
  b: number,
  options: QuadratureOptions = {},
): QuadratureResult {
  const tol = options.tol ?? 1e-12,
    maxLevel = options.maxLevel ?? 12,
    cutoff = options.cutoff ?? 1e-120;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > a))
    throw new DomainError('[a, b]', `expected finite a < b, received [${a}, ${b}]`);
  if (!(tol > 0)) throw new DomainError('tol', `expected tol > 0, received ${tol}`);
  if (!(cutoff > 0 && cutoff < 0.5)) throw new DomainError('cutoff', `expected 0 < cutoff < 1/2, received ${cutoff}`);
  const len = b - a,
    half = len / 2;
  // Largest τ whose node keeps distance ≥ cutoff·len: e^{−2u}/(1 + e^{−2u}) = cutoff, u = (π/2) sinh τ.
  const tauMax = Math.asinh((2 / Math.PI) * (0.5 * Math.log((1 - cutoff) / cutoff)));
  let evaluations = 0;
  const term = (tau: number): number => {
    const u = (Math.PI / 2) * Math.sinh(Math.abs(tau));
    const q = Math.exp(-2 * u); // e^{−2u} ∈ (0, 1]
    const weight = (half * (Math.PI / 2) * Math.cosh(tau) * (4 * q)) / ((1 + q) * (1 + q)); // (π/2)cosh τ / cosh² u
    const d = (len * q) / (1 + q); // distance to the nearer end
    let x: number, fromStart: number, toEnd: number;
    if (tau > 0) [x, fromStart, toEnd] = [b - d, len - d, d];
    else if (tau < 0) [x, fromStart, toEnd] = [a + d, d, len - d];
    else [x, fromStart, toEnd] = [a + half, half, half];
    const y = f(x, fromStart, toEnd);
    evaluations++;
    if (!Number.isFinite(y))
      throw new DomainError(
        'integrand',
        `returned ${y} at x = ${x} (distance to ends ${sci(fromStart)}, ${sci(toEnd)})`,
      );
    return weight * y;
  };
  // Level 0: step 1, nodes τ = 0, ±1, ±2, …
  let h = 1;
  let sum = term(0);
  for (let i = 1; i <= tauMax; i++) sum += term(i) + term(-i);
  let estimate = h * sum,
    previous = NaN,
    level = 0,
    converged = false,
    errorEstimate = Infinity;
  while (level < maxLevel) {
    level++;
    h /= 2;
    // New nodes: odd multiples of h.
    for (let tau = h; tau <= tauMax; tau += 2 * h) sum += term(tau) + term(-tau);
    previous = estimate;
    estimate = h * sum;
    errorEstimate = Math.abs(estimate - previous);
    if (level >= 3 && errorEstimate <= tol * Math.abs(estimate)) {
      converged = true;
      break;
    }
  }
  return { value: estimate, errorEstimate, evaluations, level, converged };
}
