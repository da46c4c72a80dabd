import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { assertMatrix, matTVecInto, matVecInto, norm2, toVector } from './vector.js';

/**
 * The least-squares objective of the NNLS problem min_{x ≥ 0} f(x), f(x) = ½‖Ax − b‖², its residual and
 * gradient ∇f(x) = Aᵀ(Ax − b), with validation that names the offending argument.
 */
export interface LeastSquaresProblem {
  readonly A: Matrix;
  readonly b: Float64Array;
}

/** Validate A (finite, non-empty) and b (finite, length A.rows); returns a private copy of b. */
export function leastSquaresProblem(
  a: Matrix,
  b: ArrayLike<number>,
  names: { A?: string; b?: string } = {},
): LeastSquaresProblem {
  const A = assertMatrix(a, names.A ?? 'A');
  return { A, b: toVector(b, names.b ?? 'b', A.rows) };
}

/** Buffers for evaluating f and ∇f without allocating. */
export class LeastSquaresWorkspace {
  readonly residual: Float64Array;
  readonly gradient: Float64Array;
  constructor(readonly problem: LeastSquaresProblem) {
    this.residual = new Float64Array(problem.A.rows);
    this.gradient = new Float64Array(problem.A.cols);
  }

  /** residual ← Ax − b, gradient ← Aᵀ(Ax − b); returns f(x) = ½‖Ax − b‖². */
  evaluate(x: Float64Array): number {
    const { A, b } = this.problem;
    const r = matVecInto(this.residual, A, x);
    let f = 0;
    for (let i = 0; i < r.length; i++) {
      r[i] -= b[i];
      f += r[i] * r[i];
    }
    matTVecInto(this.gradient, A, r);
    return 0.5 * f;
  }
}

/** f(x) = ½‖Ax − b‖². */
export function objective(problem: LeastSquaresProblem, x: ArrayLike<number>): number {
  const w = new LeastSquaresWorkspace(problem);
  return w.evaluate(toVector(x, 'x', problem.A.cols));
}

/**
 * Column norms ‖a_j‖ (into `out`), rescaled when needed so that entries near 1e±300 neither overflow nor underflow.
 * They are the per-coordinate scales of every NNLS tolerance: the problem is unchanged by scaling column j by any
 * c_j > 0 (x_j by 1/c_j), so a tolerance must scale the same way to be right on badly scaled columns.
 */
export function columnNorms(a: Matrix, out: Float64Array = new Float64Array(a.cols)): Float64Array {
  const m = a.rows,
    n = a.cols,
    d = a.data;
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < m; i++) ss += d[i * n + j] * d[i * n + j];
    if (ss > 1e-280 && ss < 1e280) {
      out[j] = Math.sqrt(ss);
      continue;
    }
    // Entries near the ends of the range: scale by the largest before squaring.
    let big = 0;
    for (let i = 0; i < m; i++) big = Math.max(big, Math.abs(d[i * n + j]));
    ss = 0;
    for (let i = 0; big > 0 && i < m; i++) ss += (d[i * n + j] / big) ** 2;
    out[j] = big * Math.sqrt(ss);
  }
  return out;
}

/**
 * The magnitude of the terms that make up the residual Ax − b: S = ‖b‖ + Σ_j ‖a_j‖·|x_j|. Round-off in a computed
 * residual is a few ε·S, so a computed ∂f/∂x_j = a_jᵀ(Ax − b) is off by a few ε·‖a_j‖·S — the scale of coordinate
 * j's gradient tolerance. Unlike ‖A‖_F(‖A‖_F‖x‖ + ‖b‖) it does not let a large column hide a small one's gradient.
 */
export function termScale(
  problem: LeastSquaresProblem,
  x: ArrayLike<number>,
  norms: ArrayLike<number> = columnNorms(problem.A),
): number {
  let s = norm2(problem.b);
  for (let j = 0; j < x.length; j++) s += norms[j] * Math.abs(x[j]);
  return s;
}

/** The magnitude of the terms of f(x): ½(‖A‖_F‖x‖ + ‖b‖)², the scale of round-off in a computed f. */
export function objectiveScale(problem: LeastSquaresProblem, x: Float64Array): number {
  const s = frobeniusNorm(problem.A) * norm2(x) + norm2(problem.b);
  return 0.5 * s * s;
}
