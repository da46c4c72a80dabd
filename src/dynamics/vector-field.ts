import type { Matrix } from '../linalg/matrix.js';
import type { Shape } from './state.js';

/**
 * An autonomous or time-dependent vector field on a list of matrices: dX/dt = F(t, X).
 * evaluate writes F(t, state) into `out` (preallocated, same shapes, never aliasing `state`) and must not
 * allocate: integrators call it in their inner loops.
 */
export interface VectorField {
  readonly shapes: readonly Shape[];
  evaluate(t: number, state: readonly Matrix[], out: readonly Matrix[]): void;
}

/** A cost with a gradient: what gradient descent needs. gradientInto must not allocate. */
export interface GradientOracle {
  readonly shapes: readonly Shape[];
  gradientInto(state: readonly Matrix[], out: readonly Matrix[]): void;
}

/** Observers see the state every k steps (see the integrators' `every` option). They may allocate. */
export interface Observer {
  observe(step: number, t: number, state: readonly Matrix[]): void;
}

/** Options shared by every run function. */
export interface ObserveOptions {
  readonly observer?: Observer;
  /** Observe at step 0, every `every` steps, and at the last step. Default 1. */
  readonly every?: number;
}
