import { afterEach, describe, expect, it } from 'vitest';
import {
  allocateState,
  DlnGradientField,
  DormandPrince,
  GradientDescent,
  ImplicitMidpoint,
  Rk4,
} from '../../src/dynamics/index.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { cloneWeights } from '../../src/model/network.js';
import { Rng } from '../../src/random/rng.js';
import { gaussianData, gaussianWeights } from './helpers.js';

/**
 * The inner loops must not allocate. This counts Float64Array constructions (every Matrix allocates one) while
 * the steps run, by swapping the global constructor for a counting proxy. It does not see plain objects/arrays;
 * those are avoided by construction (see the swap in ImplicitMidpoint.step).
 */
const original = globalThis.Float64Array;
let count = 0;
function countFloat64Arrays(fn: () => void): number {
  count = 0;
  globalThis.Float64Array = new Proxy(original, {
    construct(target, args) {
      count++;
      return Reflect.construct(target, args);
    },
  });
  try {
    fn();
  } finally {
    globalThis.Float64Array = original;
  }
  return count;
}

afterEach(() => {
  globalThis.Float64Array = original;
});

describe('allocation-free inner loops', () => {
  it('field evaluation, GD, RK4, implicit midpoint and Dormand–Prince steps allocate no Float64Array', () => {
    const rng = new Rng(91);
    const widths = [3, 4, 4, 2];
    const data = gaussianData(rng, 3, 2, 10);
    const w = gaussianWeights(rng, widths, 1);
    const field = new DlnGradientField(widths, data, { weightDecay: 0.1 });
    const out = allocateState(field.shapes);
    const gd = new GradientDescent(field, { learningRate: 0.01, momentum: 0.5 });
    const rk = new Rk4(field);
    const im = new ImplicitMidpoint(field);
    const dp = new DormandPrince(field);
    const state = cloneWeights(w);
    // Sanity: the counter works.
    expect(countFloat64Arrays(() => new Float64Array(3))).toBe(1);
    expect(countFloat64Arrays(() => new Matrix(2, 2))).toBe(1); // Matrix allocations inside src are seen
    expect(countFloat64Arrays(() => new DlnGradientField(widths, data))).toBeGreaterThan(0);
    expect(
      countFloat64Arrays(() => {
        for (let i = 0; i < 10; i++) {
          field.evaluate(0, state, out);
          gd.step(state);
          rk.step(0, 0.01, state);
          im.step(0, 0.01, state);
        }
        dp.run(state, { t1: 0.5, rtol: 1e-8, atol: 1e-8 });
      }),
    ).toBe(0);
  });
});
