import type { PlotSpec } from '../check/plot-spec.js';
import { clopperPearson } from '../check/statistics.js';
import { compare, inconclusive, type Verdict } from '../check/verdict.js';
import { CompletionCost } from '../completion/cost.js';
import { fullObservedSet } from '../completion/mask.js';
import type { OptimizerSpec } from '../completion/optimizers.js';
import { train } from '../completion/train.js';
import { sci as fmt } from '../format.js';
import { certifyMinimum } from '../landscape/regularized-minimum.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd.js';
import { endToEnd } from '../model/partial-products.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { Rng } from '../random/rng.js';
import { BR_SURROGATE_LABEL, brSurrogate } from '../rank/spectra.js';
import type { JumpInstance } from './instances.js';

export interface JumpOptions {
  /** SGD trials per instance (default JUMP_SETTING.trials): more trials narrow the Clopper–Pearson interval. */
  readonly trials?: number;
  /** Steps per trial (default JUMP_SETTING.steps). */
  readonly steps?: number;
  /** Replace SGD (tests: Langevin noise must break the one-way part). */
  readonly optimizer?: OptimizerSpec;
  /** Run the trials from this point instead of the certified minimum (tests: a saddle must not be certified). */
  readonly start?: (i: JumpInstance) => Matrix[];
  /** Called with every SGD gradient before it is applied (tests: a push back out of B_r must fail the one-way part). */
  readonly gradientHook?: (step: number, state: readonly Matrix[], gradient: readonly Matrix[]) => void;
}

/** F(θ) = (1/|I|)Σ_I(A_ij − A*_ij)² + λ‖θ‖². */
function objective(weights: readonly Matrix[], cost: CompletionCost, lambda: number): number {
  return cost.value(endToEnd(weights)) + lambda * weights.reduce((a, w) => a + frobeniusNorm(w) ** 2, 0);
}

/** What the trials and the GD control measured. */
interface TrialRecord {
  jumps: number;
  firstEntries: number[];
  /** The first trial that left B_r after entering it, and how many did. */
  relapse: string;
  relapses: number;
  /** The first trial that diverged, if any (its observations stop there). */
  divergence: string;
  steps: number[];
  tails: number[][];
}

function runTrials(
  i: JumpInstance,
  start: readonly Matrix[],
  run: {
    optimizer: OptimizerSpec;
    batch: 1 | 'full';
    trials: number;
    every: number;
    gradientHook?: JumpOptions['gradientHook'];
  },
): TrialRecord {
  const { optimizer, batch, trials, every, gradientHook } = run;
  const cost = new CompletionCost(i.target, fullObservedSet(i.d, i.d));
  const rec: TrialRecord = {
    jumps: 0,
    firstEntries: [],
    relapse: '',
    relapses: 0,
    divergence: '',
    steps: [],
    tails: [],
  };
  for (let t = 0; t < trials; t++) {
    let entered = -1,
      left = false;
    const series: number[] = [];
    rec.tails.push(series);
    const result = train({
      cost,
      weights: start,
      optimizer,
      batch,
      seed: ((i.seed + 7919 * t) >>> 0) & 0x7fffffff,
      phases: [{ steps: i.steps, learningRate: i.eta, lambda: i.lambda }],
      every,
      recorder: false,
      ...(gradientHook ? { gradientHook } : {}),
      observer: (step, state) => {
        const b = brSurrogate(state, i.r, i.br);
        if (t === 0) rec.steps.push(step);
        series.push(b.maxTail);
        if (entered < 0 && b.member) entered = step;
        else if (entered >= 0 && b.maxTail > i.br.epsilon && !left) {
          left = true;
          rec.relapses++;
          rec.relapse ||=
            `trial ${t}: entered B_${i.r} at step ${entered}, ` +
            `then s_${i.r + 1} = ${fmt(b.maxTail)} > ε at step ${step}`;
        }
      },
    });
    if (result.status === 'diverged' && !rec.divergence) rec.divergence = `trial ${t}: ${result.divergence!.reason}`;
    if (entered >= 0) {
      rec.jumps++;
      rec.firstEntries.push(entered);
    }
  }
  return rec;
}

/** The certified start, or why it is not one: critical, a local minimum, above the lower-rank minimum. */
function certifyStart(i: JumpInstance, start: readonly Matrix[]): { ok: boolean; text: string } {
  const cost = new CompletionCost(i.target, fullObservedSet(i.d, i.d));
  const data = { X: Matrix.identity(i.d), Y: i.target },
    kappa = 2 / (i.d * i.d);
  const high = certifyMinimum(start, data, kappa, i.lambda);
  const low = certifyMinimum(i.lower, data, kappa, i.lambda);
  const fHigh = objective(start, cost, i.lambda),
    fLow = objective(i.lower, cost, i.lambda);
  // F is a sum of O(d²) terms of size ≤ F; a gap above 64d²ε·F is real.
  const gapBound = 64 * i.d * i.d * Number.EPSILON * Math.max(fHigh, fLow);
  const stable = i.eta * high.lambdaMax < 2;
  const text =
    `start (rank 3, s = ${i.startSpectrum.map((x) => x.toPrecision(4)).join(', ')}): ${high.why}; rank-2 point: ${low.why}; ` +
    `F(rank 3) − F(rank 2) = ${fmt(fHigh - fLow)} (round-off ${fmt(gapBound)}); GD-stable: η·λ_max(H) = ${fmt(i.eta * high.lambdaMax)} < 2`;
  return { ok: high.certified && low.certified && fHigh - fLow > gapBound && stable, text };
}

/**
 * Absorption as a probability: of the trials that entered B_r, how many left it again, with the Clopper–Pearson 95%
 * upper bound on the probability of leaving (WJ: 0 for small λ, η).
 */
function absorption(rec: TrialRecord, r: number): string {
  if (rec.jumps === 0) return '';
  const upper = clopperPearson(rec.relapses, rec.jumps, 0.95).upper;
  const left = `${rec.relapses}/${rec.jumps} trials that entered B_${r} left it`;
  return `; absorption: ${left} (95% upper bound ${upper.toPrecision(3)})`;
}

/**
 * Frequencies over seeds, never a fixed-budget assertion. Preconditions (else inconclusive, with why): the start is a
 * certified local minimum of rank 3, the rank-2 point is a certified local minimum with lower F, and GD is stable
 * there (η·λ_max(H) < 2). Then n single-entry SGD trials at fixed λ, η: a trial "jumped" when it entered the B_2
 * surrogate; the frequency is reported with its Clopper–Pearson 95% interval. Fail: a trial left B_2 after entering
 * it (one-way property), or full-batch GD left the minimum (the control must stall there: max_ℓ s_3(W_ℓ) ≥ ½ of
 * the start's). Pass: at least one jump (lower end > 0). No jump: inconclusive (the budget cannot decide).
 */
export function checkJumpsDown(i: JumpInstance, options: JumpOptions = {}): Verdict {
  const start = options.start ? options.start(i) : i.start;
  const trials = options.trials ?? i.trials;
  const every = Math.max(1, Math.floor(i.steps / 50));
  const optimizer = options.optimizer ?? { kind: 'sgd' };
  const certificate = certifyStart(i, start);
  const errorModel = `Clopper–Pearson 95% interval over ${trials} trials; ${BR_SURROGATE_LABEL} with C = 1.5‖θ_0‖², ε = ${i.br.epsilon}, δ = ${i.br.delta}`;
  if (!certificate.ok) {
    return inconclusive({
      measured: NaN,
      bound: 0,
      comparison: '>=',
      errorModel,
      detail: `the start is not a certified rank-overestimating minimum, so no jump frequency is measured: ${certificate.text}`,
    });
  }
  const sgd = runTrials(i, start, { optimizer, batch: 1, trials, every, gradientHook: options.gradientHook });
  const gd = runTrials(i, start, { optimizer: { kind: 'sgd' }, batch: 'full', trials: 1, every });
  const gdTail = gd.tails[0][gd.tails[0].length - 1];
  const startTail = gd.tails[0][0];
  const name = optimizer.kind === 'sgd' ? 'SGD' : optimizer.kind;
  const ci = clopperPearson(sgd.jumps, trials, 0.95);
  const interval = `[${ci.lower.toPrecision(3)}, ${ci.upper.toPrecision(3)}]`;
  const detail =
    `${sgd.jumps}/${trials} ${name} trials jumped from the rank-3 minimum into B_${i.r} (frequency ${ci.estimate.toFixed(3)}, 95% Clopper–Pearson ${interval}) ` +
    `within ${i.steps} steps at η = ${i.eta}, λ = ${i.lambda.toPrecision(4)} (${i.lambdaFraction}·λ_c(y_3))` +
    `${sgd.firstEntries.length ? `; first entries at steps ${sgd.firstEntries.slice(0, 8).join(', ')}${sgd.firstEntries.length > 8 ? ', …' : ''}` : ''}` +
    absorption(sgd, i.r) +
    `; full-batch GD: max_ℓ s_3(W_ℓ) ${fmt(startTail)} → ${fmt(gdTail)}; certificate: ${certificate.text}`;
  const plot: PlotSpec = {
    title: `wj.jumps-down: max_ℓ s_3(W_ℓ) per trial (d = ${i.d}, L = ${i.depth}, λ = ${i.lambda.toPrecision(3)}, η = ${i.eta})`,
    x: { label: 'step', scale: 'linear' },
    y: { label: 'max_ℓ s_3(W_ℓ)', scale: 'log' },
    series: [
      ...sgd.tails.map((y, t) => ({ name: `${name} trial ${t + 1}`, x: sgd.steps.slice(0, y.length), y })),
      { name: 'full-batch GD', x: gd.steps.slice(0, gd.tails[0].length), y: gd.tails[0], style: 'dashed' as const },
      { name: `ε of B_${i.r} (surrogate)`, x: [0, i.steps], y: [i.br.epsilon, i.br.epsilon], style: 'dashed' as const },
    ],
  };
  const data = { ...ci, successes: sgd.jumps, trials, gdTail, surrogate: BR_SURROGATE_LABEL, thresholds: i.br, plot };
  if (sgd.divergence || gd.divergence) {
    return inconclusive({
      measured: NaN,
      bound: 0,
      comparison: '>=',
      errorModel,
      detail: `a run diverged, so the frequency is not measured: ${sgd.divergence || gd.divergence}`,
    });
  }
  if (sgd.relapse)
    return compare({
      measured: 1,
      bound: 0,
      errorModel,
      detail: `one-way property violated: ${sgd.relapse}; ${detail}`,
      data,
    });
  if (!(gdTail >= 0.5 * startTail)) {
    return compare({
      measured: gdTail,
      bound: 0.5 * startTail,
      comparison: '>=',
      errorModel: 'the GD control must stay at the certified minimum',
      detail: `full-batch GD left the certified minimum; ${detail}`,
      data,
    });
  }
  const input = { measured: ci.lower, bound: 0, comparison: '>=' as const, errorModel, detail, data };
  if (sgd.jumps === 0)
    return inconclusive({
      ...input,
      detail: `${detail}: no jump within this budget, so it cannot show a positive probability (more trials or steps can)`,
    });
  return compare(input);
}

/** GD runs (each from its own perturbation) and their length in the FALSE variant: GD returns within a few thousand steps. */
export const GD_RUNS = 2;

export const GD_STEPS = 20000;

/**
 * FALSE neighbour: full-batch GD, started a small random distance (1e-2·‖W‖ per layer) from the same certified
 * minimum, also reaches B_2. Fails when no GD trial jumps and every one returns to the minimum (its s_3 stays ≥ ½
 * of the start's): the minimum is GD-stable, so the jump needs the sampling noise.
 */
export function checkGdJumps(i: JumpInstance, options: JumpOptions = {}): Verdict {
  const trials = options.trials ?? GD_RUNS;
  const rng = new Rng(i.seed);
  const every = Math.max(1, Math.floor(i.steps / 50));
  let jumps = 0,
    lowest = Infinity;
  const startTail = Math.max(...i.start.map((w) => svd(w).s[i.r]));
  for (let t = 0; t < trials; t++) {
    const start = i.start.map((w) => {
      const noise = gaussianMatrix(rng, w.rows, w.cols, (1e-2 * frobeniusNorm(w)) / Math.sqrt(w.data.length));
      const out = w.clone();
      for (let k = 0; k < out.data.length; k++) out.data[k] += noise.data[k];
      return out;
    });
    const run = runTrials({ ...i, seed: i.seed + t }, start, {
      optimizer: { kind: 'sgd' },
      batch: 'full',
      trials: 1,
      every,
    });
    jumps += run.jumps;
    lowest = Math.min(lowest, run.tails[0][run.tails[0].length - 1]);
  }
  return compare({
    measured: jumps,
    bound: 1,
    comparison: '>=',
    errorModel: `${trials} GD runs from 1e-2-relative Gaussian perturbations of the certified minimum, ${i.steps} steps at η = ${i.eta}`,
    detail: `${jumps}/${trials} GD runs reached B_${i.r}; lowest final max_ℓ s_3(W_ℓ) = ${fmt(lowest)} (start ${fmt(startTail)})`,
  });
}
