import { compare, EPS, inconclusive, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { certifyMinimum, GRADIENT_ROUNDOFF } from '../landscape/regularized-minimum.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { endToEnd } from '../model/partial-products.js';
import type { MinimaInstance } from './instances.js';
import { pointAt } from './minima.js';
import { separatrix } from './scalar-mode.js';

/**
 * Every critical point of the fully observed loss F = (1/d²)‖A − A*‖² + λ‖θ‖² (target spectrum distinct and
 * positive), up to the orthogonal gauge: critical points are balanced (wj.balanced-at-critical), so A's singular
 * vectors are A*'s and each mode sits at an equilibrium of its scalar chain — 0, s_lo or s_hi (0 or y when λ = 0).
 * That is 3^d points for λ > 0 (2^d for λ = 0), all enumerated here.
 */
export function alignedCriticalPoints(i: MinimaInstance): number[][] {
  const scalar = (i.lambda * i.d * i.d) / 2;
  const levels = i.targetSpectrum.map((y) => {
    const e = separatrix(y, i.depth, scalar);
    return i.lambda > 0 && e.low !== undefined ? [0, e.low, e.high] : [0, e.high];
  });
  return levels.reduce<number[][]>((points, options) => points.flatMap((p) => options.map((x) => [...p, x])), [[]]);
}

/** WJ's minima for L ≥ 3: the top k modes at s_hi and the rest at 0 (k = 0..d). */
export const isTopModes = (s: readonly number[], i: MinimaInstance): boolean => {
  const high = i.targetSpectrum.map((y) => separatrix(y, i.depth, (i.lambda * i.d * i.d) / 2).high);
  const k = s.indexOf(0);
  const rank = k < 0 ? s.length : k;
  return s.every((x, m) => (m < rank ? x === high[m] : x === 0));
};

export interface StrictSaddleOptions {
  /** Which points are claimed to be the minima (default isTopModes; tests pass a wrong rule). */
  readonly isMinimum?: (s: readonly number[], i: MinimaInstance) => boolean;
}

/** Relative size σ/y of the dropped mode switched on by the descent probe at a degenerate point. */
const PROBE = 1e-4;

/** F = (1/d²)‖A − A*‖² + λ‖θ‖² at a point. */
function objective(i: MinimaInstance, weights: readonly Matrix[]): number {
  const r = endToEnd(weights);
  for (let k = 0; k < r.data.length; k++) r.data[k] -= i.target.data[k];
  return frobeniusNorm(r) ** 2 / (i.d * i.d) + i.lambda * weights.reduce((a, w) => a + frobeniusNorm(w) ** 2, 0);
}

/**
 * At each enumerated point: (i) it is critical to round-off; (ii) it is a certified minimum (Hessian eigenvalues off
 * the gauge orbit > τ) exactly when it is claimed one, and a strict saddle (λ_min < −τ) otherwise. A degenerate
 * point (|λ_min| ≤ τ) is neither unless it is a minimum; it is shown not to be one by switching on its first
 * dropped mode at σ = PROBE·y, along which F must not decrease: a decrease beyond round-off fails the statement (at
 * λ = 0 and L ≥ 3 the dropped modes are flat to second order and lower F), none leaves the point undecided.
 */
export function checkStrictSaddles(i: MinimaInstance, options: StrictSaddleOptions = {}): Verdict {
  const isMinimum = options.isMinimum ?? isTopModes;
  const data = { X: Matrix.identity(i.d), Y: i.target },
    kappa = 2 / (i.d * i.d);
  const verdicts: Verdict[] = [];
  let minima = 0,
    saddles = 0,
    degenerate = 0;
  const points = alignedCriticalPoints(i);
  for (const s of points) {
    const weights = pointAt(i, s);
    const c = certifyMinimum(weights, data, kappa, i.lambda);
    const what = `modes at s = (${s.map((x) => x.toPrecision(4)).join(', ')})`;
    // The certificate scales its gradient bound with ‖∇C‖, which is itself round-off where A fits A* (λ = 0): add
    // the round-off of the residual, (Σd)ε·κΠ‖W_ℓ‖_F, carried through the chain (Π max(1, ‖W_ℓ‖)).
    const sumD = i.d * (i.depth + 1);
    const chain = weights.reduce((p, w) => p * Math.max(1, frobeniusNorm(w)), 1);
    const residualFloor =
      GRADIENT_ROUNDOFF * EPS * sumD * kappa * weights.reduce((p, w) => p * frobeniusNorm(w), 1) * chain;
    verdicts.push(
      compare({
        measured: c.gradient,
        bound: c.gradientBound + residualFloor,
        errorModel:
          `critical to round-off: ‖∇F‖ ≤ ${GRADIENT_ROUNDOFF}ε(Σd)(‖∇C‖Π max(1, ‖W‖) + 2λ‖θ‖) + ` +
          `${GRADIENT_ROUNDOFF}ε(Σd)κΠ‖W‖_F·Π max(1, ‖W‖)`,
        detail: `${what}: ‖∇F‖ = ${fmt(c.gradient)}`,
      }),
    );
    const claimed = isMinimum(s, i) ? 'a minimum' : 'a strict saddle';
    const tau = c.tolerance;
    const kind = c.lambdaMin > tau ? 'a minimum' : c.lambdaMin < -tau ? 'a strict saddle' : 'degenerate';
    const errorModel = `certified minimum: λ_min of the Hessian off the gauge orbit > τ = ${fmt(tau)}; strict saddle: λ_min < −τ`;
    if (kind === 'a minimum') minima++;
    else if (kind === 'a strict saddle') saddles++;
    else degenerate++;
    if (kind !== 'degenerate') {
      verdicts.push(
        compare({
          measured: claimed === 'a minimum' ? c.lambdaMin : -c.lambdaMin,
          bound: tau,
          comparison: '>=',
          errorModel,
          detail: `${what}, claimed ${claimed}, is ${kind}: λ_min = ${fmt(c.lambdaMin)}`,
        }),
      );
      continue;
    }
    const dropped = s.indexOf(0);
    const f0 = objective(i, weights);
    const probed = s.map((x, m) => (m === dropped ? PROBE * i.targetSpectrum[m] : x));
    const probe = dropped < 0 ? NaN : objective(i, pointAt(i, probed)) - f0;
    const roundOff = 64 * sumD * EPS * Math.max(f0, 1e-300);
    const input = {
      measured: probe,
      bound: -roundOff,
      comparison: '>=' as const,
      errorModel:
        `${errorModel}; a degenerate point must be a minimum: F may not fall below F − 64(Σd)εF along its first ` +
        `dropped mode switched on at σ = ${PROBE}·y`,
      detail:
        `${what}, claimed ${claimed}, is degenerate (λ_min = ${fmt(c.lambdaMin)}, |λ_min| ≤ τ = ${fmt(tau)})` +
        (dropped < 0 ? ' with no dropped mode to probe' : `: mode ${dropped + 1} at σ changes F by ${fmt(probe)}`),
    };
    const undecided = dropped < 0 || probe >= -roundOff;
    const why = `${input.detail}, so whether it is a minimum is not decided`;
    verdicts.push(undecided ? inconclusive({ ...input, detail: why }) : compare(input));
  }
  const worst = worstOf(verdicts);
  const census =
    `${points.length} critical points: ${minima} certified minima, ${saddles} strict saddles, ` +
    `${degenerate} degenerate ` +
    `(L = ${i.depth}, λ = ${fmt(i.lambda)})`;
  return { ...worst, detail: `${worst.detail}; ${census}` };
}
