import { describe, expect, it } from 'vitest';
import { classifyPoint } from '../../src/landscape/classify.js';
import { randomCriticalPoint } from '../../src/landscape/construct.js';
import { landscapeData } from '../../src/landscape/data.js';
import { lbfgs, newtonPolish } from '../../src/landscape/descent.js';
import { buildFrame, globalValue } from '../../src/landscape/frame.js';
import {
  burerMonteiroDescend,
  iclr18Example,
  positivePart,
  twoLayerClosedForm,
  twoLayerMinimizer,
} from '../../src/landscape/nr-models.js';
import { trustRegionDescent } from '../../src/landscape/trust-region.js';
import { frobeniusDistance } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { layerGradients } from '../../src/model/gradients.js';
import { loss } from '../../src/model/loss.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

describe('two-layer closed form (NR) and the frame agree, also with rank-deficient X', () => {
  it('closed form = frame global value = value of the explicit minimizer', () => {
    const rng = new Rng(8);
    for (let t = 0; t < 20; t++) {
      const d0 = rng.integer(1, 4),
        d1 = rng.integer(1, 4),
        d2 = rng.integer(1, 4),
        m = rng.integer(1, 5);
      const rho = Math.max(1, Math.min(d0, m) - rng.integer(0, 2));
      const data = {
        X: multiply(gaussianMatrix(rng, d0, rho), gaussianMatrix(rng, rho, m)),
        Y: gaussianMatrix(rng, d2, m),
      };
      const cf = twoLayerClosedForm(data, [d0, d1, d2], 'sum');
      expect(cf.value).toBeCloseTo(globalValue(buildFrame(data, 'sum'), [d0, d1, d2]), 10);
      expect(loss(twoLayerMinimizer(data, [d0, d1, d2], rng), data, { scale: 'sum' })).toBeCloseTo(cf.value, 10);
    }
    expect(() => twoLayerClosedForm({ X: Matrix.identity(2), Y: Matrix.identity(2) }, [2, 2, 2, 2])).toThrow(/widths/);
  });
});

describe('descent and Newton polishing', () => {
  it('L-BFGS never increases f and converges on a quadratic', () => {
    const r = lbfgs(
      (x) => (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2,
      (x) => Float64Array.from([2 * (x[0] - 1), 20 * (x[1] + 2)]),
      Float64Array.from([5, 5]),
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(-2, 8);
  });

  it('descent from random starts reaches the global value; Newton polishes a perturbed saddle back to a critical point', () => {
    const rng = new Rng(9);
    const data = landscapeData(rng, { d0: 3, dN: 3, inputs: 'conditioned' });
    const frame = buildFrame(data);
    const start = [gaussianMatrix(rng, 2, 3, 0.5), gaussianMatrix(rng, 3, 2, 0.5), gaussianMatrix(rng, 3, 3, 0.5)];
    const r = trustRegionDescent(start, data);
    expect(r.converged).toBe(true);
    expect(r.loss).toBeLessThanOrEqual(r.initialLoss);
    expect(Math.abs(r.loss - globalValue(frame, [3, 2, 3, 3]))).toBeLessThan(1e-9);
    const saddle = randomCriticalPoint(rng, frame, data, [3, 3, 3], 'gap');
    const moved = saddle.weights.map((w) => {
      const m = w.clone();
      for (let i = 0; i < m.data.length; i++) m.data[i] += 1e-3 * rng.gaussian();
      return m;
    });
    const p = newtonPolish(moved, data);
    expect(p.converged).toBe(true);
    expect(Math.hypot(...layerGradients(p.weights, data).map((g) => Math.hypot(...g.data)))).toBeLessThanOrEqual(
      p.tolerance,
    );
    expect(classifyPoint(p.weights, data).mismatches).toEqual([]);
  });
});

describe('Burer–Monteiro and the ICLR example', () => {
  it('reaches M_+ when k > #positive eigenvalues', () => {
    const rng = new Rng(10);
    const M = Matrix.from([
      [1, 0.5, 0],
      [0.5, -1, 0.2],
      [0, 0.2, 0.6],
    ]);
    const r = burerMonteiroDescend(gaussianMatrix(rng, 3, 3, 0.5), M);
    expect(r.distance).toBeLessThan(1e-7);
    const P = positivePart(M);
    expect(frobeniusDistance(multiply(r.X, r.X, 'n', 't'), P)).toBeLessThan(1e-7);
  });

  it('the example is critical, the curve formula is exact, and symmetries keep it', () => {
    const ex = iclr18Example({ scale: 'sum' });
    expect(layerGradients(ex.weights, ex.data, { scale: 'sum' }).every((g) => g.data.every((x) => x === 0))).toBe(true);
    for (const t of [0.2, 0.6]) expect(loss(ex.curve(t), ex.data, { scale: 'sum' })).toBeCloseTo(ex.curveLoss(t), 14);
    expect(() =>
      iclr18Example({
        Oin: Matrix.from([
          [1, 1],
          [0, 1],
        ]),
      }),
    ).toThrow(/orthogonal/);
  });
});
