import { describe, expect, it } from 'vitest';
import { fitLogLog, longestPowerWindow } from '../../src/check/loglog.js';
import { noiseLevel } from '../../src/check/noise.js';
import { displaced, pointNorm, stepUnit } from '../../src/check/point.js';
import { DomainError } from '../../src/errors.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { Rng } from '../../src/random/rng.js';

const grid = Array.from({ length: 33 }, (_, i) => 10 ** (-8 + i / 4));

describe('fitLogLog', () => {
  it('recovers an exact power law', () => {
    const y = grid.map((t) => 3 * t ** 2.5);
    const fit = fitLogLog(grid, y);
    expect(fit.slope).toBeCloseTo(2.5, 12);
    expect(fit.intercept).toBeCloseTo(Math.log10(3), 10);
    expect(fit.maxResidual).toBeLessThan(1e-10);
  });
});

describe('longestPowerWindow', () => {
  // A Taylor-like curve: a floor at 1e-14, a t² regime, then t⁴ beyond t = 1e-2.
  const y = grid.map((t) => 1e-14 + t * t + 1e4 * t ** 4);
  const usable = y.map((v) => v > 1e-13);

  it('finds the slope-2 window between the floor and the t⁴ regime', () => {
    const w = longestPowerWindow(grid, y, usable, { target: 2, slack: 0.15, maxResidual: 0.1 });
    expect(w).toBeDefined();
    expect(w!.slope).toBeCloseTo(2, 1);
    expect(grid[w!.from]).toBeGreaterThanOrEqual(3e-7);
    expect(grid[w!.to]).toBeLessThanOrEqual(1e-2);
    expect(w!.span).toBeGreaterThan(3.5);
  });

  it('finds no slope-1 window in it, and rejects windows that change sign when signs are required', () => {
    expect(longestPowerWindow(grid, y, usable, { target: 1, slack: 0.15, maxResidual: 0.1 })).toBeUndefined();
    const lin = grid.map((t) => 2 * t);
    const signs = grid.map((_, i) => (i % 9 === 0 ? -1 : 1));
    const all = grid.map(() => true);
    const w = longestPowerWindow(grid, lin, all, { target: 1, slack: 0.15, maxResidual: 0.1, signs });
    expect(w!.to - w!.from + 1).toBeLessThanOrEqual(8);
    expect(longestPowerWindow(grid, lin, all, { target: 1, slack: 0.15, maxResidual: 0.1 })!.span).toBeCloseTo(8, 12);
  });
});

describe('noiseLevel', () => {
  const x = [
      Matrix.from([
        [1, 2],
        [3, 4],
      ]),
    ],
    xi = [
      Matrix.from([
        [0.5, -1],
        [2, 0.3],
      ]),
    ];
  const smooth = (p: readonly Matrix[]): number => p[0].data.reduce((s, v) => s + Math.sin(v) * v * v, 0);

  it('measures injected noise to within a factor 2.5 and finds round-off level on a smooth function', () => {
    const rng = new Rng(17);
    const noisy = (p: readonly Matrix[]): number => smooth(p) + 1e-8 * rng.gaussian();
    const h = 1e-6 * stepUnit(x, xi);
    const ratios: number[] = [];
    for (let r = 0; r < 50; r++) ratios.push(noiseLevel(noisy, x, xi, h, noisy(x)) / 1e-8);
    ratios.sort((a, b) => a - b);
    expect(ratios[25], 'median, seed 17').toBeGreaterThan(0.6);
    expect(ratios[25], 'median, seed 17').toBeLessThan(1.5);
    expect(ratios[0]).toBeGreaterThan(0.2);
    expect(ratios[49]).toBeLessThan(2.5);
    expect(noiseLevel(smooth, x, xi, h, smooth(x))).toBeLessThan(100 * Number.EPSILON * Math.abs(smooth(x)));
  });
});

describe('point helpers', () => {
  it('displace without touching x, and measure the step unit', () => {
    const x = [Matrix.from([[3, 4]])],
      xi = [Matrix.from([[1, 0]])];
    const y = displaced(x, 2, xi);
    expect(y[0].toArray()).toEqual([[5, 4]]);
    expect(x[0].toArray()).toEqual([[3, 4]]);
    expect(pointNorm([Matrix.from([[3]]), Matrix.from([[4]])])).toBe(5);
    expect(stepUnit(x, xi)).toBe(5);
    expect(() => stepUnit(x, [Matrix.zeros(1, 2)])).toThrow(DomainError);
  });
});
