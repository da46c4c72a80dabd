import type { Matrix } from '../linalg/matrix.js';
import type { Data } from '../model/loss.js';

/**
 * The instances of the ACGH checks (arXiv:1810.02281): what each check takes. Their generators are in
 * src/arbitraries (deficiency-margin.ts, acgh-descent.ts, identity-init.ts).
 */

/** A square deep linear network whose product starts inside ACGH's deficiency margin around a target Φ. */
export interface MarginStart {
  readonly d: number;
  readonly depth: number;
  readonly Phi: Matrix;
  readonly sigmaMinPhi: number;
  /** Deficiency margin c: ‖A(0) − Φ‖_F = σ_min(Φ) − c·(…) ≤ σ_min(Φ) − c. */
  readonly c: number;
  readonly weights: Matrix[];
}

/** A margin start with a GD step η = etaRel/λ_max(K_θ(0)) (acgh.dln-pl). */
export interface DlnPlInstance extends MarginStart {
  readonly etaRel: number;
}

/** A network whose first hidden layer (width w) may be narrower than rank Φ, started at its best product. */
export interface BottleneckInstance {
  readonly d: number;
  readonly depth: number;
  /** Width of the first hidden layer (the others are d). */
  readonly width: number;
  readonly Phi: Matrix;
  readonly sigma: readonly number[];
  readonly weights: Matrix[];
}

/** A deficiency-margin start (W(0) = the weights, ‖W(0) − Φ‖_F ≤ σ_min(Φ) − c), possibly only δ-balanced, with its data. */
export interface DescentInstance extends MarginStart {
  /** Measured ‖W(0) − Φ‖_F. */
  readonly distance: number;
  /** ACGH's δ bound c²/(256 N³ ‖Φ‖_F^{2(N−1)/N}) and the measured max_j ‖C_j(0)‖_F (0 for a balanced start). */
  readonly deltaBound: number;
  readonly delta: number;
  readonly balanced: boolean;
  /** η = c^{(4N−2)/N} / (6144 N³ ‖Φ‖_F^{(6N−4)/N}), ACGH's largest allowed step. */
  readonly eta: number;
  readonly data: Data;
}

/** A symmetric target for GD from the identity initialization (ACGH Claims 4/5), with whitened data. */
export interface IdentityInitInstance {
  readonly d: number;
  readonly depth: number;
  /** Eigenvalues of the symmetric target Φ = Q diag(λ) Qᵀ, each ±{0.5, 1, 1.5, 2}. */
  readonly lambda: readonly number[];
  readonly Phi: Matrix;
  readonly data: Data;
}
