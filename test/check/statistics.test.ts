import { describe, expect, it } from 'vitest';
import {
  betaQuantile,
  checkProbability,
  clopperPearson,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  wilson,
} from '../../src/check/statistics.js';
import { DomainError } from '../../src/errors.js';
import { Rng } from '../../src/random/rng.js';

/**
 * P(X ≤ k) for X ~ Binomial(n, p) by direct summation (independent of the incomplete beta), from the end where the
 * first term does not underflow: upward from (1−p)^n when p ≤ ½, else 1 − the upper tail downward from p^n.
 */
function binomialCdf(k: number, n: number, p: number): number {
  if (p > 0.5) return 1 - binomialCdf(n - k - 1, n, 1 - p);
  let term = (1 - p) ** n,
    sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return sum;
}

describe('special functions', () => {
  it('logGamma matches factorials and Γ(½) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    let lnFactorial = 0;
    for (let k = 2; k <= 170; k++) lnFactorial += Math.log(k);
    expect(logGamma(171) / lnFactorial).toBeCloseTo(1, 13);
  });

  it('regularizedBeta matches closed forms and the binomial distribution', () => {
    for (const [x, a] of [
      [0.3, 2.5],
      [0.9, 7],
      [0.01, 0.5],
    ]) {
      expect(regularizedBeta(x, a, 1)).toBeCloseTo(x ** a, 13);
      expect(regularizedBeta(x, 1, a)).toBeCloseTo(1 - (1 - x) ** a, 13);
    }
    expect(regularizedBeta(0.5, 37, 37)).toBeCloseTo(0.5, 13);
    // P(X ≤ k) = I_{1−p}(n − k, k + 1).
    for (const [k, n, p] of [
      [3, 10, 0.2],
      [40, 100, 0.45],
      [995, 1000, 0.997],
      [0, 50, 0.01],
    ]) {
      const cdf = binomialCdf(k, n, p);
      expect(Math.abs(regularizedBeta(1 - p, n - k, k + 1) - cdf)).toBeLessThan(1e-12 * Math.max(cdf, 1e-3));
    }
    expect(() => regularizedBeta(1.5, 1, 1)).toThrow(DomainError);
    expect(() => regularizedBeta(0.5, 0, 1)).toThrow(DomainError);
  });

  it('betaQuantile inverts regularizedBeta, including far tails', () => {
    for (const [p, a, b] of [
      [0.025, 3, 8],
      [0.975, 50, 2],
      [1e-12, 2, 30],
      [0.5, 0.5, 0.5],
    ]) {
      const x = betaQuantile(p, a, b);
      expect(regularizedBeta(x, a, b) / p).toBeCloseTo(1, 10);
    }
  });

  it('normalCdf and normalQuantile agree with reference values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-8) / 6.220960574271785e-16).toBeCloseTo(1, 10);
    expect(() => normalQuantile(1)).toThrow(DomainError);
  });
});

describe('confidence intervals', () => {
  it('Clopper–Pearson matches closed forms at k = 0, n and the reference 5/10', () => {
    const zero = clopperPearson(0, 10);
    expect(zero.lower).toBe(0);
    expect(zero.upper).toBeCloseTo(1 - 0.025 ** (1 / 10), 12);
    const all = clopperPearson(20, 20);
    expect(all.lower).toBeCloseTo(0.025 ** (1 / 20), 12);
    expect(all.upper).toBe(1);
    const half = clopperPearson(5, 10);
    expect(half.lower).toBeCloseTo(0.18708602844739, 10);
    expect(half.upper).toBeCloseTo(0.81291397155261, 10);
    expect(half.method).toBe('clopper-pearson');
  });

  it('Wilson matches its reference value at 5/10 and is shorter than Clopper–Pearson', () => {
    const w = wilson(5, 10);
    expect(w.lower).toBeCloseTo(0.2365931, 6);
    expect(w.upper).toBeCloseTo(0.7634069, 6);
    expect(w.method).toBe('wilson');
    for (const [k, n] of [
      [1, 30],
      [17, 40],
      [999, 1000],
    ]) {
      const cp = clopperPearson(k, n),
        wi = wilson(k, n);
      expect(wi.upper - wi.lower).toBeLessThan(cp.upper - cp.lower);
      expect(wi.lower).toBeLessThan(k / n);
      expect(wi.upper).toBeGreaterThan(k / n);
    }
  });

  it('Clopper–Pearson covers the true p at ≥ the nominal rate (seeded simulation)', () => {
    const rng = new Rng(2024);
    const n = 40,
      p = 0.3,
      reps = 2000;
    const cache = new Map<number, { lower: number; upper: number }>();
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      let k = 0;
      for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
      if (!cache.has(k)) cache.set(k, clopperPearson(k, n));
      const ci = cache.get(k) as { lower: number; upper: number };
      if (ci.lower <= p && p <= ci.upper) covered++;
    }
    expect(covered / reps, 'seed 2024').toBeGreaterThanOrEqual(0.94);
  });

  it('rejects impossible counts', () => {
    expect(() => clopperPearson(11, 10)).toThrow(DomainError);
    expect(() => clopperPearson(1.5, 10)).toThrow(/successes/);
    expect(() => wilson(0, 0)).toThrow(/trials/);
    expect(() => wilson(1, 2, 1)).toThrow(/confidence/);
  });
});

describe('checkProbability', () => {
  it('passes a supported claim, fails a refuted one, and is inconclusive when the budget cannot decide', () => {
    expect(checkProbability(1000, 1000, { atLeast: 0.99 }).status).toBe('pass');
    const refuted = checkProbability(900, 1000, { atLeast: 0.99, label: 'convergence' });
    expect(refuted.status).toBe('fail');
    expect(refuted.detail).toMatch(/P\(convergence\) ≥ 0.99/);
    expect(checkProbability(992, 1000, { atLeast: 0.99 }).status).toBe('inconclusive');
    expect(checkProbability(0, 1000, { atMost: 0.01 }).status).toBe('pass');
    expect(checkProbability(30, 1000, { atMost: 0.01 }).status).toBe('fail');
  });

  it('never asserts a rare event from a fixed budget: 0/1000 against P ≥ 1e-6 is inconclusive', () => {
    const v = checkProbability(0, 1000, { atLeast: 1e-6 });
    expect(v.status).toBe('inconclusive');
    expect(v.detail).toMatch(/cannot decide/);
    expect(v.errorModel).toMatch(/Clopper–Pearson 95% interval/);
  });

  it('rejects a claim with both or neither bound', () => {
    expect(() => checkProbability(1, 2, {})).toThrow(DomainError);
    expect(() => checkProbability(1, 2, { atLeast: 0.1, atMost: 0.9 })).toThrow(DomainError);
    expect(() => checkProbability(1, 2, { atLeast: 2 })).toThrow(/atLeast/);
  });
});
