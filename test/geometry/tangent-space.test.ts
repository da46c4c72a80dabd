import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/errors.js';
import {
  fixedRankPoint,
  fromSvdCoordinates,
  normalProject,
  retract,
  tangentBasis,
  tangentDimension,
  tangentProject,
  tangentResidual,
  toSvdCoordinates,
} from '../../src/geometry/index.js';
import { frobeniusInner } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { svd } from '../../src/linalg/svd.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { distance, EPS, frobeniusNorm, spectrum, withSpectrum } from './helpers.js';

const CASES: Array<{ m: number; n: number; k: number }> = [
  { m: 4, n: 4, k: 4 },
  { m: 4, n: 4, k: 2 },
  { m: 3, n: 6, k: 2 },
  { m: 6, n: 3, k: 1 },
  { m: 5, n: 2, k: 2 },
];
const COND = 4;

/** Round-off of one projection: products with orthonormal factors cost ~(m+n)ε·‖Z‖; factor 8 of slack. */
const projectionTol = (m: number, n: number, z: number): number => 8 * EPS * (m + n) * z;

describe('fixed-rank point', () => {
  it('finds the numerical rank (σ ≤ 1e-10·σ_1 → 0) and reports what an explicit rank discards', () => {
    const rng = new Rng(1);
    const w = withSpectrum(rng, 5, 4, [3, 2, 1]);
    const p = fixedRankPoint(w);
    expect(p.k).toBe(3);
    expect(p.s[3]).toBe(0);
    expect(distance(p.W, w)).toBeLessThanOrEqual(16 * EPS * 9 * 3);
    const q = fixedRankPoint(w, { rank: 2 });
    expect(q.k).toBe(2);
    expect(Math.abs(q.discarded - 1)).toBeLessThanOrEqual(64 * EPS);
    expect(() => fixedRankPoint(w, { rank: 5 })).toThrow(DomainError);
    expect(() => fixedRankPoint(w, { rank: 4 })).toThrow(DomainError); // σ_4 = 0: not on M_4
  });

  it('tangentDimension is k(m + n − k)', () => {
    expect(tangentDimension(4, 6, 2)).toBe(16);
    expect(tangentDimension(3, 3, 3)).toBe(9);
    expect(tangentDimension(3, 5, 0)).toBe(0);
    expect(() => tangentDimension(3, 5, 4)).toThrow(DomainError);
  });
});

describe('tangent and normal spaces', () => {
  it('the tangent basis is Frobenius-orthonormal, has k(m+n−k) elements, and each element is tangent', () => {
    const rng = new Rng(2);
    for (const { m, n, k } of CASES) {
      const point = fixedRankPoint(withSpectrum(rng, m, n, spectrum(k, COND)));
      const basis = tangentBasis(point);
      expect(basis.length).toBe(tangentDimension(m, n, k));
      for (let p = 0; p < basis.length; p++) {
        for (let q = p; q < basis.length; q++) {
          // ⟨u_a v_bᵀ, u_c v_dᵀ⟩ = (u_a·u_c)(v_b·v_d): error ~(m+n)ε from the orthonormality of the factors.
          expect(Math.abs(frobeniusInner(basis[p], basis[q]) - (p === q ? 1 : 0))).toBeLessThanOrEqual(
            projectionTol(m, n, 1),
          );
        }
        expect(distance(tangentProject(point, basis[p]), basis[p])).toBeLessThanOrEqual(projectionTol(m, n, 1));
        expect(tangentResidual(point, basis[p]).tangent).toBe(true);
      }
    }
  });

  it('P_T is idempotent, P_T + P_N = I, P_T Z ⊥ P_N Z, and P_T equals the coordinate mask {a ≤ k or b ≤ k}', () => {
    const rng = new Rng(3);
    for (const { m, n, k } of CASES) {
      const point = fixedRankPoint(withSpectrum(rng, m, n, spectrum(k, COND)));
      const z = gaussianMatrix(rng, m, n),
        nz = frobeniusNorm(z),
        tol = projectionTol(m, n, nz);
      const pt = tangentProject(point, z),
        pn = normalProject(point, z);
      expect(distance(tangentProject(point, pt), pt)).toBeLessThanOrEqual(tol);
      expect(frobeniusNorm(tangentProject(point, pn))).toBeLessThanOrEqual(tol);
      const sum = pt.clone();
      for (let i = 0; i < sum.data.length; i++) sum.data[i] += pn.data[i];
      expect(distance(sum, z)).toBeLessThanOrEqual(tol);
      expect(Math.abs(frobeniusInner(pt, pn))).toBeLessThanOrEqual(tol * nz);
      const masked = toSvdCoordinates(point, z);
      for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) if (a >= k && b >= k) masked.data[a * n + b] = 0;
      expect(distance(fromSvdCoordinates(point, masked), pt)).toBeLessThanOrEqual(tol);
    }
  });

  it('membership test: tangent vectors pass; a vector with a normal component fails (k < min(m, n))', () => {
    const rng = new Rng(4);
    for (const { m, n, k } of CASES) {
      const point = fixedRankPoint(withSpectrum(rng, m, n, spectrum(k, COND)));
      const z = gaussianMatrix(rng, m, n);
      const tangent = tangentResidual(point, tangentProject(point, z));
      expect(tangent.tangent).toBe(true);
      expect(tangent.bound).toBeGreaterThan(0); // never atol = 0
      const general = tangentResidual(point, z);
      if (k < Math.min(m, n)) {
        expect(general.tangent).toBe(false);
        expect(general.relative).toBeGreaterThan(1e-3);
      } else {
        expect(general.tangent).toBe(true); // the normal space is {0}
      }
    }
    const point = fixedRankPoint(withSpectrum(rng, 3, 3, [1]));
    expect(() => tangentResidual(point, new Matrix(3, 2))).toThrow(ShapeError);
  });
});

describe('retraction R_W(tξ) = [W + tξ]_k', () => {
  it('stays in M_k, R(0) = W, and R(tξ) = W + tξ + O(t²) for tangent ξ (error ratio ≈ 4 when t halves)', () => {
    const rng = new Rng(5);
    for (const { m, n, k } of CASES) {
      const point = fixedRankPoint(withSpectrum(rng, m, n, spectrum(k, COND)));
      const xi = tangentProject(point, gaussianMatrix(rng, m, n));
      expect(distance(retract(point, xi, 0), point.W)).toBeLessThanOrEqual(projectionTol(m, n, 1) * 4);
      const r = retract(point, xi, 0.3);
      const s = svd(r).s;
      expect(s[k - 1]).toBeGreaterThan(1e-3);
      if (k < s.length) expect(s[k]).toBeLessThanOrEqual(16 * EPS * (m + n) * s[0]);
      if (k === Math.min(m, n)) continue; // full rank: R(tξ) = W + tξ exactly, nothing of order t²
      const err = (t: number): number => {
        const line = point.W.clone();
        for (let i = 0; i < line.data.length; i++) line.data[i] += t * xi.data[i];
        return distance(retract(point, xi, t), line);
      };
      // Second-order model e(t) = C t² + O(t³): between t = 1e-2 and 5e-3 the ratio is 4 ± O(t); round-off (~ε)
      // is far below e(5e-3) ≈ 2.5e-5·C.
      const ratio = err(1e-2) / err(5e-3);
      expect(ratio).toBeGreaterThan(3.6);
      expect(ratio).toBeLessThan(4.4);
    }
  });
});
