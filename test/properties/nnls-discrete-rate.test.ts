import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nnlsClaims } from '../../properties/nnls.js';
import { type DiscreteRateInstance, discreteRateInstances } from '../../src/arbitraries/nnls.js';
import type { Claim } from '../../src/claims/claim.js';
import { checkDiscreteRate, guardedStep, type StepRule } from '../../src/nnls/checks/discrete-rate.js';

const claim = (id: string): Claim<DiscreteRateInstance> =>
  nnlsClaims.find((c) => c.id === id) as Claim<DiscreteRateInstance>;

describe("'nnls.discrete-rate' and its FALSE neighbour 'nnls.discrete-rate.smoothness-step'", () => {
  const interior = fc.sample(discreteRateInstances({ interior: true }), { seed: 5, numRuns: 6 });

  it('holds on random instances with every decay γ', () => {
    const sample = fc.sample(claim('nnls.discrete-rate').instances, { seed: 9, numRuns: 20 });
    expect(new Set(sample.map((i) => i.gamma)).size).toBe(3);
    for (const inst of sample) {
      const v = claim('nnls.discrete-rate').check(inst);
      expect(v.status, v.detail).toBe('pass');
    }
  });

  it('the constant step 1/‖A‖² is refuted at interior solutions, where the guarded steps keep the bound', () => {
    for (const inst of interior) {
      const refuted = claim('nnls.discrete-rate.smoothness-step').check(inst);
      expect(refuted.status, refuted.detail).toBe('fail');
      const kept = checkDiscreteRate(inst);
      expect(kept.status, kept.detail).toBe('pass');
    }
  });

  it('fails when fed steps 16 times the step condition (a deliberately wrong schedule)', () => {
    const tooLong: StepRule = {
      describe: () => '16 × the step condition',
      step: (k, x, g, inst, Lf) => 16 * guardedStep.step(k, x, g, inst, Lf),
    };
    const verdicts = interior.map((inst) => checkDiscreteRate(inst, tooLong));
    expect(verdicts.filter((v) => v.status === 'fail').length).toBeGreaterThanOrEqual(interior.length - 1);
  });
});
