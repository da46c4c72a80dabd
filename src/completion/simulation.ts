import { UsageError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd.js';
import type { LossScale } from '../model/loss.js';
import { shapesFor } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import { matrixWithSpectrum } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { Rng } from '../random/rng.js';
import { describeRank, largestGap, readRank, type RankReading } from '../rank/numerical-rank.js';
import type { RankTrajectory } from '../rank/recorder.js';
import { CompletionCost, RegressionCost, type ProductCost } from './cost.js';
import { balancedNetwork } from './instances.js';
import { fullObservedSet, observedPairs, observedSet, randomObservedSet, type ObservedSet } from './mask.js';
import { OPTIMIZER_KINDS, normalizeOptimizer, type OptimizerSpec } from './optimizers.js';
import { train, type BatchSize, type Divergence, type Phase } from './train.js';
import { convertDecay, type DecayConvention } from './weight-decay.js';

/**
 * The configuration of `dlnv simulate` as JSON, validated field by field: every problem is a one-line UsageError
 * naming the field (`config.phases[0].lr: expected a finite number > 0, received -0.1`). Bare NaN / Infinity tokens
 * (as Python's json writes them) and overflowing literals such as 1e999 are caught and named, never run.
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

const SENTINEL = '\u0000dlnv-nonfinite:';

/** JSON.parse that keeps bare NaN / Infinity / -Infinity as marked strings so the error can name their field. */
export function parseConfigText(text: string, source: string): unknown {
  let out = '', inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length - 1;
    } else out += ch;
  }
  try {
    return JSON.parse(out);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
}

function shown(v: unknown): string {
  if (typeof v === 'string' && v.startsWith(SENTINEL)) return v.slice(SENTINEL.length);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}…` : v);
  return String(v);
}

function fail(field: string, message: string): never {
  throw new UsageError(`${field}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) fail(field, `expected an object, received ${shown(v)}`);
  return v;
}

function known(o: Record<string, unknown>, keys: readonly string[], field: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${field}.${k}`, `unknown field (expected one of ${keys.join(', ')})`);
}

function finite(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return fail(field, `expected a finite number, received ${typeof v === 'number' ? `${v} (a literal too large for float64?)` : shown(v)}`);
}

function positive(v: unknown, field: string): number {
  const x = finite(v, field);
  if (!(x > 0)) fail(field, `expected a finite number > 0, received ${x}`);
  return x;
}

function nonNegative(v: unknown, field: string): number {
  const x = finite(v, field);
  if (!(x >= 0)) fail(field, `expected a finite number ≥ 0, received ${x}`);
  return x;
}

function integer(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const x = finite(v, field);
  if (!(Number.isInteger(x) && x >= min && x <= max)) fail(field, `expected an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], received ${x}`);
  return x;
}

function numberList(v: unknown, field: string, check: (x: unknown, f: string) => number): number[] {
  if (!Array.isArray(v) || v.length === 0) fail(field, `expected a non-empty array of numbers, received ${shown(v)}`);
  return v.map((x, k) => check(x, `${field}[${k}]`));
}

/** A matrix from rows [[…], …] or {"shape": [r, c], "data": rows}; entries must be finite. */
export function matrixFromJson(v: unknown, field: string): Matrix {
  let rows: unknown = v;
  if (isObject(v)) {
    known(v, ['shape', 'data'], field);
    rows = v.data;
    field = `${field}.data`;
  }
  if (!Array.isArray(rows) || rows.length === 0) fail(field, `expected a non-empty array of rows, received ${shown(rows)}`);
  const r = rows.length;
  if (!Array.isArray(rows[0]) || rows[0].length === 0) fail(`${field}[0]`, `expected a non-empty row, received ${shown(rows[0])}`);
  const c = (rows[0] as unknown[]).length;
  const m = new Matrix(r, c);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== c) fail(`${field}[${i}]`, `expected a row of ${c} numbers, received ${Array.isArray(row) ? `${row.length}` : shown(row)}`);
    row.forEach((x, j) => (m.data[i * c + j] = finite(x, `${field}[${i}][${j}]`)));
  });
  if (isObject(v) && v.shape !== undefined) {
    const shape = numberList(v.shape, `${field.slice(0, -5)}.shape`, (x, f) => integer(x, f, 1));
    if (shape.length !== 2 || shape[0] !== r || shape[1] !== c) fail(`${field.slice(0, -5)}.shape`, `says ${JSON.stringify(shape)} but the data are ${r}×${c}`);
  }
  return m;
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

const TOP_KEYS = ['seed', 'network', 'task', 'init', 'optimizer', 'batch', 'decay', 'phases', 'steps', 'lr', 'lambda', 'every', 'rankTolerance'] as const;

/** Build the run from a parsed JSON value (or {}) and command-line overrides; field errors name `config.<path>`. */
export function simulationConfig(raw: unknown, overrides: ConfigOverrides = {}): SimulationConfig {
  const c = object(raw ?? {}, 'config');
  known(c, TOP_KEYS, 'config');
  const seed = overrides.seed ?? (c.seed === undefined ? 1 : integer(c.seed, 'config.seed', 0, 0xffffffff));
  const rng = new Rng(seed);

  // network
  let widths: number[];
  const net = c.network === undefined ? {} : object(c.network, 'config.network');
  known(net, ['depth', 'width', 'widths'], 'config.network');
  if (net.widths !== undefined) {
    if (net.depth !== undefined || net.width !== undefined) fail('config.network', 'give either widths or depth/width, not both');
    widths = numberList(net.widths, 'config.network.widths', (x, f) => integer(x, f, 1, 4096));
    if (widths.length < 2) fail('config.network.widths', `expected [d_0, …, d_L] with depth L ≥ 1, received ${widths.length} width${widths.length === 1 ? '' : 's'}`);
    if (overrides.depth !== undefined || overrides.width !== undefined) fail('--depth/--width', 'cannot override config.network.widths; edit the config');
  } else {
    const depth = overrides.depth ?? (net.depth === undefined ? 3 : integer(net.depth, 'config.network.depth', 1, 64));
    const width = overrides.width ?? (net.width === undefined ? 8 : integer(net.width, 'config.network.width', 1, 4096));
    widths = new Array(depth + 1).fill(width);
  }
  shapesFor(widths);
  const L = widths.length - 1, d0 = widths[0], dL = widths[L];

  // task
  const task = c.task === undefined ? { kind: 'completion' } : object(c.task, 'config.task');
  let cost: ProductCost, taskDescription: string, taskEcho: Record<string, unknown>, reference: number;
  const targetFrom = (v: unknown, field: string, rows: number, cols: number): { target: Matrix; echo: unknown } => {
    if (v === undefined) v = { spectrum: [4, 2, 1].slice(0, Math.min(rows, cols)) };
    if (Array.isArray(v) || (isObject(v) && 'data' in v)) {
      const m = matrixFromJson(v, field);
      if (m.rows !== rows || m.cols !== cols) fail(field, `expected a ${rows}×${cols} matrix (d_L×d_0 of the network), received ${m.shape}`);
      return { target: m, echo: m.toArray() };
    }
    const t = object(v, field);
    known(t, ['spectrum', 'rank'], field);
    let spectrum: number[];
    if (t.spectrum !== undefined) spectrum = numberList(t.spectrum, `${field}.spectrum`, positive);
    else spectrum = new Array(integer(t.rank ?? 1, `${field}.rank`, 1)).fill(1);
    if (spectrum.length > Math.min(rows, cols)) fail(`${field}.${t.spectrum !== undefined ? 'spectrum' : 'rank'}`, `rank ${spectrum.length} does not fit a ${rows}×${cols} target`);
    return { target: matrixWithSpectrum(rng, rows, cols, spectrum), echo: { spectrum } };
  };
  if (task.kind === undefined || task.kind === 'completion') {
    known(task, ['kind', 'target', 'mask'], 'config.task');
    const { target, echo } = targetFrom(task.target, 'config.task.target', dL, d0);
    let mask: ObservedSet, maskEcho: unknown;
    const m = task.mask ?? { fraction: 0.5 };
    if (m === 'all') [mask, maskEcho] = [fullObservedSet(dL, d0), 'all'];
    else if (Array.isArray(m)) {
      const pairs = m.map((p, k) => {
        if (!Array.isArray(p) || p.length !== 2) fail(`config.task.mask[${k}]`, `expected a pair [i, j], received ${shown(p)}`);
        return [integer(p[0], `config.task.mask[${k}][0]`, Number.MIN_SAFE_INTEGER), integer(p[1], `config.task.mask[${k}][1]`, Number.MIN_SAFE_INTEGER)] as [number, number];
      });
      try {
        mask = observedSet(dL, d0, pairs, 'config.task.mask');
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
      maskEcho = observedPairs(mask);
    } else {
      const mo = object(m, 'config.task.mask');
      known(mo, ['fraction'], 'config.task.mask');
      const fraction = positive(mo.fraction ?? 0.5, 'config.task.mask.fraction');
      if (fraction > 1) fail('config.task.mask.fraction', `expected a probability in (0, 1], received ${fraction}`);
      mask = randomObservedSet(rng, dL, d0, { fraction });
      maskEcho = { fraction, entries: observedPairs(mask) };
    }
    cost = new CompletionCost(target, mask);
    reference = svd(target).s[0];
    taskDescription = `completion of a ${dL}×${d0} target (σ = ${Array.from(svd(target).s).filter((x) => x > 1e-12 * reference).map((x) => x.toPrecision(3)).join(', ')}) from ${mask.size} observed entries`;
    taskEcho = { kind: 'completion', target: echo, mask: maskEcho };
  } else if (task.kind === 'regression') {
    known(task, ['kind', 'X', 'Y', 'scale', 'samples', 'target'], 'config.task');
    const scale = (task.scale ?? 'half') as LossScale;
    if (scale !== 'half' && scale !== 'sum' && scale !== 'mean') fail('config.task.scale', `expected "half", "sum" or "mean", received ${shown(task.scale)}`);
    let X: Matrix, Y: Matrix;
    if (task.X !== undefined || task.Y !== undefined) {
      if (task.samples !== undefined || task.target !== undefined) fail('config.task', 'give either X and Y, or samples and target');
      X = matrixFromJson(task.X, 'config.task.X');
      Y = matrixFromJson(task.Y, 'config.task.Y');
      if (X.rows !== d0) fail('config.task.X', `expected ${d0} rows (d_0), received ${X.shape}`);
      if (Y.rows !== dL || Y.cols !== X.cols) fail('config.task.Y', `expected ${dL}×${X.cols} (d_L × samples), received ${Y.shape}`);
    } else {
      const m = integer(task.samples ?? 4 * d0, 'config.task.samples', 1);
      const { target } = targetFrom(task.target, 'config.task.target', dL, d0);
      X = gaussianMatrix(rng, d0, m, 1 / Math.sqrt(m));
      Y = new Matrix(dL, m);
      for (let i = 0; i < dL; i++) for (let n = 0; n < m; n++) for (let p = 0; p < d0; p++) Y.data[i * m + n] += target.data[i * d0 + p] * X.data[p * m + n];
    }
    cost = new RegressionCost(X, Y, scale);
    reference = 0;
    taskDescription = `regression on ${X.cols} samples, ${cost.formula}`;
    taskEcho = { kind: 'regression', scale, X: X.toArray(), Y: Y.toArray() };
  } else fail('config.task.kind', `expected "completion" or "regression", received ${shown(task.kind)}`);

  // init
  const init = c.init === undefined ? { kind: 'gaussian' } : object(c.init, 'config.init');
  let weights: Matrix[], initDescription: string, initEcho: Record<string, unknown>;
  if (init.kind === undefined || init.kind === 'gaussian') {
    known(init, ['kind', 'scale'], 'config.init');
    const scale = nonNegative(init.scale ?? 0.3, 'config.init.scale');
    weights = widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], scale / Math.sqrt(widths[l])));
    initDescription = `Gaussian, entries N(0, ${scale}²/d_{ℓ−1})`;
    initEcho = { kind: 'gaussian', scale };
  } else if (init.kind === 'balanced') {
    known(init, ['kind', 'spectrum', 'rank', 'aligned'], 'config.init');
    const spectrum = init.spectrum !== undefined ? numberList(init.spectrum, 'config.init.spectrum', positive) : new Array(integer(init.rank ?? 1, 'config.init.rank', 1)).fill(1);
    if (spectrum.length > Math.min(...widths)) fail(`config.init.${init.spectrum !== undefined ? 'spectrum' : 'rank'}`, `rank ${spectrum.length} exceeds the narrowest width ${Math.min(...widths)}`);
    if (init.aligned !== undefined && typeof init.aligned !== 'boolean') fail('config.init.aligned', `expected true or false, received ${shown(init.aligned)}`);
    const aligned = init.aligned === true;
    weights = balancedNetwork(rng, widths, spectrum, { aligned }).weights;
    initDescription = `balanced, rank ${spectrum.length} (σ = ${spectrum.join(', ')}), ${aligned ? 'coordinate-aligned' : 'random'} hidden frames`;
    initEcho = { kind: 'balanced', spectrum, aligned };
  } else if (init.kind === 'weights') {
    known(init, ['kind', 'weights'], 'config.init');
    if (!Array.isArray(init.weights) || init.weights.length !== L) fail('config.init.weights', `expected ${L} matrices W_1..W_${L}, received ${shown(init.weights)}${Array.isArray(init.weights) ? ` of length ${init.weights.length}` : ''}`);
    weights = init.weights.map((w, l) => {
      const m = matrixFromJson(w, `config.init.weights[${l}]`);
      if (m.rows !== widths[l + 1] || m.cols !== widths[l]) fail(`config.init.weights[${l}]`, `expected ${widths[l + 1]}×${widths[l]} (d_${l + 1}×d_${l}), received ${m.shape}`);
      return m;
    });
    initDescription = 'given weights';
    initEcho = { kind: 'weights', weights: weights.map((w) => w.toArray()) };
  } else fail('config.init.kind', `expected "gaussian", "balanced" or "weights", received ${shown(init.kind)}`);

  // optimizer, batch, decay
  let optimizer: OptimizerSpec;
  if (overrides.optimizer) optimizer = overrides.optimizer;
  else if (c.optimizer === undefined) optimizer = { kind: 'sgd' };
  else {
    const o = object(c.optimizer, 'config.optimizer');
    if (!(OPTIMIZER_KINDS as readonly unknown[]).includes(o.kind)) fail('config.optimizer.kind', `expected one of ${OPTIMIZER_KINDS.join(', ')}, received ${shown(o.kind)}`);
    for (const [k, v] of Object.entries(o)) {
      if (k === 'nesterov') {
        if (typeof v !== 'boolean') fail('config.optimizer.nesterov', `expected true or false, received ${shown(v)}`);
      } else if (k !== 'kind') finite(v, `config.optimizer.${k}`);
    }
    try {
      optimizer = normalizeOptimizer(o as unknown as OptimizerSpec, 'config.optimizer');
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  let batch: BatchSize = overrides.batch ?? 1;
  if (overrides.batch === undefined && c.batch !== undefined) batch = c.batch === 'full' ? 'full' : integer(c.batch, 'config.batch', 1);
  const convention = overrides.decay ?? (c.decay === undefined ? 'wj' : (c.decay as DecayConvention));
  if (convention !== 'wj' && convention !== 'canonical') fail('config.decay', `expected "wj" (λ‖θ‖²) or "canonical" ((λ/2)‖θ‖²), received ${shown(c.decay)}`);

  // phases
  let phases: Phase[];
  const flat = overrides.steps !== undefined || overrides.lr !== undefined || overrides.lambda !== undefined;
  if (c.phases !== undefined) {
    if (c.steps !== undefined || c.lr !== undefined || c.lambda !== undefined) fail('config', 'give either phases or steps/lr/lambda, not both');
    if (!Array.isArray(c.phases) || c.phases.length === 0) fail('config.phases', `expected a non-empty array of { steps, lr, lambda }, received ${shown(c.phases)}`);
    phases = c.phases.map((p, k) => {
      const f = `config.phases[${k}]`;
      const o = object(p, f);
      known(o, ['steps', 'lr', 'lambda'], f);
      return { steps: integer(o.steps, `${f}.steps`, 0), learningRate: positive(o.lr, `${f}.lr`), lambda: nonNegative(o.lambda ?? 0, `${f}.lambda`) };
    });
    if (flat) {
      if (phases.length > 1) fail('--steps/--lr/--lambda', `cannot override a ${phases.length}-phase schedule; edit config.phases`);
      phases = [{ steps: overrides.steps ?? phases[0].steps, learningRate: overrides.lr ?? phases[0].learningRate, lambda: overrides.lambda ?? phases[0].lambda }];
    }
  } else {
    phases = [
      {
        steps: overrides.steps ?? (c.steps === undefined ? 20000 : integer(c.steps, 'config.steps', 0)),
        learningRate: overrides.lr ?? (c.lr === undefined ? 0.02 : positive(c.lr, 'config.lr')),
        lambda: overrides.lambda ?? (c.lambda === undefined ? 0.01 : nonNegative(c.lambda, 'config.lambda')),
      },
    ];
  }
  const total = phases.reduce((s, p) => s + p.steps, 0);
  const every = overrides.every ?? (c.every === undefined ? Math.max(1, Math.floor(total / 200)) : integer(c.every, 'config.every', 1));
  const rankTolerance = overrides.rankTolerance ?? (c.rankTolerance === undefined ? 1e-6 : positive(c.rankTolerance, 'config.rankTolerance'));
  if (!(rankTolerance < 1)) fail('config.rankTolerance', `expected a relative tolerance in (0, 1), received ${rankTolerance}`);
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
  return { seed, widths, cost, taskDescription, weights, initDescription, optimizer, batch, convention, phases, every, rankTolerance, reference, echo };
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
export function runSimulation(config: SimulationConfig, onStep?: (step: number, total: number) => void): SimulationResult {
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
  return { status: r.status, steps: r.steps, seconds: r.seconds, ...(r.divergence ? { divergence: r.divergence } : {}), trajectory: t, weights: r.weights, ...(finalRank ? { finalRank } : {}) };
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
    finalProduct: result.weights.every((w) => w.data.every(Number.isFinite)) ? endToEnd(result.weights).toArray() : null,
  };
}
