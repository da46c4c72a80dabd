import { compare, EPS, type Verdict, worstOf } from '../check/verdict.js';
import { DlnGradientField } from '../dynamics/dln-gradient-field.js';
import { GradientDescent } from '../dynamics/gradient-descent.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';
import { loss } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import type { DescentInstance } from './instances.js';

/**
 * ACGH's descent inequality (Lemma 1 under the conditions of Theorem 1): one GD step on a deep linear network with
 * whitened data decreases the loss by at least (η/2)σ_min(W)^{2(N−1)/N}‖∇L¹(W)‖²_F. Loss scale "mean".
 */

/** ACGH Theorem 1's step-size bound. */
export function acghStepBound(c: number, phiNorm: number, depth: number): number {
  const N = depth;
  return Math.pow(c, (4 * N - 2) / N) / (6144 * N ** 3 * Math.pow(phiNorm, (6 * N - 4) / N));
}

/** ACGH Theorem 1's balancedness bound. */
export function acghDeltaBound(c: number, phiNorm: number, depth: number): number {
  const N = depth;
  return (c * c) / (256 * N ** 3 * Math.pow(phiNorm, (2 * (N - 1)) / N));
}

/** GD steps checked per instance: each one must satisfy the inequality. */
const DESCENT_STEPS = 8;

/**
 * For each of DESCENT_STEPS GD steps: the achieved decrease L(t) − L(t+1) against the promised one
 * P = (η/2)σ_min(W(t))^{2(N−1)/N}‖∇L¹(W(t))‖². measured = the ratio (≥ 1 claimed), bound = 1 − (round-off allowance)/P.
 * Round-off allowance of one loss value (mean scale, κ = 1/m): 4ε(N + m + 2)·κ/2·(Π_j‖W_j‖_F‖X‖_F + ‖Y‖_F)²
 * (forming the product, the residual WX − Y and the sum of squares), two of them in the difference.
 */
export function checkDescent(i: DescentInstance, options: { eta?: number } = {}): Verdict {
  const eta = options.eta ?? i.eta,
    N = i.depth,
    m = i.data.X.cols;
  const widths = new Array(N + 1).fill(i.d);
  const field = new DlnGradientField(widths, i.data, { scale: 'mean' });
  const gd = new GradientDescent(field, { learningRate: eta });
  const state = i.weights.map((w) => w.clone());
  const xNorm = frobeniusNorm(i.data.X),
    yNorm = frobeniusNorm(i.data.Y);
  const allowance = (ws: readonly Matrix[]): number =>
    (4 * EPS * (N + m + 2) * (ws.reduce((p, w) => p * frobeniusNorm(w), 1) * xNorm + yNorm) ** 2) / (2 * m);
  const verdicts: Verdict[] = [];
  let before = loss(state, i.data, { scale: 'mean' });
  for (let t = 0; t < DESCENT_STEPS; t++) {
    const W = endToEnd(state);
    const s = singularValues(W);
    const sigmaMin = s[s.length - 1];
    const allowBefore = allowance(state);
    gd.step(state);
    const grad = frobeniusNorm(field.endToEndGradient); // ∇L¹ at W(t) (mean scale: W(t) − Φ)
    const after = loss(state, i.data, { scale: 'mean' });
    const promised = (eta / 2) * Math.pow(sigmaMin, (2 * (N - 1)) / N) * grad * grad;
    const allow = allowBefore + allowance(state);
    if (!(promised > 0)) {
      before = after;
      continue; // ∇L¹ = 0: nothing is promised
    }
    const v = compare({
      measured: (before - after) / promised,
      bound: 1 - allow / promised,
      comparison: '>=',
      errorModel: `ratio ≥ 1 − 2·allowance/P; allowance = 4ε(N+m+2)/(2m)·(Π‖W_j‖‖X‖ + ‖Y‖)² = ${fmt(allow / 2)} per loss value`,
      detail:
        `step ${t}: L(t) − L(t+1) = ${fmt(before - after)} vs (η/2)σ_min^{2(N−1)/N}‖∇L¹‖² = ${fmt(promised)} (η = ${fmt(eta)}, σ_min(W(t)) = ${fmt(sigmaMin)}, ` +
        `‖∇L¹‖ = ${fmt(grad)}): achieved ${((before - after) / promised).toFixed(3)}× the promised decrease`,
    });
    verdicts.push(v);
    if (v.status === 'fail') break; // the run is a counterexample; later steps may overflow
    before = after;
  }
  if (verdicts.length === 0) {
    return compare({
      measured: 1,
      bound: 1,
      comparison: '>=',
      errorModel: 'no step with ∇L¹ ≠ 0',
      detail: 'W(0) = Φ: every promised decrease is 0',
    });
  }
  return worstOf(verdicts);
}
