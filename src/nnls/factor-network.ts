import type { Matrix } from '../linalg/matrix.js';
import { LeastSquaresWorkspace, leastSquaresProblem } from './problem.js';
import { stepSize } from './reparam.js';
import { allFinite, integerIn, nonNegative, positive, toVector } from './vector.js';

/**
 * CMV's overparametrized model: the L-factor diagonal network x = u_1 ⊙ u_2 ⊙ … ⊙ u_L trained by gradient descent
 * on ½‖Ax − b‖², every factor updated at once: u_j ← u_j − η_k (⊙_{l≠j} u_l) ⊙ ∇f(x), η_k = η/(k+2)^γ.
 * From identical factors the updates are identical, so the factors stay equal and x = u^{⊙L}: this is the
 * "identical initialization" under which CMV read overparametrized GD as a Riemannian GD (nnls.discrete-equivalence).
 * Products are taken in factor order, so identical factors give bitwise identical products.
 */

export interface FactorDescentOptions {
  /** The initial factors u_1(0), …, u_L(0) (L ≥ 1 vectors of length n). */
  readonly factors: readonly ArrayLike<number>[];
  readonly eta: number;
  /** Decay exponent γ ≥ 0 of η_k = η/(k+2)^γ (default 0). */
  readonly gamma?: number;
  readonly iterations: number;
  /** Called with k = 0 and after every step with the factors and x = ⊙_j u_j; return true to stop. */
  readonly observe?: (k: number, factors: readonly Float64Array[], x: Float64Array) => boolean | void;
}

export interface FactorDescentResult {
  readonly factors: Float64Array[];
  readonly x: Float64Array;
  readonly iterations: number;
  readonly status: 'done' | 'stopped' | 'non-finite';
}

/** out ← ⊙_{j ≠ skip} u_j (skip = −1: the full product), in factor order. */
function productInto(out: Float64Array, factors: readonly Float64Array[], skip: number): Float64Array {
  out.fill(1);
  for (let j = 0; j < factors.length; j++) {
    if (j === skip) continue;
    const u = factors[j];
    for (let i = 0; i < out.length; i++) out[i] *= u[i];
  }
  return out;
}

export function factorGradientDescent(
  a: Matrix,
  b: ArrayLike<number>,
  options: FactorDescentOptions,
): FactorDescentResult {
  const problem = leastSquaresProblem(a, b);
  const n = problem.A.cols;
  const L = integerIn(options.factors.length, 1, 64, 'factors.length');
  const factors = options.factors.map((u, j) => toVector(u, `factors[${j}]`, n));
  const eta = positive(options.eta, 'eta');
  const gamma = nonNegative(options.gamma ?? 0, 'gamma');
  const iterations = integerIn(options.iterations, 0, 1e9, 'iterations');
  const x = productInto(new Float64Array(n), factors, -1);
  const others = factors.map(() => new Float64Array(n));
  const ws = new LeastSquaresWorkspace(problem);
  if (options.observe?.(0, factors, x)) return { factors, x, iterations: 0, status: 'stopped' };
  for (let k = 0; k < iterations; k++) {
    ws.evaluate(x);
    const g = ws.gradient,
      h = stepSize(eta, gamma, k);
    for (let j = 0; j < L; j++) productInto(others[j], factors, j);
    for (let j = 0; j < L; j++) for (let i = 0; i < n; i++) factors[j][i] -= h * others[j][i] * g[i];
    productInto(x, factors, -1);
    if (options.observe?.(k + 1, factors, x)) return { factors, x, iterations: k + 1, status: 'stopped' };
    if (!allFinite(x)) return { factors, x, iterations: k + 1, status: 'non-finite' };
  }
  return { factors, x, iterations, status: 'done' };
}
