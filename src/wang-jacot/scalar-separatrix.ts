import { compare, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import type { ScalarInstance } from './instances.js';
import { scalarGd, separatrix } from './scalar-mode.js';

/**
 * L ≥ 3: (a) s_lo agrees with (2λ/y)^{L/(L−2)} within the first-order correction (L/(L−2))·s_lo/y (×2);
 * (b) GD from 0.9·s_lo goes to 0, from 1.1·s_lo to s_hi, and from 1e-3·s_lo to 0 (the origin is stable).
 * L = 2: only "a start at 1e-6·y decays to 0" is checked — which fails when y > 2λ (the FALSE variant).
 * `options.separatrix` replaces the computed (s_lo, s_hi) by a claimed one (tests feed a wrong one).
 */
export function checkScalarSeparatrix(i: ScalarInstance, options: { separatrix?: typeof separatrix } = {}): Verdict {
  const { depth: L, y, lambda } = i;
  const { low, high } = (options.separatrix ?? separatrix)(y, L, lambda);
  const verdicts: Verdict[] = [];
  const toZero = (s0: number, label: string): Verdict => {
    const run = scalarGd(L, y, lambda, s0, (s) => s <= 1e-6 * s0 || s >= 0.5 * high);
    return compare({
      measured: run.s / s0,
      bound: 1e-3,
      errorModel: `GD on the balanced scalar chain until s ≤ 1e-6·s_0 (basin of 0) or s ≥ s_hi/2 (escaped), ≤ 2e6 steps; the basin of 0 is confirmed once s/s_0 ≤ 1e-3`,
      detail: `${label}: from s_0 = ${fmt(s0)} GD reached s = ${fmt(run.s)} after ${run.steps} steps (s_hi = ${fmt(high)})`,
    });
  };
  if (low === undefined) {
    verdicts.push(toZero(1e-6 * y, `L = 2, y = ${y}, λ = ${fmt(lambda)}: origin stable?`));
    return worstOf(verdicts);
  }
  const approx = Math.pow((2 * lambda) / y, L / (L - 2));
  const firstOrder = (L / (L - 2)) * (low / y);
  verdicts.push(
    compare({
      measured: Math.abs(low / approx - 1),
      bound: 2 * firstOrder,
      errorModel: `s_lo = (2λ/(y − s_lo))^{L/(L−2)} exactly, so s_lo/approx − 1 ≈ (L/(L−2))·s_lo/y = ${fmt(firstOrder)} (bound ×2)`,
      detail: `s_lo = ${fmt(low)} vs (2λ/y)^{L/(L−2)} = ${fmt(approx)} (L = ${L}, y = ${y}, λ = ${fmt(lambda)})`,
    }),
  );
  verdicts.push(toZero(0.9 * low, '0.9·s_lo → 0'));
  verdicts.push(toZero(1e-3 * low, 'origin stable (1e-3·s_lo → 0)'));
  const up = scalarGd(L, y, lambda, 1.1 * low, (s) => Math.abs(s - high) <= 1e-9 * high || s <= 1e-3 * low);
  verdicts.push(
    compare({
      measured: Math.abs(up.s - high) / high,
      bound: 1e-6,
      errorModel: 'GD until |s − s_hi| ≤ 1e-9·s_hi or s ≤ 1e-3·s_lo (≤ 2e6 steps); s_hi by bisection',
      detail: `1.1·s_lo → s_hi: from ${fmt(1.1 * low)} GD reached ${fmt(up.s)} after ${up.steps} steps, s_hi = ${fmt(high)}`,
    }),
  );
  return worstOf(verdicts);
}
