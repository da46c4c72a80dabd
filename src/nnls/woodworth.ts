import type { Matrix } from '../linalg/matrix.js';
import { type DualNewtonOptions, type DualNewtonResult, dualNewton } from './dual-newton.js';
import { leastSquaresProblem } from './problem.js';
import { positive, toVector } from './vector.js';

/**
 * Woodworth et al.'s (WGL) potential of the two-layer diagonal network from u(0) = v(0) = α·1:
 *   q(z) = 2 − √(4 + z²) + z·asinh(z/2),   Q_α(β) = α² Σ_i q(β_i/α²),
 *   ∇Q_α(β)_i = asinh(β_i/(2α²))  (q'(z) = asinh(z/2)),   ∇²Q_α(β)_ii = 1/√(4α⁴ + β_i²).
 * Limits: Q_α(β) → ‖β‖²/(4α²) for α → ∞ (q(z) = z²/4 − z⁴/192 + …, kernel regime) and Q_α(β)/log(1/α²) → ‖β‖₁
 * for α → 0 (rich regime). argmin {Q_α(β) : Xβ = y}: asinh(β/(2α²)) = Xᵀν ⇒ β = 2α² sinh(Xᵀν), with ν the
 * minimizer of the dual h(ν) = 2α² Σ cosh((Xᵀν)_i) − yᵀν (damped Newton; feasible whenever y ∈ range X).
 */

/**
 * q(z), evaluated as z·asinh(z/2) − |z|·(|z|/(2 + hypot(2, z))): no cancellation of 2 − √(4+z²) at small z, and
 * no overflow of z² at |z| up to the largest doubles (the rich regime has z = β/α² ~ 1e300).
 */
export function qPotential(z: number): number {
  const a = Math.abs(z);
  return z * Math.asinh(z / 2) - a * (a / (2 + Math.hypot(2, z)));
}

/** Q_α(β) = α² Σ q(β_i/α²). */
export function qAlpha(beta: ArrayLike<number>, alpha: number): number {
  positive(alpha, 'alpha');
  const b = toVector(beta, 'beta');
  const a2 = alpha * alpha;
  let s = 0;
  for (let i = 0; i < b.length; i++) s += qPotential(b[i] / a2);
  return a2 * s;
}

/** ∇Q_α(β) = asinh(β/(2α²)). */
export function qAlphaGradient(beta: ArrayLike<number>, alpha: number): Float64Array {
  positive(alpha, 'alpha');
  const a2 = alpha * alpha;
  return toVector(beta, 'beta').map((v) => Math.asinh(v / (2 * a2)));
}

/**
 * c·cosh(w) and c·sinh(w) with c = 2α²: directly as 2α²·sinh(w) while |w| ≤ 700 (no cancellation at small w, where
 * the exponential form would lose the leading digits of e^{w} − e^{−w}), and as e^{log α² + |w|}(1 ± e^{−2|w|}) beyond,
 * where sinh alone overflows but α² is tiny (the rich regime reaches |w| ≈ log(1/α²)).
 */
function scaledHyperbolic(logA2: number): { cosh: (w: number) => number; sinh: (w: number) => number } {
  const a2 = Math.exp(logA2);
  return {
    cosh: (w) =>
      Math.abs(w) <= 700 && a2 >= 1e-300
        ? 2 * a2 * Math.cosh(w)
        : Math.exp(logA2 + Math.abs(w)) * (1 + Math.exp(-2 * Math.abs(w))),
    sinh: (w) =>
      Math.abs(w) <= 700 && a2 >= 1e-300
        ? 2 * a2 * Math.sinh(w)
        : Math.sign(w) * Math.exp(logA2 + Math.abs(w)) * (1 - Math.exp(-2 * Math.abs(w))),
  };
}

/**
 * argmin { Q_α(β) : Xβ = y } by Newton on the dual; β = 2α² sinh(Xᵀν). For small α the dual solution grows like
 * ν ≈ log(1/α²)·ν₁ (ν₁ an ℓ1 dual certificate), so the solve continues from α² = 1e-4 down to the requested α²
 * in steps of 1e-8, each warm-started with the previous ν scaled by the ratio of the log(1/α²) — Newton from
 * ν = 0 would need ~log₂(1/α²) damped steps.
 */
export function qAlphaMinimizer(
  x: Matrix,
  y: ArrayLike<number>,
  alpha: number,
  options: DualNewtonOptions = {},
): DualNewtonResult {
  const problem = leastSquaresProblem(x, y, { A: 'X', b: 'y' });
  positive(alpha, 'alpha');
  const target = 2 * Math.log(alpha);
  const solve = (logA2: number, lambda0?: ArrayLike<number>): DualNewtonResult => {
    const h = scaledHyperbolic(logA2);
    return dualNewton(
      problem.A,
      problem.b,
      { value: (_i, w) => h.cosh(w), first: (_i, w) => h.sinh(w), second: (_i, w) => h.cosh(w) },
      {
        ...options,
        ...(lambda0 ? { lambda0 } : {}),
      },
    );
  };
  const start = Math.log(1e-4);
  if (target >= start) return solve(target, options.lambda0);
  let logA2 = start;
  let r = solve(logA2, options.lambda0);
  while (logA2 > target) {
    const next = Math.max(target, logA2 + Math.log(1e-8));
    const warm = r.lambda.map((v) => (v * next) / logA2);
    logA2 = next;
    r = solve(logA2, warm);
  }
  return r;
}
