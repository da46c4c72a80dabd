import type { Matrix } from '../linalg/matrix.js';
import { type Data, endToEndGradient, type LossScale } from '../model/loss.js';
import { type FixedRankOptions, fixedRankPoint } from './fixed-rank-point.js';
import { MetricOperator } from './metric-operator.js';

export interface RiemannianGradient {
  /** A_W(∇L¹(W)): the Riemannian gradient of L¹|M_k for g_W (THEORY §2, metric.riemannian-gradient). */
  readonly gradient: Matrix;
  /** ∇L¹(W) = κ(WX − Y)Xᵀ in the stated scale. */
  readonly euclidean: Matrix;
  /** The operator A_W at the point (reuse it for g_W, its inverse, tangency tests). */
  readonly operator: MetricOperator;
}

/**
 * The Riemannian gradient A_W(∇L¹(W)) of the end-to-end loss restricted to M_k, k = rank W (explicit or
 * numerical, see fixedRankPoint), for the metric g_W of depth N. It satisfies g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩ for every
 * tangent ξ; the balanced DLN flow's product moves as dW/dt = −(this gradient).
 */
export function riemannianGradient(
  w: Matrix,
  data: Data,
  depth: number,
  options: FixedRankOptions & { readonly scale?: LossScale } = {},
): RiemannianGradient {
  const euclidean = endToEndGradient(w, data, options.scale ?? 'half');
  const operator = new MetricOperator(fixedRankPoint(w, options), depth);
  return { gradient: operator.apply(euclidean), euclidean, operator };
}
