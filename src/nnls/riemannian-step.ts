import { integerPower } from './vector.js';

/**
 * One Riemannian gradient step of f on the open orthant {x > 0} with CMV's metric ⟨ξ, ζ⟩_x = Σ ξ_i ζ_i /
 * (L x_i^{2−2/L}), whose Riemannian gradient is grad f(x) = L x^{⊙(2−2/L)} ⊙ ∇f(x) [D]. Two retractions:
 *   parametrized  R_x(ξ) = (x^{1/L} + ξ ⊙ x^{1/L−1}/L)^{⊙L}: move u = x^{1/L} by the chart's pull-back of ξ;
 *   euclidean     R_x(ξ) = x + ξ (CMV's x-space step, which can leave the orthant: nnls.positivity.large-step).
 * The first is exactly one GD step on identical factors (nnls.discrete-equivalence); the second only agrees with
 * it to first order in the step.
 */
export type RiemannianStep = (
  out: Float64Array,
  x: Float64Array,
  gradient: Float64Array,
  L: number,
  eta: number,
) => Float64Array;

/** grad f(x) = L x^{⊙(2−2/L)} ⊙ ∇f(x) at one coordinate. */
function riemannianGradient(x: number, g: number, L: number): number {
  return L * Math.pow(x, 2 - 2 / L) * g;
}

/** out ← R_x(−η grad f(x)) with the parametrization's retraction (x > 0). */
export const parametrizedRetractionStep: RiemannianStep = (out, x, gradient, L, eta) => {
  for (let i = 0; i < x.length; i++) {
    const xi = -eta * riemannianGradient(x[i], gradient[i], L);
    out[i] = integerPower(Math.pow(x[i], 1 / L) + (xi * Math.pow(x[i], 1 / L - 1)) / L, L);
  }
  return out;
};

/** out ← x − η grad f(x): the Euclidean retraction. */
export const euclideanRetractionStep: RiemannianStep = (out, x, gradient, L, eta) => {
  for (let i = 0; i < x.length; i++) out[i] = x[i] - eta * riemannianGradient(x[i], gradient[i], L);
  return out;
};
