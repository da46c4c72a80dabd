import fc from 'fast-check';
import { seeded } from '../src/arbitraries/seeded.js';
import { clopperPearson } from '../src/check/statistics.js';
import { compare, inconclusive, type Verdict } from '../src/check/verdict.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { CompletionCost } from '../src/completion/cost.js';
import { fullObservedSet } from '../src/completion/mask.js';
import type { OptimizerSpec } from '../src/completion/optimizers.js';
import { train } from '../src/completion/train.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import { svd } from '../src/linalg/svd.js';
import { endToEnd } from '../src/model/partial-products.js';
import type { PlotSpec } from '../src/report/plot-spec.js';
import { matrixWithSpectrum } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { randomOrthonormal } from '../src/random/orthonormal.js';
import { Rng } from '../src/random/rng.js';
import { BR_SURROGATE_LABEL, brSurrogate, type BrThresholds } from '../src/rank/spectra.js';
import { criticalLambda, separatrix } from './wang-jacot.js';
import { certifyMinimum } from './support/regularized-minimum.js';
import { fmt } from './support/verdict-text.js';

/**
 * wj.jumps-down in WJ's regime (seed: Wang & Jacot, arXiv 2305.16038, abstract): depth L ≥ 3, L2-regularized
 * completion loss F(θ) = C(A_θ) + λ‖θ‖², SGD with one observed entry per step. The start is a CERTIFIED
 * rank-overestimating local minimum: a critical point (gradient at round-off), positive definite Hessian on the
 * complement of the orthogonal gauge orbit (so a local minimum), and of higher F than a lower-rank local minimum of
 * the same loss. SGD trials from it are counted into the lower-rank set (a labelled surrogate of WJ's B_r) and
 * reported as a frequency with a Clopper–Pearson interval; full-batch GD from the same point is the control that
 * stays.
 *
 * The construction: every entry observed, target A* = U diag(y) Vᵀ with a rank-2 signal (y_1, y_2) and a weaker
 * third mode y_3. At a balanced point aligned with A*'s singular vectors the loss decouples into modes
 * φ(s) = (1/d²)(s − y)² + λL s^{2/L}, whose positive equilibria solve s^{1−2/L}(y − s) = λd² (wj.scalar-separatrix
 * with λ' = λd²/2). For L ≥ 3 and λ < λ_c(y_3) mode 3 has two stable states, 0 and s_hi; λ is chosen where
 * φ(s_hi(y_3)) > φ(0), so the rank-3 minimum (mode 3 at s_hi) lies above the rank-2 minimum (mode 3 at 0): it
 * overestimates the rank of the better minimum.
 */

/**
 * The regime: d = 5, L = 3, y = (3, 1.5, 0.8), λ = 0.95·λ_c(y_3), η = 0.1; 8 trials of 40 000 steps.
 * A jump is an activated escape over mode 3's barrier φ(s_lo) − φ(s_hi) (3.0e-4 at 0.95·λ_c, 8.6e-4 at 0.9·λ_c),
 * at a rate exponential in barrier/noise, and the noise along mode 3 depends on how the target's singular vectors
 * meet the coordinates. At 0.9·λ_c some targets jumped in 0 of 16 trials of 400 000 steps (soak seed 88); at
 * 0.95·λ_c, on seeds 1–200 (16 trials each) at most 3 of 16 trials per seed had not jumped by step 40 000, so the
 * chance that all 8 trials miss is about (3/16)^8 ≈ 7e-7 per instance. The certificate and the GD control still hold
 * there (a positive definite Hessian off the gauge orbit; s_lo^{1/3} = 0.49 vs s_hi^{1/3} = 0.67 per layer).
 */
export const JUMP_SETTING = { d: 5, depth: 3, spectrum: [3, 1.5, 0.8], lambdaFraction: 0.95, eta: 0.1, steps: 40000, trials: 8 } as const;

export interface JumpInstance {
  readonly d: number;
  readonly depth: number;
  readonly targetSpectrum: number[];
  readonly target: Matrix;
  /** λ (WJ convention) and its fraction of λ_c(y_3), the largest λ at which mode 3 has a positive minimum. */
  readonly lambda: number;
  readonly lambdaFraction: number;
  readonly eta: number;
  readonly steps: number;
  readonly trials: number;
  /** F_0 = V, F_1..F_{L−1} random orthogonal, F_L = U: the frames of the balanced points (balancedOnFrames). */
  readonly frames: Matrix[];
  /** The rank-3 minimum (each mode at its s_hi), balanced on the frames. */
  readonly start: Matrix[];
  readonly startSpectrum: number[];
  /** The rank-2 comparison point: the same frames with mode 3 at 0. */
  readonly lower: Matrix[];
  /** r of B_r: one below the start's rank. */
  readonly r: number;
  readonly br: BrThresholds;
  readonly seed: number;
}

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

/** Balanced weights W_ℓ = F_ℓ diag(s^{1/L}) F_{ℓ−1}ᵀ with F_0 = V, F_L = U (first k columns) and the given hidden frames. */
export function balancedOnFrames(frames: readonly Matrix[], s: readonly number[], L: number): Matrix[] {
  const k = s.length;
  const cut = frames.map((f) => {
    const out = new Matrix(f.rows, k);
    for (let a = 0; a < f.rows; a++) for (let b = 0; b < k; b++) out.data[a * k + b] = f.data[a * f.cols + b];
    return out;
  });
  const root = Matrix.diag(s.map((x) => Math.pow(x, 1 / L)));
  return Array.from({ length: L }, (_, l) => multiply(multiply(cut[l + 1], root), cut[l], 'n', 't'));
}

/** The stable positive equilibrium s_hi of a mode with target y: s^{1−2/L}(y − s) = λd², i.e. λ' = λd²/2 (0 if none). */
function modeMinimum(y: number, L: number, lambda: number, d: number): number {
  const scalar = (lambda * d * d) / 2;
  return scalar < criticalLambda(y, L) ? separatrix(y, L, scalar).high : 0;
}

/** λ_c of a mode in WJ's completion convention (full observation, mean over d² entries). */
export function completionCriticalLambda(y: number, L: number, d: number): number {
  return (2 * criticalLambda(y, L)) / (d * d);
}

/**
 * One instance = one random target (Haar-like singular vectors, JUMP_SETTING's spectrum), random hidden frames;
 * the rank-3 minimum and the rank-2 comparison point are built on the same frames.
 */
export function jumpInstanceArb(options: JumpOptions = {}): fc.Arbitrary<JumpInstance> {
  const s = JUMP_SETTING;
  return seeded(fc.constant(0), (_p, rng) => {
    const { d, depth: L } = s;
    const spectrum = [...s.spectrum];
    const target = matrixWithSpectrum(rng, d, d, spectrum);
    const t = svd(target);
    const lambda = s.lambdaFraction * completionCriticalLambda(spectrum[2], L, d);
    const startSpectrum = spectrum.map((y) => modeMinimum(y, L, lambda, d));
    const frames = [t.V, ...Array.from({ length: L - 1 }, () => randomOrthonormal(rng, d, d)), t.U];
    const start = balancedOnFrames(frames, startSpectrum, L);
    const lower = balancedOnFrames(frames, startSpectrum.slice(0, 2), L);
    const norm0 = start.reduce((a, w) => a + frobeniusNorm(w) ** 2, 0);
    return {
      d,
      depth: L,
      targetSpectrum: spectrum,
      target,
      lambda,
      lambdaFraction: s.lambdaFraction,
      eta: s.eta,
      steps: options.steps ?? s.steps,
      trials: options.trials ?? s.trials,
      frames,
      start,
      startSpectrum,
      lower,
      r: 2,
      // C = 1.5‖θ_0‖²; ε = 1e-3 per layer is far below mode 3's separatrix (s_lo^{1/L} ≈ 0.2 per layer here);
      // δ = 0.5 sits above the balancedness noise of single-entry SGD at this η.
      br: { normSquared: 1.5 * norm0, epsilon: 1e-3, delta: 0.5 },
      seed: rng.integer(0, 0x7fffffff),
    };
  });
}

/** F(θ) = (1/|I|)Σ_I(A_ij − A*_ij)² + λ‖θ‖². */
function objective(weights: readonly Matrix[], cost: CompletionCost, lambda: number): number {
  return cost.value(endToEnd(weights)) + lambda * weights.reduce((a, w) => a + frobeniusNorm(w) ** 2, 0);
}

/** What the trials and the GD control measured. */
interface TrialRecord {
  jumps: number;
  firstEntries: number[];
  relapse: string;
  /** The first trial that diverged, if any (its observations stop there). */
  divergence: string;
  steps: number[];
  tails: number[][];
}

function runTrials(
  i: JumpInstance,
  start: readonly Matrix[],
  run: { optimizer: OptimizerSpec; batch: 1 | 'full'; trials: number; every: number; gradientHook?: JumpOptions['gradientHook'] },
): TrialRecord {
  const { optimizer, batch, trials, every, gradientHook } = run;
  const cost = new CompletionCost(i.target, fullObservedSet(i.d, i.d));
  const rec: TrialRecord = { jumps: 0, firstEntries: [], relapse: '', divergence: '', steps: [], tails: [] };
  for (let t = 0; t < trials; t++) {
    let entered = -1;
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
        else if (entered >= 0 && b.maxTail > i.br.epsilon && !rec.relapse) {
          rec.relapse = `trial ${t}: entered B_${i.r} at step ${entered}, then s_${i.r + 1} = ${fmt(b.maxTail)} > ε at step ${step}`;
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
  const data = { X: Matrix.identity(i.d), Y: i.target }, kappa = 2 / (i.d * i.d);
  const high = certifyMinimum(start, data, kappa, i.lambda);
  const low = certifyMinimum(i.lower, data, kappa, i.lambda);
  const fHigh = objective(start, cost, i.lambda), fLow = objective(i.lower, cost, i.lambda);
  // F is a sum of O(d²) terms of size ≤ F; a gap above 64d²ε·F is real.
  const gapBound = 64 * i.d * i.d * Number.EPSILON * Math.max(fHigh, fLow);
  const stable = i.eta * high.lambdaMax < 2;
  const text =
    `start (rank 3, s = ${i.startSpectrum.map((x) => x.toPrecision(4)).join(', ')}): ${high.why}; rank-2 point: ${low.why}; ` +
    `F(rank 3) − F(rank 2) = ${fmt(fHigh - fLow)} (round-off ${fmt(gapBound)}); GD-stable: η·λ_max(H) = ${fmt(i.eta * high.lambdaMax)} < 2`;
  return { ok: high.certified && low.certified && fHigh - fLow > gapBound && stable, text };
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
    return inconclusive({ measured: NaN, bound: 0, comparison: '>=', errorModel, detail: `the start is not a certified rank-overestimating minimum, so no jump frequency is measured: ${certificate.text}` });
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
    return inconclusive({ measured: NaN, bound: 0, comparison: '>=', errorModel, detail: `a run diverged, so the frequency is not measured: ${sgd.divergence || gd.divergence}` });
  }
  if (sgd.relapse) return compare({ measured: 1, bound: 0, errorModel, detail: `one-way property violated: ${sgd.relapse}; ${detail}`, data });
  if (!(gdTail >= 0.5 * startTail)) {
    return compare({ measured: gdTail, bound: 0.5 * startTail, comparison: '>=', errorModel: 'the GD control must stay at the certified minimum', detail: `full-batch GD left the certified minimum; ${detail}`, data });
  }
  const input = { measured: ci.lower, bound: 0, comparison: '>=' as const, errorModel, detail, data };
  if (sgd.jumps === 0) return inconclusive({ ...input, detail: `${detail}: no jump within this budget, so it cannot show a positive probability (more trials or steps can)` });
  return compare(input);
}

/** GD runs (each from its own perturbation) and their length in the FALSE variant: GD returns within a few thousand steps. */
const GD_RUNS = 2;
const GD_STEPS = 20000;

/**
 * FALSE neighbour: full-batch GD, started a small random distance (1e-2·‖W‖ per layer) from the same certified
 * minimum, also reaches B_2. Fails when no GD trial jumps and every one returns to the minimum (its s_3 stays ≥ ½
 * of the start's): the minimum is GD-stable, so the jump needs the sampling noise.
 */
export function checkGdJumps(i: JumpInstance, options: JumpOptions = {}): Verdict {
  const trials = options.trials ?? GD_RUNS;
  const rng = new Rng(i.seed);
  const every = Math.max(1, Math.floor(i.steps / 50));
  let jumps = 0, lowest = Infinity;
  const startTail = Math.max(...i.start.map((w) => svd(w).s[i.r]));
  for (let t = 0; t < trials; t++) {
    const start = i.start.map((w) => {
      const noise = gaussianMatrix(rng, w.rows, w.cols, (1e-2 * frobeniusNorm(w)) / Math.sqrt(w.data.length));
      const out = w.clone();
      for (let k = 0; k < out.data.length; k++) out.data[k] += noise.data[k];
      return out;
    });
    const run = runTrials({ ...i, seed: i.seed + t }, start, { optimizer: { kind: 'sgd' }, batch: 'full', trials: 1, every });
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

const summarize = (i: JumpInstance): unknown => ({
  d: i.d,
  depth: i.depth,
  targetSpectrum: i.targetSpectrum,
  startSpectrum: i.startSpectrum.map((x) => Number(x.toPrecision(4))),
  lambda: Number(i.lambda.toPrecision(4)),
  eta: i.eta,
  steps: i.steps,
  trials: i.trials,
  r: i.r,
  br: i.br,
});

const hypotheses = (trials: number, steps: number): string[] => [
  `d = ${JUMP_SETTING.d}, L = ${JUMP_SETTING.depth}, every entry observed, A* = U diag(${JUMP_SETTING.spectrum.join(', ')}) Vᵀ with Haar-like U, V`,
  'start: the balanced point with every mode at its stable equilibrium s_hi (rank 3), random hidden frames; certified a local minimum ' +
    '(gradient at round-off, Hessian positive definite off the gauge orbit) and above the rank-2 local minimum (mode 3 at 0) in F',
  `λ = ${JUMP_SETTING.lambdaFraction}·λ_c(y_3) (λ_c: the largest λ at which mode 3 has a positive minimum), η = ${JUMP_SETTING.eta}, fixed; ` +
    'WJ state the result for λ, η small enough without explicit thresholds, so whether this λ, η is inside them is not known',
  `${trials} single-entry SGD trials of ${steps} steps per instance; ${BR_SURROGATE_LABEL}`,
];

export function jumpsDownClaim(options: JumpOptions = {}): Claim<JumpInstance> {
  const trials = options.trials ?? JUMP_SETTING.trials, steps = options.steps ?? JUMP_SETTING.steps;
  return defineClaim({
    id: 'wj.jumps-down',
    title: 'From a certified rank-overestimating local minimum (L = 3), SGD jumps to lower rank with positive probability; GD stays',
    statement:
      'For L ≥ 3 and small λ, η, SGD on the L2-regularized loss has a positive probability of jumping from a rank-overestimating local minimum into ' +
      'the lower-rank set B_r, and zero probability of leaving B_r again; GD can stall at the minimum. Measured as a frequency over trials with a ' +
      'Clopper–Pearson interval, never as a fixed-budget certainty.',
    source: { paper: 'WJ', location: 'abstract (one-way jumps from high to low rank, absorbing B_r for small λ, η); the theorem numbers were not read; B_r replaced by a labelled surrogate', provenance: 'P' },
    hypotheses: hypotheses(trials, steps),
    instances: jumpInstanceArb(options),
    check: (i: JumpInstance) => checkJumpsDown(i, options),
    expected: 'holds',
    tolerance:
      'Statistical: pass when at least one trial jumped (Clopper–Pearson 95% lower bound > 0); inconclusive when none did or the start is not certified ' +
      '(never a failure: the event may be rare; at this setting at most 3 of 16 trials per seed of 1–200 missed, so all ' +
      `${trials} miss with probability ≈ (3/16)^${trials}); fail when a trial leaves B_r after entering it or GD leaves the certified minimum. ` +
      `Certificate: ‖∇F‖ ≤ 64ε(Σd)(‖∇C‖Π‖W‖ + 2λ‖θ‖); Hessian eigenvalues off the gauge orbit > τ = (2/d²)τ_H + 8n_pε‖H‖. Default ${trials} trials × ${steps} steps.`,
    runs: 1,
    summarize,
  });
}

export const jumpsDownGdClaim = defineClaim({
  ...jumpsDownClaim({ trials: GD_RUNS, steps: GD_STEPS }),
  id: 'wj.jumps-down.gd',
  title: 'FALSE: full-batch GD started next to the rank-overestimating minimum also jumps to lower rank',
  statement:
    'The jump of wj.jumps-down without the sampling noise: full-batch GD with the same λ, η from a small perturbation of the certified rank-3 minimum ' +
    'reaches B_2. FALSE: the minimum is GD-stable (η·λ_max(H) < 2, Hessian positive definite off the gauge orbit), so GD returns to it.',
  source: { paper: 'WJ', location: 'FALSE variant of the abstract\'s contrast "GD might get stuck at rank-overestimating minima"; derived', provenance: 'D' },
  hypotheses: [...hypotheses(GD_RUNS, GD_STEPS).slice(0, 3), `full-batch GD for ${GD_STEPS} steps from ${GD_RUNS} Gaussian perturbations of relative size 1e-2`],
  check: (i: JumpInstance) => checkGdJumps(i),
  expected: 'counterexample',
  tolerance: `Refuted when none of ${GD_RUNS} GD runs enters B_2 (a deterministic run that returns to the minimum).`,
  runs: 1,
});

export const wangJacotJumpClaims: Claim<any>[] = [jumpsDownClaim(), jumpsDownGdClaim];
