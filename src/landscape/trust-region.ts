import { DomainError } from '../errors.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { layerGradients } from '../model/gradients.js';
import { type Data, type LossScale, loss } from '../model/loss.js';
import { cloneWeights, type Weights } from '../model/network.js';
import { criticality, criticalityTolerance } from './criticality.js';
import { newtonPolish } from './descent.js';
import { flatten, fullHessian, hessianEigen, MAX_HESSIAN_SIZE, unflatten } from './hessian.js';
import { gamma, gradientTolerance, lossTolerance } from './tolerances.js';

/**
 * Robust monotone local descent for the landscape claims: trust-region Newton with the exact Hessian (its
 * eigendecomposition solves the trust-region subproblem exactly, the hard case included), so negative curvature
 * is used whenever the gradient is not yet round-off and strict saddles repel the iterates. Before every step the
 * layers are rebalanced by scalars c_j with Π c_j = 1 (L is unchanged): without it monotone descent on products
 * drifts along the gauge orbit toward W_1 → ∞, W_2 → 0, where the problem becomes arbitrarily ill-conditioned and
 * L-BFGS stalls far above the minimum (nr.two-layer-global, seed 3). When a step can no longer lower L beyond its
 * resolution (lossResolution), a few Newton steps on ∇L = 0 finish the job.
 *
 * Stopping is scale-aware: the run is `converged` iff the endpoint is critical to round-off, ‖∇L‖ ≤ τ_c
 * (criticality.ts). Anything else is reported with the reason; it is never silently treated as a critical point.
 */
export interface TrustRegionResult {
  readonly weights: Matrix[];
  readonly loss: number;
  readonly initialLoss: number;
  readonly gradientNorm: number;
  /** τ_c at the endpoint. */
  readonly tolerance: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** One line: why the iteration stopped. */
  readonly reason: string;
}

export interface TrustRegionOptions {
  readonly scale?: LossScale;
  /** Trust-region iterations (default 400; the small instances of the claims need 10–100). */
  readonly maxIterations?: number;
}

/** Scale the layers to equal Frobenius norms (product unchanged); untouched when a layer is 0. */
export function rebalance(weights: readonly Matrix[]): Matrix[] {
  const norms = weights.map((w) => frobeniusNorm(w));
  if (!norms.every((x) => x > 0) || Math.max(...norms) <= 2 * Math.min(...norms)) return weights.map((w) => w.clone());
  const logMean = norms.reduce((s, x) => s + Math.log(x), 0) / norms.length;
  return weights.map((w, j) => {
    const f = Math.exp(logMean) / norms[j];
    const out = new Matrix(w.rows, w.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = f * w.data[i];
    return out;
  });
}

/**
 * Math.hypot(...b(x)) for b_i = f(i), without the argument spread and the array: the same arithmetic as V8's
 * Math.hypot (scale by the largest |b_i|, Kahan-compensated sum of squares), so the result is bit-identical.
 * The trust-region bisection evaluates ‖b(μ)‖ ~50 times per step; spreading it into Math.hypot dominated.
 */
function hypotOf(n: number, f: (i: number) => number): number {
  let max = 0,
    nan = false;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(f(i));
    if (Number.isNaN(v)) nan = true;
    else if (v > max) max = v;
  }
  if (max === Infinity) return Infinity;
  if (nan) return NaN;
  if (max === 0) return 0;
  let sum = 0,
    compensation = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(f(i)) / max;
    const summand = x * x - compensation;
    const preliminary = sum + summand;
    compensation = preliminary - sum - summand;
    sum = preliminary;
  }
  return Math.sqrt(sum) * max;
}

/** ‖v‖ exactly as Math.hypot(...v). */
export function vectorNorm(v: ArrayLike<number>): number {
  return hypotOf(v.length, (i) => v[i]);
}

/**
 * argmin_{‖b‖ ≤ Δ} Σ a_i b_i + ½ Σ λ_i b_i² in the Hessian's eigenbasis (λ descending): b_i = −a_i/(λ_i + μ) with
 * the smallest μ ≥ μ_0 = max(0, −λ_min) giving ‖b‖ ≤ Δ. The "bottom" eigenvalues (λ_i + μ_0 within 1e-12·max|λ|
 * of 0) take no part when a has no component along them (relative 1e-8): then μ = μ_0 is allowed, giving the
 * min-norm Newton step (PSD) or, in the hard case, the rest of the radius along the eigenvector of λ_min.
 */
export function trustRegionStep(values: Float64Array, a: Float64Array, radius: number): Float64Array {
  const n = values.length;
  let big = Number.MIN_VALUE;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(values[i]));
  const cut = 1e-12 * big;
  const lo = Math.max(0, -values[n - 1]);
  const bottom = (i: number): boolean => values[i] + lo <= cut;
  let gradient = 0,
    bottomPart = 0;
  for (let i = 0; i < n; i++) {
    gradient += a[i] * a[i];
    if (bottom(i)) bottomPart += a[i] * a[i];
  }
  if (bottomPart <= 1e-16 * gradient) {
    const b = values.map((v, i) => (bottom(i) ? 0 : -a[i] / (v + lo)));
    const rest = radius * radius - vectorNorm(b) ** 2;
    if (rest >= 0) {
      if (lo > cut) b[n - 1] = a[n - 1] > 0 ? -Math.sqrt(rest) : Math.sqrt(rest);
      return b;
    }
  }
  // ‖b(μ)‖ decreases from +∞ (or > Δ) at μ_0 to ≤ Δ at μ_0 + ‖a‖/Δ + max|λ|.
  const tooLong = (mu: number): boolean =>
    values[n - 1] + mu <= 0 || hypotOf(n, (i) => -a[i] / (values[i] + mu)) > radius;
  let low = lo,
    high = lo + Math.sqrt(gradient) / radius + big;
  for (let k = 0; k < 200 && high - low > 1e-15 * high; k++) {
    const mid = 0.5 * (low + high);
    if (tooLong(mid)) low = mid;
    else high = mid;
  }
  return values.map((v, i) => -a[i] / (v + high));
}

/**
 * How far a computed L can be trusted to resolve a decrease. τ_L (tolerances.ts) bounds the error of L itself by
 * γ(κ/2)A², A = ‖|W||X|‖ + ‖Y‖, which ignores that the residual r = WX − Y is small where descent ends: r is
 * computed to δ = γA and L = ½κ‖r‖², so |ΔL| ≤ κ(‖r‖δ + δ²) = 2√(γ·L·τ_L) + 2γτ_L. On badly conditioned X
 * (σ_min(X) ~ 1e-5 needs ‖W‖ ~ 1e2) τ_L reaches 1e-3 while L is still resolved to ~1e-9.
 */
function lossResolution(weights: readonly Matrix[], data: Data, scale: LossScale, L: number): number {
  const tauL = lossTolerance(weights, data, scale),
    g = gamma(weights, data);
  return 2 * Math.sqrt(g * Math.max(L, 0) * tauL) + 2 * g * tauL;
}

function add(weights: readonly Matrix[], step: readonly Matrix[]): Matrix[] {
  return weights.map((w, j) => {
    const out = new Matrix(w.rows, w.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = w.data[i] + step[j].data[i];
    return out;
  });
}

export function trustRegionDescent(start: Weights, data: Data, options: TrustRegionOptions = {}): TrustRegionResult {
  const scale = options.scale ?? 'half';
  const maxIterations = options.maxIterations ?? 400;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new DomainError('maxIterations', `must be a non-negative integer, received ${maxIterations}`);
  }
  let w = cloneWeights(start);
  const size = flatten(w).length;
  if (size > MAX_HESSIAN_SIZE) {
    throw new DomainError('weights', `trust region needs the Hessian: ${size} parameters > ${MAX_HESSIAN_SIZE}`);
  }
  const initialLoss = loss(w, data, { scale });
  let L = initialLoss;
  let radius = Math.max(1, vectorNorm(flatten(w)));
  let it = 0,
    reason = `iteration budget (${maxIterations}) exhausted`,
    atResolution = false;
  for (; it < maxIterations; it++) {
    w = rebalance(w);
    L = loss(w, data, { scale });
    const g = flatten(layerGradients(w, data, { scale }));
    // τ_c needs |H|: only assembled when ‖∇L‖ is within 1e6·τ_g (a missed stop costs one rejected step).
    const gn = vectorNorm(g),
      tauG = gradientTolerance(w, data, scale);
    const tauC = gn <= tauG || gn > 1e6 * tauG ? tauG : criticalityTolerance(w, data, scale, gn);
    if (gn <= tauC) {
      reason = `‖∇L‖ = ${gn.toExponential(2)} ≤ τ_c = ${tauC.toExponential(2)}`;
      break;
    }
    const H = fullHessian(w, data, scale);
    const { values, Q } = hessianEigen(H.matrix);
    const a = new Float64Array(size);
    for (let c = 0; c < size; c++) for (let p = 0; p < size; p++) a[c] += Q.data[p * size + c] * g[p];
    const resolution = lossResolution(w, data, scale, L);
    let accepted = false;
    while (!accepted) {
      const b = trustRegionStep(values, a, radius);
      let predicted = 0;
      for (let c = 0; c < size; c++) predicted -= a[c] * b[c] + 0.5 * values[c] * b[c] * b[c];
      if (!(predicted > resolution)) break;
      const p = new Float64Array(size);
      for (let c = 0; c < size; c++) if (b[c] !== 0) for (let q = 0; q < size; q++) p[q] += Q.data[q * size + c] * b[c];
      const trial = add(w, unflatten(w, p));
      const Lt = loss(trial, data, { scale });
      const rho = (L - Lt) / predicted;
      const stepNorm = vectorNorm(b);
      if (rho < 0.25) radius = 0.25 * stepNorm;
      else if (rho > 0.75 && stepNorm > 0.9 * radius) radius *= 2;
      if (rho > 0.1 && Lt < L) {
        w = trial;
        L = Lt;
        accepted = true;
      } else if (!(radius > 1e-300)) break;
    }
    if (!accepted) {
      reason = `no step lowers L beyond its resolution ${resolution.toExponential(2)}`;
      atResolution = true;
      break;
    }
  }
  // At the loss resolution, finish with Newton on ∇L = 0 (quadratic convergence to the nearby critical point; L
  // moves by O(‖∇L‖²/λ)). Not after the budget ran out: far from a critical point Newton may go anywhere.
  let state = criticality(w, data, scale);
  if (!state.critical && atResolution) {
    const polished = newtonPolish(w, data, { scale });
    const after = criticality(polished.weights, data, scale);
    if (after.gradientNorm < state.gradientNorm) {
      w = polished.weights;
      state = after;
      L = loss(w, data, { scale });
      reason += `; then ${polished.iterations} Newton steps`;
    }
  }
  const { gradientNorm, tolerance, critical: converged } = state;
  return { weights: w, loss: L, initialLoss, gradientNorm, tolerance, iterations: it, converged, reason };
}
