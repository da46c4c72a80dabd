import { afterEach, describe, expect, it } from 'vitest';
import { gemmJs } from '../../src/linalg/kernels/gemm-js.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiplyInto } from '../../src/linalg/products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { gemmWorkBytes } from '../../src/wasm/gemm.js';
import { CONTROL, MAX_UNITS, runChunks } from '../../src/wasm/helper-loop.js';
import { HelperThread } from '../../src/wasm/helper-thread.js';
import {
  Arena,
  helperStatus,
  PARALLEL_MIN_WORK,
  productThreads,
  setProductThreads,
  wasmAvailable,
} from '../../src/wasm/runtime.js';

/**
 * Two-thread products: the chunk protocol on its own (one thread, a recording kernel), then the real helper thread
 * against the one-thread result, bit for bit.
 */

type Call = number[];

/** A control block holding one posted product of `units` units of `width` columns, as HelperThread.run writes it. */
function postedProduct(units: number, width: number, args: readonly number[]): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
  control[CONTROL.memory] = 7;
  control[CONTROL.width] = width;
  control.set(args, CONTROL.args);
  control[CONTROL.next] = units << 16;
  return control;
}

describe('the chunk loop (src/wasm/helper-loop.ts)', () => {
  // gemm(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, mainWork, helperWork): n = 20 in chunks of 8.
  const args = [3, 20, 5, 1000, 40, 8, 2000, 160, 8, 3000, 160, 1, 4000, 5000];

  it("computes every column once, in shrinking chunks, with the thread's own scratch", () => {
    for (const helper of [false, true]) {
      const control = postedProduct(3, 8, args);
      const calls: Call[] = [];
      runChunks(
        control,
        (memory) => {
          expect(memory).toBe(7);
          return (...a: number[]) => void calls.push(a);
        },
        helper,
      );
      // Columns 0–7, 8–15, 16–19: B moves by first·bcs, C by 8·first bytes; everything else is the product's.
      expect(calls).toEqual(
        [0, 8, 16].map((first) => [
          3,
          Math.min(8, 20 - first),
          5,
          1000,
          40,
          8,
          2000 + 8 * first,
          160,
          8,
          3000 + 8 * first,
          160,
          1,
          helper ? 5000 : 4000,
        ]),
      );
      expect(control[CONTROL.finished]).toBe(3);
      expect(control[CONTROL.next] & 0xffff).toBe(3);
      expect(control[CONTROL.helped]).toBe(helper ? 3 : 0);
      expect(control[CONTROL.failed]).toBe(0);
    }
  });

  it('takes a third of what is left per claim: 8 units of 8 columns go as 24, 16, 8, 8, 8 columns', () => {
    const wide = [4, 64, 16, 0, 128, 8, 0, 512, 8, 0, 512, 0, 1, 2];
    const control = postedProduct(8, 8, wide);
    const calls: Call[] = [];
    runChunks(
      control,
      () =>
        (...a: number[]) =>
          void calls.push(a),
      true,
    );
    expect(calls.map((c) => [c[9] / 8, c[1]])).toEqual([
      [0, 24],
      [24, 16],
      [40, 8],
      [48, 8],
      [56, 8],
    ]);
    expect(control[CONTROL.finished]).toBe(8);
    expect(control[CONTROL.helped]).toBe(5);
  });

  it('claims nothing when the product is fully claimed or none was posted', () => {
    const calls: Call[] = [];
    const kernel =
      () =>
      (...a: number[]) =>
        void calls.push(a);
    runChunks(postedProduct(0, 8, args), kernel, true);
    const done = postedProduct(3, 8, args);
    done[CONTROL.next] = (3 << 16) | 3;
    runChunks(done, kernel, true);
    expect(calls).toEqual([]);
  });

  it('flags a chunk that throws and still counts it finished (so the poster never hangs)', () => {
    const control = postedProduct(2, 8, args);
    runChunks(
      control,
      () => () => {
        throw new RangeError('out of bounds');
      },
      false,
    );
    expect(control[CONTROL.failed]).toBe(1);
    expect(control[CONTROL.finished]).toBe(2);
  });

  it('keeps the claim slot a positive Int32 for the largest product', () => {
    const control = postedProduct(MAX_UNITS, 4, args);
    expect(control[CONTROL.next]).toBeGreaterThan(0);
    expect(control[CONTROL.next] >>> 16).toBe(MAX_UNITS);
  });
});

describe.runIf(wasmAvailable() && productThreads() === 2)('products on two threads', () => {
  // Each test states its setting; afterwards the default ('auto' on this machine) again.
  afterEach(() => setProductThreads('auto'));

  /** Start the helper (it starts at the first large product of a parallel arena) and wait until it runs. */
  async function startHelper(): Promise<void> {
    const warm = new Arena(8 * 3 * 64 * 64, gemmWorkBytes(64, 64, 64), { parallel: true });
    expect(warm.parallel).toBe(true);
    const [a, b, c] = [0, 1, 2].map(() => warm.view(64 * 64));
    for (let i = 0; i < 300 && helperStatus().state !== 'running'; i++) {
      warm.gemm(64, 64, 64, a.byteOffset, 512, 8, b.byteOffset, 512, 8, c.byteOffset, 512, false);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(helperStatus().state).toBe('running');
  }

  it('gives bitwise the one-thread kernel on every shape, op and accumulation, the helper taking part', async () => {
    setProductThreads(2);
    const rng = new Rng(931);
    const shapes = [
      [64, 64, 64],
      [40, 41, 43],
      [130, 36, 50],
      [33, 130, 17],
      [7, 200, 64],
      [128, 128, 128],
    ] as const;
    await startHelper();
    const largest = (f: (s: readonly [number, number, number]) => number): number => Math.max(...shapes.map(f));
    const arena = new Arena(
      8 * (largest(([m, , k]) => m * k) + largest(([, n, k]) => k * n) + largest(([m, n]) => m * n)),
      largest(([m, n, k]) => gemmWorkBytes(m, n, k)),
      { parallel: true },
    );
    const storage = [largest(([m, , k]) => m * k), largest(([, n, k]) => k * n), largest(([m, n]) => m * n)].map(
      (length) => arena.view(length),
    );
    const before = helperStatus().chunks;
    for (const [m, n, k] of shapes) {
      expect(m * n * k).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
      for (const opA of ['n', 't'] as const) {
        for (const opB of ['n', 't'] as const) {
          const a = opA === 'n' ? gaussianMatrix(rng, m, k) : gaussianMatrix(rng, k, m);
          const b = opB === 'n' ? gaussianMatrix(rng, k, n) : gaussianMatrix(rng, n, k);
          const c0 = gaussianMatrix(rng, m, n);
          const [A, B, C] = [a, b, c0].map((x, i) =>
            new Matrix(x.rows, x.cols, storage[i].subarray(0, x.data.length)).copyFrom(x),
          );
          for (const accumulate of [false, true]) {
            C.copyFrom(c0);
            const ars = opA === 'n' ? a.cols : 1,
              acs = opA === 'n' ? 1 : a.cols;
            const brs = opB === 'n' ? b.cols : 1,
              bcs = opB === 'n' ? 1 : b.cols;
            arena.gemm(
              m,
              n,
              k,
              A.data.byteOffset,
              8 * ars,
              8 * acs,
              B.data.byteOffset,
              8 * brs,
              8 * bcs,
              C.data.byteOffset,
              8 * n,
              accumulate,
            );
            const expected = c0.clone();
            gemmJs(m, n, k, a.data, 0, ars, acs, b.data, 0, brs, bcs, expected.data, 0, n, accumulate);
            for (let i = 0; i < expected.data.length; i++) {
              if (!Object.is(C.data[i], expected.data[i]))
                expect.fail(
                  `${m}×${n}×${k} ${opA}${opB}${accumulate ? ' +=' : ''}: entry ${i} ${C.data[i]} ≠ ${expected.data[i]}`,
                );
            }
          }
        }
      }
    }
    expect(helperStatus().chunks).toBeGreaterThan(before);
  });

  it('gives the same bits with DLNV_THREADS=1 semantics (setProductThreads(1)) through multiplyInto', async () => {
    await startHelper();
    setProductThreads(2);
    const rng = new Rng(932);
    const a = gaussianMatrix(rng, 96, 80),
      b = gaussianMatrix(rng, 80, 72);
    const two = new Matrix(96, 72),
      one = new Matrix(96, 72);
    multiplyInto(two, a, b);
    setProductThreads(1);
    multiplyInto(one, a, b);
    expect(Array.from(two.data)).toEqual(Array.from(one.data));
  });

  it('gives the same bits under the automatic choice, product after product, whichever way each went', async () => {
    await startHelper();
    setProductThreads('auto');
    const rng = new Rng(933);
    const d = 96,
      arena = new Arena(8 * 3 * d * d, gemmWorkBytes(d, d, d), { parallel: true });
    const [A, B, C] = [0, 1, 2].map(() => new Matrix(d, d, arena.view(d * d)));
    A.copyFrom(gaussianMatrix(rng, d, d));
    B.copyFrom(gaussianMatrix(rng, d, d));
    const expected = new Matrix(d, d);
    gemmJs(d, d, d, A.data, 0, d, 1, B.data, 0, d, 1, expected.data, 0, d, false);
    const before = helperStatus();
    // Products for a few measurement windows (src/wasm/thread-chooser.ts): either way may be taken.
    const products = 2000;
    for (let p = 0; p < products; p++) {
      arena.gemm(d, d, d, A.data.byteOffset, 8 * d, 8, B.data.byteOffset, 8 * d, 8, C.data.byteOffset, 8 * d, false);
      for (let i = 0; i < expected.data.length; i++) {
        if (!Object.is(C.data[i], expected.data[i]))
          expect.fail(`product ${p}: entry ${i} ${C.data[i]} ≠ ${expected.data[i]}`);
      }
    }
    const after = helperStatus();
    expect(after.alone + after.shared - before.alone - before.shared).toBe(products);
  });

  it('times every large product on ordinary matrices for the automatic choice, in place or shared, same bits', async () => {
    await startHelper();
    setProductThreads('auto');
    const rng = new Rng(934);
    const d = 128,
      a = gaussianMatrix(rng, d, d),
      b = gaussianMatrix(rng, d, d),
      c = new Matrix(d, d);
    const expected = new Matrix(d, d);
    gemmJs(d, d, d, a.data, 0, d, 1, b.data, 0, d, 1, expected.data, 0, d, false);
    const before = helperStatus(),
      products = 300;
    for (let p = 0; p < products; p++) {
      multiplyInto(c, a, b);
      for (let i = 0; i < d * d; i++)
        if (!Object.is(c.data[i], expected.data[i])) expect.fail(`product ${p}: entry ${i}`);
    }
    // Each went one way or the other and was timed either way (in place: recordAlone; shared: the arena's gemm).
    const after = helperStatus();
    expect(after.alone + after.shared - before.alone - before.shared).toBe(products);
  });

  it('reports a kernel failure in a product instead of returning wrong numbers', () => {
    const helper = new HelperThread(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));
    expect(() =>
      helper.run(
        1,
        4,
        () => () => {
          throw new RangeError('out of bounds');
        },
        8,
        8,
        8,
        0,
        64,
        8,
        0,
        64,
        8,
        0,
        64,
        0,
        0,
        0,
      ),
    ).toThrow(/failed in the WebAssembly kernel/);
  });
});
