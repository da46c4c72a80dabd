import { describe, expect, it } from 'vitest';
import {
  callbackObserver,
  DlnGradientField,
  DlnObserver,
  integrateDormandPrince,
  integrateRk4,
  runGradientDescent,
} from '../../src/dynamics/index.js';
import { cloneWeights } from '../../src/model/network.js';
import { Rng } from '../../src/random/rng.js';
import { EPS, gaussianData, gaussianWeights, weightScale } from './helpers.js';

describe('observers and trajectory records', () => {
  it('record every k steps (and the last), JSON round-trips, and show flow.loss-monotone and constant max‖C_j‖ under RK4', () => {
    const rng = new Rng(81);
    const widths = [3, 4, 4, 2];
    const data = gaussianData(rng, 3, 2, 10);
    const w = gaussianWeights(rng, widths, 1);
    const scale = weightScale(w);
    const observer = new DlnObserver(widths, data, { layerSingularValues: true });
    integrateRk4(new DlnGradientField(widths, data), w, { t1: 2, steps: 53, observer, every: 5 });
    const r = observer.record;
    expect(r.step).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 53]);
    expect(r.time[r.time.length - 1]).toBe(2);
    for (const series of [r.time, r.loss, r.gradientNorm, r.endToEndGradientNorm, r.maxDefect, r.productSingularValues])
      expect(series.length).toBe(12);
    expect(r.productSingularValues[0].length).toBe(2);
    expect(r.layerSingularValues?.[0].map((s) => s.length)).toEqual([3, 4, 2]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    // dL/dt = −‖∇L‖² ≤ 0; RK4 at h ≈ 0.04 tracks it, so the observed losses decrease (slack: round-off ε·L).
    for (let i = 1; i < r.loss.length; i++) expect(r.loss[i]).toBeLessThanOrEqual(r.loss[i - 1] + 8 * EPS * r.loss[0]);
    // C_j conserved up to the RK4 drift (order 4: ~1e-5 at this step, see integrators.test.ts).
    for (const d of r.maxDefect) expect(Math.abs(d - r.maxDefect[0])).toBeLessThanOrEqual(1e-3 * scale);
  });

  it('GD and Dormand–Prince drive observers too; callbackObserver passes step, time and state', () => {
    const rng = new Rng(82);
    const widths = [2, 3, 2];
    const data = gaussianData(rng, 2, 2, 6);
    const w0 = gaussianWeights(rng, widths, 1);
    const seen: Array<[number, number]> = [];
    runGradientDescent(new DlnGradientField(widths, data), cloneWeights(w0), {
      learningRate: 0.1,
      steps: 10,
      every: 4,
      observer: callbackObserver((s, t, state) => {
        expect(state.length).toBe(2);
        seen.push([s, t]);
      }),
    });
    expect(seen.map(([s]) => s)).toEqual([0, 4, 8, 10]);
    expect(seen[3][1]).toBeCloseTo(1, 14);
    const observer = new DlnObserver(widths, data);
    const stats = integrateDormandPrince(new DlnGradientField(widths, data), cloneWeights(w0), {
      t1: 1,
      rtol: 1e-8,
      atol: 1e-8,
      observer,
      every: 3,
    });
    expect(observer.record.time[observer.record.time.length - 1]).toBe(1);
    expect(observer.record.step[observer.record.step.length - 1]).toBe(stats.accepted);
  });
});
