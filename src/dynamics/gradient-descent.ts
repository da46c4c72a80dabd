import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { ObservationSchedule } from './schedule.js';
import {
  allocateState,
  assertCount,
  assertNonNegative,
  assertPositive,
  assertStateShapes,
  type Shape,
} from './state.js';
import type { GradientOracle, ObserveOptions } from './vector-field.js';

/**
 * An oracle that can take a whole plain gradient-descent step itself — gradient[j] ← ∇_{W_j}L, then
 * state[j] ← state[j] − η·gradient[j], with the same numbers as gradientInto followed by that update — because it
 * can do it faster (DlnGradientField keeps the update in WebAssembly memory). GradientDescent uses it when present
 * and the momentum is 0.
 */
export interface DescentStepOracle extends GradientOracle {
  descentStep(state: readonly Matrix[], gradient: readonly Matrix[], eta: number): void;
  /** A state and gradient in the oracle's own storage, which descentStep updates without copying, if it has one. */
  stepBuffers?(): StepBuffers | undefined;
}

/** A state and a gradient held where an oracle's descentStep works on them in place. */
export interface StepBuffers {
  readonly state: readonly Matrix[];
  readonly gradient: readonly Matrix[];
}

/** The oracle's own step buffers when plain GD steps go through its descentStep (momentum 0), else undefined. */
function stepBuffersOf(oracle: GradientOracle, momentum: number): StepBuffers | undefined {
  const o = oracle as Partial<DescentStepOracle>;
  return momentum === 0 && typeof o.descentStep === 'function' ? o.stepBuffers?.() : undefined;
}

export interface GradientDescentOptions {
  /** η > 0. */
  readonly learningRate: number;
  /** Heavy-ball coefficient β ∈ [0, 1); 0 (default) is plain gradient descent. */
  readonly momentum?: number;
}

/**
 * Gradient descent W_j ← W_j − ηG_j with G_j = ∇_{W_j}L from the oracle. For a DlnGradientField with weight decay
 * λ, G_j already contains λW_j, so the step is W_j ← (1 − ηλ)W_j − η∇_{W_j}L¹-part (THEORY gd.drift-identity).
 * Heavy ball (Polyak): v ← βv − ηG, W ← W + v (v starts at 0). Buffers are allocated once; step allocates nothing.
 */
export class GradientDescent {
  readonly shapes: readonly Shape[];
  readonly learningRate: number;
  readonly momentum: number;
  /** The gradient at the state before the last step (in the oracle's step buffers when it has them). */
  readonly gradient: readonly Matrix[];
  /** The heavy-ball velocity (all zero for plain GD). */
  readonly velocity: Matrix[];

  constructor(
    private readonly oracle: GradientOracle,
    options: GradientDescentOptions,
  ) {
    this.shapes = oracle.shapes;
    this.learningRate = assertPositive(options.learningRate, 'learningRate');
    this.momentum = assertNonNegative(options.momentum ?? 0, 'momentum');
    if (this.momentum >= 1) throw new DomainError('momentum', `expected β < 1, received ${this.momentum}`);
    this.gradient = stepBuffersOf(oracle, this.momentum)?.gradient ?? allocateState(this.shapes);
    this.velocity = allocateState(this.shapes);
  }

  /** One step, in place. */
  step(state: readonly Matrix[]): void {
    const eta = this.learningRate,
      beta = this.momentum;
    const fused = (this.oracle as Partial<DescentStepOracle>).descentStep;
    if (beta === 0 && typeof fused === 'function') {
      fused.call(this.oracle, state, this.gradient, eta);
      return;
    }
    this.oracle.gradientInto(state, this.gradient);
    for (let j = 0; j < state.length; j++) {
      const W = state[j].data,
        G = this.gradient[j].data;
      if (beta === 0) {
        for (let i = 0; i < W.length; i++) W[i] -= eta * G[i];
      } else {
        const V = this.velocity[j].data;
        for (let i = 0; i < W.length; i++) {
          V[i] = beta * V[i] - eta * G[i];
          W[i] += V[i];
        }
      }
    }
  }
}

/**
 * Run `steps` GD steps in place; the observer's t is the step count times η (the gradient-flow time). When the
 * oracle has step buffers (a DlnGradientField on WebAssembly), the steps run there and `state` receives the result
 * at the end (also when an observer throws); observers then see the buffers, holding the same numbers.
 */
export function runGradientDescent(
  oracle: GradientOracle,
  state: readonly Matrix[],
  options: GradientDescentOptions & ObserveOptions & { readonly steps: number },
): { steps: number; time: number } {
  assertStateShapes(state, oracle.shapes, 'state');
  const steps = assertCount(options.steps, 'steps', 0);
  const gd = new GradientDescent(oracle, options);
  const schedule = new ObservationSchedule(options);
  const working = stepBuffersOf(oracle, gd.momentum)?.state ?? state;
  for (let j = 0; j < state.length; j++) if (working[j] !== state[j]) working[j].copyFrom(state[j]);
  try {
    schedule.observe(0, 0, working);
    for (let s = 1; s <= steps; s++) {
      gd.step(working);
      schedule.observe(s, s * gd.learningRate, working, s === steps);
    }
  } finally {
    for (let j = 0; j < state.length; j++) if (working[j] !== state[j]) state[j].copyFrom(working[j]);
  }
  return { steps, time: steps * gd.learningRate };
}
