import type { Matrix } from '../linalg/matrix.js';
import { type DualNewtonOptions, type DualNewtonResult, dualNewton } from './dual-newton.js';
import { leastSquaresProblem } from './problem.js';
import { positive, toVector } from './vector.js';

/**
 * The KL projection argmin { KL(x ‖ c) : x ≥ 0, Ax = b } (unnormalized KL, c > 0; c = α²·1 is the implicit bias
 * of the L = 2 flow from u(0) = α·1, THEORY nnls.implicit-bias). Optimality: log(x/c) = Aᵀλ, so
 * x = c ⊙ exp(Aᵀλ) > 0 and λ minimizes the dual h(λ) = Σ c_i e^{(Aᵀλ)_i} − bᵀλ (damped Newton; c·e^w is
 * evaluated as e^{log c + w} so tiny c stays exact). The dual has a minimizer iff some x > 0 satisfies Ax = b;
 * otherwise λ diverges and the result reports non-convergence.
 *
 * For a scalar c < 1e-4 the solve continues from c = 1e-4 down in factors of 1e-8, warm-starting with λ scaled by
 * the ratio of log(1/c) (as c → 0, Aᵀλ ≈ log(1/c)·(an LP dual certificate)).
 */
export interface KlProjectionOptions extends DualNewtonOptions {
  /** Reference point c: a scalar (c·1) or a positive vector. */
  readonly reference: number | ArrayLike<number>;
}

export function klProjection(a: Matrix, b: ArrayLike<number>, options: KlProjectionOptions): DualNewtonResult {
  const problem = leastSquaresProblem(a, b);
  const n = problem.A.cols;
  const logC =
    typeof options.reference === 'number'
      ? new Float64Array(n).fill(Math.log(positive(options.reference, 'reference')))
      : toVector(options.reference, 'reference', n).map((v, i) => Math.log(positive(v, `reference[${i}]`)));
  const solve = (shift: number, lambda0?: ArrayLike<number>): DualNewtonResult => {
    const e = (i: number, w: number): number => Math.exp(logC[i] + shift + w);
    return dualNewton(
      problem.A,
      problem.b,
      { value: e, first: e, second: e },
      { ...options, ...(lambda0 ? { lambda0 } : {}) },
    );
  };
  const target = logC[0];
  const start = Math.log(1e-4);
  if (typeof options.reference !== 'number' || target >= start) return solve(0, options.lambda0);
  // Scalar reference: continuation in log c (the shift moves every log c_i together).
  let level = start;
  let r = solve(level - target, options.lambda0);
  while (level > target) {
    const next = Math.max(target, level + Math.log(1e-8));
    const warm = r.lambda.map((v) => (v * next) / level);
    level = next;
    r = solve(level - target, warm);
  }
  return r;
}
