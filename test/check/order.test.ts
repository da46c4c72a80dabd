import { describe, it, expect } from 'vitest';
import { checkOrder } from '../../src/check/order.js';
import { describe as describeVerdict } from '../../src/check/verdict.js';
import { DomainError } from '../../src/errors.js';
import { Rng } from '../../src/random/rng.js';

type Rhs = (t: number, y: number) => number;
type Stepper = (g: Rhs, t: number, y: number, h: number) => number;

const euler: Stepper = (g, t, y, h) => y + h * g(t, y);
const heun: Stepper = (g, t, y, h) => {
  const k1 = g(t, y), k2 = g(t + h, y + h * k1);
  return y + (h / 2) * (k1 + k2);
};
const rk4: Stepper = (g, t, y, h) => {
  const k1 = g(t, y), k2 = g(t + h / 2, y + (h / 2) * k1), k3 = g(t + h / 2, y + (h / 2) * k2), k4 = g(t + h, y + h * k3);
  return y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
};

/** y' = cos(t)·y, y(0) = 1 on [0, 1]: y(1) = e^{sin 1}. Global error at t = 1 for steps h = 1/n. */
function errors(step: Stepper, ns: number[]): { h: number[]; e: number[] } {
  const g: Rhs = (t, y) => Math.cos(t) * y;
  const exact = Math.exp(Math.sin(1));
  const e = ns.map((n) => {
    let y = 1;
    for (let i = 0; i < n; i++) y = step(g, i / n, y, 1 / n);
    return Math.abs(y - exact);
  });
  return { h: ns.map((n) => 1 / n), e };
}

const ns = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
/** Round-off in n steps of a value ≈ e: about n·ε·|y|. */
const floor = 4096 * Number.EPSILON * Math.E;

describe('checkOrder on real integrators', () => {
  it.each([
    ['Euler', euler, 1],
    ['Heun', heun, 2],
    ['RK4', rk4, 4],
  ] as const)('passes %s at its order %i', (_, step, p) => {
    const { h, e } = errors(step, ns);
    const v = checkOrder(h, e, { order: p, floor });
    expect(v.status, describeVerdict(v)).toBe('pass');
    expect(v.measured).toBeGreaterThan(p - 0.1);
    expect(v.measured).toBeLessThan(p + 0.3);
  });

  it.each([
    ['Euler', euler, 2],
    ['Heun', heun, 3],
    ['RK4', rk4, 5],
  ] as const)('fails %s claimed at order %i', (_, step, p) => {
    const { h, e } = errors(step, ns);
    const v = checkOrder(h, e, { order: p, floor });
    expect(v.status, describeVerdict(v)).toBe('fail');
    expect(v.bound).toBe(p - 0.3);
  });

  it('drops the points under the round-off floor (RK4 at tiny steps would read as order ≈ 0)', () => {
    const { h, e } = errors(rk4, ns);
    expect(checkOrder(h, e, { order: 4, floor: 0 }).status).toBe('fail');
    const v = checkOrder(h, e, { order: 4, floor });
    expect(v.status).toBe('pass');
    expect((v.data as { used: number[] }).used.length).toBeLessThan(ns.length);
  });
});

describe('checkOrder on synthetic errors', () => {
  it('passes noisy C·h^p for 200 seeds and fails them claimed one order higher', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = new Rng(seed);
      const p = rng.integer(1, 6), C = 10 ** (4 * rng.uniform() - 2);
      const h = Array.from({ length: 8 }, (_, i) => 0.5 ** (i + 1));
      const e = h.map((hi) => C * hi ** p * (1 + 0.05 * rng.gaussian()));
      expect(checkOrder(h, e, { order: p, floor: 0 }).status, `seed ${seed}`).toBe('pass');
      expect(checkOrder(h, e, { order: p + 1, floor: 0 }).status, `seed ${seed}`).toBe('fail');
    }
  });

  it('fails a lower asymptotic order hidden by a fast pre-asymptotic decay', () => {
    const h = Array.from({ length: 10 }, (_, i) => 0.5 ** i);
    const e = h.map((x) => x ** 4 + 1e-6 * x);
    const v = checkOrder(h, e, { order: 4, floor: 0 });
    expect(v.status, describeVerdict(v)).toBe('fail');
    expect(v.measured).toBeLessThan(1.5);
  });

  it('is inconclusive when every error is at round-off, and fails on a blow-up', () => {
    const h = [0.1, 0.05, 0.025];
    expect(checkOrder(h, [1e-17, 2e-17, 1e-17], { order: 2, floor: 1e-16 }).status).toBe('inconclusive');
    expect(checkOrder(h, [1e-3, NaN, 1e-5], { order: 2, floor: 0 }).status).toBe('fail');
  });

  it('accepts steps in any order and rejects bad input', () => {
    expect(checkOrder([0.025, 0.1, 0.05], [0.025 ** 2, 0.01, 0.0025], { order: 2, floor: 0 }).status).toBe('pass');
    expect(() => checkOrder([0.1, 0.05], [1, 2], { order: 1, floor: 0 })).toThrow(DomainError);
    expect(() => checkOrder([0.1, 0.05, 0], [1, 2, 3], { order: 1, floor: 0 })).toThrow(/steps\[2\]/);
    expect(() => checkOrder([0.1, 0.05, 0.01], [1, 2], { order: 1, floor: 0 })).toThrow(/errors/);
    expect(() => checkOrder([0.1, 0.05, 0.01], [1, 2, 3], { order: 1, floor: -1 })).toThrow(/floor/);
  });
});
