import { describe, expect, it } from 'vitest';
import { metricClaims, riemannianGradientClaim, svdFormClaim, tangentClaim } from '../../properties/metric.js';
import type { MetricInstance } from '../../src/arbitraries/metric.js';
import { type ClaimReport, runClaim } from '../../src/claims/runner.js';
import {
  checkCompleteness,
  checkRiemannianGradient,
  checkSvdForm,
  type MetricApplication,
} from '../../src/flow/index.js';
import { fixedRankPoint } from '../../src/geometry/fixed-rank-point.js';
import { metricCoefficientClosedForm } from '../../src/geometry/metric-coefficients.js';
import { tangentProject } from '../../src/geometry/tangent-space.js';
import { matrixWithSpectrum } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { itMeetsExpectedOutcomes } from '../helpers/claim-outcomes.js';
import { wrongExponentMetric } from '../helpers/wrong-metric.js';

/**
 * The deliberately WRONG operator of the brief, built here and never in src: exponent j/N on the right instead of
 * (j−1)/N, i.e. Σ_j (WWᵀ)^{(N−j)/N} Z (WᵀW)^{j/N}. In SVD coordinates its coefficients are σ_b^{2/N}·c_ab.
 */
const wrongExponent: MetricApplication = wrongExponentMetric;

/** A hand-built instance: W of the given spectrum (rank = its length), Gaussian Z and data. */
function instance(seed: number, m: number, n: number, sigma: number[], depth: number): MetricInstance {
  const rng = new Rng(seed);
  const W = matrixWithSpectrum(rng, m, n, sigma);
  return {
    m,
    n,
    k: sigma.length,
    depth,
    sigma,
    cond: sigma[0] / sigma[sigma.length - 1],
    repeated: false,
    W,
    Z: gaussianMatrix(rng, m, n),
    data: { X: gaussianMatrix(rng, n, 4), Y: gaussianMatrix(rng, m, 4) },
  };
}

function shrunkDims(r: ClaimReport): { m: number; n: number } {
  return r.counterexample!.instance as { m: number; n: number };
}

const reports = new Map<string, ClaimReport>(metricClaims.map((c) => [c.id, runClaim(c, { seed: 1 })]));

describe('metric claims (THEORY §2): every claim meets its expected outcome at seed 1', () => {
  itMeetsExpectedOutcomes(metricClaims, {
    report: (claim) => reports.get(claim.id)!,
    observed: true,
    holds: (r) => expect(r.worst!.margin).toBeGreaterThan(0),
    counterexample: (r) => {
      // Found and shrunk to a readable instance.
      const { m, n } = shrunkDims(r);
      expect(Math.max(m, n)).toBeLessThanOrEqual(3);
      expect(r.counterexample!.verdict!.status).toBe('fail');
      expect(r.replay).toMatch(/--path \S+/);
    },
  });

  it('the FALSE variants shrink to the smallest rank-deficient case: 2×2 of rank 1', () => {
    for (const id of ['metric.tangent.positive-definite', 'metric.riemannian-gradient.depth-one']) {
      const x = reports.get(id)!.counterexample!.instance as { m: number; n: number; k: number };
      expect([x.m, x.n, x.k]).toEqual([2, 2, 1]);
    }
  });
});

describe('metric checks have teeth', () => {
  it('the wrong exponent j/N (instead of (j−1)/N) fails metric.svd-form, metric.tangent and metric.riemannian-gradient', () => {
    for (const claim of [
      svdFormClaim({ operator: wrongExponent }),
      tangentClaim({ operator: wrongExponent }),
      riemannianGradientClaim({ operator: wrongExponent }),
    ]) {
      const r = runClaim(claim, { seed: 1, runs: 50 });
      expect(r.status, claim.id).toBe('fail');
      expect(r.observed).toBe('counterexample');
      const { m, n } = shrunkDims(r);
      expect(Math.max(m, n)).toBeLessThanOrEqual(2);
    }
  });

  it('the wrong exponent fails both halves of the Riemannian-gradient check: the identity and the Taylor test', () => {
    const inst = instance(5, 3, 2, [1.7, 0.6], 3);
    expect(checkRiemannianGradient(inst).status).toBe('pass');
    for (const parts of ['identity', 'taylor'] as const) {
      const v = checkRiemannianGradient(inst, { operator: wrongExponent, parts });
      expect(v.status, parts).toBe('fail');
      expect(v.margin).toBeLessThan(-1);
    }
    // The Taylor test reports the relative error of the claimed derivative (O(1) here).
    expect(checkRiemannianGradient(inst, { operator: wrongExponent, parts: 'taylor' }).measured).toBeGreaterThan(1e-2);
  });

  it('a non-tangent ξ fails the Riemannian-gradient identity (the Taylor test along the retraction sees only P_T ξ)', () => {
    const inst = instance(6, 3, 3, [2, 0.5], 2);
    expect(checkRiemannianGradient(inst, { tangent: true }).status).toBe('pass');
    const v = checkRiemannianGradient(inst, { tangent: false, parts: 'identity' });
    expect(v.status).toBe('fail');
    expect(v.measured).toBeGreaterThan(1e8 * v.bound);
    expect(checkRiemannianGradient(inst, { tangent: false, parts: 'taylor' }).status).toBe('pass');
  });

  it('at depth N = 1 the identity still holds but A_W∇L¹ = ∇L¹ leaves M_k: only the tangency part refutes it', () => {
    const deficient = instance(7, 3, 3, [2, 0.5], 1);
    const v = checkRiemannianGradient(deficient, { parts: 'identity' });
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/tangent to M_k/);
    expect(v.measured).toBeGreaterThan(1e8 * v.bound);
    // The same point at depth 2 is tangent, and at depth 1 with full rank (M_k open) there is no normal space.
    expect(checkRiemannianGradient({ ...deficient, depth: 2 }).status).toBe('pass');
    expect(checkRiemannianGradient(instance(7, 2, 2, [2, 0.5], 1)).status).toBe('pass');
  });

  it('the Euclidean projection P_T in place of A_W is tangent but fails the metric identity for N ≥ 2 (metric.riemannian-gradient.euclidean)', () => {
    expect(metricClaims.find((c) => c.id === 'metric.riemannian-gradient.euclidean')!.expected).toBe('counterexample');
    const inst = instance(8, 3, 2, [1.5, 0.7], 3);
    const projected: MetricApplication = (w, _n, z) => tangentProject(fixedRankPoint(w), z);
    const v = checkRiemannianGradient(inst, { operator: projected, parts: 'identity' });
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/g_W\(A_W∇L¹, ξ\)/);
    expect(checkRiemannianGradient({ ...inst, depth: 1 }, { operator: projected }).status).toBe('pass');
  });

  it('a wrong closed form for c_ab fails metric.svd-form (each branch broken in turn)', () => {
    const wrongs: Record<string, (a: number, b: number, N: number) => number> = {
      // σ_a = σ_b > 0: (N − 1)σ^{2(N−1)/N} instead of N σ^{2(N−1)/N}
      equal: (a, b, N) =>
        a === b && a > 0 ? (N - 1) * Math.pow(a, (2 * (N - 1)) / N) : metricCoefficientClosedForm(a, b, N),
      // σ_a ≠ σ_b: denominator with exponent 1/N instead of 2/N
      distinct: (a, b, N) =>
        a !== b && a > 0 && b > 0
          ? (a * a - b * b) / (Math.pow(a, 1 / N) - Math.pow(b, 1 / N))
          : metricCoefficientClosedForm(a, b, N),
      // exactly one zero: exponent 2N/(N−1)… i.e. (N−1)/N instead of 2(N−1)/N
      oneZero: (a, b, N) =>
        a > 0 !== b > 0 ? Math.pow(Math.max(a, b), (N - 1) / N) : metricCoefficientClosedForm(a, b, N),
      // both zero: 1 for every N (the N = 1 value)
      bothZero: (a, b, N) => (a === 0 && b === 0 ? 1 : metricCoefficientClosedForm(a, b, N)),
    };
    for (const [branch, closedForm] of Object.entries(wrongs)) {
      const r = runClaim(svdFormClaim({ closedForm }), { seed: 1, runs: 100 });
      expect(r.status, branch).toBe('fail');
      expect(r.counterexample!.verdict!.detail).toContain('closed form');
    }
    // The correct closed form passes the same instance directly.
    expect(checkSvdForm(instance(7, 3, 3, [1.5, 1.5, 0.2], 3)).status).toBe('pass');
  });
});

describe('metric.tangent and metric.completeness have teeth (named)', () => {
  it("'metric.tangent' fails A_W = I (the N = 1 metric) at a rank-deficient W: normal space ⊄ kernel", () => {
    const tangent = metricClaims.find((c) => c.id === 'metric.tangent')!;
    const deficient = instance(9, 3, 3, [1.4, 0.6], 3);
    expect(tangent.check(deficient).status).toBe('pass');
    const identity: MetricApplication = (_w, _n, z) => z.clone();
    const v = tangentClaim({ operator: identity }).check(deficient);
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/normal space ⊆ kernel|range ⊆ tangent space|eigenvalue #/);
    expect(v.measured).toBeGreaterThan(0.5); // ‖I·Ũ_⊥CṼ_⊥ᵀ‖ = 1 per normal basis element
  });

  it("'metric.tangent' fails the non-self-adjoint wrong exponent j/N on a full-rank W", () => {
    const full = instance(10, 2, 3, [1.8, 0.7], 2);
    expect(tangentClaim().check(full).status).toBe('pass');
    const v = tangentClaim({ operator: wrongExponent }).check(full);
    expect(v.status).toBe('fail');
    expect(v.margin).toBeLessThan(-1);
  });

  it("'metric.completeness' fails the length of A_W's own metric at N ≥ 2, not at N = 1, where the two agree", () => {
    const completeness = metricClaims.find((c) => c.id === 'metric.completeness')!;
    // A_W in place of A_W⁻¹: ∫_0^s √(Nσ^{2(N−1)/N}) dσ = √N·N/(2N − 1)·s^{(2N−1)/N} (forgetting that g_W inverts A_W).
    const forgotInverse = (s: number, N: number): number =>
      ((Math.sqrt(N) * N) / (2 * N - 1)) * Math.pow(s, (2 * N - 1) / N);
    for (const depth of [2, 3, 5]) {
      const inst = instance(11 + depth, 3, 2, [1.6, 0.4], depth);
      expect(completeness.check(inst).status).toBe('pass');
      const v = checkCompleteness(inst, { claimedLength: forgotInverse });
      expect(v.status, v.detail).toBe('fail');
      expect(v.measured).toBeGreaterThan(1e-2);
      expect(v.detail).toContain('the claimed length');
    }
    expect(checkCompleteness(instance(12, 3, 2, [1.6, 0.4], 1), { claimedLength: forgotInverse }).status).toBe('pass');
  });
});
