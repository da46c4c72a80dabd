import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rayleighClaims } from '../../properties/rayleigh.js';
import type { KlInstance } from '../../src/arbitraries/kl-flows.js';
import type { ModelInstance } from '../../src/arbitraries/rayleigh-models.js';
import type { Claim } from '../../src/claims/claim.js';
import { type ClaimReport, runClaim } from '../../src/claims/runner.js';
import { checkRayleighIdentity } from '../../src/rayleigh/identity-check.js';
import { type ModelMap, tangentKernel } from '../../src/rayleigh/index.js';
import { checkKlRates } from '../../src/rayleigh/kl-rates-check.js';

const byId = (id: string): Claim<any> => rayleighClaims.find((c) => c.id === id)!;
const reports = new Map<string, ClaimReport>();

/** The map with the last parameter's column of J dropped: a kernel missing one term. */
function withoutLastParameter(map: ModelMap): ModelMap {
  const P = map.parameterDim;
  return {
    ...map,
    jvp: (theta, v) =>
      map.jvp(
        theta,
        Float64Array.from(v, (x, k) => (k === P - 1 ? 0 : x)),
      ),
  };
}

describe('Rayleigh-quotient claims (THEORY §6)', () => {
  it('covers the issue’s claim ids with THEORY’s provenance tags', () => {
    expect(rayleighClaims.map((c) => c.id)).toEqual([
      'rsl.identity',
      'rsl.bounds',
      'rsl.kl-rates',
      'rsl.kl-rates.degenerate-exponential',
      'rsl.convergence.many-samples',
      'rsl.convergence.many-samples.unrealizable',
      'rsl.convergence.population',
      'rsl.convergence.population.whitened-rate',
    ]);
    for (const c of rayleighClaims) expect(c.source.provenance).toBe('D');
    expect(rayleighClaims.filter((c) => c.expected === 'counterexample').map((c) => c.id)).toEqual([
      'rsl.kl-rates.degenerate-exponential',
      'rsl.convergence.many-samples.unrealizable',
      'rsl.convergence.population.whitened-rate',
    ]);
  });

  for (const claim of rayleighClaims) {
    it(`${claim.id} meets its expected outcome (${claim.expected}) with seed 1`, () => {
      const r = runClaim(claim, { seed: 1 });
      reports.set(claim.id, r);
      expect(r.status, `${claim.id}: ${r.worst?.detail}`).toBe('pass');
      if (claim.expected === 'holds') expect(r.inconclusiveRuns).toBe(0);
    });
  }

  it('the FALSE variants are found and shrunk to the smallest instance', () => {
    const degenerate = reports.get('rsl.kl-rates.degenerate-exponential')!;
    expect(degenerate.counterexample!.instance).toMatchObject({ family: 'dln-degenerate' });
    expect(degenerate.counterexample!.verdict!.detail).toMatch(/tail exponent/);
  });

  it('the rate claims say over which time range the fit was made', () => {
    expect(reports.get('rsl.kl-rates')!.worst!.detail).toMatch(/fitted on t ∈ \[/);
    const fit = reports.get('rsl.kl-rates')!.data!.fit as { tRange: [number, number] };
    expect(fit.tRange[0]).toBeGreaterThan(0);
    expect(fit.tRange[1]).toBeGreaterThan(fit.tRange[0]);
  });

  it('the FALSE claim is not vacuous: the predicted exponent satisfies it', () => {
    const degenerate = fc.sample(byId('rsl.kl-rates.degenerate-exponential').instances, {
      seed: 5,
      numRuns: 2,
    }) as KlInstance[];
    for (const i of degenerate) expect(checkKlRates(i).status, checkKlRates(i).detail).toBe('pass');
  });
});

describe('the checks have teeth', () => {
  it('a missing factor 2 in ‖∇L‖² = 2R·L is refuted', () => {
    const wrong = { ...byId('rsl.identity'), check: (i: ModelInstance) => checkRayleighIdentity(i, { factor: 1 }) };
    const r = runClaim(wrong, { seed: 1, runs: 20 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/1·R_θ\(g\)·L/);
  });

  it('a wrong kernel (one column of the Jacobian missing) is refuted', () => {
    const kernel = (map: ModelMap, theta: Float64Array) => tangentKernel(withoutLastParameter(map), theta);
    const wrong = { ...byId('rsl.identity'), check: (i: ModelInstance) => checkRayleighIdentity(i, { kernel }) };
    const r = runClaim(wrong, { seed: 1, runs: 20 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/⟨g, K_θg⟩/);
  });

  it('a wrong predicted exponent a is refuted', () => {
    const wrong = {
      ...byId('rsl.kl-rates'),
      check: (i: KlInstance) => checkKlRates(i, { predictedA: i.predictedA + 0.5 }),
      runs: 4,
    };
    const r = runClaim(wrong, { seed: 1 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/tail exponent: predicted a/);
  });

  it('an envelope evaluated with a wrong exponent (a − ½, same constant) is refuted', () => {
    const wrong = {
      ...byId('rsl.kl-rates'),
      check: (i: KlInstance) => checkKlRates(i, { envelopeExponent: (a) => a - 0.5 }),
      runs: 4,
    };
    const r = runClaim(wrong, { seed: 1 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/largest excess/);
  });
});
