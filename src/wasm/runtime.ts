import { gemmWorkBytes } from './gemm.js';
import { buildKernelModule } from './kernels.js';

/**
 * The WebAssembly side of dlnv's kernels at run time: the kernel module is generated (src/wasm/kernels.ts: GEMM and
 * elementwise kernels) and compiled once, on first use, synchronously (a few kB); every Arena is an instance of it
 * with its own linear memory.
 *
 * Set the environment variable DLNV_WASM=0 to disable WebAssembly (every product then runs the JavaScript kernel,
 * with bitwise identical results: see src/linalg/kernels/gemm-js.ts). WebAssembly is also skipped, silently, when
 * the runtime lacks 128-bit SIMD.
 */

type ElementwiseExport = (n: number, alpha: number, x: number, y: number) => void;

type GemmExport = (
  m: number, n: number, k: number,
  a: number, ars: number, acs: number,
  b: number, brs: number, bcs: number,
  c: number, ldc: number, accumulate: number, work: number,
) => void;

const PAGE = 65536;
let compiled: WebAssembly.Module | null | undefined;

function disabledByEnvironment(): boolean {
  const env = typeof process !== 'undefined' ? process.env?.DLNV_WASM : undefined;
  return env === '0' || env === 'false' || env === 'off';
}

let enabled = true;

/**
 * Switch the WebAssembly kernels off (or back on) for this process, e.g. to compare them with the JavaScript ones
 * in a test or a benchmark. Only what is built afterwards is affected: a DlnGradientField keeps the kernels it was
 * constructed with. Results are the same either way (bitwise).
 */
export function setWasmEnabled(on: boolean): void {
  enabled = on;
}

/** The compiled kernel module (gemm, axpy, scale), or null when WebAssembly SIMD is unavailable or disabled. */
export function gemmModule(): WebAssembly.Module | null {
  if (!enabled) return null;
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (disabledByEnvironment() || typeof WebAssembly !== 'object') return compiled;
  try {
    const bytes = buildKernelModule({ initialPages: 1 });
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Whether products may run in WebAssembly. */
export function wasmAvailable(): boolean {
  return gemmModule() !== null;
}

/** Arenas by their memory's buffer, so a product can tell that its operands already live in one. */
const arenas = new WeakMap<ArrayBufferLike, Arena>();

/** The arena whose memory holds `data`, if any. */
export function arenaOf(data: Float64Array): Arena | undefined {
  return arenas.get(data.buffer);
}

/**
 * A GEMM instance with its own memory: a bump allocator hands out float64 views (never freed; the arena lives as
 * long as its views), and the top of the memory is the kernel's scratch. A fixed arena never grows, so its views
 * stay valid for its whole life; a growable one (the shared scratch arena of src/linalg/products.ts) replaces its
 * buffer on growth and must only be used through `heap` after `reserve`.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  private readonly gemmFn: GemmExport;
  private readonly axpyFn: ElementwiseExport;
  private readonly scaleFn: ElementwiseExport;
  /** A view of the whole memory (replaced when a growable arena grows). */
  heap: Float64Array;
  /** Next free byte for views. */
  private top = 0;
  /** Byte offset where the kernel's scratch starts (the rest of the memory), and its size. */
  private workStart: number;
  private workBytes: number;

  /** An arena with `viewBytes` for views and `workBytes` of kernel scratch (both rounded up to 8 bytes). */
  constructor(module: WebAssembly.Module, viewBytes: number, workBytes: number) {
    const bytes = align8(viewBytes) + align8(workBytes);
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    const exports = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports;
    this.gemmFn = exports.gemm as unknown as GemmExport;
    this.axpyFn = exports.axpy as unknown as ElementwiseExport;
    this.scaleFn = exports.scale as unknown as ElementwiseExport;
    this.heap = new Float64Array(this.memory.buffer);
    this.workStart = align8(viewBytes);
    this.workBytes = this.heap.byteLength - this.workStart;
    arenas.set(this.memory.buffer, this);
  }

  /** A fresh zero-filled view of `length` float64 values (throws when the arena is full). */
  view(length: number): Float64Array {
    const bytes = 8 * length;
    if (!(Number.isInteger(length) && length >= 0) || this.top + bytes > this.workStart) throw new RangeError(`Arena: no room for ${length} values`);
    const v = new Float64Array(this.memory.buffer, this.top, length);
    this.top += bytes;
    return v;
  }

  /** Whether gemm(m, n, k) fits the scratch. */
  fits(m: number, n: number, k: number): boolean {
    return gemmWorkBytes(m, n, k) <= this.workBytes;
  }

  /**
   * Grow (growable use only) so that `viewBytes` from offset 0 plus the scratch of an m×n×k product fit; the
   * old views are invalid afterwards and `heap` is replaced. Allocates only when growing.
   */
  reserve(viewBytes: number, m: number, n: number, k: number): void {
    const need = align8(viewBytes) + gemmWorkBytes(m, n, k);
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      arenas.delete(this.memory.buffer);
      this.memory.grow(Math.ceil((need - have) / PAGE));
      this.heap = new Float64Array(this.memory.buffer);
      arenas.set(this.memory.buffer, this);
    }
    this.top = this.workStart = align8(viewBytes);
    this.workBytes = this.heap.byteLength - this.workStart;
  }

  /**
   * C ← [C +] op(A)·op(B) with operands given as byte offsets and byte strides into this arena (see
   * src/wasm/gemm.ts). The caller guarantees shapes, bounds and that C overlaps neither operand.
   */
  gemm(
    m: number, n: number, k: number,
    a: number, ars: number, acs: number,
    b: number, brs: number, bcs: number,
    c: number, ldc: number, accumulate: boolean,
  ): void {
    this.gemmFn(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate ? 1 : 0, this.workStart);
  }

  /** y ← y + alpha·x over `n` entries of two views of this arena (src/wasm/elementwise.ts). */
  axpy(alpha: number, x: Float64Array, y: Float64Array): void {
    this.axpyFn(y.length, alpha, x.byteOffset, y.byteOffset);
  }

  /** y ← alpha·x over two views of this arena of the same length (y may be x). */
  scale(alpha: number, x: Float64Array, y: Float64Array): void {
    this.scaleFn(y.length, alpha, x.byteOffset, y.byteOffset);
  }
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
