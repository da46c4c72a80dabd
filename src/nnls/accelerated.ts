import type { IntegrationStatus } from '../dynamics/dormand-prince.js';
import { dormandPrinceVector } from '../dynamics/vector-ode.js';
import type { Matrix } from '../linalg/matrix.js';
import { LeastSquaresWorkspace, leastSquaresProblem } from './problem.js';
import { allFinite, integerIn, positive } from './vector.js';

/**
 * CMV's accelerated second-order flow (THEORY §5, nnls.accelerated): accelerated mirror descent with the
 * entropy (Krichene–Bayen–Bartlett form with r = 2):
 *   ẋ = (2/t)(y − x),  ẏ = −(t/2) y ⊙ ∇f(x),  x(t₀) = y(t₀) = α²·1.
 * Integrated in the mirror coordinate z = log y (ż = −(t/2)∇f(x), y = e^z), which is the same ODE (ẏ = y ⊙ ż)
 * and keeps y > 0 exactly. Energy [D]: E(t) = t²(f(x) − f*) + 4 KL(x* ‖ y) is non-increasing, so
 * f(x(t)) − f* ≤ (4 KL(x* ‖ y₀) + t₀²(f(x₀) − f*))/t².
 */
export interface AcceleratedFlowOptions {
  readonly alpha: number;
  /** Start time t₀ > 0 (default 1e-3). */
  readonly t0?: number;
  readonly T: number;
  readonly rtol?: number;
  readonly atol?: number;
  readonly maxSteps?: number;
  /** Called at t₀ and after every accepted step; return true to stop. */
  readonly observe?: (t: number, x: Float64Array, y: Float64Array) => boolean | void;
}

export interface AcceleratedFlowResult {
  readonly t: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly status: IntegrationStatus;
  readonly steps: number;
}

export function acceleratedFlow(
  a: Matrix,
  b: ArrayLike<number>,
  options: AcceleratedFlowOptions,
): AcceleratedFlowResult {
  const problem = leastSquaresProblem(a, b);
  const alpha = positive(options.alpha, 'alpha');
  const t0 = positive(options.t0 ?? 1e-3, 't0');
  const T = positive(options.T, 'T');
  const n = problem.A.cols;
  const ws = new LeastSquaresWorkspace(problem);
  const state = new Float64Array(2 * n);
  state.fill(alpha * alpha, 0, n);
  state.fill(Math.log(alpha * alpha), n);
  const xb = new Float64Array(n),
    yb = new Float64Array(n);
  const split = (s: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      xb[i] = s[i];
      yb[i] = Math.exp(s[n + i]);
    }
  };
  const observe = options.observe;
  const r = dormandPrinceVector(
    (t, s, ds) => {
      split(s);
      ws.evaluate(xb);
      const g = ws.gradient;
      for (let i = 0; i < n; i++) {
        ds[i] = (2 / t) * (yb[i] - xb[i]);
        ds[n + i] = -(t / 2) * g[i];
      }
    },
    t0,
    state,
    T,
    {
      rtol: options.rtol ?? 1e-10,
      atol: options.atol ?? 1e-13,
      maxSteps: options.maxSteps ?? 2_000_000,
      ...(observe
        ? {
            observe: (t: number, s: Float64Array) => {
              split(s);
              return observe(t, xb, yb);
            },
          }
        : {}),
    },
  );
  split(r.y);
  return { t: r.t, x: xb.slice(), y: yb.slice(), status: r.status, steps: r.steps };
}

export interface AcceleratedDescentOptions {
  readonly alpha: number;
  readonly eta: number;
  readonly iterations: number;
  /** Called with k = 0 and after every step with x_k and y_k = e^{ζ_k}; return true to stop. */
  readonly observe?: (k: number, x: Float64Array, zeta: Float64Array) => boolean | void;
}

/**
 * CMV's discretization: x_{k+1} = (x_k + (2/(k+2)) e^{ζ_k})/(1 + 2/(k+2)),
 * ζ_{k+1} = ζ_k − η(k+2)/2 · Aᵀ(A x_{k+1} − b), from x_0 = α²·1, ζ_0 = log(α²)·1.
 */
export function acceleratedDescent(
  a: Matrix,
  b: ArrayLike<number>,
  options: AcceleratedDescentOptions,
): { x: Float64Array; zeta: Float64Array; iterations: number; status: 'done' | 'stopped' | 'non-finite' } {
  const problem = leastSquaresProblem(a, b);
  const alpha = positive(options.alpha, 'alpha');
  const eta = positive(options.eta, 'eta');
  const iterations = integerIn(options.iterations, 0, 1e9, 'iterations');
  const n = problem.A.cols;
  const x = new Float64Array(n).fill(alpha * alpha);
  const zeta = new Float64Array(n).fill(Math.log(alpha * alpha));
  const ws = new LeastSquaresWorkspace(problem);
  if (options.observe?.(0, x, zeta)) return { x, zeta, iterations: 0, status: 'stopped' };
  for (let k = 0; k < iterations; k++) {
    const w = 2 / (k + 2);
    for (let i = 0; i < n; i++) x[i] = (x[i] + w * Math.exp(zeta[i])) / (1 + w);
    ws.evaluate(x);
    const c = (eta * (k + 2)) / 2,
      g = ws.gradient;
    for (let i = 0; i < n; i++) zeta[i] -= c * g[i];
    if (options.observe?.(k + 1, x, zeta)) return { x, zeta, iterations: k + 1, status: 'stopped' };
    if (!allFinite(x) || !allFinite(zeta)) return { x, zeta, iterations: k + 1, status: 'non-finite' };
  }
  return { x, zeta, iterations, status: 'done' };
}
