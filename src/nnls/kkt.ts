import { compare, type Verdict } from '../check/verdict.js';
import type { Matrix } from '../linalg/matrix.js';
import {
  columnNorms,
  type LeastSquaresProblem,
  LeastSquaresWorkspace,
  leastSquaresProblem,
  termScale,
} from './problem.js';
import { toVector } from './vector.js';

/**
 * KKT conditions of min_{x ≥ 0} ½‖Ax − b‖²: x ≥ 0 (primal), ∇f(x) = Aᵀ(Ax − b) ≥ 0 (dual),
 * x ⊙ ∇f(x) = 0 (complementarity). They are necessary and sufficient (f is convex).
 *
 * Measured per coordinate, in the units of its own column (THEORY §7: never compare with 0 at atol = 0). With
 * c_j = ‖a_j‖ (a zero column borrows the largest norm) and S = ‖b‖ + Σ_k ‖a_k‖|x_k| (the size of the terms of
 * Ax − b, so round-off in a computed g_j = ∂f/∂x_j is a few ε·c_j·S):
 *   primal          max_j max(0, −x_j)·c_j / S,
 *   dual            max_j max(0, −g_j) / (c_j·S),
 *   complementarity max_j (|x_j|·c_j/S)·(|g_j|/(c_j·S)).
 * All three are unchanged when a column is rescaled (a_j → κa_j, x_j → x_j/κ), so a wrong answer on a badly
 * scaled problem cannot hide behind the norm of the large columns: with A = diag(1e6, 1e-6), b = (1e6, 1), the
 * wrong x = (1, 0) has dual 5e-7, the solution (1, 1e6) has 0. A backward-stable solver leaves all three at a few
 * (m + n)·ε, independent of the condition number of A.
 */
export interface KktResiduals {
  readonly primal: number;
  readonly dual: number;
  readonly complementarity: number;
  /** max of the three relative measures. */
  readonly worst: number;
  /** The coordinate where `worst` is attained. */
  readonly worstIndex: number;
  /** Unscaled values: max(0, −min x), max(0, −min ∇f), max |x ⊙ ∇f|. */
  readonly absolute: { readonly primal: number; readonly dual: number; readonly complementarity: number };
  /** S = ‖b‖ + Σ‖a_k‖|x_k| and the scale c_j of the worst coordinate. */
  readonly scales: { readonly terms: number; readonly worstColumn: number };
  readonly gradient: Float64Array;
}

/** KKT residuals of x for the problem (A, b). */
export function kktResiduals(problem: LeastSquaresProblem, x: ArrayLike<number>): KktResiduals {
  const xv = toVector(x, 'x', problem.A.cols);
  const w = new LeastSquaresWorkspace(problem);
  w.evaluate(xv);
  return kktFromGradient(problem, xv, w.gradient.slice(), columnNorms(problem.A));
}

/** The KKT measures of x from its gradient g = ∇f(x) (kept in the result) and the column norms ‖a_j‖. */
export function kktFromGradient(
  problem: LeastSquaresProblem,
  x: ArrayLike<number>,
  g: Float64Array,
  norms: ArrayLike<number>,
): KktResiduals {
  let largest = 0;
  for (let j = 0; j < x.length; j++) largest = Math.max(largest, norms[j]);
  const fallback = largest > 0 ? largest : 1;
  const s = Math.max(termScale(problem, x, norms), Number.MIN_VALUE);
  let primal = 0,
    dual = 0,
    comp = 0,
    worst = 0,
    worstIndex = 0;
  const abs = { primal: 0, dual: 0, complementarity: 0 };
  for (let j = 0; j < x.length; j++) {
    const c = norms[j] > 0 ? norms[j] : fallback;
    const p = (Math.max(0, -x[j]) * c) / s;
    const d = Math.max(0, -g[j]) / (c * s);
    const k = ((Math.abs(x[j]) * c) / s) * (Math.abs(g[j]) / (c * s));
    primal = Math.max(primal, p);
    dual = Math.max(dual, d);
    comp = Math.max(comp, k);
    if (Math.max(p, d, k) > worst) {
      worst = Math.max(p, d, k);
      worstIndex = j;
    }
    abs.primal = Math.max(abs.primal, -x[j]);
    abs.dual = Math.max(abs.dual, -g[j]);
    abs.complementarity = Math.max(abs.complementarity, Math.abs(x[j] * g[j]));
  }
  const worstColumn = norms[worstIndex] > 0 ? norms[worstIndex] : fallback;
  return {
    primal,
    dual,
    complementarity: comp,
    worst,
    worstIndex,
    absolute: abs,
    scales: { terms: s, worstColumn },
    gradient: g,
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
export function kktVerdict(
  problem: LeastSquaresProblem,
  x: ArrayLike<number>,
  tolerance?: number,
  label = 'x',
): Verdict {
  const r = kktResiduals(problem, x);
  const bound = tolerance ?? kktRoundOff(problem.A.rows, problem.A.cols);
  const which = r.worst === r.primal ? 'x ≥ 0' : r.worst === r.dual ? '∇f ≥ 0' : 'x ⊙ ∇f = 0';
  const j = r.worstIndex;
  const scales = `per coordinate j, relative to ‖a_j‖ and S = ‖b‖ + Σ‖a_k‖|x_k| = ${r.scales.terms.toExponential(2)}`;
  return compare({
    measured: r.worst,
    bound,
    errorModel:
      tolerance === undefined
        ? `32·(m+n)·ε = ${bound.toExponential(2)} (${scales})`
        : `tolerance ${bound.toExponential(2)} (relative KKT, ${scales})`,
    detail:
      `KKT of ${label}: primal ${r.primal.toExponential(2)}, dual ${r.dual.toExponential(2)}, complementarity ` +
      `${r.complementarity.toExponential(2)} (worst: ${which} at j = ${j}, ‖a_j‖ = ${r.scales.worstColumn.toExponential(2)})`,
  });
}
