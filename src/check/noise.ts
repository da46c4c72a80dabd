import { displaced, displacedInto, type Point, type ScalarFunction } from './point.js';

/**
 * The noise level of f along a line, measured rather than assumed (Moré & Wild, "Estimating computational noise",
 * SIAM J. Sci. Comput. 2011, ECnoise): evaluate f at 9 equally spaced points x + k·h·ξ, k = −4..4, and take the
 * fourth differences. For h tiny the smooth part of a fourth difference is ~h⁴·f'''' (negligible), while
 * independent noise of standard deviation σ gives E[(Δ⁴f)²] = 70σ², so σ ≈ (mean (Δ⁴f)² / 70)^{1/2}.
 * This captures what an ε·|f| model misses: cancellation inside f (a small residual of large terms), the rounding
 * of x + tξ itself, and genuinely noisy functions.
 *
 * f(x) is passed in so the center point is not evaluated twice. A non-finite value gives σ = ∞ (nothing above it).
 */
export function noiseLevel(f: ScalarFunction, x: Point, direction: Point, h: number, fx: number): number {
  const g: number[] = [];
  // One buffer for the 8 displaced points, fully rewritten before each evaluation (same entries as displaced()).
  const at = displaced(x, 0, direction);
  for (let k = -4; k <= 4; k++) g.push(k === 0 ? fx : f(displacedInto(at, x, k * h, direction)));
  if (!g.every(Number.isFinite)) return Infinity;
  let sum = 0;
  for (let j = 0; j + 4 < g.length; j++) {
    const d4 = g[j] - 4 * g[j + 1] + 6 * g[j + 2] - 4 * g[j + 3] + g[j + 4];
    sum += d4 * d4;
  }
  return Math.sqrt(sum / (g.length - 4) / 70);
}
