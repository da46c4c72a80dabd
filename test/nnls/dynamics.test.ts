import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { acceleratedDescent, acceleratedFlow } from '../../src/nnls/accelerated.js';
import { bregmanDivergence, klDivergence, mirrorGradient } from '../../src/nnls/bregman.js';
import { diagonalFlow, diagonalGradientDescent } from '../../src/nnls/diagonal-network.js';
import { kkt } from '../../src/nnls/kkt.js';
import { lawsonHanson } from '../../src/nnls/lawson-hanson.js';
import { leastSquaresProblem, objective } from '../../src/nnls/problem.js';
import { reparamGradient, reparamGradientDescent, riemannianDescent, stepSize } from '../../src/nnls/reparam.js';
import { reparamFlow } from '../../src/nnls/reparam-flow.js';
import { distance, matVecInto, norm2 } from '../../src/nnls/vector.js';
import { conditionedMatrix } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

function problem(seed: number, m: number, n: number, cond = 3) {
  const rng = new Rng(seed);
  const A = conditionedMatrix(rng, m, n, { cond });
  const b = Float64Array.from({ length: m }, () => rng.gaussian());
  return { A, b, rng };
}

describe('reparametrized gradient descent (x = u^{⊙L})', () => {
  it('L = 2 GD matches Lawson–Hanson on an overdetermined problem', () => {
    const rng = new Rng(3);
    const A = gaussianMatrix(rng, 30, 10, 1 / Math.sqrt(30));
    const b = Float64Array.from({ length: 30 }, () => rng.gaussian());
    const star = lawsonHanson(A, b);
    const r = reparamGradientDescent(A, b, {
      L: 2,
      alpha: 0.5,
      eta: 0.05,
      iterations: 200_000,
      observe: (_k, _u, x) => kkt(A, b, x).worst < 1e-15,
    });
    expect(r.status).toBe('stopped');
    expect(distance(r.x, star.x)).toBeLessThan(1e-10 * (1 + norm2(star.x)));
  });

  it('its gradient is L u^{L−1} ⊙ ∇f(u^L) (central differences)', () => {
    const { A, b } = problem(4, 5, 4);
    const p = leastSquaresProblem(A, b);
    const u = Float64Array.of(0.7, 1.1, 0.4, 1.3);
    for (const L of [1, 2, 3, 4]) {
      const g = reparamGradient(p, u, L);
      const h = 1e-6;
      for (let i = 0; i < 4; i++) {
        const up = u.slice(),
          um = u.slice();
        up[i] += h;
        um[i] -= h;
        const fd =
          (objective(
            p,
            up.map((v) => v ** L),
          ) -
            objective(
              p,
              um.map((v) => v ** L),
            )) /
          (2 * h);
        expect(Math.abs(fd - g[i])).toBeLessThan(1e-7 * (1 + Math.abs(g[i])));
      }
    }
  });

  it('uses the schedule η/(k+2)^γ and rejects L = 0, α ≤ 0, η ≤ 0', () => {
    expect(stepSize(1, 0, 5)).toBe(1);
    expect(stepSize(2, 1, 0)).toBe(1);
    expect(stepSize(9, 0.5, 7)).toBe(3);
    const A = Matrix.from([[1, 2]]);
    expect(() => reparamGradientDescent(A, [1], { L: 0, alpha: 1, eta: 0.1, iterations: 1 })).toThrow(DomainError);
    expect(() => reparamGradientDescent(A, [1], { L: 0, alpha: 1, eta: 0.1, iterations: 1 })).toThrow(/^L:/);
    expect(() => reparamGradientDescent(A, [1], { L: 2, alpha: 0, eta: 0.1, iterations: 1 })).toThrow(/^alpha:/);
    expect(() => reparamGradientDescent(A, [1], { L: 2, alpha: -1, eta: 0.1, iterations: 1 })).toThrow(/^alpha:/);
    expect(() => reparamGradientDescent(A, [1], { L: 2, alpha: 1, eta: 0, iterations: 1 })).toThrow(/^eta:/);
    expect(() => reparamGradientDescent(A, [1, 2], { L: 2, alpha: 1, eta: 0.1, iterations: 1 })).toThrow(
      /^b: expected shape length 1/,
    );
    expect(() => reparamFlow(A, [1], { L: 2, alpha: 1, T: 0 })).toThrow(/^T:/);
    expect(() => reparamFlow(A, [1], { L: 2, u0: [1], T: 1 })).toThrow(/^u0: expected shape length 2/);
  });

  it("CMV's x-space step is the u-step to first order and converges for a small step", () => {
    const { A, b } = problem(5, 8, 4);
    const star = lawsonHanson(A, b);
    const r = riemannianDescent(A, b, { L: 2, alpha: 0.5, eta: 0.1, iterations: 20_000 });
    expect(distance(r.x, star.x)).toBeLessThan(1e-8);
    // One step from the same point: x-space step with L·η vs u-step with η differ by O(η²).
    const dev = [1e-2, 1e-3].map((eta) => {
      const u = reparamGradientDescent(A, b, { L: 3, alpha: 0.8, eta, iterations: 1 }).x;
      const x = riemannianDescent(A, b, { L: 3, alpha: 0.8, eta: 3 * eta, iterations: 1 }).x;
      return distance(u, x);
    });
    expect(dev[0] / dev[1]).toBeGreaterThan(80); // ∝ η²
  });
});

describe('reparametrized gradient flow', () => {
  it('reaches the NNLS solution (L = 2) and keeps u > 0 for L = 3', () => {
    const { A, b } = problem(6, 7, 5);
    const star = lawsonHanson(A, b);
    const r = reparamFlow(A, b, { L: 2, alpha: 0.5, T: 1e4, observe: (_t, _u, x) => kkt(A, b, x).worst < 1e-11 });
    expect(r.status).toBe('stopped');
    expect(distance(r.x, star.x)).toBeLessThan(1e-8);
    const r3 = reparamFlow(A, b, { L: 3, alpha: 0.5, T: 200 });
    expect(r3.status).toBe('done');
    for (const u of r3.u) expect(u).toBeGreaterThan(0);
    expect(objective(leastSquaresProblem(A, b), r3.x) - star.objective).toBeLessThan(1e-3);
  });
});

describe('accelerated dynamics', () => {
  it('the ODE and the CMV discretization both approach f*', () => {
    const { A, b } = problem(7, 8, 5);
    const p = leastSquaresProblem(A, b);
    const star = lawsonHanson(A, b);
    const flow = acceleratedFlow(A, b, { alpha: 0.5, T: 200 });
    expect(flow.status).toBe('done');
    expect(objective(p, flow.x) - star.objective).toBeLessThan(1e-4);
    const disc = acceleratedDescent(A, b, { alpha: 0.5, eta: 0.05, iterations: 4000 });
    expect(disc.status).toBe('done');
    expect(objective(p, disc.x) - star.objective).toBeLessThan(1e-4);
    for (const v of disc.x) expect(v).toBeGreaterThan(0);
    expect(() => acceleratedFlow(A, b, { alpha: 0.5, t0: 0, T: 1 })).toThrow(/^t0:/);
    expect(() => acceleratedDescent(A, b, { alpha: -1, eta: 0.1, iterations: 1 })).toThrow(/^alpha:/);
  });
});

describe('diagonal network β = u⊙u − v⊙v', () => {
  it('the flow conserves u⊙v = α² and interpolates; GD agrees with the flow for a small step', () => {
    const rng = new Rng(8);
    const X = conditionedMatrix(rng, 3, 6, { cond: 2 });
    const y = matVecInto(
      new Float64Array(3),
      X,
      Float64Array.from({ length: 6 }, () => rng.gaussian()),
    );
    const alpha = 0.5;
    const r = diagonalFlow(X, y, { alpha, T: 2000, rtol: 1e-12 });
    for (let i = 0; i < 6; i++) expect(Math.abs(r.u[i] * r.v[i] - alpha * alpha)).toBeLessThan(1e-9);
    expect(distance(matVecInto(new Float64Array(3), X, r.beta), y)).toBeLessThan(1e-8);
    const gd = diagonalGradientDescent(X, y, { alpha, eta: 0.01, iterations: 200_000 });
    expect(distance(gd.beta, r.beta) / norm2(r.beta)).toBeLessThan(1e-2);
    expect(() => diagonalFlow(X, [1, 2], { alpha, T: 1 })).toThrow(/^y: expected shape length 3/);
    expect(() => diagonalFlow(X, y, { alpha: 0, T: 1 })).toThrow(/^alpha:/);
  });
});

describe('mirror maps and Bregman divergences', () => {
  it('L = 2 gives ¼KL; D_Φ ≥ 0 with D_Φ(x, x) = 0; Φ″ = 1/(L²x^{2−2/L})', () => {
    const x = Float64Array.of(0.3, 1.2, 0, 2.5),
      y = Float64Array.of(0.5, 0.5, 0.7, 1.1);
    expect(bregmanDivergence(2, x, y)).toBeCloseTo(0.25 * klDivergence(x, y), 15);
    for (const L of [1, 2, 3, 4, 7]) {
      expect(bregmanDivergence(L, x, y)).toBeGreaterThan(0);
      expect(Math.abs(bregmanDivergence(L, y, y))).toBeLessThan(1e-15);
      if (L >= 2) {
        // (∇Φ)′ by central differences against 1/(L² x^{2−2/L}).
        const p = 1.7,
          h = 1e-6;
        const d = (mirrorGradient(L, [p + h])[0] - mirrorGradient(L, [p - h])[0]) / (2 * h);
        expect(Math.abs(d * L * L * p ** (2 - 2 / L) - 1)).toBeLessThan(1e-8);
      }
    }
    expect(() => klDivergence([-1], [1])).toThrow(/^x: entry 0/);
    expect(() => klDivergence([1], [0])).toThrow(/^y: entry 0/);
    expect(() => bregmanDivergence(0, [1], [1])).toThrow(/^L:/);
  });
});
