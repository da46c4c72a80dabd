import { describe, expect, it } from 'vitest';
import { type Point, pointNorm } from '../../src/check/point.js';
import { checkTaylor, type TaylorData } from '../../src/check/taylor.js';
import { describe as describeVerdict, type Verdict } from '../../src/check/verdict.js';
import { DomainError, ShapeError } from '../../src/errors.js';
import { frobeniusInner } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import {
  type DeepLinear,
  deepLinear,
  directional,
  type GradientVariant,
  gradient,
  loss,
  secondOrder,
} from './instances.js';

const data = (v: Verdict): TaylorData => v.data as unknown as TaylorData;

/** Random non-square deep linear instance: depth 2–3, widths 1–7, 1–9 samples, condition number 10^U(0,4). */
function randomInstance(seed: number): DeepLinear {
  const rng = new Rng(seed);
  const depth = rng.integer(2, 3);
  const dims = Array.from({ length: depth + 1 }, () => rng.integer(1, 7));
  return deepLinear(rng, dims, rng.integer(1, 9), 10 ** (4 * rng.uniform()), 10 ** (rng.uniform() - 0.5));
}

/** Two square n×n layers and square X (n×n), so that the transpose and order bugs type-check. */
function squareInstance(seed: number): DeepLinear {
  const rng = new Rng(seed);
  const n = rng.integer(2, 6);
  return deepLinear(rng, [n, n, n], n, 10 ** (3 * rng.uniform()));
}

const claimed = (p: DeepLinear, variant: GradientVariant = 'correct'): number =>
  directional(gradient(p, p.x, variant), p.direction);

describe('checkTaylor on correct gradients', () => {
  it('never fails on 1000 seeded random instances (non-square, condition numbers up to 1e4)', () => {
    const bad: string[] = [];
    let passes = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const p = randomInstance(seed);
      const v = checkTaylor(loss(p), p.x, p.direction, { derivative: claimed(p) });
      if (v.status === 'fail') bad.push(`seed ${seed}: ${describeVerdict(v)}`);
      if (v.status === 'pass') passes++;
    }
    expect(bad, bad.join('\n')).toEqual([]);
    expect(passes).toBeGreaterThanOrEqual(995);
  });

  it('never fails on 300 seeded second-order checks with the exact D²f[ξ,ξ]', () => {
    const bad: string[] = [];
    for (let seed = 5001; seed <= 5300; seed++) {
      const p = randomInstance(seed);
      const v = checkTaylor(loss(p), p.x, p.direction, {
        derivative: claimed(p),
        secondDerivative: secondOrder(p, p.x, p.direction),
      });
      if (v.status !== 'pass') bad.push(`seed ${seed}: ${describeVerdict(v)}`);
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('reports a slope-2 window of at least two decades and the curve for plotting', () => {
    const p = randomInstance(42);
    const v = checkTaylor(loss(p), p.x, p.direction, { derivative: claimed(p) });
    const d = data(v);
    expect(v.status, describeVerdict(v)).toBe('pass');
    expect(v.comparison).toBe('>=');
    expect(v.measured).toBeCloseTo(2, 1);
    expect(d.t).toHaveLength(33);
    expect(d.error).toHaveLength(33);
    expect(d.window).not.toBeNull();
    const [lo, hi] = d.window as [number, number];
    expect(Math.log10(hi / lo)).toBeGreaterThanOrEqual(2);
    expect(d.relativeError).toBeLessThan(1e-6);
    expect(v.errorModel).toMatch(/floor\(t\)/);
  });
});

describe('checkTaylor on wrong gradients', () => {
  it('fails a factor-2 gradient on non-square instances and recovers the relative error |2g − g|/|g| = 1', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const p = randomInstance(seed);
      const v = checkTaylor(loss(p), p.x, p.direction, { derivative: claimed(p, 'factor2') });
      expect(v.status, `seed ${seed}: ${describeVerdict(v)}`).toBe('fail');
      expect(v.measured, `seed ${seed}`).toBeCloseTo(1, 3);
      expect(data(v).relativeError).toBe(v.measured);
    }
  });

  it.each(['transpose', 'order'] as const)('fails the "%s" bug on square layers', (variant) => {
    for (let seed = 1; seed <= 100; seed++) {
      const p = squareInstance(seed);
      const v = checkTaylor(loss(p), p.x, p.direction, { derivative: claimed(p, variant) });
      const truth = claimed(p),
        wrong = claimed(p, variant);
      expect(v.status, `seed ${seed}: ${describeVerdict(v)}`).toBe('fail');
      expect(v.measured / (Math.abs(wrong - truth) / Math.abs(truth)), `seed ${seed}`).toBeCloseTo(1, 2);
    }
  });

  it('fails a relative derivative error of 1e-6 and measures it', () => {
    const missed: string[] = [];
    let failures = 0;
    const N = 500;
    for (let seed = 1; seed <= N; seed++) {
      const p = randomInstance(seed);
      const g = gradient(p, p.x),
        D = directional(g, p.direction);
      const v = checkTaylor(loss(p), p.x, p.direction, { derivative: D * (1 + 1e-6) });
      if (v.status === 'fail') {
        failures++;
        expect(v.measured / 1e-6, `seed ${seed}`).toBeGreaterThan(0.9);
        expect(v.measured / 1e-6, `seed ${seed}`).toBeLessThan(1.1);
      } else {
        // Only a direction almost orthogonal to the gradient may hide it: then |δ| = 1e-6·|Df| is below round-off of f.
        const alignment = Math.abs(D) / (pointNorm(g) * pointNorm(p.direction));
        if (alignment > 0.1) missed.push(`seed ${seed} (alignment ${alignment.toFixed(3)}): ${describeVerdict(v)}`);
      }
    }
    expect(missed, missed.join('\n')).toEqual([]);
    expect(failures).toBeGreaterThanOrEqual(0.99 * N);
  });

  it('fails wrong second-order terms: Gauss–Newton instead of the Hessian, and a factor 2', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const p = randomInstance(seed);
      const D = claimed(p),
        H = secondOrder(p, p.x, p.direction);
      // Gauss–Newton drops 2⟨R, C₂X⟩, which is O(1) here (residuals are not small).
      const C1only = secondOrder(
        { ...p, Y: multiply(multiply(chainOf(p.x), p.X), Matrix.identity(p.X.cols)) },
        p.x,
        p.direction,
      );
      const v = checkTaylor(loss(p), p.x, p.direction, { derivative: D, secondDerivative: C1only });
      if (Math.abs(C1only - H) > 1e-3 * Math.abs(H))
        expect(v.status, `seed ${seed}: ${describeVerdict(v)}`).toBe('fail');
      const w = checkTaylor(loss(p), p.x, p.direction, { derivative: D, secondDerivative: 2 * H });
      expect(w.status, `seed ${seed}: ${describeVerdict(w)}`).toBe('fail');
      expect(data(w).relativeSecondOrderError, `seed ${seed}`).toBeCloseTo(1, 3);
    }
  });
});

/** W_N ⋯ W_1. */
function chainOf(W: Point): Matrix {
  return W.slice(1).reduce((acc, Wj) => multiply(Wj, acc), W[0]);
}

describe('checkTaylor edge cases', () => {
  const rng = new Rng(99);
  const q = deepLinear(rng, [3, 2], 4, 10);

  it('passes an exact model (quadratic loss with its exact second-order term) with an "exact" detail', () => {
    const v = checkTaylor(loss(q), q.x, q.direction, {
      derivative: claimed(q),
      secondDerivative: secondOrder(q, q.x, q.direction),
    });
    expect(v.status, describeVerdict(v)).toBe('pass');
    expect(data(v).exact).toBe(true);
    expect(v.detail).toMatch(/exact to round-off/);
  });

  it('fails the same quadratic with a 1e-3 relative error in the second-order term', () => {
    const v = checkTaylor(loss(q), q.x, q.direction, {
      derivative: claimed(q),
      secondDerivative: 1.001 * secondOrder(q, q.x, q.direction),
    });
    expect(v.status, describeVerdict(v)).toBe('fail');
    expect(data(v).relativeSecondOrderError).toBeCloseTo(1e-3, 6); // |1.001h − h|/|h|
  });

  it('passes a linear function with its gradient as exact, and fails it with a 1e-6 error', () => {
    const G = gaussianMatrix(rng, 2, 3);
    const f = (W: Point): number => frobeniusInner(G, W[0]);
    const D = frobeniusInner(G, q.direction[0]);
    expect(checkTaylor(f, q.x, q.direction, { derivative: D }).status).toBe('pass');
    const v = checkTaylor(f, q.x, q.direction, { derivative: D * (1 + 1e-6) });
    expect(v.status).toBe('fail');
    expect(v.measured).toBeCloseTo(1e-6, 9);
  });

  it('handles f ≡ 0 (Df = 0 exact; Df = 1 wrong with relative error 1), never NaN', () => {
    const zero = (): number => 0;
    const ok = checkTaylor(zero, q.x, q.direction, { derivative: 0 });
    expect(ok.status).toBe('pass');
    expect(Number.isNaN(ok.measured) || Number.isNaN(ok.margin) || Number.isNaN(data(ok).relativeError)).toBe(false);
    const bad = checkTaylor(zero, q.x, q.direction, { derivative: 1 });
    expect(bad.status).toBe('fail');
    expect(bad.measured).toBeCloseTo(1, 12);
  });

  it('passes Df = 0 at a global minimizer (f(x) = 0), with finite numbers everywhere', () => {
    const r = deepLinear(new Rng(5), [3, 3, 3], 4, 10);
    const atMin: DeepLinear = { ...r, Y: multiply(chainOf(r.x), r.X) };
    const v = checkTaylor(loss(atMin), atMin.x, atMin.direction, { derivative: 0 });
    expect(v.status, describeVerdict(v)).toBe('pass');
    expect([v.measured, v.margin, data(v).relativeError, data(v).absoluteError].every(Number.isFinite)).toBe(true);
    const w = checkTaylor(loss(atMin), atMin.x, atMin.direction, { derivative: 1e-3 });
    expect(w.status).toBe('fail');
  });

  it('passes at x = 0 (the step unit falls back to 1/‖ξ‖)', () => {
    const p = randomInstance(7);
    const z: DeepLinear = { ...p, x: p.x.map((m) => new Matrix(m.rows, m.cols)) };
    const v = checkTaylor(loss(z), z.x, z.direction, { derivative: claimed(z) });
    expect(v.status, describeVerdict(v)).toBe('pass');
  });

  it('is inconclusive on a noisy function (relative noise 1e-3) and says so', () => {
    const p = randomInstance(3);
    const noise = new Rng(3);
    const noisy = (W: Point): number => loss(p)(W) * (1 + 1e-3 * noise.gaussian());
    const v = checkTaylor(noisy, p.x, p.direction, { derivative: claimed(p) });
    expect(v.status, describeVerdict(v)).toBe('inconclusive');
    expect(v.detail).toMatch(/noisy/);
  });

  it('still fails a factor-2 gradient through relative noise of 1e-6', () => {
    const p = randomInstance(3);
    const noise = new Rng(4);
    const noisy = (W: Point): number => loss(p)(W) * (1 + 1e-6 * noise.gaussian());
    const v = checkTaylor(noisy, p.x, p.direction, { derivative: claimed(p, 'factor2') });
    expect(v.status, describeVerdict(v)).toBe('fail');
    expect(v.measured).toBeCloseTo(1, 2);
  });

  it('checks a non-polynomial loss (softplus) too', () => {
    const A = gaussianMatrix(rng, 3, 4),
      X = gaussianMatrix(rng, 4, 5),
      dA = gaussianMatrix(rng, 3, 4);
    const f = (W: Point): number => multiply(W[0], X).data.reduce((s, z) => s + Math.log1p(Math.exp(z)), 0);
    const S = multiply(A, X);
    S.data.forEach((z, i) => (S.data[i] = 1 / (1 + Math.exp(-z))));
    const D = frobeniusInner(multiply(S, X, 'n', 't'), dA);
    expect(checkTaylor(f, [A], [dA], { derivative: D }).status).toBe('pass');
    expect(checkTaylor(f, [A], [dA], { derivative: D * (1 + 1e-5) }).status).toBe('fail');
  });

  it('returns a failing verdict when f(x) is not finite', () => {
    const v = checkTaylor(() => NaN, q.x, q.direction, { derivative: 0 });
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/not finite/);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    const wrongShape = [new Matrix(3, 3)];
    expect(() => checkTaylor(loss(q), q.x, wrongShape, { derivative: 0 })).toThrow(ShapeError);
    expect(() => checkTaylor(loss(q), q.x, [new Matrix(2, 3)], { derivative: 0 })).toThrow(/direction/);
    expect(() => checkTaylor(loss(q), q.x, q.direction, { derivative: NaN })).toThrow(DomainError);
    expect(() => checkTaylor(loss(q), q.x, q.direction, { derivative: 0 }, { tMin: 1, tMax: 0.1 })).toThrow(
      DomainError,
    );
    expect(() => checkTaylor(loss(q), q.x, q.direction, { derivative: 0 }, { slack: -1 })).toThrow(/slack/);
    const zero = q.direction.map((m) => new Matrix(m.rows, m.cols));
    expect(() => checkTaylor(loss(q), q.x, zero, { derivative: 0 }, { unit: 1 })).toThrow(/direction: is zero/);
  });
});
