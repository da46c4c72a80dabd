import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { kktResiduals, kktRoundOff, type KktResiduals } from './kkt.js';
import { LeastSquaresWorkspace, columnNorms, leastSquaresProblem, type LeastSquaresProblem } from './problem.js';
import { norm2 } from './vector.js';

/**
 * Lawson–Hanson active-set NNLS (Lawson & Hanson, "Solving Least Squares Problems", 1974, ch. 23): an exact
 * method — it terminates with x solving the KKT system of min_{x ≥ 0} ½‖Ax − b‖² up to round-off.
 *
 * Passive set P (free variables, x_P > 0) and active set Z (x_Z = 0). Outer loop: w = Aᵀ(b − Ax) = −∇f; stop when
 * w_j is round-off for all j ∈ Z; else move the j ∈ Z with the largest w_j to P and solve the unconstrained least
 * squares on P. Inner loop: while that solution z has z_i ≤ 0 on P, step from x toward z as far as feasibility
 * allows and move the coordinates that hit 0 to Z.
 *
 * Updated factors instead of a fresh QR per step (the book's own scheme): the working copy W of A and the
 * right-hand side y are kept in the rotated basis Qᵀ, where A_P = Q[R; 0]. A column entering P costs one
 * Householder reflector applied to the columns of Z (O(m·|Z|)); a column leaving P costs Givens rotations that
 * restore the triangle (O(|P|·n)); and since y_{|P|:m} is then the rotated residual, w_Z = W_{|P|:m, Z}ᵀ y_{|P|:m}
 * comes without forming Ax − b.
 *
 * Badly scaled columns: W holds A·D with D = diag(2^{−e_j}), 2^{e_j} the power of two nearest to ‖a_j‖ — an exact
 * rescaling, after which the solver works in the units of each column, so a column of norm 1e-6 next to one of 1e6
 * still enters when its multiplier is above round-off (x = D·x_W). Every threshold below is per coordinate, in
 * those units (src/nnls/kkt.ts):
 * - Column j stops entering when its multiplier is round-off in the rotated basis (candidate() below):
 *   w_j ≤ τ_w·(‖W_j‖·‖y_{p:m}‖ + ‖W_{p:m, j}‖·S), S = ‖b‖ + Σ_k ‖a_k‖|x_k|, τ_w = 8·(m + n)·ε.
 * - A candidate whose column is numerically dependent on A_P (‖W_{|P|:m, j}‖/‖W_j‖ ≤ 10mε), or whose new
 *   coefficient comes out ≤ 0 (possible only through round-off), is rejected until P changes (LH's safeguard).
 * - The coordinate that limits the inner step is set to exactly 0 and leaves P, so every inner step makes
 *   progress; the total number of least-squares solves is capped (default 10n + 50) and exceeding the cap is
 *   reported as non-convergence, never an endless loop.
 * - The answer is checked, not trusted: `converged` also requires the KKT conditions computed directly from
 *   (A, b, x) to hold at kktRoundOff(m, n); otherwise the status is 'kkt-not-met'.
 */
export interface LawsonHansonOptions {
  /** Cap on least-squares solves (outer + inner iterations); default 10n + 50. */
  readonly maxIterations?: number;
  /** Multiplier tolerance τ_w, relative to the round-off scale of each multiplier (default 8·(m+n)·ε). */
  readonly tolerance?: number;
}

export type LawsonHansonStatus = 'converged' | 'max-iterations' | 'kkt-not-met';

export interface NnlsSolution {
  readonly x: Float64Array;
  /** Indices with x_i = 0 held by the constraint (the active set Z). */
  readonly active: number[];
  /** Indices of free variables (the passive set P, x_i > 0). */
  readonly passive: number[];
  readonly kkt: KktResiduals;
  /** f(x) = ½‖Ax − b‖². */
  readonly objective: number;
  readonly residualNorm: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly status: LawsonHansonStatus;
  /** Columns rejected as numerically dependent or round-off candidates during the run. */
  readonly rejected: number;
}

export function lawsonHanson(a: Matrix, b: ArrayLike<number>, options: LawsonHansonOptions = {}): NnlsSolution {
  const problem = leastSquaresProblem(a, b);
  return solveNnls(problem, options);
}

export function solveNnls(problem: LeastSquaresProblem, options: LawsonHansonOptions = {}): NnlsSolution {
  const { A } = problem;
  const m = A.rows, n = A.cols;
  const maxIterations = options.maxIterations ?? 10 * n + 50;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new DomainError('options.maxIterations', `must be an integer ≥ 0, got ${maxIterations}`);
  const tau = options.tolerance ?? 2 * Number.EPSILON;
  if (!(tau >= 0) || !Number.isFinite(tau)) throw new DomainError('options.tolerance', `must be a finite number ≥ 0, got ${tau}`);
  const run = new ActiveSet(problem, tau, maxIterations);
  run.solve();
  const x = run.solution();
  const active: number[] = [], passive: number[] = [];
  for (let j = 0; j < n; j++) (run.inP[j] ? passive : active).push(j);
  const ws = new LeastSquaresWorkspace(problem);
  const objective = ws.evaluate(x);
  const kkt = kktResiduals(problem, x);
  const status = run.status === 'converged' && !(kkt.worst <= kktRoundOff(m, n)) ? 'kkt-not-met' : run.status;
  return {
    x,
    active,
    passive,
    kkt,
    objective,
    residualNorm: norm2(ws.residual),
    iterations: run.iterations,
    converged: status === 'converged',
    status,
    rejected: run.rejected,
  };
}

/** The solver's state; every buffer is allocated here, none in the loops. */
class ActiveSet {
  readonly m: number;
  readonly n: number;
  /** Column-major working matrix, column j at w[j·m …]: Qᵀ·A·D. Columns of P hold R in rows 0..|P|−1. */
  readonly work: Float64Array;
  /** Qᵀb. */
  readonly y: Float64Array;
  /** D_jj = 2^{−e_j} (0 for a zero column, which never enters). */
  readonly scale: Float64Array;
  /** ‖a_j‖·D_jj ∈ [1/√2, √2]: the column norms of W (kept by every rotation). */
  readonly norms: Float64Array;
  readonly inP: Uint8Array;
  readonly excluded: Uint8Array;
  /** order[t] is the column in pivot position t (t < p). */
  readonly order: Int32Array;
  /** Coefficients of the current iterate, by column, in W's units (x = D·xw). */
  readonly xw: Float64Array;
  /** The least-squares solution on P, by pivot position. */
  readonly z: Float64Array;
  /** Multipliers w_j = (W_{p:m, j})ᵀ y_{p:m} for j ∉ P. */
  readonly mult: Float64Array;
  /** ‖W_{p:m, j}‖ for j ∉ P: the part of column j that A_P does not already reach. */
  readonly reach: Float64Array;
  readonly normB: number;
  p = 0;
  iterations = 0;
  rejected = 0;
  status: 'converged' | 'max-iterations' = 'converged';

  constructor(problem: LeastSquaresProblem, readonly tau: number, readonly maxIterations: number) {
    const { A, b } = problem;
    const m = (this.m = A.rows), n = (this.n = A.cols);
    const a = A.data;
    this.work = new Float64Array(m * n);
    this.y = Float64Array.from(b);
    this.scale = new Float64Array(n);
    this.norms = new Float64Array(n);
    const c = columnNorms(A);
    for (let j = 0; j < n; j++) {
      if (c[j] === 0) continue;
      // 2^{−round(log2 c)}: exact, and c·D within a factor √2 of 1 (clamped to the normal range).
      const e = Math.max(-1021, Math.min(1021, Math.round(Math.log2(c[j]))));
      const d = 2 ** -e;
      this.scale[j] = d;
      this.norms[j] = c[j] * d;
      for (let i = 0; i < m; i++) this.work[j * m + i] = a[i * n + j] * d;
    }
    this.inP = new Uint8Array(n);
    this.excluded = new Uint8Array(n);
    this.order = new Int32Array(Math.min(m, n));
    this.xw = new Float64Array(n);
    this.z = new Float64Array(Math.min(m, n));
    this.mult = new Float64Array(n);
    this.reach = new Float64Array(n);
    this.normB = norm2(b);
  }

  /** x = D·xw. */
  solution(): Float64Array {
    const x = new Float64Array(this.n);
    for (let j = 0; j < this.n; j++) x[j] = this.inP[j] ? this.xw[j] * this.scale[j] : 0;
    return x;
  }

  solve(): void {
    this.multipliers();
    for (;;) {
      const j = this.candidate();
      if (j < 0) return;
      if (this.iterations >= this.maxIterations) {
        this.status = 'max-iterations';
        return;
      }
      this.iterations++;
      if (!this.enter(j)) {
        this.excluded[j] = 1;
        this.rejected++;
        continue;
      }
      this.excluded.fill(0);
      const left = this.restoreFeasibility();
      if (left < 0) return;
      for (let t = 0; t < this.p; t++) this.xw[this.order[t]] = this.z[t];
      // enter() refreshed the multipliers for the P it made; a column leaving P changed P and y again.
      if (left > 0) this.multipliers();
    }
  }

  /**
   * The column outside P with the largest multiplier above its round-off, or −1. In the rotated basis w_j is
   * summed from W_{p:m, j} (off by a few ε·‖W_j‖) and y_{p:m} (off by a few ε·S), so its round-off is
   * τ·(‖W_j‖·‖y_{p:m}‖ + ‖W_{p:m, j}‖·S). The second factor matters: a column that A_P nearly reaches (a nearly
   * dependent one, or one whose remaining weight sits in rows scaled down by 2^−20) still enters when the
   * residual it can remove is above round-off, as in exact Lawson–Hanson.
   */
  private candidate(): number {
    const { m, n, mult, reach, norms, inP, excluded, xw, y, p } = this;
    let s = this.normB;
    for (let t = 0; t < p; t++) s += norms[this.order[t]] * Math.abs(xw[this.order[t]]);
    let rr = 0;
    for (let i = p; i < m; i++) rr += y[i] * y[i];
    const rho = Math.sqrt(rr);
    let best = -1, bestW = 0;
    for (let j = 0; j < n; j++) {
      if (inP[j] || excluded[j] || norms[j] === 0) continue;
      if (mult[j] > this.tau * (norms[j] * rho + reach[j] * s) && mult[j] > bestW) {
        bestW = mult[j];
        best = j;
      }
    }
    return best;
  }

  /** mult_j = W_{p:m, j}ᵀ y_{p:m} and reach_j = ‖W_{p:m, j}‖ for every j ∉ P. */
  private multipliers(): void {
    const { m, n, work, y, mult, reach, inP, p } = this;
    for (let j = 0; j < n; j++) {
      if (inP[j]) continue;
      const c = j * m;
      let s = 0, ss = 0;
      for (let i = p; i < m; i++) {
        const v = work[c + i];
        s += v * y[i];
        ss += v * v;
      }
      mult[j] = s;
      reach[j] = Math.sqrt(ss);
    }
  }

  /**
   * Try to move column j into P: a Householder reflector H zeroing W_{p+1:m, j}. Rejected (nothing changes) when
   * the column is numerically dependent on A_P or its new coefficient (H y)_p / R_pp is not positive. Accepted:
   * H is applied to y and to every column outside P, whose multipliers are refreshed in the same pass.
   */
  private enter(j: number): boolean {
    const { m, n, work, y, inP, p } = this;
    if (p >= m) return false;
    const c = j * m;
    let big = 0;
    for (let i = p; i < m; i++) big = Math.max(big, Math.abs(work[c + i]));
    if (big === 0) return false;
    let ss = 0;
    for (let i = p; i < m; i++) {
      const v = work[c + i] / big;
      ss += v * v;
    }
    const alpha = big * Math.sqrt(ss);
    if (alpha <= 10 * m * Number.EPSILON * this.norms[j]) return false;
    const head = work[c + p];
    const beta = head >= 0 ? -alpha : alpha; // R_pp
    const v0 = head - beta;
    // H = I − v vᵀ/h with v = (v0, W_{p+1:m, j}), h = −β·v0 (= ½vᵀv).
    const h = -beta * v0;
    let t = v0 * y[p];
    for (let i = p + 1; i < m; i++) t += work[c + i] * y[i];
    const yp = y[p] - (t / h) * v0;
    if (!(yp / beta > 0)) return false;
    // Accept: y ← H y, then every column k ∉ P.
    y[p] = yp;
    for (let i = p + 1; i < m; i++) y[i] -= (t / h) * work[c + i];
    for (let k = 0; k < n; k++) {
      if (inP[k] || k === j) continue;
      const ck = k * m;
      let s = v0 * work[ck + p];
      for (let i = p + 1; i < m; i++) s += work[c + i] * work[ck + i];
      s /= h;
      work[ck + p] -= s * v0;
      let wk = 0, ss = 0;
      for (let i = p + 1; i < m; i++) {
        const v = work[ck + i] - s * work[c + i];
        work[ck + i] = v;
        wk += v * y[i];
        ss += v * v;
      }
      this.mult[k] = wk;
      this.reach[k] = Math.sqrt(ss);
    }
    work[c + p] = beta;
    for (let i = p + 1; i < m; i++) work[c + i] = 0;
    this.order[p] = j;
    this.xw[j] = 0;
    inP[j] = 1;
    this.p = p + 1;
    this.backSubstitute();
    return true;
  }

  /** z = R⁻¹ y_{0:p}. */
  private backSubstitute(): void {
    const { m, work, y, order, z, p } = this;
    for (let t = p - 1; t >= 0; t--) {
      let s = y[t];
      for (let u = t + 1; u < p; u++) s -= work[order[u] * m + t] * z[u];
      z[t] = s / work[order[t] * m + t];
    }
  }

  /**
   * LH's inner loop: while some z_t ≤ 0, step from xw toward z until the first coordinate reaches 0, drop every
   * coordinate at or below 0 from P and re-solve. Returns how many columns left P, or −1 at the iteration cap.
   */
  private restoreFeasibility(): number {
    const { order, z, xw } = this;
    let left = 0;
    for (;;) {
      let alpha = Infinity, limiting = -1;
      for (let t = 0; t < this.p; t++) {
        if (z[t] > 0) continue;
        const x = xw[order[t]];
        const step = x / (x - z[t]);
        if (step < alpha) {
          alpha = step;
          limiting = t;
        }
      }
      if (limiting < 0) return left;
      if (this.iterations >= this.maxIterations) {
        this.status = 'max-iterations';
        return -1;
      }
      this.iterations++;
      for (let t = 0; t < this.p; t++) xw[order[t]] += alpha * (z[t] - xw[order[t]]);
      xw[order[limiting]] = 0;
      // Drop from the back so that earlier positions stay valid.
      for (let t = this.p - 1; t >= 0; t--) {
        if (xw[order[t]] > 0) continue;
        this.leave(t);
        left++;
      }
      this.backSubstitute();
    }
  }

  /**
   * Remove pivot position t from P: shift the later columns left and restore the triangle with Givens rotations
   * on rows (s, s+1), applied to y, to the later columns of P and to every column outside P (the leaving one too).
   */
  private leave(t: number): void {
    const { m, n, work, y, order, inP, xw } = this;
    const j = order[t];
    inP[j] = 0;
    xw[j] = 0;
    const p = this.p;
    for (let s = t; s < p - 1; s++) order[s] = order[s + 1];
    this.p = p - 1;
    for (let s = t; s < p - 1; s++) {
      const cs = order[s] * m;
      const a0 = work[cs + s], a1 = work[cs + s + 1];
      if (a1 === 0) continue;
      const r = Math.hypot(a0, a1), cos = a0 / r, sin = a1 / r;
      work[cs + s] = r;
      work[cs + s + 1] = 0;
      for (let u = s + 1; u < p - 1; u++) rotate(work, order[u] * m + s, cos, sin);
      for (let k = 0; k < n; k++) if (!inP[k]) rotate(work, k * m + s, cos, sin);
      rotate(y, s, cos, sin);
    }
  }
}

/** (v_i, v_{i+1}) ← (c·v_i + s·v_{i+1}, −s·v_i + c·v_{i+1}). */
function rotate(v: Float64Array, i: number, c: number, s: number): void {
  const a = v[i], b = v[i + 1];
  v[i] = c * a + s * b;
  v[i + 1] = c * b - s * a;
}
