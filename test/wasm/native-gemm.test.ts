import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemmJs } from '../../src/linalg/kernels/gemm-js.js';
import { Rng } from '../../src/random/rng.js';
import { NATIVE_TILE, nativeKernel } from '../../src/wasm/native-gemm.js';

/**
 * The optional native kernel (native/gemm.c) must be a drop-in for the WebAssembly one: the same byte-offset
 * interface on a WebAssembly memory and bitwise the JavaScript kernel's results (the order-of-operations contract
 * of src/linalg/kernels/gemm-js.ts). Skipped where it is not built or the CPU lacks AVX2. Where the CPU has AVX-512,
 * every check runs on both paths (16×8 AVX-512 tiles, 4×8 AVX2 tiles).
 */

const native = nativeKernel()?.kernel;

/**
 * Shapes around the 4×8 and 16×8 tiles: full and partial tiles in both directions, rows beyond the last 16-row block,
 * k = 0 and 1, long k, k not a multiple of the 4×4 transposes used in packing.
 */
const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [4, 8, 4],
  [5, 9, 7],
  [8, 16, 1],
  [4, 8, 64],
  [13, 17, 40],
  [7, 3, 0],
  [64, 64, 64],
  [9, 130, 3],
  [33, 31, 65],
  [16, 8, 5],
  [16, 7, 6],
  [47, 40, 33],
  [32, 64, 128],
];

/** The paths this CPU can take: AVX-512 (when it has it; the default) and AVX2. */
const paths = native?.useAvx512?.(true) ? [true, false] : [false];

describe.runIf(native !== undefined).each(paths)('the native GEMM kernel (AVX-512 path: %s)', (avx512) => {
  beforeAll(() => native?.useAvx512?.(avx512));
  afterAll(() => native?.useAvx512?.(true));
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
  const heap = new Float64Array(memory.buffer);

  it('is bitwise the JavaScript kernel for every op, tile edge and accumulation, on a shared WebAssembly memory', () => {
    const rng = new Rng(951);
    for (const [m, n, k] of shapes) {
      for (const [opA, opB] of [
        ['n', 'n'],
        ['n', 't'],
        ['t', 'n'],
        ['t', 't'],
      ] as const) {
        for (const accumulate of [0, 1]) {
          // Layout in the heap (in values): op(A)'s storage at 8, op(B)'s after it, C after that; odd starts on purpose.
          const a = 8,
            b = a + m * k + 3,
            c = b + k * n + 5;
          for (let i = 0; i < c + m * n; i++) heap[i] = rng.gaussian();
          const lda = opA === 'n' ? k : m,
            ldb = opB === 'n' ? n : k;
          const ars = opA === 'n' ? lda : 1,
            acs = opA === 'n' ? 1 : lda,
            brs = opB === 'n' ? ldb : 1,
            bcs = opB === 'n' ? 1 : ldb;
          const expected = heap.slice(c, c + m * n);
          gemmJs(m, n, k, heap, a, ars, acs, heap, b, brs, bcs, expected, 0, n, accumulate === 1);
          native?.gemm(heap, m, n, k, 8 * a, 8 * ars, 8 * acs, 8 * b, 8 * brs, 8 * bcs, 8 * c, 8 * n, accumulate, 0);
          for (let i = 0; i < m * n; i++) {
            if (!Object.is(heap[c + i], expected[i]))
              expect.fail(
                `${m}×${n}×${k} ${opA}${opB}${accumulate ? ' +=' : ''}: entry ${i} ${heap[c + i]} ≠ ${expected[i]}`,
              );
          }
        }
      }
    }
  });

  // A build older than gemmBatch still works (products then go one call each): skipped there.
  const batched = 'runs a batch of products in order (each reading what the one before wrote) bitwise as one call each';
  it.runIf(native?.gemmBatch !== undefined)(batched, () => {
    const rng = new Rng(953);
    if (native?.gemmBatch === undefined) return;
    const d = 13,
      x = 0,
      y = d * d,
      p = 2 * d * d,
      q = 3 * d * d,
      values = 4 * d * d;
    for (let i = 0; i < values; i++) heap[i] = rng.gaussian();
    const start = heap.slice(0, values);
    // P ← X·Yᵀ, then Q ← Q + Pᵀ·X.
    const args = [
      ...[d, d, d, 8 * x, 8 * d, 8, 8 * y, 8, 8 * d, 8 * p, 8 * d, 0],
      ...[d, d, d, 8 * p, 8, 8 * d, 8 * x, 8 * d, 8, 8 * q, 8 * d, 1],
    ];
    native.gemm(heap, ...args.slice(0, 12), 0);
    native.gemm(heap, ...args.slice(12), 0);
    const expected = heap.slice(0, values);
    heap.set(start);
    native.gemmBatch(heap, Int32Array.from(args), 2);
    for (let i = 0; i < values; i++) {
      if (!Object.is(heap[i], expected[i])) expect.fail(`entry ${i}: ${heap[i]} ≠ ${expected[i]}`);
    }
  });

  it('multiplies three ordinary arrays in place (views at an offset, strides in elements) bitwise as the JavaScript kernel', () => {
    const rng = new Rng(952);
    for (const [m, n, k] of shapes) {
      for (const [opA, opB] of [
        ['n', 'n'],
        ['t', 't'],
      ] as const) {
        for (const accumulate of [0, 1]) {
          const fill = (length: number): Float64Array => {
            const whole = new Float64Array(length + 3);
            for (let i = 0; i < whole.length; i++) whole[i] = rng.gaussian();
            return whole.subarray(3);
          };
          const A = fill(m * k),
            B = fill(k * n),
            C = fill(m * n);
          const lda = opA === 'n' ? k : m,
            ldb = opB === 'n' ? n : k;
          const ars = opA === 'n' ? lda : 1,
            acs = opA === 'n' ? 1 : lda,
            brs = opB === 'n' ? ldb : 1,
            bcs = opB === 'n' ? 1 : ldb;
          const expected = C.slice();
          gemmJs(m, n, k, A, 0, ars, acs, B, 0, brs, bcs, expected, 0, n, accumulate === 1);
          native?.gemmArrays(A, B, C, m, n, k, ars, acs, brs, bcs, n, accumulate);
          for (let i = 0; i < m * n; i++) {
            if (!Object.is(C[i], expected[i]))
              expect.fail(`${m}×${n}×${k} ${opA}${opB}${accumulate ? ' +=' : ''}: entry ${i} ${C[i]} ≠ ${expected[i]}`);
          }
        }
      }
    }
  });

  it('propagates NaN through zero entries and never writes outside C', () => {
    const m = 21, // one 16-row block and five rows more
      n = 11,
      k = 6,
      a = 0,
      b = 160,
      c = 256;
    heap.fill(0, 0, 512);
    heap[b + 2 * n + 3] = NaN; // op(B)(2, 3): column 3 of C must be NaN, 0·NaN included
    heap.fill(7, c + m * n, c + m * n + 16);
    native?.gemm(heap, m, n, k, 8 * a, 8 * k, 8, 8 * b, 8 * n, 8, 8 * c, 8 * n, 0, 0);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(Number.isNaN(heap[c + i * n + j])).toBe(j === 3);
    expect(Array.from(heap.subarray(c + m * n, c + m * n + 16))).toEqual(new Array(16).fill(7));
  });

  it('rejects arrays that are not Float64Arrays, with a message', () => {
    expect(() =>
      native?.gemm(new Float32Array(8) as unknown as Float64Array, 1, 1, 1, 0, 8, 8, 0, 8, 8, 0, 8, 0, 0),
    ).toThrow(/Float64Array/);
    const x = new Float64Array(1);
    expect(() => native?.gemmArrays(x, [1] as unknown as Float64Array, x, 1, 1, 1, 1, 1, 1, 1, 1, 0)).toThrow(
      /Float64Array/,
    );
    expect(NATIVE_TILE.nr % 4).toBe(0);
  });
});
