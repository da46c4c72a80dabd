import type { Point } from '../../src/check/point.js';
import { frobeniusInner } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import type { Rng } from '../../src/random/rng.js';

/**
 * Test losses for the derivative checkers, built here on purpose (independent of src/model): the deep linear
 * least-squares loss f(W_1..W_N) = ½‖W_N⋯W_1 X − Y‖² with its gradient and second-order term, and deliberately
 * wrong gradients.
 */

/** n×k with orthonormal columns (k ≤ n): modified Gram–Schmidt, twice, on a Gaussian matrix. */
export function orthonormalColumns(rng: Rng, n: number, k: number): Matrix {
  const g = gaussianMatrix(rng, n, k);
  for (let c = 0; c < k; c++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += g.data[i * k + p] * g.data[i * k + c];
        for (let i = 0; i < n; i++) g.data[i * k + c] -= s * g.data[i * k + p];
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += g.data[i * k + c] ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) g.data[i * k + c] /= s;
  }
  return g;
}

/** U diag(s) Vᵀ (rows×cols) with singular values log-spaced from `top` down to top/cond. */
export function conditioned(rng: Rng, rows: number, cols: number, cond: number, top = 1): Matrix {
  const p = Math.min(rows, cols);
  const U = orthonormalColumns(rng, rows, p),
    V = orthonormalColumns(rng, cols, p);
  const us = new Matrix(rows, p);
  for (let j = 0; j < p; j++) {
    const s = top * cond ** (p === 1 ? 0 : -j / (p - 1));
    for (let i = 0; i < rows; i++) us.data[i * p + j] = U.data[i * p + j] * s;
  }
  return multiply(us, V, 'n', 't');
}

export interface DeepLinear {
  readonly X: Matrix;
  readonly Y: Matrix;
  /** The point (W_1, …, W_N) and a Gaussian direction of the same shapes. */
  readonly x: Point;
  readonly direction: Point;
}

/** Layers W_j (d_j×d_{j−1}) with condition number `cond` and top singular value `weightScale`; X with √cond. */
export function deepLinear(
  rng: Rng,
  dims: readonly number[],
  samples: number,
  cond: number,
  weightScale = 1,
): DeepLinear {
  const x: Matrix[] = [],
    direction: Matrix[] = [];
  for (let j = 1; j < dims.length; j++) x.push(conditioned(rng, dims[j], dims[j - 1], cond, weightScale));
  for (let j = 1; j < dims.length; j++) direction.push(gaussianMatrix(rng, dims[j], dims[j - 1]));
  const X = conditioned(rng, dims[0], samples, Math.sqrt(cond));
  const Y = gaussianMatrix(rng, dims[dims.length - 1], samples);
  return { X, Y, x, direction };
}

/** W_b ⋯ W_a (1-based, inclusive); the identity of size d_{a−1} when a > b. */
function partial(W: Point, b: number, a: number): Matrix {
  let acc = Matrix.identity(W[a - 1]?.cols ?? W[b - 1].rows);
  for (let j = a; j <= b; j++) acc = multiply(W[j - 1], acc);
  return acc;
}

export function residual(p: DeepLinear, W: Point): Matrix {
  const R = multiply(partial(W, W.length, 1), p.X);
  for (let i = 0; i < R.data.length; i++) R.data[i] -= p.Y.data[i];
  return R;
}

export function loss(p: DeepLinear): (W: Point) => number {
  return (W) => {
    const R = residual(p, W);
    return 0.5 * frobeniusInner(R, R);
  };
}

/**
 * ∇_{W_j} f = W_{N:j+1}ᵀ R (W_{j−1:1} X)ᵀ, and wrong variants:
 * 'factor2' doubles it; 'transpose' drops the transpose on W_{N:j+1} (shapes must allow: square layers);
 * 'order' writes R Xᵀ W_{j−1:1}ᵀ as R W_{j−1:1}ᵀ Xᵀ (square X and layers).
 */
export type GradientVariant = 'correct' | 'factor2' | 'transpose' | 'order';

export function gradient(p: DeepLinear, W: Point, variant: GradientVariant = 'correct'): Matrix[] {
  const N = W.length,
    R = residual(p, W);
  return W.map((_, idx) => {
    const j = idx + 1;
    const left = partial(W, N, j + 1),
      right = partial(W, j - 1, 1);
    const LR = multiply(left, R, variant === 'transpose' && j < N ? 'n' : 't', 'n');
    const G =
      variant === 'order' && j > 1
        ? multiply(multiply(LR, right, 'n', 't'), p.X, 'n', 't')
        : multiply(LR, multiply(right, p.X), 'n', 't');
    if (variant === 'factor2') for (let i = 0; i < G.data.length; i++) G.data[i] *= 2;
    return G;
  });
}

export function directional(g: readonly Matrix[], direction: Point): number {
  return g.reduce((s, gk, k) => s + frobeniusInner(gk, direction[k]), 0);
}

/**
 * D²f[ξ,ξ] = ‖C₁X‖² + 2⟨R, C₂X⟩ where Π_j (W_j + tξ_j) = C₀ + tC₁ + t²C₂ + …, from the coefficient recursion
 * C_k ← W_j C_k + ξ_j C_{k−1} (layers applied right to left).
 */
export function secondOrder(p: DeepLinear, W: Point, xi: Point): number {
  const n0 = W[0].cols;
  let C = [Matrix.identity(n0), new Matrix(n0, n0), new Matrix(n0, n0)];
  W.forEach((Wj, k) => {
    const next = C.map((Ck) => multiply(Wj, Ck));
    for (let q = 1; q < 3; q++) {
      const extra = multiply(xi[k], C[q - 1]);
      for (let i = 0; i < extra.data.length; i++) next[q].data[i] += extra.data[i];
    }
    C = next;
  });
  const C1X = multiply(C[1], p.X),
    C2X = multiply(C[2], p.X);
  return frobeniusInner(C1X, C1X) + 2 * frobeniusInner(residual(p, W), C2X);
}
