import { UsageError } from '../errors.js';
import { checkInput, inputMatrix } from '../json/input.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd.js';
import type { LossScale } from '../model/loss.js';
import { shapesFor } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import { matrixWithSpectrum } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { Rng } from '../random/rng.js';
import { describeRank, largestGap, type RankReading, readRank } from '../rank/numerical-rank.js';
import type { RankTrajectory } from '../rank/recorder.js';
import { simulationConfigSchema } from './config-schema.js';
import { CompletionCost, type ProductCost, RegressionCost } from './cost.js';
import { balancedNetwork } from './instances.js';
import { fullObservedSet, type ObservedSet, observedPairs, observedSet, randomObservedSet } from './mask.js';
import { normalizeOptimizer, type OptimizerSpec } from './optimizers.js';
import { type BatchSize, type Divergence, type Phase, train } from './train.js';
import { convertDecay, type DecayConvention } from './weight-decay.js';

/**
 * The configuration of `dlnv simulate` as JSON, checked against its schema (config-schema.ts): every problem is a
 * one-line UsageError naming the field (`config.phases[0].lr: expected a finite number > 0, found -0.1`). Bare NaN /
 * Infinity tokens (as Python's json writes them) and overflowing literals such as 1e999 are caught and named, never run.
 *
 * {
 *   "seed": 1,
 *   "network": { "depth": 3, "width": 8 }            or { "widths": [d_0, …, d_L] }
 *   "task": { "kind": "completion",
 *             "target": { "spectrum": [4, 2, 1] } | { "rank": 2 } | [[…], …],
 *             "mask": { "fraction": 0.5 } | "all" | [[i, j], …] }     (0-based indices)
 *         | { "kind": "regression", "X": [[…]], "Y": [[…]], "scale": "half" | "sum" | "mean" }
 *         | { "kind": "regression", "samples": 20, "target": { "rank": 2 } }
 *   "init": { "kind": "gaussian", "scale": 0.3 }     entries N(0, scale²/d_{ℓ−1})
 *         | { "kind": "balanced", "spectrum": [1, 1, 1] } | { "kind": "balanced", "rank": 3 } (aligned: false)
 *         | { "kind": "weights", "weights": [W_1, …, W_L] }
 *   "optimizer": { "kind": "sgd", "momentum": 0, "nesterov": false } | { "kind": "adam" } | { "kind": "rmsprop" }
 *              | { "kind": "sign" } | { "kind": "langevin", "temperature": 1e-6 },
 *   "batch": 1 | "full",
 *   "decay": "wj" | "canonical",                      λ‖θ‖² (default) or (λ/2)‖θ‖²
 *   "phases": [{ "steps": 8000, "lr": 0.08, "lambda": 0.0104 }, …]   or "steps", "lr", "lambda" at the top level
 *   "every": 100, "rankTolerance": 1e-6
 * }
 */
export interface SimulationConfig {
  readonly seed: number;
  readonly widths: number[];
  readonly cost: ProductCost;
  readonly taskDescription: string;
  readonly weights: Matrix[];
  readonly initDescription: string;
  readonly optimizer: OptimizerSpec;
  readonly batch: BatchSize;
  readonly convention: DecayConvention;
  readonly phases: Phase[];
  readonly every: number;
  readonly rankTolerance: number;
  /** σ_1 of the target (completion) or of YXᵀ(XXᵀ)⁻¹-free scale: the product's rank reference. */
  readonly reference: number;
  /** The normalized configuration, JSON-ready (what the output echoes and what replays the run). */
  readonly echo: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function fail(field: string, message: string): never {
  throw new UsageError(`${field}: ${message}`);
}

/** A matrix of the config (schema-checked) that must be rows×cols. */
function sizedMatrix(v: unknown, field: string, rows: number, cols: number, what: string): Matrix {
  const m = inputMatrix(v, field);
  if (m.rows !== rows || m.cols !== cols) fail(field, `expected ${rows}×${cols} (${what}), received ${m.shape}`);
  return m;
}

/** Rethrow a library's argument error (DomainError naming the config field) as a UsageError. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export interface ConfigOverrides {
  readonly depth?: number;
  readonly width?: number;
  readonly steps?: number;
  readonly lr?: number;
  readonly lambda?: number;
  readonly decay?: DecayConvention;
  readonly optimizer?: OptimizerSpec;
  readonly batch?: BatchSize;
  readonly seed?: number;
  readonly every?: number;
  readonly rankTolerance?: number;
}

/** The network's widths [d_0, …, d_L]: config.network.widths, or depth and width (config or command line). */
function readWidths(net: Json, overrides: ConfigOverrides): number[] {
  if (net.widths === undefined) {
    const depth = overrides.depth ?? (net.depth as number | undefined) ?? 3;
    return new Array(depth + 1).fill(overrides.width ?? (net.width as number | undefined) ?? 8);
  }
  if (net.depth !== undefined || net.width !== undefined)
    fail('config.network', 'give either widths or depth/width, not both');
  if (overrides.depth !== undefined || overrides.width !== undefined)
    fail('--depth/--width', 'cannot override config.network.widths; edit the config');
  return net.widths as number[];
}

/** A rows×cols target: the given matrix, or a random one with the given spectrum (or rank, σ = 1). */
function readTarget(
  rng: Rng,
  v: unknown,
  field: string,
  rows: number,
  cols: number,
): { target: Matrix; echo: unknown } {
  const t = (v ?? { spectrum: [4, 2, 1].slice(0, Math.min(rows, cols)) }) as Json;
  if (Array.isArray(t) || 'shape' in t) {
    const m = sizedMatrix(t, field, rows, cols, 'd_L×d_0 of the network');
    return { target: m, echo: m.toArray() };
  }
  const spectrum = (t.spectrum as number[] | undefined) ?? new Array((t.rank as number | undefined) ?? 1).fill(1);
  if (spectrum.length > Math.min(rows, cols))
    fail(
      `${field}.${t.spectrum !== undefined ? 'spectrum' : 'rank'}`,
      `rank ${spectrum.length} does not fit a ${rows}×${cols} target`,
    );
  return { target: matrixWithSpectrum(rng, rows, cols, spectrum), echo: { spectrum } };
}

interface TaskReading {
  readonly cost: ProductCost;
  readonly description: string;
  readonly echo: Record<string, unknown>;
  /** σ_1 of the target (completion), 0 for regression: the product's rank reference. */
  readonly reference: number;
}

/** Matrix completion: a target and the observed set ('all', the given pairs, or a random fraction). */
function readCompletion(rng: Rng, task: Json, dL: number, d0: number): TaskReading {
  const { target, echo } = readTarget(rng, task.target, 'config.task.target', dL, d0);
  let mask: ObservedSet, maskEcho: unknown;
  const m = task.mask ?? { fraction: 0.5 };
  if (m === 'all') [mask, maskEcho] = [fullObservedSet(dL, d0), 'all'];
  else if (Array.isArray(m)) {
    mask = asUsage(() => observedSet(dL, d0, m as [number, number][], 'config.task.mask'));
    maskEcho = observedPairs(mask);
  } else {
    const fraction = ((m as Json).fraction as number | undefined) ?? 0.5;
    mask = randomObservedSet(rng, dL, d0, { fraction });
    maskEcho = { fraction, entries: observedPairs(mask) };
  }
  const s = svd(target).s,
    reference = s[0];
  const sigma = Array.from(s)
    .filter((x) => x > 1e-12 * reference)
    .map((x) => x.toPrecision(3))
    .join(', ');
  return {
    cost: new CompletionCost(target, mask),
    description: `completion of a ${dL}×${d0} target (σ = ${sigma}) from ${mask.size} observed entries`,
    echo: { kind: 'completion', target: echo, mask: maskEcho },
    reference,
  };
}

/** Regression: the given X and Y, or Gaussian samples X and Y = target·X. */
function readRegression(rng: Rng, task: Json, dL: number, d0: number): TaskReading {
  const scale = (task.scale ?? 'half') as LossScale;
  let X: Matrix, Y: Matrix;
  if (task.X !== undefined || task.Y !== undefined) {
    if (task.samples !== undefined || task.target !== undefined)
      fail('config.task', 'give either X and Y, or samples and target');
    if (task.X === undefined || task.Y === undefined)
      fail('config.task', 'give both X (d_0 × samples) and Y (d_L × samples)');
    X = inputMatrix(task.X, 'config.task.X');
    if (X.rows !== d0) fail('config.task.X', `expected ${d0} rows (d_0), received ${X.shape}`);
    Y = sizedMatrix(task.Y, 'config.task.Y', dL, X.cols, 'd_L × samples');
  } else {
    const m = (task.samples as number | undefined) ?? 4 * d0;
    const { target } = readTarget(rng, task.target, 'config.task.target', dL, d0);
    X = gaussianMatrix(rng, d0, m, 1 / Math.sqrt(m));
    Y = new Matrix(dL, m);
    for (let i = 0; i < dL; i++)
      for (let n = 0; n < m; n++)
        for (let p = 0; p < d0; p++) Y.data[i * m + n] += target.data[i * d0 + p] * X.data[p * m + n];
  }
  const cost = new RegressionCost(X, Y, scale);
  return {
    cost,
    description: `regression on ${X.cols} samples, ${cost.formula}`,
    echo: { kind: 'regression', scale, X: X.toArray(), Y: Y.toArray() },
    reference: 0,
  };
}

/** The initial weights: balanced with a spectrum (or rank), given, or Gaussian N(0, scale²/d_{ℓ−1}). */
function readInit(
  rng: Rng,
  init: Json,
  widths: number[],
): { weights: Matrix[]; description: string; echo: Record<string, unknown> } {
  const L = widths.length - 1;
  if (init.kind === 'balanced') {
    const spectrum =
      (init.spectrum as number[] | undefined) ?? new Array((init.rank as number | undefined) ?? 1).fill(1);
    if (spectrum.length > Math.min(...widths))
      fail(
        `config.init.${init.spectrum !== undefined ? 'spectrum' : 'rank'}`,
        `rank ${spectrum.length} exceeds the narrowest width ${Math.min(...widths)}`,
      );
    const aligned = init.aligned === true;
    return {
      weights: balancedNetwork(rng, widths, spectrum, { aligned }).weights,
      description: `balanced, rank ${spectrum.length} (σ = ${spectrum.join(', ')}), ${aligned ? 'coordinate-aligned' : 'random'} hidden frames`,
      echo: { kind: 'balanced', spectrum, aligned },
    };
  }
  if (init.kind === 'weights') {
    const given = init.weights as unknown[];
    if (given.length !== L) fail('config.init.weights', `expected ${L} matrices W_1..W_${L}, received ${given.length}`);
    const weights = given.map((w, l) =>
      sizedMatrix(w, `config.init.weights[${l}]`, widths[l + 1], widths[l], `d_${l + 1}×d_${l}`),
    );
    return {
      weights,
      description: 'given weights',
      echo: { kind: 'weights', weights: weights.map((w) => w.toArray()) },
    };
  }
  const scale = (init.scale as number | undefined) ?? 0.3;
  return {
    weights: widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], scale / Math.sqrt(widths[l]))),
    description: `Gaussian, entries N(0, ${scale}²/d_{ℓ−1})`,
    echo: { kind: 'gaussian', scale },
  };
}

/** The schedule: config.phases (one phase may be overridden), or one phase of steps, lr and lambda. */
function readPhases(c: Json, overrides: ConfigOverrides): Phase[] {
  if (c.phases === undefined) {
    return [
      {
        steps: overrides.steps ?? (c.steps as number | undefined) ?? 20000,
        learningRate: overrides.lr ?? (c.lr as number | undefined) ?? 0.02,
        lambda: overrides.lambda ?? (c.lambda as number | undefined) ?? 0.01,
      },
    ];
  }
  if (c.steps !== undefined || c.lr !== undefined || c.lambda !== undefined)
    fail('config', 'give either phases or steps/lr/lambda, not both');
  const phases = (c.phases as Json[]).map((p) => ({
    steps: p.steps as number,
    learningRate: p.lr as number,
    lambda: (p.lambda as number | undefined) ?? 0,
  }));
  if (overrides.steps === undefined && overrides.lr === undefined && overrides.lambda === undefined) return phases;
  if (phases.length > 1)
    fail('--steps/--lr/--lambda', `cannot override a ${phases.length}-phase schedule; edit config.phases`);
  return [
    {
      steps: overrides.steps ?? phases[0].steps,
      learningRate: overrides.lr ?? phases[0].learningRate,
      lambda: overrides.lambda ?? phases[0].lambda,
    },
  ];
}

/** Build the run from a parsed JSON value (or {}) and command-line overrides; field errors name `config.<path>`. */
export function simulationConfig(raw: unknown, overrides: ConfigOverrides = {}): SimulationConfig {
  const c = (raw ?? {}) as Json;
  checkInput(simulationConfigSchema, c, 'config', { field: 'config' });
  const seed = overrides.seed ?? (c.seed as number | undefined) ?? 1;
  const rng = new Rng(seed); // drawn in this order: task (target, mask or samples), then init
  const widths = readWidths((c.network ?? {}) as Json, overrides);
  shapesFor(widths);
  const d0 = widths[0],
    dL = widths[widths.length - 1];
  const task = (c.task ?? { kind: 'completion' }) as Json;
  const {
    cost,
    description: taskDescription,
    echo: taskEcho,
    reference,
  } = task.kind === 'regression' ? readRegression(rng, task, dL, d0) : readCompletion(rng, task, dL, d0);
  const {
    weights,
    description: initDescription,
    echo: initEcho,
  } = readInit(rng, (c.init ?? { kind: 'gaussian' }) as Json, widths);
  const optimizer =
    overrides.optimizer ??
    (c.optimizer === undefined
      ? { kind: 'sgd' as const }
      : asUsage(() => normalizeOptimizer(c.optimizer as OptimizerSpec, 'config.optimizer')));
  const batch: BatchSize = overrides.batch ?? (c.batch as BatchSize | undefined) ?? 1;
  const convention = overrides.decay ?? (c.decay as DecayConvention | undefined) ?? 'wj';
  const phases = readPhases(c, overrides);
  const total = phases.reduce((s, p) => s + p.steps, 0);
  const every = overrides.every ?? (c.every as number | undefined) ?? Math.max(1, Math.floor(total / 200));
  const rankTolerance = overrides.rankTolerance ?? (c.rankTolerance as number | undefined) ?? 1e-6;
  const echo: Record<string, unknown> = {
    seed,
    network: { widths },
    task: taskEcho,
    init: initEcho,
    optimizer: normalizeOptimizer(optimizer),
    batch,
    decay: convention,
    phases: phases.map((p) => ({ steps: p.steps, lr: p.learningRate, lambda: p.lambda })),
    every,
    rankTolerance,
  };
  return {
    seed,
    widths,
    cost,
    taskDescription,
    weights,
    initDescription,
    optimizer,
    batch,
    convention,
    phases,
    every,
    rankTolerance,
    reference,
    echo,
  };
}

export interface SimulationResult {
  readonly status: 'completed' | 'diverged';
  readonly steps: number;
  readonly seconds: number;
  readonly divergence?: Divergence;
  readonly trajectory: RankTrajectory;
  readonly weights: Matrix[];
  /** The product's rank at the last observation, with threshold and gap, and the threshold-free largest gap. */
  readonly finalRank?: RankReading & { readonly text: string; readonly largestGap: { rank: number; ratio: number } };
}

/** Run the configured training with the rank recorder; `onStep(step, total)` is told at every observation. */
export function runSimulation(
  config: SimulationConfig,
  onStep?: (step: number, total: number) => void,
): SimulationResult {
  const total = config.phases.reduce((s, p) => s + p.steps, 0);
  const r = train({
    cost: config.cost,
    weights: config.weights,
    optimizer: config.optimizer,
    batch: config.batch,
    convention: config.convention,
    seed: config.seed,
    phases: config.phases,
    every: config.every,
    recorder: { rankTolerance: config.rankTolerance, productReference: config.reference },
    ...(onStep ? { observer: (step: number) => onStep(step, total) } : {}),
  });
  const t = r.trajectory!;
  const last = t.productSingularValues.length - 1;
  let finalRank: SimulationResult['finalRank'];
  if (last >= 0) {
    const s = t.productSingularValues[last];
    const reading = readRank(s, config.rankTolerance, { reference: config.reference });
    finalRank = { ...reading, text: describeRank(reading), largestGap: largestGap(s) };
  }
  return {
    status: r.status,
    steps: r.steps,
    seconds: r.seconds,
    ...(r.divergence ? { divergence: r.divergence } : {}),
    trajectory: t,
    weights: r.weights,
    ...(finalRank ? { finalRank } : {}),
  };
}

/** The decay convention statement printed with every run. */
export function decayStatement(convention: DecayConvention, lambda: number): string {
  const other = convertDecay({ lambda, convention }, convention === 'wj' ? 'canonical' : 'wj');
  return convention === 'wj'
    ? `WJ: λ‖θ‖² with λ = ${lambda} (gradient 2λW; = canonical (λ/2)‖θ‖² with λ = ${other.lambda})`
    : `canonical: (λ/2)‖θ‖² with λ = ${lambda} (gradient λW; = WJ λ‖θ‖² with λ = ${other.lambda})`;
}

/** The run as JSON-ready data (the file `dlnv simulate --json` writes). */
export function simulationJson(config: SimulationConfig, result: SimulationResult): Record<string, unknown> {
  return {
    dlnv: 'simulate',
    config: config.echo,
    conventions: {
      cost: config.cost.formula,
      decay: config.phases.map((p) => decayStatement(config.convention, p.lambda)),
      rank: `rank_τ(M) = #{i : σ_i > τ·ref}, τ = ${config.rankTolerance}; ref = max(σ_1(M), σ_1(target)) for the product, max_ℓ σ_1(W_ℓ) for layers; every rank event lists the threshold and the gap σ_r | σ_{r+1} it fell in`,
      balancedness: '‖C_ℓ‖_op, C_ℓ = W_{ℓ+1}ᵀW_{ℓ+1} − W_ℓW_ℓᵀ',
      dead: 'dim of null(W_ℓᵀ) ∩ null(W_{ℓ+1}) per hidden layer, same τ',
    },
    status: result.status,
    divergence: result.divergence ?? null,
    steps: result.steps,
    seconds: result.seconds,
    finalRank: result.finalRank ?? null,
    trajectory: result.trajectory,
    finalWeights: result.weights.map((w) => (w.data.every(Number.isFinite) ? w.toArray() : null)),
    finalProduct: result.weights.every((w) => w.data.every(Number.isFinite))
      ? endToEnd(result.weights).toArray()
      : null,
  };
}
