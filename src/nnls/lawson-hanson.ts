import { DomainError } from '../errors.js';
import { allocValues } from '../linalg/kernels/alloc.js';
import type { Matrix } from '../linalg/matrix.js';
import { type KktResiduals, kktFromGradient, kktRoundOff } from './kkt.js';
import { columnNorms, type LeastSquaresProblem, leastSquaresProblem } from './problem.js';
import { type Reflect4, reflectKernel, reflectKernelAvailable } from './reflect-kernel.js';
import { matTVecInto, matVecInto, norm2 } from './vector.js';

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
 *   w_j ≤ τ_w·(‖W_j‖·‖y_{p:m}‖ + ‖W_{p:m, j}‖·S), S = ‖b‖ + Σ_k ‖a_k‖|x_k|, τ_w = 2ε. The bracket already
 *   carries the scale; a dimension factor in τ_w (8(m + n)ε, say) stops as soon as ‖y_{p:m}‖ ≈ τ_w·S and left
 *   objectives of 1e-5 where SciPy reaches 1e-23 on the committed fixtures.
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
  /** Multiplier tolerance τ_w, relative to the round-off scale of each multiplier (default 2ε). */
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
  const m = A.rows,
    n = A.cols;
  const maxIterations = options.maxIterations ?? 10 * n + 50;
  if (!Number.isInteger(maxIterations) || maxIterations < 0)
    throw new DomainError('options.maxIterations', `must be an integer ≥ 0, got ${maxIterations}`);
  const tau = options.tolerance ?? 2 * Number.EPSILON;
  if (!(tau >= 0) || !Number.isFinite(tau))
    throw new DomainError('options.tolerance', `must be a finite number ≥ 0, got ${tau}`);
  const run = new ActiveSet(problem, tau, maxIterations, buffers(m, n));
  run.solve();
  const x = run.solution();
  const active: number[] = [],
    passive: number[] = [];
  for (let j = 0; j < n; j++) (run.inP[j] ? passive : active).push(j);
  // The answer is checked from (A, b, x) directly, not from the solver's rotated quantities.
  const r = matVecInto(run.residual, A, x);
  let rr = 0;
  for (let i = 0; i < m; i++) {
    r[i] -= problem.b[i];
    rr += r[i] * r[i];
  }
  const kkt = kktFromGradient(problem, x, matTVecInto(allocValues(n), A, r), run.columnNorms);
  const status = run.status === 'converged' && !(kkt.worst <= kktRoundOff(m, n)) ? 'kkt-not-met' : run.status;
  return {
    x,
    active,
    passive,
    kkt,
    objective: 0.5 * rr,
    residualNorm: Math.sqrt(rr),
    iterations: run.iterations,
    converged: status === 'converged',
    status,
    rejected: run.rejected,
  };
}

/**
 * The solver's buffers, kept between calls (a solve is synchronous, so one set serves every call) and grown when a
 * larger problem comes: a typed array above 64 bytes costs about a microsecond to allocate, which on a 10-column
 * problem is more than the arithmetic. Nothing is allocated in the loops.
 */
class Buffers {
  readonly work: Float64Array;
  readonly vectorsM: Float64Array[];
  readonly vectorsN: Float64Array[];
  readonly flags: Uint8Array[];
  readonly indices: Int32Array[];
  /** With WebAssembly SIMD: the reflector kernel, on a memory holding work, then y, then its 4 outputs. */
  readonly kernel: {
    readonly reflect4: Reflect4;
    readonly yBytes: number;
    readonly outBytes: number;
    readonly out: Float64Array;
  } | null;
  constructor(
    readonly m: number,
    readonly n: number,
  ) {
    const k = m * n > 0 ? reflectKernel(8 * (m * n + m + 4)) : null;
    if (k === null) {
      this.work = new Float64Array(m * n);
      this.vectorsM = [new Float64Array(m), new Float64Array(m)];
      this.kernel = null;
    } else {
      const buf = k.memory.buffer;
      this.work = new Float64Array(buf, 0, m * n);
      this.vectorsM = [new Float64Array(buf, 8 * m * n, m), new Float64Array(m)];
      const outBytes = 8 * (m * n + m);
      this.kernel = { reflect4: k.reflect4, yBytes: 8 * m * n, outBytes, out: new Float64Array(buf, outBytes, 4) };
    }
    this.vectorsN = Array.from({ length: 9 }, () => new Float64Array(n));
    this.flags = [new Uint8Array(n), new Uint8Array(n)];
    this.indices = [new Int32Array(n), new Int32Array(n)];
  }
}

let cached = new Buffers(0, 0);

function buffers(m: number, n: number): Buffers {
  const grow = m > cached.m || n > cached.n || m * n > cached.work.length;
  if (grow || (cached.kernel !== null) !== reflectKernelAvailable())
    cached = new Buffers(Math.max(m, cached.m), Math.max(n, cached.n));
  return cached;
}

/** The solver's state, on the shared buffers (entries beyond m, n are ignored). */
class ActiveSet {
  readonly m: number;
  readonly n: number;
  /** Column-major working matrix, column j at w[j·m …]: Qᵀ·A·D. Columns of P hold R in rows 0..|P|−1. */
  readonly work: Float64Array;
  /** Qᵀb. */
  readonly y: Float64Array;
  /** Scratch for the final residual Ax − b. */
  readonly residual: Float64Array;
  /** ‖a_j‖. */
  readonly columnNorms: Float64Array;
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
  /** Scratch: the columns a reflector is applied to; the cosines and sines of a removal's rotations. */
  readonly columns: Int32Array;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly kernel: Buffers['kernel'];
  readonly normB: number;
  p = 0;
  iterations = 0;
  rejected = 0;
  status: 'converged' | 'max-iterations' = 'converged';

  constructor(
    problem: LeastSquaresProblem,
    readonly tau: number,
    readonly maxIterations: number,
    buf: Buffers,
  ) {
    const { A, b } = problem;
    const m = (this.m = A.rows),
      n = (this.n = A.cols);
    const a = A.data;
    this.work = buf.work;
    this.kernel = buf.kernel;
    [this.y, this.residual] = buf.vectorsM;
    [this.columnNorms, this.scale, this.norms, this.xw, this.z, this.mult, this.reach, this.cos, this.sin] =
      buf.vectorsN;
    [this.inP, this.excluded] = buf.flags;
    [this.order, this.columns] = buf.indices;
    this.inP.fill(0, 0, n);
    this.excluded.fill(0, 0, n);
    this.xw.fill(0, 0, n);
    this.y.set(b);
    const c = columnNorms(A, this.columnNorms);
    for (let j = 0; j < n; j++) {
      const col = j * m;
      if (c[j] === 0) {
        this.scale[j] = this.norms[j] = 0;
        this.work.fill(0, col, col + m);
        continue;
      }
      // 2^{−round(log2 c)}: exact, and c·D within a factor √2 of 1 (clamped to the normal range).
      const e = Math.max(-1021, Math.min(1021, Math.round(Math.log2(c[j]))));
      const d = 2 ** -e;
      this.scale[j] = d;
      this.norms[j] = c[j] * d;
      for (let i = 0; i < m; i++) this.work[col + i] = a[i * n + j] * d;
    }
    this.normB = norm2(b);
  }

  /** x = D·xw. */
  solution(): Float64Array {
    const x = allocValues(this.n);
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
    let best = -1,
      bestW = 0;
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
      let s = 0,
        ss = 0;
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
    let count = 0;
    for (let k = 0; k < n; k++) if (!inP[k] && k !== j) this.columns[count++] = k;
    const done = this.kernel === null ? 0 : this.reflectInWasm(this.kernel, c, p, v0, h, count);
    reflect(work, m, c, p, v0, h, y, this.columns, done, count, this.mult, this.reach);
    work[c + p] = beta;
    for (let i = p + 1; i < m; i++) work[c + i] = 0;
    this.order[p] = j;
    this.xw[j] = 0;
    inP[j] = 1;
    this.p = p + 1;
    this.backSubstitute();
    return true;
  }

  /** reflect() on the first ⌊count/4⌋·4 listed columns in WebAssembly; returns how many it did. */
  private reflectInWasm(
    kernel: NonNullable<Buffers['kernel']>,
    c: number,
    p: number,
    v0: number,
    h: number,
    count: number,
  ): number {
    const { m, columns, mult, reach, work } = this;
    const rows = m - p - 1,
      row = 8 * (p + 1),
      v = 8 * c + row,
      y = kernel.yBytes + row,
      hInv = 1 / h;
    let q = 0;
    for (; q + 4 <= count; q += 4) {
      kernel.reflect4(
        rows,
        v,
        y,
        8 * columns[q] * m + row,
        8 * columns[q + 1] * m + row,
        8 * columns[q + 2] * m + row,
        8 * columns[q + 3] * m + row,
        v0,
        hInv,
        kernel.outBytes,
      );
      for (let u = 0; u < 4; u++) {
        mult[columns[q + u]] = kernel.out[u];
        downdateReach(work, m, p, columns[q + u], reach);
      }
    }
    return q;
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
      let alpha = Infinity,
        limiting = -1;
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
   * G_s on rows (s, s+1), s = t … p−2. Column order[s] decides G_s after G_t … G_{s−1} have acted on it; y and every
   * column outside P (the leaving one too) then take all of them in one sweep down the column.
   */
  private leave(t: number): void {
    const { m, n, work, y, order, inP, xw, cos, sin } = this;
    const j = order[t];
    inP[j] = 0;
    xw[j] = 0;
    const p = this.p - 1;
    for (let s = t; s < p; s++) order[s] = order[s + 1];
    this.p = p;
    for (let s = t; s < p; s++) {
      const cs = order[s] * m;
      for (let r = t; r < s; r++) rotate(work, cs + r, cos[r], sin[r]);
      const a0 = work[cs + s],
        a1 = work[cs + s + 1];
      const norm = Math.hypot(a0, a1);
      cos[s] = a1 === 0 ? 1 : a0 / norm;
      sin[s] = a1 === 0 ? 0 : a1 / norm;
      if (a1 !== 0) {
        work[cs + s] = norm;
        work[cs + s + 1] = 0;
      }
    }
    if (t >= p) return;
    for (let r = t; r < p; r++) rotate(y, r, cos[r], sin[r]);
    for (let k = 0; k < n; k++) {
      if (inP[k]) continue;
      const ck = k * m;
      for (let r = t; r < p; r++) rotate(work, ck + r, cos[r], sin[r]);
    }
  }
}

/**
 * Apply the reflector H = I − v vᵀ/h, v = (v0, w[c+p+1 … c+m)), to rows p … m−1 of the listed columns (column-major,
 * column k at w[k·m …]) and refresh their multipliers mult_k = w_{p+1:m, k}ᵀ y_{p+1:m} (y already reflected) and
 * reach_k = ‖w_{p+1:m, k}‖, for the columns cols[from … count). Four columns at a time: the independent sums keep the
 * floating-point adders busy. (reflect-kernel.ts is the same in WebAssembly SIMD.)
 */
function reflect(
  w: Float64Array,
  m: number,
  c: number,
  p: number,
  v0: number,
  h: number,
  y: Float64Array,
  cols: Int32Array,
  from: number,
  count: number,
  mult: Float64Array,
  reach: Float64Array,
): void {
  let q = from;
  for (; q + 4 <= count; q += 4) {
    const k0 = cols[q] * m,
      k1 = cols[q + 1] * m,
      k2 = cols[q + 2] * m,
      k3 = cols[q + 3] * m;
    let s0 = v0 * w[k0 + p],
      s1 = v0 * w[k1 + p],
      s2 = v0 * w[k2 + p],
      s3 = v0 * w[k3 + p];
    for (let i = p + 1; i < m; i++) {
      const v = w[c + i];
      s0 += v * w[k0 + i];
      s1 += v * w[k1 + i];
      s2 += v * w[k2 + i];
      s3 += v * w[k3 + i];
    }
    s0 /= h;
    s1 /= h;
    s2 /= h;
    s3 /= h;
    w[k0 + p] -= s0 * v0;
    w[k1 + p] -= s1 * v0;
    w[k2 + p] -= s2 * v0;
    w[k3 + p] -= s3 * v0;
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0;
    for (let i = p + 1; i < m; i++) {
      const v = w[c + i],
        yi = y[i];
      const e0 = w[k0 + i] - s0 * v,
        e1 = w[k1 + i] - s1 * v,
        e2 = w[k2 + i] - s2 * v,
        e3 = w[k3 + i] - s3 * v;
      w[k0 + i] = e0;
      w[k1 + i] = e1;
      w[k2 + i] = e2;
      w[k3 + i] = e3;
      a0 += e0 * yi;
      a1 += e1 * yi;
      a2 += e2 * yi;
      a3 += e3 * yi;
    }
    mult[cols[q]] = a0;
    mult[cols[q + 1]] = a1;
    mult[cols[q + 2]] = a2;
    mult[cols[q + 3]] = a3;
    for (let u = q; u < q + 4; u++) downdateReach(w, m, p, cols[u], reach);
  }
  for (; q < count; q++) {
    const k = cols[q] * m;
    let s = v0 * w[k + p];
    for (let i = p + 1; i < m; i++) s += w[c + i] * w[k + i];
    s /= h;
    w[k + p] -= s * v0;
    let a = 0;
    for (let i = p + 1; i < m; i++) {
      const e = w[k + i] - s * w[c + i];
      w[k + i] = e;
      a += e * y[i];
    }
    mult[cols[q]] = a;
    downdateReach(w, m, p, cols[q], reach);
  }
}

/**
 * reach_k ← ‖w_{p+1:m, k}‖ after a reflector on rows p … m−1, which keeps ‖w_{p:m, k}‖ (the old reach_k): the new
 * value is √(reach_k² − w_pk²). When that subtraction cancels more than three digits, the norm is summed afresh.
 */
function downdateReach(w: Float64Array, m: number, p: number, col: number, reach: Float64Array): void {
  const k = col * m,
    old = reach[col] * reach[col],
    head = w[k + p];
  const left = old - head * head;
  if (left > 1e-3 * old) {
    reach[col] = Math.sqrt(left);
    return;
  }
  let ss = 0;
  for (let i = p + 1; i < m; i++) ss += w[k + i] * w[k + i];
  reach[col] = Math.sqrt(ss);
}

/** (v_i, v_{i+1}) ← (c·v_i + s·v_{i+1}, −s·v_i + c·v_{i+1}). */
function rotate(v: Float64Array, i: number, c: number, s: number): void {
  const a = v[i],
    b = v[i + 1];
  v[i] = c * a + s * b;
  v[i + 1] = c * b - s * a;
}
