import { Matrix } from '../linalg/matrix.js';
import { assertMatrix, frobenius, matTVecInto, matVecInto, norm2, toVector } from './vector.js';

/**
 * The least-squares objective of the NNLS problem min_{x ≥ 0} f(x), f(x) = ½‖Ax − b‖², its residual and
 * gradient ∇f(x) = Aᵀ(Ax − b), with validation that names the offending argument.
 */
export interface LeastSquaresProblem {
  readonly A: Matrix;
  readonly b: Float64Array;
}

/** Validate A (finite, non-empty) and b (finite, length A.rows); returns a private copy of b. */
export function leastSquaresProblem(a: Matrix, b: ArrayLike<number>, names: { A?: string; b?: string } = {}): LeastSquaresProblem {
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

/** ∇f(x) = Aᵀ(Ax − b). */
export function gradient(problem: LeastSquaresProblem, x: ArrayLike<number>): Float64Array {
  const w = new LeastSquaresWorkspace(problem);
  w.evaluate(toVector(x, 'x', problem.A.cols));
  return w.gradient.slice();
}

/**
 * The magnitude of the terms that make up ∇f(x): ‖A‖_F(‖A‖_F‖x‖ + ‖b‖). Round-off in a computed gradient is a
 * few ε times this, whatever the condition number, so it is the scale of every gradient tolerance.
 */
export function gradientScale(problem: LeastSquaresProblem, x: ArrayLike<number>): number {
  const na = frobenius(problem.A);
  return na * (na * norm2(x) + norm2(problem.b));
}

/** The magnitude of the terms of f(x): ½(‖A‖_F‖x‖ + ‖b‖)², the scale of round-off in a computed f. */
export function objectiveScale(problem: LeastSquaresProblem, x: ArrayLike<number>): number {
  const s = frobenius(problem.A) * norm2(x) + norm2(problem.b);
  return 0.5 * s * s;
}
