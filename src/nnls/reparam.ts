import type { Matrix } from '../linalg/matrix.js';
import { type LeastSquaresProblem, LeastSquaresWorkspace, leastSquaresProblem } from './problem.js';
import { allFinite, depth, integerIn, integerPower, nonNegative, positive, signedPower, toVector } from './vector.js';

/**
 * The Hadamard reparametrization of NNLS (THEORY §5, CMV): x = u^{⊙L}, g(u) = f(u^{⊙L}), f(x) = ½‖Ax − b‖².
 *   ∇_u g(u) = L u^{⊙(L−1)} ⊙ ∇f(x),
 *   gradient flow u̇ = −∇_u g  ⇒  ẋ = L u^{L−1} ⊙ u̇ = −L² u^{⊙(2L−2)} ⊙ ∇f(x) = −L² x^{⊙(2−2/L)} ⊙ ∇f(x)  (u > 0),
 *   gradient descent u ← u − η_k ∇_u g(u), η_k = η/(k+2)^γ,
 *   CMV's x-space ("Riemannian") step x ← x − Lη_k ∇f(x) ⊙ x^{⊙(2−2/L)}.
 */

/** The initial u: u0 when given (validated, length n), else α·1 (α > 0). */
export function initialU(n: number, options: { alpha?: number; u0?: ArrayLike<number> }): Float64Array {
  if (options.u0 !== undefined) return toVector(options.u0, 'u0', n);
  const alpha = positive(options.alpha as number, 'alpha');
  return new Float64Array(n).fill(alpha);
}

/** out ← u^{⊙L} (integer L: exact signs, u^L < 0 for odd L and u < 0). */
export function hadamardPowerInto(out: Float64Array, u: Float64Array, L: number): Float64Array {
  for (let i = 0; i < u.length; i++) out[i] = integerPower(u[i], L);
  return out;
}

/**
 * out ← −L²·x^{⊙(2−2/L)} ⊙ ∇f(x): the x-velocity the u-flow induces (x ≥ 0). For x < 0 the power is extended
 * oddly (signedPower), which is what u^{2L−2} = |x|^{2−2/L} gives for odd L only up to sign; the formula is
 * stated for the orthant.
 */
export function inducedVelocityInto(
  out: Float64Array,
  x: Float64Array,
  gradient: Float64Array,
  L: number,
  exponent = 2 - 2 / L,
): Float64Array {
  const c = L * L;
  for (let i = 0; i < x.length; i++) out[i] = -c * signedPower(x[i], exponent) * gradient[i];
  return out;
}

/** η_k = η/(k+2)^γ (k = 0, 1, …): CMV's decreasing schedule; γ = 0 gives a constant step. */
export function stepSize(eta: number, gamma: number, k: number): number {
  return gamma === 0 ? eta : eta / Math.pow(k + 2, gamma);
}

export interface DescentOptions {
  /** Depth of the reparametrization x = u^{⊙L} (integer ≥ 1). */
  readonly L: number;
  /** u(0) = α·1 unless u0 is given. */
  readonly alpha?: number;
  readonly u0?: ArrayLike<number>;
  /** Base step η > 0. */
  readonly eta: number;
  /** Decay exponent γ ≥ 0 of η_k = η/(k+2)^γ (default 0). */
  readonly gamma?: number;
  readonly iterations: number;
  /** Called with k = 0 (initial point) and after every step; return true to stop. */
  readonly observe?: (k: number, u: Float64Array, x: Float64Array) => boolean | void;
}

export interface DescentResult {
  readonly u: Float64Array;
  readonly x: Float64Array;
  readonly iterations: number;
  readonly status: 'done' | 'stopped' | 'non-finite';
}

/** Gradient descent on u for g(u) = ½‖A u^{⊙L} − b‖². */
export function reparamGradientDescent(a: Matrix, b: ArrayLike<number>, options: DescentOptions): DescentResult {
  const problem = leastSquaresProblem(a, b);
  const L = depth(options.L);
  const eta = positive(options.eta, 'eta');
  const gamma = nonNegative(options.gamma ?? 0, 'gamma');
  const iterations = integerIn(options.iterations, 0, 1e9, 'iterations');
  const n = problem.A.cols;
  const u = initialU(n, options);
  const x = hadamardPowerInto(new Float64Array(n), u, L);
  const ws = new LeastSquaresWorkspace(problem);
  if (options.observe?.(0, u, x)) return { u, x, iterations: 0, status: 'stopped' };
  for (let k = 0; k < iterations; k++) {
    ws.evaluate(x);
    const g = ws.gradient,
      h = stepSize(eta, gamma, k);
    for (let i = 0; i < n; i++) u[i] -= h * L * integerPower(u[i], L - 1) * g[i];
    hadamardPowerInto(x, u, L);
    if (options.observe?.(k + 1, u, x)) return { u, x, iterations: k + 1, status: 'stopped' };
    if (!allFinite(u)) return { u, x, iterations: k + 1, status: 'non-finite' };
  }
  return { u, x, iterations, status: 'done' };
}

export interface RiemannianOptions {
  readonly L: number;
  /** x(0) = α^L·1 unless x0 is given. */
  readonly alpha?: number;
  readonly x0?: ArrayLike<number>;
  readonly eta: number;
  readonly gamma?: number;
  readonly iterations: number;
  readonly observe?: (k: number, x: Float64Array) => boolean | void;
}

/**
 * CMV's x-space step x ← x − Lη_k ∇f(x) ⊙ x^{⊙(2−2/L)}, η_k = η/(k+2)^γ. (The flow it discretizes is
 * ẋ = −L x^{2−2/L} ⊙ ∇f: a time rescaling by 1/L of the u-flow's induced flow.) Negative entries, which a large
 * step can produce, are raised with the odd extension sign(x)|x|^p; for L = 2 that is x itself.
 */
export function riemannianDescent(
  a: Matrix,
  b: ArrayLike<number>,
  options: RiemannianOptions,
): { x: Float64Array; iterations: number; status: 'done' | 'stopped' | 'non-finite' } {
  const problem = leastSquaresProblem(a, b);
  const L = depth(options.L);
  const eta = positive(options.eta, 'eta');
  const gamma = nonNegative(options.gamma ?? 0, 'gamma');
  const iterations = integerIn(options.iterations, 0, 1e9, 'iterations');
  const n = problem.A.cols;
  const x =
    options.x0 !== undefined
      ? toVector(options.x0, 'x0', n)
      : new Float64Array(n).fill(Math.pow(positive(options.alpha as number, 'alpha'), L));
  const ws = new LeastSquaresWorkspace(problem);
  const p = 2 - 2 / L;
  if (options.observe?.(0, x)) return { x, iterations: 0, status: 'stopped' };
  for (let k = 0; k < iterations; k++) {
    ws.evaluate(x);
    const g = ws.gradient,
      h = L * stepSize(eta, gamma, k);
    for (let i = 0; i < n; i++) x[i] -= h * g[i] * signedPower(x[i], p);
    if (options.observe?.(k + 1, x)) return { x, iterations: k + 1, status: 'stopped' };
    if (!allFinite(x)) return { x, iterations: k + 1, status: 'non-finite' };
  }
  return { x, iterations, status: 'done' };
}

/** ∇_u g(u) = L u^{⊙(L−1)} ⊙ Aᵀ(Au^{⊙L} − b), for checks and tests. */
export function reparamGradient(problem: LeastSquaresProblem, u: ArrayLike<number>, L: number): Float64Array {
  depth(L);
  const uv = toVector(u, 'u', problem.A.cols);
  const x = hadamardPowerInto(new Float64Array(uv.length), uv, L);
  const ws = new LeastSquaresWorkspace(problem);
  ws.evaluate(x);
  return Float64Array.from(uv, (ui, i) => L * integerPower(ui, L - 1) * ws.gradient[i]);
}
