import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { buildKernelModule } from '../../src/wasm/kernels.js';
import { Arena, wasmAvailable } from '../../src/wasm/runtime.js';

/**
 * The single-entry SGD kernels (src/wasm/sgd.ts) against the plain loops of their contract, bit for bit (Object.is),
 * over lengths that exercise both lanes and the odd scalar step, and their `finite` result at every position.
 */

function fill(rng: Rng, v: Float64Array): Float64Array {
  for (let k = 0; k < v.length; k++) v[k] = rng.gaussian();
  return v;
}

function expectBitwise(actual: Float64Array, expected: Float64Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < actual.length; k++)
    if (!Object.is(actual[k], expected[k])) expect.fail(`${what}[${k}]: ${actual[k]} ≠ ${expected[k]} (bitwise)`);
}

const eta = 0.37,
  mu = 0.013;
/** η·μ·1e300 overflows. */
const HUGE = 1e300,
  BIG_MU = 1e10;

it('the kernel module holding them validates (an invalid one would turn WebAssembly off, and these tests, silently)', () => {
  expect(WebAssembly.validate(buildKernelModule({ initialPages: 1 }))).toBe(true);
});

describe.runIf(wasmAvailable())('the single-entry SGD kernels', () => {
  const arena = wasmAvailable() ? new Arena(8 * 4096, 0) : undefined;
  const rng = new Rng(12);
  const views = arena ? { w: arena.view(64), a: arena.view(8), x: arena.view(8), y: arena.view(8) } : undefined;

  it('decay: v ← v − η(μv) on entries start..end−1 only', () => {
    const { w } = views!;
    for (let start = 0; start < 3; start++) {
      for (let end = start; end <= 12; end++) {
        const v = w.subarray(0, 12);
        fill(rng, v);
        const expected = Float64Array.from(v, (u, k) => (k >= start && k < end ? u - eta * (mu * u) : u));
        expect(arena!.decay(eta, mu, v, start, end)).toBe(true);
        expectBitwise(v, expected, `decay ${start}..${end}`);
      }
    }
  });

  it('decay: reports a non-finite result in either lane and in the odd step', () => {
    const v = views!.w.subarray(0, 5);
    for (let k = 0; k < 5; k++) {
      fill(rng, v);
      expect(arena!.decay(eta, BIG_MU, v, 0, 5)).toBe(true);
      v[k] = HUGE;
      expect(arena!.decay(eta, BIG_MU, v, 0, 5)).toBe(false);
      fill(rng, v);
      v[k] = NaN;
      expect(arena!.decay(eta, mu, v, 0, 5)).toBe(false);
    }
  });

  it('fused: y ← y + Wᵀa row by row while W ← W − η(a xᵀ + μW)', () => {
    const { w: wAll, a: aAll, x: xAll, y: yAll } = views!;
    for (let rows = 1; rows <= 5; rows++) {
      for (let cols = 1; cols <= 5; cols++) {
        const w = fill(rng, wAll.subarray(0, rows * cols)),
          a = fill(rng, aAll.subarray(0, rows));
        const x = fill(rng, xAll.subarray(0, cols)),
          y = fill(rng, yAll.subarray(0, cols));
        const W = Float64Array.from(w),
          Y = Float64Array.from(y);
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const old = W[r * cols + c];
            Y[c] += old * a[r];
            W[r * cols + c] = old - eta * (a[r] * x[c] + mu * old);
          }
        }
        expect(arena!.fused(eta, mu, w, a, x, y)).toBe(true);
        expectBitwise(w, W, `fused ${rows}×${cols} W`);
        expectBitwise(y, Y, `fused ${rows}×${cols} y`);
        for (let k = 0; k < rows * cols; k++) {
          fill(rng, w);
          w[k] = HUGE;
          expect(arena!.fused(eta, BIG_MU, w, a, x, y), `${rows}×${cols} entry ${k}`).toBe(false);
        }
      }
    }
  });

  it('matVec: y ← W x, each sum from column 0 up', () => {
    const { w: wAll, x: xAll, y: yAll } = views!;
    for (let rows = 1; rows <= 7; rows++) {
      for (let cols = 0; cols <= 5; cols++) {
        const w = fill(rng, wAll.subarray(0, rows * cols)),
          x = fill(rng, xAll.subarray(0, cols)),
          y = fill(rng, yAll.subarray(0, rows));
        const Y = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
          Y[r] = s;
        }
        arena!.matVec(w, x, y);
        expectBitwise(y, Y, `matVec ${rows}×${cols}`);
      }
    }
  });
});
