import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { kktResiduals, type KktResiduals } from './kkt.js';
import { LeastSquaresWorkspace, leastSquaresProblem, type LeastSquaresProblem } from './problem.js';
import { subsetLeastSquares } from './subset-least-squares.js';
import { frobenius, norm2 } from './vector.js';

/**
 * Lawson–Hanson active-set NNLS (Lawson & Hanson, "Solving Least Squares Problems", 1974, ch. 23): an exact
 * method — it terminates with x solving the KKT system of min_{x ≥ 0} ½‖Ax − b‖² up to round-off.
 *
 * Passive set P (free variables, x_P > 0) and active set Z (x_Z = 0). Outer loop: w = Aᵀ(b − Ax) = −∇f; stop when
 * w_j ≤ τ_w for all j ∈ Z; else move the j ∈ Z with the largest w_j to P and solve the unconstrained least
 * squares on P. Inner loop: while that solution z has z_i ≤ 0 on P, step from x toward z as far as feasibility
 * allows and move the coordinates that hit 0 to Z.
 *
 * Robustness (over/underdetermined, rank-deficient, degenerate):
 * - τ_w = 32·(m + n)·ε·‖A‖_F(‖A‖_F‖x‖ + ‖b‖) — the round-off level of a computed gradient, so a dependent column
 *   whose multiplier is round-off never enters.
 * - A candidate whose column is numerically dependent on A_P (independence ≤ 10mε), or whose new coefficient
 *   comes out ≤ 0 (possible only through round-off), is rejected until P changes (LH's own safeguard).
 * - The coordinate that limits the inner step is set to exactly 0 and leaves P, so every inner step makes
 *   progress; the total number of least-squares solves is capped (default 10n + 50) and exceeding the cap is
 *   reported as non-convergence, never an endless loop.
 */
export interface LawsonHansonOptions {
  /** Cap on least-squares solves (outer + inner iterations); default 10n + 50. */
  readonly maxIterations?: number;
  /** Multiplier tolerance relative to the gradient scale (default 32·(m+n)·ε). */
  readonly tolerance?: number;
}

export type LawsonHansonStatus = 'converged' | 'max-iterations';

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
  const { A, b } = problem;
  const m = A.rows, n = A.cols;
  const maxIterations = options.maxIterations ?? 10 * n + 50;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new DomainError('options.maxIterations', `must be an integer ≥ 0, got ${maxIterations}`);
  const tau = options.tolerance ?? 32 * (m + n) * Number.EPSILON;
  if (!(tau >= 0) || !Number.isFinite(tau)) throw new DomainError('options.tolerance', `must be a finite number ≥ 0, got ${tau}`);
  const normA = frobenius(A), normB = norm2(b);
  const ws = new LeastSquaresWorkspace(problem);
  const x = new Float64Array(n);
  const inP = new Uint8Array(n);
  let passive: number[] = [];
  const excluded = new Set<number>();
  let iterations = 0;
  let rejected = 0;
  let status: LawsonHansonStatus = 'converged';

  outer: for (;;) {
    ws.evaluate(x);
    const g = ws.gradient; // ∇f = −w
    const tolW = tau * normA * (normA * norm2(x) + normB);
    let j = -1, best = tolW;
    for (let i = 0; i < n; i++) {
      if (inP[i] || excluded.has(i)) continue;
      if (-g[i] > best) {
        best = -g[i];
        j = i;
      }
    }
    if (j < 0) break;
    if (iterations >= maxIterations) {
      status = 'max-iterations';
      break;
    }
    iterations++;
    const trial = [...passive, j];
    let sol = subsetLeastSquares(A, b, trial);
    const k = trial.length - 1;
    if (!sol.fullRank || !(sol.z[k] > 0)) {
      excluded.add(j);
      rejected++;
      continue;
    }
    excluded.clear();
    passive = trial;
    inP[j] = 1;
    // Inner loop: restore feasibility.
    for (;;) {
      let alpha = Infinity, limiting = -1;
      for (let t = 0; t < passive.length; t++) {
        const i = passive[t], zt = sol.z[t];
        if (zt <= 0) {
          const step = x[i] / (x[i] - zt);
          if (step < alpha) {
            alpha = step;
            limiting = i;
          }
        }
      }
      if (limiting < 0) break;
      if (iterations >= maxIterations) {
        status = 'max-iterations';
        // Leave x feasible: the last accepted iterate.
        break outer;
      }
      iterations++;
      for (let t = 0; t < passive.length; t++) {
        const i = passive[t];
        x[i] += alpha * (sol.z[t] - x[i]);
      }
      x[limiting] = 0;
      const keep: number[] = [];
      for (const i of passive) {
        if (i !== limiting && x[i] > 0) keep.push(i);
        else {
          x[i] = 0;
          inP[i] = 0;
        }
      }
      passive = keep;
      sol = subsetLeastSquares(A, b, passive);
    }
    x.fill(0);
    for (let t = 0; t < passive.length; t++) x[passive[t]] = sol.z[t];
  }

  const objective = ws.evaluate(x);
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (!inP[i]) active.push(i);
  return {
    x,
    active,
    passive: [...passive].sort((p, q) => p - q),
    kkt: kktResiduals(problem, x),
    objective,
    residualNorm: norm2(ws.residual),
    iterations,
    converged: status === 'converged',
    status,
    rejected,
  };
}
