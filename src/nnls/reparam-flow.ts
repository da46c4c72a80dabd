import type { IntegrationStatus } from '../dynamics/dormand-prince.js';
import { dormandPrinceVector, type VectorOdeField } from '../dynamics/vector-ode.js';
import type { Matrix } from '../linalg/matrix.js';
import { type LeastSquaresProblem, LeastSquaresWorkspace, leastSquaresProblem } from './problem.js';
import { hadamardPowerInto, initialU } from './reparam.js';
import { depth, integerPower, positive } from './vector.js';

/**
 * Gradient flow of g(u) = ½‖A u^{⊙L} − b‖²: u̇ = −L u^{⊙(L−1)} ⊙ Aᵀ(A u^{⊙L} − b), integrated with adaptive
 * Dormand–Prince 5(4). The vector field keeps its own buffers, so integrating allocates nothing per step.
 */
export function uFlowField(problem: LeastSquaresProblem, L: number): VectorOdeField {
  depth(L);
  const ws = new LeastSquaresWorkspace(problem);
  const x = new Float64Array(problem.A.cols);
  return (_t, u, du) => {
    hadamardPowerInto(x, u, L);
    ws.evaluate(x);
    const g = ws.gradient;
    for (let i = 0; i < u.length; i++) du[i] = -L * integerPower(u[i], L - 1) * g[i];
  };
}

export interface FlowOptions {
  readonly L: number;
  readonly alpha?: number;
  readonly u0?: ArrayLike<number>;
  /** Final time. */
  readonly T: number;
  readonly rtol?: number;
  readonly atol?: number;
  readonly maxSteps?: number;
  /** Called at t = 0 and after every accepted step with u and x = u^{⊙L}; return true to stop. */
  readonly observe?: (t: number, u: Float64Array, x: Float64Array) => boolean | void;
}

export interface FlowResult {
  readonly t: number;
  readonly u: Float64Array;
  readonly x: Float64Array;
  readonly status: IntegrationStatus;
  readonly steps: number;
  readonly evaluations: number;
}

export function reparamFlow(a: Matrix, b: ArrayLike<number>, options: FlowOptions): FlowResult {
  const problem = leastSquaresProblem(a, b);
  const L = depth(options.L);
  const T = positive(options.T, 'T');
  const n = problem.A.cols;
  const u0 = initialU(n, options);
  const x = new Float64Array(n);
  const observe = options.observe;
  const r = dormandPrinceVector(uFlowField(problem, L), 0, u0, T, {
    rtol: options.rtol ?? 1e-10,
    atol: options.atol ?? 1e-14,
    maxSteps: options.maxSteps ?? 2_000_000,
    ...(observe ? { observe: (t: number, u: Float64Array) => observe(t, u, hadamardPowerInto(x, u, L)) } : {}),
  });
  return {
    t: r.t,
    u: r.y,
    x: hadamardPowerInto(new Float64Array(n), r.y, L),
    status: r.status,
    steps: r.steps,
    evaluations: r.evaluations,
  };
}
