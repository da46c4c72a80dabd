import { DomainError, ShapeError } from '../errors.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';
import { DEFAULT_PSD_RTOL } from '../linalg/psd-power.js';
import { assertTolerance } from '../linalg/rank.js';
import { fullSvd } from '../linalg/svd.js';

/**
 * A point W of the fixed-rank manifold M_k = {W ∈ R^{m×n} : rank W = k} (m = d_N rows, n = d_0 columns), stored
 * with its FULL SVD W = Ũ Σ̃ Ṽᵀ: Ũ is m×m and Ṽ is n×n orthogonal, σ has min(m, n) entries, and σ_a = 0 exactly
 * for a > k. The first k columns of Ũ, Ṽ span the column and row spaces; the rest (Ũ_⊥, Ṽ_⊥) span the normal
 * directions. Every object of src/geometry (tangent projections, the metric operator A_W, g_W) reads these
 * factors, so they are computed once per point.
 */
export interface FixedRankPoint {
  /** W = Ũ Σ̃ Ṽᵀ (the rank-k matrix the factors describe; equal to the input up to the discarded part). */
  readonly W: Matrix;
  /** Rows m = d_N. */
  readonly m: number;
  /** Columns n = d_0. */
  readonly n: number;
  /** The rank k (0 ≤ k ≤ min(m, n)). */
  readonly k: number;
  /** Ũ, m×m orthogonal. */
  readonly U: Matrix;
  /** Ṽ, n×n orthogonal. */
  readonly V: Matrix;
  /** σ_1 ≥ … ≥ σ_k > 0 = σ_{k+1} = … (length min(m, n)); entries beyond k are exactly 0. */
  readonly s: Float64Array;
  /**
   * ‖input − W‖_F = √(Σ_{a>k} σ_a(input)²): what the rank rule discarded (0 when the point was built from
   * factors). A large value means the input was not on M_k.
   */
  readonly discarded: number;
  /** How k was chosen: the explicit rank, or the relative cut rtol (σ_a ≤ rtol·σ_1 counts as 0). */
  readonly rankRule: { readonly kind: 'explicit' } | { readonly kind: 'rtol'; readonly rtol: number };
}

export interface FixedRankOptions {
  /** The rank k. Default: the numerical rank #{σ_a > rtol·σ_1}. */
  readonly rank?: number;
  /** Relative cut for the numerical rank (THEORY §0 truncation rule). Default 1e-10 (DEFAULT_PSD_RTOL). */
  readonly rtol?: number;
}

/**
 * The point of M_k described by W: a full SVD of W, then σ_a for a > k set to exactly 0 (k explicit, or the
 * numerical rank with the truncation rule σ ≤ rtol·σ_1 → 0). When k is explicit and W has rank > k, the point
 * is the best rank-k approximation [W]_k and `discarded` reports ‖W − [W]_k‖_F.
 */
export function fixedRankPoint(w: Matrix, options: FixedRankOptions = {}, argument = 'W'): FixedRankPoint {
  assertFinite(w, argument);
  const m = w.rows,
    n = w.cols,
    p = Math.min(m, n);
  const f = fullSvd(w, argument);
  let k: number;
  let rankRule: FixedRankPoint['rankRule'];
  if (options.rank !== undefined) {
    k = options.rank;
    if (!Number.isInteger(k) || k < 0 || k > p)
      throw new DomainError(`${argument}.rank`, `expected an integer 0 ≤ k ≤ min(m, n) = ${p}, received ${k}`);
    rankRule = { kind: 'explicit' };
  } else {
    const rtol = assertTolerance(options.rtol ?? DEFAULT_PSD_RTOL, `${argument}.rtol`);
    const cut = p === 0 ? 0 : rtol * f.s[0];
    k = 0;
    while (k < p && f.s[k] > cut) k++;
    rankRule = { kind: 'rtol', rtol };
  }
  const s = Float64Array.from(f.s);
  let discarded = 0;
  for (let a = k; a < p; a++) {
    discarded = Math.hypot(discarded, s[a]);
    s[a] = 0;
  }
  if (k > 0 && !(s[k - 1] > 0))
    throw new DomainError(`${argument}.rank`, `σ_${k} = 0: the matrix has rank < ${k}, so it is not a point of M_${k}`);
  return { W: reconstruct(f.U, s, f.V, k), m, n, k, U: f.U, V: f.V, s, discarded, rankRule };
}

/**
 * A point of M_k from given factors: Ũ (m×m orthogonal), σ (min(m, n) values, σ_1..σ_k > 0, the rest ignored
 * and stored as 0) and Ṽ (n×n orthogonal). No SVD is computed: curves on M_k that move σ_k toward 0 keep full
 * relative precision of σ_k this way (a fresh SVD of W knows σ_k only to ~ε·σ_1). σ need not be sorted.
 * Orthogonality of Ũ, Ṽ is the caller's promise (checked only for shapes).
 */
export function fixedRankPointFromFactors(u: Matrix, s: ArrayLike<number>, v: Matrix, k: number): FixedRankPoint {
  const m = u.rows,
    n = v.rows,
    p = Math.min(m, n);
  if (u.cols !== m) throw new ShapeError('U', `${m}×${m} (square orthogonal)`, u.shape);
  if (v.cols !== n) throw new ShapeError('V', `${n}×${n} (square orthogonal)`, v.shape);
  if (s.length !== p) throw new ShapeError('s', `length min(m, n) = ${p}`, `length ${s.length}`);
  if (!Number.isInteger(k) || k < 0 || k > p)
    throw new DomainError('k', `expected an integer 0 ≤ k ≤ ${p}, received ${k}`);
  const sigma = new Float64Array(p);
  for (let a = 0; a < k; a++) {
    if (!(s[a] > 0) || !Number.isFinite(s[a]))
      throw new DomainError(`s[${a}]`, `σ_${a + 1} must be finite and > 0 on M_${k}, received ${s[a]}`);
    sigma[a] = s[a];
  }
  return {
    W: reconstruct(u, sigma, v, k),
    m,
    n,
    k,
    U: u,
    V: v,
    s: sigma,
    discarded: 0,
    rankRule: { kind: 'explicit' },
  };
}

/** Σ_{a<k} σ_a ũ_a ṽ_aᵀ. */
function reconstruct(u: Matrix, s: Float64Array, v: Matrix, k: number): Matrix {
  const m = u.rows,
    n = v.rows,
    out = new Matrix(m, n),
    O = out.data;
  for (let a = 0; a < k; a++) {
    for (let i = 0; i < m; i++) {
      const ui = u.data[i * m + a] * s[a];
      for (let j = 0; j < n; j++) O[i * n + j] += ui * v.data[j * n + a];
    }
  }
  return out;
}

/** The tangent-space dimension k(m + n − k) of M_k ⊂ R^{m×n}. */
export function tangentDimension(m: number, n: number, k: number): number {
  for (const [name, x] of [
    ['m', m],
    ['n', n],
    ['k', k],
  ] as const) {
    if (!Number.isInteger(x) || x < 0) throw new DomainError(name, `expected a non-negative integer, received ${x}`);
  }
  if (k > Math.min(m, n)) throw new DomainError('k', `rank ${k} exceeds min(m, n) = ${Math.min(m, n)}`);
  return k * (m + n - k);
}

/**
 * max_a σ_a / min_a σ_a over a ≤ k (∞ for k = 0): the factor by which the SVD's subspace error ε·σ_1/σ_k exceeds
 * ε, used by the scale-aware tolerances of this module. (σ need not be sorted for points built from factors.)
 */
export function conditionOnManifold(point: FixedRankPoint): number {
  if (point.k === 0) return Infinity;
  let hi = 0,
    lo = Infinity;
  for (let a = 0; a < point.k; a++) {
    hi = Math.max(hi, point.s[a]);
    lo = Math.min(lo, point.s[a]);
  }
  return hi / lo;
}
