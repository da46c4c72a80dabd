import { readFileSync } from 'node:fs';
import type { PlotSpec } from '../check/plot-spec.js';
import type { OptimizerSpec } from '../completion/optimizers.js';
import {
  type ConfigOverrides,
  decayStatement,
  runSimulation,
  type SimulationConfig,
  type SimulationResult,
  simulationConfig,
  simulationJson,
} from '../completion/simulation.js';
import type { BatchSize } from '../completion/train.js';
import { DlnvError, UsageError } from '../errors.js';
import { sig } from '../format.js';
import { parseJsonText } from '../json/input.js';
import { gapText } from '../rank/numerical-rank.js';
import { singularValuesPlot } from '../report/figures.js';
import { renderSvg } from '../report/svg-plot.js';
import { parseCommandArgs } from './args.js';
import { reserveOutput } from './output-file.js';
import { progressLine } from './progress.js';

export const simulateHelp = `dlnv simulate — train a deep linear network with SGD and weight decay, and watch its rank

Usage: dlnv simulate [CONFIG.json] [--depth N] [--width D] [--steps K] [--lr η] [--lambda λ]
                     [--decay wj|canonical] [--optimizer NAME] [--batch B|full] [--seed S]
                     [--every K] [--rank-tolerance τ] [--json FILE|-] [--plot FILE.svg]

Runs one seeded training (THEORY §4) and records, every K steps: the cost and penalty, the singular values of
every layer and of the product W_L⋯W_1, the balancedness ‖C_ℓ‖_op, the dead hidden directions, and every
change of numerical rank ("rank event") with the threshold and the singular-value gap it fell in.

Defaults (the setting of Wang–Jacot's figure): widths 8-8-8-8, completion of a random 8×8 target with
σ = 4, 2, 1 from half of its entries, Gaussian start (scale 0.3), single-entry SGD, 20 000 steps at
η = 0.02 with λ = 0.01 in WJ's convention λ‖θ‖² (gradient 2λW; --decay canonical means (λ/2)‖θ‖²).

CONFIG.json sets everything the flags do and more (flags override it); every field is optional:
  {
    "seed": 1,
    "network":   {"depth": 3, "width": 8}  or  {"widths": [8, 8, 8, 8]},
    "task":      {"kind": "completion", "target": {"spectrum": [4, 2, 1]} | {"rank": 2} | [[…], …],
                  "mask": {"fraction": 0.5} | "all" | [[i, j], …]}          (0-based entries)
                 or {"kind": "regression", "X": [[…]], "Y": [[…]], "scale": "half" | "sum" | "mean"},
    "init":      {"kind": "gaussian", "scale": 0.3} | {"kind": "balanced", "spectrum": [1, 1, 1]}
                 | {"kind": "weights", "weights": [W_1, …, W_L]},
    "optimizer": {"kind": "sgd", "momentum": 0.9, "nesterov": true} | {"kind": "adam"} | {"kind": "rmsprop"}
                 | {"kind": "sign"} | {"kind": "langevin", "temperature": 1e-6},
    "batch": 1 | "full",  "decay": "wj" | "canonical",
    "phases": [{"steps": 8000, "lr": 0.08, "lambda": 0.0104}, {"steps": 4000, "lr": 0.02, "lambda": 0.01}],
    "every": 100,  "rankTolerance": 1e-6
  }
  WJ anneal: large λ and η first, then smaller — give two phases.

Options:
  --optimizer NAME  sgd | gd (full batch) | momentum (β 0.9) | nesterov | adam | rmsprop | sign | langevin
  --momentum β      momentum for sgd/momentum/nesterov;  --temperature T  for langevin (default 1e-6)
  --json FILE       write the trajectory as JSON (config echo, conventions, every series, rank events,
                    final weights); '-' prints it to stdout instead of the summary
  --plot FILE.svg   singular values of the product over steps on a log scale, the rank threshold, and a
                    shaded band at every rank event of the product
Errors in the config or flags are one line naming the field (exit 2). A run that diverges stops at once,
keeps and writes everything recorded so far, and exits 1 with the step and the reason.

Exit codes: 0 completed, 1 diverged, 2 bad usage or config.
Examples:
  dlnv simulate --plot sv.svg
  dlnv simulate run.json --seed 3 --json traj.json --plot sv.svg
  dlnv simulate --optimizer adam --lr 0.001 --steps 5000 --plot adam.svg`;

const f3 = (x: number): string => (Number.isFinite(x) ? x.toExponential(3) : String(x));

function numberFlag(
  name: string,
  raw: unknown,
  check: (n: number) => boolean,
  expectation: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const n = text === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${expectation}, got '${String(raw)}'`);
  return n;
}

function optimizerFlag(values: Record<string, unknown>): { optimizer?: OptimizerSpec; batch?: BatchSize } {
  const name = values.optimizer as string | undefined;
  const momentum = numberFlag('momentum', values.momentum, (n) => n >= 0 && n < 1, 'a number in [0, 1)');
  const temperature = numberFlag('temperature', values.temperature, (n) => n >= 0, 'a finite number ≥ 0');
  if (name === undefined) {
    if (momentum !== undefined || temperature !== undefined)
      throw new UsageError('--momentum and --temperature need --optimizer (sgd, momentum, nesterov or langevin)');
    return {};
  }
  switch (name) {
    case 'sgd':
      return { optimizer: { kind: 'sgd', momentum: momentum ?? 0 } };
    case 'gd':
      return { optimizer: { kind: 'sgd', momentum: momentum ?? 0 }, batch: 'full' };
    case 'momentum':
      return { optimizer: { kind: 'sgd', momentum: momentum ?? 0.9 } };
    case 'nesterov':
      return { optimizer: { kind: 'sgd', momentum: momentum ?? 0.9, nesterov: true } };
    case 'adam':
    case 'rmsprop':
    case 'sign':
      return { optimizer: { kind: name } };
    case 'langevin':
      return { optimizer: { kind: 'langevin', temperature: temperature ?? 1e-6 } };
    default:
      throw new UsageError(
        `--optimizer must be one of sgd, gd, momentum, nesterov, adam, rmsprop, sign, langevin, got '${name}'`,
      );
  }
}

function overridesFrom(values: Record<string, unknown>): ConfigOverrides {
  const int = (name: string, min: number) =>
    numberFlag(name, values[name], (n) => Number.isInteger(n) && n >= min, `an integer ≥ ${min}`);
  const decay = values.decay as string | undefined;
  if (decay !== undefined && decay !== 'wj' && decay !== 'canonical')
    throw new UsageError(`--decay must be 'wj' (λ‖θ‖²) or 'canonical' ((λ/2)‖θ‖²), got '${decay}'`);
  const rawBatch = values.batch as string | undefined;
  const batch =
    rawBatch === undefined
      ? undefined
      : rawBatch === 'full'
        ? 'full'
        : numberFlag('batch', rawBatch, (n) => Number.isInteger(n) && n >= 1, "an integer ≥ 1 or 'full'");
  const { optimizer, batch: optBatch } = optimizerFlag(values);
  if (optBatch !== undefined && batch !== undefined && batch !== optBatch)
    throw new UsageError(`--optimizer gd is full batch; drop --batch ${rawBatch}`);
  const out: Record<string, unknown> = {
    depth: int('depth', 1),
    width: int('width', 1),
    steps: int('steps', 0),
    lr: numberFlag('lr', values.lr, (n) => n > 0, 'a finite number > 0'),
    lambda: numberFlag('lambda', values.lambda, (n) => n >= 0, 'a finite number ≥ 0'),
    decay,
    optimizer,
    batch: optBatch ?? batch,
    seed: numberFlag(
      'seed',
      values.seed,
      (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
      'an integer in [0, 2^32)',
    ),
    every: int('every', 1),
    rankTolerance: numberFlag('rank-tolerance', values['rank-tolerance'], (n) => n > 0 && n < 1, 'a number in (0, 1)'),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as ConfigOverrides;
}

/** The figure: σ_i(W_L⋯W_1) over steps (log scale), the rank threshold, and a band at each rank event of the product. */
export function singularValuePlot(config: SimulationConfig, result: SimulationResult): PlotSpec {
  const t = result.trajectory;
  const thresholds = t.productSingularValues.map((s) => config.rankTolerance * Math.max(s[0] ?? 0, config.reference));
  const events = t.events.filter((e) => e.matrix === 'product');
  const title = `singular values of W_L⋯W_1 (widths ${config.widths.join('-')}, ${optimizerName(config)}${result.status === 'diverged' ? `, DIVERGED at step ${result.divergence!.step}` : ''})`;
  const plot = singularValuesPlot(title, t.step, t.productSingularValues);
  return {
    ...plot,
    x: { label: 'step', scale: 'linear' },
    y: { label: 'σ_i(W_L⋯W_1)', scale: 'log' },
    series: [
      ...plot.series,
      { name: `threshold τ·ref (τ = ${sig(config.rankTolerance)})`, x: t.step, y: thresholds, style: 'dashed' },
    ],
    bands: events.map((e) => ({
      from: e.previousStep,
      to: e.step,
      label: `rank ${e.from} → ${e.to} (threshold ${f3(e.threshold)}, ${gapText(e.to, e.above, e.below, e.gapDecades)})`,
    })),
  };
}

function optimizerName(config: SimulationConfig): string {
  const o = config.optimizer;
  const base =
    o.kind === 'sgd'
      ? (o.momentum ?? 0) > 0
        ? `${o.nesterov ? 'Nesterov' : 'heavy ball'} β = ${o.momentum}`
        : config.batch === 'full'
          ? 'GD'
          : 'SGD'
      : o.kind === 'langevin'
        ? `Langevin T = ${o.temperature}`
        : o.kind;
  return `${base}${config.batch === 'full' || o.kind !== 'sgd' || (o.momentum ?? 0) > 0 ? `, batch ${config.batch}` : config.batch === 1 ? ', one entry per step' : `, batch ${config.batch}`}`;
}

/** JSON with non-finite numbers spelled out ("Infinity") instead of silently becoming null. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1);
}

function summary(config: SimulationConfig, result: SimulationResult, written: string[]): string {
  const t = result.trajectory;
  const last = t.step.length - 1;
  const lines = [
    `dlnv simulate: widths ${config.widths.join('-')} (L = ${config.widths.length - 1}), seed ${config.seed}`,
    `  task      ${config.taskDescription}`,
    `  cost      ${config.cost.formula}`,
    `  init      ${config.initDescription}`,
    `  optimizer ${optimizerName(config)}`,
    ...config.phases.map(
      (p, k) =>
        `  phase ${k}   ${p.steps} steps, η = ${p.learningRate}, ${decayStatement(config.convention, p.lambda)}`,
    ),
    `  status    ${result.status === 'completed' ? `completed ${result.steps} steps` : `DIVERGED at step ${result.divergence!.step}`} in ${result.seconds.toFixed(2)} s (${t.step.length} observations, every ${config.every} steps)`,
  ];
  if (last >= 0) {
    lines.push(
      `  at ${t.step[last]}`.padEnd(12) +
        `cost ${f3(t.cost[last])}, penalty ${f3(t.penalty[last])}, ‖θ‖² = ${f3(t.parameterNormSquared[last])}, max‖C_ℓ‖_op = ${f3(t.maxBalancedness[last])}`,
    );
    if (result.finalRank)
      lines.push(
        `  rank      product ${result.finalRank.text}; largest gap after σ_${result.finalRank.largestGap.rank} (ratio ${f3(result.finalRank.largestGap.ratio)})`,
      );
    lines.push(
      `            layers ${t.layerRanks[last].join(', ')}; dead hidden directions ${t.deadDimensions[last]?.join(', ') ?? '—'}`,
    );
  }
  const events = t.events.filter((e) => e.matrix === 'product');
  if (events.length === 0) lines.push('  events    no change of the product rank');
  events
    .slice(0, 8)
    .forEach((e, k) =>
      lines.push(
        `${k === 0 ? '  events    ' : '            '}step ${e.previousStep}–${e.step}: product rank ${e.from} → ${e.to} (threshold ${f3(e.threshold)}, ${gapText(e.to, e.above, e.below, e.gapDecades)}${e.clearGap || e.to === 0 || e.below === 0 ? '' : ', not a clear gap'})`,
      ),
    );
  if (events.length > 8)
    lines.push(
      `            … ${events.length - 8} more (and ${t.events.length - events.length} layer events) in --json`,
    );
  else if (t.events.length > events.length)
    lines.push(`            ${t.events.length - events.length} layer rank events in --json`);
  if (written.length) lines.push(`  wrote     ${written.join(', ')}`);
  return lines.join('\n');
}

/** `dlnv simulate [CONFIG.json] [flags]`: 0 completed, 1 diverged, 2 bad usage or config (one line on stderr). */
export function simulateCommand(argv: string[]): number {
  try {
    const { values, positionals } = parseCommandArgs('simulate', argv, {
      depth: { type: 'string' },
      width: { type: 'string' },
      steps: { type: 'string' },
      lr: { type: 'string' },
      lambda: { type: 'string' },
      decay: { type: 'string' },
      optimizer: { type: 'string' },
      momentum: { type: 'string' },
      temperature: { type: 'string' },
      batch: { type: 'string' },
      seed: { type: 'string' },
      every: { type: 'string' },
      'rank-tolerance': { type: 'string' },
      json: { type: 'string' },
      plot: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      console.log(simulateHelp);
      return 0;
    }
    if (positionals.length > 1)
      throw new UsageError(
        `simulate: expected at most one CONFIG.json, got ${positionals.length} (see 'dlnv simulate --help')`,
      );
    let raw: unknown = {};
    if (positionals.length === 1) {
      const file = positionals[0];
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`simulate: cannot read '${file}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      raw = parseJsonText(text, file);
    }
    const config = simulationConfig(raw, overridesFrom(values));
    const jsonPath = values.json as string | undefined;
    const toStdout = jsonPath === '-';
    const writeJson = toStdout ? undefined : reserveOutput('--json', jsonPath);
    const plotPath = values.plot as string | undefined;
    const writePlot = reserveOutput('--plot', plotPath);
    const progress = progressLine('simulate', { unit: 'step', total: config.phases.reduce((s, p) => s + p.steps, 0) });
    const result = runSimulation(config, (step) => progress.update(step));
    progress.clear();
    const written: string[] = [];
    const json = simulationJson(config, result);
    if (writeJson) {
      writeJson(jsonText(json));
      written.push(jsonPath!);
    }
    if (writePlot) {
      writePlot(renderSvg(singularValuePlot(config, result)));
      written.push(plotPath!);
    }
    if (toStdout) console.log(jsonText(json));
    else console.log(summary(config, result, written));
    if (result.status === 'diverged') {
      const t = result.trajectory;
      const kept = t.step.length
        ? `kept ${t.step.length} observations (steps 0–${t.step[t.step.length - 1]})${written.length ? ` in ${written.join(', ')}` : ''}`
        : 'nothing was recorded';
      console.error(
        `dlnv: simulate diverged at step ${result.divergence!.step}: ${result.divergence!.reason}; ${kept}. Lower --lr (or λ), or use a smaller init.`,
      );
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof DlnvError) {
      console.error(`dlnv: ${e.message.split('\n')[0]}`);
      return e.code === 'usage' || e.code === 'shape' || e.code === 'non-finite' || e.code === 'domain' ? 2 : 1;
    }
    throw e;
  }
}
