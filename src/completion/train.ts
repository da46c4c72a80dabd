import { allocateState, assertStateShapes, type Shape } from '../dynamics/state.js';
import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { widthsOf } from '../model/network.js';
import { Rng } from '../random/rng.js';
import { type ObservationInfo, RankRecorder, type RankTrajectory, type RecorderOptions } from '../rank/recorder.js';
import { CompletionCost, type ProductCost } from './cost.js';
import { checkWidths, ProductCostField, StochasticGradient } from './gradients.js';
import { createOptimizer, type Optimizer, type OptimizerSpec } from './optimizers.js';
import { SingleEntrySgd } from './single-entry-sgd.js';
import { type DecayConvention, decayCoefficient, parameterNormSquared } from './weight-decay.js';

/** A stretch of training with a fixed learning rate and decay (WJ anneal: large λ, η first, then smaller). */
export interface Phase {
  readonly steps: number;
  readonly learningRate: number;
  /** λ in the run's decay convention. */
  readonly lambda: number;
}

/** 'full' = full-batch gradient (GD); a number B = B samples drawn uniformly with replacement per step. */
export type BatchSize = number | 'full';

export interface TrainerOptions {
  readonly optimizer: OptimizerSpec;
  /** Default 1 (single-sample SGD). */
  readonly batch?: BatchSize;
  /** Default 'wj' (λ‖θ‖²). */
  readonly convention?: DecayConvention;
  /** Seed of the sample stream (and of Langevin's noise). */
  readonly seed: number;
  /** A (batch) cost above this counts as divergence and the step is not applied. Default 1e100. */
  readonly divergenceLimit?: number;
}

export function assertPhase(p: Phase, argument: string): Phase {
  if (!p || typeof p !== 'object') throw new DomainError(argument, 'expected { steps, learningRate, lambda }');
  if (!(Number.isInteger(p.steps) && p.steps >= 0))
    throw new DomainError(`${argument}.steps`, `expected an integer ≥ 0, received ${p.steps}`);
  if (!(Number.isFinite(p.learningRate) && p.learningRate > 0))
    throw new DomainError(`${argument}.learningRate`, `expected a finite η > 0, received ${p.learningRate}`);
  if (!(Number.isFinite(p.lambda) && p.lambda >= 0))
    throw new DomainError(`${argument}.lambda`, `expected a finite λ ≥ 0, received ${p.lambda}`);
  return p;
}

/**
 * One optimizer on one product-only cost: step(state, η, λ) draws a batch (seeded), computes the data gradient
 * (rank-one per sample, or full batch) and lets the optimizer apply it with the penalty gradient μW (μ = 2λ for
 * 'wj', λ for 'canonical'). Buffers are allocated once; a step allocates nothing.
 */
export class Trainer {
  readonly shapes: readonly Shape[];
  readonly gradient: Matrix[];
  readonly optimizer: Optimizer;
  readonly batch: BatchSize;
  readonly convention: DecayConvention;
  readonly rng: Rng;
  readonly field: ProductCostField;
  private readonly stochastic: StochasticGradient;
  private readonly samples: Int32Array;
  readonly divergenceLimit: number;
  /** Called with the gradient before the optimizer uses it (tests with teeth break things here). */
  gradientHook: ((step: number, state: readonly Matrix[], gradient: readonly Matrix[]) => void) | undefined;
  private count = 0;
  /** Plain single-entry SGD on a completion cost takes the rank-one shortcut (bitwise the same steps). */
  private readonly fast: SingleEntrySgd | undefined;
  /** The state array the fast path last left finite (undefined: scan the state before trusting it). */
  private finiteState: readonly Matrix[] | undefined;

  constructor(
    readonly widths: readonly number[],
    readonly cost: ProductCost,
    options: TrainerOptions,
  ) {
    this.shapes = checkWidths(widths, cost);
    const batch = options.batch ?? 1;
    if (batch !== 'full' && !(Number.isInteger(batch) && batch >= 1))
      throw new DomainError('batch', `expected 'full' or an integer ≥ 1, received ${batch}`);
    if (!Number.isInteger(options.seed)) throw new DomainError('seed', `expected an integer, received ${options.seed}`);
    this.batch = batch;
    this.convention = options.convention ?? 'wj';
    if (this.convention !== 'wj' && this.convention !== 'canonical')
      throw new DomainError('convention', `expected 'wj' or 'canonical', received ${JSON.stringify(this.convention)}`);
    this.optimizer = createOptimizer(options.optimizer, this.shapes);
    this.gradient = allocateState(this.shapes);
    this.field = new ProductCostField(widths, cost);
    this.stochastic = new StochasticGradient(widths, cost);
    this.samples = new Int32Array(batch === 'full' ? 0 : batch);
    this.rng = new Rng(options.seed);
    this.divergenceLimit = options.divergenceLimit ?? 1e100;
    if (!(this.divergenceLimit > 0))
      throw new DomainError('divergenceLimit', `expected a number > 0, received ${this.divergenceLimit}`);
    const spec = this.optimizer.spec;
    this.fast =
      batch === 1 && cost instanceof CompletionCost && spec.kind === 'sgd' && spec.momentum === 0
        ? new SingleEntrySgd(widths, cost)
        : undefined;
  }

  /** Forget that the state passed last was checked finite (call after changing it between steps). */
  invalidate(): void {
    this.finiteState = undefined;
  }

  /**
   * The fast path's own state in WebAssembly memory (SingleEntrySgd.state): steps on that array run in its kernels
   * with no copies. Undefined when there is none (other optimizers and batches, or no WebAssembly).
   */
  stepState(): readonly Matrix[] | undefined {
    return this.fast?.state;
  }

  /** μ of the penalty gradient for λ in this trainer's convention. */
  mu(lambda: number): number {
    return decayCoefficient({ lambda, convention: this.convention });
  }

  /**
   * One step in place. Returns the (batch) cost at the state before the step; when it is not finite or above the
   * divergence limit the step is NOT applied, so the state stays the last one that passed.
   * Plain single-entry SGD on a CompletionCost takes SingleEntrySgd's shortcut (bitwise the same step) while the
   * state array is known finite: a new array is scanned; after writing into the same array between steps, call
   * invalidate().
   */
  step(state: readonly Matrix[], eta: number, lambda: number): number {
    const fast = this.fast;
    if (fast && !this.gradientHook) {
      if (this.finiteState !== state) {
        assertStateShapes(state, this.shapes, 'weights');
        this.finiteState = allFinite(state) ? state : undefined;
      }
      if (this.finiteState === state) {
        // The general path below on a finite state, without its products with exact zeros.
        const c = fast.forward(state, Math.floor(this.rng.uniform() * this.cost.samples));
        if (!(Math.abs(c) <= this.divergenceLimit)) return c;
        this.count++;
        if (!fast.update(state, eta, this.mu(lambda))) this.finiteState = undefined;
        return c;
      }
    }
    let c: number;
    if (this.batch === 'full') c = this.field.dataGradientInto(state, this.gradient);
    else {
      const S = this.cost.samples,
        n = this.batch;
      for (let k = 0; k < n; k++) this.samples[k] = Math.floor(this.rng.uniform() * S);
      c = this.stochastic.batchGradientInto(state, this.samples, n, this.gradient);
    }
    if (!(Math.abs(c) <= this.divergenceLimit)) return c;
    this.count++;
    this.gradientHook?.(this.count, state, this.gradient);
    this.optimizer.step(state, this.gradient, eta, this.mu(lambda), this.rng);
    return c;
  }
}

export interface TrainOptions extends TrainerOptions {
  readonly cost: ProductCost;
  /** W_1..W_L at the start (copied; the result holds the final weights). */
  readonly weights: readonly Matrix[];
  readonly phases: readonly Phase[];
  /** Observe every this many steps (and at 0 and the end). Default: about 200 observations. */
  readonly every?: number;
  /** RankRecorder options, or false for no recording (e.g. in a benchmark). */
  readonly recorder?: RecorderOptions | false;
  /**
   * Called at every observation (after the recorder). The state may be the trainer's own (Trainer.stepState):
   * clone it to keep it past the call.
   */
  readonly observer?: (step: number, state: readonly Matrix[], info: ObservationInfo) => void;
  readonly gradientHook?: (step: number, state: readonly Matrix[], gradient: readonly Matrix[]) => void;
}

export interface Divergence {
  readonly step: number;
  readonly reason: string;
}

export interface TrainResult {
  readonly status: 'completed' | 'diverged';
  /** Steps completed (applied). */
  readonly steps: number;
  readonly weights: Matrix[];
  readonly trajectory?: RankTrajectory;
  readonly divergence?: Divergence;
  readonly seconds: number;
}

function allFinite(state: readonly Matrix[]): boolean {
  for (const w of state) for (let i = 0; i < w.data.length; i++) if (!Number.isFinite(w.data[i])) return false;
  return true;
}

/**
 * Train through the phases in order. A run that diverges (a non-finite or huge cost, or non-finite weights) stops
 * at once with a Divergence naming the step and why, and keeps every observation recorded before it. A cost
 * caught diverging stops before its step is applied (the weights are the last state that passed); weights that
 * turned non-finite between two cost checks are returned as they are.
 */
export function train(options: TrainOptions): TrainResult {
  const started = performance.now();
  const widths = widthsOf(options.weights, 'weights');
  const trainer = new Trainer(widths, options.cost, options);
  trainer.gradientHook = options.gradientHook;
  const weights = options.weights.map((w) => w.clone());
  assertStateShapes(weights, trainer.shapes, 'weights');
  // Steps and observations run on the trainer's own state when it has one (no copies per step).
  const state = trainer.stepState() ?? weights;
  if (state !== weights) state.forEach((w, l) => w.copyFrom(weights[l]));
  if (!Array.isArray(options.phases) || options.phases.length === 0)
    throw new DomainError('phases', 'expected at least one phase { steps, learningRate, lambda }');
  options.phases.forEach((p, k) => assertPhase(p, `phases[${k}]`));
  const total = options.phases.reduce((s, p) => s + p.steps, 0);
  const every = options.every ?? Math.max(1, Math.floor(total / 200));
  if (!(Number.isInteger(every) && every >= 1))
    throw new DomainError('every', `expected an integer ≥ 1, received ${every}`);
  const limit = trainer.divergenceLimit;
  const recorder = options.recorder === false ? undefined : new RankRecorder(widths, options.recorder ?? {});
  const field = trainer.field;
  let lastObserved = -1;
  /** Record the state; returns a reason when the state has diverged (then nothing is recorded). */
  const observe = (step: number, phase: number, p: Phase): string | undefined => {
    if (step === lastObserved) return undefined;
    lastObserved = step;
    const where = `by step ${step} in phase ${phase} (η = ${p.learningRate}, λ = ${p.lambda})`;
    if (!allFinite(state)) return `the weights became non-finite ${where}`;
    if (!recorder && !options.observer) return undefined;
    const product = field.productOf(state);
    const cost = product.data.every(Number.isFinite) ? options.cost.value(product) : Infinity;
    if (!(cost <= limit)) return `the cost reached ${cost} ${where} (divergence limit ${limit})`;
    const info: ObservationInfo = {
      phase,
      learningRate: p.learningRate,
      lambda: p.lambda,
      cost,
      penalty: 0.5 * trainer.mu(p.lambda) * parameterNormSquared(state),
    };
    recorder?.observe(step, state, info);
    options.observer?.(step, state, info);
    trainer.invalidate();
    return undefined;
  };
  let step = 0;
  let divergence: Divergence | undefined;
  const initial = observe(0, 0, options.phases[0]);
  if (initial) throw new DomainError('weights', `the start is already diverged: ${initial}`);
  outer: for (let k = 0; k < options.phases.length; k++) {
    const p = options.phases[k];
    for (let s = 0; s < p.steps; s++) {
      const c = trainer.step(state, p.learningRate, p.lambda);
      if (!(Math.abs(c) <= limit)) {
        divergence = {
          step: step + 1,
          reason: `the ${trainer.batch === 'full' ? '' : 'batch '}cost at step ${step} is ${c} (${Number.isFinite(c) ? `above the divergence limit ${limit}` : 'not finite'}) in phase ${k} (η = ${p.learningRate}, λ = ${p.lambda}); the step was not applied`,
        };
        break outer;
      }
      step++;
      if (step % every === 0) {
        const reason = observe(step, k, p);
        if (reason) {
          divergence = { step, reason };
          break outer;
        }
      }
    }
  }
  if (!divergence) {
    const lastPhase = options.phases.length - 1;
    const reason = observe(step, lastPhase, options.phases[lastPhase]);
    if (reason) divergence = { step, reason };
  }
  if (state !== weights) weights.forEach((w, l) => w.copyFrom(state[l]));
  return {
    status: divergence ? 'diverged' : 'completed',
    steps: step,
    weights,
    ...(recorder ? { trajectory: recorder.trajectory } : {}),
    ...(divergence ? { divergence } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}
