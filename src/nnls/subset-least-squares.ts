import type { Matrix } from '../linalg/matrix.js';

/**
 * Least squares on a subset of columns, min_z ‖A_P z − b‖₂, by Householder QR (backward stable, no normal
 * equations), factorized afresh: the minimum-norm and ℓ1 interpolants (interpolants.ts) solve a few of these. The
 * active-set NNLS solver, which changes the subset one column at a time, updates its factors instead
 * (lawson-hanson.ts).
 */
export interface SubsetSolution {
  /** z_k is the coefficient of column cols[k]. */
  readonly z: Float64Array;
  /** |R_kk| / ‖a_{cols[k]}‖: how independent column k is of the columns before it (1 orthogonal, 0 dependent). */
  readonly independence: Float64Array;
  /** Whether every |R_kk| exceeded the rank threshold, so z is the unique minimizer. */
  readonly fullRank: boolean;
}

/** Columns whose independence ratio is below this are treated as dependent: (10·m)·ε. */
export function independenceThreshold(rows: number): number {
  return 10 * Math.max(rows, 1) * Number.EPSILON;
}

/**
 * Solve min ‖A[:, cols] z − b‖₂. A numerically dependent column (independence below the threshold) gets
 * z_k = 0 and fullRank = false; the caller decides what to do with it (the active-set solver rejects it).
 */
export function subsetLeastSquares(a: Matrix, b: Float64Array, cols: readonly number[]): SubsetSolution {
  const m = a.rows,
    n = a.cols,
    p = cols.length,
    A = a.data;
  // Column-major copy of A_P and a copy of b that the reflectors act on.
  const q = new Float64Array(m * p);
  const norms = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const c = cols[k];
    let s = 0;
    for (let i = 0; i < m; i++) {
      const v = A[i * n + c];
      q[k * m + i] = v;
      s += v * v;
    }
    norms[k] = Math.sqrt(s);
  }
  const y = Float64Array.from(b);
  const diag = new Float64Array(p);
  const independence = new Float64Array(p);
  const threshold = independenceThreshold(m);
  const usable = new Array<boolean>(p).fill(false);
  let row = 0; // next pivot row
  for (let k = 0; k < p; k++) {
    const col = k * m;
    if (row >= m || norms[k] === 0) continue;
    // Householder reflector zeroing col[row+1..m) below the pivot.
    let big = 0;
    for (let i = row; i < m; i++) big = Math.max(big, Math.abs(q[col + i]));
    if (big === 0) continue;
    let s = 0;
    for (let i = row; i < m; i++) s += (q[col + i] / big) ** 2;
    const alpha = big * Math.sqrt(s);
    independence[k] = alpha / norms[k];
    if (independence[k] <= threshold) continue;
    const x0 = q[col + row];
    const beta = x0 >= 0 ? -alpha : alpha; // R_kk
    // v = x − β e_1 (stored in place), H = I − 2 v vᵀ/(vᵀv).
    q[col + row] = x0 - beta;
    let vv = 0;
    for (let i = row; i < m; i++) vv += q[col + i] * q[col + i];
    const apply = (target: Float64Array, offset: number): void => {
      let t = 0;
      for (let i = row; i < m; i++) t += q[col + i] * target[offset + i];
      t = (2 * t) / vv;
      for (let i = row; i < m; i++) target[offset + i] -= t * q[col + i];
    };
    for (let j = k + 1; j < p; j++) apply(q, j * m);
    apply(y, 0);
    diag[k] = beta;
    usable[k] = true;
    // Remember which pivot row belongs to column k: store it in the (now free) below-diagonal slot's place via
    // the order of usable columns (pivot rows are assigned in increasing order of usable k).
    row++;
  }
  // Back substitution over the usable columns; R_{r, j} for usable column index r is q[j*m + pivotRow(r)].
  const pivots: number[] = [];
  for (let k = 0; k < p; k++) if (usable[k]) pivots.push(k);
  const z = new Float64Array(p);
  for (let r = pivots.length - 1; r >= 0; r--) {
    const k = pivots[r];
    let s = y[r];
    for (let t = r + 1; t < pivots.length; t++) s -= q[pivots[t] * m + r] * z[pivots[t]];
    z[k] = s / diag[k];
  }
  return { z, independence, fullRank: pivots.length === p };
}
