import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asymmetricClaim, yeDuClaims } from '../../properties/ye-du.js';
import { ydInstanceArb } from '../../src/arbitraries/ye-du.js';
import { runClaim } from '../../src/claims/runner.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { checkYd, runYd, YD_BUDGET_CONSTANT, ydBudget } from '../../src/ye-du/asymmetric-factorization.js';
import { itMeetsExpectedOutcomes } from '../helpers/claim-outcomes.js';

describe('Ye–Du claims (THEORY §2): every claim meets its expected outcome at seed 1', () => {
  itMeetsExpectedOutcomes(yeDuClaims, {
    holds: (r) => expect(r.worst!.margin).toBeGreaterThan(0),
    counterexample: (r, claim) => {
      expect(r.counterexample!.verdict!.detail).toMatch(/not converged|diverged|budgeted steps/);
      // The large step shrinks to the scalar problem u·v ≈ σ; the σ_1 budget needs two modes (κ > 1).
      if (claim.id === 'yd.asymmetric.sigma1-rate') expect(r.counterexample!.instance).toMatchObject({ d: 2 });
      else expect(r.counterexample!.instance).toMatchObject({ m: 1, n: 1, d: 1 });
    },
  });
});

describe('Ye–Du checks have teeth', () => {
  it('the budget is not vacuous: the slowest instance of the default run uses a sizeable part of it', () => {
    const r = runClaim(asymmetricClaim(), { seed: 1, runs: 100 });
    // margin = 1 − t_hit/T on the worst instance: the constant c = 2 is not orders of magnitude too generous.
    expect(r.worst!.margin).toBeLessThan(0.75);
    // and with half the constant the same instances would no longer all fit (c = 1 is below the measured worst 1.13).
    const tight = fc
      .sample(ydInstanceArb(), { seed: 3, numRuns: 300 })
      .map((i) => runYd(i).hit / (ydBudget(i) / YD_BUDGET_CONSTANT));
    expect(Math.max(...tight)).toBeGreaterThan(0.8);
  });

  it('"UᵀU − VᵀV is conserved by GD" (the gradient-flow invariant) fails the drift identity', () => {
    const r = runClaim(asymmetricClaim({ claimedDrift: (_eta, gU) => new Matrix(gU.cols, gU.cols) }), {
      seed: 1,
      runs: 50,
    });
    expect(r.status).toBe('fail');
    expect(r.counterexample!.verdict!.detail).toContain('UᵀU − VᵀV');
    expect(r.counterexample!.instance).toMatchObject({ m: 1, n: 1, d: 1 });
  });

  it('a first-order drift η(g_Uᵀg_U − g_Vᵀg_V) instead of η² fails', () => {
    const [i] = fc.sample(ydInstanceArb(), { seed: 5, numRuns: 1 });
    expect(checkYd(i).status).toBe('pass');
    const wrong = checkYd(i, {
      claimedDrift: (eta, gU, gV) => {
        const out = new Matrix(gU.cols, gU.cols);
        for (let a = 0; a < gU.cols; a++) {
          for (let b = 0; b < gU.cols; b++) {
            let s = 0;
            for (let r = 0; r < gU.rows; r++) s += gU.data[r * gU.cols + a] * gU.data[r * gU.cols + b];
            for (let r = 0; r < gV.rows; r++) s -= gV.data[r * gV.cols + a] * gV.data[r * gV.cols + b];
            out.data[a * gU.cols + b] = eta * s;
          }
        }
        return out;
      },
    });
    expect(wrong.status).toBe('fail');
  });
});

describe("'yd.asymmetric' has teeth (named)", () => {
  it('a budget a tenth of c·(1/(ησ_d))[ln(dσ_d/ε) + ln(σ_d/δ)] is refuted where the true budget passes', () => {
    const tight = asymmetricClaim({ budget: (i) => Math.ceil(ydBudget(i) / 10) });
    expect(tight.id).toBe('yd.asymmetric');
    const [instance] = fc.sample(ydInstanceArb(), { seed: 5, numRuns: 1 });
    expect(yeDuClaims.find((c) => c.id === 'yd.asymmetric')!.check(instance).status).toBe('pass');
    const v = tight.check(instance);
    expect(v.status, v.detail).toBe('fail');
    expect(v.detail).toMatch(/not converged within/);
    expect(v.measured).toBeGreaterThan(v.bound);
  });
});
