import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowConvergenceClaims } from '../../properties/flow-convergence.js';
import { rankOneAlignedStartArb, type SaddleInstance, saddleInstanceArb } from '../../src/arbitraries/flows.js';
import { runClaim } from '../../src/claims/runner.js';
import { checkLimitGlobal, checkLimitOptimal, checkSaddleStableManifold } from '../../src/flow/index.js';

const byId = (id: string) => flowConvergenceClaims.find((c) => c.id === id)!;

/** The start pushed off the invariant line: 1e-3 in the (1, 1) entry of every layer couples mode 1 in. */
function offTheLine(i: SaddleInstance): SaddleInstance {
  return {
    ...i,
    weights: i.weights.map((w) => {
      const v = w.clone();
      v.data[0] += 1e-3;
      return v;
    }),
  };
}

describe('the strict-saddle mechanism behind "almost all initializations" (BRTW)', () => {
  it('flow.saddle-stable-manifold holds and flow.limit-optimal-on-Mk.every-start is refuted at seed 1', () => {
    const holds = runClaim(byId('flow.saddle-stable-manifold'), { seed: 1 });
    expect(holds.status).toBe('pass');
    expect(holds.worst!.margin).toBeGreaterThan(0.5);
    const refuted = runClaim(byId('flow.limit-optimal-on-Mk.every-start'), { seed: 1 });
    expect(refuted.observed).toBe('counterexample');
    expect((refuted.counterexample!.instance as { widths: number[] }).widths).toHaveLength(3);
  });

  it('has teeth: a start pushed off the stable manifold escapes the saddle to the rank-1 optimum', () => {
    for (const i of fc.sample(saddleInstanceArb, { seed: 2, numRuns: 4 })) {
      expect(checkSaddleStableManifold(i).status).toBe('pass');
      const off = offTheLine(i);
      const v = checkSaddleStableManifold(off);
      expect(v.status, v.detail).toBe('fail');
      expect(checkLimitOptimal(off).status).toBe('pass');
    }
  });
});

describe('depth 2: almost every start ends at a global minimizer (BRTW, N = 2)', () => {
  it('flow.two-layer-global holds and flow.two-layer-global.rank-deficient-start is refuted at seed 1', () => {
    const holds = runClaim(byId('flow.two-layer-global'), { seed: 1 });
    expect(holds.status, JSON.stringify(holds.worst)).toBe('pass');
    expect(holds.inconclusiveRuns).toBe(0);
    const refuted = runClaim(byId('flow.two-layer-global.rank-deficient-start'), { seed: 1 });
    expect(refuted.observed).toBe('counterexample');
  });

  it('has teeth: the rank-1 aligned start fails at the rank-1 optimum, and the same start nudged off it passes', () => {
    for (const i of fc.sample(rankOneAlignedStartArb(), { seed: 3, numRuns: 4 })) {
      const stuck = checkLimitGlobal(i);
      expect(stuck.status, stuck.detail).toBe('fail');
      expect(checkLimitOptimal(i).status).toBe('pass'); // the optimum on M_1: flow.limit-optimal-on-Mk holds there
      const nudged = {
        ...i,
        weights: i.weights.map((w) => {
          const v = w.clone();
          for (let k = 0; k < v.data.length; k++) v.data[k] += 1e-3 * ((k % 3) - 1);
          return v;
        }),
      };
      const v = checkLimitGlobal(nudged);
      expect(v.status, v.detail).toBe('pass');
    }
  });
});
