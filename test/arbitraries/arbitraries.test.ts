import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionedMatrixArb, gaussianMatrixArb } from '../../src/arbitraries/matrices.js';
import { networkInstanceArb } from '../../src/arbitraries/networks.js';
import { widths } from '../../src/arbitraries/seeded.js';
import { frobeniusDistance, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { svd } from '../../src/linalg/svd.js';
import { maxBalancednessDefect } from '../../src/model/balancedness.js';
import { endToEnd } from '../../src/model/partial-products.js';

const EPS = Number.EPSILON;
const json = (v: unknown): string => JSON.stringify(v);

describe('arbitraries: same seed, same value', () => {
  it.each([
    ['gaussianMatrixArb', gaussianMatrixArb([1, 6], [1, 6])],
    ['conditionedMatrixArb', conditionedMatrixArb({ rows: [1, 6], cols: [1, 6] })],
    ['networkInstanceArb', networkInstanceArb({ init: 'balanced' })],
  ] as const)('%s', (_name, arb) => {
    const a = fc.sample(arb as fc.Arbitrary<unknown>, { seed: 42, numRuns: 20 });
    const b = fc.sample(arb as fc.Arbitrary<unknown>, { seed: 42, numRuns: 20 });
    expect(json(a)).toBe(json(b));
    expect(json(fc.sample(arb as fc.Arbitrary<unknown>, { seed: 43, numRuns: 20 }))).not.toBe(json(a));
  });
});

describe('arbitraries meet their constraints', () => {
  it('conditioned matrices have the requested rank and condition number', () => {
    fc.assert(
      fc.property(
        conditionedMatrixArb({ rows: [1, 6], cols: [1, 6], maxLog10Cond: 4, fullRank: true }),
        (a: Matrix) => {
          const s = svd(a).s;
          const p = Math.min(a.rows, a.cols);
          // σ_1 = 1 exactly by construction; SVD error ≈ p·ε relative to σ_1.
          expect(Math.abs(s[0] - 1)).toBeLessThan(64 * p * EPS);
          expect(s[p - 1]).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-8));
        },
      ),
      { seed: 5, numRuns: 100 },
    );
  });

  it('network instances chain their shapes; balanced ones are balanced and whitened data have XXᵀ = I', () => {
    fc.assert(
      fc.property(networkInstanceArb({ init: 'balanced', whitened: true, depth: [1, 5], width: [1, 5] }), (net) => {
        const { widths: w, weights, data } = net;
        weights.forEach((m, j) => expect([m.rows, m.cols]).toEqual([w[j + 1], w[j]]));
        const scale = weights.reduce((s, m) => Math.max(s, frobeniusNorm(m) ** 2), 1);
        // C_j is a difference of two Gram matrices of size ≤ 5: round-off ≈ 64·d·ε·‖W‖².
        expect(maxBalancednessDefect(weights)).toBeLessThan(64 * 5 * EPS * scale);
        const gram = multiply(data.X, data.X, 'n', 't');
        expect(frobeniusDistance(gram, Matrix.identity(w[0]))).toBeLessThan(64 * data.X.cols * EPS);
        expect(endToEnd(weights).rows).toBe(w[w.length - 1]);
      }),
      { seed: 9, numRuns: 100 },
    );
  });
});

describe('arbitraries shrink to strictly smaller values', () => {
  // Properties of the shrunk value, whatever path fast-check took to it: it still fails, and no coordinate can
  // be made smaller without it passing (or leaving the generator's range).
  it('dimensions shrink to the smallest failing size', () => {
    const passes = (rows: number): boolean => rows < 3;
    const r = fc.check(
      fc.property(gaussianMatrixArb([1, 8], [1, 8]), (a: Matrix) => passes(a.rows)),
      { seed: 1 },
    );
    expect(r.failed).toBe(true);
    const [a] = r.counterexample!;
    expect(passes(a.rows)).toBe(false);
    expect(passes(a.rows - 1)).toBe(true);
    expect(a.cols, 'the columns do not matter: their lower bound').toBe(1);
  });

  it('depth and widths shrink independently', () => {
    const passes = (w: readonly number[]): boolean => !(w.length > 3 && w[1] > 2);
    const r = fc.check(fc.property(widths({ depth: [1, 6], width: [1, 6] }), passes), { seed: 2 });
    expect(r.failed).toBe(true);
    const w = r.counterexample![0];
    expect(passes(w)).toBe(false);
    expect(passes(w.slice(0, -1)), 'one layer fewer').toBe(true);
    expect(passes(w.map((x, i) => (i === 1 ? x - 1 : x))), 'd_1 one smaller').toBe(true);
    expect(
      w.filter((_, i) => i !== 1),
      'the widths that do not matter: their lower bound',
    ).toEqual(w.map(() => 1).slice(1));
  });

  it('entries shrink toward short decimals', () => {
    const r = fc.check(
      fc.property(gaussianMatrixArb([1, 4], [1, 4]), (a: Matrix) => frobeniusNorm(a) < 0.5),
      { seed: 4 },
    );
    const [a] = r.counterexample!;
    for (const x of a.data) expect(Math.round(x * 100) / 100).toBe(x);
  });
});
