import { columnNorms, type LeastSquaresProblem, objective, termScale } from '../../src/nnls/problem.js';

/**
 * Objective excess of x over a reference answer x_s (SciPy's, or the solver's other path) that round-off cannot
 * explain. Both are backward-stable answers: each residual is off by at most about (m + n)·ε·S (S = ‖b‖ +
 * Σ‖a_j‖|x_j|, the size of the terms of Ax − b), which moves f = ½‖r‖² by δf = (m + n)·ε·S·(‖r_s‖ + (m + n)·ε·S). The excess must be ≤ 1e-9·f(x_s) + δf: ratio ≤ 1.
 */
export function excess(
  problem: LeastSquaresProblem,
  x: ArrayLike<number>,
  xs: ArrayLike<number>,
): { ratio: number; text: string } {
  const f = objective(problem, x),
    fs = objective(problem, xs);
  const m = problem.A.rows,
    n = problem.A.cols;
  const g = (m + n) * Number.EPSILON * Math.max(termScale(problem, xs), termScale(problem, x, columnNorms(problem.A)));
  const deltaF = g * (Math.sqrt(2 * fs) + g);
  const allowed = 1e-9 * fs + deltaF;
  return {
    ratio: allowed > 0 ? (f - fs) / allowed : f > fs ? Infinity : 0,
    text: `f(x) = ${f.toExponential(3)}, f(x_s) = ${fs.toExponential(3)}, allowed excess 1e-9·f(x_s) + δf = ${allowed.toExponential(3)} (δf = (m+n)ε·S·(‖r_s‖ + (m+n)ε·S) = ${deltaF.toExponential(3)})`,
  };
}
