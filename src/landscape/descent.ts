import { DomainError } from '../errors.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { layerGradients } from '../model/gradients.js';
import type { Data, LossScale } from '../model/loss.js';
import { cloneWeights, type Weights } from '../model/network.js';
import { strictGradientTolerance } from './criticality.js';
import { flatten, fullHessian, hessianEigen, unflatten } from './hessian.js';
import { gradientTolerance } from './tolerances.js';

/**
 * Numerical building blocks independent of the constructors:
 * - lbfgs: monotone L-BFGS descent on R^n (nr.burer-monteiro);
 * - newtonPolish: Newton's method on ∇L = 0 with the pseudo-inverse of the exact Hessian (min-norm steps), which
 *   converges to a nearby critical point of ANY type (saddles included), so perturbed constructed points become
 *   critical points that are no longer in the constructor's canonical form.
 * The landscape claims' local descent to a minimum is trust-region.ts.
 */
export function gradNorm(g: readonly Matrix[]): number {
  return Math.hypot(...g.map((m) => frobeniusNorm(m)));
}

export interface VectorDescentResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly initialValue: number;
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly stalled: boolean;
}

/**
 * Monotone local descent on R^n: L-BFGS directions (memory 8, reset to −∇f whenever the direction is not a
 * descent direction) with Armijo backtracking, so f never increases and the iteration can only stop near ∇f = 0
 * (or when f stops decreasing beyond its round-off for 50 iterations). L-BFGS rather than plain gradient descent
 * only to reach ‖∇f‖ ≈ 1e-10 in a few hundred steps on ill-conditioned instances; the claims it serves are about
 * where descent ends, not how fast it gets there.
 */
export function lbfgs(
  f: (x: Float64Array) => number,
  grad: (x: Float64Array) => Float64Array,
  x0: Float64Array,
  options: { maxIterations?: number; gradientTolerance?: number } = {},
): VectorDescentResult {
  const maxIterations = options.maxIterations ?? 5000;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0))
    throw new DomainError('maxIterations', `must be a non-negative integer, received ${maxIterations}`);
  const dot = (a: Float64Array, b: Float64Array) => {
    let v = 0;
    for (let i = 0; i < a.length; i++) v += a[i] * b[i];
    return v;
  };
  let x = x0.slice();
  let fx = f(x);
  const initialValue = fx;
  let g = grad(x);
  let gn = Math.sqrt(dot(g, g));
  const tol = options.gradientTolerance ?? 1e-10 * (1 + gn);
  const memory = 8;
  const S: Float64Array[] = [],
    Yv: Float64Array[] = [],
    rho: number[] = [];
  let it = 0,
    lastProgress = 0,
    reference = fx;
  for (; it < maxIterations && gn > tol; it++) {
    if (reference - fx > 64 * Number.EPSILON * (Math.abs(fx) + 1)) {
      reference = fx;
      lastProgress = it;
    } else if (it - lastProgress > 50) break;
    const q = g.slice();
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = rho[k] * dot(S[k], q);
      alpha[k] = a;
      for (let i = 0; i < q.length; i++) q[i] -= a * Yv[k][i];
    }
    const scaleK = S.length
      ? dot(S[S.length - 1], Yv[Yv.length - 1]) / dot(Yv[Yv.length - 1], Yv[Yv.length - 1])
      : 1 / (1 + gn);
    for (let i = 0; i < q.length; i++) q[i] *= scaleK;
    for (let k = 0; k < S.length; k++) {
      const b = rho[k] * dot(Yv[k], q);
      for (let i = 0; i < q.length; i++) q[i] += (alpha[k] - b) * S[k][i];
    }
    let d = q.map((v) => -v);
    let slope = dot(d, g);
    if (!(slope < 0)) {
      S.length = Yv.length = rho.length = 0;
      d = g.map((v) => -v / (1 + gn));
      slope = dot(d, g);
    }
    let accepted = false;
    for (let t = 1, halvings = 0; halvings < 60; halvings++, t /= 2) {
      const xt = x.map((v, i) => v + t * d[i]);
      const ft = f(xt);
      if (ft <= fx + 1e-4 * t * slope) {
        const gt = grad(xt);
        const sv = d.map((v) => t * v),
          yv = gt.map((v, i) => v - g[i]);
        const sy = dot(sv, yv);
        if (sy > 1e-12 * Math.sqrt(dot(sv, sv) * dot(yv, yv))) {
          S.push(sv);
          Yv.push(yv);
          rho.push(1 / sy);
          if (S.length > memory) {
            S.shift();
            Yv.shift();
            rho.shift();
          }
        }
        x = xt;
        fx = ft;
        g = gt;
        gn = Math.sqrt(dot(g, g));
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  return {
    x,
    value: fx,
    initialValue,
    gradientNorm: gn,
    iterations: it,
    converged: gn <= tol,
    stalled: gn > tol && it < maxIterations,
  };
}

export interface PolishResult {
  readonly weights: Matrix[];
  readonly gradientNorm: number;
  readonly tolerance: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Damping μ = (10^-k·max|λ|)² of the Levenberg–Marquardt steps tried when the full Newton step fails. */
const DAMPING_EXPONENTS = [9, 8, 7, 6, 5, 4, 3, 2, 1];

/**
 * Newton on ∇L = 0 with H⁺ (eigenvalues below 1e-10·max|λ| dropped), aiming at the evaluation round-off τ_g while
 * ‖∇L‖ still decreases; converged when ‖∇L‖ ≤ τ_g (strictGradientTolerance). A step must lower ‖∇L‖; the full
 * Newton step is taken when it does. When it does not, an eigenvalue just above the cut usually dominates it, and
 * halving it crawls (on crit.structure, ‖∇L‖ fell 0.5 % per eigen-solve for up to 200 steps, half of all its
 * eigen-solves). So the first halving that lowers ‖∇L‖ competes with the Levenberg–Marquardt steps
 * −Σ_c λ_c a_c/(λ_c² + μ) q_c of the same eigendecomposition (Gauss–Newton on ½‖∇L‖², which damps exactly those
 * components) over the μ ladder, and the lowest ‖∇L‖ wins. A try costs one gradient, an iteration one eigen-solve.
 */
export function newtonPolish(
  start: Weights,
  data: Data,
  options: { scale?: LossScale; maxIterations?: number } = {},
): PolishResult {
  const scale = options.scale ?? 'half';
  const maxIterations = options.maxIterations ?? 40;
  let w = cloneWeights(start);
  let g = layerGradients(w, data, { scale });
  let gn = gradNorm(g);
  let target = gradientTolerance(w, data, scale);
  let it = 0;
  for (; it < maxIterations && gn > target; it++) {
    const steps = eigenSteps(w, g, data, scale);
    const moved = (step: Matrix[], t: number): { weights: Matrix[]; gradient: Matrix[]; norm: number } => {
      const weights = w.map((m, j) => {
        const out = new Matrix(m.rows, m.cols);
        for (let i = 0; i < out.data.length; i++) out.data[i] = m.data[i] + t * step[j].data[i];
        return out;
      });
      const gradient = layerGradients(weights, data, { scale });
      return { weights, gradient, norm: gradNorm(gradient) };
    };
    const newton = steps.newton();
    let next = moved(newton, 1);
    if (!(next.norm < gn)) {
      let halved = next;
      for (let t = 0.5, halvings = 1; !(halved.norm < gn) && halvings < 30; halvings++, t /= 2)
        halved = moved(newton, t);
      next = halved;
      for (const k of DAMPING_EXPONENTS) {
        const trial = moved(steps.damped((10 ** -k * steps.big) ** 2), 1);
        if (trial.norm < gn && !(next.norm <= trial.norm)) next = trial;
      }
    }
    if (!(next.norm < gn)) break;
    ({ weights: w, gradient: g, norm: gn } = next);
    target = gradientTolerance(w, data, scale);
  }
  const tol = strictGradientTolerance(w, data, scale);
  return { weights: w, gradientNorm: gn, tolerance: tol, iterations: it, converged: gn <= tol };
}

/** One eigendecomposition of H at w and the steps it gives: H⁺g (Newton) and (H² + μI)⁻¹Hg (damped), negated. */
function eigenSteps(w: Matrix[], g: readonly Matrix[], data: Data, scale: LossScale) {
  const H = fullHessian(w, data, scale);
  const { values, Q } = hessianEigen(H.matrix);
  const n = H.size;
  const big = Math.max(...Array.from(values, Math.abs));
  const gv = flatten(g);
  const a = new Float64Array(n);
  for (let c = 0; c < n; c++) for (let p = 0; p < n; p++) a[c] += Q.data[p * n + c] * gv[p];
  const along = (coefficient: (value: number, component: number) => number): Matrix[] => {
    const step = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      if (Math.abs(values[c]) <= 1e-10 * big) continue;
      const f = coefficient(values[c], a[c]);
      for (let p = 0; p < n; p++) step[p] += f * Q.data[p * n + c];
    }
    return unflatten(w, step);
  };
  return {
    big,
    newton: () => along((v, d) => -d / v),
    damped: (mu: number) => along((v, d) => (-v * d) / (v * v + mu)),
  };
}
