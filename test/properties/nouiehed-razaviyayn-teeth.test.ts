import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nrClaims } from '../../properties/nouiehed-razaviyayn.js';
import type { Claim } from '../../src/claims/claim.js';
import { nrExampleA, nrExampleB } from '../../src/landscape/instances.js';
import { twoLayerClosedForm } from '../../src/landscape/nr-models.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { selectColumns, svd } from '../../src/linalg/svd.js';

/**
 * Teeth tests for the FALSE variants of the NR claims: each check refutes a specific instance and not its true
 * neighbour. (nr.local-openness.examples and nr.iclr18-example.second-order-test have fixed models; their teeth,
 * with deliberately broken models, are in nouiehed-razaviyayn-broken-models.test.ts.)
 */
const claim = <I>(id: string): Claim<I> => nrClaims.find((c) => c.id === id) as Claim<I>;

describe('nr.local-openness.everywhere (FALSE) has teeth', () => {
  const everywhere = claim<typeof nrExampleB>('nr.local-openness.everywhere');

  it("refutes NR's X = [1; 1], Y = [0 0] (targets [[δ, 0], [0, 0]] stay 1 away), not the open [1; 2], [1 1]", () => {
    const refuted = everywhere.check(nrExampleB);
    expect(refuted.status, refuted.detail).toBe('fail');
    expect(refuted.detail).toContain('must vanish');
    const kept = everywhere.check(nrExampleA);
    expect(kept.status, kept.detail).toBe('pass');
  });
});

describe('nr.two-layer-global.no-projection (FALSE) has teeth', () => {
  type TwoLayer = { widths: number[]; data: { X: Matrix; Y: Matrix }; scale: 'half' | 'sum' | 'mean' };
  const noProjection = claim<TwoLayer>('nr.two-layer-global.no-projection');

  /** Y V_xV_xᵀ: the part of Y in the row space of X, so that the dropped term ½‖Y(I − V_xV_xᵀ)‖² is 0. */
  function projected(inst: TwoLayer): TwoLayer {
    const f = svd(inst.data.X);
    const rank = twoLayerClosedForm(inst.data, inst.widths).rankX;
    const Vx = selectColumns(
      f.V,
      Array.from({ length: rank }, (_, i) => i),
    );
    return { ...inst, data: { X: inst.data.X, Y: multiply(multiply(inst.data.Y, Vx), Vx, 'n', 't') } };
  }

  it('refutes data with Y outside the row space of X, and not the same data with Y projected onto it', () => {
    const outside = fc
      .sample(noProjection.instances, { seed: 41, numRuns: 12 })
      .filter((i) => twoLayerClosedForm(i.data, i.widths, i.scale).projection > 1e-3);
    expect(outside.length).toBeGreaterThanOrEqual(2);
    for (const inst of outside.slice(0, 2)) {
      const refuted = noProjection.check(inst);
      expect(refuted.status, refuted.detail).toBe('fail');
      const kept = noProjection.check(projected(inst));
      expect(kept.status, kept.detail).toBe('pass');
    }
  });
});
