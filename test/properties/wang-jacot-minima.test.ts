import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wangJacotMinimaClaims } from '../../properties/wang-jacot-minima.js';
import { flowLimitInstanceArb, minimaInstanceArb } from '../../src/arbitraries/wang-jacot.js';
import { runClaim } from '../../src/claims/runner.js';
import { fullObservedSet } from '../../src/completion/mask.js';
import { certifyMaskedMinimum, certifyMinimum } from '../../src/landscape/regularized-minimum.js';
import { Matrix } from '../../src/linalg/matrix.js';
import {
  checkGdLimitMinimalRank,
  checkGdLimitOverestimatesRank,
  checkMinimaOfSeveralRanks,
  checkStrictSaddles,
  completionCriticalLambda,
  pointAt,
  separatrix,
} from '../../src/wang-jacot/index.js';

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

  it("has teeth: a λ above the weakest mode's critical value (no s_hi there) fails the certificate", () => {
    const [i] = fc.sample(minimaInstanceArb(), { seed: 2, numRuns: 1 });
    expect(checkMinimaOfSeveralRanks(i).status).toBe('pass');
    const lambda = 1.5 * completionCriticalLambda(i.targetSpectrum[i.d - 1], i.depth, i.d);
    expect(checkMinimaOfSeveralRanks({ ...i, lambda }).status).toBe('fail');
  });
});

describe('WJ: every critical point of the fully observed loss is a minimum or a strict saddle (L ≥ 3, λ > 0)', () => {
  it('wj.strict-saddles holds at seed 1: all 3^d points classified, the minima exactly the top-k points', () => {
    const r = runClaim(byId('wj.strict-saddles'), { seed: 1 });
    expect(r.status).toBe('pass');
    expect(r.inconclusiveRuns).toBe(0);
    const [i] = fc.sample(minimaInstanceArb(), { seed: 3, numRuns: 1 });
    const census = /(\d+) critical points: (\d+) certified minima, (\d+) strict saddles, (\d+) degenerate/.exec(
      checkStrictSaddles(i).detail,
    )!;
    expect(census.slice(1).map(Number)).toEqual([3 ** i.d, i.d + 1, 3 ** i.d - i.d - 1, 0]);
  });

  it('wj.strict-saddles.no-decay is refuted by a degenerate point along which F falls (λ = 0: flat dropped mode)', () => {
    const r = runClaim(byId('wj.strict-saddles.no-decay'), { seed: 1 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/is degenerate .* changes F by -/);
  });

  it('has teeth: claiming that a point which skips a stronger mode is a minimum fails', () => {
    const [i] = fc.sample(minimaInstanceArb(), { seed: 2, numRuns: 1 });
    expect(checkStrictSaddles(i).status).toBe('pass');
    const scalar = (i.lambda * i.d * i.d) / 2;
    const high = i.targetSpectrum.map((y) => separatrix(y, i.depth, scalar).high);
    // "any choice of modes at s_hi is a minimum": true for the top k, false when a stronger mode is left at 0.
    const wrong = checkStrictSaddles(i, { isMinimum: (s) => s.every((x, m) => x === 0 || x === high[m]) });
    expect(wrong.status).toBe('fail');
    expect(wrong.detail).toMatch(/claimed a minimum, is a strict saddle/);
  });
});

describe('WJ: GD with small weight decay from typical starts ends at a rank-overestimating minimum', () => {
  it('wj.gd-limit-overestimates-rank holds at seed 1 and its "always minimal rank" neighbour is refuted', () => {
    const r = runClaim(byId('wj.gd-limit-overestimates-rank'), { seed: 1 });
    expect(r.status).toBe('pass');
    expect(r.inconclusiveRuns).toBe(0);
    const f = runClaim(byId('wj.gd-limit-overestimates-rank.always-minimal'), { seed: 1 });
    expect(f.observed).toBe('counterexample');
    expect(f.counterexample!.verdict!.detail).toMatch(/certified minimum after \d+ steps; σ\(A\) = .* → rank 2/);
  });

  it('the masked certificate agrees with the regression one when every entry is observed', () => {
    const [i] = fc.sample(minimaInstanceArb(), { seed: 4, numRuns: 1 });
    const scalar = (i.lambda * i.d * i.d) / 2;
    const point = pointAt(
      i,
      i.targetSpectrum.map((y) => separatrix(y, i.depth, scalar).high),
    );
    const full = new Matrix(i.d, i.d, new Float64Array(i.d * i.d).fill(1));
    const regression = certifyMinimum(point, { X: Matrix.identity(i.d), Y: i.target }, 2 / (i.d * i.d), i.lambda);
    const masked = certifyMaskedMinimum(point, i.target, full, i.lambda);
    expect(regression.certified && masked.certified).toBe(true);
    expect(Math.abs(masked.lambdaMin - regression.lambdaMin)).toBeLessThan(1e-10 * regression.lambdaMax);
    expect(Math.abs(masked.lambdaMax - regression.lambdaMax)).toBeLessThan(1e-10 * regression.lambdaMax);
  });

  it('has teeth: a non-critical "limit" is not certified, so it counts neither way', () => {
    const [i] = fc.sample(flowLimitInstanceArb(), { seed: 1, numRuns: 1 });
    const nudged = (ws: Matrix[]) =>
      ws.map(
        (w) =>
          new Matrix(
            w.rows,
            w.cols,
            w.data.map((x) => x * (1 + 1e-3)),
          ),
      );
    const v = checkGdLimitOverestimatesRank(i, { limit: nudged });
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/not certified: ‖∇F‖ = .* \(not critical to round-off\)/);
    expect(checkGdLimitMinimalRank(i, { limit: nudged }).status).toBe('inconclusive');
  });

  it('a run that does not converge in its budget is inconclusive, never a counterexample', () => {
    const [i] = fc.sample(flowLimitInstanceArb(), { seed: 1, numRuns: 1 });
    for (const check of [checkGdLimitOverestimatesRank, checkGdLimitMinimalRank]) {
      const v = check({ ...i, budget: 1000 });
      expect(v.status).toBe('inconclusive');
      expect(v.detail).toMatch(/run 1: not converged in 1000 steps \(‖∇F‖ = .* > .*\)/);
    }
  });

  it('has teeth: a strict saddle in place of the GD limit fails the claim ("GD ends at a local minimum")', () => {
    // Every entry of a d = 2, L = 3 target observed: skipping the stronger mode gives a certified strict saddle.
    const [m] = fc.sample(
      minimaInstanceArb().filter((x) => x.d === 2 && x.depth === 3),
      { seed: 1, numRuns: 1 },
    );
    const [i] = fc.sample(flowLimitInstanceArb(), { seed: 1, numRuns: 1 });
    const scalar = (m.lambda * m.d * m.d) / 2;
    const saddle = pointAt(m, [0, separatrix(m.targetSpectrum[1], m.depth, scalar).high]);
    const full = { ...i, target: m.target, mask: fullObservedSet(2, 2), lambda: m.lambda };
    const v = checkGdLimitOverestimatesRank(full, { limit: () => saddle.map((w) => w.clone()) });
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/^3 GD limit\(s\) are strict saddles; /);
  });

  it('has teeth: a witness that is not a rank-1 completion leaves the minimal rank unconfirmed', () => {
    const [i] = fc.sample(flowLimitInstanceArb(), { seed: 1, numRuns: 1 });
    const wrong = i.completion.clone();
    wrong.data[0] += 0.5; // rank 2 (or no longer fitting A*): the minimal rank 1 is not shown
    const v = checkGdLimitOverestimatesRank({ ...i, completion: wrong });
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/the witness is not a rank-1 completion/);
  });

  it('has teeth: from small starts GD ends at the rank-1 minimum, so no overestimation is counted', () => {
    const [i] = fc.sample(flowLimitInstanceArb({ initScale: 0.05 }), { seed: 1, numRuns: 1 });
    const v = checkGdLimitOverestimatesRank(i);
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/every certified limit has the minimal rank/);
    expect(checkGdLimitMinimalRank(i).status).toBe('pass');
  });
});
