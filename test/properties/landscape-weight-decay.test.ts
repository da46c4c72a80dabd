import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { landscapeWeightDecayClaims } from '../../properties/landscape-weight-decay.js';
import { decayInstanceArb } from '../../src/arbitraries/weight-decay.js';
import { runClaim } from '../../src/claims/runner.js';
import { certifyMinimum } from '../../src/landscape/regularized-minimum.js';
import { checkDecayLocalMinima } from '../../src/landscape/weight-decay-verdict.js';
import { Matrix } from '../../src/linalg/matrix.js';

const claim = landscapeWeightDecayClaims.find((c) => c.id === 'crit.no-bad-local-min.weight-decay')!;

describe('crit.no-bad-local-min.weight-decay', () => {
  it('is refuted at seed 1: the origin is a certified local minimum above the value descent reaches', () => {
    const r = runClaim(claim, { seed: 1 });
    expect(r.status).toBe('pass');
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/Hessian off the 0-dim gauge orbit/);
    expect((r.counterexample!.instance as { widths: number[] }).widths).toHaveLength(4);
  });

  it('has teeth: a λ so large that the origin is the global minimum leaves nothing to refute', () => {
    const [i] = fc.sample(decayInstanceArb(), { seed: 3, numRuns: 1 });
    expect(checkDecayLocalMinima(i).status).toBe('fail');
    expect(checkDecayLocalMinima({ ...i, lambda: 100 }).status).toBe('pass');
  });

  it('at depth 2 the origin is a strict saddle, not a certified minimum (so the run is inconclusive)', () => {
    const [i] = fc.sample(decayInstanceArb(), { seed: 4, numRuns: 1 });
    const two = { ...i, widths: [i.widths[0], 2, i.widths[i.widths.length - 1]], start: [] as Matrix[] };
    const zero = [new Matrix(2, two.widths[0]), new Matrix(two.widths[2], 2)];
    const c = certifyMinimum(zero, i.data, 1, i.lambda);
    expect(c.certified).toBe(false);
    expect(c.lambdaMin).toBeLessThan(-c.tolerance);
    expect(
      checkDecayLocalMinima({
        ...two,
        start: zero.map((z) => {
          const w = z.clone();
          w.data.fill(0.3);
          return w;
        }),
      }).status,
    ).toBe('inconclusive');
  });
});
