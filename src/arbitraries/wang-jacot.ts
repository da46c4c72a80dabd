import fc from 'fast-check';
import { balancedNetwork, plantDeadPerturbation } from '../completion/instances.js';
import { observedPairs, observedSet, randomObservedSet } from '../completion/mask.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { selectColumns, svd } from '../linalg/svd.js';
import { balancedFromFrames } from '../model/balanced-init.js';
import { matrixWithSpectrum } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import type {
  CriticalInstance,
  DeadInstance,
  FlowLimitInstance,
  JumpInstance,
  MinimaInstance,
  RankInstance,
  RankOptimizer,
  RankVariant,
  ScalarInstance,
  SchattenInstance,
} from '../wang-jacot/instances.js';
import { completionCriticalLambda, criticalLambda, modeMinimum } from '../wang-jacot/scalar-mode.js';
import { dimension, seeded, widths as widthsArb } from './seeded.js';

/**
 * Generators of the Wang–Jacot instances (arXiv:2305.16038; the instance types are in src/wang-jacot/instances.ts).
 * Each takes a documented constraints object, draws its shrinkable parameters first and then fills the entries from
 * a seeded Gaussian stream (src/arbitraries/seeded.ts), and has a summarize function for reports.
 */

const round = (x: number): number => Number(x.toPrecision(4));

const rounded = (m: Matrix): number[][] => m.toArray().map((r) => r.map(round));

/**
 * A step size for single-sample SGD on a product-only cost with per-sample curvature ≲ κ·L·M^{2(L−1)} (M bounds the
 * layer norms along the run, κ = 2 for one completion entry, 2/|I| for the full-batch mean) plus the penalty's μ:
 * η = c/(κLM^{2(L−1)} + μ), far inside the stability limit 2/curvature.
 */
function stepSize(depth: number, m: number, mu: number, kappa: number, c: number): number {
  return c / (kappa * depth * Math.pow(m, 2 * (depth - 1)) + mu);
}

export const CRITICAL_LAMBDAS = [0.05, 0.1, 0.2] as const;

/**
 * Widths (depth 2..4, each width 1..4), λ ∈ {0.05, 0.1, 0.2} (or the given λ), observed fraction q/4 ∈ {½, ¾, 1};
 * then a Gaussian target (entries N(0, 1/max(d_0, d_L))), a random mask and an unbalanced Gaussian start with
 * entries N(0, 1/d_{ℓ−1}). Shrinks toward depth 2, width 1, the smallest λ, half the entries observed.
 */
export interface CriticalConstraints {
  /** A fixed λ instead of one of CRITICAL_LAMBDAS (the FALSE variant passes 0). */
  readonly lambda?: number;
}

export function criticalInstanceArb(options: CriticalConstraints = {}): fc.Arbitrary<CriticalInstance> {
  const params = fc.tuple(
    widthsArb({ depth: [2, 4], width: [1, 4] }),
    fc.integer({ min: 0, max: CRITICAL_LAMBDAS.length - 1 }),
    fc.integer({ min: 2, max: 4 }),
  );
  return seeded(params, ([widths, li, q], rng) => {
    const L = widths.length - 1,
      d0 = widths[0],
      dL = widths[L];
    const lambda = options.lambda ?? CRITICAL_LAMBDAS[li];
    const target = gaussianMatrix(rng, dL, d0, 1 / Math.sqrt(Math.max(d0, dL)));
    const mask = randomObservedSet(rng, dL, d0, { fraction: q / 4 });
    const weights = widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], 1 / Math.sqrt(widths[l])));
    const m = Math.max(1, ...weights.map(frobeniusNorm), Math.pow(frobeniusNorm(target), 1 / L));
    const eta = stepSize(L, m, 2 * lambda, 2 / mask.size, 1);
    return { widths, target, mask, lambda, eta, weights, sample: rng.integer(0, mask.size - 1) };
  });
}

export function summarizeCritical(i: CriticalInstance): unknown {
  return {
    widths: i.widths,
    lambda: i.lambda,
    eta: round(i.eta),
    observed: observedPairs(i.mask),
    target: rounded(i.target),
    weights: i.weights.map(rounded),
  };
}

/**
 * Rank r ∈ [1, 3], depth L ∈ [minDepth, 4] (default 1), every width r + [0, 2], spectrum log-spaced with
 * σ_1/σ_r = 10^{q/4} ≤ 10; then A = U diag(σ) Vᵀ (Haar-like).
 */
export interface SchattenConstraints {
  /** Smallest depth L (default 1; the nuclear-norm FALSE variant needs L ≥ 2). */
  readonly minDepth?: number;
}

export function schattenInstanceArb(options: SchattenConstraints = {}): fc.Arbitrary<SchattenInstance> {
  const params = fc.tuple(
    dimension(1, 3),
    dimension(options.minDepth ?? 1, 4),
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }),
    fc.integer({ min: 0, max: 4 }),
  );
  return seeded(params, ([r, L, extra, q], rng) => {
    const widths = Array.from({ length: L + 1 }, (_, l) => r + extra[l]);
    const cond = Math.pow(10, q / 4);
    const spectrum = Array.from({ length: r }, (_, k) => (r === 1 ? 1 : Math.pow(cond, -k / (r - 1))));
    const target = matrixWithSpectrum(rng, widths[L], widths[0], spectrum);
    return { widths, spectrum, target, frameSeed: rng.integer(0, 0x7fffffff), insertions: [1e-3, 0.1, 1] };
  });
}

export function summarizeSchatten(i: SchattenInstance): unknown {
  return { widths: i.widths, spectrum: i.spectrum.map(round), target: rounded(i.target) };
}

/** Depth 3..6 (or exactly 2), y = 0.5 + k/4 ≤ 2, λ = f·λ_c(y, L) with f ∈ {0.1, 0.2, 0.3, 0.5}. */
export interface ScalarConstraints {
  /** A fixed depth instead of L ∈ [3, 6] (the FALSE variant passes 2). */
  readonly depth?: number;
}

export function scalarInstanceArb(options: ScalarConstraints = {}): fc.Arbitrary<ScalarInstance> {
  const fractions = [0.1, 0.2, 0.3, 0.5];
  return fc
    .tuple(
      fc.integer({ min: 3, max: 6 }),
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: fractions.length - 1 }),
    )
    .map(([L0, k, fi]) => {
      const depth = options.depth ?? L0;
      const y = 0.5 + k / 4,
        fraction = fractions[fi];
      return { depth, y, fraction, lambda: fraction * criticalLambda(y, depth) };
    });
}

export const summarizeScalar = (i: ScalarInstance): unknown => ({ ...i, lambda: round(i.lambda) });

export const DEAD_LAMBDAS = [0, 0.01, 0.1] as const;

/** Widths (depth 2..4, width 1..5), dead counts 1..2 per hidden layer (capped at the width), λ ∈ {0, 0.01, 0.1}. */
export function deadInstanceArb(): fc.Arbitrary<DeadInstance> {
  const params = fc.tuple(
    widthsArb({ depth: [2, 4], width: [1, 5] }),
    fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 3, maxLength: 3 }),
    fc.integer({ min: 0, max: 2 }),
  );
  return seeded(params, ([widths, deadRaw, li], rng) => {
    const L = widths.length - 1;
    const dead = widths.slice(1, L).map((d, l) => Math.min(d, deadRaw[l]));
    const weights = widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], 1 / Math.sqrt(widths[l])));
    for (let l = 1; l < L; l++) {
      const d = widths[l],
        below = weights[l - 1],
        above = weights[l];
      for (let k = d - dead[l - 1]; k < d; k++) {
        for (let c = 0; c < below.cols; c++) below.data[k * below.cols + c] = 0;
        for (let r = 0; r < above.rows; r++) above.data[r * above.cols + k] = 0;
      }
    }
    const target = gaussianMatrix(rng, widths[L], widths[0], 1 / Math.sqrt(Math.max(widths[0], widths[L])));
    const mask = randomObservedSet(rng, widths[L], widths[0], { fraction: 0.75 });
    const lambda = DEAD_LAMBDAS[li];
    const m = Math.max(1.2, ...weights.map(frobeniusNorm), Math.pow(frobeniusNorm(target), 1 / L));
    const eta = stepSize(L, m, 2 * lambda, 2, 0.3);
    const rotations = widths.slice(1, L).map((d) => randomOrthonormal(rng, d, d));
    return {
      widths,
      dead,
      target,
      mask,
      lambda,
      eta,
      steps: 200,
      weights,
      rotations,
      seed: rng.integer(0, 0x7fffffff),
    };
  });
}

export function summarizeDead(i: DeadInstance): unknown {
  return { widths: i.widths, dead: i.dead, lambda: i.lambda, eta: round(i.eta), weights: i.weights.map(rounded) };
}

/** Size δ of the planted dead-direction perturbation (per entry) for the absorption measurement. */
export const ABSORPTION_DELTA = 1e-6;

/** The perturbation of the FALSE variant (every singular value of each dead block), above the separatrix. */
export const LARGE_DELTA = 0.3;

export interface RankConstraints {
  /** The claim's family: 'balanced' for the statement, the others for its FALSE variants. */
  readonly variant: RankVariant;
}

/**
 * Parameters first (all shrink toward small): depth, width d, start rank r ∈ [1, d − 1], target rank (≥ r + 1
 * where a rise is possible), observed fraction, optimizer, λ; then the Gaussian stream: target U diag(σ) Vᵀ with σ
 * in [1, 3], the mask, a balanced start with σ in [0.5, 1.5].
 * 'balanced' (the claim): L ∈ [2, 4], optimizer ∈ {gd, sgd, minibatch, momentum, nesterov}, λ ∈ {0, 0.005, 0.02};
 * L = 2 starts are coordinate-aligned (the statement is about exact arithmetic; see two-layers), L ≥ 3 rotated, and
 * the absorption of a δ = 1e-6 dead perturbation is measured when L ≥ 3 and λ > 0.
 */
export function rankInstanceArb(options: RankConstraints): fc.Arbitrary<RankInstance> {
  const v = options.variant;
  const depthRange: [number, number] =
    v === 'two-layers' || v === 'unbalanced-zeros'
      ? [2, 2]
      : v === 'large-perturbation'
        ? [3, 3]
        : v === 'balanced'
          ? [2, 4]
          : [2, 3];
  const optimizers: RankOptimizer[] =
    v === 'adam-rotated'
      ? ['adam']
      : v === 'langevin'
        ? ['langevin']
        : v === 'balanced'
          ? ['sgd', 'gd', 'minibatch', 'momentum', 'nesterov']
          : ['sgd', 'gd'];
  const lambdas = v === 'two-layers' ? [0.001] : v === 'large-perturbation' ? [0.01] : [0.005, 0, 0.02];
  const params = fc.tuple(
    dimension(depthRange[0], depthRange[1]),
    dimension(v === 'unbalanced-zeros' ? 1 : 2, v === 'large-perturbation' ? 4 : 5),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 2, max: 4 }),
    fc.integer({ min: 0, max: optimizers.length - 1 }),
    fc.integer({ min: 0, max: lambdas.length - 1 }),
  );
  return seeded(params, ([L, d, rRaw, tRaw, q, oi, li], rng) => {
    const widths = new Array(L + 1).fill(d);
    const rank = v === 'unbalanced-zeros' ? 0 : 1 + (rRaw % (d - 1));
    const targetRank = v === 'balanced' ? 1 + ((rank - 1 + tRaw) % d) : Math.min(d, rank + 1 + (tRaw % 2));
    const targetSpectrum = Array.from({ length: targetRank }, (_, k) =>
      targetRank === 1 ? 3 : 3 - (2 * k) / (targetRank - 1),
    );
    const target = matrixWithSpectrum(rng, d, d, targetSpectrum);
    const mask = randomObservedSet(rng, d, d, { fraction: q / 4 });
    const aligned = v === 'balanced' && L === 2;
    const startSpectrum = Array.from({ length: rank }, (_, k) => (rank === 1 ? 1 : 1.5 - k / (rank - 1)));
    let start: Matrix[];
    let perturbed: Matrix[] | undefined;
    if (v === 'unbalanced-zeros') start = [new Matrix(d, d), Matrix.identity(d)];
    else {
      const net = balancedNetwork(rng, widths, startSpectrum, { aligned });
      start = net.weights.map((w) => w.clone());
      const lambda = lambdas[li];
      if ((v === 'balanced' && L >= 3 && lambda > 0) || v === 'large-perturbation') {
        plantDeadPerturbation(rng, net, v === 'large-perturbation' ? LARGE_DELTA : ABSORPTION_DELTA);
        perturbed = net.weights;
      }
    }
    const optimizer = optimizers[oi];
    const lambda = lambdas[li];
    const m = 1.2 * Math.max(1, Math.pow(3, 1 / L), Math.pow(1.5, 1 / L));
    const etaScale = v === 'adam-rotated' ? 0.01 : v === 'two-layers' ? 0.1 : stepSize(L, m, 2 * lambda, 2, 0.3);
    const eta = Math.min(0.05, etaScale) * (optimizer === 'gd' ? 5 : 1);
    const steps = v === 'two-layers' ? 4000 : 2000;
    return {
      variant: v,
      widths,
      rank,
      targetSpectrum,
      target,
      mask,
      optimizer,
      lambda,
      eta,
      steps,
      aligned,
      start,
      ...(perturbed ? { perturbed } : {}),
      delta: v === 'large-perturbation' ? LARGE_DELTA : perturbed ? ABSORPTION_DELTA : 0,
      seed: rng.integer(0, 0x7fffffff),
    };
  });
}

export function summarizeRank(i: RankInstance): unknown {
  return {
    variant: i.variant,
    widths: i.widths,
    rank: i.rank,
    targetSpectrum: i.targetSpectrum,
    optimizer: i.optimizer,
    lambda: i.lambda,
    eta: round(i.eta),
    steps: i.steps,
    aligned: i.aligned,
    delta: i.delta,
    start: i.start.map(rounded),
  };
}

/**
 * The regime: d = 5, L = 3, y = (3, 1.5, 0.8), λ = 0.95·λ_c(y_3), η = 0.1; 8 trials of 40 000 steps.
 * A jump is an activated escape over mode 3's barrier φ(s_lo) − φ(s_hi) (3.0e-4 at 0.95·λ_c, 8.6e-4 at 0.9·λ_c),
 * at a rate exponential in barrier/noise, and the noise along mode 3 depends on how the target's singular vectors
 * meet the coordinates. At 0.9·λ_c some targets jumped in 0 of 16 trials of 400 000 steps (soak seed 88); at
 * 0.95·λ_c, on seeds 1–200 (16 trials each) at most 3 of 16 trials per seed had not jumped by step 40 000, so the
 * chance that all 8 trials miss is about (3/16)^8 ≈ 7e-7 per instance. The certificate and the GD control still hold
 * there (a positive definite Hessian off the gauge orbit; s_lo^{1/3} = 0.49 vs s_hi^{1/3} = 0.67 per layer).
 */
export const JUMP_SETTING = {
  d: 5,
  depth: 3,
  spectrum: [3, 1.5, 0.8],
  lambdaFraction: 0.95,
  eta: 0.1,
  steps: 40000,
  trials: 8,
} as const;

/**
 * One instance = one random target (Haar-like singular vectors, JUMP_SETTING's spectrum), random hidden frames;
 * the rank-3 minimum and the rank-2 comparison point are built on the same frames.
 */
export interface JumpConstraints {
  /** SGD trials per instance (default JUMP_SETTING.trials). */
  readonly trials?: number;
  /** Steps per trial (default JUMP_SETTING.steps). */
  readonly steps?: number;
}

export function jumpInstanceArb(options: JumpConstraints = {}): fc.Arbitrary<JumpInstance> {
  const s = JUMP_SETTING;
  return seeded(fc.constant(0), (_p, rng) => {
    const { d, depth: L } = s;
    const spectrum = [...s.spectrum];
    const target = matrixWithSpectrum(rng, d, d, spectrum);
    const t = svd(target);
    const lambda = s.lambdaFraction * completionCriticalLambda(spectrum[2], L, d);
    const startSpectrum = spectrum.map((y) => modeMinimum(y, L, lambda, d));
    const frames = [t.V, ...Array.from({ length: L - 1 }, () => randomOrthonormal(rng, d, d)), t.U];
    const leading = (k: number): Matrix[] =>
      frames.map((f) =>
        selectColumns(
          f,
          Array.from({ length: k }, (_, c) => c),
        ),
      );
    const start = balancedFromFrames(leading(startSpectrum.length), startSpectrum);
    const lower = balancedFromFrames(leading(2), startSpectrum.slice(0, 2));
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

export const summarizeJump = (i: JumpInstance): unknown => ({
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

/** d ∈ [2, 3] (r = d modes, y_i = 3·0.6^i), depth L ∈ [3, 4] (or the given one), λ = f·min_i λ_c(y_i), f ∈ {0.3, 0.6}. */
export interface MinimaConstraints {
  /** A fixed depth instead of L ∈ [3, 4] (the FALSE variant passes 2). */
  readonly depth?: number;
  /** A fixed fraction f of min_i λ_c(y_i) instead of 0.3 or 0.6 (wj.strict-saddles.no-decay passes 0). */
  readonly lambdaFraction?: number;
}

export function minimaInstanceArb(options: MinimaConstraints = {}): fc.Arbitrary<MinimaInstance> {
  return seeded(fc.tuple(dimension(2, 3), dimension(3, 4), fc.integer({ min: 0, max: 1 })), ([d, L0, fi], rng) => {
    const depth = options.depth ?? L0;
    const targetSpectrum = Array.from({ length: d }, (_, i) => 3 * Math.pow(0.6, i));
    const target = matrixWithSpectrum(rng, d, d, targetSpectrum);
    const t = svd(target);
    const frames = [t.V, ...Array.from({ length: depth - 1 }, () => randomOrthonormal(rng, d, d)), t.U];
    const weakest = targetSpectrum[d - 1];
    // λ_c for L = 2 is y/d² (the origin of a mode destabilizes below it): the same formula covers both.
    const lambda = (options.lambdaFraction ?? [0.3, 0.6][fi]) * completionCriticalLambda(weakest, depth, d);
    return { d, depth, targetSpectrum, target, lambda, frames };
  });
}

export const summarizeMinima = (i: MinimaInstance): unknown => ({
  d: i.d,
  depth: i.depth,
  targetSpectrum: i.targetSpectrum.map((y) => Number(y.toPrecision(4))),
  lambda: Number(i.lambda.toPrecision(4)),
});

/**
 * The regime of wj.gd-limit-overestimates-rank: L = 3, λ = 0.01, η = 0.3 near the limits (η·λ_max(H) ≈ 0.6 there,
 * well inside GD's stability limit 2; smaller while the layers are large, src/wang-jacot/gd-limit.ts), 3 runs from
 * N(0, 1/d) starts (LeCun's scale), at most 20 000 steps each (the runs reach round-off in about 5 500).
 */
export const FLOW_LIMIT_SETTING = { depth: 3, lambda: 0.01, eta: 0.3, runs: 3, budget: 20000 } as const;

export interface FlowLimitConstraints {
  /** Entrywise standard deviation of the starts (default 1/√2, LeCun's N(0, 1/d)). */
  readonly initScale?: number;
}

/**
 * A 2×2 target with one entry unobserved: the observed entries b, c beside it (|b|, |c| ∈ [0.8, 1.2]) and e
 * opposite it (|e| ∈ [0.05, 0.15]), random signs and position. Its only rank-1 completion puts bc/e (|bc/e| ≥ 4)
 * in the gap, far from the typical start's product, while the completions near 0 have rank 2.
 */
export function flowLimitInstanceArb(options: FlowLimitConstraints = {}): fc.Arbitrary<FlowLimitInstance> {
  const s = FLOW_LIMIT_SETTING,
    d = 2;
  return seeded(fc.integer({ min: 0, max: 3 }), (gap, rng) => {
    const p = gap >> 1,
      q = gap & 1;
    const signed = (lo: number, hi: number): number =>
      (rng.uniform() < 0.5 ? -1 : 1) * (lo + (hi - lo) * rng.uniform());
    const b = signed(0.8, 1.2),
      c = signed(0.8, 1.2),
      e = signed(0.05, 0.15);
    const completion = new Matrix(d, d);
    completion.data[p * d + q] = (b * c) / e;
    completion.data[p * d + (1 - q)] = b;
    completion.data[(1 - p) * d + q] = c;
    completion.data[(1 - p) * d + (1 - q)] = e;
    const observed: [number, number][] = [0, 1, 2, 3].filter((k) => k !== gap).map((k) => [k >> 1, k & 1]);
    const initScale = options.initScale ?? 1 / Math.sqrt(d);
    const starts = Array.from({ length: s.runs }, () =>
      Array.from({ length: s.depth }, () => gaussianMatrix(rng, d, d, initScale)),
    );
    return {
      depth: s.depth,
      target: completion.clone(),
      mask: observedSet(d, d, observed),
      completion,
      lambda: s.lambda,
      eta: s.eta,
      initScale,
      starts,
      budget: s.budget,
    };
  });
}

/** The target with its unobserved entry shown as null. */
export const summarizeFlowLimit = (i: FlowLimitInstance): unknown => ({
  observed: rounded(i.target).map((row, a) =>
    row.map((x, b) => (observedPairs(i.mask).some(([p, q]) => p === a && q === b) ? x : null)),
  ),
  lambda: i.lambda,
  eta: i.eta,
  initScale: round(i.initScale),
});
