import { Matrix } from '../linalg/matrix.js';
import type { Data, LossScale } from '../model/loss.js';
import type { ConstructedCriticalPoint } from './construct.js';
import type { InputKind } from './data.js';
import type { Frame } from './frame.js';

/**
 * The instances of the landscape checks (THEORY §3: critical points, Hessians, local openness, the ICLR-2018
 * example), and NR's two fixed counterexamples to openness. Their generators are in src/arbitraries.
 */

/**
 * Exact critical points of deep linear networks for the landscape claims (crit.*): dimensions, input kind,
 * critical kind and scale first (they shrink), then a seeded Gaussian stream builds data with separated spectra
 * and an exact critical point (src/landscape/construct.ts).
 */
export interface CriticalInstance {
  readonly widths: number[];
  readonly inputs: InputKind;
  readonly scale: LossScale;
  readonly data: Data;
  readonly frame: Frame;
  readonly point: ConstructedCriticalPoint;
  /** Perturbation size applied before Newton polishing (0: none), for crit.structure. */
  readonly perturbation: number;
  readonly seed: number;
}

/** The origin of a depth-N network with random data (Σ_YX ≠ 0). */
export interface OriginInstance {
  readonly widths: number[];
  readonly scale: LossScale;
  readonly data: Data;
  readonly weights: Matrix[];
}

/** A symmetric target M and random factors for ½‖XXᵀ − M‖² (and the asymmetric ½‖XYᵀ − M‖²). */
export interface BurerMonteiroInstance {
  readonly n: number;
  /** p: the number of positive eigenvalues of M. */
  readonly positive: number;
  /** Columns of the factors. */
  readonly k: number;
  readonly M: Matrix;
  readonly X0: Matrix;
  /** A second factor for the asymmetric variant (drawn after X_0, so X_0 is the same as without it). */
  readonly Y0: Matrix;
}

/** A factor X ∈ R^{n×k} at which the local openness of X ↦ XXᵀ is examined. */
export interface SymmetricFactor {
  readonly X: Matrix;
  /** rank X, drawn up front. */
  readonly rank: number;
  /** Seed of the targets' random directions. */
  readonly seed: number;
}

/** A two-layer regression ½‖W_2W_1X − Y‖² with a random start for local descent. */
export interface TwoLayerInstance {
  readonly widths: number[];
  readonly scale: LossScale;
  readonly data: { X: Matrix; Y: Matrix };
  readonly start: Matrix[];
  /** Seed of the explicit minimizer's random completion. */
  readonly seed: number;
}

/** A pair (X, Y), X ∈ R^{m×k}, Y ∈ R^{k×n}, at which the local openness of (X, Y) ↦ XY is examined. */
export interface FactorPair {
  readonly X: Matrix;
  readonly Y: Matrix;
  /** 'random' or the name of a fixed example. */
  readonly name: string;
  /** Seed of the witness's own random stream (targets, restarts). */
  readonly seed: number;
}

/** A tuple W = [W_1, …, W_h] at which the local openness of W ↦ W_h⋯W_1 is examined (nr.deep-openness). */
export interface LayerTuple {
  readonly weights: Matrix[];
  /** How it was drawn: 'full-rank layers', 'rank-deficient layer' or 'bottleneck with a deficient layer'. */
  readonly name: string;
  /** Seed of the witness's own random stream (targets). */
  readonly seed: number;
}

/** A convex loss on R^{m×n} composed with (X, Y) ↦ XY: square loss ½‖Z − T‖² or pseudo-Huber Σ(√(1 + (Z − T)²) − 1). */
export interface CompositionInstance {
  readonly loss: 'square' | 'pseudo-huber';
  readonly T: Matrix;
  /** Start of the local descent on ℓ(XY): X_0 ∈ R^{m×k}, Y_0 ∈ R^{k×n}. */
  readonly X0: Matrix;
  readonly Y0: Matrix;
  /** Seed of the escape perturbations. */
  readonly seed: number;
}

/**
 * NR's example (b) turned into a non-global local minimum: X̄ = aU[1; 1], Ȳ = 0 (m = n = 2, k = 1) and the convex
 * ℓ(Z) = ½‖Z‖² − p(UᵀZV)₁₁ + q|(UᵀZV)₂₁| with q > p > 0, U, V orthogonal (src/landscape/open-composition.ts).
 */
export interface KinkedCompositionInstance {
  readonly a: number;
  readonly p: number;
  readonly q: number;
  readonly U: Matrix;
  readonly V: Matrix;
  readonly seed: number;
}

/**
 * The symmetries that move the ICLR-2018 example (src/landscape/nr-models.ts) without changing any statement
 * about it: orthogonal changes of input, output and sample bases (angle and reflection each), the gauge
 * W_3 → cW_3, W_1 → c⁻¹W_1, and the loss scale.
 */
export interface Iclr18Moves {
  readonly angles: [number, number, number];
  readonly reflections: [boolean, boolean, boolean];
  readonly c: number;
  readonly scale: LossScale;
  readonly seed: number;
}

/** NR's counterexamples (THEORY §3): (a) X = [1; 2], Y = [1 1]; (b) X = [1; 1], Y = [0 0]. */
export const nrExampleA: FactorPair = { X: Matrix.from([[1], [2]]), Y: Matrix.from([[1, 1]]), name: 'NR (a)', seed: 1 };
export const nrExampleB: FactorPair = { X: Matrix.from([[1], [1]]), Y: Matrix.from([[0, 0]]), name: 'NR (b)', seed: 2 };

/** A regression F(θ) = ½‖W_{N:1}X − Y‖² + λ‖θ‖² and a Gaussian start for descent. */
export interface DecayInstance {
  readonly widths: number[];
  readonly data: Data;
  /** λ of λ‖θ‖² (WJ's convention). */
  readonly lambda: number;
  /** A Gaussian start for the descent that looks for a lower value than F(0). */
  readonly start: Matrix[];
}
