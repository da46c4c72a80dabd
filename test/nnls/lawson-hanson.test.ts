import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError, ShapeError } from '../../src/errors.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { kkt, kktRoundOff } from '../../src/nnls/kkt.js';
import { lawsonHanson } from '../../src/nnls/lawson-hanson.js';
import { conditionedMatrix } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

function randomProblem(rng: Rng, k: number): { A: Matrix; b: Float64Array } {
  const m = rng.integer(1, 12),
    n = rng.integer(1, 12);
  let A: Matrix;
  if (k % 4 === 3) {
    // Rank-deficient and ill-conditioned: rank < min(m, n) when possible, cond up to 1e6.
    const rank = Math.max(1, Math.min(m, n) - rng.integer(0, 2));
    A = conditionedMatrix(rng, m, n, { rank, cond: Math.pow(10, rng.uniform() * 6) });
  } else A = gaussianMatrix(rng, m, n);
  const b = Float64Array.from({ length: m }, () => rng.gaussian());
  return { A, b };
}

describe('lawsonHanson', () => {
  it('meets the KKT conditions to round-off on 200 random over- and underdetermined problems', () => {
    const rng = new Rng(20240601);
    let worst = 0,
      over = 0,
      under = 0;
    for (let k = 0; k < 200; k++) {
      const { A, b } = randomProblem(rng, k);
      if (A.rows >= A.cols) over++;
      else under++;
      const s = lawsonHanson(A, b);
      expect(s.converged).toBe(true);
      const bound = kktRoundOff(A.rows, A.cols);
      worst = Math.max(worst, s.kkt.worst / bound);
      expect(s.kkt.worst).toBeLessThanOrEqual(bound);
      for (const i of s.active) expect(s.x[i]).toBe(0);
      for (const i of s.passive) expect(s.x[i]).toBeGreaterThan(0);
    }
    expect(over).toBeGreaterThan(50);
    expect(under).toBeGreaterThan(50);
    expect(worst).toBeLessThan(1);
  });

  it('solves b = 0, A = 0, a zero column, duplicate columns and an exactly degenerate vertex', () => {
    const A = Matrix.from([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(Array.from(lawsonHanson(A, [0, 0, 0]).x)).toEqual([0, 0]);
    expect(Array.from(lawsonHanson(Matrix.zeros(2, 3), [1, -1]).x)).toEqual([0, 0, 0]);
    // b in −cone(A): x = 0 is optimal.
    const neg = lawsonHanson(A, [-1, -1, -1]);
    expect(Array.from(neg.x)).toEqual([0, 0]);
    expect(neg.active).toEqual([0, 1]);
    // A zero column never enters.
    const z = lawsonHanson(
      Matrix.from([
        [1, 0],
        [0, 0],
      ]),
      [2, 3],
    );
    expect(Array.from(z.x)).toEqual([2, 0]);
    // Duplicate columns: the objective is unique, x splits arbitrarily but stays KKT.
    const d = lawsonHanson(
      Matrix.from([
        [1, 1, 0],
        [1, 1, 1],
        [0, 0, 1],
      ]),
      [1, 2, 1],
    );
    expect(d.objective).toBeLessThan(1e-28);
    expect(d.kkt.worst).toBeLessThanOrEqual(kktRoundOff(3, 3));
    // Degenerate: x*_1 = 0 with ∇f_1 = 0 (b = A e_0 exactly, column 1 ⟂ residual 0).
    const e = lawsonHanson(
      Matrix.from([
        [1, 0],
        [0, 1],
        [0, 0],
      ]),
      [1, 0, 0],
    );
    expect(Array.from(e.x)).toEqual([1, 0]);
    // Scalars.
    expect(lawsonHanson(Matrix.from([[2]]), [3]).x[0]).toBe(1.5);
    expect(lawsonHanson(Matrix.from([[2]]), [-3]).x[0]).toBe(0);
  });

  it('agrees with the unique solution of a full-column-rank problem built with a known active set', () => {
    const rng = new Rng(5);
    for (let k = 0; k < 20; k++) {
      const m = 8,
        n = 5;
      const A = gaussianMatrix(rng, m, n);
      // x* with zeros on S; choose b = A x* − r with Aᵀ r having ∇f = Aᵀ(Ax* − b) = Aᵀ r ≥ 0 on S, 0 off S.
      const xs = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 + rng.uniform() : 0));
      const b = new Float64Array(m);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) b[i] += A.get(i, j) * xs[j];
      const s = lawsonHanson(A, b);
      for (let j = 0; j < n; j++) expect(Math.abs(s.x[j] - xs[j])).toBeLessThan(1e-13);
    }
  });

  it('reports non-convergence at the iteration cap instead of looping', () => {
    const rng = new Rng(9);
    const A = gaussianMatrix(rng, 10, 6);
    const b = Float64Array.from({ length: 10 }, () => rng.gaussian());
    const full = lawsonHanson(A, b);
    expect(full.iterations).toBeGreaterThan(1);
    const capped = lawsonHanson(A, b, { maxIterations: 1 });
    expect(capped.converged).toBe(false);
    expect(capped.status).toBe('max-iterations');
    expect(capped.iterations).toBe(1);
    for (const v of capped.x) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    const A = Matrix.from([
      [1, 2],
      [3, 4],
    ]);
    const nan = A.clone();
    nan.data[3] = NaN;
    expect(() => lawsonHanson(nan, [1, 2])).toThrow(NonFiniteError);
    expect(() => lawsonHanson(nan, [1, 2])).toThrow(/^A: entry 3 is NaN/);
    expect(() => lawsonHanson(A, [1, 2, 3])).toThrow(ShapeError);
    expect(() => lawsonHanson(A, [1, 2, 3])).toThrow(/^b: expected shape length 2/);
    expect(() => lawsonHanson(A, [1, Infinity])).toThrow(/^b: entry 1 is Infinity/);
    expect(() => lawsonHanson(Matrix.zeros(0, 2), [])).toThrow(/^A: expected shape at least 1×1/);
    expect(() => lawsonHanson(A, [1, 2], { maxIterations: -1 })).toThrow(DomainError);
    expect(() => lawsonHanson(A, [1, 2], { maxIterations: -1 })).toThrow(/options\.maxIterations/);
  });

  it('a wrong answer fails the KKT check', () => {
    const rng = new Rng(77);
    const A = gaussianMatrix(rng, 6, 4);
    const b = Float64Array.from({ length: 6 }, () => rng.gaussian());
    const s = lawsonHanson(A, b);
    const bound = kktRoundOff(6, 4);
    expect(s.kkt.worst).toBeLessThanOrEqual(bound);
    // Perturb the solution by 1e-8 relative: complementarity or dual feasibility breaks far above round-off.
    const wrong = Float64Array.from(s.x, (v) => v * (1 + 1e-8) + 1e-8);
    expect(kkt(A, b, wrong).worst).toBeGreaterThan(100 * bound);
    // The unconstrained least-squares solution violates x ≥ 0 or complementarity when the NNLS one is not interior.
    const clipped = Float64Array.from(s.x, (v) => (v > 0 ? 0 : 1));
    expect(kkt(A, b, clipped).worst).toBeGreaterThan(1e-3);
  });
});
