import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.js';
import {
  curveLength,
  fixedRankPoint,
  fixedRankPointFromFactors,
  singularValueShrinkCurve,
  tangentProject,
  tanhSinh,
} from '../../src/geometry/index.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { frobeniusNorm, spectrum, withSpectrum } from './helpers.js';

describe('tanh-sinh quadrature', () => {
  it('integrates smooth and endpoint-singular integrands to its tolerance', () => {
    const smooth = tanhSinh((x) => Math.exp(x), 0, 1);
    expect(Math.abs(smooth.value - (Math.E - 1))).toBeLessThanOrEqual(1e-13);
    expect(smooth.converged).toBe(true);
    // ∫_0^2 x^{-0.8} dx = 2^{0.2}/0.2, singular at 0: uses the accurate distance fromStart.
    const singular = tanhSinh((_x, d) => Math.pow(d, -0.8), 0, 2);
    expect(Math.abs(singular.value - Math.pow(2, 0.2) / 0.2) / singular.value).toBeLessThanOrEqual(1e-11);
    expect(() => tanhSinh(() => NaN, 0, 1)).toThrow(DomainError);
  });
});

describe('metric.completeness: g-length of shrinking σ_k to 0 is √N s^{1/N}', () => {
  it('quadrature of √g(ẋ, ẋ) along the curve matches √N s^{1/N} for N = 1..5 on random points', () => {
    const rng = new Rng(31);
    const cases: Array<{ m: number; n: number; k: number }> = [
      { m: 3, n: 3, k: 3 },
      { m: 4, n: 6, k: 2 },
      { m: 5, n: 3, k: 3 },
    ];
    for (const { m, n, k } of cases) {
      for (let depth = 1; depth <= 5; depth++) {
        const point = fixedRankPoint(withSpectrum(rng, m, n, spectrum(k, 3, 2)));
        const { curve, t0, t1 } = singularValueShrinkCurve(point);
        const s = point.s[k - 1];
        const result = curveLength(curve, depth, t0, t1, { tol: 1e-12 });
        const expected = Math.sqrt(depth) * Math.pow(s, 1 / depth);
        // Tolerance: quadrature tol 1e-12 (its estimate over-states the error) + the neglected end piece
        // √N (1e-120·s)^{1/N} ≤ 1e-23 + round-off of g (~(m+n)ε): 1e-11 relative.
        expect(Math.abs(result.value - expected) / expected).toBeLessThanOrEqual(1e-11);
        expect(result.converged).toBe(true);
        if (process.env.DLNV_VERBOSE)
          console.log(
            `N=${depth} ${m}x${n} k=${k}: rel err ${(Math.abs(result.value - expected) / expected).toExponential(2)}, ${result.evaluations} evaluations, level ${result.level}`,
          );
      }
    }
  });

  it('the length does not depend on the parametrization (σ_k(t) = s(1 − t²), a user-written curve)', () => {
    const rng = new Rng(33);
    const point = fixedRankPoint(withSpectrum(rng, 4, 5, spectrum(3, 3, 2)));
    const k = point.k,
      s = point.s[k - 1];
    const u = point.U,
      v = point.V;
    const direction = new Matrix(4, 5);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 5; j++) direction.data[i * 5 + j] = u.get(i, k - 1) * v.get(j, k - 1);
    for (let depth = 2; depth <= 5; depth++) {
      const curve = (t: number, _from: number, toEnd: number) => {
        const sigma = Float64Array.from(point.s);
        sigma[k - 1] = s * toEnd * (1 + t); // s(1 − t²) without cancellation near t = 1
        const velocity = direction.clone();
        for (let i = 0; i < velocity.data.length; i++) velocity.data[i] *= -2 * s * t;
        return { point: fixedRankPointFromFactors(u, sigma, v, k), velocity };
      };
      const r = curveLength(curve, depth, 0, 1);
      const expected = Math.sqrt(depth) * Math.pow(s, 1 / depth);
      // Same error model as above: quadrature tolerance 1e-12 plus round-off, 1e-11 relative.
      expect(Math.abs(r.value - expected) / expected).toBeLessThanOrEqual(1e-11);
    }
  });

  it('for N = 1 a straight line given as plain matrices has its Euclidean length (matrix-input path)', () => {
    const rng = new Rng(32);
    const point = fixedRankPoint(withSpectrum(rng, 4, 3, [2, 1.5, 1]));
    const xi = tangentProject(point, gaussianMatrix(rng, 4, 3, 0.1));
    const line = (t: number) => {
      const w = new Matrix(4, 3);
      for (let i = 0; i < w.data.length; i++) w.data[i] = point.W.data[i] + t * xi.data[i];
      return { point: w, velocity: xi };
    };
    const r = curveLength(line, 1, 0, 2);
    expect(Math.abs(r.value - 2 * frobeniusNorm(xi))).toBeLessThanOrEqual(1e-12 * r.value);
  });
});
