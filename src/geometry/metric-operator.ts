import { assertShape, Matrix } from '../linalg/matrix.js';
import { multiplyInto } from '../linalg/products.js';
import { type FixedRankOptions, type FixedRankPoint, fixedRankPoint } from './fixed-rank-point.js';
import { assertDepth, metricCoefficientMatrix } from './metric-coefficients.js';

/**
 * A_W(Z) = Σ_{j=1}^{N} (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N} (THEORY §2, flow.end-to-end) in its SVD form
 * (metric.svd-form): ŨᵀA_W(Z)Ṽ = c ⊙ ŨᵀZṼ, c = metricCoefficientMatrix(point, N). From the same coefficients:
 * the inverse on T_W M_k and the metric g_W(ξ, η) = ⟨A_W^{-1}ξ, η⟩ (metric.riemannian-gradient).
 *
 * The tangent index set is {(a, b) : a ≤ k or b ≤ k} (1-based): ũ_aṽ_bᵀ spans T_W M_k exactly for these.
 * applyInto allocates nothing (two m×n work buffers live in the operator), so an ODE right-hand side can call it.
 */
export class MetricOperator {
  readonly point: FixedRankPoint;
  readonly depth: number;
  /** c_ab, m×n. */
  readonly coefficients: Matrix;
  private readonly work1: Matrix;
  private readonly work2: Matrix;

  constructor(point: FixedRankPoint, depth: number) {
    this.point = point;
    this.depth = assertDepth(depth);
    this.coefficients = metricCoefficientMatrix(point, depth);
    this.work1 = new Matrix(point.m, point.n);
    this.work2 = new Matrix(point.m, point.n);
  }

  get m(): number {
    return this.point.m;
  }

  get n(): number {
    return this.point.n;
  }

  get k(): number {
    return this.point.k;
  }

  /** Whether (a, b) (0-based) indexes a tangent direction ũ_aṽ_bᵀ. */
  isTangentIndex(a: number, b: number): boolean {
    return a < this.point.k || b < this.point.k;
  }

  /** work2 ← ŨᵀZṼ. */
  private toCoordinates(z: Matrix): Matrix {
    multiplyInto(this.work1, this.point.U, z, 't', 'n');
    return multiplyInto(this.work2, this.work1, this.point.V);
  }

  /** out ← Ũ·work2·Ṽᵀ. */
  private fromCoordinates(out: Matrix): Matrix {
    multiplyInto(this.work1, this.point.U, this.work2);
    return multiplyInto(out, this.work1, this.point.V, 'n', 't');
  }

  /** out ← A_W(Z); allocation-free; out must not alias Z. */
  applyInto(out: Matrix, z: Matrix): Matrix {
    assertShape(z, this.m, this.n, 'Z');
    assertShape(out, this.m, this.n, 'A_W(Z).out');
    const t = this.toCoordinates(z).data,
      c = this.coefficients.data;
    for (let i = 0; i < t.length; i++) t[i] *= c[i];
    return this.fromCoordinates(out);
  }

  apply(z: Matrix): Matrix {
    return this.applyInto(new Matrix(this.m, this.n), z);
  }

  /**
   * out ← (A_W restricted to T_W M_k)^{-1}(P_T ξ): divides ξ̃_ab by c_ab on the tangent index set and drops the
   * rest (the normal part, the kernel of A_W for N ≥ 2). So A_W(inverseOnTangent(ξ)) = ξ for tangent ξ, and the
   * composition is P_T in general: this is the Moore–Penrose inverse of A_W for N ≥ 2.
   */
  inverseOnTangentInto(out: Matrix, xi: Matrix): Matrix {
    assertShape(xi, this.m, this.n, 'ξ');
    assertShape(out, this.m, this.n, 'A_W^{-1}(ξ).out');
    const t = this.toCoordinates(xi).data,
      c = this.coefficients.data,
      n = this.n;
    for (let a = 0; a < this.m; a++) {
      for (let b = 0; b < n; b++) {
        const i = a * n + b;
        t[i] = this.isTangentIndex(a, b) ? t[i] / c[i] : 0;
      }
    }
    return this.fromCoordinates(out);
  }

  inverseOnTangent(xi: Matrix): Matrix {
    return this.inverseOnTangentInto(new Matrix(this.m, this.n), xi);
  }

  /**
   * g_W(ξ, η) = ⟨A_W^{-1}ξ, η⟩ = Σ_{a ≤ k or b ≤ k} ξ̃_ab η̃_ab / c_ab on T_W M_k. For non-tangent arguments it
   * returns g_W(P_T ξ, P_T η) (the normal parts are ignored, not rejected: test tangency with tangentResidual).
   */
  metric(xi: Matrix, eta: Matrix): number {
    assertShape(xi, this.m, this.n, 'ξ');
    assertShape(eta, this.m, this.n, 'η');
    const n = this.n,
      c = this.coefficients.data;
    const xt = Float64Array.from(this.toCoordinates(xi).data);
    const et = this.toCoordinates(eta).data;
    let g = 0;
    for (let a = 0; a < this.m; a++)
      for (let b = 0; b < n; b++) if (this.isTangentIndex(a, b)) g += (xt[a * n + b] * et[a * n + b]) / c[a * n + b];
    return g;
  }

  /** min c_ab over the tangent index set: the smallest eigenvalue of A_W on T_W M_k (∞ when k = 0). */
  smallestTangentEigenvalue(): number {
    let lo = Infinity;
    const n = this.n,
      c = this.coefficients.data;
    for (let a = 0; a < this.m; a++)
      for (let b = 0; b < n; b++) if (this.isTangentIndex(a, b)) lo = Math.min(lo, c[a * n + b]);
    return lo;
  }

  /** max c_ab: the operator norm ‖A_W‖_2 (A_W is diagonal in the orthonormal basis ũ_aṽ_bᵀ). */
  largestEigenvalue(): number {
    let hi = 0;
    for (const x of this.coefficients.data) hi = Math.max(hi, x);
    return hi;
  }
}

/** A_W for the matrix W with depth N: the point of M_k (k explicit or the numerical rank, see fixedRankPoint). */
export function metricOperator(w: Matrix, depth: number, options: FixedRankOptions = {}): MetricOperator {
  return new MetricOperator(fixedRankPoint(w, options), depth);
}
