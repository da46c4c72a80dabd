import { DomainError } from '../errors.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { solveSpd } from './spd-solve.js';
import { matTVecInto, matVecInto, norm2 } from './vector.js';

/**
 * Damped Newton on the dual of a separable Bregman projection onto {x : Ax = b}:
 *   min_x Σ_i φ_i(x_i) s.t. Ax = b   with  x_i = ψ_i'(w_i),  w = Aᵀλ,  ψ_i = φ_i* (convex conjugate),
 *   dual   min_λ h(λ) = Σ_i ψ_i((Aᵀλ)_i) − bᵀλ,   ∇h = A ψ'(Aᵀλ) − b = Ax(λ) − b,   ∇²h = A diag(ψ''(Aᵀλ)) Aᵀ.
 * h is convex; the primal optimum is x(λ*) whenever the dual has a minimizer (b strictly inside the image of the
 * domain of φ — e.g. b = A x₊ with x₊ > 0 for the KL projection). Steps are backtracked on h (Armijo, with a
 * round-off slack), so the iteration is globally convergent on such problems; otherwise it stops at the cap and
 * says so.
 */
export interface DualFunctions {
  /** ψ_i(w), ψ_i'(w), ψ_i''(w) for coordinate i. */
  value(i: number, w: number): number;
  first(i: number, w: number): number;
  second(i: number, w: number): number;
}

export interface DualNewtonOptions {
  /** Stop when ‖Ax − b‖ ≤ tolerance·(‖A‖_F‖x‖ + ‖b‖) (default 8·(m+n)·ε). */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Warm start λ₀ (default 0). */
  readonly lambda0?: ArrayLike<number>;
}

export interface DualNewtonResult {
  readonly x: Float64Array;
  readonly lambda: Float64Array;
  /** ‖Ax − b‖ / (‖A‖_F‖x‖ + ‖b‖). */
  readonly residual: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly status: 'converged' | 'stalled' | 'max-iterations';
  /** Largest diagonal shift the Newton systems needed (0 when A has full row rank at the solution). */
  readonly shift: number;
}

export function dualNewton(
  a: Matrix,
  b: Float64Array,
  psi: DualFunctions,
  options: DualNewtonOptions = {},
): DualNewtonResult {
  const m = a.rows,
    n = a.cols,
    A = a.data;
  const tolerance = options.tolerance ?? 8 * (m + n) * Number.EPSILON;
  const maxIterations = options.maxIterations ?? 200;
  if (!(tolerance > 0)) throw new DomainError('options.tolerance', `must be > 0, got ${tolerance}`);
  const lambda = options.lambda0 ? Float64Array.from(options.lambda0) : new Float64Array(m);
  if (lambda.length !== m) throw new DomainError('options.lambda0', `must have length ${m}`);
  const w = new Float64Array(n),
    x = new Float64Array(n),
    r = new Float64Array(m),
    d2 = new Float64Array(n);
  const trial = new Float64Array(m),
    hess = new Float64Array(m * m);
  const normA = frobeniusNorm(a),
    normB = norm2(b);
  const dual = (lam: Float64Array): number => {
    matTVecInto(w, a, lam);
    let s = 0;
    for (let i = 0; i < n; i++) s += psi.value(i, w[i]);
    for (let i = 0; i < m; i++) s -= b[i] * lam[i];
    return s;
  };
  const primal = (lam: Float64Array): number => {
    matTVecInto(w, a, lam);
    for (let i = 0; i < n; i++) x[i] = psi.first(i, w[i]);
    matVecInto(r, a, x);
    for (let i = 0; i < m; i++) r[i] -= b[i];
    return norm2(r) / (normA * norm2(x) + normB || 1);
  };
  let h = dual(lambda);
  let residual = primal(lambda);
  let iterations = 0,
    shift = 0,
    best = residual,
    flat = 0;
  let status: DualNewtonResult['status'] = 'max-iterations';
  while (iterations < maxIterations) {
    if (residual <= tolerance) {
      status = 'converged';
      break;
    }
    iterations++;
    // Hessian A diag(ψ'') Aᵀ at w = Aᵀλ (w is current after primal()).
    for (let i = 0; i < n; i++) d2[i] = psi.second(i, w[i]);
    hess.fill(0);
    for (let p = 0; p < m; p++)
      for (let q = p; q < m; q++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += A[p * n + i] * d2[i] * A[q * n + i];
        hess[p * m + q] = s;
        hess[q * m + p] = s;
      }
    const neg = Float64Array.from(r, (v) => -v);
    const { d, shift: used } = solveSpd(hess, neg, m);
    shift = Math.max(shift, used);
    let slope = 0;
    for (let i = 0; i < m; i++) slope += r[i] * d[i]; // ∇h·d < 0
    if (!(slope < 0)) {
      status = 'stalled';
      break;
    }
    let s = 1,
      accepted = false;
    const slack = 16 * Number.EPSILON * (Math.abs(h) + 1);
    for (let tries = 0; tries < 200; tries++) {
      for (let i = 0; i < m; i++) trial[i] = lambda[i] + s * d[i];
      const ht = dual(trial);
      if (Number.isFinite(ht) && ht <= h + 1e-4 * s * slope + slack) {
        lambda.set(trial);
        h = ht;
        accepted = true;
        break;
      }
      s *= 0.5;
    }
    const before = residual;
    residual = primal(lambda);
    if (!accepted || (s < 1e-12 && residual >= before)) {
      status = residual <= tolerance ? 'converged' : 'stalled';
      break;
    }
    // Round-off floor: five full Newton steps without halving the best residual means no further progress is possible.
    if (residual < 0.5 * best || s < 1) {
      best = Math.min(best, residual);
      flat = 0;
    } else if (++flat >= 5) {
      status = residual <= tolerance ? 'converged' : 'stalled';
      break;
    }
  }
  if (status === 'max-iterations' && residual <= tolerance) status = 'converged';
  return { x: x.slice(), lambda, residual, iterations, converged: status === 'converged', status, shift };
}
