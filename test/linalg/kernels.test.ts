import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { allocValues } from '../../src/linalg/kernels/alloc.js';
import { gemmJs } from '../../src/linalg/kernels/gemm-js.js';
import { Matrix } from '../../src/linalg/matrix.js';
import {
  ARENA_MIN_WORK,
  colStride,
  multiply,
  multiplyInto,
  type Op,
  rowStride,
  WASM_MIN_WORK,
} from '../../src/linalg/products.js';
import { Workspace } from '../../src/linalg/workspace.js';
import { FunctionBuilder, ModuleBuilder } from '../../src/wasm/encoder.js';
import { buildGemmModule, gemmWorkBytes } from '../../src/wasm/gemm.js';
import { setNativeEnabled } from '../../src/wasm/native-gemm.js';
import { Arena, arenaOf, gemmModule, setWasmEnabled, wasmAvailable } from '../../src/wasm/runtime.js';
import { gaussianMatrix, Rng } from './reference.js';

/** out ← [out +] op(A)·op(B) by the JavaScript kernel directly: the reference the other kernels must equal bitwise. */
function gemmJsOn(out: Matrix, a: Matrix, b: Matrix, opA: Op, opB: Op, accumulate: boolean): void {
  const k = opA === 'n' ? a.cols : a.rows;
  const [ars, acs, brs, bcs] = [rowStride(a, opA), colStride(a, opA), rowStride(b, opB), colStride(b, opB)];
  gemmJs(out.rows, out.cols, k, a.data, 0, ars, acs, b.data, 0, brs, bcs, out.data, 0, out.cols, accumulate);
}

/**
 * The kernels promise more than round-off agreement: every entry is ((c⁰ + a_0b_0) + a_1b_1) + … in that order, in
 * both the JavaScript and the WebAssembly kernel, so their results are BITWISE equal to each other and to a plain
 * triple loop with one accumulator per entry. These tests hold them to that (Object.is, so −0 and NaN count).
 */

/** The textbook triple loop, in the contract's order. */
function textbook(a: Matrix, b: Matrix, opA: Op, opB: Op, c0?: Matrix): Float64Array {
  const m = opA === 'n' ? a.rows : a.cols,
    k = opA === 'n' ? a.cols : a.rows,
    n = opB === 'n' ? b.cols : b.rows;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c0 ? c0.data[i * n + j] : 0;
      for (let p = 0; p < k; p++)
        s += (opA === 'n' ? a.get(i, p) : a.get(p, i)) * (opB === 'n' ? b.get(p, j) : b.get(j, p));
      out[i * n + j] = s;
    }
  }
  return out;
}

function expectBitwise(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`entry ${i}: ${actual[i]} ≠ ${expected[i]} (bitwise)`);
  }
}

const ops: [Op, Op][] = [
  ['n', 'n'],
  ['n', 't'],
  ['t', 'n'],
  ['t', 't'],
];
/** Shapes (m, n, k) covering full and partial 4×4 tiles, in-place and packed operands (k ≤ 32 and > 32), k = 0, 1. */
const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [4, 4, 4],
  [5, 7, 9],
  [8, 8, 8],
  [8, 12, 3],
  [12, 8, 33],
  [13, 6, 3],
  [16, 16, 16],
  [17, 33, 5],
  [4, 4, 1],
  [2, 9, 0],
  [32, 32, 32],
  [36, 40, 48],
  [64, 20, 64],
  [7, 64, 65],
];

function operands(rng: Rng, m: number, n: number, k: number, opA: Op, opB: Op): { a: Matrix; b: Matrix } {
  return {
    a: opA === 'n' ? gaussianMatrix(rng, m, k) : gaussianMatrix(rng, k, m),
    b: opB === 'n' ? gaussianMatrix(rng, k, n) : gaussianMatrix(rng, n, k),
  };
}

afterEach(() => setWasmEnabled(true));

describe('the JavaScript GEMM kernel', () => {
  it.each(ops)('is bitwise the textbook triple loop for op %s, %s, with and without accumulation', (opA, opB) => {
    const rng = new Rng(901);
    for (const [m, n, k] of shapes) {
      const { a, b } = operands(rng, m, n, k, opA, opB);
      const c0 = gaussianMatrix(rng, m, n);
      for (const accumulate of [false, true]) {
        const out = accumulate ? c0.clone() : new Matrix(m, n);
        gemmJsOn(out, a, b, opA, opB, accumulate);
        expectBitwise(out.data, textbook(a, b, opA, opB, accumulate ? c0 : undefined));
      }
    }
  });
});

describe.runIf(wasmAvailable())('the WebAssembly GEMM kernel', () => {
  // Arenas made here use the WebAssembly kernel even where the native one is built (test/wasm/native-gemm.test.ts).
  beforeAll(() => setNativeEnabled(false));
  afterAll(() => setNativeEnabled(true));

  it('compiles from the generated module and rejects impossible tiles', () => {
    expect(gemmModule()).toBeInstanceOf(WebAssembly.Module);
    expect(WebAssembly.validate(buildGemmModule({ initialPages: 1 }))).toBe(true);
    expect(() => buildGemmModule({ initialPages: 1 }, { mr: 4, nr: 3 })).toThrow(/even nr/);
  });

  it.each(ops)(
    'is bitwise the JavaScript kernel for op %s, %s on every tile shape, with and without accumulation',
    (opA, opB) => {
      const rng = new Rng(902);
      for (const [m, n, k] of shapes) {
        const { a, b } = operands(rng, m, n, k, opA, opB);
        const c0 = gaussianMatrix(rng, m, n);
        const arena = new Arena(8 * (a.data.length + b.data.length + m * n), gemmWorkBytes(m, n, k));
        const [A, B, C] = [a, b, new Matrix(m, n)].map((x) =>
          new Matrix(x.rows, x.cols, arena.view(x.data.length)).copyFrom(x),
        );
        for (const accumulate of [false, true]) {
          C.data.set(accumulate ? c0.data : new Float64Array(m * n).fill(7)); // stale contents must not leak
          arena.gemm(
            m,
            n,
            k,
            A.data.byteOffset,
            8 * (opA === 'n' ? a.cols : 1),
            8 * (opA === 'n' ? 1 : a.cols),
            B.data.byteOffset,
            8 * (opB === 'n' ? b.cols : 1),
            8 * (opB === 'n' ? 1 : b.cols),
            C.data.byteOffset,
            8 * n,
            accumulate,
          );
          const expected = accumulate ? c0.clone() : new Matrix(m, n);
          gemmJsOn(expected, a, b, opA, opB, accumulate);
          if (k === 0 && !accumulate) expected.data.fill(0);
          expectBitwise(C.data, expected.data);
        }
      }
    },
  );

  it.each(ops)('propagates NaN through zero entries, also in padded edge tiles (op %s, %s)', (opA, opB) => {
    for (const d of [9, 16]) {
      const a = new Matrix(d, d),
        b = new Matrix(d, d);
      b.data[d + 1] = NaN; // every op(B) has the NaN in a real entry
      const out = new Matrix(d, d);
      multiplyInto(out, a, b, opA, opB); // d³ ≥ WASM_MIN_WORK: the WebAssembly kernel
      const expected = textbook(a, b, opA, opB);
      expectBitwise(out.data, expected);
      expect(out.data.some(Number.isNaN)).toBe(true);
    }
  });
});

describe('multiplyInto dispatch', () => {
  it('gives the same bits through the JavaScript kernel, the WebAssembly scratch and an arena', () => {
    const rng = new Rng(903);
    for (const [m, n, k] of [
      [6, 6, 6],
      [8, 8, 8],
      [10, 9, 11],
      [20, 24, 16],
      [40, 40, 40],
    ] as const) {
      expect(m * n * k).toBeGreaterThanOrEqual(ARENA_MIN_WORK);
      for (const [opA, opB] of ops) {
        const { a, b } = operands(rng, m, n, k, opA, opB);
        const viaDefault = multiply(a, b, opA, opB);
        setWasmEnabled(false);
        const viaJs = multiply(a, b, opA, opB);
        setWasmEnabled(true);
        expectBitwise(viaDefault.data, viaJs.data);
        expectBitwise(viaJs.data, textbook(a, b, opA, opB));
        if (wasmAvailable()) {
          const arena = new Arena(8 * (a.data.length + b.data.length + m * n), gemmWorkBytes(m, n, k));
          const [A, B] = [a, b].map((x) => new Matrix(x.rows, x.cols, arena.view(x.data.length)).copyFrom(x));
          const C = new Matrix(m, n, arena.view(m * n));
          expect(arenaOf(C.data)).toBe(arena);
          multiplyInto(C, A, B, opA, opB);
          expectBitwise(C.data, viaJs.data);
        }
      }
    }
    expect(WASM_MIN_WORK).toBeGreaterThanOrEqual(ARENA_MIN_WORK);
  });

  it('gives the same bits in a workspace of either kind, on its own matrices and on others', () => {
    const rng = new Rng(906);
    for (const [m, n, k] of [
      [3, 4, 5],
      [8, 8, 8],
      [10, 9, 11],
      [40, 40, 40],
    ] as const) {
      for (const [opA, opB] of ops) {
        const { a, b } = operands(rng, m, n, k, opA, opB);
        const c0 = gaussianMatrix(rng, m, n);
        const expected = textbook(a, b, opA, opB, c0);
        const kinds = new Set<string>();
        for (const wasm of [true, false]) {
          setWasmEnabled(wasm);
          const products = { largestWork: m * n * k, widest: Math.max(m, n, k) };
          const ws = new Workspace({ values: a.data.length + b.data.length + m * n, products });
          setWasmEnabled(true);
          kinds.add(ws.kernel);
          const [A, B, C] = [a, b, c0].map((x) => ws.matrix(x.rows, x.cols).copyFrom(x));
          expectBitwise(ws.multiply(C, A, B, opA, opB, true).data, expected);
          expectBitwise(ws.multiply(c0.clone(), a, b, opA, opB, true).data, expected);
          expect(() => ws.multiply(C, C, B, opA, opB)).toThrow(ShapeError);
          expect(() => ws.multiply(new Matrix(m + 1, n), A, B, opA, opB)).toThrow(ShapeError);
        }
        expect(kinds.size).toBe(wasmAvailable() && m * n * k >= ARENA_MIN_WORK ? 2 : 1);
      }
    }
  });

  it('runs a fixed product list bitwise like multiply, later products reading earlier ones, in either workspace', () => {
    const rng = new Rng(907);
    for (const d of [5, 16, 40]) {
      const [x, y, c0] = [0, 1, 2].map(() => gaussianMatrix(rng, d, d));
      const expected1 = textbook(x, y, 'n', 't');
      const expected2 = textbook(new Matrix(d, d, expected1), x, 't', 'n', c0);
      for (const wasm of [true, false]) {
        setWasmEnabled(wasm);
        const ws = new Workspace({ values: 5 * d * d, products: { largestWork: d ** 3, widest: d } });
        setWasmEnabled(true);
        const [X, Y, P, Q] = [x, y, new Matrix(d, d), c0].map((m) => ws.matrix(d, d).copyFrom(m));
        ws.products([
          { out: P, a: X, b: Y, opB: 't' },
          { out: Q, a: P, b: X, opA: 't', accumulate: true },
        ]).run();
        expectBitwise(P.data, expected1);
        expectBitwise(Q.data, expected2);
        expect(() => ws.products([{ out: P, a: P, b: Y }])).toThrow(ShapeError);
        expect(() => ws.products([{ out: P, a: x, b: Y }])).toThrow(ShapeError);
      }
    }
  });

  it('accumulates with the old entry first, the same in every kernel', () => {
    const rng = new Rng(904);
    const a = gaussianMatrix(rng, 12, 10),
      b = gaussianMatrix(rng, 10, 14),
      c0 = gaussianMatrix(rng, 12, 14);
    const wasm = c0.clone();
    multiplyInto(wasm, a, b, 'n', 'n', true);
    setWasmEnabled(false);
    const js = c0.clone();
    multiplyInto(js, a, b, 'n', 'n', true);
    setWasmEnabled(true);
    expectBitwise(wasm.data, js.data);
    expectBitwise(js.data, textbook(a, b, 'n', 'n', c0));
  });

  it('still rejects overlapping storage when operands share one slab or arena', () => {
    const x = multiply(Matrix.identity(3), Matrix.identity(3));
    const y = multiply(Matrix.identity(3), Matrix.identity(3)); // likely the same slab: disjoint ranges are fine
    expect(() => multiplyInto(x, y, Matrix.identity(3))).not.toThrow();
    expect(() => multiplyInto(x, x, Matrix.identity(3))).toThrow(/overlapping/);
  });
});

describe.runIf(wasmAvailable())('WebAssembly elementwise kernels', () => {
  it('axpy and scale are bitwise the JavaScript loops, odd lengths included', () => {
    const rng = new Rng(905);
    for (const n of [0, 1, 2, 3, 16, 17, 255]) {
      const arena = new Arena(8 * 3 * n, 0);
      const x = arena.view(n),
        y = arena.view(n),
        z = arena.view(n);
      rng.fillGaussian(x);
      rng.fillGaussian(y);
      const y0 = Float64Array.from(y);
      for (const alpha of [-0.37, -1, 2.5e-3]) {
        y.set(y0);
        arena.axpy(alpha, x, y);
        expectBitwise(
          y,
          y0.map((v, i) => v + alpha * x[i]),
        );
        arena.scale(alpha, x, z);
        expectBitwise(
          z,
          x.map((v) => alpha * v),
        );
      }
      // y − η·g as axpy(−η): what the gradient step relies on.
      y.set(y0);
      arena.axpy(-0.01, x, y);
      expectBitwise(
        y,
        y0.map((v, i) => v - 0.01 * x[i]),
      );
    }
  });
});

describe('the WebAssembly encoder', () => {
  it('encodes LEB128 edge values and f64 constants into a valid module', () => {
    const f = new FunctionBuilder(['i32'], ['f64']);
    const x = f.local('f64');
    f.f64Const(-0)
      .set(x)
      .i32Const(-(2 ** 31))
      .drop()
      .i32Const(2 ** 31 - 1)
      .drop()
      .i32Const(-64)
      .drop()
      .i32Const(63)
      .drop()
      .i32Const(64)
      .drop();
    f.get(x).f64Const(1.5).f64Add();
    const mod = new ModuleBuilder({ module: 'env', field: 'memory', initialPages: 1 });
    mod.add(f, 'f');
    const bytes = mod.build();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { memory: new WebAssembly.Memory({ initial: 1 }) },
    });
    expect((instance.exports.f as (n: number) => number)(0)).toBe(1.5);
    expect(() => f.i32Const(2 ** 31)).toThrow(RangeError);
  });
});

describe('slab storage for small matrices', () => {
  it('hands out fresh, zero-filled, disjoint views and plain arrays for large or invalid sizes', () => {
    const views = [3, 64, 512, 1, 200].map((n) => allocValues(n));
    for (const v of views) expect(Array.from(v).every((x) => x === 0)).toBe(true);
    views.forEach((v) => v.fill(1));
    for (let i = 0; i < views.length; i++) {
      for (let j = i + 1; j < views.length; j++) {
        const [x, y] = [views[i], views[j]];
        const disjoint =
          x.buffer !== y.buffer ||
          x.byteOffset + x.byteLength <= y.byteOffset ||
          y.byteOffset + y.byteLength <= x.byteOffset;
        expect(disjoint).toBe(true);
      }
    }
    expect(allocValues(513).byteOffset).toBe(0);
    expect(allocValues(0).length).toBe(0);
    expect(allocValues(-3).length).toBe(0);
    expect(() => new Matrix(-1, 3, allocValues(-3))).toThrow(/non-negative integer/);
    // A new slab starts only when the current one is full; old views keep their values.
    const first = allocValues(100);
    first.fill(2);
    for (let i = 0; i < 100; i++) allocValues(500);
    expect(Array.from(first).every((x) => x === 2)).toBe(true);
  });
});
