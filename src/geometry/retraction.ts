import { DomainError } from '../errors.js';
import { sci } from '../format.js';
import { bestRankK } from '../linalg/low-rank.js';
import { assertShape, type Matrix } from '../linalg/matrix.js';
import type { FixedRankPoint } from './fixed-rank-point.js';

/**
 * The projective retraction of M_k: R_W(tξ) = [W + tξ]_k, the best rank-k approximation (Eckart–Young) of the
 * step. For tangent ξ, R_W(tξ) = W + tξ + O(t²), so t ↦ R_W(tξ) is a curve in M_k with velocity ξ at t = 0
 * (what a finite-difference check of DL¹(W)[ξ] along M_k needs). Throws when [W + tξ]_k is not unique
 * (σ_k = σ_{k+1} up to round-off) or has rank < k.
 */
export function retract(point: FixedRankPoint, xi: Matrix, t = 1, argument = 'ξ'): Matrix {
  assertShape(xi, point.m, point.n, argument);
  if (!Number.isFinite(t)) throw new DomainError('t', `expected a finite step, received ${t}`);
  const step = point.W.clone();
  for (let i = 0; i < step.data.length; i++) step.data[i] += t * xi.data[i];
  const r = bestRankK(step, point.k, undefined, 'W + tξ');
  if (!r.unique)
    throw new DomainError(
      'retract',
      `[W + tξ]_${point.k} is not unique (σ_k − σ_{k+1} = ${sci(r.gap)}); the step is too long`,
    );
  if (point.k > 0 && !(r.singularValues[point.k - 1] > 0))
    throw new DomainError('retract', `W + tξ has rank < ${point.k}`);
  return r.matrix;
}
