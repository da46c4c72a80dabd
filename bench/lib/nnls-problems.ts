// The NNLS reference problem set (issues 16 and 20): hostile least-squares problems that dlnv's Lawson–Hanson solver
// is compared on against scipy.optimize.nnls, for correctness (test/nnls/scipy-fixtures.test.ts reads the committed
// SciPy solutions) and for speed (bench/nnls.ts times both on the same problems in the same session).
//
// The problems are not stored (a 600×500 matrix would be megabytes of JSON); they are rebuilt from a specification
// that test/fixtures/reference/nnls_scipy.py implements the same way in Python: a mulberry32 stream, 53-bit uniforms,
// powers of two for scales and float64 sums in a fixed order, so that both languages produce the same bits (only
// +, −, × and exact scalings; no transcendental function whose last bit could differ). The fixture records the
// SHA-256 of A and b, and the test checks it before comparing anything.
import { createHash } from 'node:crypto';
import { Matrix } from '../../src/linalg/matrix.js';

/** How a problem is built (the same fields as the fixture's `spec`). */
export interface NnlsProblemSpec {
  readonly id: string;
  /** uniform | scaled | scaled-rows | near-dependent | low-rank | diag */
  readonly family: string;
  readonly m: number;
  readonly n: number;
  readonly seed: number;
  /** random: b independent of A; consistent: b = A x_true (x_true ≥ 0, sparse); mixed: b = A x_signed + noise. */
  readonly rhs: string;
}

export interface NnlsProblem {
  readonly spec: NnlsProblemSpec;
  readonly A: Matrix;
  readonly b: Float64Array;
}

/** mulberry32: 32-bit output words, exactly reproducible with integer arithmetic in any language. */
class Stream {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  word(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0;
    t = (t ^ (t + Math.imul(t ^ (t >>> 7), t | 61))) >>> 0;
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1) from 53 bits. */
  uniform(): number {
    const hi = this.word() >>> 5,
      lo = this.word() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
  /** Uniform in [−1, 1). */
  symmetric(): number {
    return 2 * this.uniform() - 1;
  }
  /** Integer in [lo, hi]. */
  integer(lo: number, hi: number): number {
    return lo + (this.word() % (hi - lo + 1));
  }
}

/** Column exponents spread the column norms over about 1e-6..1e6 (2^−20 ≈ 9.5e-7, 2^17·√m/√3 ≤ 1e6 for m ≤ 600). */
const EXP_MIN = -20,
  EXP_MAX = 17;

export function buildNnlsProblem(spec: NnlsProblemSpec): NnlsProblem {
  const { m, n, family } = spec;
  const g = new Stream(spec.seed);
  const A = new Matrix(m, n);
  const a = A.data;
  if (family === 'diag') {
    // The smallest failure of issue 16: A = diag(1e6, 1e-6), b = (1e6, 1); the solution is (1, 1e6).
    a[0] = 1e6;
    a[3] = 1e-6;
    return { spec, A, b: Float64Array.from([1e6, 1]) };
  }
  if (family === 'low-rank') {
    const r = g.integer(1, Math.max(1, Math.min(m, n) - 1));
    const u = Float64Array.from({ length: m * r }, () => g.symmetric());
    const v = Float64Array.from({ length: r * n }, () => g.symmetric());
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += u[i * r + k] * v[k * n + j];
        a[i * n + j] = s;
      }
    }
  } else {
    for (let i = 0; i < m * n; i++) a[i] = g.symmetric();
  }
  if (family === 'near-dependent') {
    // Every third column is a neighbour of an earlier one, 2^−d apart (d ∈ [20, 40]).
    for (let j = 1; j < n; j += 3) {
      const k = g.integer(0, j - 1),
        d = 2 ** -g.integer(20, 40);
      for (let i = 0; i < m; i++) a[i * n + j] = a[i * n + k] + d * g.symmetric();
    }
  }
  const colScale = new Float64Array(n).fill(1);
  if (family !== 'uniform') {
    for (let j = 0; j < n; j++) colScale[j] = 2 ** g.integer(EXP_MIN, EXP_MAX);
    const rowScale = Float64Array.from({ length: m }, () => (family === 'scaled-rows' ? 2 ** g.integer(-10, 10) : 1));
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[i * n + j] *= rowScale[i] * colScale[j];
  }
  const b = new Float64Array(m);
  if (spec.rhs === 'random') {
    const e = 2 ** g.integer(-10, 10);
    for (let i = 0; i < m; i++) b[i] = e * g.symmetric();
  } else {
    // x_j of the size that makes column j contribute like the others (x_j ∝ 1/scale_j): tiny columns matter.
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const u = g.uniform();
      if (u < 0.5) x[j] = (spec.rhs === 'mixed' ? 2 * u - 0.5 : u + 0.5) / colScale[j];
    }
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      b[i] = s;
    }
    if (spec.rhs === 'mixed') {
      let big = 0;
      for (let i = 0; i < m; i++) big = Math.max(big, Math.abs(b[i]));
      const e = big * 2 ** -g.integer(4, 30);
      for (let i = 0; i < m; i++) b[i] += e * g.symmetric();
    }
  }
  return { spec, A, b };
}

/** SHA-256 of A (row-major) then b, as little-endian float64 bytes: the fixture's proof of identical inputs. */
export function problemDigest(p: NnlsProblem): string {
  const h = createHash('sha256');
  h.update(new Uint8Array(p.A.data.buffer, p.A.data.byteOffset, p.A.data.byteLength));
  h.update(new Uint8Array(p.b.buffer, p.b.byteOffset, p.b.byteLength));
  return h.digest('hex');
}

/**
 * The committed problem set: the 2×2 case, 20 well-scaled problems, 72 badly scaled ones (column norms over
 * about 1e-6..1e6; with and without row scaling, nearly dependent columns, low rank) up to 100 columns, and four
 * with 500 columns. Deterministic: the list itself is drawn from a fixed stream.
 */
export function nnlsProblemSpecs(): NnlsProblemSpec[] {
  const g = new Stream(20261207);
  const specs: NnlsProblemSpec[] = [{ id: 'diag-issue16', family: 'diag', m: 2, n: 2, seed: 0, rhs: 'random' }];
  const rhsKinds = ['random', 'consistent', 'mixed'];
  const add = (family: string, m: number, n: number, rhs: string): void => {
    specs.push({ id: `${family}-${m}x${n}-${specs.length}`, family, m, n, seed: g.word(), rhs });
  };
  for (let k = 0; k < 20; k++) add('uniform', g.integer(2, 120), g.integer(2, 100), rhsKinds[k % 3]);
  const hostile = ['scaled', 'scaled-rows', 'near-dependent', 'low-rank'];
  for (let k = 0; k < 72; k++) {
    const n = k < 24 ? g.integer(2, 20) : g.integer(60, 100);
    // Over- and underdetermined: m from n/2 to 1.5n.
    add(hostile[k % 4], Math.max(1, Math.floor((n * g.integer(50, 150)) / 100)), n, rhsKinds[Math.floor(k / 4) % 3]);
  }
  add('uniform', 600, 500, 'mixed');
  add('scaled', 600, 500, 'consistent');
  add('scaled-rows', 600, 500, 'mixed');
  add('scaled', 300, 500, 'random');
  return specs;
}
