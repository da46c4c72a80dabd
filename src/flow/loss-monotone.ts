import { compare, EPS, inconclusive, type Verdict } from '../check/verdict.js';
import {
  callbackObserver,
  DlnGradientField,
  GradientDescent,
  integrateRk4,
  type VectorField,
} from '../dynamics/index.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import type { Data } from '../model/loss.js';
import { cloneWeights } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import type { FlowInstance, StepInstance } from './instances.js';
import { lipschitzEstimate, stepCount } from './lipschitz.js';
import { widthSum } from './state-measures.js';

export const MONOTONE_T = 2;

/** L = ½‖W_{N:1}X − Y‖_F² at a state, and the size ½(Π‖W_j‖_F‖X‖_F + ‖Y‖_F)² its round-off is charged to. */
function lossWithScale(state: readonly Matrix[], data: Data): { loss: number; scale: number } {
  const res = multiply(endToEnd(state), data.X);
  let r2 = 0;
  for (let i = 0; i < res.data.length; i++) r2 += (res.data[i] - data.Y.data[i]) ** 2;
  const p = state.reduce((acc, x) => acc * frobeniusNorm(x), 1);
  return { loss: 0.5 * r2, scale: 0.5 * (p * frobeniusNorm(data.X) + frobeniusNorm(data.Y)) ** 2 };
}

/** Doublings of the step count tried while the loss-monotone check fails or an RK4 run blows up. */
export const MONOTONE_REFINEMENTS = 3;

/**
 * RK4 with n and 2n steps (h·L ≤ 0.25) to T = min(2, 16/L), losses at the n_0 + 1 times of the first grid.
 * Increments ΔL_i = L(t_{i+1}) − L(t_i) from the fine run; each L(t_i) is off by at most e_i ≈ |L_n(t_i) − L_{2n}(t_i)|·16/15
 * (Richardson, order 4), plus round-off 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²). Claim: ΔL_i ≤ b_i := 2(e_i + e_{i+1})
 * + the round-off of both values. Verdict on the i with the largest ΔL_i/b_i.
 * The Richardson estimate holds only once both runs are in RK4's asymptotic regime (the Lipschitz estimate is taken
 * at t = 0, and the flow can stiffen): while the check fails, or a run blows up, the steps are doubled (at most 3
 * times; the fine run becomes the coarse one). A real increase of the loss stays as the bound shrinks like h⁴, so it
 * is refuted only if it persists to the last refinement; after that a blow-up leaves the intervals before it checked,
 * and none at all is inconclusive.
 */
export function checkLossMonotone(instance: FlowInstance, options: { field?: VectorField } = {}): Verdict {
  const field = options.field ?? new DlnGradientField(instance.widths, instance.data);
  const L = lipschitzEstimate(field, instance.weights);
  const T = Math.min(MONOTONE_T, 16 / L);
  const grid = stepCount(T, L, 16);
  const run = (steps: number): { losses: number[]; scales: number[] } => {
    const losses: number[] = [],
      scales: number[] = [];
    const observer = callbackObserver((_s, _t, state) => {
      if (!state.every((m) => m.data.every(Number.isFinite))) {
        losses.push(Infinity);
        scales.push(Infinity);
        return;
      }
      const { loss, scale } = lossWithScale(state, instance.data);
      losses.push(loss);
      scales.push(scale);
    });
    integrateRk4(field, cloneWeights(instance.weights), { t1: T, steps, observer, every: steps / grid });
    return { losses, scales };
  };
  const size = widthSum(instance.widths) + instance.data.X.cols;
  let n = grid,
    coarse = run(n),
    fine = run(2 * n);
  const verdict = (last: boolean): Verdict => {
    const bad = fine.losses.findIndex(
      (l, i) => !Number.isFinite(l) || !Number.isFinite(coarse.losses[i]) || !Number.isFinite(fine.scales[i]),
    );
    const times = bad < 0 ? fine.losses.length : bad;
    let pick = { ratio: -Infinity, delta: 0, bound: 1, i: 0 };
    for (let i = 0; i + 1 < times; i++) {
      const e = (k: number): number =>
        (16 / 15) * Math.abs(coarse.losses[k] - fine.losses[k]) + 8 * size * EPS * (fine.losses[k] + fine.scales[k]);
      const delta = fine.losses[i + 1] - fine.losses[i];
      const bound = 2 * (e(i) + e(i + 1));
      const ratio = delta / bound;
      if (!(ratio <= pick.ratio)) pick = { ratio: Number.isNaN(ratio) ? Infinity : ratio, delta, bound, i };
    }
    const decrease = fine.losses[0] - fine.losses[times - 1];
    const blowUp =
      bad < 0 ? '' : `; RK4 blew up after t_${times - 1}, the ${times - 1} intervals before it are checked`;
    const input = {
      measured: pick.delta,
      bound: pick.bound,
      errorModel: `ΔL_i ≤ 2(e_i + e_{i+1}), e = Richardson estimate (16/15)|L_h − L_{h/2}| of the RK4 error + 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²) = ${fmt(pick.bound)} at interval ${pick.i}; steps doubled (at most ${MONOTONE_REFINEMENTS} times) while it fails`,
      detail: `RK4 ${n}/${2 * n} steps to T = ${fmt(T)}: largest increment relative to its bound ΔL = ${fmt(pick.delta)} on [t_${pick.i}, t_${pick.i + 1}]; total decrease ${fmt(decrease)} (L(0) = ${fmt(fine.losses[0])})${blowUp}`,
    };
    if (bad >= 0 && !last) return inconclusive(input);
    return times < 2
      ? inconclusive({ ...input, detail: `${input.detail}: no interval before the blow-up` })
      : compare(input);
  };
  let v = verdict(false);
  for (let k = 1; k <= MONOTONE_REFINEMENTS && v.status !== 'pass'; k++) {
    n *= 2;
    coarse = fine;
    fine = run(2 * n);
    v = verdict(k === MONOTONE_REFINEMENTS);
  }
  return v;
}

export const LARGE_STEP_STEPS = 10;

/** Largest increase of the loss over 10 GD steps, held to the round-off of evaluating the loss. */
export function checkGdMonotone(instance: StepInstance): Verdict {
  const field = new DlnGradientField(instance.widths, instance.data);
  const state = cloneWeights(instance.weights);
  const gd = new GradientDescent(field, { learningRate: instance.eta });
  const size = widthSum(instance.widths) + instance.data.X.cols;
  let prev = lossWithScale(state, instance.data);
  let worst = { delta: -Infinity, bound: 1, step: 0 };
  for (let s = 1; s <= LARGE_STEP_STEPS; s++) {
    gd.step(state);
    const cur = lossWithScale(state, instance.data);
    const bound = 8 * size * EPS * (prev.loss + cur.loss + prev.scale + cur.scale);
    const delta = Number.isFinite(cur.loss) ? cur.loss - prev.loss : Infinity;
    if (delta / bound > worst.delta / worst.bound || worst.delta === -Infinity) worst = { delta, bound, step: s };
    if (!Number.isFinite(cur.loss)) break;
    prev = cur;
  }
  return compare({
    measured: worst.delta,
    bound: worst.bound,
    errorModel: `monotone ⇒ each increment ≤ round-off of the two loss values: 8·(Σd + m)·ε·(L + ½(Π‖W_j‖‖X‖ + ‖Y‖)²) = ${fmt(worst.bound)}`,
    detail: `GD η = ${instance.eta}, ${LARGE_STEP_STEPS} steps: largest L(k) − L(k−1) = ${fmt(worst.delta)} at step ${worst.step}`,
  });
}
