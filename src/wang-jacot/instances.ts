import type { ObservedSet } from '../completion/mask.js';
import type { Matrix } from '../linalg/matrix.js';
import type { BrThresholds } from '../rank/spectra.js';

/**
 * The instances of the Wang–Jacot checks (arXiv:2305.16038). Their generators are in src/arbitraries/wang-jacot.ts;
 * every λ is in WJ's convention (penalty λ‖θ‖², gradient 2λW) unless a field says otherwise.
 */

export interface CriticalInstance {
  readonly widths: number[];
  readonly target: Matrix;
  readonly mask: ObservedSet;
  /** λ in WJ's convention (μ = 2λ). */
  readonly lambda: number;
  readonly eta: number;
  /** An unbalanced Gaussian start. */
  readonly weights: Matrix[];
  /** Index of the observed entry whose single-sample cost is also checked. */
  readonly sample: number;
}

export interface SchattenInstance {
  readonly widths: number[];
  /** Singular values of A (rank r = length). */
  readonly spectrum: number[];
  readonly target: Matrix;
  /** Seeds for the balanced frames and the other factorizations (kept so the check replays exactly). */
  readonly frameSeed: number;
  /** Sizes t of the invertible insertions G_ℓ = Q_1 diag(e^{t z}) Q_2ᵀ between layers. */
  readonly insertions: number[];
}

export interface ScalarInstance {
  readonly depth: number;
  readonly y: number;
  /** λ as a fraction of the critical λ_c(y, L) above which only the origin is an equilibrium (L ≥ 3). */
  readonly fraction: number;
  readonly lambda: number;
}

export interface DeadInstance {
  readonly widths: number[];
  /** Number of dead coordinates (the last ones) at each hidden layer ℓ = 1..L−1. */
  readonly dead: number[];
  readonly target: Matrix;
  readonly mask: ObservedSet;
  readonly lambda: number;
  readonly eta: number;
  readonly steps: number;
  /** Weights with exact zero rows k ≥ d_ℓ − dead_ℓ of W_ℓ and columns of W_{ℓ+1} (coordinate-aligned). */
  readonly weights: Matrix[];
  /** Random orthogonal Q_ℓ per hidden layer (for the generic-basis gradient check). */
  readonly rotations: Matrix[];
  readonly seed: number;
}

export type RankOptimizer = 'gd' | 'sgd' | 'minibatch' | 'momentum' | 'nesterov' | 'adam' | 'langevin';

export type RankVariant =
  | 'balanced'
  | 'unbalanced-zeros'
  | 'adam-rotated'
  | 'langevin'
  | 'two-layers'
  | 'large-perturbation';

export interface RankInstance {
  readonly variant: RankVariant;
  readonly widths: number[];
  /** rank of the start (every layer and the product). */
  readonly rank: number;
  readonly targetSpectrum: number[];
  readonly target: Matrix;
  readonly mask: ObservedSet;
  readonly optimizer: RankOptimizer;
  readonly lambda: number;
  readonly eta: number;
  readonly steps: number;
  /** Hidden frames aligned with coordinates (exact zeros) or random (dead directions known to round-off). */
  readonly aligned: boolean;
  /** The exact start (balanced, or W_1 = 0, W_2 = I for 'unbalanced-zeros'). */
  readonly start: Matrix[];
  /** The start with δ-sized entries planted in the dead-to-dead blocks (absorption run), if measured. */
  readonly perturbed?: Matrix[];
  readonly delta: number;
  readonly seed: number;
}

export interface JumpInstance {
  readonly d: number;
  readonly depth: number;
  readonly targetSpectrum: number[];
  readonly target: Matrix;
  /** λ (WJ convention) and its fraction of λ_c(y_3), the largest λ at which mode 3 has a positive minimum. */
  readonly lambda: number;
  readonly lambdaFraction: number;
  readonly eta: number;
  readonly steps: number;
  readonly trials: number;
  /** F_0 = V, F_1..F_{L−1} random orthogonal, F_L = U: the frames of the balanced points (balancedOnFrames). */
  readonly frames: Matrix[];
  /** The rank-3 minimum (each mode at its s_hi), balanced on the frames. */
  readonly start: Matrix[];
  readonly startSpectrum: number[];
  /** The rank-2 comparison point: the same frames with mode 3 at 0. */
  readonly lower: Matrix[];
  /** r of B_r: one below the start's rank. */
  readonly r: number;
  readonly br: BrThresholds;
  readonly seed: number;
}

export interface MinimaInstance {
  readonly d: number;
  readonly depth: number;
  readonly targetSpectrum: number[];
  readonly target: Matrix;
  readonly lambda: number;
  /** F_0 = V, hidden frames random orthogonal, F_L = U. */
  readonly frames: Matrix[];
}

export interface FlowLimitInstance {
  readonly depth: number;
  /** A* (2×2): the observed entries; the unobserved one holds its rank-1 completion's value. */
  readonly target: Matrix;
  /** Every entry but one. */
  readonly mask: ObservedSet;
  /** The minimal-rank completion (rank 1), to be confirmed by the check. */
  readonly completion: Matrix;
  readonly lambda: number;
  readonly eta: number;
  /** Entrywise standard deviation of the Gaussian starts. */
  readonly initScale: number;
  /** The Gaussian starts W_1..W_L, one list per GD run. */
  readonly starts: Matrix[][];
  /** GD steps per run before it counts as not converged. */
  readonly budget: number;
}
