import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.js';
import { classifyPoint } from '../../src/landscape/classify.js';
import {
  alignedChain,
  constructCriticalPoint,
  kawaguchiChain,
  originPoint,
  randomCriticalPoint,
} from '../../src/landscape/construct.js';
import { landscapeData } from '../../src/landscape/data.js';
import { buildFrame, criticalValue, criticalValueLiteral, globalValue, maxRank } from '../../src/landscape/frame.js';
import { multiply } from '../../src/linalg/products.js';
import { numericalRank } from '../../src/linalg/rank.js';
import { rankConstrainedMinimizer, whiten } from '../../src/linalg/whitening.js';
import { loss } from '../../src/model/loss.js';
import { Rng } from '../../src/random/rng.js';

describe('frame (generalized whitening)', () => {
  it('agrees with linalg whitening and Eckart–Young when XXᵀ is invertible', () => {
    const rng = new Rng(2);
    for (const inputs of ['whitened', 'conditioned'] as const) {
      const data = landscapeData(rng, { d0: 4, dN: 3, inputs, samples: 7 });
      const frame = buildFrame(data);
      const w = whiten(data.X, data.Y);
      expect(frame.invertible).toBe(true);
      expect(Math.abs(frame.offset - w.constant)).toBeLessThan(1e-13);
      for (let k = 0; k <= 3; k++)
        expect(
          Math.abs(globalValue(frame, [4, k === 0 ? 1 : k, 3]) - rankConstrainedMinimizer(w, Math.max(k, 1)).value),
        ).toBeLessThan(1e-12);
      expect(Math.abs(criticalValue(frame, [1, 3]) - criticalValueLiteral(frame, [1, 3]))).toBeLessThan(1e-13);
    }
  });

  it('handles rank-deficient X and rejects bad index sets', () => {
    const rng = new Rng(3);
    const data = landscapeData(rng, { d0: 4, dN: 3, inputs: 'deficient', inputRank: 2 });
    const frame = buildFrame(data, 'sum');
    expect(frame.rank).toBe(2);
    expect(frame.invertible).toBe(false);
    expect(frame.kappa).toBe(2);
    expect(maxRank(frame, [4, 3, 3])).toBe(2);
    expect(() => criticalValue(frame, [3])).toThrow(DomainError);
    expect(() => criticalValue(frame, [1, 1])).toThrow(/twice/);
  });
});

describe('critical-point constructors', () => {
  it('builds critical points with the requested S, residual ranks and layer ranks', () => {
    const rng = new Rng(4);
    const data = landscapeData(rng, { d0: 4, dN: 3, inputs: 'whitened' });
    const frame = buildFrame(data);
    // r = 1; residual ranks e = (0, 1, 2, 0) with a break between layers 2 and 3 (E_3E_2 = 0).
    const p = constructCriticalPoint(
      frame,
      data,
      { widths: [4, 4, 4, 4, 3], S: [2], residual: { ranks: [0, 1, 2, 0], breaks: [2] }, gauge: 3 },
      rng,
    );
    expect(p.gradientNorm).toBeLessThanOrEqual(p.gradientTolerance);
    expect(p.kind).toBe('gap');
    expect(p.layerRanks).toEqual([1, 2, 3, 1]);
    expect(() =>
      constructCriticalPoint(
        frame,
        data,
        { widths: [4, 4, 4, 4, 3], S: [2], residual: { ranks: [0, 2, 2, 0], breaks: [2] } },
        rng,
      ),
    ).toThrow(/break at link 2 leaves/);
    expect(Math.abs(loss(p.weights, data) - p.value)).toBeLessThan(1e-13);
    const W1 = multiply(p.weights[0], frame.T);
    expect(numericalRank(W1, 1e-9).rank).toBe(1);
  });

  it('rejects infeasible residual chains with a DomainError naming the field', () => {
    const rng = new Rng(5);
    const data = landscapeData(rng, { d0: 3, dN: 3, inputs: 'whitened' });
    const frame = buildFrame(data);
    expect(() =>
      constructCriticalPoint(frame, data, { widths: [3, 3, 3, 3], S: [1], residual: { ranks: [1, 1, 1] } }, rng),
    ).toThrow(/spec\.residual: E_\{N:1\} ≠ 0/);
    expect(() =>
      constructCriticalPoint(frame, data, { widths: [3, 3, 3], S: [1], residual: { ranks: [3, 0] } }, rng),
    ).toThrow(/ranks\[0\]/);
    expect(() => constructCriticalPoint(frame, data, { widths: [2, 3, 3], S: [1] }, rng)).toThrow(/widths\[0\]/);
    expect(() => constructCriticalPoint(frame, data, { widths: [3, 1, 3], S: [1, 2] }, rng)).toThrow(/r_max/);
  });

  it('origin, aligned chains and Kawaguchi chains', () => {
    const rng = new Rng(6);
    const data = landscapeData(rng, { d0: 3, dN: 2, inputs: 'conditioned' });
    const frame = buildFrame(data);
    expect(originPoint([3, 2, 2]).map((m) => m.shape)).toEqual(['2×3', '2×2']);
    const a = alignedChain(frame, data, [3, 2, 2, 2], 1, rng, { gauge: 2 });
    expect(a.S).toEqual([1]);
    expect(a.kind).toBe('top');
    const k = kawaguchiChain(frame, data, [3, 3, 3, 3, 2], [1], rng);
    expect(k.layerRanks.slice(1, 3)).toEqual([3, 3]);
    expect(classifyPoint(k.weights, data).class).toBe('strict-saddle');
    expect(() => kawaguchiChain(frame, data, [3, 3, 2, 2], [1], rng)).toThrow(/hidden widths/);
  });

  it('random critical points of every kind are critical (depth 2–5, three input kinds)', () => {
    const rng = new Rng(7);
    let built = 0;
    for (let t = 0; t < 60; t++) {
      const N = 2 + (t % 4);
      const widths = Array.from({ length: N + 1 }, () => rng.integer(2, 4));
      const inputs = (['whitened', 'conditioned', 'deficient'] as const)[t % 3];
      const data = landscapeData(rng, { d0: widths[0] + (inputs === 'deficient' ? 1 : 0), dN: widths[N], inputs });
      widths[0] = data.X.rows;
      const frame = buildFrame(data, (['half', 'sum', 'mean'] as const)[t % 3]);
      const p = randomCriticalPoint(rng, frame, data, widths, (['global', 'top', 'gap'] as const)[t % 3]);
      expect(p.gradientNorm).toBeLessThanOrEqual(p.gradientTolerance);
      expect(Math.abs(loss(p.weights, data, { scale: frame.scale }) - p.value)).toBeLessThan(1e-12 * (1 + p.value));
      built++;
    }
    expect(built).toBe(60);
  });
});
