import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integerPower } from '../../src/nnls/vector.js';

describe('integerPower', () => {
  it('is Math.pow bitwise for k ≤ 2 and within (k − 1) roundings above, with the same sign', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.integer({ min: 0, max: 6 }), (u, k) => {
        const p = integerPower(u, k),
          q = Math.pow(u, k);
        if (k <= 2) expect(Object.is(p, q), `u = ${u}, k = ${k}`).toBe(true);
        else expect(Math.abs(p - q)).toBeLessThanOrEqual(k * Number.EPSILON * Math.abs(q));
        expect(Math.sign(p)).toBe(Math.sign(q));
      }),
      { seed: 1 },
    );
  });
});
