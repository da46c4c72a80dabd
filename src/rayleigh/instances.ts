import type { Matrix } from '../linalg/matrix.js';
import type { Data } from '../model/loss.js';
import type { ModelMap } from './model-map.js';

/**
 * The instances of the Rayleigh-quotient, KL-rate and RSL-example checks: what each check takes. Their generators
 * are in src/arbitraries (rayleigh-models.ts, kl-flows.ts, rsl-examples.ts).
 */

export const MODEL_KINDS = ['dln-product', 'dln', 'diagonal', 'hadamard'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface ModelInstance {
  readonly kind: ModelKind;
  readonly map: ModelMap;
  readonly theta: Float64Array;
  /** f* in H. */
  readonly target: Float64Array;
  /** DLN layers and data (kind dln, dln-product; X = I for the product). */
  readonly weights?: Matrix[];
  readonly data?: Data;
  /** Diagonal network / Hadamard map data. */
  readonly A?: Matrix;
  readonly L?: number;
  /** A parameter-space direction: J_θv is a vector in range(K_θ). */
  readonly v: Float64Array;
  /** A generic output-space vector. */
  readonly h: Float64Array;
}

export const KL_FAMILIES = ['dln-margin', 'dln-degenerate', 'diagonal'] as const;
export type KlFamily = (typeof KL_FAMILIES)[number];

export interface KlInstance {
  readonly family: KlFamily;
  readonly map: ModelMap;
  readonly theta0: Float64Array;
  readonly target: Float64Array;
  /** The KL exponent the family predicts on the tail. */
  readonly predictedA: number;
  /** A constant c with ‖∇L‖² ≥ cL along the whole flow, when the theory gives one (a = 1). */
  readonly predictedC?: { readonly value: number; readonly why: string };
  /**
   * How far ‖∇L‖²/L^a may spread on the tail for the predicted a, which bounds the fitted slope's deviation:
   * 'kernel' (a = 1: 2λ_min(K) ≤ ‖∇L‖²/L ≤ 2λ_max(K), spread log10 of the kernel's condition number on the fit
   * range) or a number of decoupled zero-target modes z (a = 2 − 1/N: ‖∇L‖²/L^a = N2^aΣs_i^{2a}/(Σs_i²)^a lies within a
   * factor z^{a−1} by the power-mean inequality).
   */
  readonly spread: 'kernel' | { readonly zeroModes: number };
  readonly summary: Record<string, unknown>;
}

/** WGL's diagonal network f = X(u⊙u − v⊙v) with n samples > 2d parameters, started at u = v = α1. */
export interface ManySamplesInstance {
  /** n×d inputs, n > 2d, full column rank. */
  readonly X: Matrix;
  readonly y: Float64Array;
  readonly alpha: number;
  /** ‖y − P_Xy‖/‖y‖: 0 for a realizable target (y ∈ range X), positive for the FALSE neighbour. */
  readonly unreachable: number;
}

/**
 * A balanced square deep linear network f_θ(x) = W_{N:1}x on inputs x ~ N(0, Σ), target f*(x) = Φx: the population
 * loss ½E‖(A − Φ)x‖² = ½‖(A − Φ)S‖²_F for any S with SSᵀ = Σ, exact (no sampling).
 */
export interface PopulationInstance {
  readonly d: number;
  readonly depth: number;
  readonly Phi: Matrix;
  /** A square root of the input covariance: SSᵀ = Σ, λ_max(Σ) = 1. */
  readonly S: Matrix;
  readonly lambdaMinSigma: number;
  readonly sigmaMinPhi: number;
  /** √(2L(0)/λ_min(Σ)) = u·σ_min(Φ): a bound on ‖A(t) − Φ‖_2 along the flow, so s_min(A(t)) ≥ c = σ_min(Φ) − it. */
  readonly reach: number;
  readonly weights: Matrix[];
}
