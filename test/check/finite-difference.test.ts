import { describe, expect, it } from 'vitest';
import { centralDifference, centralDifferenceGradient, secondDifference } from '../../src/check/finite-difference.js';
import { pointNorm } from '../../src/check/point.js';
import { DomainError } from '../../src/errors.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/random/rng.js';
import { type DeepLinear, deepLinear, directional, gradient, loss, secondOrder } from './instances.js';

function instance(seed: number): DeepLinear {
  const rng = new Rng(seed);
  const dims = Array.from({ length: rng.integer(3, 4) }, () => rng.integer(1, 6));
  return deepLinear(rng, dims, rng.integer(1, 6), 10 ** (3 * rng.uniform()));
}

describe('centralDifference', () => {
  it('matches the analytic directional derivative within its own error estimate (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const p = instance(seed);
      const D = directional(gradient(p, p.x), p.direction);
      const fd = centralDifference(loss(p), p.x, p.direction);
      expect(Math.abs(fd.value - D), `seed ${seed}: fd ${fd.value}, exact ${D}, error ${fd.error}`).toBeLessThanOrEqual(
        fd.error,
      );
      expect(fd.error, `seed ${seed}`).toBeLessThan(
        1e-6 * (Math.abs(D) + pointNorm(gradient(p, p.x)) * pointNorm(p.direction)),
      );
    }
  });

  it('separates a factor-2 gradient from the truth by far more than its error', () => {
    const p = instance(3);
    const fd = centralDifference(loss(p), p.x, p.direction);
    const wrong = directional(gradient(p, p.x, 'factor2'), p.direction);
    expect(Math.abs(fd.value - wrong)).toBeGreaterThan(1e6 * fd.error);
  });

  it('takes h = ε^{1/3}·max(‖x‖, 1)/‖ξ‖ unless told otherwise', () => {
    const p = instance(4);
    const fd = centralDifference(loss(p), p.x, p.direction);
    expect(fd.step).toBeCloseTo((Math.cbrt(Number.EPSILON) * Math.max(pointNorm(p.x), 1)) / pointNorm(p.direction), 15);
    expect(centralDifference(loss(p), p.x, p.direction, { step: 1e-4 }).step).toBe(1e-4);
    expect(() => centralDifference(loss(p), p.x, p.direction, { step: 0 })).toThrow(DomainError);
  });
});

describe('secondDifference', () => {
  it('matches D²f[ξ,ξ] within its own error estimate (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const p = instance(seed);
      const H = secondOrder(p, p.x, p.direction);
      const fd = secondDifference(loss(p), p.x, p.direction);
      expect(Math.abs(fd.value - H), `seed ${seed}: fd ${fd.value}, exact ${H}, error ${fd.error}`).toBeLessThanOrEqual(
        fd.error,
      );
    }
  });
});

describe('centralDifferenceGradient', () => {
  it('matches the analytic gradient to ~1e-8 relative and exposes a transpose bug', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new Rng(seed);
      const n = rng.integer(2, 5);
      const p = deepLinear(rng, [n, n, n], n, 10);
      const fd = centralDifferenceGradient(loss(p), p.x);
      const g = gradient(p, p.x),
        wrong = gradient(p, p.x, 'transpose');
      const dist = (a: Matrix[], b: Matrix[]): number =>
        pointNorm(
          a.map(
            (m, k) =>
              new Matrix(
                m.rows,
                m.cols,
                m.data.map((v, i) => v - b[k].data[i]),
              ),
          ),
        );
      expect(dist(fd, g) / pointNorm(g), `seed ${seed}`).toBeLessThan(1e-7);
      expect(dist(fd, wrong) / pointNorm(g), `seed ${seed}`).toBeGreaterThan(1e-3);
    }
  });

  it('leaves x untouched', () => {
    const p = instance(8);
    const before = p.x.map((m) => m.data.slice());
    centralDifferenceGradient(loss(p), p.x);
    p.x.forEach((m, k) => expect(Array.from(m.data)).toEqual(Array.from(before[k])));
  });
});
