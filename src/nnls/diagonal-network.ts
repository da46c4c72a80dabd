import type { IntegrationStatus } from '../dynamics/dormand-prince.js';
import { dormandPrinceVector } from '../dynamics/vector-ode.js';
import type { Matrix } from '../linalg/matrix.js';
import { LeastSquaresWorkspace, leastSquaresProblem } from './problem.js';
import { allFinite, integerIn, positive, toVector } from './vector.js';

/**
 * The two-layer diagonal network of WGL (THEORY §5, wgl.q-alpha): β = u⊙u − v⊙v, loss ½‖Xβ − y‖² (X: samples ×
 * features). With g = Xᵀ(Xβ − y): ∇_u = 2u ⊙ g, ∇_v = −2v ⊙ g. Gradient flow from u(0) = v(0) = α·1 keeps
 * u ⊙ v = α²·1 and log(u/v) ∈ range(Xᵀ) [D], which is why its limit is the Q_α-minimal interpolant.
 */
export interface DiagonalInit {
  /** u(0) = v(0) = α·1 unless u0/v0 are given. */
  readonly alpha?: number;
  readonly u0?: ArrayLike<number>;
  readonly v0?: ArrayLike<number>;
}

function initial(d: number, init: DiagonalInit): Float64Array {
  const s = new Float64Array(2 * d);
  if (init.u0 !== undefined || init.v0 !== undefined) {
    s.set(toVector(init.u0 ?? [], 'u0', d), 0);
    s.set(toVector(init.v0 ?? [], 'v0', d), d);
  } else s.fill(positive(init.alpha as number, 'alpha'));
  return s;
}

/** β = u⊙u − v⊙v written into out. */
export function diagonalBetaInto(out: Float64Array, u: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = u[i] * u[i] - v[i] * v[i];
  return out;
}

export interface DiagonalFlowOptions extends DiagonalInit {
  readonly T: number;
  readonly rtol?: number;
  readonly atol?: number;
  readonly maxSteps?: number;
  /** Called at t = 0 and after every accepted step; return true to stop. */
  readonly observe?: (t: number, beta: Float64Array, u: Float64Array, v: Float64Array) => boolean | void;
}

export interface DiagonalResult {
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly beta: Float64Array;
}

export function diagonalFlow(
  x: Matrix,
  y: ArrayLike<number>,
  options: DiagonalFlowOptions,
): DiagonalResult & { t: number; status: IntegrationStatus; steps: number } {
  const problem = leastSquaresProblem(x, y, { A: 'X', b: 'y' });
  const T = positive(options.T, 'T');
  const d = problem.A.cols;
  const ws = new LeastSquaresWorkspace(problem);
  const beta = new Float64Array(d);
  const observe = options.observe;
  const r = dormandPrinceVector(
    (_t, s, ds) => {
      for (let i = 0; i < d; i++) beta[i] = s[i] * s[i] - s[d + i] * s[d + i];
      ws.evaluate(beta);
      const g = ws.gradient;
      for (let i = 0; i < d; i++) {
        ds[i] = -2 * s[i] * g[i];
        ds[d + i] = 2 * s[d + i] * g[i];
      }
    },
    0,
    initial(d, options),
    T,
    {
      rtol: options.rtol ?? 1e-10,
      atol: options.atol ?? 1e-14,
      maxSteps: options.maxSteps ?? 2_000_000,
      ...(observe
        ? {
            observe: (t: number, s: Float64Array) =>
              observe(t, diagonalBetaInto(beta, s.subarray(0, d), s.subarray(d)), s.subarray(0, d), s.subarray(d)),
          }
        : {}),
    },
  );
  const u = r.y.slice(0, d),
    v = r.y.slice(d);
  return { u, v, beta: diagonalBetaInto(new Float64Array(d), u, v), t: r.t, status: r.status, steps: r.steps };
}

export interface DiagonalDescentOptions extends DiagonalInit {
  readonly eta: number;
  readonly iterations: number;
  readonly observe?: (k: number, beta: Float64Array) => boolean | void;
}

/** Gradient descent on (u, v) with a constant step η. */
export function diagonalGradientDescent(
  x: Matrix,
  y: ArrayLike<number>,
  options: DiagonalDescentOptions,
): DiagonalResult & { iterations: number; status: 'done' | 'stopped' | 'non-finite' } {
  const problem = leastSquaresProblem(x, y, { A: 'X', b: 'y' });
  const eta = positive(options.eta, 'eta');
  const iterations = integerIn(options.iterations, 0, 1e9, 'iterations');
  const d = problem.A.cols;
  const s = initial(d, options);
  const u = s.subarray(0, d),
    v = s.subarray(d);
  const ws = new LeastSquaresWorkspace(problem);
  const beta = diagonalBetaInto(new Float64Array(d), u, v);
  const done = (k: number, status: 'done' | 'stopped' | 'non-finite') => ({
    u: u.slice(),
    v: v.slice(),
    beta: beta.slice(),
    iterations: k,
    status,
  });
  if (options.observe?.(0, beta)) return done(0, 'stopped');
  for (let k = 0; k < iterations; k++) {
    ws.evaluate(beta);
    const g = ws.gradient;
    for (let i = 0; i < d; i++) {
      u[i] -= 2 * eta * u[i] * g[i];
      v[i] += 2 * eta * v[i] * g[i];
    }
    diagonalBetaInto(beta, u, v);
    if (options.observe?.(k + 1, beta)) return done(k + 1, 'stopped');
    if (!allFinite(s)) return done(k + 1, 'non-finite');
  }
  return done(iterations, 'done');
}
