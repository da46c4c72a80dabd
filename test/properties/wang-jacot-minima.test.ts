import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runClaim } from '../../src/claims/runner.js';
import { wangJacotMinimaClaims } from '../../properties/wang-jacot-minima.js';
import { minimaInstanceArb } from '../../src/arbitraries/wang-jacot.js';
import { checkMinimaOfSeveralRanks, completionCriticalLambda } from '../../src/wang-jacot/index.js';

const byId = (id: string) => wangJacotMinimaClaims.find((c) => c.id === id)!;

describe('WJ: local minima of several ranks (L ≥ 3), none but the full one at L = 2', () => {
  it('wj.minima-of-several-ranks holds at seed 1 with minima of every rank 0..r', () => {
    const r = runClaim(byId('wj.minima-of-several-ranks'), { seed: 1 });
    expect(r.status).toBe('pass');
    expect(r.observed).toBe('holds');
    const [i] = fc.sample(minimaInstanceArb(), { seed: 1, numRuns: 1 });
    const ranks = /certified minima of ranks \{([\d, ]+)\}/.exec(checkMinimaOfSeveralRanks(i).detail)![1];
    expect(ranks.split(', ').map(Number)).toEqual(Array.from({ length: i.d + 1 }, (_, k) => k));
  });

  it('wj.minima-of-several-ranks.one-hidden-layer is refuted: at L = 2 a dropped mode is a strict saddle', () => {
    const r = runClaim(byId('wj.minima-of-several-ranks.one-hidden-layer'), { seed: 1 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/not a certified minimum/);
  });

  it('has teeth: a λ above the weakest mode\'s critical value (no s_hi there) fails the certificate', () => {
    const [i] = fc.sample(minimaInstanceArb(), { seed: 2, numRuns: 1 });
    expect(checkMinimaOfSeveralRanks(i).status).toBe('pass');
    const lambda = 1.5 * completionCriticalLambda(i.targetSpectrum[i.d - 1], i.depth, i.d);
    expect(checkMinimaOfSeveralRanks({ ...i, lambda }).status).toBe('fail');
  });
});
