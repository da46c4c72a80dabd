import { describe, expect, it } from 'vitest';
import { DlnvError } from '../../src/errors.js';
import { metricOperator } from '../../src/geometry/metric-operator.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { balancedFactorization } from '../../src/model/balanced-init.js';
import { layerGradients } from '../../src/model/gradients.js';
import { loss } from '../../src/model/loss.js';
import { endToEnd } from '../../src/model/partial-products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import {
  checkEnvelope,
  diagonalModelMap,
  dlnModelMap,
  explicitModelMap,
  fitKlExponent,
  hadamardModelMap,
  jacobian,
  jacobianFromVjp,
  kernelSpectrum,
  klConstant,
  klEnvelope,
  logSpacedIndices,
  type ModelMap,
  packWeights,
  pathMinimum,
  pseudoInverseBound,
  rateFigure,
  rayleighBounds,
  rayleighQuotient,
  rayleighQuotientOf,
  rkhsNormSquared,
  squareLossAt,
  squareLossFlow,
  tangentKernel,
  unpackWeights,
} from '../../src/rayleigh/index.js';

const gaussian = (rng: Rng, n: number): Float64Array => Float64Array.from({ length: n }, () => rng.gaussian());
const dot = (x: ArrayLike<number>, y: ArrayLike<number>): number => Array.from(x).reduce((s, v, i) => s + v * y[i], 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

function models(rng: Rng): { map: ModelMap; theta: Float64Array }[] {
  const widths = [3, 2, 4, 2];
  const X = gaussianMatrix(rng, 3, 5),
    A = gaussianMatrix(rng, 3, 5);
  return [
    { map: dlnModelMap(widths, X), theta: gaussian(rng, 6 + 8 + 8) },
    { map: dlnModelMap([2, 3, 2]), theta: gaussian(rng, 12) },
    { map: dlnModelMap([3, 2]), theta: gaussian(rng, 6) },
    { map: diagonalModelMap(A), theta: gaussian(rng, 10) },
    { map: hadamardModelMap(A, 3), theta: gaussian(rng, 5) },
  ];
}

describe('model maps', () => {
  it('jvp and vjp are adjoint and match finite differences of evaluate', () => {
    const rng = new Rng(1);
    for (const { map, theta } of models(rng)) {
      const v = gaussian(rng, map.parameterDim),
        w = gaussian(rng, map.outputDim);
      const jv = map.jvp(theta, v),
        jw = map.vjp(theta, w);
      expect(Math.abs(dot(jv, w) - dot(v, jw)), map.name).toBeLessThan(1e-12 * (1 + Math.abs(dot(jv, w))));
      const h = 1e-6;
      const fp = map.evaluate(theta.map((x, k) => x + h * v[k])),
        fm = map.evaluate(theta.map((x, k) => x - h * v[k]));
      const fd = fp.map((x, i) => (x - fm[i]) / (2 * h));
      expect(maxDiff(fd, jv), map.name).toBeLessThan(1e-7 * (1 + Math.max(...Array.from(jv, Math.abs))));
      expect(maxDiff(jacobian(map, theta).data, jacobianFromVjp(map, theta).data), map.name).toBeLessThan(1e-12);
    }
  });

  it('the DLN kernel at a balanced θ with X = I is the end-to-end metric operator A_W', () => {
    const rng = new Rng(2);
    const target = gaussianMatrix(rng, 3, 3);
    const widths = [3, 3, 3, 3];
    const weights = balancedFactorization(target, widths, rng);
    const map = dlnModelMap(widths);
    const K = tangentKernel(map, packWeights(weights));
    const op = metricOperator(endToEnd(weights), 3);
    const Z = gaussianMatrix(rng, 3, 3);
    const KZ = new Float64Array(9);
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) KZ[i] += K.data[i * 9 + j] * Z.data[j];
    expect(maxDiff(KZ, op.apply(Z).data)).toBeLessThan(1e-12);
    expect(Math.abs(kernelSpectrum(K).lambdaMin - op.smallestTangentEigenvalue())).toBeLessThan(1e-12);
  });

  it('closed-form kernels of the diagonal network and the Hadamard map', () => {
    const rng = new Rng(3);
    const X = gaussianMatrix(rng, 3, 4);
    const theta = gaussian(rng, 8);
    const K = tangentKernel(diagonalModelMap(X), theta);
    const L = 3,
      A = gaussianMatrix(rng, 2, 4),
      u = gaussian(rng, 4);
    const K2 = tangentKernel(hadamardModelMap(A, L), u);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += X.get(i, k) * 4 * (theta[k] ** 2 + theta[4 + k] ** 2) * X.get(j, k);
        expect(Math.abs(K.get(i, j) - s)).toBeLessThan(1e-12 * (1 + Math.abs(s)));
      }
    }
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += A.get(i, k) * L * L * u[k] ** (2 * L - 2) * A.get(j, k);
        expect(Math.abs(K2.get(i, j) - s)).toBeLessThan(1e-12 * (1 + Math.abs(s)));
      }
    }
  });

  it('the DLN square loss agrees with src/model (loss and layer gradients)', () => {
    const rng = new Rng(4);
    const widths = [2, 3, 2];
    const X = gaussianMatrix(rng, 2, 4),
      Y = gaussianMatrix(rng, 2, 4);
    const weights = [gaussianMatrix(rng, 3, 2), gaussianMatrix(rng, 2, 3)];
    const map = dlnModelMap(widths, X);
    const p = squareLossAt(map, packWeights(weights), Y.data.slice());
    expect(Math.abs(p.loss - loss(weights, { X, Y }))).toBeLessThan(1e-13);
    expect(maxDiff(p.gradient, packWeights(layerGradients(weights, { X, Y })))).toBeLessThan(1e-13);
    expect(unpackWeights(packWeights(weights), widths).map((w) => w.toArray())).toEqual(
      weights.map((w) => w.toArray()),
    );
  });

  it('explicitModelMap builds jvp/vjp from a Jacobian formula', () => {
    const map = explicitModelMap({
      name: 'f(θ) = (θ₁θ₂, θ₁²)',
      parameterDim: 2,
      outputDim: 2,
      evaluate: (t) => Float64Array.of(t[0] * t[1], t[0] * t[0]),
      jacobian: (t) =>
        Matrix.from([
          [t[1], t[0]],
          [2 * t[0], 0],
        ]),
    });
    const theta = Float64Array.of(2, 3);
    expect(Array.from(map.jvp(theta, Float64Array.of(1, 0)))).toEqual([3, 4]);
    expect(Array.from(map.vjp(theta, Float64Array.of(0, 1)))).toEqual([4, 0]);
  });

  it('rejects bad input with a one-line error naming the argument', () => {
    const map = dlnModelMap([2, 2]);
    expect(() => jacobian(map, new Float64Array(3))).toThrow(/theta/);
    expect(() => squareLossAt(map, new Float64Array(4), Float64Array.of(NaN, 0, 0, 0))).toThrow(/target/);
    expect(() => dlnModelMap([2, 0])).toThrow(DlnvError);
    expect(() => hadamardModelMap(Matrix.identity(2), 0)).toThrow(/L/);
    expect(() => klEnvelope(1, 0, 1, 1)).toThrow(/a/);
    expect(() => klEnvelope(-1, 1, 1, 1)).toThrow(/L0/);
  });
});

describe('Rayleigh quotients and bounds', () => {
  it('λ_min ≤ R ≤ λ_max and R ≥ ‖g‖²/⟨g, K⁺g⟩ on the range', () => {
    const rng = new Rng(5);
    for (const { map, theta } of models(rng)) {
      const K = tangentKernel(map, theta);
      const g = map.jvp(theta, gaussian(rng, map.parameterDim));
      const b = rayleighBounds(K, g);
      expect(b.R).toBeGreaterThanOrEqual(b.lambdaMin - 1e-12 * b.lambdaMax);
      expect(b.R).toBeLessThanOrEqual(b.lambdaMax * (1 + 1e-12));
      expect(b.R).toBeGreaterThanOrEqual(b.pinvBound * (1 - 1e-8));
      expect(b.rangeResidual).toBeLessThan(1e-10);
      expect(Math.abs(rayleighQuotientOf(map, theta, g) - b.R)).toBeLessThan(1e-12 * b.lambdaMax);
    }
  });

  it('on an eigenvector R is the eigenvalue and the pseudo-inverse bound is tight', () => {
    const K = Matrix.diag([3, 1, 0]);
    const g = Float64Array.of(0, 2, 0);
    expect(rayleighQuotient(K, g)).toBe(1);
    const s = kernelSpectrum(K);
    expect(s.rank).toBe(2);
    expect(pseudoInverseBound(s, g)).toBeCloseTo(1, 14);
    expect(rkhsNormSquared(s, Float64Array.of(0, 0, 1)).rangeResidual).toBe(1);
  });
});

describe('KL envelopes and fits', () => {
  it('the envelopes solve L′ = −cL^a', () => {
    for (const a of [1, 1.5, 2, 3]) {
      const c = 0.7,
        L0 = 2,
        t = 1.3,
        h = 1e-5;
      const d = (klEnvelope(L0, a, c, t + h) - klEnvelope(L0, a, c, t - h)) / (2 * h);
      expect(d / (-c * klEnvelope(L0, a, c, t) ** a)).toBeCloseTo(1, 8);
      expect(klEnvelope(L0, a, c, 0)).toBeCloseTo(L0, 14);
    }
    expect(klEnvelope(1, 0.5, 1, 10)).toBe(0);
  });

  it('fits the exponent of an exact power law on the tail above the floor, and says where', () => {
    const a = 1.6,
      c = 2;
    const t = Array.from({ length: 400 }, (_, i) => (i === 0 ? 0 : 10 ** (-2 + (8 * i) / 399)));
    const lossValues = t.map((s) => klEnvelope(1, a, c, s));
    const tr = { t, loss: lossValues, gradientNormSquared: lossValues.map((l) => c * l ** a) };
    const fit = fitKlExponent(tr)!;
    expect(fit.a).toBeCloseTo(a, 10);
    expect(fit.c).toBeCloseTo(c, 8);
    expect(fit.lossRange[0]).toBeGreaterThanOrEqual(fit.floor);
    expect(fit.tRange[0]).toBeGreaterThan(0);
    expect(klConstant(tr, a).value).toBeCloseTo(c, 10);
    expect(checkEnvelope(tr, { name: 'exact', a, c, relative: 1e-9, absolute: 0 }).status).toBe('pass');
    // The same constant with a smaller exponent predicts a faster decay than the trajectory has.
    expect(checkEnvelope(tr, { name: 'wrong a', a: 1, c, relative: 1e-9, absolute: 0 }).status).toBe('fail');
  });

  it('pathMinimum never exceeds the sampled minimum', () => {
    const m = pathMinimum([3, 2, 2.5, 4]);
    expect(m.sampled).toBe(2);
    expect(m.at).toBe(1);
    expect(m.value).toBeLessThanOrEqual(2);
    expect(m.value).toBe(1);
  });
});

describe('squareLossFlow', () => {
  it('matches the closed form of the scalar depth-2 balanced flow to a zero target', () => {
    // w1 = w2 = s, f = s², L = ½s⁴: ṡ = −s³ ⇒ s(t) = (s0^{-2} + 2t)^{-1/2}.
    const map = dlnModelMap([1, 1, 1]);
    const s0 = 0.8;
    const r = squareLossFlow(map, Float64Array.of(0), Float64Array.of(s0, s0), { T: 100 });
    const k = r.t.length - 1;
    const s = (s0 ** -2 + 2 * r.t[k]) ** -0.5;
    expect(r.loss[k] / (0.5 * s ** 4)).toBeCloseTo(1, 8);
    const fit = fitKlExponent(r)!;
    expect(fit.a).toBeCloseTo(1.5, 6);
  });

  it('logSpacedIndices keeps the ends and at most maxPoints', () => {
    const t = Array.from({ length: 5000 }, (_, i) => i * 0.01);
    const keep = logSpacedIndices(t, 50);
    expect(keep.length).toBeLessThanOrEqual(50);
    expect(keep[0]).toBe(1);
    expect(keep[keep.length - 1]).toBe(4999);
    const fig = rateFigure({
      title: 'x',
      yLabel: 'L',
      t,
      measured: { name: 'L', y: t.map((s) => Math.exp(-s)) },
      predicted: [{ name: 'env', y: t }],
    });
    expect(fig.series.map((s) => s.style)).toEqual(['line', 'dashed']);
  });
});
