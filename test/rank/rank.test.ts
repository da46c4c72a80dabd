import { describe, expect, it } from 'vitest';
import { CompletionCost } from '../../src/completion/cost.js';
import { balancedNetwork } from '../../src/completion/instances.js';
import { fullObservedSet } from '../../src/completion/mask.js';
import { train } from '../../src/completion/train.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { matrixWithSpectrum } from '../../src/random/constructions.js';
import { randomOrthonormal } from '../../src/random/orthonormal.js';
import { Rng } from '../../src/random/rng.js';
import { containment, deadLeak, deadSubspace, principalAngles } from '../../src/rank/dead-directions.js';
import { describeRank, largestGap, matrixRank, readRank, tailSingularValue } from '../../src/rank/numerical-rank.js';
import { RankRecorder } from '../../src/rank/recorder.js';
import { BR_SURROGATE_LABEL, balancednessNorms, brSurrogate } from '../../src/rank/spectra.js';

describe('numerical rank with its threshold and gap', () => {
  it('reports the threshold and the gap it fell in', () => {
    const r = readRank([3, 1, 1e-3, 1e-12], 1e-6);
    expect(r).toMatchObject({ rank: 3, tolerance: 1e-6, reference: 3, above: 1e-3, below: 1e-12, clear: true });
    expect(r.threshold).toBeCloseTo(3e-6, 20);
    expect(r.gapDecades).toBeCloseTo(9, 12);
    expect(describeRank(r)).toMatch(
      /rank 3 \(τ = 1\.0e-6 × 3\.0e\+0 = 3\.0e-6; gap σ_3 = 1\.0e-3 \| σ_4 = 1\.0e-12, 9\.0 decades\)/,
    );
  });

  it('says "no gap: rank is full" and "below the threshold" instead of printing an infinite gap', () => {
    expect(describeRank(readRank([3, 1], 1e-6))).toMatch(/; no gap: rank is full \(σ_2 = 1\.0e\+0\)\)$/);
    expect(describeRank(readRank([1e-17, 1e-18], 1e-6, { reference: 3 }))).toMatch(
      /rank 0 \(.*; σ_1 = 1\.0e-17 is below the threshold\)$/,
    );
    expect(describeRank(readRank([0, 0], 1e-6))).toMatch(/the matrix is exactly 0\)$/);
    for (const s of [
      [3, 1],
      [0, 0],
      [1e-17, 1e-18],
    ])
      expect(describeRank(readRank(s, 1e-6, { reference: 3 }))).not.toMatch(/Infinity|∞/);
  });

  it('flags a threshold that cuts through a continuum', () => {
    const r = readRank([1, 0.5, 2e-6, 5e-7], 1e-6);
    expect(r.rank).toBe(3);
    expect(r.clear).toBe(false);
    expect(describeRank(r)).toMatch(/NOT a clear gap/);
  });

  it('an absolute reference keeps a tiny matrix from being full rank by its own round-off', () => {
    expect(readRank([1e-17, 1e-18], 1e-6).rank).toBe(2);
    expect(readRank([1e-17, 1e-18], 1e-6, { reference: 3 }).rank).toBe(0);
    expect(readRank([0, 0], 1e-6).rank).toBe(0);
    expect(readRank([], 1e-6).rank).toBe(0);
  });

  it('validates its inputs', () => {
    expect(() => readRank([1], -1)).toThrow(/rankTolerance/);
    expect(() => readRank([1, NaN], 1e-6)).toThrow(/singularValues/);
    expect(() => tailSingularValue([1], -1)).toThrow(/r/);
  });

  it('largestGap reads the spectrum without a threshold; matrixRank reads a matrix', () => {
    const g = largestGap([5, 4, 1e-9, 1e-10]);
    expect(g.rank).toBe(2);
    expect(g.ratio).toBeCloseTo(4e9, -1);
    const a = matrixWithSpectrum(new Rng(1), 4, 5, [2, 1, 1e-9]);
    const r = matrixRank(a, 1e-6);
    expect(r.rank).toBe(2);
    expect(r.singularValues[2]).toBeCloseTo(1e-9, 15);
    expect(tailSingularValue(r.singularValues, 2)).toBe(r.singularValues[2]);
    expect(tailSingularValue(r.singularValues, 9)).toBe(0);
  });
});

describe('dead hidden directions', () => {
  it('finds null(W_ℓᵀ) ∩ null(W_{ℓ+1}) and nothing else', () => {
    // Hidden width 3: direction e_3 is dead; e_2 is only half dead (W_1ᵀe_2 = 0 but W_2e_2 ≠ 0).
    const w1 = Matrix.from([
      [1, 2],
      [0, 0],
      [0, 0],
    ]);
    const w2 = Matrix.from([[1, 1, 0]]);
    const d = deadSubspace([w1, w2], 1, 1e-10);
    expect(d.dimension).toBe(1);
    expect(Math.abs(d.basis.get(2, 0))).toBeCloseTo(1, 14);
    expect(deadLeak([w1, w2], 1, d.basis)).toBe(0);
    expect(d.liveness.length).toBe(3);
    expect(() => deadSubspace([w1, w2], 2, 1e-10)).toThrow(/hidden layer/);
  });

  it('of a balanced network of rank r are the complement of the live frame', () => {
    const rng = new Rng(3);
    const net = balancedNetwork(rng, [4, 5, 5, 4], [2, 1]);
    for (const layer of [1, 2]) {
      const d = deadSubspace(net.weights, layer, 1e-10);
      expect(d.dimension).toBe(3);
      expect(containment(net.complements[layer], d.basis)).toBeLessThan(1e-12);
      expect(d.reading.clear).toBe(true);
    }
  });

  it('principal angles and containment are right on known subspaces', () => {
    const e1 = Matrix.from([[1], [0], [0]]);
    const tilted = Matrix.from([[Math.cos(0.3)], [Math.sin(0.3)], [0]]);
    expect(principalAngles(e1, tilted)[0]).toBeCloseTo(0.3, 14);
    expect(containment(e1, tilted)).toBeCloseTo(Math.sin(0.3), 14);
    const plane = Matrix.from([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(containment(tilted, plane)).toBeLessThan(1e-15);
    expect(containment(plane, tilted)).toBeCloseTo(1, 14);
    const q = randomOrthonormal(new Rng(2), 5, 2);
    expect(
      Math.max(
        ...principalAngles(
          q,
          multiply(
            q,
            Matrix.from([
              [0, 1],
              [1, 0],
            ]),
          ),
        ),
      ),
    ).toBeLessThan(1e-7);
  });
});

describe('balancedness and the B_r surrogate', () => {
  it('is labelled a surrogate and checks each of its three conditions', () => {
    const rng = new Rng(4);
    const net = balancedNetwork(rng, [3, 3, 3], [2, 1]);
    const inside = brSurrogate(net.weights, 2, { normSquared: 10, epsilon: 1e-8, delta: 1e-8 });
    expect(inside).toMatchObject({ surrogate: true, member: true, r: 2 });
    expect(inside.label).toBe(BR_SURROGATE_LABEL);
    expect(BR_SURROGATE_LABEL).toMatch(/surrogate.*NOT the paper's definition/);
    expect(brSurrogate(net.weights, 1, { normSquared: 10, epsilon: 1e-8, delta: 1e-8 }).member).toBe(false); // s_2 = 1^{1/2}
    expect(brSurrogate(net.weights, 2, { normSquared: 1, epsilon: 1e-8, delta: 1e-8 }).member).toBe(false); // ‖θ‖² = 2·(2 + 1) = 6
    const unbalanced = [net.weights[0].clone(), net.weights[1].clone()];
    for (let i = 0; i < unbalanced[0].data.length; i++) unbalanced[0].data[i] *= 2;
    expect(brSurrogate(unbalanced, 2, { normSquared: 100, epsilon: 1e-8, delta: 1e-3 }).member).toBe(false);
    expect(balancednessNorms(unbalanced).operator[0]).toBeGreaterThan(1);
    expect(() => brSurrogate(net.weights, 1, { normSquared: -1, epsilon: 1, delta: 1 })).toThrow(/br.normSquared/);
  });
});

describe('the trajectory recorder', () => {
  it('records series per observation and a rank event with its threshold and gap when a mode is absorbed', () => {
    const rng = new Rng(5);
    const widths = [3, 3, 3, 3];
    // Target rank 1, start rank 2: the second mode has no data support and decays like (1 − 2ηλ)^k.
    const cost = new CompletionCost(matrixWithSpectrum(rng, 3, 3, [1]), fullObservedSet(3, 3));
    const net = balancedNetwork(rng, widths, [1, 0.01]);
    const r = train({
      cost,
      weights: net.weights,
      optimizer: { kind: 'sgd' },
      batch: 'full',
      seed: 1,
      phases: [{ steps: 3000, learningRate: 0.5, lambda: 0.02 }],
      every: 100,
      recorder: { rankTolerance: 1e-6 },
    });
    const t = r.trajectory!;
    expect(t.step.length).toBe(31);
    expect(t.productRank[0]).toBe(2);
    expect(t.productRank[30]).toBe(1);
    const event = t.events.find((e) => e.matrix === 'product')!;
    expect(event).toMatchObject({ from: 2, to: 1, direction: 'down' });
    expect(event.threshold).toBeGreaterThan(0);
    expect(event.below).toBeLessThan(event.threshold);
    expect(event.above).toBeGreaterThan(event.threshold);
    expect(t.deadDimensions[0]).toEqual([1, 1]);
    // the initially dead directions are still dead at the end (principal angle 0 up to round-off)
    expect(Math.max(...t.deadDrift[30])).toBeLessThan(1e-10);
    expect(t.maxBalancedness[0]).toBeLessThan(1e-14);
    expect(JSON.parse(JSON.stringify(t)).productSingularValues.length).toBe(31);
  });

  it('rejects a bad tolerance by name', () => {
    expect(() => new RankRecorder([2, 2], { rankTolerance: 0 })).toThrow(/rankTolerance/);
  });
});
