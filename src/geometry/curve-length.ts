import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import {
  type FixedRankOptions,
  type FixedRankPoint,
  fixedRankPoint,
  fixedRankPointFromFactors,
} from './fixed-rank-point.js';
import { MetricOperator } from './metric-operator.js';
import { type QuadratureOptions, type QuadratureResult, tanhSinh } from './quadrature.js';

/** A point of a curve in M_k and its velocity. A point given as a Matrix is decomposed (fixedRankPoint). */
export interface CurveSample {
  readonly point: FixedRankPoint | Matrix;
  readonly velocity: Matrix;
}

/**
 * A curve t ↦ γ(t) on [t0, t1]. It receives the parameter and its distances to both ends computed without
 * cancellation (fromStart = t − t0, toEnd = t1 − t): a curve whose end leaves M_k should build its point from
 * these (e.g. σ_k = toEnd), since t itself cannot resolve distances below ε·|t1|.
 */
export type Curve = (t: number, fromStart: number, toEnd: number) => CurveSample;

export interface CurveLengthOptions extends QuadratureOptions {
  /** Rank rule for points given as matrices (see fixedRankPoint). */
  readonly rankOptions?: FixedRankOptions;
}

/**
 * The g-length ∫_{t0}^{t1} √(g_{γ(t)}(γ'(t), γ'(t))) dt of a curve in (M_k, g) for depth N, by tanh-sinh
 * quadrature (converges exponentially also when the integrand blows up integrably at an end, as it does when the
 * curve leaves M_k). g is MetricOperator.metric at each node.
 */
export function curveLength(
  curve: Curve,
  depth: number,
  t0: number,
  t1: number,
  options: CurveLengthOptions = {},
): QuadratureResult {
  const integrand = (t: number, fromStart: number, toEnd: number): number => {
    const { point, velocity } = curve(t, fromStart, toEnd);
    const p = point instanceof Matrix ? fixedRankPoint(point, options.rankOptions ?? {}, 'γ(t)') : point;
    const g = new MetricOperator(p, depth).metric(velocity, velocity);
    if (!(g >= 0)) throw new DomainError('g_W(γ′, γ′)', `expected ≥ 0, received ${g} at t = ${t}`);
    return Math.sqrt(g);
  };
  return tanhSinh(integrand, t0, t1, options);
}

/**
 * The curve that shrinks σ_i (1-based index i ≤ k) of the point linearly from its value s to 0 along ũ_iṽ_iᵀ,
 * parametrized by t ∈ [0, s] with σ_i(t) = s − t (= toEnd, exact) and velocity −ũ_iṽ_iᵀ; all other factors fixed.
 * Its points are built from factors (fixedRankPointFromFactors), so σ_i keeps full relative precision near 0.
 * THEORY §2 metric.completeness: its g-length is √N s^{1/N} (finite) for every N, hence (M_k, g) is incomplete for
 * N ≥ 2 (N = 1: the Euclidean length s).
 */
export function singularValueShrinkCurve(
  point: FixedRankPoint,
  index = point.k,
): { curve: Curve; t0: number; t1: number } {
  if (!Number.isInteger(index) || index < 1 || index > point.k)
    throw new DomainError('index', `expected 1 ≤ i ≤ k = ${point.k}, received ${index}`);
  const { m, n, U, V } = point;
  const i = index - 1,
    s = point.s[i];
  const velocity = new Matrix(m, n);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < n; c++) velocity.data[r * n + c] = -U.data[r * m + i] * V.data[c * n + i];
  const sigma = Float64Array.from(point.s);
  const curve: Curve = (_t, _fromStart, toEnd) => {
    sigma[i] = toEnd;
    return { point: fixedRankPointFromFactors(U, sigma, V, point.k), velocity };
  };
  return { curve, t0: 0, t1: s };
}
