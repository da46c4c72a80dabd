import { DomainError, ShapeError } from '../errors.js';
import { orthonormalComplement } from '../linalg/complement.js';
import { frobeniusDistance, frobeniusNorm } from '../linalg/frobenius.js';
import { bestRankK } from '../linalg/low-rank.js';
import { assertFinite, Matrix } from '../linalg/matrix.js';
import { pseudoInverse } from '../linalg/pinv.js';
import { multiply } from '../linalg/products.js';
import { defaultRankTolerance } from '../linalg/rank.js';
import { fullSvd, svd } from '../linalg/svd.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import { absMatrix } from './tolerances.js';

/**
 * Local openness of matrix multiplication M(X, Y) = XY, X ∈ R^{m×k}, Y ∈ R^{k×n} (THEORY §3, nr.local-openness).
 * M is locally open at (X, Y) (onto its range: all of R^{m×n} when k ≥ min(m, n), the matrices of rank ≤ k
 * otherwise) iff, in THEORY's checkable rank form [D from NR's statements]:
 *   k ≥ min(m, n):  rank Y − rank XY ≤ k − m   or   rank X − rank XY ≤ k − n;
 *   k < min(m, n):  rank X = rank Y = rank XY.
 * Numeric witness: for random targets Z in the range with ‖Z − XY‖ ≈ δ, the distance from (X, Y) to the fiber
 * M⁻¹(Z) tends to 0 as δ → 0 iff M is open there. Note the rate need not be linear: at (0, 0) with m = n = k = 1
 * the fiber of δ is {xy = δ}, at distance √(2δ) — open, but like √δ, not δ.
 */
export interface OpennessCriterion {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** 'wide': k ≥ min(m, n) (onto R^{m×n}); 'narrow': k < min(m, n) (onto rank ≤ k). */
  readonly regime: 'wide' | 'narrow';
  readonly rankX: number;
  readonly rankY: number;
  readonly rankXY: number;
  readonly open: boolean;
  readonly rule: string;
}

const RANK_RTOL = 1e-9;

/** Numerical rank with the criterion's cut: σ_i > 1e-9·scale (scale: the size of the terms that formed a). */
export function rankAgainst(a: Matrix, scale: number): number {
  if (a.rows === 0 || a.cols === 0) return 0;
  const s = svd(a).s;
  let r = 0;
  while (r < s.length && s[r] > RANK_RTOL * scale) r++;
  return r;
}

function checkPair(X: Matrix, Y: Matrix): void {
  if (!(X instanceof Matrix) || !(Y instanceof Matrix))
    throw new ShapeError('(X, Y)', 'two matrices', 'something else');
  if (X.cols !== Y.rows) throw new ShapeError('Y', `${X.cols}×n (k = columns of X)`, Y.shape);
  assertFinite(X, 'X');
  assertFinite(Y, 'Y');
}

export function opennessCriterion(X: Matrix, Y: Matrix): OpennessCriterion {
  checkPair(X, Y);
  const m = X.rows,
    k = X.cols,
    n = Y.cols;
  const rankX = rankAgainst(X, frobeniusNorm(X));
  const rankY = rankAgainst(Y, frobeniusNorm(Y));
  const rankXY = rankAgainst(multiply(X, Y), frobeniusNorm(multiply(absMatrix(X), absMatrix(Y))));
  if (k >= Math.min(m, n)) {
    const a = rankY - rankXY <= k - m,
      b = rankX - rankXY <= k - n;
    return {
      m,
      k,
      n,
      regime: 'wide',
      rankX,
      rankY,
      rankXY,
      open: a || b,
      rule: `k = ${k} ≥ min(m, n) = ${Math.min(m, n)}: rank Y − rank XY = ${rankY - rankXY} ${a ? '≤' : '>'} k − m = ${k - m}, rank X − rank XY = ${rankX - rankXY} ${b ? '≤' : '>'} k − n = ${k - n}`,
    };
  }
  const open = rankX === rankY && rankY === rankXY;
  return {
    m,
    k,
    n,
    regime: 'narrow',
    rankX,
    rankY,
    rankXY,
    open,
    rule: `k = ${k} < min(m, n) = ${Math.min(m, n)}: rank X = ${rankX}, rank Y = ${rankY}, rank XY = ${rankXY} ${open ? '(all equal)' : '(not all equal)'}`,
  };
}

export interface FiberDistance {
  /** Distance to the nearest fiber point found (verified: ‖X'Y' − Z‖ at round-off); Infinity if none. */
  readonly upper: number;
  /** A rigorous lower bound on the distance to the fiber (0 when none applies). */
  readonly lower: number;
  readonly method: string;
}

function residualOf(X: Matrix, Y: Matrix, Z: Matrix): number {
  return frobeniusDistance(multiply(X, Y), Z);
}

/** A fiber point is verified when ‖product − Z‖ ≤ FIBER_RTOL·(‖Z‖ + product of the factors' norms). */
export const FIBER_RTOL = 1e-12;

function onFiber(X: Matrix, Y: Matrix, Z: Matrix): boolean {
  return residualOf(X, Y, Z) <= FIBER_RTOL * (frobeniusNorm(Z) + frobeniusNorm(X) * frobeniusNorm(Y) + 1e-300);
}

function pairDistance(X: Matrix, Y: Matrix, X0: Matrix, Y0: Matrix): number {
  return Math.hypot(frobeniusDistance(X, X0), frobeniusDistance(Y, Y0));
}

/**
 * J⁺F for the Jacobian J(ΔX, ΔY) = ΔX·Y + X·ΔY of the product, from the SVDs of X and Y instead of an SVD of the
 * mn×(mk + kn) matrix J. With XXᵀ = U diag(α) Uᵀ and YᵀY = V diag(β) Vᵀ (full bases, α, β padded with 0),
 * JJᵀ(R) = XXᵀR + RYᵀY has the eigenvectors u_iv_jᵀ with eigenvalues α_i + β_j, so J has the singular values
 * σ_ij = (s_i(X)² + s_j(Y)²)^½ and J⁺F = Jᵀ(JJᵀ)⁺F = (SYᵀ, XᵀS), S = U[(UᵀFV)_ij/σ_ij²]Vᵀ. Terms with
 * σ_ij ≤ rtol·σ_max are dropped, rtol = max(mn, mk + kn)·ε as pseudoInverse(J) does; σ_ij is as accurate as the
 * SVD of J would give it (absolute error ~ε‖J‖: the singular values of X and Y are, and are not squared alone).
 */
export function productJacobianSolve(X: Matrix, Y: Matrix, F: Matrix): { dX: Matrix; dY: Matrix } {
  const m = X.rows,
    k = X.cols,
    n = Y.cols;
  const fx = fullSvd(X),
    fy = fullSvd(Y);
  const alpha = Float64Array.from({ length: m }, (_, i) => (i < fx.s.length ? fx.s[i] ** 2 : 0));
  const beta = Float64Array.from({ length: n }, (_, j) => (j < fy.s.length ? fy.s[j] ** 2 : 0));
  const cut = defaultRankTolerance(m * n, m * k + k * n) * Math.sqrt(alpha[0] + beta[0]);
  const C = multiply(multiply(fx.U, F, 't', 'n'), fy.V);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const sigma2 = alpha[i] + beta[j];
      C.data[i * n + j] = Math.sqrt(sigma2) > cut ? C.data[i * n + j] / sigma2 : 0;
    }
  const S = multiply(multiply(fx.U, C), fy.V, 'n', 't');
  return { dX: multiply(S, Y, 'n', 't'), dY: multiply(X, S, 't', 'n') };
}

/** Gauss–Newton with minimum-norm steps −J⁺(XY − Z), J(ΔX, ΔY) = ΔX·Y + X·ΔY. */
export function gaussNewtonFiber(
  X0: Matrix,
  Y0: Matrix,
  Z: Matrix,
  maxIterations = 60,
): { X: Matrix; Y: Matrix; converged: boolean } {
  const m = X0.rows,
    k = X0.cols,
    n = Y0.cols;
  let X = X0.clone(),
    Y = Y0.clone();
  for (let it = 0; it < maxIterations; it++) {
    const F = multiply(X, Y);
    for (let i = 0; i < F.data.length; i++) F.data[i] -= Z.data[i];
    if (onFiber(X, Y, Z)) return { X, Y, converged: true };
    const { dX, dY } = productJacobianSolve(X, Y, F);
    const before = frobeniusNorm(F);
    let moved = false;
    for (let t = 1, h = 0; h < 30; h++, t /= 2) {
      const Xt = X.clone(),
        Yt = Y.clone();
      for (let i = 0; i < m * k; i++) Xt.data[i] -= t * dX.data[i];
      for (let i = 0; i < k * n; i++) Yt.data[i] -= t * dY.data[i];
      if (residualOf(Xt, Yt, Z) < before) {
        X = Xt;
        Y = Yt;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return { X, Y, converged: onFiber(X, Y, Z) };
}

/**
 * Variable projection for k ≥ m (full-row-rank targets): every fiber point has X' of full row rank, and the
 * nearest Y' for a given X' is Y + X'⁺(Z − X'Y); minimize f(X') = ‖X' − X‖² + ‖X'⁺(Z − X'Y)‖² by BFGS.
 * X'⁺ = X'ᵀG⁻¹ with G = X'X'ᵀ, so with r = Z − X'Y and S = G⁻¹r: ‖X'⁺r‖² = ⟨r, S⟩ (one m×m Cholesky solve,
 * m ≤ 3, no SVD), and its exact gradient is ∇f = 2(X' − X) − 2SYᵀ − 2SSᵀX' (dr = −dX'Y, dG⁻¹ = −G⁻¹dG G⁻¹).
 */
function varpro(X: Matrix, Y: Matrix, Z: Matrix, start: Matrix): { X: Matrix; Y: Matrix } | undefined {
  const m = X.rows,
    k = X.cols,
    n = Y.cols;
  const dim = m * k;
  const gram = new Float64Array(m * m),
    r = new Float64Array(m * n);
  /** f at x; writes ∇f into g when given. */
  const evaluate = (x: Float64Array, g?: Float64Array): number => {
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let v = 0;
        for (let c = 0; c < k; c++) v += x[a * k + c] * x[b * k + c];
        gram[a * m + b] = v;
      }
    for (let a = 0; a < m; a++)
      for (let c = 0; c < n; c++) {
        let v = Z.data[a * n + c];
        for (let b = 0; b < k; b++) v -= x[a * k + b] * Y.data[b * n + c];
        r[a * n + c] = v;
      }
    const S = solveSpd(gram, r, m, n);
    if (!S) return Infinity;
    let dx = 0,
      q = 0;
    for (let i = 0; i < dim; i++) dx += (x[i] - X.data[i]) ** 2;
    for (let i = 0; i < r.length; i++) q += r[i] * S[i];
    if (g) {
      const SSt = new Float64Array(m * m);
      for (let a = 0; a < m; a++)
        for (let b = 0; b < m; b++) {
          let v = 0;
          for (let c = 0; c < n; c++) v += S[a * n + c] * S[b * n + c];
          SSt[a * m + b] = v;
        }
      for (let a = 0; a < m; a++)
        for (let b = 0; b < k; b++) {
          let v = x[a * k + b] - X.data[a * k + b];
          for (let c = 0; c < n; c++) v -= S[a * n + c] * Y.data[b * n + c];
          for (let e = 0; e < m; e++) v -= SSt[a * m + e] * x[e * k + b];
          g[a * k + b] = 2 * v;
        }
    }
    return dx + q;
  };
  let x = start.data.slice();
  let g = new Float64Array(dim);
  let fx = evaluate(x, g);
  if (!Number.isFinite(fx)) return undefined;
  let Hinv = Matrix.identity(dim);
  for (let it = 0; it < 100; it++) {
    const d = new Float64Array(dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) d[i] -= Hinv.data[i * dim + j] * g[j];
    let slope = 0;
    for (let i = 0; i < dim; i++) slope += d[i] * g[i];
    if (!(slope < 0)) {
      Hinv = Matrix.identity(dim);
      for (let i = 0; i < dim; i++) d[i] = -g[i];
      slope = -g.reduce((s, v) => s + v * v, 0);
    }
    if (Math.abs(slope) < 1e-22) break;
    let t = 1,
      accepted = false;
    for (let h = 0; h < 50; h++, t /= 2) {
      const xt = x.map((v, i) => v + t * d[i]);
      // The gradient comes with the value: the first trial is usually accepted.
      const gt = new Float64Array(dim);
      const ft = evaluate(xt, gt);
      if (ft <= fx + 1e-4 * t * slope) {
        // At round-off the Armijo test accepts steps that do not lower f: stop instead of wandering.
        if (!(ft < fx)) break;
        const s = xt.map((v, i) => v - x[i]),
          y = gt.map((v, i) => v - g[i]);
        let sy = 0;
        for (let i = 0; i < dim; i++) sy += s[i] * y[i];
        if (sy > 1e-16) {
          // BFGS update of the inverse Hessian.
          const Hy = new Float64Array(dim);
          for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) Hy[i] += Hinv.data[i * dim + j] * y[j];
          let yHy = 0;
          for (let i = 0; i < dim; i++) yHy += y[i] * Hy[i];
          for (let i = 0; i < dim; i++)
            for (let j = 0; j < dim; j++) {
              Hinv.data[i * dim + j] += ((sy + yHy) * s[i] * s[j]) / (sy * sy) - (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
            }
        }
        x = xt;
        fx = ft;
        g = gt;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  const Xp = new Matrix(m, k, x);
  const res = multiply(Xp, Y);
  for (let i = 0; i < res.data.length; i++) res.data[i] = Z.data[i] - res.data[i];
  const Yp = multiply(pseudoInverse(Xp, 1e-13).matrix, res);
  for (let i = 0; i < Yp.data.length; i++) Yp.data[i] += Y.data[i];
  return { X: Xp, Y: Yp };
}

/** Solve G S = R for a symmetric positive definite m×m G (Cholesky); undefined when G is (numerically) singular. */
function solveSpd(G: Float64Array, R: Float64Array, m: number, n: number): Float64Array | undefined {
  const L = new Float64Array(m * m);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += G[i * m + i];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let v = G[i * m + j];
      for (let p = 0; p < j; p++) v -= L[i * m + p] * L[j * m + p];
      if (i === j) {
        if (!(v > 1e-14 * trace)) return undefined;
        L[i * m + i] = Math.sqrt(v);
      } else L[i * m + j] = v / L[j * m + j];
    }
  }
  const S = R.slice();
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < m; i++) {
      let v = S[i * n + c];
      for (let p = 0; p < i; p++) v -= L[i * m + p] * S[p * n + c];
      S[i * n + c] = v / L[i * m + i];
    }
    for (let i = m - 1; i >= 0; i--) {
      let v = S[i * n + c];
      for (let p = i + 1; p < m; p++) v -= L[p * m + i] * S[p * n + c];
      S[i * n + c] = v / L[i * m + i];
    }
  }
  return S;
}

function transpose(a: Matrix): Matrix {
  const out = new Matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  return out;
}

/** Orthogonal projector onto the span of the first r left singular vectors of A. */
export function rangeProjector(a: Matrix, r: number): Matrix {
  const f = svd(a);
  const u = new Matrix(a.rows, r);
  for (let i = 0; i < a.rows; i++) for (let c = 0; c < r; c++) u.data[i * r + c] = f.U.data[i * f.U.cols + c];
  return multiply(u, u, 'n', 't');
}

/**
 * Upper and lower bounds on dist((X, Y), M⁻¹(Z)). Upper: the nearest verified fiber point among Gauss–Newton
 * runs from (X, Y) and nearby starts, and (k ≥ m or k ≥ n, full-rank targets) variable-projection minimization.
 * Lower (rigorous): when rank Z = k, every fiber point has range X' = range Z and row space Y' = row space Z, so
 * dist² ≥ ‖(I − Π_Z)X‖² + ‖Y(I − Π_{Zᵀ})‖².
 */
export function fiberDistance(X: Matrix, Y: Matrix, Z: Matrix, rng: Rng): FiberDistance {
  checkPair(X, Y);
  if (Z.rows !== X.rows || Z.cols !== Y.cols) throw new ShapeError('Z', `${X.rows}×${Y.cols}`, Z.shape);
  if (X.data.every((x) => x === 0) && Y.data.every((y) => y === 0)) return fiberDistanceFromOrigin(Z, X.cols);
  const m = X.rows,
    k = X.cols,
    n = Y.cols;
  const delta = frobeniusDistance(multiply(X, Y), Z);
  let upper = Infinity,
    method = 'none';
  const consider = (Xp: Matrix, Yp: Matrix, how: string) => {
    if (!onFiber(Xp, Yp, Z)) return;
    const d = pairDistance(Xp, Yp, X, Y);
    if (d < upper) {
      upper = d;
      method = how;
    }
  };
  const starts: Array<[Matrix, Matrix, string]> = [[X, Y, 'Gauss–Newton from (X, Y)']];
  for (const eta of [Math.sqrt(delta), Math.cbrt(delta), 0.1]) {
    const Xs = X.clone(),
      Ys = Y.clone();
    for (let i = 0; i < Xs.data.length; i++) Xs.data[i] += eta * rng.gaussian();
    for (let i = 0; i < Ys.data.length; i++) Ys.data[i] += eta * rng.gaussian();
    starts.push([Xs, Ys, `Gauss–Newton from a start at distance ~${eta.toExponential(1)}`]);
  }
  for (const p of zeroFactorFiberPoints(X, Y, Z)) consider(p.X, p.Y, p.how);
  const gnPoints: Matrix[] = [];
  for (const [Xs, Ys, how] of starts) {
    const r = gaussNewtonFiber(Xs, Ys, Z);
    if (r.converged) {
      consider(r.X, r.Y, how);
      gnPoints.push(r.X);
    }
  }
  const zRank = rankAgainst(Z, frobeniusNorm(Z));
  if (k >= m && zRank === m) {
    for (const s of [X, ...gnPoints.slice(0, 1)]) {
      const start = s.clone();
      for (let i = 0; i < start.data.length; i++) start.data[i] += 1e-3 * rng.gaussian();
      const r = varpro(X, Y, Z, start);
      if (r) consider(r.X, r.Y, 'variable projection');
    }
  } else if (k >= n && zRank === n) {
    const Xt = transpose(Y),
      Yt = transpose(X),
      Zt = transpose(Z);
    for (const s of [Xt]) {
      const start = s.clone();
      for (let i = 0; i < start.data.length; i++) start.data[i] += 1e-3 * rng.gaussian();
      const r = varpro(Xt, Yt, Zt, start);
      if (r) consider(transpose(r.Y), transpose(r.X), 'variable projection');
    }
  }
  let lower = 0;
  if (zRank === k && k < Math.min(m, n)) {
    const PL = rangeProjector(Z, k),
      PR = rangeProjector(transpose(Z), k);
    const ex = multiply(PL, X),
      ey = multiply(Y, PR);
    lower = Math.hypot(frobeniusDistance(X, ex), frobeniusDistance(Y, ey));
  }
  return { upper, lower, method };
}

/**
 * The exact answer at (X, Y) = (0, 0), where the map is most degenerate and a numeric search is least reliable:
 * min{‖X'‖² + ‖Y'‖² : X'Y' = Z} = 2‖Z‖_* (nuclear norm), attained by X' = U√Σ, Y' = √ΣVᵀ (padded to k), because
 * ‖Z‖_* ≤ ‖X'‖‖Y'‖ ≤ ½(‖X'‖² + ‖Y'‖²) for every factorization. So the distance is √(2‖Z‖_*) when rank Z ≤ k, and
 * the fiber is empty otherwise; both bounds are exact.
 */
function fiberDistanceFromOrigin(Z: Matrix, k: number): FiberDistance {
  const s = svd(Z).s;
  const rank = rankAgainst(Z, frobeniusNorm(Z));
  if (rank > k)
    return {
      upper: Infinity,
      lower: Infinity,
      method: `exact at (0, 0): rank Z = ${rank} > k = ${k}, the fiber is empty`,
    };
  let nuclear = 0;
  for (const x of s) nuclear += x;
  const d = Math.sqrt(2 * nuclear);
  return { upper: d, lower: d, method: 'exact at (0, 0): √(2‖Z‖_*) (balanced factorization U√Σ, √ΣVᵀ)' };
}

/**
 * Explicit fiber points when one factor is 0 (X = 0 here; Y = 0 by transposition), the other's rank deficiency
 * being where a numeric search fails (nr.local-openness seed 148). Both constructions are NR-style:
 *   k ≥ m + rank Y: W (k×m) orthonormal ⊥ range Y, X' = tWᵀ, Y' = Y + t⁻¹WZ: X'Y' = Z, dist² = mt² + ‖Z‖²/t²,
 *     minimal √(2√m‖Z‖) at t = (‖Z‖²/m)^{1/4};
 *   k ≥ n: complete Y to full column rank with s·U_cV_cᵀ (U_c ⊥ range Y, V_c ⊥ corange Y), X' = ZY'⁺: X'Y' = Z,
 *     dist² ≤ (n − r)s² + ‖Z‖²/min(σ_r, s)², of order ‖Z‖ at s = √‖Z‖.
 * Either gives a fiber distance → 0 as ‖Z − XY‖ → 0, the exact reason the rank criterion says "open" there.
 */
function zeroFactorFiberPoints(X: Matrix, Y: Matrix, Z: Matrix): Array<{ X: Matrix; Y: Matrix; how: string }> {
  const isZero = (a: Matrix) => a.data.every((x) => x === 0);
  if (isZero(Y) && !isZero(X)) {
    return zeroFactorFiberPoints(transpose(Y), transpose(X), transpose(Z)).map((p) => ({
      X: transpose(p.Y),
      Y: transpose(p.X),
      how: p.how,
    }));
  }
  if (!isZero(X)) return [];
  const m = X.rows,
    k = X.cols,
    n = Y.cols;
  const z = frobeniusNorm(Z);
  const f = svd(Y);
  const r = rankAgainst(Y, frobeniusNorm(Y));
  const range = new Matrix(k, r),
    corange = new Matrix(n, r);
  for (let i = 0; i < k; i++) for (let c = 0; c < r; c++) range.data[i * r + c] = f.U.data[i * f.U.cols + c];
  for (let j = 0; j < n; j++) for (let c = 0; c < r; c++) corange.data[j * r + c] = f.V.data[j * f.V.cols + c];
  const out: Array<{ X: Matrix; Y: Matrix; how: string }> = [];
  const rangeComplement = orthonormalComplement(range);
  if (k - r >= m && z > 0) {
    const W = new Matrix(k, m);
    for (let i = 0; i < k; i++) for (let c = 0; c < m; c++) W.data[i * m + c] = rangeComplement.data[i * (k - r) + c];
    const t = Math.pow((z * z) / m, 0.25);
    const Xp = transpose(W);
    for (let i = 0; i < Xp.data.length; i++) Xp.data[i] *= t;
    const Yp = multiply(W, Z);
    for (let i = 0; i < Yp.data.length; i++) Yp.data[i] = Y.data[i] + Yp.data[i] / t;
    out.push({ X: Xp, Y: Yp, how: "explicit (X = 0): X' = tWᵀ, Y' = Y + t⁻¹WZ with W ⊥ range Y" });
  }
  if (k >= n) {
    const coComplement = orthonormalComplement(corange);
    const s = Math.sqrt(z);
    const Yp = Y.clone();
    for (let i = 0; i < k; i++)
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let c = 0; c < n - r; c++) v += rangeComplement.data[i * (k - r) + c] * coComplement.data[j * (n - r) + c];
        Yp.data[i * n + j] += s * v;
      }
    out.push({
      X: multiply(Z, pseudoInverse(Yp).matrix),
      Y: Yp,
      how: "explicit (X = 0): Y completed to full column rank, X' = ZY'⁺",
    });
  }
  return out;
}

export interface OpennessTarget {
  readonly deltas: number[];
  readonly upper: number[];
  readonly lower: number[];
}

export interface OpennessWitness {
  readonly criterion: OpennessCriterion;
  readonly targets: OpennessTarget[];
  /** Every target's fiber distance (upper bound) at the smallest δ is ≤ 1e-2·scale and ≤ 0.1× the one at the largest δ. */
  readonly vanishing: boolean;
  /** Some target keeps its fiber distance ≥ 1e-2·scale at every δ (rigorous lower bound, else best upper bound). */
  readonly boundedAway: boolean;
  readonly scale: number;
  /** max over targets of upper(δ_min)/scale (small when open). */
  readonly worstVanishing: number;
  /** max over targets of min over δ of max(lower, upper)/scale (large when not open). */
  readonly bestAway: number;
  readonly rigorousAway: boolean;
}

/** Random targets in the range of M at distance δ from XY: XY + δG (wide) or [XY + δG]_k (narrow). */
export function opennessTarget(X: Matrix, Y: Matrix, G: Matrix, delta: number, regime: 'wide' | 'narrow'): Matrix {
  const Z = multiply(X, Y);
  const g = frobeniusNorm(G);
  for (let i = 0; i < Z.data.length; i++) Z.data[i] += (delta * G.data[i]) / g;
  return regime === 'wide' ? Z : bestRankK(Z, X.cols).matrix;
}

export function opennessWitness(
  X: Matrix,
  Y: Matrix,
  rng: Rng,
  options: { targets?: number; deltas?: number[] } = {},
): OpennessWitness {
  const criterion = opennessCriterion(X, Y);
  const deltas = options.deltas ?? [1e-2, 1e-5, 1e-8];
  if (deltas.length < 2 || deltas.some((d) => !(d > 0)))
    throw new DomainError('deltas', 'need at least two positive δ');
  const count = options.targets ?? 4;
  const scale = 1 + frobeniusNorm(X) + frobeniusNorm(Y);
  const targets: OpennessTarget[] = [];
  for (let t = 0; t < count; t++) {
    const G = gaussianMatrix(rng, X.rows, Y.cols);
    const upper: number[] = [],
      lower: number[] = [];
    for (const d of deltas) {
      const fd = fiberDistance(X, Y, opennessTarget(X, Y, G, d, criterion.regime), rng);
      upper.push(fd.upper);
      lower.push(fd.lower);
    }
    targets.push({ deltas, upper, lower });
  }
  const last = deltas.length - 1;
  const worstVanishing = Math.max(...targets.map((t) => t.upper[last] / scale));
  const vanishing = targets.every(
    (t) => t.upper[last] <= 1e-2 * scale && t.upper[last] <= 0.1 * Math.max(t.upper[0], 1e-300),
  );
  const awayOf = (t: OpennessTarget) => Math.min(...t.upper.map((u, i) => (t.lower[i] > 0 ? t.lower[i] : u))) / scale;
  const bestAway = Math.max(...targets.map(awayOf));
  const rigorousAway = targets.some((t) => t.lower.every((l) => l >= 1e-2 * scale));
  return {
    criterion,
    targets,
    vanishing,
    boundedAway: bestAway >= 1e-2,
    scale,
    worstVanishing,
    bestAway,
    rigorousAway,
  };
}
