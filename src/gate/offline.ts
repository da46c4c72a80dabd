import { readFileSync } from 'node:fs';
import { compare, type Verdict, worstOf } from '../check/verdict.js';
import { sci } from '../format.js';
import { validate } from '../json/validate.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { transpose } from '../linalg/products.js';
import { svd } from '../linalg/svd.js';
import type { Data } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import { DecodeError, decodeMatrix, decodeWeights, type WireMatrix } from './codec.js';
import { lossConvention } from './conventions.js';
import { type NpyArray, NpyError, parseNpy, parseNpz } from './npy.js';
import { checkProductRun } from './offline-product.js';
import {
  type Conventions,
  canonicalDecay,
  type Dtype,
  LAYOUTS,
  type Layout,
  LOSS_SCALES,
  type LossScale,
  ProtocolError,
  WEIGHT_DECAY_FORMS,
  type WeightDecayForm,
} from './protocol.js';
import {
  DRIFT_SCALE_TEXT,
  defects,
  driftLhs,
  driftScales,
  gradientScales,
  LOSS_SCALE_TEXT,
  lossScale,
  ownIncrementRhs,
  refGradients,
  refLoss,
  refStep,
  type Setting,
  STEP_SCALE_TEXT,
  stepScales,
} from './reference.js';
import { protocolSchema } from './schema.js';
import { compareBlocks, compareScalar, norms, type Tolerance, toleranceFor } from './tolerance.js';

/**
 * Checks of a recorded training run — `dlnv gate --trajectory FILE` and the online `trajectory` check share them.
 * A run is the weights after 0, 1, 2, … consecutive steps, plus what is known about it (dtype, conventions, lr, λ,
 * the data, the losses). Each check says why it was skipped when the record lacks what it needs.
 */

export interface Trajectory {
  readonly dtype: Dtype;
  readonly conventions: Conventions;
  readonly optimizer: 'gd' | 'sgd';
  readonly lr?: number;
  /** λ in the declared form. */
  readonly weightDecay: number;
  /** X, Y in THEORY's columns layout. */
  readonly data?: Data;
  /** The points of the run; for a product-only record, each point is [W(t)] and `product` says so. */
  readonly weights: Matrix[][];
  readonly losses?: number[];
  /** The record holds only the end-to-end matrix W(t) (offline-product.ts). */
  readonly product?: { readonly depth?: number; readonly balancedStart: boolean };
}

export interface OfflineResult {
  readonly name: string;
  readonly summary: string;
  readonly verdict?: Verdict;
  readonly skipped?: string;
}

export const OFFLINE_CHECKS: readonly { name: string; summary: string }[] = [
  {
    name: 'drift',
    summary:
      'every recorded step keeps C_j⁺ − (1−ηλ)²C_j = E_{j+1}ᵀE_{j+1} − E_jE_jᵀ with its own increments E_j = W_j⁺ − (1−ηλ)W_j (exact for any simultaneous gradient step of a cost of the product; needs no data)',
  },
  { name: 'gd-step', summary: "every step is W_j − η∇_{W_j}L (dlnv's gradient; needs X, Y, lr and optimizer 'gd')" },
  { name: 'losses', summary: 'the recorded losses are the loss of the recorded weights (needs X, Y)' },
  {
    name: 'loss-monotone',
    summary: "the loss never increases beyond round-off (optimizer 'gd'; from X, Y or the recorded losses)",
  },
  { name: 'rank', summary: 'from a balanced start, the numerical rank of the product and of every layer never rises' },
  {
    name: 'flow-law',
    summary:
      'a record of W(t) only, from a declared balanced start: every GD step is W − η·A_W(∇L¹(W)) up to the second-order bound (needs depth, X, Y, lr)',
  },
];

const summaryOf = (name: string): string => OFFLINE_CHECKS.find((c) => c.name === name)!.summary;

function atStep(v: Verdict, k: number): Verdict {
  return { ...v, detail: `step ${k} → ${k + 1}: ${v.detail}` };
}

/** The verdict closest to (or furthest over) its bound. */
function worstRatio(vs: Verdict[]): Verdict {
  return vs.reduce((a, b) =>
    (b.status === 'fail' && a.status !== 'fail') ||
    (b.status === a.status && b.measured / b.bound > a.measured / a.bound)
      ? b
      : a,
  );
}

/** What every check of a layer-weight record needs besides the record. */
interface RecordContext {
  readonly tol: Tolerance;
  /** The loss and the canonical decay λ of the record's conventions. */
  readonly setting: Setting;
  /** Recorded steps: one fewer than recorded points. */
  readonly steps: number;
}

const skipped = (name: string, reason: string): OfflineResult => ({ name, summary: summaryOf(name), skipped: reason });
const checked = (name: string, verdict: Verdict): OfflineResult => ({ name, summary: summaryOf(name), verdict });

/** drift: exact and data-free, each step against its own increments. */
function driftCheck(t: Trajectory, { tol, setting, steps }: RecordContext): OfflineResult {
  const n = t.weights[0].length;
  if (n < 2) return skipped('drift', 'depth 1: there is no C_j');
  if (setting.lambda > 0 && t.lr === undefined)
    return skipped('drift', 'weight_decay > 0 needs lr (the per-layer shrink 1 − lr·λ)');
  const shrink = 1 - (t.lr ?? 0) * setting.lambda;
  const vs: Verdict[] = [];
  for (let k = 0; k < steps; k++) {
    const before = t.weights[k],
      after = t.weights[k + 1];
    const sizes = after.map((w, j) => frobeniusNorm(w) + frobeniusNorm(before[j]));
    const lhs = driftLhs(before, after, shrink);
    const names = Array.from({ length: n - 1 }, (_, j) => `C_${j + 1}⁺ − (1−ηλ)²C_${j + 1}`);
    vs.push(
      atStep(
        compareBlocks(
          tol,
          names,
          ownIncrementRhs(before, after, shrink),
          lhs,
          driftScales(before, after, sizes),
          DRIFT_SCALE_TEXT.replace(/step scale/g, '(‖W⁺‖+‖W‖)'),
        ).verdict,
        k,
      ),
    );
  }
  return checked('drift', worstRatio(vs));
}

/** gd-step: every step against dlnv's. */
function gdStepCheck(t: Trajectory, { tol, setting, steps }: RecordContext): OfflineResult {
  if (t.optimizer !== 'gd') return skipped('gd-step', "optimizer 'sgd': the samples of each step are not recorded");
  if (!t.data || t.lr === undefined) return skipped('gd-step', 'needs X, Y and lr');
  const vs: Verdict[] = [];
  for (let k = 0; k < steps; k++) {
    const w = t.weights[k],
      g = refGradients(w, t.data, setting);
    const scales = stepScales(w, g, gradientScales(w, t.data, setting), t.lr);
    vs.push(
      atStep(
        compareBlocks(
          tol,
          w.map((_, j) => `W_${j + 1}⁺`),
          refStep(w, g, t.lr),
          t.weights[k + 1],
          scales,
          STEP_SCALE_TEXT,
        ).verdict,
        k,
      ),
    );
  }
  return checked('gd-step', worstRatio(vs));
}

/** losses: recorded against recomputed. */
function lossesCheck(t: Trajectory, { tol, setting }: RecordContext): OfflineResult {
  if (!t.losses) return skipped('losses', 'no losses recorded');
  if (!t.data) return skipped('losses', 'needs X and Y');
  const data = t.data,
    losses = t.losses;
  const vs = t.weights.map((w, k) => ({
    ...compareScalar(
      tol,
      `L at step ${k}`,
      refLoss(w, data, setting),
      losses[k],
      lossScale(w, data, setting),
      LOSS_SCALE_TEXT,
    ),
  }));
  return checked('losses', worstRatio(vs));
}

/** loss-monotone: gradient descent never raises the loss beyond round-off. */
function lossMonotoneCheck(t: Trajectory, { tol, setting, steps }: RecordContext): OfflineResult {
  if (t.optimizer !== 'gd')
    return skipped('loss-monotone', "optimizer 'sgd': a stochastic step may increase the full loss");
  if (!t.data && !t.losses) return skipped('loss-monotone', 'needs X and Y, or recorded losses');
  const data = t.data;
  const values = data ? t.weights.map((w) => refLoss(w, data, setting)) : t.losses!;
  const widthSum = t.weights[0].reduce((a, w) => a + w.rows, t.weights[0][0].cols);
  const scaleAt = (k: number): number =>
    data ? lossScale(t.weights[k], data, setting) : widthSum * (Math.abs(values[k]) + Math.abs(values[k + 1]));
  const vs: Verdict[] = [];
  for (let k = 0; k < steps; k++) {
    const bound = tol.c * tol.eps * scaleAt(k);
    const rise = values[k + 1] - values[k];
    vs.push(
      compare({
        measured: rise,
        bound,
        errorModel: `L(k+1) − L(k) ≤ ${tol.c}·ε_${tol.dtype}·scale, scale = ${data ? LOSS_SCALE_TEXT : 'Σd_j·(|L(k)|+|L(k+1)|)'} = ${sci(bound / (tol.c * tol.eps))}`,
        detail: `step ${k} → ${k + 1}: L went from ${values[k]} to ${values[k + 1]} (${rise > 0 ? 'up' : 'down'} by ${sci(Math.abs(rise))}; allowed rise ${sci(bound)})${data ? ' (recomputed from X, Y)' : ' (recorded losses)'}`,
      }),
    );
  }
  return checked('loss-monotone', worstRatio(vs));
}

/** rank: from a balanced start, no numerical rank (product or layer) ever rises. */
function rankCheck(t: Trajectory, { tol, steps }: RecordContext): OfflineResult {
  const c0 = defects(t.weights[0]);
  const ns0 = norms(t.weights[0]);
  const imbalance = Math.max(
    0,
    ...c0.map((c, j) => frobeniusNorm(c) / (c.rows * (ns0[j + 1] ** 2 + ns0[j] ** 2) || 1)),
  );
  const balancedBound = tol.c * tol.eps;
  if (imbalance > balancedBound) {
    return skipped(
      'rank',
      `the start is not balanced (max ‖C_j(0)‖/(d_j(‖W_{j+1}‖²+‖W_j‖²)) = ${sci(imbalance)} > ${sci(balancedBound)}): the rank may rise from an unbalanced start`,
    );
  }
  const tau = 1e4 * tol.eps;
  const mats = (ws: Matrix[]): [string, Matrix][] => [
    ['W_{N:1}', endToEnd(ws)],
    ...ws.map((w, j) => [`W_${j + 1}`, w] as [string, Matrix]),
  ];
  const initial = mats(t.weights[0]).map(([, m]) => {
    const sv = svd(m).s;
    return sv.filter((x) => x > tau * sv[0]).length;
  });
  let worst = { ratio: 0, step: 0, which: 'W_{N:1}', rank: initial[0] };
  for (let k = 1; k <= steps; k++) {
    mats(t.weights[k]).forEach(([name, m], i) => {
      const sv = svd(m).s;
      if (initial[i] >= sv.length || sv[0] === 0) return;
      const ratio = sv[initial[i]] / sv[0];
      if (ratio > worst.ratio) worst = { ratio, step: k, which: name, rank: initial[i] };
    });
  }
  return checked(
    'rank',
    compare({
      measured: worst.ratio,
      bound: tau,
      errorModel: `rank_τ(M) = #{σ_i > τ·σ_1(M)}, τ = 1e4·ε_${tol.dtype} = ${sci(tau)}`,
      detail:
        worst.ratio > tau
          ? `the rank of ${worst.which} rose from ${worst.rank} at step ${worst.step}: σ_${worst.rank + 1}/σ_1 = ${sci(worst.ratio)} > τ`
          : `largest σ_{r+1}/σ_1 over ${steps} steps: ${sci(worst.ratio)} (${worst.which}), initial ranks ${initial.join(', ')} (product, then layers) kept`,
    }),
  );
}

/** Every offline check of a recorded run, in OFFLINE_CHECKS order: a verdict each, or why it was skipped. */
export function checkTrajectory(t: Trajectory, tol: Tolerance = toleranceFor(t.dtype)): OfflineResult[] {
  if (t.product) {
    const run = {
      tol,
      conventions: t.conventions,
      optimizer: t.optimizer,
      weightDecay: t.weightDecay,
      product: { ...t.product, points: t.weights.map((p) => p[0]) },
      ...(t.lr !== undefined ? { lr: t.lr } : {}),
      ...(t.data ? { data: t.data } : {}),
      ...(t.losses ? { losses: t.losses } : {}),
    };
    return checkProductRun(run).map((r) => ({ ...r, summary: summaryOf(r.name) }));
  }
  const lambda = canonicalDecay(t.weightDecay, t.conventions.weight_decay);
  const context: RecordContext = {
    tol,
    setting: { loss: lossConvention(t.conventions), lambda },
    steps: t.weights.length - 1,
  };
  return [driftCheck, gdStepCheck, lossesCheck, lossMonotoneCheck, rankCheck].map((check) => check(t, context));
}

/** The verdict of a whole trajectory: the worst of the checks that ran. */
export function trajectoryVerdict(results: readonly OfflineResult[]): Verdict | undefined {
  const vs = results.flatMap((r) => (r.verdict ? [{ ...r.verdict, detail: `${r.name}: ${r.verdict.detail}` }] : []));
  return vs.length > 0 ? worstOf(vs) : undefined;
}

// ---- loading ----------------------------------------------------------------------------------------------

const DEFAULT_CONVENTIONS: Conventions = { loss_scale: 'half', weight_decay: 'canonical', layout: 'columns' };

function bad(file: string, message: string): never {
  throw new ProtocolError(`--trajectory ${file}: ${message}`);
}

function toColumns(data: Data | undefined, layout: Layout): Data | undefined {
  if (!data || layout === 'columns') return data;
  return { X: transpose(data.X), Y: transpose(data.Y) };
}

function checkData(file: string, t: Trajectory): Trajectory {
  const ws = t.weights;
  const shapes = ws[0].map((w) => `${w.rows}×${w.cols}`).join(', ');
  ws.forEach((p, k) => {
    if (p.length !== ws[0].length) bad(file, `point ${k} has ${p.length} layers, point 0 has ${ws[0].length}`);
    p.forEach((w, j) => {
      if (w.rows !== ws[0][j].rows || w.cols !== ws[0][j].cols)
        bad(file, `point ${k}, layer ${j + 1} is ${w.rows}×${w.cols}, point 0 has ${shapes}`);
      for (let i = 0; i < w.data.length; i++)
        if (!Number.isFinite(w.data[i])) bad(file, `point ${k}, layer ${j + 1}: entry ${i} is ${w.data[i]}`);
      if (j > 0 && w.cols !== p[j - 1].rows)
        bad(
          file,
          `layer ${j + 1} is ${w.rows}×${w.cols} but layer ${j} has ${p[j - 1].rows} rows (W_j must be d_j×d_{j−1})`,
        );
    });
  });
  if (t.data) {
    const d0 = ws[0][0].cols,
      dN = ws[0][ws[0].length - 1].rows;
    if (t.data.X.rows !== d0 || t.data.Y.rows !== dN || t.data.X.cols !== t.data.Y.cols) {
      bad(
        file,
        `X is ${t.data.X.rows}×${t.data.X.cols} and Y is ${t.data.Y.rows}×${t.data.Y.cols} (after layout '${t.conventions.layout}'): expected d_0×m = ${d0}×m and d_N×m = ${dN}×m`,
      );
    }
  }
  if (t.losses && t.losses.length !== ws.length) bad(file, `${t.losses.length} losses for ${ws.length} points`);
  if (t.losses && !t.losses.every(Number.isFinite)) bad(file, 'a recorded loss is not finite');
  if (t.weightDecay < 0 || !Number.isFinite(t.weightDecay)) bad(file, `weight_decay must be ≥ 0, got ${t.weightDecay}`);
  if (t.weightDecay > 0 && t.conventions.weight_decay === 'none')
    bad(file, `weight_decay ${t.weightDecay} with weight_decay form 'none'`);
  if (t.lr !== undefined && !(t.lr > 0)) bad(file, `lr must be > 0, got ${t.lr}`);
  const depth = t.product?.depth;
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1))
    bad(file, `depth must be an integer ≥ 1, got ${depth}`);
  return t;
}

function fromJson(file: string, text: string): Trajectory {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    bad(file, `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const problem = validate(protocolSchema, value, 'trajectoryFile');
  if (problem) bad(file, `does not follow the trajectory format: ${problem}`);
  const v = value as {
    dtype?: Dtype;
    conventions?: Conventions;
    optimizer?: 'gd' | 'sgd';
    lr?: number;
    weight_decay?: number;
    X?: WireMatrix;
    Y?: WireMatrix;
    weights?: WireMatrix[][];
    losses?: number[];
    product?: WireMatrix[];
    depth?: number;
    balanced_start?: boolean;
  };
  if ((v.weights === undefined) === (v.product === undefined))
    bad(file, "give the layers ('weights') or only the end-to-end matrix ('product'), one of the two");
  try {
    const first = (v.weights ?? [])[0]?.map((m) => m.shape) ?? [];
    const weights = v.product
      ? v.product.map((m, k) => [decodeMatrix(m, `/product[${k}]`, m.shape as [number, number])])
      : v.weights!.map((p, k) =>
          decodeWeights(p, `/weights[${k}]`, first.length === p.length ? first : p.map((m) => m.shape)),
        );
    if (weights.length < 2) bad(file, `need at least 2 points (the start and one step), found ${weights.length}`);
    if ((v.X === undefined) !== (v.Y === undefined)) bad(file, 'give both X and Y, or neither');
    const conventions = v.conventions ?? DEFAULT_CONVENTIONS;
    const data = v.X && v.Y ? { X: decodeMatrix(v.X, '/X'), Y: decodeMatrix(v.Y, '/Y') } : undefined;
    return checkData(file, {
      dtype: v.dtype ?? 'float64',
      conventions,
      optimizer: v.optimizer ?? 'gd',
      ...(v.lr !== undefined ? { lr: v.lr } : {}),
      weightDecay: v.weight_decay ?? 0,
      ...(data ? { data: toColumns(data, conventions.layout) } : {}),
      weights,
      ...(v.losses ? { losses: v.losses } : {}),
      ...(v.product
        ? {
            product: { balancedStart: v.balanced_start === true, ...(v.depth !== undefined ? { depth: v.depth } : {}) },
          }
        : {}),
    });
  } catch (e) {
    if (e instanceof DecodeError) bad(file, e.message);
    throw e;
  }
}

function matrixOf(a: NpyArray, offset: number, rows: number, cols: number): Matrix {
  return new Matrix(rows, cols, a.data.slice(offset, offset + rows * cols));
}

function scalar(file: string, arrays: Map<string, NpyArray>, key: string): number | undefined {
  const a = arrays.get(key);
  if (!a) return undefined;
  if (a.kind === 'U' || a.data.length !== 1) bad(file, `'${key}' must be a number (a 0-d or 1-element array)`);
  return a.data[0];
}

function text<T extends string>(
  file: string,
  arrays: Map<string, NpyArray>,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const a = arrays.get(key);
  if (!a) return undefined;
  const s = a.strings?.[0];
  if (a.kind !== 'U' || s === undefined || !allowed.includes(s as T))
    bad(file, `'${key}' must be one of ${allowed.map((x) => `'${x}'`).join(', ')}`);
  return s as T;
}

function dtypeOf(arrays: NpyArray[]): Dtype {
  return arrays.some((a) => a.kind === 'f' && a.itemsize <= 4) ? 'float32' : 'float64';
}

/** Stacked weights: W1..WN of shape (T, d_j, d_{j−1}), or one array 'weights' of shape (T, N, d, d). */
function stackedWeights(file: string, arrays: Map<string, NpyArray>): { weights: Matrix[][]; sources: NpyArray[] } {
  const layers: NpyArray[] = [];
  for (let j = 1; arrays.has(`W${j}`); j++) layers.push(arrays.get(`W${j}`)!);
  if (layers.length > 0) {
    layers.forEach((a, j) => {
      if (a.kind === 'U' || a.shape.length !== 3)
        bad(
          file,
          `'W${j + 1}' must be a numeric array of shape (steps + 1, d_${j + 1}, d_${j}), found shape (${a.shape.join(', ')})`,
        );
    });
    const T = layers[0].shape[0];
    layers.forEach((a, j) => a.shape[0] !== T && bad(file, `'W${j + 1}' has ${a.shape[0]} points, 'W1' has ${T}`));
    const weights = Array.from({ length: T }, (_, k) =>
      layers.map((a) => matrixOf(a, k * a.shape[1] * a.shape[2], a.shape[1], a.shape[2])),
    );
    return { weights, sources: layers };
  }
  const all = arrays.get('weights');
  if (!all)
    bad(
      file,
      `no weights: expected arrays 'W1', 'W2', … of shape (steps + 1, d_j, d_{j−1}) or one 'weights' of shape (steps + 1, N, d, d)`,
    );
  if (all.kind === 'U' || all.shape.length !== 4)
    bad(file, `'weights' must have shape (steps + 1, N, d, d), found (${all.shape.join(', ')})`);
  const [T, N, r, c] = all.shape;
  const weights = Array.from({ length: T }, (_, k) =>
    Array.from({ length: N }, (_, j) => matrixOf(all, (k * N + j) * r * c, r, c)),
  );
  return { weights, sources: [all] };
}

/** A product-only record: one array 'W' of shape (steps + 1, d_N, d_0), each point as a one-layer network. */
function productPoints(file: string, a: NpyArray): { weights: Matrix[][]; sources: NpyArray[] } {
  if (a.kind === 'U' || a.shape.length !== 3)
    bad(file, `'W' must have shape (steps + 1, d_N, d_0), found (${a.shape.join(', ')})`);
  const [T, r, c] = a.shape;
  return { weights: Array.from({ length: T }, (_, k) => [matrixOf(a, k * r * c, r, c)]), sources: [a] };
}

function fromArrays(file: string, arrays: Map<string, NpyArray>): Trajectory {
  const product = arrays.get('W');
  const { weights, sources } =
    product && !arrays.has('W1') ? productPoints(file, product) : stackedWeights(file, arrays);
  if (weights.length < 2) bad(file, `need at least 2 points (the start and one step), found ${weights.length}`);
  const factor = scalar(file, arrays, 'loss_factor');
  if (factor !== undefined && !(factor > 0)) bad(file, `loss_factor must be > 0, got ${factor}`);
  const conventions: Conventions = {
    loss_scale: text<LossScale>(file, arrays, 'loss_scale', LOSS_SCALES) ?? 'half',
    ...(factor !== undefined ? { loss_factor: factor } : {}),
    weight_decay: text<WeightDecayForm>(file, arrays, 'weight_decay_form', WEIGHT_DECAY_FORMS) ?? 'canonical',
    layout: text<Layout>(file, arrays, 'layout', LAYOUTS) ?? 'columns',
  };
  const X = arrays.get('X'),
    Y = arrays.get('Y');
  if ((X === undefined) !== (Y === undefined)) bad(file, "give both 'X' and 'Y', or neither");
  for (const [k, a] of [
    ['X', X],
    ['Y', Y],
  ] as const)
    if (a && (a.kind === 'U' || a.shape.length !== 2)) bad(file, `'${k}' must be a 2-d numeric array`);
  const data =
    X && Y
      ? toColumns(
          { X: matrixOf(X, 0, X.shape[0], X.shape[1]), Y: matrixOf(Y, 0, Y.shape[0], Y.shape[1]) },
          conventions.layout,
        )
      : undefined;
  const lossArray = arrays.get('losses');
  const lr = scalar(file, arrays, 'lr');
  const depth = scalar(file, arrays, 'depth');
  return checkData(file, {
    dtype: text<Dtype>(file, arrays, 'dtype', ['float64', 'float32']) ?? dtypeOf(sources),
    conventions,
    optimizer: text<'gd' | 'sgd'>(file, arrays, 'optimizer', ['gd', 'sgd']) ?? 'gd',
    ...(lr !== undefined ? { lr } : {}),
    weightDecay: scalar(file, arrays, 'weight_decay') ?? 0,
    ...(data ? { data } : {}),
    weights,
    ...(lossArray ? { losses: Array.from(lossArray.data) } : {}),
    ...(product && !arrays.has('W1')
      ? {
          product: {
            balancedStart: (scalar(file, arrays, 'balanced_start') ?? 0) !== 0,
            ...(depth !== undefined ? { depth } : {}),
          },
        }
      : {}),
  });
}

/** Read a recorded run from .json, .npz or .npy (by extension, else by content). Bad files throw a ProtocolError. */
export function loadTrajectory(file: string): Trajectory {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    bad(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    if (bytes[0] === 0x93 && bytes.subarray(1, 6).toString('latin1') === 'NUMPY')
      return fromArrays(file, new Map([['weights', parseNpy(bytes, file)]]));
    if (bytes.readUInt32LE(0) === 0x04034b50) return fromArrays(file, parseNpz(bytes, file));
    return fromJson(file, bytes.toString('utf8'));
  } catch (e) {
    if (e instanceof NpyError) bad(file, e.message);
    throw e;
  }
}
