import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { acceleratedInstances, convergesInstances, discreteRateInstances } from '../../src/arbitraries/nnls.js';
import { checkAccelerated } from '../../src/nnls/checks/accelerated.js';
import { checkConverges } from '../../src/nnls/checks/converges.js';
import { checkDiscreteRate } from '../../src/nnls/checks/discrete-rate.js';
import type * as LawsonHanson from '../../src/nnls/lawson-hanson.js';

/**
 * The rate checks compare against Lawson–Hanson's x*, f*. Fed a reference that did not converge (a deliberately
 * broken solver), each must be inconclusive, never a counterexample built on a wrong x*.
 */
const broken = vi.hoisted(() => ({ reference: false }));

vi.mock('../../src/nnls/lawson-hanson.js', async (importOriginal) => {
  const real = await importOriginal<typeof LawsonHanson>();
  return {
    ...real,
    solveNnls: (...args: Parameters<typeof real.solveNnls>) => {
      const r = real.solveNnls(...args);
      if (!broken.reference) return r;
      return { ...r, x: r.x.map((v) => v + 1), converged: false, status: 'max-iterations' as const };
    },
  };
});

describe('the NNLS rate checks with an unconverged Lawson–Hanson reference', () => {
  const cases = [
    ['nnls.converges', () => checkConverges(fc.sample(convergesInstances(), { seed: 3, numRuns: 1 })[0])],
    ['nnls.accelerated', () => checkAccelerated(fc.sample(acceleratedInstances(), { seed: 3, numRuns: 1 })[0])],
    ['nnls.discrete-rate', () => checkDiscreteRate(fc.sample(discreteRateInstances(), { seed: 3, numRuns: 1 })[0])],
  ] as const;

  it.each(cases)('%s passes with the real reference and is inconclusive with a broken one', (_id, check) => {
    expect(check().status).toBe('pass');
    broken.reference = true;
    try {
      const v = check();
      expect(v.status, v.detail).toBe('inconclusive');
      expect(v.detail).toMatch(/Lawson–Hanson did not converge \(max-iterations after \d+ iterations\)/);
    } finally {
      broken.reference = false;
    }
  });
});
