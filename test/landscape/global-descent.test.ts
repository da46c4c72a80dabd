import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { critNoBadLocalMin, critPairRule, critStructure } from '../../properties/landscape.js';
import { nrLocalOpenness, nrTwoLayerGlobal } from '../../properties/nouiehed-razaviyayn.js';
import type { Claim } from '../../src/claims/claim.js';
import { runClaim } from '../../src/claims/runner.js';
import { claimSeed } from '../../src/claims/seed.js';
import { randomCriticalPoint } from '../../src/landscape/construct.js';
import { criticality } from '../../src/landscape/criticality.js';
import { landscapeData } from '../../src/landscape/data.js';
import { buildFrame, globalValue } from '../../src/landscape/frame.js';
import { globalDescentVerdict } from '../../src/landscape/global-descent.js';
import { twoLayerClosedForm } from '../../src/landscape/nr-models.js';
import { fiberDistance } from '../../src/landscape/openness.js';
import { trustRegionStep } from '../../src/landscape/trust-region.js';
import { frobeniusDistance } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { svd } from '../../src/linalg/svd.js';
import type { LossScale } from '../../src/model/loss.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

/** The instance `dlnv verify --claims <id> --seed <seed>` draws as run number `index` (before any shrinking). */
function instanceAt<I>(claim: Claim<I>, seed: number, index: number): I {
  let drawn: I | undefined;
  const property = fc.property(claim.instances, (instance) => {
    drawn = instance;
    return false;
  });
  fc.check(property, { seed: claimSeed(seed, claim.id), path: String(index), endOnFailure: true });
  return drawn!;
}

type DescentInstance = { widths: number[]; scale: LossScale; data: { X: Matrix; Y: Matrix }; start: Matrix[] };

describe('issue 13: the false alarms of the landscape claims, replayed', () => {
  it('nr.two-layer-global seed 3, run 10 ([3,1,3]): L-BFGS drifted to W_1 → ∞, stopped at 6.41 vs 3.21', () => {
    const inst = instanceAt(nrTwoLayerGlobal, 3, 10) as unknown as DescentInstance;
    expect(inst.widths).toEqual([3, 1, 3]);
    const target = twoLayerClosedForm(inst.data, inst.widths, inst.scale).value;
    const v = globalDescentVerdict(inst.start, inst.data, target, { scale: inst.scale });
    expect(v.status, v.detail).toBe('pass');
    expect(v.detail).toMatch(/trust-region steps/);
  });

  it('crit.no-bad-local-min seed 4, run 88: 5000 L-BFGS steps ended at ‖∇L‖ = 3.9e3', () => {
    const inst = instanceAt(critNoBadLocalMin, 4, 88) as unknown as DescentInstance;
    const target = globalValue(buildFrame(inst.data, inst.scale), inst.widths);
    const v = globalDescentVerdict(inst.start, inst.data, target, { scale: inst.scale });
    expect(v.status, v.detail).toBe('pass');
  });

  it('nr.local-openness seed 4, run 105 (X = 0, Y = 0): the exact fiber distance replaces the random search', () => {
    const inst = instanceAt(nrLocalOpenness, 4, 105) as unknown as { X: Matrix; Y: Matrix };
    expect(inst.X.data.every((x) => x === 0) && inst.Y.data.every((y) => y === 0)).toBe(true);
    const v = nrLocalOpenness.check(inst as never);
    expect(v.status, v.detail).toBe('pass');
  });

  it('nr.local-openness seed 148, run 53 (X = 0, rank Y = 1, k = n): an explicit fiber point replaces the search', () => {
    const inst = instanceAt(nrLocalOpenness, 148, 53) as unknown as { X: Matrix; Y: Matrix };
    expect(inst.X.data.every((x) => x === 0)).toBe(true);
    const v = nrLocalOpenness.check(inst as never);
    expect(v.status, v.detail).toBe('pass');
    expect(v.measured).toBeLessThan(1e-3);
  });

  it('crit.structure seed 11, run 79 ([1,1,1,1]): Newton creeps to the origin (‖∇L‖ ~ 1e-122); snapped, it is checked', () => {
    const inst = instanceAt(critStructure, 11, 79);
    expect(inst.widths).toEqual([1, 1, 1, 1]);
    const v = critStructure.check(inst);
    expect(v.status, v.detail).toBe('pass');
  });

  it('crit.nonstrict.pair-rule seed 11: the constructor accepts its exact critical point (τ_c)', () => {
    const r = runClaim(critPairRule, { seed: 11 });
    expect(r.status).toBe('pass');
  });

  it('the three claims hold on their issue seeds, with no run inconclusive', () => {
    for (const [claim, seed] of [
      [nrTwoLayerGlobal, 3],
      [critNoBadLocalMin, 4],
      [nrLocalOpenness, 4],
    ] as const) {
      const r = runClaim(claim as Claim<unknown>, { seed });
      expect(r.status, `${claim.id} seed ${seed}: ${r.replay}`).toBe('pass');
      expect(r.inconclusiveRuns).toBe(0);
    }
  });
});

describe('globalDescentVerdict keeps its teeth', () => {
  const rng = new Rng(13);
  const data = landscapeData(rng, { d0: 3, dN: 3, inputs: 'conditioned' });
  const widths = [3, 2, 3];
  const target = globalValue(buildFrame(data, 'half'), widths);
  const start = [gaussianMatrix(rng, 2, 3, 0.6), gaussianMatrix(rng, 3, 2, 0.6)];

  it('a planted wrong global value below the true one makes the true minimum a certified bad local minimum', () => {
    const v = globalDescentVerdict(start, data, target - 0.05, { scale: 'half' });
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/local minimum ABOVE/);
    expect(v.errorModel).toMatch(/probe/);
  });

  it('a planted global value above the true one is refuted by descent going below it', () => {
    const v = globalDescentVerdict(start, data, target + 0.05, { scale: 'half' });
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/BELOW/);
  });

  it('descent that did not reach a critical point is inconclusive, never a counterexample', () => {
    const v = globalDescentVerdict(start, data, target, { scale: 'half', maxIterations: 1 });
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/did not reach a critical point/);
  });

  it('a strict-saddle start is escaped (theorem) or a counterexample ("descent from ANY start")', () => {
    const saddle = randomCriticalPoint(rng, buildFrame(data, 'half'), data, widths, 'gap');
    const escaped = globalDescentVerdict(saddle.weights, data, target, { scale: 'half' });
    expect(escaped.status, escaped.detail).toBe('pass');
    expect(escaped.detail).toMatch(/escaped/);
    const stuck = globalDescentVerdict(saddle.weights, data, target, { scale: 'half', escape: false });
    expect(stuck.status).toBe('fail');
    expect(stuck.detail).toMatch(/stops at a critical point/);
  });
});

describe('criticality (τ_c) and the trust-region subproblem', () => {
  it('a constructed critical point is critical; moved by 1e-9 it is not', () => {
    const rng = new Rng(5);
    const data = landscapeData(rng, { d0: 3, dN: 2, inputs: 'deficient' });
    const p = randomCriticalPoint(rng, buildFrame(data, 'sum'), data, [3, 2, 2, 2], 'top');
    expect(criticality(p.weights, data, 'sum').critical).toBe(true);
    const moved = p.weights.map((w) => {
      const m = w.clone();
      for (let i = 0; i < m.data.length; i++) m.data[i] += 1e-9 * rng.gaussian();
      return m;
    });
    const c = criticality(moved, data, 'sum');
    expect(c.critical, `‖∇L‖ = ${c.gradientNorm} vs τ_c = ${c.tolerance}`).toBe(false);
  });

  it('trustRegionStep minimizes the model on the ball: no random feasible point does better (hard case too)', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 40; trial++) {
      const n = rng.integer(2, 6);
      const values = Float64Array.from(Array.from({ length: n }, () => 2 * rng.gaussian()))
        .sort()
        .reverse();
      const a = Float64Array.from(Array.from({ length: n }, () => rng.gaussian()));
      if (trial % 4 === 0) a[n - 1] = 0; // hard case when λ_min < 0
      const radius = Math.exp(rng.gaussian());
      const model = (b: Float64Array) => b.reduce((s, x, i) => s + a[i] * x + 0.5 * values[i] * x * x, 0);
      const b = trustRegionStep(values, a, radius);
      expect(Math.hypot(...b)).toBeLessThanOrEqual(radius * (1 + 1e-9));
      for (let k = 0; k < 200; k++) {
        const r = Float64Array.from(Array.from({ length: n }, () => rng.gaussian()));
        const scale = (radius * Math.pow(rng.uniform(), 1 / n)) / Math.hypot(...r);
        expect(model(b)).toBeLessThanOrEqual(model(r.map((x) => x * scale)) + 1e-9 * (1 + Math.abs(model(b))));
      }
    }
  });
});

describe('fiber distance at (0, 0) is exact', () => {
  it('equals √(2‖Z‖_*) and is attained; a target of rank > k has an empty fiber', () => {
    const rng = new Rng(3);
    const Z = multiply(gaussianMatrix(rng, 3, 1), gaussianMatrix(rng, 1, 2));
    const d = fiberDistance(new Matrix(3, 1), new Matrix(1, 2), Z, rng);
    const nuclear = svd(Z).s.reduce((s, x) => s + x, 0);
    expect(d.upper).toBeCloseTo(Math.sqrt(2 * nuclear), 12);
    expect(d.lower).toBe(d.upper);
    // Attained by the balanced factorization x = u√σ, y = √σvᵀ (rank 1 here).
    const f = svd(Z);
    const x = new Matrix(
      3,
      1,
      Float64Array.from({ length: 3 }, (_, i) => f.U.data[i * f.U.cols] * Math.sqrt(f.s[0])),
    );
    const y = new Matrix(
      1,
      2,
      Float64Array.from({ length: 2 }, (_, j) => f.V.data[j * f.V.cols] * Math.sqrt(f.s[0])),
    );
    expect(frobeniusDistance(multiply(x, y), Z)).toBeLessThan(1e-14);
    expect(Math.hypot(...x.data, ...y.data)).toBeCloseTo(d.upper, 12);
    const full = gaussianMatrix(rng, 3, 2);
    expect(fiberDistance(new Matrix(3, 1), new Matrix(1, 2), full, rng).lower).toBe(Infinity);
  });
});
