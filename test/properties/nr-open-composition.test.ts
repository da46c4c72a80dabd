import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nrClaims } from '../../properties/nouiehed-razaviyayn.js';
import type { CompositionInstance, KinkedCompositionInstance } from '../../src/arbitraries/open-composition.js';
import type { Claim } from '../../src/claims/claim.js';
import { kinkedCompositionVerdict, openCompositionVerdict } from '../../src/landscape/open-composition-verdict.js';
import { Matrix } from '../../src/linalg/matrix.js';

const claim = <I>(id: string): Claim<I> => nrClaims.find((c) => c.id === id) as Claim<I>;

describe("'nr.open-composition' and its FALSE neighbour 'nr.open-composition.without-openness'", () => {
  const composition = claim<CompositionInstance>('nr.open-composition');
  const withoutOpenness = claim<KinkedCompositionInstance>('nr.open-composition.without-openness');
  const kinked = fc.sample(withoutOpenness.instances, { seed: 7, numRuns: 3 });

  it('holds at descent endpoints for both losses and both regimes (k ≥ min(m, n) and k < min(m, n))', () => {
    const sample = fc.sample(composition.instances, { seed: 16, numRuns: 24 });
    const kinds = new Set(
      sample.map((i) => `${i.loss}/${i.X0.cols >= Math.min(i.T.rows, i.T.cols) ? 'wide' : 'narrow'}`),
    );
    expect([...kinds].sort()).toEqual(['pseudo-huber/wide', 'square/narrow', 'square/wide']);
    for (const inst of sample) {
      const v = composition.check(inst);
      expect(v.status, v.detail).toBe('pass');
    }
  });

  it('refutes "local ⇒ global" at the kinked non-open local minimum, for every drawn rotation and size', () => {
    for (const inst of kinked) {
      const v = withoutOpenness.check(inst);
      expect(v.status, v.detail).toBe('fail');
      expect(v.detail).toContain('not open');
    }
  });

  it('with the real criterion the kinked point is outside the statement; a criterion that says "open" fails', () => {
    for (const inst of kinked) {
      const outside = kinkedCompositionVerdict(inst, true);
      expect(outside.status, outside.detail).toBe('inconclusive');
      const wrong = kinkedCompositionVerdict(inst, true, () => ({
        open: true,
        rule: 'deliberately wrong: always open',
      }));
      expect(wrong.status, wrong.detail).toBe('fail');
    }
  });

  it('a converged endpoint at a saddle (the origin, open there) is inconclusive, never a counterexample', () => {
    const T = Matrix.from([
      [1, 2],
      [3, 4],
    ]);
    const v = openCompositionVerdict({ loss: 'square', T, X0: new Matrix(2, 1), Y0: new Matrix(1, 2), seed: 3 });
    expect(v.status, v.detail).toBe('inconclusive');
    expect(v.detail).toContain('escape');
  });
});
