import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError, ShapeError } from '../../src/errors.js';
import { Matrix } from '../../src/linalg/matrix.js';
import {
  balancedFactorization,
  hessianForm,
  layerGradients,
  loss,
  maxBalancednessDefect,
  partialProduct,
  widthsOf,
} from '../../src/model/index.js';
import { Rng } from '../../src/random/rng.js';

const w1 = Matrix.from([
  [1, 2],
  [3, 4],
  [5, 6],
]); // 3×2
const w2 = Matrix.from([[1, 0, 1]]); // 1×3
const data = {
  X: Matrix.from([
    [1, 0],
    [0, 1],
  ]),
  Y: Matrix.from([[1, 2]]),
};

describe('model input validation names the argument and the expected shape', () => {
  it('rejects N = 0', () => {
    expect(() => widthsOf([])).toThrow(DomainError);
    expect(() => loss([], data)).toThrow(/depth N must be ≥ 1/);
  });
  it('rejects layers that do not chain', () => {
    expect(() => loss([w1, w1], data)).toThrow(ShapeError);
    expect(() => loss([w1, w1], data)).toThrow(/weights\[1\] \(W_2\): expected shape 3×3 \(d_2×d_1\), received 3×2/);
  });
  it('rejects data of the wrong shape', () => {
    expect(() => loss([w1, w2], { X: Matrix.from([[1, 2, 3]]), Y: data.Y })).toThrow(/data\.X: expected shape 2×m/);
    expect(() => layerGradients([w1, w2], { X: data.X, Y: Matrix.from([[1], [2]]) })).toThrow(
      /data\.Y: expected shape 1×2/,
    );
  });
  it('rejects NaN and Infinity entries', () => {
    const bad = w1.clone();
    bad.set(1, 1, Number.NaN);
    expect(() => loss([bad, w2], data)).toThrow(NonFiniteError);
    expect(() => loss([bad, w2], data)).toThrow(/W_1.*entry 3 is NaN/);
    const inf = data.X.clone();
    inf.set(0, 0, Infinity);
    expect(() => loss([w1, w2], { X: inf, Y: data.Y })).toThrow(/data\.X: entry 0 is Infinity/);
    expect(() => Matrix.from([[1, NaN]], 'Z')).toThrow(/Z: entry 1 is NaN/);
  });
  // loss() scans the entries only when its value is not finite (src/model/loss.ts): every non-finite entry, even one
  // that meets only zeros (0·∞ = NaN), must still reach that scan, in the JavaScript kernel (d = 2) and in the
  // WebAssembly/native one (d = 20: 8000 multiply-adds per product).
  it.each([2, 20])('rejects a non-finite entry anywhere, among zeros, at d = %i', (d) => {
    const zeros = (): Matrix => new Matrix(d, d);
    for (const value of [Number.NaN, Infinity, -Infinity]) {
      for (const [where, pattern] of [
        [0, /W_1/],
        [2, /W_3/],
        ['X', /data\.X/],
        ['Y', /data\.Y/],
      ] as const) {
        const weights = [zeros(), zeros(), zeros()];
        const X = zeros(),
          Y = zeros();
        const target = where === 'X' ? X : where === 'Y' ? Y : weights[where];
        target.set(d - 1, 0, value);
        expect(() => loss(weights, { X, Y }), `${value} in ${where}`).toThrow(NonFiniteError);
        expect(() => loss(weights, { X, Y }), `${value} in ${where}`).toThrow(pattern);
      }
    }
  });
  it('returns an overflowing loss of finite inputs as Infinity', () => {
    const huge = Matrix.from([[1e200]]);
    expect(loss([huge, huge], { X: Matrix.from([[1]]), Y: Matrix.from([[0]]) })).toBe(Infinity);
  });
  // maxBalancednessDefect too scans for such entries only when its result is not finite (chainedShapes): one
  // NaN or ±∞ anywhere, among zeros (0·∞ = NaN) or among Gaussian entries, at widths 1–9 or 17 (the native 16×8
  // tiles and their edge), must still throw the error of widthsOf or validateData.
  it('rejects NaN and ±∞ anywhere in the weights or the data of loss and maxBalancednessDefect', () => {
    const rng = new Rng(2061);
    for (let trial = 0; trial < 300; trial++) {
      const depth = rng.integer(1, 4),
        zeros = trial % 3 === 0,
        widths = Array.from({ length: depth + 1 }, () => (trial % 10 === 0 ? 17 : rng.integer(1, 9)));
      const fill = (rows: number, cols: number) =>
        new Matrix(
          rows,
          cols,
          Float64Array.from({ length: rows * cols }, () => (zeros ? 0 : rng.gaussian())),
        );
      const weights = widths.slice(1).map((d, j) => fill(d, widths[j]));
      const m = rng.integer(1, 5),
        data = { X: fill(widths[0], m), Y: fill(widths[depth], m) };
      const replay = `trial ${trial} (Rng 2061), widths ${widths.join('-')}, m = ${m}${zeros ? ', zeros' : ''}`;
      expect(Number.isFinite(loss(weights, data)), replay).toBe(true);
      expect(Number.isFinite(maxBalancednessDefect(weights)), replay).toBe(true);
      const bad = [Number.NaN, Infinity, -Infinity][trial % 3];
      const target = rng.integer(0, depth + 1); // a weight, or X (depth), or Y (depth + 1)
      const matrix = target < depth ? weights[target] : target === depth ? data.X : data.Y;
      const entry = rng.integer(0, matrix.data.length - 1);
      matrix.data[entry] = bad;
      const name = target < depth ? `W_${target + 1}` : target === depth ? 'data\\.X' : 'data\\.Y';
      const message = new RegExp(`${name}.*entry ${entry} is ${String(bad)}`);
      expect(() => loss(weights, data), replay).toThrow(message);
      if (target < depth) expect(() => maxBalancednessDefect(weights), replay).toThrow(message);
      else expect(Number.isFinite(maxBalancednessDefect(weights)), replay).toBe(true);
    }
  });
  it('rejects a negative weight decay, bad partial-product indices and directions of the wrong shape', () => {
    expect(() => loss([w1, w2], data, { weightDecay: -1 })).toThrow(/weightDecay/);
    expect(() => partialProduct([w1, w2], 3, 1)).toThrow(DomainError);
    expect(() => hessianForm([w1, w2], data, [w1])).toThrow(/Δ: expected shape 2 matrices/);
  });
  it('rejects a balanced factorization through a bottleneck narrower than the target rank', () => {
    expect(() => balancedFactorization(Matrix.identity(3), [3, 2, 3])).toThrow(
      /rank 3 exceeds the narrowest hidden width 2/,
    );
  });
});

describe('partial products', () => {
  it('W_{b:a} = I when a > b, sized d_{a−1}', () => {
    const i = partialProduct([w1, w2], 1, 2);
    expect(i.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(partialProduct([w1, w2], 2, 1).toArray()).toEqual([[6, 8]]);
  });
});
