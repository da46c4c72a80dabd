import { DomainError, ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { fullSvd, selectColumns, svd } from '../linalg/svd.js';
import { type Weights, widthsOf } from '../model/network.js';
import { type RankReading, readRank } from './numerical-rank.js';

/**
 * Dead hidden directions (THEORY wj.dead-direction-invariant): at hidden layer ℓ (1 ≤ ℓ ≤ L−1, width d_ℓ), the
 * subspace D_ℓ = null(W_ℓᵀ) ∩ null(W_{ℓ+1}) ⊂ R^{d_ℓ} of directions z that no signal reaches (W_ℓᵀz = 0) and
 * that feed nothing forward (W_{ℓ+1}z = 0). It is the null space of the stacked map M_ℓ = [W_ℓᵀ; W_{ℓ+1}], whose
 * singular values (the "liveness" spectrum) say how dead each direction is; D_ℓ is read with a relative threshold
 * and the gap it fell in, like every rank in dlnv.
 */
export interface DeadSubspace {
  /** Hidden layer index ℓ (1-based, between W_ℓ and W_{ℓ+1}). */
  readonly layer: number;
  readonly dimension: number;
  /** Orthonormal basis of D_ℓ (d_ℓ × dimension). */
  readonly basis: Matrix;
  /** Singular values of M_ℓ = [W_ℓᵀ; W_{ℓ+1}], descending, padded with zeros to d_ℓ values. */
  readonly liveness: number[];
  /** How the live rank d_ℓ − dimension was read (threshold and gap). */
  readonly reading: RankReading;
}

/** ‖z‖-relative leak of a direction basis Z (d_ℓ×k) out of the dead conditions: max(‖W_ℓᵀZ‖_F, ‖W_{ℓ+1}Z‖_F). */
export function deadLeak(weights: Weights, layer: number, basis: Matrix): number {
  checkLayer(weights, layer);
  if (basis.rows !== weights[layer - 1].rows)
    throw new ShapeError('basis', `${weights[layer - 1].rows}×k (d_${layer} rows)`, basis.shape);
  if (basis.cols === 0) return 0;
  const a = multiply(weights[layer - 1], basis, 't', 'n');
  const b = multiply(weights[layer], basis);
  return Math.max(norm(a), norm(b));
}

function norm(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < m.data.length; i++) s += m.data[i] * m.data[i];
  return Math.sqrt(s);
}

function checkLayer(weights: Weights, layer: number): number {
  const n = widthsOf(weights).length - 1;
  if (!(Number.isInteger(layer) && layer >= 1 && layer <= n - 1))
    throw new DomainError('layer', `expected a hidden layer 1 ≤ ℓ ≤ L−1 = ${n - 1}, received ${layer}`);
  return n;
}

/**
 * D_ℓ with the relative tolerance τ: directions whose liveness is ≤ τ·max(σ_1(M_ℓ), reference). The reference
 * (e.g. the largest layer norm of the network) keeps a hidden layer whose weights all vanished from reading as
 * "fully live" by its own round-off.
 */
export function deadSubspace(weights: Weights, layer: number, tolerance: number, reference = 0): DeadSubspace {
  checkLayer(weights, layer);
  const below = weights[layer - 1],
    above = weights[layer];
  const d = below.rows,
    m = below.cols + above.rows;
  const stacked = new Matrix(m, d);
  // Rows 0..d_{ℓ−1}−1: W_ℓᵀ; then W_{ℓ+1}.
  for (let i = 0; i < below.cols; i++)
    for (let j = 0; j < d; j++) stacked.data[i * d + j] = below.data[j * below.cols + i];
  stacked.data.set(above.data, below.cols * d);
  const f = fullSvd(stacked);
  const liveness = Array.from({ length: d }, (_, i) => (i < f.s.length ? f.s[i] : 0));
  const reading = readRank(liveness, tolerance, { reference });
  const deadColumns = Array.from({ length: d - reading.rank }, (_, k) => reading.rank + k);
  return { layer, dimension: deadColumns.length, basis: selectColumns(f.V, deadColumns), liveness, reading };
}

/**
 * Principal angles between span(Q1) and span(Q2) (orthonormal columns, same ambient dimension), ascending, in
 * radians: θ_i = arccos σ_i(Q1ᵀQ2). min(k1, k2) angles; an empty subspace gives none.
 */
export function principalAngles(q1: Matrix, q2: Matrix): number[] {
  if (q1.rows !== q2.rows) throw new ShapeError('Q2', `${q1.rows}×k (same ambient dimension as Q1)`, q2.shape);
  if (q1.cols === 0 || q2.cols === 0) return [];
  const s = svd(multiply(q1, q2, 't', 'n')).s;
  return Array.from(s, (c) => Math.acos(Math.min(1, Math.max(-1, c)))).sort((a, b) => a - b);
}

/**
 * How far span(Q0) is from lying inside span(Q1): ‖(I − Q1Q1ᵀ)Q0‖_op, the sine of the largest principal angle
 * between span(Q0) and its projection (1 when Q1 has fewer dimensions than Q0 can fit, 0 for an empty Q0).
 * "The dead subspace at time 0 is still dead at time k" ⇔ containment(D_0, D_k) = 0.
 */
export function containment(q0: Matrix, q1: Matrix): number {
  if (q0.rows !== q1.rows) throw new ShapeError('Q1', `${q0.rows}×k (same ambient dimension as Q0)`, q1.shape);
  if (q0.cols === 0) return 0;
  if (q1.cols === 0) return 1;
  const proj = multiply(q1, multiply(q1, q0, 't', 'n'));
  const r = q0.clone();
  for (let i = 0; i < r.data.length; i++) r.data[i] -= proj.data[i];
  return Math.min(1, svd(r).s[0]);
}
