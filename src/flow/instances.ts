import type { Matrix } from '../linalg/matrix.js';
import type { Data } from '../model/loss.js';

/**
 * The instances of the gradient-flow and metric checks (THEORY §2: BRTW, ACH, ACHL): what each check takes. Their
 * generators are in src/arbitraries/flows.ts and src/arbitraries/metric.ts.
 */

/** A network with data: widths [d_0..d_N], weights [W_1..W_N], data {X, Y}. */
export interface FlowInstance {
  readonly widths: number[];
  readonly weights: Matrix[];
  readonly data: Data;
}

/** A network plus a weight-decay coefficient λ (canonical (λ/2)Σ‖W_j‖²). */
export interface DecayInstance extends FlowInstance {
  readonly lambda: number;
}

/** A network plus one GD step's learning rate η and weight decay λ. */
export interface DriftIdentityInstance extends FlowInstance {
  readonly eta: number;
  readonly lambda: number;
}

/** GD with a step η = 2^e. */
export interface StepInstance extends FlowInstance {
  readonly eta: number;
}

/** A network with biases: h_0 = x, h_j = W_j h_{j−1} + b_j (b_j ∈ R^{d_j}, a d_j×1 matrix). */
export interface BiasedInstance extends FlowInstance {
  readonly biases: Matrix[];
}

export interface BalancedInstance extends FlowInstance {
  /** rank of the product W(0). */
  readonly rank: number;
  /** σ(W(0)), descending (rank values). */
  readonly spectrum: number[];
}

/** A network whose product has a known rank k at t = 0 (balanced and rank-deficient, or W_1 = 0). */
export interface RankInstance extends FlowInstance {
  readonly rank: number;
}

/** Whitened data (XXᵀ = I) with Q = YXᵀ of controlled spectrum, and a small balanced or an unbalanced Gaussian start. */
export interface LimitInstance extends FlowInstance {
  readonly init: 'balanced' | 'gaussian';
}

/**
 * A start on the stable manifold of a saddle of L¹ on M_1 (flow.saddle-stable-manifold): X = I, Y = Q = diag(σ) with
 * distinct σ_1 > σ_2 > …, and the balanced, coordinate-aligned factorization of c·e_je_jᵀ (j ≥ 2) as the weights.
 */
export interface SaddleInstance extends LimitInstance {
  /** The singular direction j (0-based, ≥ 1) the start is aligned with, and its size c relative to σ_j. */
  readonly direction: number;
  readonly sigma: number[];
}

/** A point W ∈ M_k with a known spectrum, a Gaussian Z (operator argument / direction) and small regression data. */
export interface MetricInstance {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly depth: number;
  /** σ_1 ≥ … ≥ σ_k > 0 used to build W (σ_1 = 10^{scaleExp/2}, σ_k = σ_1/cond, log-spaced; σ_2 = σ_1 when repeated). */
  readonly sigma: readonly number[];
  readonly cond: number;
  readonly repeated: boolean;
  readonly W: Matrix;
  /** A Gaussian m×n matrix: the argument of A_W, or the raw direction ξ (tangent-projected where the claim says so). */
  readonly Z: Matrix;
  /** X (n×s), Y (m×s) for L¹(W) = ½‖WX − Y‖². */
  readonly data: Data;
}
