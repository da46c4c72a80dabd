/**
 * One decoupled mode of the L2-regularized deep linear network (Wang–Jacot, arXiv:2305.16038): at a balanced point
 * aligned with the target's singular vectors, each singular value s of the product follows the scalar chain
 * ds/dt = −Ls^{2−2/L}(s − y) − 2λLs of ½(s − y)² + λΣw_ℓ² (L equal factors w, s = w^L). For L ≥ 3 and λ < λ_c the
 * origin is stable and two positive equilibria s_lo < s_hi exist; s_lo is the separatrix between the basins.
 */

/** h(s) = s^{1−2/L}(y − s): equilibria s > 0 of ds/dt = −Ls^{2−2/L}(s − y) − 2λLs solve h(s) = 2λ. */
function h(s: number, y: number, L: number): number {
  return Math.pow(s, 1 - 2 / L) * (y - s);
}

/** The maximizer of h on (0, y) (L ≥ 3): s* = y(L − 2)/(2L − 2). */
function hPeak(y: number, L: number): number {
  return (y * (L - 2)) / (2 * L - 2);
}

/** λ_c(y, L) = max h/2: for λ < λ_c there are two positive equilibria s_lo < s* < s_hi (L ≥ 3). */
export function criticalLambda(y: number, L: number): number {
  return L === 2 ? y / 2 : h(hPeak(y, L), y, L) / 2;
}

/** The root of h(s) = 2λ in [a, b] where h − 2λ changes sign (bisection to full precision). */
function bisectRoot(a: number, b: number, y: number, L: number, lambda: number): number {
  const fa = h(a, y, L) - 2 * lambda;
  for (let k = 0; k < 200; k++) {
    const m = a + (b - a) / 2;
    if (m === a || m === b) break;
    if (h(m, y, L) - 2 * lambda > 0 === fa > 0) a = m;
    else b = m;
  }
  return a + (b - a) / 2;
}

/** s_lo and s_hi for L ≥ 3 (s_lo undefined for L = 2, where s_hi = y − 2λ). */
export function separatrix(y: number, L: number, lambda: number): { low?: number; high: number } {
  if (L === 2) return { high: y - 2 * lambda };
  const peak = hPeak(y, L);
  return { low: bisectRoot(0, peak, y, L, lambda), high: bisectRoot(peak, y, y, L, lambda) };
}

/** λ_c of a mode in WJ's completion convention (full observation, mean over d² entries). */
export function completionCriticalLambda(y: number, L: number, d: number): number {
  return (2 * criticalLambda(y, L)) / (d * d);
}

/** The stable positive equilibrium s_hi of a mode with target y: s^{1−2/L}(y − s) = λd², i.e. λ' = λd²/2 (0 if none). */
export function modeMinimum(y: number, L: number, lambda: number, d: number): number {
  const scalar = (lambda * d * d) / 2;
  return scalar < criticalLambda(y, L) ? separatrix(y, L, scalar).high : 0;
}

/**
 * GD on a balanced scalar chain (L equal factors w, s = w^L) for ½(s − y)² + λΣw_ℓ²:
 * w ← w − η[(w^L − y)w^{L−1} + 2λw]. Its fixed points are the ODE's equilibria; η makes the map monotone on
 * [0, 1.5·max(w_hi, y^{1/L})], so the basins are separated exactly at the fixed points.
 */
export function scalarGd(
  L: number,
  y: number,
  lambda: number,
  s0: number,
  stop: (s: number) => boolean,
  maxSteps = 2_000_000,
): { s: number; steps: number } {
  const top = 1.5 * Math.max(Math.pow(y, 1 / L), 1);
  let curvature = 0;
  for (let k = 0; k <= 400; k++) {
    const w = (top * k) / 400;
    curvature = Math.max(
      curvature,
      Math.abs((2 * L - 1) * Math.pow(w, 2 * L - 2) - (L - 1) * y * Math.pow(w, L - 2) + 2 * lambda),
    );
  }
  const eta = 0.5 / curvature;
  let w = Math.pow(s0, 1 / L);
  // Integer powers by repeated products (L ≤ 6): Math.pow cost most of this loop's time.
  const power = (x: number, n: number): number => {
    let p = 1;
    for (let j = 0; j < n; j++) p *= x;
    return p;
  };
  for (let k = 1; k <= maxSteps; k++) {
    const wl1 = power(w, L - 1);
    w -= eta * ((wl1 * w - y) * wl1 + 2 * lambda * w);
    const s = power(w, L);
    if (stop(s)) return { s, steps: k };
  }
  return { s: power(w, L), steps: maxSteps };
}
