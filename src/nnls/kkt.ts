import { compare, type Verdict } from '../check/verdict.js';
import { LeastSquaresWorkspace, gradientScale, leastSquaresProblem, type LeastSquaresProblem } from './problem.js';
import { frobenius, norm2, normInf, toVector } from './vector.js';
import type { Matrix } from '../linalg/matrix.js';

/**
 * KKT conditions of min_{x ≥ 0} ½‖Ax − b‖²: x ≥ 0 (primal), ∇f(x) = Aᵀ(Ax − b) ≥ 0 (dual),
 * x ⊙ ∇f(x) = 0 (complementarity). They are necessary and sufficient (f is convex).
 *
 * Scale-aware measures (THEORY §7: never compare with 0 at atol = 0):
 *   x-scale      s_x = max(‖x‖∞, ‖b‖₂/‖A‖_F)  (the size of a solution; ‖b‖/‖A‖ keeps x = 0 measurable),
 *   ∇-scale      s_g = ‖A‖_F(‖A‖_F‖x‖₂ + ‖b‖₂)  (the terms a computed gradient is summed from),
 *   primal       max(0, −min x_i)/s_x,
 *   dual         max(0, −min g_i)/s_g,
 *   complementarity max_i |x_i g_i|/(s_x s_g).
 * A backward-stable solver leaves all three at a few (m + n)·ε, independent of the condition number of A.
 */
export interface KktResiduals {
  readonly primal: number;
  readonly dual: number;
  readonly complementarity: number;
  /** max of the three relative measures. */
  readonly worst: number;
  /** Unscaled values: max(0, −min x), max(0, −min ∇f), max |x ⊙ ∇f|. */
  readonly absolute: { readonly primal: number; readonly dual: number; readonly complementarity: number };
  readonly scales: { readonly x: number; readonly gradient: number };
  readonly gradient: Float64Array;
}

/** KKT residuals of x for the problem (A, b). */
export function kktResiduals(problem: LeastSquaresProblem, x: ArrayLike<number>): KktResiduals {
  const xv = toVector(x, 'x', problem.A.cols);
  const w = new LeastSquaresWorkspace(problem);
  w.evaluate(xv);
  const g = w.gradient;
  let primal = 0, dual = 0, comp = 0;
  for (let i = 0; i < xv.length; i++) {
    primal = Math.max(primal, -xv[i]);
    dual = Math.max(dual, -g[i]);
    comp = Math.max(comp, Math.abs(xv[i] * g[i]));
  }
  const na = frobenius(problem.A), nb = norm2(problem.b);
  const sx = Math.max(normInf(xv), na > 0 ? nb / na : 0, Number.MIN_VALUE);
  const sg = Math.max(gradientScale(problem, xv), Number.MIN_VALUE);
  const rel = { primal: primal / sx, dual: dual / sg, complementarity: comp / (sx * sg) };
  return {
    ...rel,
    worst: Math.max(rel.primal, rel.dual, rel.complementarity),
    absolute: { primal, dual, complementarity: comp },
    scales: { x: sx, gradient: sg },
    gradient: g.slice(),
  };
}

/** Convenience: kktResiduals on a raw (A, b). */
export function kkt(a: Matrix, b: ArrayLike<number>, x: ArrayLike<number>): KktResiduals {
  return kktResiduals(leastSquaresProblem(a, b), x);
}

/** The round-off level of the relative KKT measures for an exact solver: 32·(m + n)·ε. */
export function kktRoundOff(rows: number, cols: number): number {
  return 32 * (rows + cols) * Number.EPSILON;
}

/**
 * A verdict on the KKT conditions: pass when the worst relative measure is ≤ tolerance (default
 * kktRoundOff(m, n), the level an exact active-set solver reaches).
 */
export function kktVerdict(problem: LeastSquaresProblem, x: ArrayLike<number>, tolerance?: number, label = 'x'): Verdict {
  const r = kktResiduals(problem, x);
  const bound = tolerance ?? kktRoundOff(problem.A.rows, problem.A.cols);
  const which = r.worst === r.primal ? 'x ≥ 0' : r.worst === r.dual ? '∇f ≥ 0' : 'x ⊙ ∇f = 0';
  return compare({
    measured: r.worst,
    bound,
    errorModel: tolerance === undefined ? `32·(m+n)·ε = ${bound.toExponential(2)} (relative to s_x = ${r.scales.x.toExponential(2)}, s_∇ = ${r.scales.gradient.toExponential(2)})` : `tolerance ${bound.toExponential(2)} (relative KKT)`,
    detail: `KKT of ${label}: primal ${r.primal.toExponential(2)}, dual ${r.dual.toExponential(2)}, complementarity ${r.complementarity.toExponential(2)} (worst: ${which})`,
  });
}
