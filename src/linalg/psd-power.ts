import { DomainError } from '../errors.js';
import { assertFinite, assertSquare, Matrix } from './matrix.js';
import { assertTolerance } from './rank.js';
import { type Svd, symmetricEigen } from './svd.js';

/**
 * Rank-truncated spectral powers of PSD matrices (THEORY §0). Values ≤ rtol·(largest) are set to exactly 0 before
 * any power is taken: without this, a round-off eigenvalue 1e-16 becomes (1e-16)^{1/4} = 1e-4 and A_W is wrong by
 * ~1e-3. Negative p then gives the pseudo-inverse power on the (truncated) range, and p = 0 gives exactly I
 * (the convention A^0 := I, also for singular A).
 */
export const DEFAULT_PSD_RTOL = 1e-10;

/**
 * Relative size (to ‖A‖) beyond which asymmetry or a negative eigenvalue means "not PSD". Forming a PSD matrix in
 * float64 (e.g. WWᵀ, Q D Qᵀ) leaves asymmetry and negative eigenvalues of order n·ε·‖A‖, far below 1e-10.
 */
export const DEFAULT_PSD_TOLERANCE = 1e-10;

export interface PsdPowerOptions {
  /** Truncation: values ≤ rtol·(largest value) become exactly 0. Default DEFAULT_PSD_RTOL. */
  readonly rtol?: number;
  /** psdPower only: allowed asymmetry ‖A − Aᵀ‖_F/‖A‖_F and negative eigenvalue −λ/‖A‖_2. Default DEFAULT_PSD_TOLERANCE. */
  readonly psdTolerance?: number;
}

/** A^p with the parameters that produced it. */
export interface PsdPower {
  readonly matrix: Matrix;
  readonly exponent: number;
  readonly rtol: number;
  /** The absolute cut: rtol·λ_1(A) for psdPower, rtol·σ_1(W) for gramPower (the values the rule was applied to). */
  readonly threshold: number;
  /** How many values survived the truncation. */
  readonly rank: number;
}

function assertExponent(p: number, argument: string): number {
  if (!Number.isFinite(p)) throw new DomainError(argument, `expected a finite real exponent, received ${p}`);
  return p;
}

/** ‖A − Aᵀ‖_F/‖A‖_F (0 for A = 0), with entries scaled by max|a_ij| so that squares cannot overflow. */
function relativeAsymmetry(a: Matrix): number {
  const n = a.rows,
    A = a.data;
  let big = 0;
  for (let i = 0; i < A.length; i++) big = Math.max(big, Math.abs(A[i]));
  if (big === 0) return 0;
  let asym = 0,
    norm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = A[i * n + j] / big;
      asym += (x - A[j * n + i] / big) ** 2;
      norm += x * x;
    }
  }
  return Math.sqrt(asym / norm);
}

/** Σ_c f_c q_c q_cᵀ over the columns q_c of Q with f_c ≠ 0; computed on one triangle and mirrored, so exactly symmetric. */
function spectralSum(q: Matrix, f: Float64Array): Matrix {
  const n = q.rows,
    k = q.cols,
    out = new Matrix(n, n),
    Q = q.data,
    O = out.data;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) if (f[c] !== 0) s += f[c] * Q[i * k + c] * Q[j * k + c];
      O[i * n + j] = s;
      O[j * n + i] = s;
    }
  }
  return out;
}

/**
 * A^p for a symmetric PSD A and any real p, from a symmetric eigendecomposition with eigenvalues ≤ rtol·λ_1 set
 * to 0. Throws DomainError (naming `argument`) when A is asymmetric beyond psdTolerance·‖A‖_F or has an
 * eigenvalue < −psdTolerance·‖A‖_2.
 */
export function psdPower(a: Matrix, p: number, options: PsdPowerOptions = {}, argument = 'psdPower.A'): PsdPower {
  assertSquare(a, argument);
  assertFinite(a, argument);
  assertExponent(p, 'psdPower.p');
  const rtol = assertTolerance(options.rtol ?? DEFAULT_PSD_RTOL, 'psdPower.rtol');
  const psdTolerance = assertTolerance(options.psdTolerance ?? DEFAULT_PSD_TOLERANCE, 'psdPower.psdTolerance');
  const n = a.rows;
  const asymmetry = relativeAsymmetry(a);
  if (asymmetry > psdTolerance) {
    throw new DomainError(
      argument,
      `is not symmetric: ‖A − Aᵀ‖_F/‖A‖_F = ${asymmetry.toExponential(3)} > psdTolerance = ${psdTolerance}`,
    );
  }
  const { values, Q } = symmetricEigen(a, argument);
  const spectralNorm = n === 0 ? 0 : Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
  if (n > 0 && values[n - 1] < -psdTolerance * spectralNorm) {
    throw new DomainError(
      argument,
      `is not positive semidefinite: eigenvalue ${values[n - 1].toExponential(3)} < −psdTolerance·‖A‖_2 = ${(-psdTolerance * spectralNorm).toExponential(3)}`,
    );
  }
  const threshold = n === 0 ? 0 : rtol * Math.max(values[0], 0);
  return powerFromSpectrum(Q, values, threshold, p, rtol, (lambda) => lambda ** p);
}

/**
 * (WWᵀ)^p ('WWt', d_rows×d_rows) or (WᵀW)^p ('WtW', d_cols×d_cols) from a thin SVD W = U diag(σ) Vᵀ:
 * U diag(σ^{2p}) Uᵀ or V diag(σ^{2p}) Vᵀ, with σ_i ≤ rtol·σ_1 set to 0 first. The rule is applied to σ(W), not to
 * σ², because an SVD of W knows σ_i to ~ε·σ_1: cutting σ² at rtol·σ_1² would discard genuine σ_i down to √rtol·σ_1.
 * This is what the metric A_W uses (THEORY §2).
 */
export function gramPower(
  w: Svd,
  p: number,
  side: 'WWt' | 'WtW',
  options: Pick<PsdPowerOptions, 'rtol'> = {},
): PsdPower {
  assertExponent(p, 'gramPower.p');
  if (side !== 'WWt' && side !== 'WtW')
    throw new DomainError('gramPower.side', `expected 'WWt' or 'WtW', received ${String(side)}`);
  const rtol = assertTolerance(options.rtol ?? DEFAULT_PSD_RTOL, 'gramPower.rtol');
  const threshold = w.s.length === 0 ? 0 : rtol * w.s[0];
  return powerFromSpectrum(side === 'WWt' ? w.U : w.V, w.s, threshold, p, rtol, (sigma) => sigma ** (2 * p));
}

function powerFromSpectrum(
  q: Matrix,
  values: Float64Array,
  threshold: number,
  p: number,
  rtol: number,
  power: (v: number) => number,
): PsdPower {
  let rank = 0;
  while (rank < values.length && values[rank] > threshold) rank++;
  // Convention A^0 := I on the whole space, not the projector onto the range.
  if (p === 0) return { matrix: Matrix.identity(q.rows), exponent: p, rtol, threshold, rank };
  const f = new Float64Array(q.cols);
  for (let c = 0; c < rank; c++) f[c] = power(values[c]);
  return { matrix: spectralSum(q, f), exponent: p, rtol, threshold, rank };
}
