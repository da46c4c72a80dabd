import { compare, EPS, type Verdict, worstOf } from '../../check/verdict.js';
import { sci as fmt } from '../../format.js';
import { svd } from '../../linalg/svd.js';
import { bregmanDivergence } from '../bregman.js';
import type { DiscreteRateInstance } from '../instances.js';
import { LeastSquaresWorkspace, leastSquaresProblem, objectiveScale } from '../problem.js';
import { stepSize } from '../reparam.js';
import { nnlsReference } from './reference.js';

/**
 * nnls.discrete-rate [D]: the discrete analogue of nnls.converges' D_Φ/t rate for gradient descent on u with
 * x = u ⊙ u (L = 2), u_{k+1} = u_k − η_k∇_u f(u_k⊙u_k) = u_k ⊙ (1 − s_k), s_k = 2η_k∇f(x_k), Φ(x) = ¼Σ(x log x − x),
 * D_Φ(a, x) = ¼KL(a‖x), Lf = ‖A‖₂² the smoothness of f. Derivation, for any minimizer x* ≥ 0 and g = ∇f(x_k):
 *   step condition (SC): η_k·max(Lf‖x_k‖∞, ‖g‖∞) ≤ 1/8, so |s| ≤ ¼ and Lfη_k x ≤ ⅛;
 *   exact:    D(x*, x_{k+1}) − D(x*, x_k) = η⟨g, x* − x⟩ + Σ_j [½x*_jψ(s_j) + η²x_jg_j²],  ψ(s) = −log(1−s) − s,
 *             and ψ(s) ≤ s²/(2(1 − max(s, 0))) ≤ ⅔s² for |s| ≤ ¼;
 *   convex:   η⟨g, x* − x⟩ ≤ −η(f(x_k) − f*);
 *   descent:  f(x_{k+1}) − f(x_k) = ⟨g, Δ⟩ + ½‖AΔ‖² ≤ −4ηΣ x g²c_j, Δ = −4ηgx(1 − s/2), c_j = (1 − s/2)(1 −
 *             2Lfηx(1 − s/2)) ≥ (7/8)(23/32) > ½, so f(x_{k+1}) ≤ f(x_k) − 2η_kΣ x_jg_j².
 * Adding the three: η_k(f(x_{k+1}) − f*) ≤ D_k − D_{k+1} + R_k, R_k = η_k²Σ_j g_j²(4x*_j/3 − x_j), and summing with
 * f monotone:
 *   S_k(f(x_k) − f*) + D_Φ(x*, x_k) ≤ D_Φ(x*, x_0) + Σ_{i<k} R_i,   S_k = Σ_{i<k} η_i,
 * i.e. f(x_k) − f* ≤ (D_Φ(x*, x_0) + Σ R_i)/S_k. The remainder is second order: Σ R_i ≤ (4/3)‖x*‖₁ Σ η_i²‖g_i‖∞²
 * with ‖g_i‖ ≤ ‖A‖√(2f(x_0)) (f decreases), bounded when Σ η_i² < ∞, so decaying steps with Σ η_i = ∞ give the
 * O(1/Σ η_i) rate of the flow. Without the remainder (the flow's bound verbatim) no proof was found: the term
 * ½x*_jψ(s_j) ≥ 0 is not absorbed by the descent term η²x_jg_j² where x_j ≪ x*_j.
 */
export interface StepRule {
  readonly describe: (inst: DiscreteRateInstance) => string;
  readonly step: (k: number, x: Float64Array, gradient: Float64Array, inst: DiscreteRateInstance, Lf: number) => number;
}

/** The largest step the step condition allows at x_k. */
function stepConditionLimit(x: Float64Array, gradient: Float64Array, Lf: number): number {
  let xMax = 0,
    gMax = 0;
  for (let i = 0; i < x.length; i++) {
    xMax = Math.max(xMax, x[i]);
    gMax = Math.max(gMax, Math.abs(gradient[i]));
  }
  return 1 / (8 * Math.max(Lf * xMax, gMax, Number.MIN_VALUE));
}

/** The claim's schedule: η/(k+2)^γ, capped by the step condition. */
export const guardedStep: StepRule = {
  describe: (inst) => `η_k = min(${fmt(inst.eta)}/(k+2)^${inst.gamma}, 1/(8 max(‖A‖²‖x_k‖∞, ‖∇f(x_k)‖∞)))`,
  step: (k, x, g, inst, Lf) => Math.min(stepSize(inst.eta, inst.gamma, k), stepConditionLimit(x, g, Lf)),
};

/** The FALSE variant's step: the constant 1/‖A‖₂² of gradient descent on f itself, with no iterate-size factor. */
export const smoothnessStep: StepRule = { describe: () => 'η_k = 1/‖A‖²', step: (_k, _x, _g, _inst, Lf) => 1 / Lf };

/** Round-off scale of a computed D_Φ(a, x) = ¼Σ(a log(a/x) − a + x): the magnitude of its terms. */
function divergenceScale(a: Float64Array, x: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] > 0 ? a[j] * (1 + Math.abs(Math.log(a[j] / x[j]))) : 0) + x[j];
  return 0.25 * s;
}

interface RateRun {
  /** max over k of the left side over the right side of the checked inequality. */
  readonly worstRatio: number;
  readonly worstAt: number;
  /** max over k of (f(x_{k+1}) − f(x_k) + 2η_kΣ x g²)/δf: ≤ 1 under SC. */
  readonly worstDescent: number;
  readonly stepsSum: number;
  readonly remainder: number;
  readonly finalGap: number;
  readonly diverged: number;
  /** Steps that broke the step condition. */
  readonly outside: number;
}

/**
 * Run the descent and evaluate at every k: with the remainder (the claim), S_k(f_k − f*) + D_k − ΣR_i against
 * D_0 + S_k·δf; without (the FALSE variant), S_k(f_k − f*) against D_0 + S_k·δf.
 */
function runRate(
  inst: DiscreteRateInstance,
  rule: StepRule,
  withRemainder: boolean,
  star: Float64Array,
  fstar: number,
) {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const n = inst.A.cols,
    m = inst.A.rows;
  const Lf = svd(inst.A).s[0] ** 2;
  const u = new Float64Array(n).fill(inst.alpha);
  const x = u.map((v) => v * v);
  const D0 = bregmanDivergence(2, star, x);
  const scale0 = divergenceScale(star, x);
  const ws = new LeastSquaresWorkspace(problem);
  let f = ws.evaluate(x);
  // Round-off in a computed f − f*: 16(m+n)ε·½(‖A‖_F‖x‖ + ‖b‖)², the largest over the run (as nnls.converges).
  const roundOff = (v: Float64Array) => 16 * (m + n) * EPS * objectiveScale(problem, v);
  let deltaF = Math.max(roundOff(star), roundOff(x));
  let worstRatio = -Infinity,
    worstAt = 0,
    worstDescent = -Infinity,
    S = 0,
    R = 0,
    remainderTerms = 0,
    outside = 0,
    diverged = -1;
  for (let k = 0; k < inst.iterations; k++) {
    const g = ws.gradient;
    const eta = rule.step(k, x, g, inst, Lf);
    if (eta > stepConditionLimit(x, g, Lf) * (1 + 4 * EPS)) outside++;
    let decrease = 0;
    for (let j = 0; j < n; j++) {
      decrease += x[j] * g[j] * g[j];
      const term = eta * eta * g[j] * g[j];
      R += term * ((4 / 3) * star[j] - x[j]);
      remainderTerms += term * ((4 / 3) * star[j] + x[j]);
      u[j] *= 1 - 2 * eta * g[j];
      x[j] = u[j] * u[j];
    }
    S += eta;
    const next = ws.evaluate(x);
    if (!Number.isFinite(next)) {
      diverged = k + 1;
      worstRatio = Infinity;
      break;
    }
    deltaF = Math.max(deltaF, roundOff(x));
    worstDescent = Math.max(worstDescent, (next - f + 2 * eta * decrease) / deltaF);
    f = next;
    // A step that zeroes a coordinate x*_j > 0 makes D_Φ(x*, x_k) infinite (possible only outside the step condition).
    const finiteD = !withRemainder || star.every((a, j) => a === 0 || x[j] > 0);
    const left = withRemainder ? S * (f - fstar) + (finiteD ? bregmanDivergence(2, star, x) : 0) - R : S * (f - fstar);
    // Round-off of the D_Φ terms (and of ΣR_i) when they enter: 16nε times the magnitude of their terms.
    const deltaD = withRemainder && finiteD ? 16 * n * EPS * (scale0 + divergenceScale(star, x) + remainderTerms) : 0;
    const ratio = finiteD ? left / (D0 + S * deltaF + deltaD) : Infinity;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worstAt = k + 1;
    }
  }
  const run: RateRun = {
    worstRatio,
    worstAt,
    worstDescent,
    stepsSum: S,
    remainder: R,
    finalGap: f - fstar,
    diverged,
    outside,
  };
  return { run, D0, deltaF, Lf };
}

/**
 * nnls.discrete-rate and its FALSE variant nnls.discrete-rate.smoothness-step: `rule` picks the steps,
 * `withRemainder` whether the derived remainder ΣR_i (and D_k) enter the bound. x* is Lawson–Hanson's (any
 * minimizer makes the derivation valid).
 */
export function checkDiscreteRate(inst: DiscreteRateInstance, rule: StepRule = guardedStep, withRemainder = true) {
  const reference = nnlsReference(leastSquaresProblem(inst.A, inst.b));
  if ('unavailable' in reference) return reference.unavailable;
  const { star } = reference;
  const { run, D0, deltaF, Lf } = runRate(inst, rule, withRemainder, star.x, star.objective);
  const where =
    `L = 2, α = ${inst.alpha}, ${rule.describe(inst)}, ${inst.iterations} steps, ‖A‖² = ${fmt(Lf)}: ` +
    `Σ η_i = ${fmt(run.stepsSum)}, D_Φ(x*, x_0) = ${fmt(D0)}, f(x_K) − f* = ${fmt(run.finalGap)}, step condition ` +
    `broken at ${run.outside} steps`;
  const rate = compare({
    measured: run.worstRatio,
    bound: 1,
    errorModel:
      `bound D_Φ(x*, x_0) + S_k·δf, δf = 16(m+n)ε·½(‖A‖_F‖x‖ + ‖b‖)² (max over the iterates and x*) = ${fmt(deltaF)}` +
      (withRemainder
        ? ' + 16nε·(magnitude of the terms of D_Φ(x*, x_0), D_Φ(x*, x_k) and ΣR_i); ΣR_i is part of the statement'
        : ''),
    detail:
      (withRemainder
        ? `max_k (S_k(f(x_k) − f*) + D_Φ(x*, x_k) − Σ_{i<k}R_i)/(D_Φ(x*, x_0) + S_kδf) at k = ${run.worstAt}`
        : `max_k S_k(f(x_k) − f*)/(D_Φ(x*, x_0) + S_kδf) at k = ${run.worstAt}`) +
      (run.diverged >= 0 ? ` (f(x_k) overflowed at step ${run.diverged})` : '') +
      `; ${where}` +
      (withRemainder ? `; Σ R_i = ${fmt(run.remainder)}` : ''),
  });
  if (!withRemainder) return rate;
  const descent = compare({
    measured: run.worstDescent,
    bound: 1,
    errorModel: `f(x_{k+1}) − f(x_k) + 2η_kΣ x_jg_j² ≤ δf = ${fmt(deltaF)} (descent step of the derivation)`,
    detail: `max_k (f(x_{k+1}) − f(x_k) + 2η_kΣ x_jg_j²)/δf; ${where}`,
  });
  return worstOf([rate, descent]) as Verdict;
}
