import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancedAtCriticalClaim, rankNeverRisesClaim, wangJacotClaims } from '../../properties/wang-jacot.js';
import { jumpsDownClaim } from '../../properties/wang-jacot-jumps.js';
import {
  criticalInstanceArb,
  deadInstanceArb,
  JUMP_SETTING,
  jumpInstanceArb,
  rankInstanceArb,
  schattenInstanceArb,
} from '../../src/arbitraries/wang-jacot.js';
import { runClaim } from '../../src/claims/runner.js';
import { CompletionCost } from '../../src/completion/cost.js';
import { balancedNetwork, plantDeadPerturbation } from '../../src/completion/instances.js';
import { randomObservedSet } from '../../src/completion/mask.js';
import { train } from '../../src/completion/train.js';
import { certifyMinimum } from '../../src/landscape/regularized-minimum.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { selectColumns, svd } from '../../src/linalg/svd.js';
import { balancedFromFrames } from '../../src/model/balanced-init.js';
import { matrixWithSpectrum } from '../../src/random/constructions.js';
import { Rng } from '../../src/random/rng.js';
import {
  checkBalancedAtCritical,
  checkDeadDirections,
  checkJumpsDown,
  checkRankNeverRises,
  checkScalarSeparatrix,
  checkSchattenCost,
  completionCriticalLambda,
  criticalLambda,
  separatrix,
} from '../../src/wang-jacot/index.js';

describe('Wang–Jacot checks have teeth', () => {
  it('a gradient that leaks into a dead direction fails wj.dead-direction-invariant', () => {
    const [i] = fc.sample(
      deadInstanceArb().filter((x) => x.dead[0] > 0 && x.widths[1] > x.dead[0]),
      { seed: 2, numRuns: 1 },
    );
    expect(checkDeadDirections(i).status).toBe('pass');
    const deadRow = i.widths[1] - 1; // the last hidden coordinate of layer 1 is dead (dead counts are ≥ 1 here)
    const leaky = checkDeadDirections(i, {
      gradientHook: (_k, _state, g) => {
        g[0].data[deadRow * g[0].cols] += 1e-12; // a tiny gradient entry in a dead row of W_1
      },
    });
    expect(leaky.status).toBe('fail');
    expect(leaky.measured).toBeGreaterThan(0);
    expect(leaky.detail).toMatch(/largest at .*, step \d+/);
  });

  it('a wrong decay-rate prediction, (1 − ηλ)^k (the canonical-convention slip), fails wj.rank-never-rises', () => {
    const r = runClaim(rankNeverRisesClaim({ claimedFactor: (eta, lambda) => 1 - eta * lambda }), {
      seed: 1,
      runs: 40,
    });
    expect(r.status).toBe('fail');
    expect(r.counterexample!.verdict!.detail).toMatch(/exponent .* vs predicted K·ln ρ/);
    // and the right prediction is not loose: a 2 % slower rate would already fail
    const [i] = fc.sample(
      rankInstanceArb({ variant: 'balanced' }).filter((x) => x.perturbed !== undefined && x.optimizer === 'sgd'),
      { seed: 3, numRuns: 1 },
    );
    expect(checkRankNeverRises(i).status).toBe('pass');
    expect(checkRankNeverRises(i, { claimedFactor: (_e, _l, rho) => 1 - 0.98 * (1 - rho) }).status).toBe('fail');
  });

  it("the wrong penalty coefficient (λ instead of WJ's 2λ) fails wj.balanced-at-critical", () => {
    const r = runClaim(
      { ...balancedAtCriticalClaim, check: (i) => checkBalancedAtCritical(i, { claimedMu: (lambda) => lambda }) },
      { seed: 1, runs: 20 },
    );
    expect(r.status).toBe('fail');
    expect(r.counterexample!.verdict!.detail).toMatch(/μ = .*C_ℓ = W_\{ℓ\+1\}ᵀΓ_\{ℓ\+1\} − Γ_ℓW_ℓᵀ/);
    const [i] = fc.sample(criticalInstanceArb(), { seed: 4, numRuns: 1 });
    expect(checkBalancedAtCritical(i).status).toBe('pass');
  });

  it('a Schatten value claimed for the wrong spectrum fails wj.schatten-cost', () => {
    const [i] = fc.sample(schattenInstanceArb(), { seed: 5, numRuns: 1 });
    expect(checkSchattenCost(i).status).toBe('pass');
    expect(checkSchattenCost({ ...i, spectrum: i.spectrum.map((s) => s * 1.001) }).status).toBe('fail');
  });

  it('a separatrix claimed at the wrong place, (2λ/y)^{L/(L−1)}, fails wj.scalar-separatrix', () => {
    const i = { depth: 4, y: 1, fraction: 0.2, lambda: 0.2 * criticalLambda(1, 4) };
    expect(checkScalarSeparatrix(i).status).toBe('pass');
    const wrong = (y: number, L: number, lambda: number) => ({
      ...separatrix(y, L, lambda),
      low: Math.pow((2 * lambda) / y, L / (L - 1)),
    });
    expect(checkScalarSeparatrix(i, { separatrix: wrong }).status).toBe('fail');
  });

  it('a push back out of B_r after a jump fails the one-way part of wj.jumps-down', () => {
    const [i] = fc.sample(jumpInstanceArb({ trials: 4 }), { seed: 1, numRuns: 1 });
    // From step 30 000 on, a constant gradient entry in W_2 drives a new direction up (every trial has jumped by then at seed 1).
    const v = checkJumpsDown(i, { gradientHook: (step, _s, g) => void (step > 30000 && (g[1].data[0] -= 0.01)) });
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/one-way property violated/);
  });

  it('a saddle (mode 3 at its separatrix s_lo) is not certified as a minimum, and wj.jumps-down says so', () => {
    const [i] = fc.sample(jumpInstanceArb({ trials: 1, steps: 10 }), { seed: 1, numRuns: 1 });
    const data = { X: Matrix.identity(i.d), Y: i.target },
      kappa = 2 / (i.d * i.d);
    expect(certifyMinimum(i.start, data, kappa, i.lambda).certified).toBe(true);
    const scalar = (i.lambda * i.d * i.d) / 2;
    const saddle = balancedFromFrames(
      i.frames.map((f) => selectColumns(f, [0, 1, 2])),
      [...i.startSpectrum.slice(0, 2), separatrix(i.targetSpectrum[2], i.depth, scalar).low!],
    );
    const c = certifyMinimum(saddle, data, kappa, i.lambda);
    expect(c.certified).toBe(false);
    expect(c.lambdaMin).toBeLessThan(-c.tolerance);
    const v = checkJumpsDown(i, { start: () => saddle });
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/not a certified rank-overestimating minimum/);
    expect(i.lambda).toBeCloseTo(
      JUMP_SETTING.lambdaFraction * completionCriticalLambda(i.targetSpectrum[2], i.depth, i.d),
      15,
    );
  });
});

describe('THEORY §4 anchors (seen values)', () => {
  it('L = 3, y = 1, λ = 0.05: s_lo = 1.003e-3, s_hi = 0.896283', () => {
    const { low, high } = separatrix(1, 3, 0.05);
    expect(low!).toBeCloseTo(1.003e-3, 6);
    expect(high).toBeCloseTo(0.896283, 6);
    expect(checkScalarSeparatrix({ depth: 3, y: 1, fraction: 0.05 / 0.236, lambda: 0.05 }).status).toBe('pass');
  });

  it('d = 8, L = 3, λ = 0.01, η = 0.02: a dead perturbation decays by e^{−8} over 20 000 SGD steps', () => {
    const rng = new Rng(38);
    const widths = [8, 8, 8, 8];
    const cost = new CompletionCost(
      matrixWithSpectrum(rng, 8, 8, [3, 2, 1]),
      randomObservedSet(rng, 8, 8, { fraction: 0.5 }),
    );
    const net = balancedNetwork(rng, widths, [2, 1]);
    plantDeadPerturbation(rng, net, 3.8e-8);
    const s0 = svd(net.weights[1]).s[2];
    const r = train({
      cost,
      weights: net.weights,
      optimizer: { kind: 'sgd' },
      seed: 1,
      phases: [{ steps: 20000, learningRate: 0.02, lambda: 0.01 }],
      recorder: false,
    });
    const ratio = svd(r.weights[1]).s[2] / s0;
    expect(Math.log(ratio)).toBeCloseTo(20000 * Math.log(1 - 2 * 0.02 * 0.01), 2);
    expect(Math.log(ratio) / -8).toBeCloseTo(1, 2);
  });
});

describe('wj.dead-direction-invariant on a layer of tiny norm', () => {
  // Soak seed 63: W₂ = 8e-4 made Π‖W_j‖ (all factors) understate W₂'s own gradient, whose chain excludes W₂;
  // the round-off leak 1.1e-16 then beat a bound of 2.4e-17. The bound now takes every factor but the layer's own.
  it('seed 63 is no counterexample', () => {
    const claim = wangJacotClaims.find((c) => c.id === 'wj.dead-direction-invariant')!;
    expect(runClaim(claim, { seed: 63 }).status).toBe('pass');
  });
});

describe('wj.jumps-down decides on every seed', () => {
  // The 200-seed soak at λ = 0.9·λ_c left these seeds undecided (no jump in 16 trials): the mode-3 barrier was too
  // high for their targets' sampling noise. At JUMP_SETTING's λ each of them jumps in most trials.
  it.each([88, 115, 157, 170, 192])('soak seed %i passes', (seed) => {
    const r = runClaim(jumpsDownClaim(), { seed });
    expect(r.status).toBe('pass');
    expect(r.inconclusiveRuns).toBe(0);
  });
});
