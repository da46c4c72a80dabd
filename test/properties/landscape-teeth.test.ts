import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { landscapeClaims } from '../../properties/landscape.js';
import { type CriticalInstance, criticalInstanceArb } from '../../src/arbitraries/critical-points.js';
import type { Claim } from '../../src/claims/claim.js';
import { Matrix } from '../../src/linalg/matrix.js';

/**
 * Teeth tests for crit.kawaguchi-saddle: its check is fed points where the statement's hypothesis fails (wrong
 * inputs) and must object. Instances are drawn with fixed seeds.
 */
const claim = (id: string): Claim<CriticalInstance> =>
  landscapeClaims.find((c) => c.id === id) as Claim<CriticalInstance>;
const sample = (options: Parameters<typeof criticalInstanceArb>[0], n: number, seed: number): CriticalInstance[] =>
  fc.sample(criticalInstanceArb(options), { seed, numRuns: n });

describe('crit.kawaguchi-saddle has teeth', () => {
  const kawaguchi = claim('crit.kawaguchi-saddle');

  it('fails at the origin (middle product of rank 0, outside the hypothesis): no negative curvature', () => {
    for (const inst of sample({ depth: [3, 4], width: [1, 3], kinds: ['top', 'gap'], kawaguchi: true }, 4, 31)) {
      expect(kawaguchi.check(inst).status).toBe('pass');
      const zeros = inst.point.weights.map((w) => new Matrix(w.rows, w.cols));
      const origin: CriticalInstance = { ...inst, point: { ...inst.point, weights: zeros } };
      const v = kawaguchi.check(origin);
      expect(v.status, v.detail).toBe('fail');
      expect(v.measured).toBeGreaterThanOrEqual(v.bound); // λ_min = 0 up to τ_H: a non-strict saddle (N ≥ 3)
    }
  });

  it('fails a global minimum presented as a saddle: PSD Hessian (the check reads curvature, not the label)', () => {
    const globals = sample({ depth: [3, 4], width: [1, 3], kinds: ['global'] }, 4, 32);
    for (const inst of globals) {
      expect(inst.point.kind).toBe('global');
      expect(kawaguchi.check(inst).status).toBe('pass'); // vacuous: the statement is about saddles
      const v = kawaguchi.check({ ...inst, point: { ...inst.point, kind: 'top' } });
      expect(v.status, v.detail).toBe('fail');
    }
  });
});
