import type { Matrix } from '../linalg/matrix.js';
import { solveSpd } from './spd-solve.js';

/**
 * First-order sensitivity of a separable Bregman projection x* = argmin {Σφ_i(x_i) : Ax = b} to the constraint
 * right-hand side: linearizing the optimality system ∇φ(x) = Aᵀλ, Ax = b gives δx = D Aᵀ(A D Aᵀ)^{−1} δb with
 * D = diag(1/φ''(x*)) (D = diag(x) for KL, diag(√(4α⁴ + β²)) for Q_α). Returns ‖D Aᵀ(A D Aᵀ)^{−1}‖_F, an upper
 * bound of the operator norm: a point whose residual Ax − b is r lies within ≈ this·‖r‖ of the projection, as
 * long as it satisfies the first-order condition ∇φ(x) ∈ range(Aᵀ) (which the flows keep by construction).
 */
export function residualSensitivity(a: Matrix, d: Float64Array): number {
  const m = a.rows,
    n = a.cols,
    A = a.data;
  const h = new Float64Array(m * m);
  for (let p = 0; p < m; p++)
    for (let q = p; q < m; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += A[p * n + i] * d[i] * A[q * n + i];
      h[p * m + q] = s;
      h[q * m + p] = s;
    }
  let total = 0;
  const e = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    e.fill(0);
    e[k] = 1;
    const col = solveSpd(h, e, m).d; // (A D Aᵀ)^{-1} e_k
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0; p < m; p++) s += A[p * n + i] * col[p];
      total += (d[i] * s) ** 2;
    }
  }
  return Math.sqrt(total);
}
