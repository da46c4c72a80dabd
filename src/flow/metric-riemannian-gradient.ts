import { checkScalarIdentity } from '../check/identity.js';
import { checkTaylor } from '../check/taylor.js';
import { compare, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { conditionOnManifold, fixedRankPoint } from '../geometry/fixed-rank-point.js';
import { MetricOperator } from '../geometry/metric-operator.js';
import { retract } from '../geometry/retraction.js';
import { tangentProject, tangentResidual } from '../geometry/tangent-space.js';
import { frobeniusInner, frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { endToEndGradient, residual as residualOf } from '../model/loss.js';
import type { MetricInstance } from './instances.js';
import { type MetricApplication, pointOf } from './metric-instance.js';
import { explain } from './state-measures.js';

export interface RiemannianGradientOptions {
  /** The operator under test (default: the SVD form, src/geometry's MetricOperator). */
  readonly operator?: MetricApplication;
  /** Project the instance's direction onto T_W M_k (default true; false is the FALSE variant). */
  readonly tangent?: boolean;
  /** Which checks to run: the identity, the Taylor test of DL¹(W)[ξ] along the retraction, or both (default). */
  readonly parts?: 'both' | 'identity' | 'taylor';
}

/**
 * (0) A_W∇L¹ ∈ T_W M_k (tangentResidual: ‖Ũ_⊥ᵀ(A_W∇L¹)Ṽ_⊥‖ at round-off);
 * (1) g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩ (g_W from the SVD coefficients, A_W from the operator under test);
 * (2) the claimed derivative g_W(A_W∇L¹, ξ) of t ↦ L¹(R_W(tξ)), R_W(tξ) = [W + tξ]_k (a curve in M_k with velocity
 *     ξ at 0 for tangent ξ), by the Taylor-remainder test.
 */
export function checkRiemannianGradient(i: MetricInstance, options: RiemannianGradientOptions = {}): Verdict {
  const operator =
    options.operator ??
    ((w: Matrix, depth: number, z: Matrix) => new MetricOperator(fixedRankPoint(w, { rank: i.k }), depth).apply(z));
  const point = pointOf(i),
    N = i.depth;
  const g = new MetricOperator(point, N);
  const euclidean = endToEndGradient(i.W, i.data);
  const riemannian = operator(i.W, N, euclidean);
  const xi = options.tangent === false ? i.Z : tangentProject(point, i.Z, 'ξ');
  const lhs = g.metric(riemannian, xi),
    rhs = frobeniusInner(euclidean, xi);
  const kappa = conditionOnManifold(point);
  const condT = g.largestEigenvalue() / g.smallestTangentEigenvalue();
  const gNorm = frobeniusNorm(euclidean),
    xNorm = frobeniusNorm(xi);
  // A_W then A_W^{-1} inside g: (m+n)ε·cond(A_W|_T) relative to ‖∇L¹‖‖ξ‖ for the SVD form; an explicit-sum operator adds
  // δ_op/λ_min,T ≤ 2(m+n)Nκ²·cond(A_W|_T). The model covers both.
  const scale = (i.m + i.n) * condT * (2 + 2 * N * kappa * kappa) * gNorm * xNorm;
  const identity = explain(
    checkScalarIdentity(lhs, rhs, { scale, c: 8, label: 'g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩' }),
    `scale = (m+n)·cond(A_W|T)·(2 + 2Nκ²)·‖∇L¹‖‖ξ‖, cond(A_W|T) = ${fmt(condT)}, κ = ${fmt(kappa)}`,
    `ξ ${options.tangent === false ? 'with its normal component kept' : 'tangent'} (‖P_N ξ‖/‖ξ‖ = ${fmt(tangentResidual(point, xi).relative)})`,
  );
  // (0) A_W∇L¹ must lie in T_W M_k, or the flow it defines leaves M_k (for N = 1, A_W = I and it does).
  const t = tangentResidual(point, riemannian);
  const tangency = compare({
    measured: t.residual,
    bound: t.bound,
    errorModel: t.errorModel,
    detail: `A_W∇L¹ tangent to M_k (N = ${N}, k = ${i.k} of min(m, n) = ${Math.min(i.m, i.n)}): ‖P_N A_W∇L¹‖_F = ${fmt(t.residual)} (relative ${fmt(t.relative)})`,
  });
  const parts = options.parts ?? 'both';
  if (parts === 'identity') return worstOf([tangency, identity]);
  // The retraction t ↦ [W + tξ]_k is analytic only while σ_k(W + tξ) > σ_{k+1}(W + tξ), i.e. for |t|‖ξ‖ ≲ σ_k/2; beyond
  // that the remainder is not a power series and its odd part can fake a slope-1 regime. So the grid is measured in
  // unit = σ_k/‖ξ‖ (t = 1 moves W by σ_k) and stops at t = 0.2 (a fifth of σ_k); it starts 8 decades lower.
  const sk = point.s[i.k - 1];
  const unit = sk / xNorm;
  // f(t) = L¹(R_W(tξ)) − L¹(W) evaluated without cancellation as ⟨R, DX⟩ + ½‖DX‖², R = WX − Y, D = R_W(tξ) − W: its
  // round-off is ~ε‖W‖‖RXᵀ‖ (the SVD reconstruction inside the retraction), not ε·L¹(W), which is much larger when
  // ‖W‖ is small against the residual. (The measured noise σ enters the floor either way.)
  const R = residualOf(i.W, i.data);
  const curve = (x: readonly Matrix[]): number => {
    let D: Matrix;
    try {
      D = retract(point, xi, x[0].data[0]);
    } catch {
      return NaN; // [W + tξ]_k not unique: off the usable part of the grid
    }
    for (let t = 0; t < D.data.length; t++) D.data[t] -= i.W.data[t];
    const DX = multiply(D, i.data.X);
    return frobeniusInner(R, DX) + 0.5 * frobeniusInner(DX, DX);
  };
  const taylor = checkTaylor(
    curve,
    [new Matrix(1, 1)],
    [Matrix.from([[1]])],
    { derivative: lhs },
    { unit, tMin: 1e-9, tMax: 0.2 },
  );
  const derivative = explain(
    taylor,
    'f(t) = L¹([W + tξ]_k) (retraction curve in M_k), t·‖ξ‖ ∈ [1e-9, 0.2]·σ_k (inside the analytic radius ~σ_k/2)',
    'DL¹(W)[ξ] along R_W(tξ) vs g_W(A_W∇L¹, ξ)',
  );
  return parts === 'taylor' ? derivative : worstOf([tangency, identity, derivative]);
}

/** P_T Z at W's numerical rank: the Riemannian gradient for the Euclidean metric, A_W's stand-in in the FALSE variant. */
export const euclideanProjection: MetricApplication = (w, _depth, z) => tangentProject(fixedRankPoint(w), z);
