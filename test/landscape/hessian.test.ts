import { describe, expect, it } from 'vitest';
import { flatten, fullHessian, hessianMagnitude, hessianSpectrum, unflatten } from '../../src/landscape/hessian.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { hessianVectorProduct } from '../../src/model/hessian.js';
import type { LossScale } from '../../src/model/loss.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

function instance(rng: Rng, widths: number[], m: number) {
  const weights = widths.slice(1).map((r, j) => gaussianMatrix(rng, r, widths[j]));
  return {
    weights,
    data: { X: gaussianMatrix(rng, widths[0], m), Y: gaussianMatrix(rng, widths[widths.length - 1], m) },
  };
}

describe('fullHessian (block assembly) against src/model Hessian-vector products', () => {
  const rng = new Rng(31);
  const cases: Array<[number[], LossScale]> = [
    [[3, 2], 'half'],
    [[2, 3, 2], 'sum'],
    [[3, 2, 4, 2], 'mean'],
    [[2, 3, 1, 2, 3], 'half'],
    [[1, 2, 2, 1, 2, 1], 'sum'],
  ];
  for (const [widths, scale] of cases) {
    it(`widths ${widths.join('-')}, scale ${scale}`, () => {
      const { weights, data } = instance(rng, widths, 4);
      const H = fullHessian(weights, data, scale);
      for (let trial = 0; trial < 3; trial++) {
        const d = weights.map((w) => gaussianMatrix(rng, w.rows, w.cols));
        const hv = flatten(hessianVectorProduct(weights, data, d, { scale }));
        const dv = flatten(d);
        let err = 0,
          size = 0;
        for (let p = 0; p < H.size; p++) {
          let s = 0;
          for (let q = 0; q < H.size; q++) s += H.matrix.data[p * H.size + q] * dv[q];
          err = Math.max(err, Math.abs(s - hv[p]));
          size = Math.max(size, Math.abs(hv[p]));
        }
        expect(err).toBeLessThan(1e-12 * (1 + size));
      }
      for (let p = 0; p < H.size; p++)
        for (let q = 0; q < p; q++) expect(H.matrix.data[p * H.size + q]).toBe(H.matrix.data[q * H.size + p]);
      const mag = hessianMagnitude(weights, data, scale);
      for (let i = 0; i < mag.data.length; i++)
        expect(mag.data[i]).toBeGreaterThanOrEqual(Math.abs(H.matrix.data[i]) * (1 - 1e-12));
    });
  }

  it('flatten/unflatten round-trip and the spectrum is sorted with a strict tolerance', () => {
    const { weights, data } = instance(rng, [2, 2, 2], 3);
    expect(unflatten(weights, flatten(weights)).map((m) => m.toArray())).toEqual(weights.map((m) => m.toArray()));
    const s = hessianSpectrum(weights, data);
    for (let i = 1; i < s.values.length; i++) expect(s.values[i]).toBeLessThanOrEqual(s.values[i - 1]);
    expect(s.negative + s.zero + s.positive).toBe(s.values.length);
    // At the origin of a depth-3 network the Hessian is exactly 0 and τ_H is the smallest positive double.
    const zero = [new Matrix(2, 2), new Matrix(2, 2), new Matrix(2, 2)];
    const z = hessianSpectrum(zero, data);
    expect(z.lambdaMin).toBe(0);
    expect(z.tolerance).toBe(Number.MIN_VALUE);
    expect(() => hessianSpectrum(weights, data, 'half', 4)).toThrow(/more than the limit/);
  });
});
