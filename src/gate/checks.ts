import { checkOrder } from '../check/order.js';
import { checkTaylor, type TaylorOptions } from '../check/taylor.js';
import { compare, type Verdict, worstOf } from '../check/verdict.js';
import { sci } from '../format.js';
import { metricOperator } from '../geometry/metric-operator.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd.js';
import { type Data, loss as modelLoss } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import { conditionedMatrix } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import type { GateClient } from './client.js';
import { declarationText, kappa, type LossConvention, lossConvention, SCALE_FORMULA } from './conventions.js';
import { explainFactor, fitFactor, hyperparameterHint, operatorHint, structuralHint } from './diagnose.js';
import {
  type BalancedCase,
  type BalancedCaseOptions,
  balancedCase,
  type DecayChoice,
  familyOf,
  LARGE,
  minibatch,
  type NetworkCase,
  networkCase,
  restrict,
} from './instances.js';
import { checkTrajectory, trajectoryVerdict } from './offline.js';
import { type Capability, type Conventions, canonicalDecay, LOSS_SCALES } from './protocol.js';
import {
  DRIFT_SCALE_TEXT,
  defects,
  driftLhs,
  driftRhs,
  driftScales,
  GRADIENT_SCALE_TEXT,
  gradientScales,
  LOSS_SCALE_TEXT,
  lossScale,
  ownIncrementRhs,
  productDecayGradients,
  productGradients,
  refEndToEndGradient,
  refGradients,
  refLoss,
  refStep,
  type Setting,
  STEP_SCALE_TEXT,
  stepScales,
} from './reference.js';
import { compareBlocks, compareScalar, norms, prod, type Tolerance } from './tolerance.js';

/**
 * The gate's online checks. Each draws instance i from its own seeded Rng, asks the implementation, and returns a
 * Verdict (measured, bound, error model, one-line detail) with a JSON summary of the instance and, on failure, a
 * hint that names the likely defect. The checks and what they catch are listed in docs/PROTOCOL.md §Checks.
 */

export interface CheckContext {
  readonly client: GateClient;
  readonly tol: Tolerance;
  readonly conventions: Conventions;
  /** The per-instance seed (also passed to balanced_init). */
  readonly seed: number;
}

export interface InstanceOutcome {
  readonly verdict: Verdict;
  readonly instance: Record<string, unknown>;
  /** On failure: what the numbers suggest (a convention that matches, a derivative that is wrong…). */
  readonly hint?: string;
  /** The hint names a defect the numbers were shown to fit (it then outranks the runner's precision diagnosis). */
  readonly diagnosed?: boolean;
}

export interface GateCheck {
  readonly name: string;
  readonly summary: string;
  /** Capabilities it needs; an inner list is satisfied by any one of its members. */
  readonly needs: readonly (Capability | readonly Capability[])[];
  /** Instances per run as a share of --runs (expensive checks run fewer), at least 1. */
  readonly share: number;
  /** Why the check does not apply to these conventions (it is then skipped), or undefined. */
  readonly inapplicable?: (conventions: Conventions) => string | undefined;
  run(ctx: CheckContext, rng: Rng, index: number): Promise<InstanceOutcome>;
}

const round3 = (x: number): number => Number(x.toPrecision(3));
const thetaNorm = (ws: readonly Matrix[]): number => Math.hypot(...norms(ws));

function setting(ctx: CheckContext, c: { lambda: number }): Setting {
  return { loss: lossConvention(ctx.conventions), lambda: canonicalDecay(c.lambda, ctx.conventions.weight_decay) };
}

/**
 * A check on one network case: instance i is networkCase(rng, i, …) in the declared weight-decay form, with the
 * penalty on every other instance unless `decay` chooses otherwise; `run` gets the case and its dlnv setting.
 */
function networkCheck(
  check: Omit<GateCheck, 'run'> & { readonly decay?: (index: number) => DecayChoice },
  run: (ctx: CheckContext, c: NetworkCase, s: Setting, rng: Rng) => Promise<InstanceOutcome>,
): GateCheck {
  const { decay, ...rest } = check;
  return {
    ...rest,
    async run(ctx, rng, index) {
      const none = ctx.conventions.weight_decay === 'none';
      const c = networkCase(rng, index, {
        decay: none ? 'never' : (decay?.(index) ?? 'alternate'),
        form: ctx.conventions.weight_decay,
      });
      return run(ctx, c, setting(ctx, c), rng);
    },
  };
}

/** A check on one balanced start: instance i is balancedCase(rng, start(i)); `run` gets the case. */
function balancedCheck(
  check: Omit<GateCheck, 'run'> & { readonly start: (index: number) => BalancedCaseOptions },
  run: (ctx: CheckContext, b: BalancedCase, rng: Rng) => Promise<InstanceOutcome>,
): GateCheck {
  const { start, ...rest } = check;
  return {
    ...rest,
    async run(ctx, rng, index) {
      return run(ctx, balancedCase(rng, { ...start(index), large: familyOf(index) === 'large' }), rng);
    },
  };
}

function summary(c: NetworkCase, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { family: c.family, widths: c.widths, samples: c.data.X.cols, weight_decay: c.lambda, ...extra };
}

const layerNames = (prefix: string, n: number, suffix = ''): string[] =>
  Array.from({ length: n }, (_, j) => `${prefix}${j + 1}${suffix}`);
const driftNames = (n: number, suffix = ''): string[] =>
  Array.from({ length: n }, (_, j) => `C_${j + 1}⁺ − (1−ηλ)²C_${j + 1}${suffix}`);

/** Hyperparameters: rounded to 3 digits for readable replays, except in the large family (full doubles). */
const hyper = (exact: boolean): ((x: number) => number) => (exact ? (x) => x : round3);

/** A step size that moves the weights by `fraction` of their norm along the gradient. */
function relativeStep(weights: readonly Matrix[], grads: readonly Matrix[], fraction: number, exact: boolean): number {
  const g = thetaNorm(grads);
  return hyper(exact)(g > 0 ? (fraction * Math.max(thetaNorm(weights), 1e-3)) / g : fraction);
}

/**
 * A step size small enough that dlnv's own GD step decreases L by ≥ 0.9·η‖∇L‖² (descent lemma regime): start at a
 * 10% move and halve. Returns η, ‖∇L‖², L(W) and dlnv's decrease.
 */
function descentStep(c: NetworkCase, s: Setting): { lr: number; g2: number; l0: number; ours: number } {
  const grads = refGradients(c.weights, c.data, s);
  const g2 = norms(grads).reduce((a, x) => a + x * x, 0);
  const l0 = refLoss(c.weights, c.data, s);
  const decrease = (lr: number): number => l0 - refLoss(refStep(c.weights, grads, lr), c.data, s);
  const round = hyper(c.family === 'large');
  let lr = relativeStep(c.weights, grads, 0.1, c.family === 'large');
  for (let k = 0; k < 40 && decrease(lr) < 0.9 * lr * g2; k++) lr = round(lr / 2);
  return { lr, g2, l0, ours: decrease(lr) };
}

/** Like descentStep, but every step of dlnv's own run of `steps` GD steps must satisfy the 0.9 descent margin. */
function descentRun(c: NetworkCase, s: Setting, steps: number): number {
  let { lr } = descentStep(c, s);
  const round = hyper(c.family === 'large');
  for (let halvings = 0; halvings < 40; halvings++, lr = round(lr / 2)) {
    let ws: Matrix[] = c.weights,
      ok = true;
    for (let k = 0; k < steps && ok; k++) {
      const g = refGradients(ws, c.data, s);
      const next = refStep(ws, g, lr);
      ok = refLoss(ws, c.data, s) - refLoss(next, c.data, s) >= 0.9 * lr * norms(g).reduce((a, x) => a + x * x, 0);
      ws = next;
    }
    if (ok) return lr;
  }
  return lr;
}

// ---- conventions: what the implementation's numbers match, when they do not match the declared ones --------

interface Alternative {
  readonly label: string;
  readonly loss: LossConvention;
  /** The penalty as the implementation may have applied the λ it was sent. */
  readonly decay: 'canonical' | 'wj' | 'product' | 'none';
}

function alternatives(ctx: CheckContext, lambdaSent: number): Alternative[] {
  const forms: Alternative['decay'][] = lambdaSent > 0 ? ['canonical', 'wj', 'product', 'none'] : ['canonical'];
  const mine = lossConvention(ctx.conventions);
  const out: Alternative[] = [];
  for (const scale of LOSS_SCALES) {
    for (const decay of forms) {
      const declared =
        scale === mine.scale && mine.factor === 1 && (lambdaSent === 0 || decay === ctx.conventions.weight_decay);
      if (declared) continue;
      const parts = [`loss_scale '${scale}' = ${SCALE_FORMULA[scale]}`];
      if (lambdaSent > 0)
        parts.push(
          decay === 'product'
            ? 'weight decay applied to the product W_{N:1}'
            : decay === 'none'
              ? "weight decay ignored (declare weight_decay 'none')"
              : `weight_decay '${decay}'`,
        );
      out.push({ label: parts.join(' with '), loss: { scale, factor: 1 }, decay });
    }
  }
  return out;
}

function altLoss(weights: readonly Matrix[], data: Data, a: Alternative, lambdaSent: number): number {
  const base = kappa(a.loss, data) * modelLoss(weights, data);
  if (a.decay === 'none') return base;
  if (a.decay === 'product') {
    const w = endToEnd(weights);
    return base + 0.5 * lambdaSent * frobeniusNorm(w) ** 2;
  }
  const lc = a.decay === 'wj' ? 2 * lambdaSent : lambdaSent;
  return base + 0.5 * lc * norms(weights).reduce((s, x) => s + x * x, 0);
}

function altGradients(weights: readonly Matrix[], data: Data, a: Alternative, lambdaSent: number): Matrix[] {
  const g = productGradients(weights, data, a.loss);
  if (a.decay === 'none') return g;
  const extra = a.decay === 'product' ? productDecayGradients(weights, lambdaSent) : weights.map((w) => w.clone());
  const k = a.decay === 'product' ? 1 : a.decay === 'wj' ? 2 * lambdaSent : lambdaSent;
  return g.map((gj, j) => {
    for (let i = 0; i < gj.data.length; i++) gj.data[i] += k * extra[j].data[i];
    return gj;
  });
}

/** The alternatives the received value fits (several can on one instance: with m = 1, 'mean' is 'half'). */
function matching(
  ctx: CheckContext,
  lambdaSent: number,
  what: string,
  fits: (a: Alternative) => boolean,
): string | undefined {
  const found = alternatives(ctx, lambdaSent)
    .filter(fits)
    .map((a) => a.label);
  if (found.length === 0) return undefined;
  const more = found.length > 2 ? ` (and ${found.length - 2} more that coincide on this instance)` : '';
  return `the received ${what} the loss with ${found.slice(0, 2).join(', or equally on this instance, ')}${more} (declared: ${declared(ctx)})`;
}

/**
 * The loss hint: a convention the value matches, else a constant factor fitted over the point and two more along the
 * Taylor direction (one more `loss` request): one value fits any factor, three must share it.
 */
async function lossHint(ctx: CheckContext, c: NetworkCase, s: Setting, received: number): Promise<string | undefined> {
  const scale = lossScale(c.weights, c.data, s);
  const named =
    matching(
      ctx,
      c.lambda,
      'value is',
      (a) => compareScalar(ctx.tol, '', altLoss(c.weights, c.data, a, c.lambda), received, scale, '').status === 'pass',
    ) ??
    firstSamplesHint(
      c.data.X.cols,
      'value is the loss',
      (d) => compareScalar(ctx.tol, '', refLoss(c.weights, d, s), received, scale, '').status === 'pass',
      c.data,
    );
  if (named) return named;
  const points = [c.weights, ...[0.3, -0.3].map((t) => c.weights.map((w, j) => combineWith(w, t, c.direction[j])))];
  const values = [received, ...(await ctx.client.loss(points.slice(1), c.data, c.lambda))];
  const one = (x: number): Matrix => new Matrix(1, 1, Float64Array.of(x));
  const dataTerm = points.map((p) => one(refLoss(p, c.data, { ...s, lambda: 0 })));
  const decay = s.lambda > 0 ? points.map((p) => one(0.5 * norms(p).reduce((a, x) => a + x * x, 0))) : undefined;
  const fit = fitFactor(
    ctx.tol,
    dataTerm,
    decay,
    values.map(one),
    points.map((p) => lossScale(p, c.data, s)),
  );
  return fit && explainFactor(ctx.tol, s.loss, ctx.conventions.weight_decay, fit, c.data, s.lambda);
}

/** Chunk sizes a data loader may cap a batch at. */
const CHUNKS = [1, 2, 4, 8, 16, 32, 50, 64, 100, 128, 200];

/** "the received … on the first k of the m samples only", when `fits` holds for the first k samples alone. */
function firstSamplesHint(m: number, what: string, fits: (d: Data) => boolean, data: Data): string | undefined {
  const k = CHUNKS.find(
    (k) =>
      k < m &&
      fits(
        restrict(
          data,
          Array.from({ length: k }, (_, i) => i),
        ),
      ),
  );
  return k === undefined
    ? undefined
    : `the received ${what} on the first ${k} of the ${m} samples only (a fixed chunk or batch size that drops the rest?)`;
}

/** w + t·d. */
function combineWith(w: Matrix, t: number, d: Matrix): Matrix {
  const out = w.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i] += t * d.data[i];
  return out;
}

function gradientHint(
  ctx: CheckContext,
  c: NetworkCase,
  received: readonly Matrix[],
  scales: readonly number[],
): string | undefined {
  return matching(ctx, c.lambda, 'gradients are those of', (a) => {
    const g = altGradients(c.weights, c.data, a, c.lambda);
    return compareBlocks(ctx.tol, layerNames('', g.length), g, received, scales, '').verdict.status === 'pass';
  });
}

function declared(ctx: CheckContext): string {
  return `${declarationText(lossConvention(ctx.conventions))}, weight_decay '${ctx.conventions.weight_decay}'`;
}

// ---- the Taylor test on the implementation's own loss -------------------------------------------------------

function taylorOptions(tol: Tolerance): TaylorOptions {
  // float32: the smallest steps vanish in the input rounding, so the grid starts at 1e-5; a defect must exceed
  // √ε_float32-level disagreement (1e-3) to count — a float32 gradient is accurate to ~1e-6 of its loss.
  return tol.dtype === 'float32' ? { tMin: 1e-5, points: 21, minRelativeError: 1e-3 } : { minRelativeError: 1e-6 };
}

/**
 * checkTaylor on the implementation's loss with its own gradient as the claimed derivative. checkTaylor picks its
 * points from x and ξ alone, so a first pass records them, one `loss` request evaluates them all, and a second
 * pass replays the answers in order.
 */
async function taylorOnOwnLoss(ctx: CheckContext, c: NetworkCase, grads: readonly Matrix[]): Promise<Verdict> {
  const derivative = grads.reduce((s, g, j) => s + g.data.reduce((t, v, i) => t + v * c.direction[j].data[i], 0), 0);
  const options = taylorOptions(ctx.tol);
  const points: Matrix[][] = [];
  checkTaylor(
    (x) => {
      points.push(x.map((m) => m.clone()));
      return 0;
    },
    c.weights,
    c.direction,
    { derivative },
    options,
  );
  const values = await ctx.client.loss(points, c.data, c.lambda);
  let k = 0;
  const verdict = checkTaylor(() => values[k++], c.weights, c.direction, { derivative }, options);
  if (k !== points.length) throw new Error(`gate taylor: replay used ${k} of ${points.length} recorded points`);
  return verdict;
}

/**
 * What the Taylor test on the implementation's own loss adds; `factor`: the gradient is that multiple of dlnv's;
 * `explained`: another declaration (or a named defect) was found for the gradients.
 */
function taylorDiagnosis(v: Verdict, factor: number | undefined, explained: boolean): string {
  const cause =
    factor !== undefined
      ? `your gradient is ${factor.toPrecision(4)} × the declared loss's gradient but your loss is not scaled the same way: loss and gradient disagree by a constant factor (an analytic gradient written for another scale than the loss?)`
      : 'the derivative itself is wrong';
  if (v.status === 'fail')
    return `and they are not the derivative of your own loss either (Taylor test on your loss: ${v.detail.slice(0, v.detail.lastIndexOf('; '))}): ${cause}`;
  const agree = `but they are the derivative of your own loss (Taylor test on your loss: ${v.detail.split(';')[0]}): loss and gradient agree with each other`;
  if (v.status === 'pass')
    return explained
      ? `${agree}, so the conventions differ from the declared ones`
      : `${agree}, so your loss itself is another function than the declared one (all the samples, the exact X, Y and λ sent?)`;
  return `the Taylor test on your own loss was inconclusive (${v.detail})`;
}

// ---- the checks -------------------------------------------------------------------------------------------

const lossCheck = networkCheck(
  {
    name: 'loss',
    needs: ['loss'],
    share: 1,
    summary: 'loss value = ½κ‖W_{N:1}X − Y‖² + penalty, under the declared conventions',
  },
  async (ctx, c, s) => {
    const [value] = await ctx.client.loss([c.weights], c.data, c.lambda);
    const scale = lossScale(c.weights, c.data, s);
    const verdict = compareScalar(
      ctx.tol,
      'L(W_1, …, W_N)',
      refLoss(c.weights, c.data, s),
      value,
      scale,
      LOSS_SCALE_TEXT,
    );
    const hint = verdict.status === 'fail' ? await lossHint(ctx, c, s, value) : undefined;
    return { verdict, instance: summary(c), hint, diagnosed: hint !== undefined };
  },
);

const gradientCheck = networkCheck(
  {
    name: 'gradient',
    needs: ['gradients'],
    share: 1,
    summary:
      "layer gradients = W_{N:j+1}ᵀ∇L¹(W)W_{j−1:1}ᵀ + λW_j (dlnv's); on failure a Taylor test on the implementation's own loss tells a convention mismatch from a wrong derivative",
  },
  async (ctx, c, s) => {
    const received = await ctx.client.gradients(c.weights, c.data, c.lambda);
    const scales = gradientScales(c.weights, c.data, s);
    const { verdict } = compareBlocks(
      ctx.tol,
      layerNames('∇_{W_', c.weights.length, '}L'),
      refGradients(c.weights, c.data, s),
      received,
      scales,
      GRADIENT_SCALE_TEXT,
    );
    if (verdict.status !== 'fail') return { verdict, instance: summary(c) };
    const names = layerNames('', received.length);
    const fits = (g: Matrix[]): boolean =>
      compareBlocks(ctx.tol, names, g, received, scales, '').verdict.status === 'pass';
    const fit = fitFactor(
      ctx.tol,
      productGradients(c.weights, c.data, s.loss),
      s.lambda > 0 ? c.weights : undefined,
      received,
      scales,
    );
    const structural = fit
      ? undefined
      : structuralHint(
          ctx.tol,
          c.weights,
          c.data,
          kappa(s.loss, c.data),
          s.lambda,
          refGradients(c.weights, c.data, s),
          received,
          scales,
        );
    const factor = fit && explainFactor(ctx.tol, s.loss, ctx.conventions.weight_decay, fit, c.data, s.lambda);
    const taylor = ctx.client.has('loss') ? await taylorOnOwnLoss(ctx, c, received) : undefined;
    // A convention explains a gradient only if it is the derivative of the implementation's own loss.
    const inconsistent = taylor?.status === 'fail';
    const convention = inconsistent ? undefined : gradientHint(ctx, c, received, scales);
    const scaled = fit && inconsistent ? `received = ${fit.factor.toPrecision(4)} × expected on every layer` : factor;
    const named =
      convention ??
      scaled ??
      structural ??
      firstSamplesHint(
        c.data.X.cols,
        'gradients are the gradients',
        (d) => fits(refGradients(c.weights, d, s)),
        c.data,
      );
    const hints = [
      named ??
        'the received gradients match no other loss scale or weight-decay form, no constant factor and no known structural defect',
    ];
    if (taylor) hints.push(taylorDiagnosis(taylor, fit?.factor, named !== undefined));
    return { verdict, instance: summary(c), hint: hints.join('; '), diagnosed: named !== undefined };
  },
);

const taylorCheck = networkCheck(
  {
    name: 'taylor',
    needs: ['loss', 'gradients'],
    share: 1,
    summary:
      "the implementation's gradient is the derivative of its own loss (Taylor remainder: slope 2, no slope-1 defect), whatever its conventions",
  },
  async (ctx, c) => {
    const received = await ctx.client.gradients(c.weights, c.data, c.lambda);
    const verdict = await taylorOnOwnLoss(ctx, c, received);
    return {
      verdict,
      instance: summary(c),
      hint:
        verdict.status === 'fail'
          ? 'the gradient is not the derivative of the loss the same implementation computes'
          : undefined,
    };
  },
);

/** The received step W⁺ against dlnv's step from the same point, block by block at the step's scales. */
function directStepVerdict(
  ctx: CheckContext,
  weights: readonly Matrix[],
  data: Data,
  s: Setting,
  lr: number,
  received: readonly Matrix[],
): { verdict: Verdict; scales: number[] } {
  const grads = refGradients(weights, data, s);
  const scales = stepScales(weights, grads, gradientScales(weights, data, s), lr);
  const names = layerNames('W_', weights.length, '⁺');
  const verdict = compareBlocks(ctx.tol, names, refStep(weights, grads, lr), received, scales, STEP_SCALE_TEXT).verdict;
  return { verdict, scales };
}

/** The direct comparison with dlnv's step and THEORY's drift identity; with the own-increment identity as diagnosis. */
function stepVerdicts(
  ctx: CheckContext,
  weights: readonly Matrix[],
  data: Data,
  s: Setting,
  lr: number,
  received: readonly Matrix[],
): { verdict: Verdict; hint?: string; diagnosed: boolean } {
  const { verdict: direct, scales: sScales } = directStepVerdict(ctx, weights, data, s, lr, received);
  const verdicts = [direct];
  const shrink = 1 - lr * s.lambda;
  let own: Verdict | undefined;
  if (weights.length >= 2) {
    const dScales = driftScales(weights, received, sScales);
    const lhs = driftLhs(weights, received, shrink);
    verdicts.unshift(
      compareBlocks(
        ctx.tol,
        driftNames(weights.length - 1),
        driftRhs(productGradients(weights, data, s.loss), lr),
        lhs,
        dScales,
        DRIFT_SCALE_TEXT,
      ).verdict,
    );
    own = compareBlocks(
      ctx.tol,
      driftNames(weights.length - 1, ' with your own increments'),
      ownIncrementRhs(weights, received, shrink),
      lhs,
      dScales,
      DRIFT_SCALE_TEXT,
    ).verdict;
  }
  if (verdicts.every((v) => v.status !== 'fail')) return { verdict: worstOf(verdicts), diagnosed: false };
  // The step's own gradient (W − W⁺)/η fitted as a·G + b·W: a lost digit of lr, or another loss scale.
  const increments = received.map(
    (w, j) =>
      new Matrix(
        w.rows,
        w.cols,
        w.data.map((x, i) => (weights[j].data[i] - x) / lr),
      ),
  );
  const fit = fitFactor(
    ctx.tol,
    productGradients(weights, data, s.loss),
    s.lambda > 0 ? [...weights] : undefined,
    increments,
    sScales.map((x) => x / lr),
  );
  const rounded = fit && hyperparameterHint(fit, lr, s.lambda);
  const factor =
    fit && !rounded ? explainFactor(ctx.tol, s.loss, ctx.conventions.weight_decay, fit, data, s.lambda) : undefined;
  const hint =
    rounded ??
    (own === undefined
      ? factor && `the step's gradient (W − W⁺)/η: ${factor}`
      : own.status === 'pass'
        ? `your update is a simultaneous gradient step of some cost of the product with per-layer decay (1−ηλ)W_j (the drift identity holds with your own increments), but not of the declared loss: ${factor ? `the step's gradient (W − W⁺)/η: ${factor}` : 'check the gradient and the conventions'}`
        : `your update is not a simultaneous gradient step of a cost of the product with per-layer decay (1−ηλ)W_j — the drift identity fails even with your own increments (${own.detail.split(';')[0]}): layers updated in sequence? weight decay not applied as (1−ηλ)W_j to each layer? a gradient that is not a gradient (see the 'gradient' check)?`);
  return { verdict: worstOf(verdicts), hint, diagnosed: rounded !== undefined || factor !== undefined };
}

const gdStepCheck = networkCheck(
  {
    name: 'gd-step',
    needs: ['gd_step'],
    share: 1,
    summary:
      "one GD step: the exact drift identity C_j⁺ − (1−ηλ)²C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) and W_j⁺ = W_j − η∇_{W_j}L (dlnv's)",
  },
  async (ctx, c, s) => {
    const lr = relativeStep(c.weights, refGradients(c.weights, c.data, s), 0.05, c.family === 'large');
    const received = await ctx.client.gdStep(c.weights, c.data, c.lambda, lr);
    const { verdict, hint, diagnosed } = stepVerdicts(ctx, c.weights, c.data, s, lr, received);
    return { verdict, instance: summary(c, { lr }), hint, diagnosed };
  },
);

const sgdStepCheck = networkCheck(
  {
    name: 'sgd-step',
    needs: ['sgd_step'],
    share: 1,
    decay: (index) => (index % 4 === 0 ? 'never' : 'always'),
    summary:
      'one SGD step on the given samples with weight decay: the drift identity with the minibatch gradient, and the step itself',
  },
  async (ctx, c, s, rng) => {
    const samples = minibatch(rng, c.data.X.cols);
    const batch = restrict(c.data, samples);
    const lr = relativeStep(c.weights, refGradients(c.weights, batch, s), 0.05, c.family === 'large');
    const received = await ctx.client.sgdStep(c.weights, c.data, c.lambda, lr, samples);
    const { verdict, hint, diagnosed } = stepVerdicts(ctx, c.weights, batch, s, lr, received);
    return { verdict, instance: summary(c, { lr, samples }), hint, diagnosed };
  },
);

const weightDecayCheck = networkCheck(
  {
    name: 'weight-decay',
    needs: ['gd_step'],
    share: 1,
    decay: () => 'always',
    summary: "the decay acts on each layer: gd_step(λ) − gd_step(0) = −ηλW_j (canonical; −2ηλW_j for 'wj')",
    inapplicable: (c) =>
      c.weight_decay === 'none'
        ? "the implementation declares weight_decay 'none' (every check runs with λ = 0)"
        : undefined,
  },
  async (ctx, c, s) => {
    const g0 = refGradients(c.weights, c.data, { ...s, lambda: 0 });
    const lr = relativeStep(c.weights, g0, 0.05, c.family === 'large');
    const withDecay = await ctx.client.gdStep(c.weights, c.data, c.lambda, lr);
    const without = await ctx.client.gdStep(c.weights, c.data, 0, lr);
    const received = withDecay.map((w, j) => {
      const d = new Matrix(w.rows, w.cols);
      for (let i = 0; i < d.data.length; i++) d.data[i] = w.data[i] - without[j].data[i];
      return d;
    });
    const scaled = (k: number, ms: readonly Matrix[]): Matrix[] =>
      ms.map((w) => {
        const d = w.clone();
        for (let i = 0; i < d.data.length; i++) d.data[i] *= k;
        return d;
      });
    const expected = scaled(-lr * s.lambda, c.weights);
    const gScales = gradientScales(c.weights, c.data, s);
    const sScales = stepScales(c.weights, refGradients(c.weights, c.data, s), gScales, lr).map((x) => 2 * x);
    const { verdict } = compareBlocks(
      ctx.tol,
      layerNames('W_', c.weights.length, '⁺(λ) − W⁺(0)'),
      expected,
      received,
      sScales,
      `2·(${STEP_SCALE_TEXT})`,
    );
    let hint: string | undefined,
      diagnosed = false;
    if (verdict.status === 'fail') {
      const candidates: [string, Matrix[]][] = [
        [
          'weight decay applied to the product W_{N:1} (penalty (λ/2)‖W_{N:1}‖²) instead of each layer',
          scaled(-lr * c.lambda, productDecayGradients(c.weights, 1)),
        ],
        ["the 'wj' form λΣ‖W_j‖² (gradient 2λW_j)", scaled(-lr * 2 * c.lambda, c.weights)],
        ["the 'canonical' form (λ/2)Σ‖W_j‖² (gradient λW_j)", scaled(-lr * c.lambda, c.weights)],
        ["no weight decay at all (declare weight_decay 'none')", scaled(0, c.weights)],
      ];
      const match = candidates.find(
        ([, m]) => compareBlocks(ctx.tol, layerNames('', m.length), m, received, sScales, '').verdict.status === 'pass',
      );
      const fit = fitFactor(ctx.tol, expected, undefined, received, sScales);
      const rounded = fit && hyperparameterHint({ factor: fit.factor, decay: 0 }, lr, 0);
      hint = match
        ? `the received difference is what ${match[0]} gives (declared: weight_decay '${ctx.conventions.weight_decay}')`
        : rounded;
      diagnosed = hint !== undefined;
      hint ??= 'the difference matches no known weight-decay form';
    }
    return { verdict, instance: summary(c, { lr }), hint, diagnosed };
  },
);

const lossDecreaseCheck = networkCheck(
  {
    name: 'loss-decrease',
    needs: ['gd_step'],
    share: 1,
    summary:
      'a GD step with small η decreases the loss by at least ½η‖∇L‖² (η chosen so that dlnv’s own step decreases it by ≥ 0.9η‖∇L‖²)',
  },
  async (ctx, c, s) => {
    const { lr, g2, l0, ours } = descentStep(c, s);
    const received = await ctx.client.gdStep(c.weights, c.data, c.lambda, lr);
    const decrease = l0 - refLoss(received, c.data, s);
    const slack = ctx.tol.c * ctx.tol.eps * lossScale(c.weights, c.data, s);
    const verdict = compare({
      measured: (decrease + slack) / (lr * g2),
      bound: 0.5,
      comparison: '>=',
      errorModel: `descent lemma: with dlnv's step decreasing L by ≥ 0.9·η‖∇L‖², a gradient step must decrease it by ≥ ½·η‖∇L‖²; measured = (L(W) − L(W⁺) + ${ctx.tol.c}·ε·loss scale)/(η‖∇L‖²)`,
      detail: `L(W) − L(W⁺) = ${sci(decrease)} at η = ${lr}: expected ≥ ½·η‖∇L‖² = ${sci(0.5 * lr * g2)} (dlnv's own step decreases L by ${sci(ours)}), received ${sci(decrease)}`,
    });
    return {
      verdict,
      instance: summary(c, { lr }),
      hint:
        verdict.status === 'fail'
          ? decrease < 0
            ? 'the step increases the loss: a sign error, or not a gradient step'
            : 'the step decreases the loss too little: the step is shorter than η∇L (a smaller loss scale?) or not along −∇L'
          : undefined,
    };
  },
);

const endToEndCheck = balancedCheck(
  {
    name: 'end-to-end',
    needs: ['gd_step'],
    share: 0.5,
    start: () => ({ spare: false }),
    summary:
      'from a balanced start (the implementation’s balanced_init when it has one), one GD step moves the product by −ηA_W(∇L¹(W)) + O(η²): the deviation has order 2 in η',
  },
  async (ctx, b) => {
    const n = b.widths.length - 1;
    const own = ctx.client.has('balanced_init')
      ? 'implementation'
      : ctx.client.has('balanced_init_random')
        ? 'implementation (random)'
        : 'dlnv';
    const start =
      own === 'dlnv'
        ? b.weights
        : await ctx.client.balancedInit(
            own === 'implementation' ? b.target : { rank: b.rank, scale: svd(b.target).s[0] },
            b.widths,
            ctx.seed,
          );
    const w = endToEnd(start);
    const g1 = refEndToEndGradient(w, b.data, lossConvention(ctx.conventions));
    const aw = metricOperator(w, n, { rtol: Math.sqrt(ctx.tol.eps) }).apply(g1);
    const move = frobeniusNorm(aw);
    const lr0 = hyper(b.large)(move > 0 ? (0.1 * frobeniusNorm(w)) / move : 0.1);
    const lrs = [lr0, lr0 / 2, lr0 / 4, lr0 / 8];
    const deviations: number[] = [];
    for (const lr of lrs) {
      const next = await ctx.client.gdStep(start, b.data, 0, lr);
      const p = endToEnd(next);
      let d2 = 0;
      for (let i = 0; i < p.data.length; i++) d2 += (p.data[i] - (w.data[i] - lr * aw.data[i])) ** 2;
      deviations.push(Math.sqrt(d2));
    }
    // Round-off floor of the deviation: each returned factor is rounded to the dtype (relative ε each, N of
    // them) and the step's own computation adds a few ε per layer: 2(N + 1)·ε·Π‖W_j‖₂.
    const floor = 2 * (n + 1) * ctx.tol.eps * prod(start.map((m) => svd(m).s[0] ?? 0));
    const order = checkOrder(lrs, deviations, { order: 2, floor, label: '‖W_{N:1}⁺ − (W − η·A_W(∇L¹(W)))‖' });
    const relative = deviations.map((d, i) => d / (lrs[i] * move));
    const verdict: Verdict = {
      ...order,
      detail:
        `${order.detail}: expected a deviation of order η², received ${deviations.map(sci).join(', ')} at η = ${lrs.map(sci).join(', ')} ` +
        `(relative to the first-order move η‖A_W(∇L¹)‖: ${relative.map(sci).join(', ')}${order.status === 'fail' ? ' — not shrinking with η' : ''})`,
    };
    const instance = { widths: b.widths, rank: b.rank, samples: b.data.X.cols, lr: lrs, balanced_init: own };
    const unbalanced = Math.max(0, ...defects(start).map(frobeniusNorm)) / Math.max(...norms(start).map((x) => x * x));
    return {
      verdict,
      instance,
      hint:
        verdict.status === 'fail'
          ? unbalanced > 1e3 * ctx.tol.eps
            ? `the start is not balanced (max ‖C_j‖/‖W_j‖² = ${sci(unbalanced)}): the implementation's balanced_init is wrong`
            : 'the start is balanced, so the GD step itself is not a step along −∇L'
          : undefined,
    };
  },
);

const sgdRankCheck = balancedCheck(
  {
    name: 'sgd-rank',
    needs: ['sgd_step'],
    share: 0.5,
    start: () => ({ spare: true }),
    summary:
      "from a balanced start of rank r, 20 SGD steps with weight decay never raise the numerical rank of the product or of any layer (WJ, rank never rises), and each is dlnv's SGD step",
  },
  async (ctx, b, rng) => {
    const drawn = Math.pow(10, -1.5 + rng.uniform());
    const lambdaCanonical = ctx.conventions.weight_decay === 'none' ? 0 : drawn;
    const lambda = ctx.conventions.weight_decay === 'wj' ? lambdaCanonical / 2 : lambdaCanonical;
    const s: Setting = { loss: lossConvention(ctx.conventions), lambda: lambdaCanonical };
    const lr = relativeStep(b.weights, refGradients(b.weights, b.data, s), 0.02, b.large);
    const tau = 1e4 * ctx.tol.eps;
    const steps = 20;
    let worst = { ratio: 0, step: 0, which: 'W_{N:1}' };
    let ws = b.weights;
    const stepChecks: Verdict[] = [];
    let firstBad: { hint?: string; diagnosed: boolean } | undefined;
    for (let k = 1; k <= steps; k++) {
      const samples = minibatch(rng, b.data.X.cols);
      const next = await ctx.client.sgdStep(ws, b.data, lambda, lr, samples);
      // Each link of the chain against dlnv's SGD step from the implementation's own previous point.
      const batch = restrict(b.data, samples);
      const v = directStepVerdict(ctx, ws, batch, s, lr, next).verdict;
      stepChecks.push({ ...v, detail: `SGD step ${k}: ${v.detail}` });
      if (v.status === 'fail' && !firstBad) firstBad = stepVerdicts(ctx, ws, batch, s, lr, next);
      ws = next;
      const mats: [string, Matrix][] = [
        ['W_{N:1}', endToEnd(ws)],
        ...ws.map((w, j) => [`W_${j + 1}`, w] as [string, Matrix]),
      ];
      for (const [name, m] of mats) {
        const sv = svd(m).s;
        if (b.rank >= sv.length || sv[0] === 0) continue;
        const ratio = sv[b.rank] / sv[0];
        if (ratio > worst.ratio) worst = { ratio, step: k, which: name };
      }
    }
    const rankVerdict = compare({
      measured: worst.ratio,
      bound: tau,
      errorModel: `rank_τ(M) = #{σ_i > τ·σ_1(M)} with τ = 1e4·ε_${ctx.tol.dtype} = ${sci(tau)}: round-off in a dead direction stays at a few ε·σ_1 under a correct step, a rank rise is of the size of the step`,
      detail:
        worst.ratio > tau
          ? `the rank of ${worst.which} rose from ${b.rank} to ≥ ${b.rank + 1} at SGD step ${worst.step}: expected σ_${b.rank + 1}/σ_1 ≤ τ = ${sci(tau)}, received ${sci(worst.ratio)}`
          : `largest σ_${b.rank + 1}/σ_1 over ${steps} steps: ${sci(worst.ratio)} (${worst.which}, step ${worst.step}), rank ${b.rank} kept`,
    });
    const rose = rankVerdict.status === 'fail';
    const chain = worstOf(stepChecks);
    const verdict = rose ? rankVerdict : worstOf([rankVerdict, chain]);
    const hint = rose
      ? 'the SGD step raises the rank from a balanced start: it is not a gradient step (an adaptive or sign-based update? noise added?)'
      : firstBad &&
        `a step of the chain is not dlnv's SGD step on the given samples (each step is compared from your own previous point)${firstBad.hint ? `: ${firstBad.hint}` : ''}`;
    return {
      verdict,
      instance: { widths: b.widths, rank: b.rank, samples: b.data.X.cols, weight_decay: lambda, lr, steps },
      hint,
      diagnosed: !rose && firstBad?.diagnosed,
    };
  },
);

const operatorCheck: GateCheck = {
  name: 'operator',
  summary: "A_W(Z) = Σ_j (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N} (THEORY §2; zero singular values truncated) against dlnv's",
  needs: ['end_to_end_operator'],
  share: 1,
  async run(ctx, rng, index) {
    const large = familyOf(index) === 'large';
    const depth = rng.integer(1, large ? LARGE.depth : 4);
    const rows = rng.integer(1, large ? LARGE.width : 5),
      cols = rng.integer(1, large ? LARGE.width : 5);
    const full = Math.min(rows, cols);
    const rank = index % 2 === 1 && full > 1 ? rng.integer(1, full - 1) : full;
    const cond = Math.pow(10, rng.uniform());
    const w = conditionedMatrix(rng, rows, cols, { rank, cond, scale: 0.5 + 1.5 * rng.uniform() });
    const z = gaussianMatrix(rng, rows, cols);
    const op = metricOperator(w, depth, { rank });
    const received = await ctx.client.endToEndOperator(w, z, depth);
    const s1 = op.point.s[0],
      sk = op.point.s[rank - 1];
    const scale = depth * (rows + cols) * Math.pow(s1, (2 * (depth - 1)) / depth) * frobeniusNorm(z) * (s1 / sk) ** 2;
    const { verdict } = compareBlocks(
      ctx.tol,
      ['A_W(Z)'],
      [op.apply(z)],
      [received],
      [scale],
      'N·(d_0+d_N)·σ_1^{2(N−1)/N}·‖Z‖·(σ_1/σ_k)²',
    );
    const named = verdict.status === 'fail' ? operatorHint(ctx.tol, w, z, depth, rank, received, scale) : undefined;
    return {
      verdict,
      instance: { shape: [rows, cols], depth, rank, condition: round3(cond) },
      diagnosed: named !== undefined,
      hint:
        verdict.status === 'fail'
          ? (named ??
            (rank < full
              ? 'W is rank-deficient here: are singular values ≤ rtol·σ_1 set to 0 before the fractional powers, with 0^0 = 1? Otherwise check the exponents (N−j)/N and (j−1)/N'
              : 'W has full rank here: check the exponents (N−j)/N on WWᵀ and (j−1)/N on WᵀW, and the sum over j = 1..N'))
          : undefined,
    };
  },
};

/** The rank of the product is at most r: σ_{r+1}/σ_1 ≤ τ = 1e4·ε (and the product is not 0). */
function rankAtMost(ctx: CheckContext, product: Matrix, rank: number): Verdict {
  const sv = svd(product).s,
    tau = 1e4 * ctx.tol.eps;
  const ratio = sv[0] > 0 ? (sv[rank] ?? 0) / sv[0] : Infinity;
  return compare({
    measured: ratio,
    bound: tau,
    errorModel: `rank_τ(M) = #{σ_i > τ·σ_1(M)} with τ = 1e4·ε_${ctx.tol.dtype} = ${sci(tau)}`,
    detail:
      sv[0] > 0
        ? `W_{N:1} of the start: expected rank ≤ ${rank}, received σ_${rank + 1}/σ_1 = ${sci(ratio)} (σ_1 = ${sci(sv[0])})`
        : 'W_{N:1} of the start: expected a product of rank ≥ 1, received the zero matrix',
  });
}

const balancedInitCheck = balancedCheck(
  {
    name: 'balanced-init',
    needs: [['balanced_init', 'balanced_init_random']],
    share: 0.5,
    start: (index) => ({ spare: index % 2 === 1, minDepth: 1 }),
    summary:
      "balanced_init(A) factors A (W_{N:1} = A) with every C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ = 0; without a target ('balanced_init_random'), " +
      'its own start is balanced and its product has the requested rank',
  },
  async (ctx, b) => {
    const random = !ctx.client.has('balanced_init');
    const sigma1 = svd(b.target).s[0];
    const ws = await ctx.client.balancedInit(random ? { rank: b.rank, scale: sigma1 } : b.target, b.widths, ctx.seed);
    const ns = norms(ws);
    const n = b.widths.reduce((a, d) => a + d, 0);
    const product = random
      ? rankAtMost(ctx, endToEnd(ws), b.rank)
      : compareBlocks(
          ctx.tol,
          ['W_{N:1}'],
          [b.target],
          [endToEnd(ws)],
          [n * prod(ns) + frobeniusNorm(b.target)],
          'n·Π‖W_j‖ + ‖A‖, n = Σd_j',
        ).verdict;
    const cs = defects(ws);
    const zero = cs.map((c) => new Matrix(c.rows, c.cols));
    const verdicts = [product];
    if (cs.length > 0) {
      verdicts.push(
        compareBlocks(
          ctx.tol,
          layerNames('C_', cs.length),
          zero,
          cs,
          cs.map((c, j) => c.rows * (ns[j + 1] ** 2 + ns[j] ** 2)),
          'd_j·(‖W_{j+1}‖² + ‖W_j‖²)',
        ).verdict,
      );
    }
    return {
      verdict: worstOf(verdicts),
      instance: {
        widths: b.widths,
        rank: b.rank,
        ...(random ? { scale: sigma1, target: 'none (balanced_init_random)' } : {}),
      },
    };
  },
);

const trajectoryCheck = networkCheck(
  {
    name: 'trajectory',
    needs: ['trajectory'],
    share: 0.25,
    summary:
      "a whole GD run from the implementation: it starts where asked, every step is dlnv's GD step, the drift identity holds with its own increments, the loss never increases, recorded losses are right",
  },
  async (ctx, c, s) => {
    const steps = 8;
    const lr = descentRun(c, s, steps);
    const t = await ctx.client.trajectory(c.weights, c.data, c.lambda, lr, steps);
    const start = compareBlocks(
      ctx.tol,
      layerNames('W_', c.weights.length, '(0)'),
      c.weights,
      t.weights[0],
      norms(c.weights),
      '‖W_j‖',
    ).verdict;
    const results = checkTrajectory(
      {
        dtype: ctx.tol.dtype,
        conventions: ctx.conventions,
        optimizer: 'gd',
        lr,
        weightDecay: c.lambda,
        data: c.data,
        weights: t.weights,
        ...(t.losses ? { losses: t.losses } : {}),
      },
      ctx.tol,
    );
    const rest = trajectoryVerdict(results);
    const verdict = worstOf([{ ...start, detail: `start: ${start.detail}` }, ...(rest ? [rest] : [])]);
    // A failing run: the diagnosis of its first step, taken from the start dlnv sent.
    const first =
      verdict.status === 'fail' && start.status === 'pass'
        ? stepVerdicts(ctx, c.weights, c.data, s, lr, t.weights[1])
        : undefined;
    return {
      verdict,
      instance: summary(c, { lr, steps }),
      ...(first?.hint ? { hint: `first step: ${first.hint}`, diagnosed: first.diagnosed } : {}),
    };
  },
);

export const CHECKS: readonly GateCheck[] = [
  lossCheck,
  gradientCheck,
  taylorCheck,
  gdStepCheck,
  weightDecayCheck,
  lossDecreaseCheck,
  endToEndCheck,
  sgdStepCheck,
  sgdRankCheck,
  operatorCheck,
  balancedInitCheck,
  trajectoryCheck,
];
