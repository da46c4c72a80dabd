import { describe, expect, it } from 'vitest';
import { checkOrder, checkOrderAdaptive, describeOrderTest, ORDER_TEST } from '../../src/check/order.js';
import { describe as describeVerdict } from '../../src/check/verdict.js';
import { DomainError } from '../../src/errors.js';
import { Rng } from '../../src/random/rng.js';

type Rhs = (t: number, y: number) => number;
type Stepper = (g: Rhs, t: number, y: number, h: number) => number;

const euler: Stepper = (g, t, y, h) => y + h * g(t, y);
const heun: Stepper = (g, t, y, h) => {
  const k1 = g(t, y),
    k2 = g(t + h, y + h * k1);
  return y + (h / 2) * (k1 + k2);
};
const rk4: Stepper = (g, t, y, h) => {
  const k1 = g(t, y),
    k2 = g(t + h / 2, y + (h / 2) * k1),
    k3 = g(t + h / 2, y + (h / 2) * k2),
    k4 = g(t + h, y + h * k3);
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

  it('drops the points under the round-off floor; round-off without it scatters and never decides a failure', () => {
    const { h, e } = errors(rk4, ns);
    const v = checkOrder(h, e, { order: 4, floor });
    expect(v.status).toBe('pass');
    expect(v.measured).toBeGreaterThan(3.8);
    expect((v.data as { h: number[]; used: number[] }).used.every((x) => x >= 1 / 256)).toBe(true);
    expect(checkOrder(h, e, { order: 4, floor: 0 }).status).not.toBe('fail');
  });
});

describe('checkOrder on synthetic errors', () => {
  it('passes C·h^p with 1 % noise for 200 seeds and fails it claimed one order higher', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = new Rng(seed);
      const p = rng.integer(1, 6),
        C = 10 ** (4 * rng.uniform() - 2);
      const h = Array.from({ length: 8 }, (_, i) => 0.5 ** (i + 1));
      const e = h.map((hi) => C * hi ** p * (1 + 0.01 * rng.gaussian()));
      expect(checkOrder(h, e, { order: p, floor: 0 }).status, `seed ${seed}`).toBe('pass');
      expect(checkOrder(h, e, { order: p + 1, floor: 0 }).status, `seed ${seed}`).toBe('fail');
    }
  });

  it('fails a lower asymptotic order hidden by a fast pre-asymptotic decay (the finest decisive window decides)', () => {
    const h = Array.from({ length: 12 }, (_, i) => 0.5 ** i);
    const e = h.map((x) => x ** 4 + 1e-6 * x);
    const v = checkOrder(h, e, { order: 4, floor: 0 });
    expect(v.status, describeVerdict(v)).toBe('fail');
    expect(v.measured).toBeLessThan(1.5);
  });

  it('is inconclusive when every error is at round-off, or a blow-up leaves too few points', () => {
    const h = [0.1, 0.05, 0.025];
    expect(checkOrder(h, [1e-17, 2e-17, 1e-17], { order: 2, floor: 1e-16 }).status).toBe('inconclusive');
    const v = checkOrder(h, [1e-3, NaN, 1e-5], { order: 2, floor: 0 });
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/non-finite error at h = 5\.00e-2/);
  });

  it('accepts steps in any order and rejects bad input', () => {
    expect(checkOrder([0.025, 0.1, 0.05], [0.025 ** 2, 0.01, 0.0025], { order: 2, floor: 0 }).status).toBe('pass');
    expect(() => checkOrder([0.1, 0.05], [1, 2], { order: 1, floor: 0 })).toThrow(DomainError);
    expect(() => checkOrder([0.1, 0.05, 0], [1, 2, 3], { order: 1, floor: 0 })).toThrow(/steps\[2\]/);
    expect(() => checkOrder([0.1, 0.05, 0.01], [1, 2], { order: 1, floor: 0 })).toThrow(/errors/);
    expect(() => checkOrder([0.1, 0.05, 0.01], [1, 2, 3], { order: 1, floor: -1 })).toThrow(/floor/);
  });
});

/** e(h) = h⁴/(1 + a·h): order 4 with an O(h) correction, approached from below; pre-asymptotic while a·h ≳ 1. */
const preAsymptotic =
  (a: number, floor = 0) =>
  (h: number) => ({ error: h ** 4 / (1 + a * h), floor });

describe('checkOrderAdaptive', () => {
  it('refines a pre-asymptotic order-4 error until its estimates stabilize, then passes', () => {
    // The estimates creep up 3.32, 3.49, 3.65 over the first four steps (a least-squares fit reads 3.5): three agree
    // within the tolerance below 3.7, but they are still moving, so the four steps decide nothing.
    const sample = preAsymptotic(3);
    const h = [1, 0.5, 0.25, 0.125];
    expect(
      checkOrder(
        h,
        h.map((x) => sample(x).error),
        { order: 4, floor: 0 },
      ).status,
    ).toBe('inconclusive');
    const v = checkOrderAdaptive(sample, { order: 4, h0: 1 });
    expect(v.status, describeVerdict(v)).toBe('pass');
    const d = v.data as { h: number[]; estimates: number[] };
    expect(d.h.length).toBeGreaterThan(4);
    const [a, b] = d.estimates.slice(-2);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(ORDER_TEST.agreement);
  });

  it('refutes RK4 with a wrong coefficient (order 3) and Heun claimed at order 3, once three estimates agree', () => {
    // k4 = f(y + h(k2 + k3)/2) instead of f(y + h·k3): every condition of order 3 holds, one of order 4 fails.
    const wrongRk4: Stepper = (g, t, y, h) => {
      const k1 = g(t, y),
        k2 = g(t + h / 2, y + (h / 2) * k1),
        k3 = g(t + h / 2, y + (h / 2) * k2),
        k4 = g(t + h, y + (h / 2) * (k2 + k3));
      return y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    };
    for (const [step, p, claimed] of [
      [wrongRk4, 3, 4],
      [heun, 2, 3],
    ] as const) {
      const v = checkOrderAdaptive((h) => ({ error: errors(step, [Math.round(1 / h)]).e[0], floor }), {
        order: claimed,
        h0: 1 / 4,
      });
      expect(v.status, describeVerdict(v)).toBe('fail');
      expect(Math.abs(v.measured - p)).toBeLessThan(0.2);
      expect((v.data as { estimates: number[] }).estimates.length).toBeGreaterThanOrEqual(3);
    }
    expect(
      checkOrderAdaptive((h) => ({ error: errors(rk4, [Math.round(1 / h)]).e[0], floor }), { order: 4, h0: 1 / 4 })
        .status,
    ).toBe('pass');
  });

  it('is inconclusive, with the reason, when the estimates never settle or round-off comes first', () => {
    // Estimates alternating 4 ± log2(3): they never agree within the tolerance.
    let k = 0;
    const wobbly = checkOrderAdaptive((h) => ({ error: h ** 4 * (k++ % 2 === 0 ? 1 : 3), floor: 0 }), {
      order: 4,
      h0: 1,
      refinements: 5,
    });
    expect(wobbly.status).toBe('inconclusive');
    expect(wobbly.detail).toMatch(/5 refinements .* used up/);
    expect((wobbly.data as { h: number[] }).h).toHaveLength(6);
    // Pre-asymptotic all the way down to the floor: stops before measuring round-off.
    const shallow = checkOrderAdaptive(preAsymptotic(30, 1e-7), { order: 4, h0: 1 });
    expect(shallow.status).toBe('inconclusive');
    expect(shallow.detail).toMatch(/round-off floor/);
    const exact = checkOrderAdaptive(() => ({ error: 1e-17, floor: 1e-16 }), { order: 2, h0: 0.1 });
    expect(exact.status).toBe('inconclusive');
    expect(exact.detail).toMatch(/exact to round-off/);
  });

  it('reads a blow-up as a step outside the stability region, never as an order', () => {
    const unstableCoarse = checkOrderAdaptive((h) => ({ error: h > 0.3 ? Infinity : h ** 2, floor: 0 }), {
      order: 2,
      h0: 1,
    });
    expect(unstableCoarse.status).toBe('pass');
    // Finite at h = 1 (already unstable, by luck), then a blow-up at every finer step: no order can be read.
    const blowsUp = checkOrderAdaptive((h) => (h < 0.6 ? { error: NaN, floor: NaN } : { error: 0.3, floor: 0 }), {
      order: 2,
      h0: 1,
      refinements: 4,
    });
    expect(blowsUp.status).toBe('inconclusive');
    expect(blowsUp.detail).toMatch(/non-finite error at h = 5\.00e-1, 2\.50e-1/);
    // A blow-up between finite points splits the run: the finer run decides on its own.
    const between = checkOrderAdaptive((h) => ({ error: h === 0.5 ? Infinity : h ** 2, floor: 0 }), {
      order: 2,
      h0: 1,
    });
    expect(between.status).toBe('pass');
    expect((between.data as { used: number[] }).used).toEqual([0.25, 0.125, 0.0625]);
  });

  it('rejects bad options and states its rule with the constants it uses', () => {
    const ok = (h: number) => ({ error: h, floor: 0 });
    expect(() => checkOrderAdaptive(ok, { order: 1, h0: 0 })).toThrow(/h0/);
    expect(() => checkOrderAdaptive(ok, { order: 1, h0: 1, ratio: 1 })).toThrow(/ratio/);
    expect(() => checkOrderAdaptive(ok, { order: 1, h0: 1, refinements: 1 })).toThrow(/refinements/);
    expect(() => checkOrderAdaptive(() => ({ error: 1, floor: NaN }), { order: 1, h0: 1 })).toThrow(/floor/);
    const text = describeOrderTest({ order: 4, refinements: 6 });
    expect(text).toContain(`within ${ORDER_TEST.agreement}`);
    expect(text).toContain(`${4 - ORDER_TEST.slack}`);
    expect(text).toContain(`${ORDER_TEST.floorFactor}·floor`);
    expect(checkOrderAdaptive(ok, { order: 1, h0: 1 }).errorModel).toContain(
      `at most ${ORDER_TEST.refinements} refinements by 2`,
    );
  });
});
