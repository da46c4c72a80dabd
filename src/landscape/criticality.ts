import { frobeniusNorm } from '../linalg/frobenius.js';
import { layerGradients } from '../model/gradients.js';
import type { Data, LossScale } from '../model/loss.js';
import type { Weights } from '../model/network.js';
import { hessianMagnitude, parameterOffsets } from './hessian.js';
import { gamma, gradientTolerance } from './tolerances.js';

/**
 * When is a stored point "critical"? τ_g (tolerances.ts) bounds the rounding of EVALUATING ∇L at the stored
 * floats. A point that was computed (by a constructor's SVDs and gauge products, or by Newton's last step) is an
 * exact critical point W moved by its own representation error, which is NORM-wise relative (a tiny entry carries
 * an absolute error of the size of the big ones): ‖W̃_j − W_j‖ ≲ γ‖W_j‖. Then
 *   ‖∇L(W̃)‖ ≤ τ_g + ‖H(W̃ − W)‖ ≤ τ_g + γ·Σ_j ‖|H|_{:,j}‖_F‖W_j‖_F =: τ_c,
 * with |H| the Hessian assembled on absolute values (hessianMagnitude), plus γ·2^-1074/ε for subnormal results.
 * The second term needs the Hessian, so it is only computed when τ_g alone is exceeded.
 */
export interface Criticality {
  readonly gradientNorm: number;
  /** τ_c (equal to τ_g when ‖∇L‖ ≤ τ_g). */
  readonly tolerance: number;
  readonly critical: boolean;
}

export function criticalityTolerance(weights: Weights, data: Data, scale: LossScale, gradientNorm: number): number {
  const tau = gradientTolerance(weights, data, scale);
  if (gradientNorm <= tau) return tau;
  const H = hessianMagnitude(weights, data, scale);
  const offsets = parameterOffsets(weights),
    n = H.rows;
  let representation = 0;
  weights.forEach((w, j) => {
    let column = 0;
    for (let p = 0; p < n; p++) for (let q = offsets[j]; q < offsets[j + 1]; q++) column += H.data[p * n + q] ** 2;
    representation += Math.sqrt(column) * frobeniusNorm(w);
  });
  // Iterates heading for a zero-product point underflow: subnormal results carry an absolute error of 2^-1074.
  return tau + gamma(weights, data) * (representation + Number.MIN_VALUE / Number.EPSILON);
}

/**
 * τ_g with the subnormal floor only: the strict test for points that were NOT built to be critical (Newton and
 * descent endpoints). τ_c is a consistency bound (a point γ-close to a critical point satisfies it), not a proof of
 * closeness: where H is nearly singular a small gradient does not mean a nearby critical point, and with large
 * weights τ_c grows with ‖|H|‖‖W‖ (a Newton run that stalled at ‖∇L‖ = 1.7e-6 passed τ_c = 2.2e-6).
 */
export function strictGradientTolerance(weights: Weights, data: Data, scale: LossScale): number {
  return gradientTolerance(weights, data, scale) + (gamma(weights, data) * Number.MIN_VALUE) / Number.EPSILON;
}

export function criticality(weights: Weights, data: Data, scale: LossScale): Criticality {
  const gradientNorm = Math.hypot(...layerGradients(weights, data, { scale }).map((g) => frobeniusNorm(g)));
  const tolerance = criticalityTolerance(weights, data, scale, gradientNorm);
  return { gradientNorm, tolerance, critical: gradientNorm <= tolerance };
}
