import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runClaim } from '../../src/claims/runner.js';
import { flowConvergenceClaims } from '../../properties/flow-convergence.js';
import { checkLimitOptimal, checkSaddleStableManifold } from '../../src/flow/index.js';
import { saddleInstanceArb, type SaddleInstance } from '../../src/arbitraries/flows.js';

const byId = (id: string) => flowConvergenceClaims.find((c) => c.id === id)!;

/** The start pushed off the invariant line: 1e-3 in the (1, 1) entry of every layer couples mode 1 in. */
function offTheLine(i: SaddleInstance): SaddleInstance {
  return { ...i, weights: i.weights.map((w) => { const v = w.clone(); v.data[0] += 1e-3; return v; }) };
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
