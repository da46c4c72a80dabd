import { ShapeError } from '../errors.js';
import { nativeKernel } from '../wasm/native-gemm.js';
import { Arena, arenaOf, recordAlone, shareOrdinaryProduct, wasmAvailable } from '../wasm/runtime.js';
import { gemmJs } from './kernels/gemm-js.js';
import { Matrix } from './matrix.js';

/** Which operand is transposed: 'n' uses the matrix as stored, 't' its transpose (never materialized). */
export type Op = 'n' | 't';

/** The stride between rows of op(X) in X's storage: op(X)(i, p) = X[i·rowStride + p·colStride]. */
export const rowStride = (x: Matrix, op: Op): number => (op === 'n' ? x.cols : 1);

/** The stride between columns of op(X) in X's storage ('n' and 't' differ only in the strides). */
export const colStride = (x: Matrix, op: Op): number => (op === 'n' ? 1 : x.cols);

/**
 * out ← [out +] op(A)·op(B) in `arena`, whose memory holds all three: the arena's kernel takes byte offsets and byte
 * strides. The caller has checked shapes, aliasing and that the product fits the arena's scratch.
 */
export function gemmInArena(arena: Arena, out: Matrix, a: Matrix, b: Matrix, opA: Op, opB: Op, accumulate: boolean) {
  const k = opA === 'n' ? a.cols : a.rows;
  arena.gemm(
    out.rows,
    out.cols,
    k,
    a.data.byteOffset,
    8 * rowStride(a, opA),
    8 * colStride(a, opA),
    b.data.byteOffset,
    8 * rowStride(b, opB),
    8 * colStride(b, opB),
    out.data.byteOffset,
    8 * out.cols,
    accumulate,
  );
}

/**
 * Products with m·n·k at or above this run in WebAssembly (when available); smaller ones in JavaScript, where a
 * call costs less than the copy into the module's memory (measured: the copy pays off from about 8×8×8). Both
 * kernels give bitwise identical results.
 */
export const WASM_MIN_WORK = 512;

/**
 * Products at or above this m·n·k run in WebAssembly when all three matrices already live in one Arena (no copy
 * needed): from about 6×6×6 the SIMD kernel beats the JavaScript one even counting the call.
 */
export const ARENA_MIN_WORK = 216;

/**
 * Below this m·n·k the native kernel (when built) multiplies ordinary matrices in place on the calling thread;
 * from it, the copies into the shared scratch cost less than what the second thread saves (measured at 64³: 14 µs
 * in place on one thread against 26 µs through the scratch on two) — when a second core is free: the scratch is
 * used only while two threads are the way (shareOrdinaryProduct, src/wasm/runtime.ts), in place otherwise.
 */
const NATIVE_DIRECT_MAX_WORK = 128 * 128 * 128;

/**
 * out ← op(A)·op(B) (+ out when accumulate), written into a preallocated `out`. `out` must not alias A or B.
 * Allocates no storage: the scratch path makes one small view object per call, and grows the shared WebAssembly
 * scratch only when a product larger than any before arrives.
 *
 * Every entry is ((c⁰ + a_0b_0) + a_1b_1) + … with one accumulator per entry, c⁰ = 0 or the old out when
 * accumulating: the textbook order, identical in both kernels (src/linalg/kernels/gemm-js.ts, src/wasm/gemm.ts).
 * Large products run in the WebAssembly SIMD kernel: without a copy when all three matrices live in one Arena
 * (src/wasm/runtime.ts; the dynamics' fields keep their buffers there; from ARENA_MIN_WORK), otherwise in the native
 * kernel on the matrices themselves when it is built (src/wasm/native-gemm.ts) or through a shared scratch (from
 * WASM_MIN_WORK).
 * No entry is skipped: 0·NaN stays NaN, so a diverged operand is never hidden.
 */
export function multiplyInto(
  out: Matrix,
  a: Matrix,
  b: Matrix,
  opA: Op = 'n',
  opB: Op = 'n',
  accumulate = false,
): Matrix {
  return productInto(out, a, b, opA, opB, accumulate, false);
}

/** multiplyInto; `freshOut` skips the aliasing test for an `out` whose storage was just allocated. */
function productInto(
  out: Matrix,
  a: Matrix,
  b: Matrix,
  opA: Op,
  opB: Op,
  accumulate: boolean,
  freshOut: boolean,
): Matrix {
  const m = opA === 'n' ? a.rows : a.cols;
  const k = opA === 'n' ? a.cols : a.rows;
  const kb = opB === 'n' ? b.rows : b.cols;
  const n = opB === 'n' ? b.cols : b.rows;
  if (k !== kb)
    throw new ShapeError(
      'multiply.B',
      `op(B) with ${k} rows (the inner dimension of op(A) = ${opA === 'n' ? a.shape : `(${a.shape})ᵀ`})`,
      `op(B) = ${opB === 'n' ? b.shape : `(${b.shape})ᵀ`}`,
    );
  if (out.rows !== m || out.cols !== n) throw new ShapeError('multiply.out', `${m}×${n}`, out.shape);
  if (!freshOut && (overlaps(out, a) || overlaps(out, b))) {
    throw new ShapeError('multiply.out', 'storage disjoint from A and B', 'storage overlapping an operand');
  }
  const A = a.data,
    B = b.data,
    C = out.data;
  const ars = rowStride(a, opA),
    acs = colStride(a, opA);
  const brs = rowStride(b, opB),
    bcs = colStride(b, opB);
  if (m === 0 || n === 0) return out;
  if (k === 0) {
    if (!accumulate) C.fill(0);
    return out;
  }
  const work = m * n * k;
  if (work >= ARENA_MIN_WORK && wasmAvailable()) {
    const home = arenaOf(C);
    if (home !== undefined && arenaOf(A) === home && arenaOf(B) === home && home.fits(m, n, k)) {
      gemmInArena(home, out, a, b, opA, opB, accumulate);
      return out;
    }
    if (work >= WASM_MIN_WORK) {
      const native = nativeKernel()?.kernel;
      const acc = accumulate ? 1 : 0;
      if (native !== undefined && work < NATIVE_DIRECT_MAX_WORK)
        native.gemmArrays(A, B, C, m, n, k, ars, acs, brs, bcs, n, acc);
      else if (native !== undefined && !shareOrdinaryProduct(work)) {
        // In place on this thread, timed for the automatic thread choice (which then probes two threads now and then).
        const start = performance.now();
        native.gemmArrays(A, B, C, m, n, k, ars, acs, brs, bcs, n, acc);
        recordAlone(work, performance.now() - start);
      } else scratchProduct(m, n, k, A, ars, acs, B, brs, bcs, C, accumulate);
      return out;
    }
  }
  gemmJs(m, n, k, A, 0, ars, acs, B, 0, brs, bcs, C, 0, n, accumulate);
  return out;
}

let scratch: Arena | undefined;

/** The WebAssembly product through the shared scratch arena: copy A, B (and C) in, multiply, copy C out. */
function scratchProduct(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  ars: number,
  acs: number,
  B: Float64Array,
  brs: number,
  bcs: number,
  C: Float64Array,
  accumulate: boolean,
): void {
  // 1 MB at first use: products up to about 128×128×128 never grow it (growing allocates a new view of the memory).
  // Parallel: large products use both threads (src/wasm/runtime.ts).
  if (scratch === undefined) scratch = new Arena(1 << 20, 0, { growable: true, parallel: true });
  const la = A.length,
    lb = B.length,
    lc = C.length;
  scratch.reserve(8 * (la + lb + lc), m, n, k);
  const heap = scratch.heap;
  heap.set(A, 0);
  heap.set(B, la);
  const c = la + lb;
  if (accumulate) heap.set(C, c);
  scratch.gemm(m, n, k, 0, 8 * ars, 8 * acs, 8 * la, 8 * brs, 8 * bcs, 8 * c, 8 * n, accumulate);
  C.set(heap.subarray(c, c + lc));
}

/**
 * Whether two matrices share memory (the same array, or overlapping subarrays of one buffer). Cheapest test first:
 * storage allocated by the Matrix constructor is known disjoint (Matrix.knownDisjointFrom). Then the byte ranges:
 * `byteOffset` and `buffer` are calls into the runtime in Node 20 (≈10–20 ns each, where `length` is ≈1 ns), and
 * `buffer` on a small array kept on the JS heap also materializes an ArrayBuffer for it (≈0.7 µs; measured).
 * Ranges that do not intersect are disjoint whatever their buffers, so `buffer` is compared only when they do.
 */
function overlaps(p: Matrix, q: Matrix): boolean {
  if (p.knownDisjointFrom(q)) return false;
  const x = p.data,
    y = q.data;
  if (x === y) return x.length > 0;
  if (x.length === 0 || y.length === 0) return false;
  const xs = x.byteOffset,
    ys = y.byteOffset;
  return xs < ys + 8 * y.length && ys < xs + 8 * x.length && x.buffer === y.buffer;
}

/** A new zero matrix; its storage comes from allocValues (cheap for small matrices; see kernels/alloc.ts). */
export function newMatrix(rows: number, cols: number): Matrix {
  return new Matrix(rows, cols);
}

/** op(A)·op(B) into a new matrix. */
export function multiply(a: Matrix, b: Matrix, opA: Op = 'n', opB: Op = 'n'): Matrix {
  const m = opA === 'n' ? a.rows : a.cols;
  const n = opB === 'n' ? b.cols : b.rows;
  // A new matrix's storage is fresh (kernels/alloc.ts), so it cannot overlap an operand.
  return productInto(newMatrix(m, n), a, b, opA, opB, false, true);
}

/** The product of a list of matrices, left to right; `identitySize` is returned as I when the list is empty. */
export function chain(factors: readonly Matrix[], identitySize: number): Matrix {
  if (factors.length === 0) return Matrix.identity(identitySize);
  if (factors.length === 1) return newMatrix(factors[0].rows, factors[0].cols).copyFrom(factors[0]);
  let acc = multiply(factors[0], factors[1]);
  for (let i = 2; i < factors.length; i++) acc = multiply(acc, factors[i]);
  return acc;
}

export function transposeInto(out: Matrix, a: Matrix): Matrix {
  if (out.rows !== a.cols || out.cols !== a.rows)
    throw new ShapeError('transpose.out', `${a.cols}×${a.rows}`, out.shape);
  const A = a.data,
    T = out.data,
    r = a.rows,
    c = a.cols;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = A[i * c + j];
  return out;
}

export function transpose(a: Matrix): Matrix {
  return transposeInto(newMatrix(a.cols, a.rows), a);
}
