import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { nrClaims } from '../../properties/nouiehed-razaviyayn.js';
import { type CriticalInstance, criticalInstanceArb } from '../../src/arbitraries/critical-points.js';
import type { LayerTuple } from '../../src/arbitraries/layer-tuples.js';
import type { Claim } from '../../src/claims/claim.js';
import { fiberLowerBound, liftedFiberPoint, productRank } from '../../src/landscape/deep-openness.js';
import type * as Hessian from '../../src/landscape/hessian.js';
import type * as Openness from '../../src/landscape/openness.js';
import { FIBER_RTOL } from '../../src/landscape/openness.js';
import { frobeniusDistance, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { bestRankK } from '../../src/linalg/low-rank.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { chain } from '../../src/linalg/products.js';
import { svd } from '../../src/linalg/svd.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

/**
 * NR 2018 Section 6, Lemmas 7 and 8 (nr.deep-openness, nr.deep-non-degenerate) and their FALSE neighbours: the
 * lifted fiber point and the lower bound against their definitions, the openness check fed deliberately wrong fiber
 * points (the two-factor Gauss–Newton it builds on is replaced by a broken one), and the Lemma 8 check fed a Hessian
 * with its negative eigenvalues removed.
 */
const broken = vi.hoisted(() => ({ farPoint: false, offFiber: false, psdHessian: false }));

/** a·M + b (entrywise), a new matrix. */
function affine(M: Matrix, a: number, b: number): Matrix {
  const out = M.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i] = a * out.data[i] + b;
  return out;
}

vi.mock('../../src/landscape/openness.js', async (importOriginal) => {
  const real = await importOriginal<typeof Openness>();
  return {
    ...real,
    gaussNewtonFiber: (...args: Parameters<typeof real.gaussNewtonFiber>) => {
      const r = real.gaussNewtonFiber(...args);
      // (3X, Y/3) is on the same fiber but a fixed distance away; X + 1 is not on the fiber at all.
      if (broken.farPoint) return { ...r, X: affine(r.X, 3, 0), Y: affine(r.Y, 1 / 3, 0) };
      if (broken.offFiber) return { ...r, X: affine(r.X, 1, 1) };
      return r;
    },
  };
});

vi.mock('../../src/landscape/hessian.js', async (importOriginal) => {
  const real = await importOriginal<typeof Hessian>();
  return {
    ...real,
    hessianSpectrum: (...args: Parameters<typeof real.hessianSpectrum>) => {
      const spec = real.hessianSpectrum(...args);
      return broken.psdHessian ? { ...spec, lambdaMin: Math.abs(spec.lambdaMin), negative: 0 } : spec;
    },
  };
});

const claim = <I>(id: string): Claim<I> => nrClaims.find((c) => c.id === id) as Claim<I>;
const product = (w: readonly Matrix[]) => chain([...w].reverse(), w[0].cols);
const distance = (a: readonly Matrix[], b: readonly Matrix[]) =>
  Math.hypot(...a.map((w, i) => frobeniusDistance(w, b[i])));

/** Gaussian layers of the given widths: full rank almost surely, so the tuple is non-degenerate. */
function tuple(widths: number[], seed: number): Matrix[] {
  const rng = new Rng(seed);
  return widths.slice(1).map((d, i) => gaussianMatrix(rng, d, widths[i]));
}

/** W_h⋯W_1 + δG cut to rank min_i d_i (a target in the range). */
function target(w: Matrix[], delta: number, seed: number): Matrix {
  const P = product(w);
  const G = gaussianMatrix(new Rng(seed), P.rows, P.cols);
  const Z = P.clone();
  for (let i = 0; i < Z.data.length; i++) Z.data[i] += (delta * G.data[i]) / frobeniusNorm(G);
  return bestRankK(Z, productRank(w).narrowest).matrix;
}

const hiddenBottleneck = (): LayerTuple => ({ weights: tuple([4, 2, 3, 2, 4], 3), name: 'hidden bottleneck', seed: 7 });

/** Widths 3-1-1-3 with W_2 = 0: degenerate (rank 0 < 1), outer layers of full rank. */
function zeroMiddle(): LayerTuple {
  const rng = new Rng(8);
  return {
    weights: [gaussianMatrix(rng, 1, 3), new Matrix(1, 1), gaussianMatrix(rng, 3, 1)],
    name: 'zero W_2',
    seed: 9,
  };
}

describe('liftedFiberPoint', () => {
  it('reaches Z exactly at a distance of order δ, the narrowest layer inside, at the input and at the output', () => {
    for (const [widths, seed] of [
      [[3, 2, 3], 1],
      [[3, 3, 1, 4], 2],
      [[4, 2, 3, 2, 4], 3],
      [[2, 3, 3], 4],
      [[3, 4, 2], 5],
    ] as Array<[number[], number]>) {
      const w = tuple(widths, seed);
      expect(productRank(w).nonDegenerate).toBe(true);
      const d = [1e-3, 1e-6].map((delta) => {
        const Z = target(w, delta, seed + 10);
        const lifted = liftedFiberPoint(w, Z);
        expect(lifted, `widths ${widths}, δ = ${delta}`).toBeDefined();
        const size = frobeniusNorm(Z) + lifted!.reduce((s, m) => s * frobeniusNorm(m), 1);
        expect(frobeniusDistance(product(lifted!), Z)).toBeLessThanOrEqual(FIBER_RTOL * size);
        return distance(lifted!, w);
      });
      expect(d[1] / d[0], `widths ${widths}: distances ${d}`).toBeLessThan(1e-2);
    }
  });
});

describe('fiberLowerBound', () => {
  it('is below the distance of explicit fiber points of a degenerate tuple, and bounded away from 0', () => {
    const w = zeroMiddle().weights;
    const rng = new Rng(4);
    for (const delta of [1e-2, 1e-6]) {
      const Z = target(w, delta, 21);
      const bound = fiberLowerBound(w, Z);
      expect(bound).toBeGreaterThan(0.05);
      // Fiber points W_3' = s·u, W_2' = c, W_1' = σvᵀ/(sc) for the rank-one Z = σuvᵀ, any s, c ≠ 0.
      const f = svd(Z);
      for (let t = 0; t < 20; t++) {
        const s = 0.2 + 3 * rng.uniform(),
          c = 0.2 + 3 * rng.uniform();
        const u = new Matrix(3, 1),
          v = new Matrix(1, 3);
        for (let i = 0; i < 3; i++) {
          u.data[i] = s * f.U.data[i * f.U.cols];
          v.data[i] = (f.s[0] * f.V.data[i * f.V.cols]) / (s * c);
        }
        const point = [v, Matrix.from([[c]]), u];
        expect(frobeniusDistance(product(point), Z)).toBeLessThan(1e-12);
        expect(distance(point, w)).toBeGreaterThanOrEqual(bound * (1 - 1e-12));
      }
    }
  });
});

describe('nr.deep-openness has teeth', () => {
  const lemma7 = claim<LayerTuple>('nr.deep-openness');

  it('holds at a hidden bottleneck and fails when the fiber point it is given stays a fixed distance away', () => {
    const kept = lemma7.check(hiddenBottleneck());
    expect(kept.status, kept.detail).toBe('pass');
    broken.farPoint = true;
    try {
      const refuted = lemma7.check(hiddenBottleneck());
      expect(refuted.status, refuted.detail).toBe('fail');
      expect(refuted.detail).toContain('must vanish');
    } finally {
      broken.farPoint = false;
    }
  });

  it('never passes on a point that is not on the fiber (not verified), and leaves degenerate tuples alone', () => {
    broken.offFiber = true;
    try {
      const unverified = lemma7.check(hiddenBottleneck());
      expect(unverified.status, unverified.detail).toBe('inconclusive');
    } finally {
      broken.offFiber = false;
    }
    const degenerate = lemma7.check(zeroMiddle());
    expect(degenerate.status, degenerate.detail).toBe('inconclusive');
    expect(degenerate.detail).toContain('outside Lemma 7');
  });

  it('draws non-degenerate tuples with the narrowest layer inside as well as at the ends', () => {
    const tuples = fc.sample(lemma7.instances, { seed: 5, numRuns: 60 });
    const ps = tuples.map((t) => productRank(t.weights));
    expect(ps.every((p) => p.nonDegenerate)).toBe(true);
    expect(ps.filter((p, i) => p.p > 0 && p.p < tuples[i].weights.length).length).toBeGreaterThan(5);
    expect(tuples.filter((t) => t.name.startsWith('rank-deficient')).length).toBeGreaterThan(5);
  });
});

describe('nr.deep-openness.everywhere (FALSE) has teeth', () => {
  const everywhere = claim<LayerTuple>('nr.deep-openness.everywhere');

  it('refutes a zero middle layer with full-rank outer layers, and not a non-degenerate tuple', () => {
    const refuted = everywhere.check(zeroMiddle());
    expect(refuted.status, refuted.detail).toBe('fail');
    expect(refuted.detail).toContain('stays ≥');
    const kept = everywhere.check(hiddenBottleneck());
    expect(kept.status, kept.detail).toBe('pass');
  });
});

describe('nr.deep-non-degenerate has teeth', () => {
  const lemma8 = claim<CriticalInstance>('nr.deep-non-degenerate');
  const points = fc.sample(lemma8.instances, { seed: 3, numRuns: 40 });
  const saddles = points.filter((p) => p.point.kind === 'gap');

  it('draws non-degenerate points, saddles among them, and passes them', () => {
    expect(points.every((p) => productRank(p.point.weights).nonDegenerate)).toBe(true);
    expect(saddles.length).toBeGreaterThanOrEqual(3);
    for (const p of points.slice(0, 10)) expect(lemma8.check(p).status).toBe('pass');
  });

  it('fails at a non-global point when its Hessian has no negative eigenvalue and nothing certifies descent', () => {
    broken.psdHessian = true;
    try {
      for (const p of saddles.slice(0, 3)) {
        const v = lemma8.check(p);
        expect(v.status, v.detail).toBe('fail');
        expect(v.detail).toContain('not global');
      }
    } finally {
      broken.psdHessian = false;
    }
  });

  it('leaves degenerate points (rank W_{N:1} < min d_i) alone: inconclusive, not judged', () => {
    const degenerate = fc
      .sample(criticalInstanceArb({ depth: [3, 3], width: [2, 4], kinds: ['top'], inputs: ['whitened'] }), {
        seed: 4,
        numRuns: 10,
      })
      .filter((p) => !productRank(p.point.weights).nonDegenerate);
    expect(degenerate.length).toBeGreaterThanOrEqual(2);
    for (const p of degenerate.slice(0, 2)) {
      const v = lemma8.check(p);
      expect(v.status, v.detail).toBe('inconclusive');
      expect(v.detail).toContain('outside Lemma 8');
    }
  });
});

describe('nr.deep-non-degenerate.global (FALSE) has teeth', () => {
  const globalOnly = claim<CriticalInstance>('nr.deep-non-degenerate.global');

  it('refutes a non-degenerate saddle (S with a gap), and not global minima', () => {
    const saddle = fc.sample(globalOnly.instances, { seed: 6, numRuns: 5 }).find((p) => p.point.kind === 'gap')!;
    const refuted = globalOnly.check(saddle);
    expect(refuted.status, refuted.detail).toBe('fail');
    const globals = fc
      .sample(claim<CriticalInstance>('nr.deep-non-degenerate').instances, { seed: 7, numRuns: 20 })
      .filter((p) => p.point.kind === 'global');
    expect(globals.length).toBeGreaterThanOrEqual(2);
    for (const p of globals.slice(0, 2)) expect(globalOnly.check(p).status).toBe('pass');
  });
});
