import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { hessianForm } from '../model/hessian.js';
import type { Data } from '../model/loss.js';
import { loss } from '../model/loss.js';
import type { Weights } from '../model/network.js';
import type { Frame } from './frame.js';
import type { SingularPair } from './structure.js';
import { gamma, hessianFormMagnitude, lossTolerance } from './tolerances.js';

/**
 * THEORY §3, crit.strict-saddle-rotation (Lemma R, [D]): at a critical point with i ∈ S, j ∉ S and σ_j > σ_i,
 * rotate BOTH ends: W_N(t) = R_U(t)W_N (u_i toward u_j) and, in frame coordinates, W_1'(t) = W_1'R_V(t)ᵀ
 * (v_i toward v_j). Then P̃(t) = R_U P̃ R_Vᵀ and exactly
 *   L(t) = L(0) − κ σ_i(σ_j − σ_i) sin²t          (κ = 2, 'sum': −2σ_i(σ_j − σ_i) sin²t),
 * so d²L/dt²(0) = −2κσ_i(σ_j − σ_i) (−4σ_i(σ_j − σ_i) for 'sum'). Rotating only the output end gives instead
 *   L(t) = L(0) + κ σ_i²(1 − cos t)  — the loss goes UP (the classic mistake).
 */
export type RotationSides = 'both' | 'output';

/** I + (cos t − 1)(aaᵀ + bbᵀ) + sin t (baᵀ − abᵀ): rotates a toward b in the plane span(a, b). */
export function planeRotation(a: Float64Array, b: Float64Array, t: number): Matrix {
  const n = a.length,
    out = Matrix.identity(n),
    c = Math.cos(t) - 1,
    s = Math.sin(t);
  for (let p = 0; p < n; p++)
    for (let q = 0; q < n; q++)
      out.data[p * n + q] += c * (a[p] * a[q] + b[p] * b[q]) + s * (b[p] * a[q] - a[p] * b[q]);
  return out;
}

/** baᵀ − abᵀ: the derivative of planeRotation at t = 0. */
export function planeGenerator(a: Float64Array, b: Float64Array): Matrix {
  const n = a.length,
    out = new Matrix(n, n);
  for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) out.data[p * n + q] = b[p] * a[q] - a[p] * b[q];
  return out;
}

/** X ↦ W_1 T (Mᵀ) T⁺ (how a right factor acting in frame coordinates moves layer 1). */
function rightInFrame(frame: Frame, w1: Matrix, m: Matrix): Matrix {
  return multiply(multiply(multiply(w1, frame.T), m, 'n', 't'), frame.Tpinv);
}

/** The weights at parameter t of the rotation curve through a critical point. */
export function rotationCurve(
  frame: Frame,
  weights: Weights,
  kept: SingularPair,
  discarded: SingularPair,
  t: number,
  sides: RotationSides = 'both',
): Matrix[] {
  const n = weights.length;
  const out = weights.map((w) => w.clone());
  const RU = planeRotation(kept.u, discarded.u, t);
  out[n - 1] = multiply(RU, out[n - 1]);
  if (sides === 'both') {
    const RV = planeRotation(kept.v, discarded.v, t);
    const I = Matrix.identity(RV.rows);
    const delta = new Matrix(RV.rows, RV.cols);
    for (let p = 0; p < delta.data.length; p++) delta.data[p] = RV.data[p] - I.data[p];
    const move = rightInFrame(frame, out[0], delta);
    for (let p = 0; p < move.data.length; p++) out[0].data[p] += move.data[p];
  }
  return out;
}

/** The tangent of the rotation curve at t = 0 (a direction in weight space). */
export function rotationTangent(
  frame: Frame,
  weights: Weights,
  kept: SingularPair,
  discarded: SingularPair,
  sides: RotationSides = 'both',
): Matrix[] {
  const n = weights.length;
  const out = weights.map((w) => new Matrix(w.rows, w.cols));
  const top = multiply(planeGenerator(kept.u, discarded.u), weights[n - 1]);
  for (let p = 0; p < top.data.length; p++) out[n - 1].data[p] += top.data[p];
  if (sides === 'both') {
    const move = rightInFrame(frame, weights[0], planeGenerator(kept.v, discarded.v));
    for (let p = 0; p < move.data.length; p++) out[0].data[p] += move.data[p];
  }
  return out;
}

/** The closed form of L along the curve (see the module comment). */
export function rotationLossFormula(
  l0: number,
  kappa: number,
  sigmaI: number,
  sigmaJ: number,
  t: number,
  sides: RotationSides = 'both',
): number {
  return sides === 'both'
    ? l0 - kappa * sigmaI * (sigmaJ - sigmaI) * Math.sin(t) ** 2
    : l0 + kappa * sigmaI ** 2 * (1 - Math.cos(t));
}

export interface RotationCertificate {
  readonly i: number;
  readonly j: number;
  readonly sigmaI: number;
  readonly sigmaJ: number;
  /** d²L/dt²(0) = −2κσ_i(σ_j − σ_i) (negative: a strict saddle). */
  readonly predictedCurvature: number;
  /** ∇²L[Δ, Δ] along the tangent Δ, from src/model's Hessian form. */
  readonly measuredCurvature: number;
  readonly curvatureTolerance: number;
  /** max over t of |L(t) − closed form| and its bound. */
  readonly curveError: number;
  readonly curveTolerance: number;
  readonly holds: boolean;
  readonly tangent: Matrix[];
}

/** Build and check the rotation certificate at a critical point with σ_j > σ_i (i ∈ S, j ∉ S). */
export function rotationCertificate(
  frame: Frame,
  weights: Weights,
  data: Data,
  kept: SingularPair,
  discarded: SingularPair,
  sides: RotationSides = 'both',
  ts: readonly number[] = [0.25, 0.8, Math.PI / 2],
): RotationCertificate {
  if (weights.length < 1) throw new DomainError('weights', 'need at least one layer');
  const kappa = frame.kappa;
  const l0 = loss(weights, data, { scale: frame.scale });
  let curveError = 0,
    curveTolerance = 0;
  for (const t of ts) {
    const wt = rotationCurve(frame, weights, kept, discarded, t, sides);
    const lt = loss(wt, data, { scale: frame.scale });
    const f = rotationLossFormula(l0, kappa, kept.sigma, discarded.sigma, t, sides);
    curveError = Math.max(curveError, Math.abs(lt - f));
    curveTolerance = Math.max(
      curveTolerance,
      lossTolerance(wt, data, frame.scale) + lossTolerance(weights, data, frame.scale),
    );
  }
  const tangent = rotationTangent(frame, weights, kept, discarded, sides);
  const measured = hessianForm(weights, data, tangent, tangent, { scale: frame.scale });
  const predicted =
    sides === 'both' ? -2 * kappa * kept.sigma * (discarded.sigma - kept.sigma) : kappa * kept.sigma ** 2;
  const curvatureTolerance =
    gamma(weights, data) * (Math.abs(predicted) + hessianFormMagnitude(weights, data, tangent, frame.scale));
  return {
    i: kept.index,
    j: discarded.index,
    sigmaI: kept.sigma,
    sigmaJ: discarded.sigma,
    predictedCurvature: predicted,
    measuredCurvature: measured,
    curvatureTolerance,
    curveError,
    curveTolerance,
    holds: curveError <= curveTolerance && Math.abs(measured - predicted) <= curvatureTolerance,
    tangent,
  };
}
