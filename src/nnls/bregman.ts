import { DomainError } from '../errors.js';
import { depth, toVector } from './vector.js';

/**
 * The mirror maps of the reparametrized flows and their Bregman divergences (THEORY §5).
 *
 * The u-flow of x = u^{⊙L} induces ẋ = −L² x^{⊙(2−2/L)} ⊙ ∇f(x), which is mirror flow d/dt ∇Φ(x) = −∇f(x) for
 * the separable Φ with Φ''(x) = 1/(L² x^{2−2/L}) [D]:
 *   L = 1: Φ(x) = ½x²                              (plain gradient flow, no constraint),
 *   L = 2: Φ(x) = ¼(x log x − x)                    ⇒ D_Φ(x, y) = ¼ KL(x ‖ y),
 *   L ≥ 3: Φ(x) = −x^{2/L}/(2(L − 2))               ⇒ D_Φ(x, y) = Σ [y^p + p y^{p−1}(x − y) − x^p]/(2(L−2)), p = 2/L.
 * Along the flow d/dt D_Φ(x*, x(t)) = ⟨∇f(x), x* − x⟩ ≤ f* − f(x), hence f(x(t)) − f* ≤ D_Φ(x*, x(0))/t.
 */

/** Unnormalized KL divergence Σ x_i log(x_i/y_i) − x_i + y_i (x ≥ 0, y > 0; 0·log 0 = 0). */
export function klDivergence(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const xv = toVector(x, 'x'),
    yv = toVector(y, 'y', xv.length);
  let s = 0;
  for (let i = 0; i < xv.length; i++) {
    const a = xv[i],
      c = yv[i];
    if (!(a >= 0)) throw new DomainError('x', `entry ${i} is ${a}; KL needs x ≥ 0`);
    if (!(c > 0)) throw new DomainError('y', `entry ${i} is ${c}; KL needs y > 0`);
    s += (a > 0 ? a * Math.log(a / c) - a : 0) + c;
  }
  return s;
}

/** D_Φ(x, y) for the mirror map of depth L (x ≥ 0, y > 0 for L ≥ 2). */
export function bregmanDivergence(L: number, x: ArrayLike<number>, y: ArrayLike<number>): number {
  depth(L);
  if (L === 2) return 0.25 * klDivergence(x, y);
  const xv = toVector(x, 'x'),
    yv = toVector(y, 'y', xv.length);
  if (L === 1) {
    let s = 0;
    for (let i = 0; i < xv.length; i++) s += 0.5 * (xv[i] - yv[i]) ** 2;
    return s;
  }
  const p = 2 / L;
  let s = 0;
  for (let i = 0; i < xv.length; i++) {
    const a = xv[i],
      c = yv[i];
    if (!(a >= 0)) throw new DomainError('x', `entry ${i} is ${a}; D_Φ needs x ≥ 0`);
    if (!(c > 0)) throw new DomainError('y', `entry ${i} is ${c}; D_Φ needs y > 0`);
    s += Math.pow(c, p) + p * Math.pow(c, p - 1) * (a - c) - Math.pow(a, p);
  }
  return s / (2 * (L - 2));
}

/** ∇Φ(x) for depth L (the mirror coordinates in which the flow is d/dt ∇Φ(x) = −∇f(x)). */
export function mirrorGradient(L: number, x: ArrayLike<number>): Float64Array {
  depth(L);
  const xv = toVector(x, 'x');
  return xv.map((a, i) => {
    if (L === 1) return a;
    if (!(a > 0)) throw new DomainError('x', `entry ${i} is ${a}; ∇Φ needs x > 0`);
    return L === 2 ? 0.25 * Math.log(a) : -Math.pow(a, 2 / L - 1) / (L * (L - 2));
  });
}
