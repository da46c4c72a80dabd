import { DomainError } from '../errors.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { singularValues, symmetricEigen } from '../linalg/svd.js';
import { balancednessDefects } from '../model/balancedness.js';
import { type Weights, widthsOf } from '../model/network.js';
import { tailSingularValue } from './numerical-rank.js';

/** σ(W_ℓ) for every layer, descending. */
export function layerSpectra(weights: Weights): Float64Array[] {
  widthsOf(weights);
  return weights.map((w) => singularValues(w));
}

/** ‖C‖_op of a symmetric matrix (largest |eigenvalue|). */
export function symmetricOperatorNorm(c: Matrix): number {
  if (c.rows === 0) return 0;
  const v = symmetricEigen(c).values;
  return Math.max(Math.abs(v[0]), Math.abs(v[v.length - 1]));
}

/** Per hidden layer, ‖C_ℓ‖_op and ‖C_ℓ‖_F with C_ℓ = W_{ℓ+1}ᵀW_{ℓ+1} − W_ℓW_ℓᵀ (THEORY §0); empty for L = 1. */
export function balancednessNorms(weights: Weights): { operator: number[]; frobenius: number[] } {
  const defects = balancednessDefects(weights);
  return { operator: defects.map(symmetricOperatorNorm), frobenius: defects.map(frobeniusNorm) };
}

/** Thresholds of the B_r surrogate. */
export interface BrThresholds {
  /** C: ‖θ‖² = Σ_ℓ‖W_ℓ‖²_F ≤ C. */
  readonly normSquared: number;
  /** ε: max_ℓ s_{r+1}(W_ℓ) ≤ ε. */
  readonly epsilon: number;
  /** δ: max_ℓ ‖C_ℓ‖_op ≤ δ. */
  readonly delta: number;
}

export const BR_SURROGATE_LABEL =
  "surrogate for Wang–Jacot's B_r (derived, NOT the paper's definition): B_r(ε, δ, C) = {‖θ‖² ≤ C, max_ℓ s_{r+1}(W_ℓ) ≤ ε, max_ℓ ‖C_ℓ‖_op ≤ δ}";

/** Membership in the B_r surrogate with the measured quantities, each against its threshold. */
export interface BrMembership {
  readonly surrogate: true;
  readonly label: string;
  readonly r: number;
  readonly member: boolean;
  readonly normSquared: number;
  /** max_ℓ s_{r+1}(W_ℓ) and the per-layer values. */
  readonly maxTail: number;
  readonly tails: number[];
  readonly maxDefect: number;
  readonly thresholds: BrThresholds;
}

function assertThresholds(t: BrThresholds): void {
  for (const key of ['normSquared', 'epsilon', 'delta'] as const) {
    const v = t[key];
    if (!(v >= 0)) throw new DomainError(`br.${key}`, `expected a threshold ≥ 0 (Infinity allowed), received ${v}`);
  }
}

/**
 * Whether θ lies in the B_r surrogate. The spectra may be passed in when already computed (layerSpectra) to avoid
 * repeating the SVDs.
 */
export function brSurrogate(
  weights: Weights,
  r: number,
  thresholds: BrThresholds,
  spectra?: readonly ArrayLike<number>[],
): BrMembership {
  widthsOf(weights);
  assertThresholds(thresholds);
  if (!(Number.isInteger(r) && r >= 0)) throw new DomainError('r', `expected an integer r ≥ 0, received ${r}`);
  const s = spectra ?? layerSpectra(weights);
  const tails = s.map((x) => tailSingularValue(x, r));
  const maxTail = Math.max(...tails);
  let normSquared = 0;
  for (const w of weights) normSquared += frobeniusNorm(w) ** 2;
  const ops = balancednessNorms(weights).operator;
  const maxDefect = ops.length ? Math.max(...ops) : 0;
  const member =
    normSquared <= thresholds.normSquared && maxTail <= thresholds.epsilon && maxDefect <= thresholds.delta;
  return { surrogate: true, label: BR_SURROGATE_LABEL, r, member, normSquared, maxTail, tails, maxDefect, thresholds };
}
