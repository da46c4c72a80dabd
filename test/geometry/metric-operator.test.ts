import { describe, expect, it } from 'vitest';
import {
  ExplicitMetricOperator,
  fixedRankPoint,
  MetricOperator,
  metricCoefficient,
  metricCoefficientClosedForm,
  normalProject,
  tangentBasis,
  tangentProject,
  tangentResidual,
} from '../../src/geometry/index.js';
import { frobeniusInner } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { symmetricEigen } from '../../src/linalg/svd.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { wrongExponentMetric } from '../helpers/wrong-metric.js';
import { distance, EPS, frobeniusNorm, spectrum, withSpectrum } from './helpers.js';

/**
 * The deliberately WRONG operator of the brief, kept here and not in src: exponents j/N on the right instead of
 * (j−1)/N, i.e. Σ_j (WWᵀ)^{(N−j)/N} Z (WᵀW)^{j/N}. The tests below must tell it apart from A_W.
 */
const wrongExponentOperator = wrongExponentMetric;

const SHAPES: Array<[number, number]> = [
  [3, 3],
  [4, 6],
  [6, 4],
  [5, 5],
  [2, 7],
];
const COND = 4; // σ_1/σ_k of every instance below

/**
 * Error model for explicit sum (a) vs SVD form (b): the Gram matrices carry an error ~ε·(m+n)·σ_1²; spectral
 * powers λ^p (p < 1) amplify it by the divided differences, up to (σ_1/σ_k)² = κ² relative to ‖A_W‖; the N terms
 * add up. So |(a) − (b)|_F ≤ 2·ε·(m+n)·N·κ²·‖A_W‖_2·‖Z‖_F. Measured: ≤ 7·ε·‖A_W‖‖Z‖ over all cases (bound ≥ 80·ε·…).
 */
function agreementBound(m: number, n: number, depth: number, op: MetricOperator, z: Matrix): number {
  return 2 * EPS * (m + n) * depth * COND ** 2 * op.largestEigenvalue() * frobeniusNorm(z);
}

describe('metric coefficients c_ab', () => {
  it('the defining sum agrees with the closed forms, including zero singular values and N = 1', () => {
    const rng = new Rng(3);
    for (let depth = 1; depth <= 6; depth++) {
      for (let trial = 0; trial < 200; trial++) {
        const pick = (): number => (rng.uniform() < 0.2 ? 0 : Math.exp(2 * (rng.uniform() - 0.5) * 3));
        const sa = pick(),
          sb = rng.uniform() < 0.1 ? sa : pick();
        const sum = metricCoefficient(sa, sb, depth),
          closed = metricCoefficientClosedForm(sa, sb, depth);
        // Closed form (σ_a² − σ_b²)/(x − y), x = σ_a^{2/N}: cancellation error ~ε·max(x,y)/|x − y| relative; the sum
        // is accurate to N·ε. Bound 8·ε·(N + max(x,y)/|x − y|)·|c|.
        const x = Math.pow(sa, 2 / depth),
          y = Math.pow(sb, 2 / depth);
        const amplification = x === y ? 1 : Math.max(x, y) / Math.abs(x - y);
        expect(Math.abs(sum - closed)).toBeLessThanOrEqual(
          8 * EPS * (depth + amplification) * Math.max(sum, closed) + Number.MIN_VALUE,
        );
      }
    }
    // The special cases of THEORY §2 exactly.
    expect(metricCoefficient(0, 0, 3)).toBe(0);
    expect(metricCoefficient(0, 0, 1)).toBe(1);
    expect(metricCoefficient(2, 0, 3)).toBeCloseTo(Math.pow(2, 4 / 3), 14);
    expect(metricCoefficient(0, 2, 3)).toBeCloseTo(Math.pow(2, 4 / 3), 14);
    expect(metricCoefficient(1.5, 1.5, 4)).toBeCloseTo(4 * Math.pow(1.5, 1.5), 14);
  });
});

/**
 * The sweep of both A_W tests: every shape, full rank and one rank short (σ_1/σ_k = COND), N = 1..5, each with a
 * Gaussian direction Z and A_W in SVD form; draws W, then one Z per depth, from `rng` in that order.
 */
function* sweep(
  rng: Rng,
): Generator<{ m: number; n: number; k: number; w: Matrix; depth: number; z: Matrix; op: MetricOperator }> {
  for (const [m, n] of SHAPES) {
    for (const deficient of [false, true]) {
      const k = Math.min(m, n) - (deficient ? 1 : 0);
      const w = withSpectrum(rng, m, n, spectrum(k, COND, 2.5));
      for (let depth = 1; depth <= 5; depth++) {
        const z = gaussianMatrix(rng, m, n);
        yield { m, n, k, w, depth, z, op: new MetricOperator(fixedRankPoint(w), depth) };
      }
    }
  }
}

describe('A_W: explicit sum of powers (a) vs SVD coefficients (b)', () => {
  it('agree on full-rank and rank-deficient, square and non-square W for N = 1..5', () => {
    const rng = new Rng(7);
    let worst = 0;
    for (const { m, n, k, w, depth, z, op } of sweep(rng)) {
      expect(op.k).toBe(k);
      const err = distance(new ExplicitMetricOperator(w, depth, { source: 'gram-eigen' }).apply(z), op.apply(z));
      const bound = agreementBound(m, n, depth, op, z);
      expect(err).toBeLessThanOrEqual(bound);
      // The SVD-sourced explicit sum (gramPower, the default) must agree as well, under the same model.
      expect(distance(new ExplicitMetricOperator(w, depth).apply(z), op.apply(z))).toBeLessThanOrEqual(bound);
      worst = Math.max(worst, err / (EPS * op.largestEigenvalue() * frobeniusNorm(z)));
    }
    expect(worst).toBeLessThan(50); // recorded: ≈ 7
  });

  it('detects the wrong-exponent operator (j/N instead of (j−1)/N)', () => {
    const rng = new Rng(8);
    for (const { m, n, w, depth, z, op } of sweep(rng)) {
      const err = distance(wrongExponentOperator(w, depth, z), op.apply(z));
      // The two differ by O(1)·‖A_W‖‖Z‖; demand ≥ 1e6 × the agreement bound so the check has teeth.
      expect(err).toBeGreaterThan(1e6 * agreementBound(m, n, depth, op, z));
    }
  });
});

describe('A_W on a badly separated spectrum (issue 16: W = diag(1, 1e-6), depth 6, Z = ones)', () => {
  // For diagonal W, A_W(Z)_ab = Σ_{j=1}^{N} σ_a^{2(N−j)/N} σ_b^{2(j−1)/N} Z_ab: the exact value, term by term.
  const sigma = [1, 1e-6],
    N = 6;
  const w = Matrix.from([
      [sigma[0], 0],
      [0, sigma[1]],
    ]),
    z = Matrix.from([
      [1, 1],
      [1, 1],
    ]);
  const exact = (a: number, b: number): number => {
    let s = 0;
    for (let j = 1; j <= N; j++) s += sigma[a] ** ((2 * (N - j)) / N) * sigma[b] ** ((2 * (j - 1)) / N);
    return s;
  };

  it('the default (SVD-sourced) explicit sum is exact to round-off in every entry, the 6e-10 one included', () => {
    const op = new ExplicitMetricOperator(w, N);
    const got = op.apply(z);
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        const e = exact(a, b);
        expect(Math.abs(got.get(a, b) - e), `entry (${a}, ${b}): ${got.get(a, b)} vs ${e}`).toBeLessThanOrEqual(
          64 * EPS * e,
        );
      }
    }
    expect(op.truncation).toEqual({ source: 'svd', sigmaCutoff: 1e-10, rank: 2 });
  });

  it('the Gram-eigen path says what it cut: σ ≤ √rtol·σ_1 = 1e-5, rank 1, and its result shows it', () => {
    const op = new ExplicitMetricOperator(w, N, { source: 'gram-eigen' });
    expect(op.truncation.source).toBe('gram-eigen');
    expect(op.truncation.sigmaCutoff).toBeCloseTo(1e-5, 18);
    expect(op.truncation.rank).toBe(1);
    // The dropped mode is visible: A_W(Z)_12 = 1 instead of 1.0101…, off by more than 1e-3.
    expect(Math.abs(op.apply(z).get(0, 1) - exact(0, 1))).toBeGreaterThan(1e-3);
  });
});

/** The matrix of a linear map on R^{m×n} in an orthonormal basis: M_pq = ⟨E_p, A(E_q)⟩. */
function gramOf(basis: Matrix[], apply: (z: Matrix) => Matrix): Matrix {
  const d = basis.length,
    g = new Matrix(d, d);
  const images = basis.map(apply);
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) g.data[p * d + q] = frobeniusInner(basis[p], images[q]);
  return g;
}

function standardBasis(m: number, n: number): Matrix[] {
  return Array.from({ length: m * n }, (_, i) => {
    const e = new Matrix(m, n);
    e.data[i] = 1;
    return e;
  });
}

describe('A_W on T_W M_k (metric.tangent)', () => {
  const cases: Array<{ m: number; n: number; k: number }> = [
    { m: 4, n: 4, k: 4 }, // square invertible: λ_min = N σ_k^{2(N−1)/N}
    { m: 4, n: 4, k: 2 },
    { m: 3, n: 5, k: 3 }, // full rank, non-square: k < max(d0, dN)
    { m: 5, n: 3, k: 2 },
  ];

  it('is self-adjoint and PSD; kernel = normal space, range = tangent space; smallest tangent eigenvalue as predicted', () => {
    const rng = new Rng(11);
    for (const { m, n, k } of cases) {
      for (let depth = 1; depth <= 5; depth++) {
        const s = spectrum(k, COND, 1.7);
        const point = fixedRankPoint(withSpectrum(rng, m, n, s));
        const op = new MetricOperator(point, depth);
        const scale = op.largestEigenvalue();
        // Round-off model for one application: transforms by Ũ, Ṽ cost ~2(m+n)ε relative to ‖A_W‖‖Z‖.
        const tol = (z: number): number => 8 * EPS * (m + n) * scale * z;
        const z1 = gaussianMatrix(rng, m, n),
          z2 = gaussianMatrix(rng, m, n);
        // Self-adjoint.
        const lhs = frobeniusInner(op.apply(z1), z2),
          rhs = frobeniusInner(z1, op.apply(z2));
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(tol(frobeniusNorm(z1) * frobeniusNorm(z2)));
        // Full operator matrix (mn × mn) in the standard basis: symmetric PSD.
        const full = gramOf(standardBasis(m, n), (z) => op.apply(z));
        const { values } = symmetricEigen(full);
        expect(values[values.length - 1]).toBeGreaterThanOrEqual(-tol(1));
        // N ≥ 2: range ⊂ tangent space (A_W(Z) passes the membership test), kernel ⊇ normal space.
        // N = 1: A_W = I (all c_ab = 1 with 0^0 := 1), so neither holds unless k = min(m, n).
        const normal = normalProject(point, z1);
        if (depth >= 2) {
          expect(tangentResidual(point, op.apply(z1)).tangent).toBe(true);
          expect(frobeniusNorm(op.apply(normal))).toBeLessThanOrEqual(tol(frobeniusNorm(z1)));
        } else {
          expect(distance(op.apply(z1), z1)).toBeLessThanOrEqual(tol(frobeniusNorm(z1)));
        }
        // Counting: the number of (numerically) zero eigenvalues of the full matrix is the normal dimension (m−k)(n−k)
        // for N ≥ 2, so kernel = normal space and range = tangent space (dimensions add up to mn).
        const zeroCount = Array.from(values).filter((v) => Math.abs(v) <= tol(1)).length;
        expect(zeroCount).toBe(depth >= 2 ? (m - k) * (n - k) : 0);
        // On T_W M_k: positive definite with the predicted smallest eigenvalue.
        const onTangent = symmetricEigen(gramOf(tangentBasis(point), (z) => op.apply(z))).values;
        const sk = s[k - 1],
          e = (2 * (depth - 1)) / depth;
        const predicted = m === n && k === m ? depth * Math.pow(sk, e) : Math.pow(sk, e);
        const lambdaMin = onTangent[onTangent.length - 1];
        expect(Math.abs(lambdaMin - predicted)).toBeLessThanOrEqual(tol(1) + 64 * EPS * predicted);
        expect(Math.abs(op.smallestTangentEigenvalue() - predicted)).toBeLessThanOrEqual(16 * EPS * depth * predicted);
      }
    }
  });

  it('FALSE variant: A_W is not positive definite on all of R^{m×n} when W is rank-deficient (N ≥ 2)', () => {
    const rng = new Rng(12);
    const point = fixedRankPoint(withSpectrum(rng, 4, 3, spectrum(2, COND)));
    for (let depth = 2; depth <= 4; depth++) {
      const op = new MetricOperator(point, depth);
      const { values } = symmetricEigen(gramOf(standardBasis(4, 3), (z) => op.apply(z)));
      // λ_min is 0 up to round-off (8·ε·(m+n)·‖A_W‖), far below the smallest tangent eigenvalue.
      expect(Math.abs(values[values.length - 1])).toBeLessThanOrEqual(8 * EPS * 7 * op.largestEigenvalue());
      expect(op.smallestTangentEigenvalue()).toBeGreaterThan(1e10 * Math.abs(values[values.length - 1]) + 1e-3);
    }
  });

  it('inverse on the tangent space: A_W(A_W^{-1}ξ) = ξ and A_W^{-1}(A_Wξ) = ξ for tangent ξ; = P_T on normal parts', () => {
    const rng = new Rng(13);
    for (const { m, n, k } of cases) {
      for (let depth = 1; depth <= 5; depth++) {
        const point = fixedRankPoint(withSpectrum(rng, m, n, spectrum(k, COND, 0.8)));
        const op = new MetricOperator(point, depth);
        const xi = tangentProject(point, gaussianMatrix(rng, m, n));
        // Condition of A_W on T: λ_max/λ_min; each application costs ~(m+n)ε.
        const cond = op.largestEigenvalue() / op.smallestTangentEigenvalue();
        const tol = 16 * EPS * (m + n) * cond * frobeniusNorm(xi);
        expect(distance(op.apply(op.inverseOnTangent(xi)), xi)).toBeLessThanOrEqual(tol);
        expect(distance(op.inverseOnTangent(op.apply(xi)), xi)).toBeLessThanOrEqual(tol);
        const z = gaussianMatrix(rng, m, n);
        expect(distance(op.apply(op.inverseOnTangent(z)), tangentProject(point, z))).toBeLessThanOrEqual(
          16 * EPS * (m + n) * cond * frobeniusNorm(z),
        );
      }
    }
  });
});

describe('metricCoefficientClosedForm near ties', () => {
  it('stays finite and equal to the defining sum when σ_a ≠ σ_b but their 2/N-th powers round together', () => {
    const a = 1,
      b = 1 + 2 ** -52;
    const closed = metricCoefficientClosedForm(a, b, 5);
    expect(Number.isFinite(closed)).toBe(true);
    // Both equal N·σ^{2(N−1)/N} to within a few ulps (the coefficients differ by O(|σ_a − σ_b|)).
    expect(Math.abs(closed - metricCoefficient(a, b, 5))).toBeLessThan(16 * Number.EPSILON * 5);
  });
});
