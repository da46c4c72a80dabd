import { describe, expect, it } from 'vitest';
import { checkOrder } from '../../src/check/order.js';
import { dormandPrinceVector as dormandPrince, rk4Vector as rk4 } from '../../src/dynamics/vector-ode.js';
import { DomainError } from '../../src/errors.js';

// y' = A y with A = [[0, 1], [−1, 0]] (rotation) and y' = −y: exact solutions known.
const rotation = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = y[1];
  dy[1] = -y[0];
};

describe('rk4', () => {
  it('has order 4 (checkOrder on the rotation ODE over [0, 2])', () => {
    const steps = [8, 16, 32, 64, 128];
    const h = steps.map((s) => 2 / s);
    const errors = steps.map((s) => {
      const y = rk4(rotation, 0, [1, 0], 2, s).y;
      return Math.hypot(y[0] - Math.cos(2), y[1] + Math.sin(2));
    });
    const v = checkOrder(h, errors, { order: 4, floor: 1e-15, label: 'RK4 rotation' });
    expect(v.status).toBe('pass');
    expect(v.measured).toBeGreaterThan(3.8);
  });

  it('integrates backwards for a negative span and validates steps', () => {
    const y = rk4((_t, y, dy) => (dy[0] = -y[0]), 0, [1], -1, 64).y;
    expect(Math.abs(y[0] - Math.E)).toBeLessThan(1e-8);
    expect(() => rk4(rotation, 0, [1, 0], 1, 0)).toThrow(/^steps:/);
    expect(() => rk4(rotation, 0, [1, NaN], 1, 4)).toThrow(/^y0: entry 1 is NaN/);
  });
});

describe('dormandPrince', () => {
  it('meets its tolerance on the rotation ODE and stops when the observer asks', () => {
    const r = dormandPrince(rotation, 0, [1, 0], 10, { rtol: 1e-11, atol: 1e-13 });
    expect(r.status).toBe('done');
    expect(r.t).toBe(10);
    expect(Math.hypot(r.y[0] - Math.cos(10), r.y[1] + Math.sin(10))).toBeLessThan(1e-9);
    let calls = 0;
    const s = dormandPrince(rotation, 0, [1, 0], 10, {
      observe: (t) => {
        calls++;
        return t > 1;
      },
    });
    expect(s.status).toBe('stopped');
    expect(s.t).toBeGreaterThan(1);
    expect(s.t).toBeLessThan(10);
    expect(calls).toBe(s.steps + 1);
  });

  it('handles a stiff-ish decay and reports the step cap', () => {
    const f = (_t: number, y: Float64Array, dy: Float64Array): void => {
      dy[0] = -1000 * (y[0] - Math.cos(_t));
    };
    const r = dormandPrince(f, 0, [0], 1, { rtol: 1e-8 });
    expect(r.status).toBe('done');
    expect(Math.abs(r.y[0] - Math.cos(1))).toBeLessThan(1e-3);
    expect(dormandPrince(f, 0, [0], 100, { maxSteps: 50 }).status).toBe('max-steps');
  });

  it('reports a blow-up instead of looping', () => {
    const r = dormandPrince((_t, y, dy) => (dy[0] = y[0] * y[0]), 0, [1], 2, { maxSteps: 100_000 });
    expect(['step-underflow', 'non-finite', 'max-steps']).toContain(r.status);
    expect(r.t).toBeLessThan(1.0001);
  });

  it('rejects bad arguments by name', () => {
    expect(() => dormandPrince(rotation, 0, [1, 0], 0)).toThrow(DomainError);
    expect(() => dormandPrince(rotation, 0, [1, 0], 0)).toThrow(/^t1:/);
    expect(() => dormandPrince(rotation, 0, [1, 0], 1, { rtol: 0 })).toThrow(/^options\.rtol:/);
  });
});
