import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rayleighClaims } from '../../properties/rayleigh.js';
import {
  manySamplesInstanceArb,
  type PopulationInstance,
  populationInstanceArb,
} from '../../src/arbitraries/rsl-examples.js';
import { runClaim } from '../../src/claims/runner.js';
import { multiply } from '../../src/linalg/products.js';
import { symmetricEigen } from '../../src/linalg/svd.js';
import { endToEnd } from '../../src/model/partial-products.js';
import {
  checkRayleighConvergence,
  manySamplesProblem,
  populationProblem,
} from '../../src/rayleigh/convergence-check.js';
import { squareLossAt } from '../../src/rayleigh/model-map.js';

const byId = (id: string) => rayleighClaims.find((c) => c.id === id)!;

// The claims' seed-1 outcomes run in rayleigh.test.ts; here the FALSE neighbours' shape and the checks' teeth.
describe("RSL's convergence argument on its examples", () => {
  it("'rsl.convergence.many-samples.unrealizable' is refuted and shrinks to one feature and three samples", () => {
    const r = runClaim(byId('rsl.convergence.many-samples.unrealizable'), { seed: 1 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.instance).toMatchObject({ d: 1, n: 3 });
    // The loss stalls at the unreachable part: far above the envelope, not a near miss.
    expect(r.counterexample!.verdict!.measured).toBeGreaterThan(1e6);
  });

  it("'rsl.convergence.population.whitened-rate' is refuted: the rate needs λ_min(Σ)", () => {
    const r = runClaim(byId('rsl.convergence.population.whitened-rate'), { seed: 1 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.instance).toMatchObject({ lambdaMinSigma: 0.01 });
  });

  it('the kernel of the many-samples example is singular while R stays above r', () => {
    const [i] = fc.sample(manySamplesInstanceArb(), { seed: 3, numRuns: 1 });
    const v = checkRayleighConvergence(manySamplesProblem(i));
    expect(v.status, v.detail).toBe('pass');
    expect(v.data!.kernelConditionInverse as number).toBeLessThan(1e-14);
    expect(v.data!.minRayleigh as number).toBeGreaterThan(v.data!.rate as number);
    expect(v.data!.finalLoss as number).toBeLessThan(1e-10);
  });

  it('the population loss is exact: ½tr((A − Φ)Σ(A − Φ)ᵀ), with the stated λ_min(Σ) and reach √(2L_0/λ_min(Σ))', () => {
    for (const i of fc.sample(populationInstanceArb(), { seed: 2, numRuns: 10 })) {
      const Sigma = multiply(i.S, i.S, 'n', 't');
      const eig = symmetricEigen(Sigma).values;
      expect(Math.min(...eig) / i.lambdaMinSigma).toBeCloseTo(1, 12);
      const D = endToEnd(i.weights);
      for (let k = 0; k < D.data.length; k++) D.data[k] -= i.Phi.data[k];
      const M = multiply(multiply(D, Sigma), D, 'n', 't');
      let trace = 0;
      for (let a = 0; a < i.d; a++) trace += M.data[a * i.d + a];
      const p = populationProblem(i);
      const L = squareLossAt(p.map, p.theta0, p.target).loss;
      expect(L / (0.5 * trace)).toBeCloseTo(1, 12);
      expect(Math.sqrt((2 * L) / i.lambdaMinSigma) / i.reach).toBeCloseTo(1, 10);
    }
  });
});

describe('the convergence check has teeth', () => {
  it('an overstated rate (3r) is refuted on the population example', () => {
    const check = (i: PopulationInstance) => checkRayleighConvergence(populationProblem(i), { rateScale: 3 });
    const wrong = { ...byId('rsl.convergence.population'), check };
    const r = runClaim(wrong, { seed: 1, runs: 10 });
    expect(r.observed).toBe('counterexample');
  });

  it('the FALSE neighbour fails for the stated reason: the same instance without its unreachable part holds', () => {
    const dirty = fc.sample(manySamplesInstanceArb({ unreachable: 0.3 }), { seed: 4, numRuns: 3 });
    const clean = fc.sample(manySamplesInstanceArb(), { seed: 4, numRuns: 3 });
    dirty.forEach((i, k) => {
      expect(i.X.data).toEqual(clean[k].X.data);
      expect(checkRayleighConvergence(manySamplesProblem(i)).status).toBe('fail');
      expect(checkRayleighConvergence(manySamplesProblem(clean[k])).status).toBe('pass');
    });
  });

  it('a flow stopped by its step budget before the floor is inconclusive, never a counterexample', () => {
    const [i] = fc.sample(populationInstanceArb(), { seed: 1, numRuns: 1 });
    const v = checkRayleighConvergence(populationProblem(i), { maxSteps: 20 });
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/budget ran out/);
  });
});
