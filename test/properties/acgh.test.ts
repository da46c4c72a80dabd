import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acghClaims } from '../../properties/acgh.js';
import { checkBottleneck, checkDlnPl } from '../../src/acgh/deficiency-margin.js';
import { checkDescent } from '../../src/acgh/descent.js';
import { checkIdentityInit } from '../../src/acgh/identity-init.js';
import { descentInstanceArb } from '../../src/arbitraries/acgh-descent.js';
import { bottleneckInstanceArb, type DlnPlInstance } from '../../src/arbitraries/deficiency-margin.js';
import { type IdentityInitInstance, identityInitInstanceArb } from '../../src/arbitraries/identity-init.js';
import { runClaim } from '../../src/claims/runner.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { itMeetsExpectedOutcomes } from '../helpers/claim-outcomes.js';

const byId = (id: string) => acghClaims.find((c) => c.id === id)!;

describe('ACGH descent claims (THEORY §2): every claim meets its expected outcome at seed 1', () => {
  itMeetsExpectedOutcomes([byId('acgh.descent'), byId('acgh.descent.claim5')], {
    // The achieved decrease is at least the promised one with room to spare (ratio ≥ 1 + margin).
    holds: (r) => expect(r.worst!.margin).toBeGreaterThan(0.5),
    counterexample: (r) => {
      // Found and shrunk to the paper's example: d = 1, N = 2, λ_neg = −0.5, loss stuck at ½λ² = 0.125.
      const x = r.counterexample!.instance as { d: number; N: number; lambda: number[] };
      expect(x).toMatchObject({ d: 1, N: 2, lambda: [-0.5] });
      expect(r.counterexample!.verdict!.measured).toBeCloseTo(0.125, 10);
      expect(r.counterexample!.verdict!.detail).toContain('PSD');
    },
  });
});

describe('ACGH checks have teeth', () => {
  const [instance] = fc.sample(descentInstanceArb(), { seed: 4, numRuns: 1 });

  it('the descent inequality fails when η is far beyond the stability limit', () => {
    expect(checkDescent(instance).status).toBe('pass');
    const v = checkDescent(instance, { eta: 5 });
    expect(v.status).toBe('fail');
    expect(v.measured).toBeLessThan(0); // the loss went up
  });

  it('identity init with a positive-definite symmetric Φ does converge (the counterexample needs λ_neg < 0)', () => {
    const [raw] = fc.sample(identityInitInstanceArb(), { seed: 9, numRuns: 1 });
    const d = raw.d;
    const Phi = new Matrix(d, d);
    for (let a = 0; a < d; a++) Phi.data[a * d + a] = 0.5 + a / 2;
    const X = raw.data.X;
    const Y = new Matrix(d, d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) Y.data[a * d + b] = Phi.data[a * d + a] * X.data[a * d + b];
    const positive: IdentityInitInstance = {
      ...raw,
      lambda: Phi.toArray().map((_, a) => 0.5 + a / 2),
      Phi,
      data: { X, Y },
    };
    const v = checkIdentityInit(positive);
    expect(v.status).toBe('pass');
    expect(v.measured).toBeLessThan(1e-20);
  });
});

describe("'acgh.descent' has teeth (named)", () => {
  const descent = acghClaims.find((c) => c.id === 'acgh.descent')!;

  it('a step that still lowers the loss, but by less than the promised (η/2)σ_min^{2(N−1)/N}‖∇L¹‖², is refuted', () => {
    const [, , instance] = fc.sample(descentInstanceArb(), { seed: 4, numRuns: 3 });
    expect(descent.check(instance).status).toBe('pass');
    // Double η from ACGH's bound until the check objects; on this instance (d = 2, N = 2) the loss still decreases.
    let doublings = 0,
      v = checkDescent(instance);
    while (v.status === 'pass' && doublings < 40) v = checkDescent(instance, { eta: instance.eta * 2 ** ++doublings });
    expect(v.status, v.detail).toBe('fail');
    expect(doublings).toBeGreaterThan(10); // ACGH's step is far inside the region where the inequality holds
    expect(v.measured).toBeGreaterThan(0); // L(t) − L(t+1) > 0 …
    expect(v.measured).toBeLessThan(1); // … but below the promise
    expect(v.detail).toContain('the promised decrease');
  });
});

describe('the deficiency-margin claims (acgh.dln-pl, formerly rsl.dln-pl)', () => {
  it("'acgh.dln-pl' holds on seed 1 and its FALSE neighbour 'acgh.dln-pl.bottleneck' is found and shrunk", () => {
    const pl = runClaim(byId('acgh.dln-pl'), { seed: 1 });
    expect(pl.status, pl.worst?.detail).toBe('pass');
    expect(pl.inconclusiveRuns).toBe(0);
    const bottleneck = runClaim(byId('acgh.dln-pl.bottleneck'), { seed: 1 });
    expect(bottleneck.status).toBe('pass');
    // Shrunk to the smallest bottleneck: one hidden unit for a rank-2 target.
    expect(bottleneck.counterexample!.instance).toMatchObject({ d: 2, width: 1 });
  });

  it('the FALSE claim is not vacuous: bottleneck-free widths satisfy it', () => {
    const wide = fc
      .sample(bottleneckInstanceArb(), { seed: 5, numRuns: 40 })
      .filter((i) => i.width >= i.d)
      .slice(0, 6);
    expect(wide.length).toBeGreaterThan(3);
    for (const i of wide) expect(checkBottleneck(i).status).toBe('pass');
  });

  it('a wrong PL bound ((N + 1)s_min^{2(N−1)/N}) is refuted', () => {
    const bound = (N: number, s: number) => (N + 1) * s ** ((2 * (N - 1)) / N);
    const wrong = { ...byId('acgh.dln-pl'), check: (i: DlnPlInstance) => checkDlnPl(i, { bound }), runs: 5 };
    expect(runClaim(wrong, { seed: 1 }).observed).toBe('counterexample');
  });

  it('GD’s balancedness drift is real: without it in the tolerance some GD run violates R ≥ N s_min^{2(N−1)/N}', () => {
    const noDrift = { ...byId('acgh.dln-pl'), check: (i: DlnPlInstance) => checkDlnPl(i, { modelDrift: false }) };
    const r = runClaim(noDrift, { seed: 1, runs: 40 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/^GD/);
  });
});
