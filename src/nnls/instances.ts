import type { Matrix } from '../linalg/matrix.js';

/**
 * The instances of the NNLS and diagonal-network checks (THEORY §5): what each check in src/nnls/checks takes.
 * Their generators are in src/arbitraries/nnls.ts and src/arbitraries/diagonal-regression.ts.
 */

export interface NnlsInstance {
  readonly A: Matrix;
  readonly b: Float64Array;
}

export interface ReparamFlowInstance extends NnlsInstance {
  readonly L: number;
  /** u(0) > 0. */
  readonly u0: Float64Array;
  /** Direction of the scalar projection ⟨c, x(t)⟩ the Taylor test differentiates. */
  readonly c: Float64Array;
}

export interface ConvergesInstance extends NnlsInstance {
  readonly L: number;
  readonly alpha: number;
}

export interface ImplicitBiasInstance extends NnlsInstance {
  readonly alpha: number;
  readonly xTrue: Float64Array;
}

export interface PositivityInstance extends NnlsInstance {
  readonly L: number;
  readonly eta: number;
  readonly gamma: number;
  readonly alpha: number;
  /** Coordinates started at u_i = 0 (x_i = 0). */
  readonly frozen: number[];
  readonly iterations: number;
}

export interface AcceleratedInstance extends NnlsInstance {
  readonly alpha: number;
}

export interface PerturbationInstance extends NnlsInstance {
  /** Nonnegative sparse part x₊ of the ground truth. */
  readonly xPlus: Float64Array;
  /** Direction of the negative part, w ≥ 0 with ‖w‖₁ = 1; the ground truth is x₊ − s·w. */
  readonly w: Float64Array;
}

export interface DiscreteEquivalenceInstance extends NnlsInstance {
  readonly L: number;
  /** The common initial value u_j(0) = u0 > 0 of every factor. */
  readonly u0: Float64Array;
  readonly eta: number;
  readonly gamma: number;
  readonly iterations: number;
}

export interface DiscreteRateInstance extends NnlsInstance {
  /** u(0) = α·1, x(0) = α²·1 (depth L = 2). */
  readonly alpha: number;
  /** Base step η and decay γ of the schedule η/(k+2)^γ, capped by the step condition (checks/discrete-rate.ts). */
  readonly eta: number;
  readonly gamma: number;
  readonly iterations: number;
}

export interface DeepImplicitBiasInstance extends ImplicitBiasInstance {
  readonly L: number;
}

export interface DiagonalInstance {
  /** Samples × features, underdetermined. */
  readonly X: Matrix;
  readonly y: Float64Array;
}
