import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { environmentValue, switchedOff } from './environment.js';
import { gemmWorkBytes, TILE } from './gemm.js';
import { MAX_UNITS } from './helper-loop.js';
import { HelperThread } from './helper-thread.js';
import { buildKernelModule } from './kernels.js';
import { NATIVE_TILE, nativeKernel } from './native-gemm.js';
import { ThreadChooser } from './thread-chooser.js';

/**
 * The WebAssembly side of dlnv's kernels at run time: the kernel module is generated (src/wasm/kernels.ts: GEMM,
 * elementwise and single-entry SGD kernels) and compiled once, on first use, synchronously (a few kB); every Arena
 * is an instance of it with its own linear memory.
 *
 * Set the environment variable DLNV_WASM=0 to disable WebAssembly (every product then runs the JavaScript kernel,
 * with bitwise identical results: see src/linalg/kernels/gemm-js.ts). WebAssembly is also skipped, silently, when
 * the runtime lacks 128-bit SIMD.
 *
 * Threads: large products in a parallel arena are cut into column chunks that the calling thread and one helper
 * thread share (src/wasm/helper-thread.ts), bitwise the same result. That is the default ('auto') on the main thread
 * of a machine with two or more cores, where the helper is used only while it pays (src/wasm/thread-chooser.ts);
 * DLNV_THREADS=1 (or setProductThreads(1)) keeps every product on the calling thread, DLNV_THREADS=2 shares every
 * large product whatever the machine's load.
 */

type ElementwiseExport = (n: number, alpha: number, x: number, y: number) => void;

type DecayExport = (n: number, eta: number, mu: number, p: number) => number;
type FusedExport = (
  rows: number,
  cols: number,
  eta: number,
  mu: number,
  w: number,
  a: number,
  x: number,
  y: number,
) => number;
type MatVecExport = (rows: number, cols: number, w: number, x: number, y: number) => void;

type GemmExport = (
  m: number,
  n: number,
  k: number,
  a: number,
  ars: number,
  acs: number,
  b: number,
  brs: number,
  bcs: number,
  c: number,
  ldc: number,
  accumulate: number,
  work: number,
) => void;

const PAGE = 65536;
/** The largest memory a growable shared arena may reach (4 GiB, all of wasm32): only address space is reserved. */
const MAX_PAGES = 65536;

/**
 * Multiply-adds in the smallest chunk of a two-thread product: small final chunks balance the threads (whichever is
 * ahead takes the next one, so a descheduled helper costs at most one chunk), while each call costs a little —
 * measured on one thread at 64×64×64 (WebAssembly): chunks 4 columns wide cost 15% over one call, 8 wide 12%, 16
 * wide 10%. The guided chunks (src/wasm/helper-loop.ts) make 6 calls of 24 … 4 columns at d = 64 and 9 of 44 … 4 at
 * d = 128 with the WebAssembly kernel, 5 calls of 24 … 8 and 7 of 48 … 8 with the native one (8-column tiles).
 */
const CHUNK_WORK = 16384;

/**
 * Arena products from this m·n·k run in the native kernel when it is built: below it the call through N-API costs
 * more than AVX2 saves (measured per product, native vs WebAssembly: 8³ 0.36 vs 0.22 µs, 12³ 0.84 vs 0.52, 16³ 0.78
 * vs 1.10, 32³ 3.6 vs 6.4).
 */
const NATIVE_MIN_WORK = 16 * 16 * 16;

/** Products with m·n·k at or above this are computed by two threads in a parallel arena (two chunks at least). */
export const PARALLEL_MIN_WORK = 2 * CHUNK_WORK;

const compiled: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};

let enabled = true;

/**
 * Switch the WebAssembly kernels off (or back on) for this process, e.g. to compare them with the JavaScript ones
 * in a test or a benchmark. Only what is built afterwards is affected: a DlnGradientField keeps the kernels it was
 * constructed with. Results are the same either way (bitwise).
 */
export function setWasmEnabled(on: boolean): void {
  enabled = on;
}

/** The kernel module (src/wasm/kernels.ts) for a plain or a shared memory, or null without WebAssembly SIMD. */
function kernelModule(shared: boolean): WebAssembly.Module | null {
  if (!enabled) return null;
  const key = shared ? 'shared' : 'plain';
  const cached = compiled[key];
  if (cached !== undefined) return cached;
  compiled[key] = null;
  if (switchedOff('DLNV_WASM') || typeof WebAssembly !== 'object') return null;
  try {
    const bytes = buildKernelModule(
      shared ? { initialPages: 1, maximumPages: MAX_PAGES, shared: true } : { initialPages: 1 },
    );
    if (WebAssembly.validate(bytes)) compiled[key] = new WebAssembly.Module(bytes);
  } catch {
    compiled[key] = null;
  }
  return compiled[key] ?? null;
}

/** The compiled kernel module for a plain memory, or null when WebAssembly SIMD is unavailable or disabled. */
export function gemmModule(): WebAssembly.Module | null {
  return kernelModule(false);
}

/** Whether products may run in WebAssembly. */
export function wasmAvailable(): boolean {
  return gemmModule() !== null;
}

/** How large products use threads: 1 (the calling thread), 2 (always shared), 'auto' (shared while that pays). */
export type ThreadSetting = 1 | 2 | 'auto';

/**
 * DLNV_THREADS=1 or 2 decides; otherwise 'auto' on a machine with two or more cores, but one thread inside a worker
 * thread (`dlnv verify --workers`, a user's pool): whoever started the workers already uses the cores.
 */
function threadsFromEnvironment(): ThreadSetting {
  const env = environmentValue('DLNV_THREADS');
  if (env === '1' || env === '2') return env === '1' ? 1 : 2;
  return isMainThread && availableParallelism() >= 2 ? 'auto' : 1;
}

let threads: ThreadSetting | undefined;
let helper: HelperThread | null | undefined;
const chooser = new ThreadChooser();

/** The thread setting in force: 'auto' by default on a multi-core machine's main thread (see threadsFromEnvironment). */
export function productThreadSetting(): ThreadSetting {
  return (threads ??= threadsFromEnvironment());
}

/** How many threads large products may use: 2 unless the setting is 1. */
export function productThreads(): 1 | 2 {
  return productThreadSetting() === 1 ? 1 : 2;
}

/**
 * Let large products use only the calling thread (1), two threads always (2) or while that pays ('auto'), from now
 * on, in every parallel arena; arenas built while it is 1 use one thread for good. Results are bitwise the same.
 */
export function setProductThreads(setting: ThreadSetting): void {
  threads = setting;
}

/**
 * Whether a product of `work` multiply-adds on ordinary matrices (not in an arena) should be shared with the helper
 * thread, which costs copies into and out of a shared memory: always with setting 2, never with 1, and with 'auto'
 * only while the chooser's current way for its size class is two threads. A product the caller then runs alone on
 * its own thread should be reported with recordAlone, so that 'auto' keeps measuring (and probing) that class.
 */
export function shareOrdinaryProduct(work: number): boolean {
  const setting = productThreadSetting();
  return setting === 2 || (setting === 'auto' && chooser.twoThreads(work));
}

/** Report a product of `work` multiply-adds that shareOrdinaryProduct kept on the calling thread, and its time. */
export function recordAlone(work: number, milliseconds: number): void {
  if (productThreadSetting() === 'auto' && !chooser.twoThreads(work)) chooser.record(work, milliseconds);
}

/** What the helper thread has done: see helperStatus. */
export interface HelperStatus {
  readonly state: 'off' | 'starting' | 'running' | 'failed';
  /** Chunks the helper computed. */
  readonly chunks: number;
  /** Large products the 'auto' setting ran on one thread and on two (src/wasm/thread-chooser.ts). */
  readonly alone: number;
  readonly shared: number;
}

/**
 * The helper thread's state: 'off' before the first two-thread product (or with one thread), 'starting' until its
 * loop runs, then 'running' with the chunks it has computed so far; 'failed' if it could not start.
 */
export function helperStatus(): HelperStatus {
  const [alone, shared] = chooser.products;
  if (helper === undefined) return { state: 'off', chunks: 0, alone, shared };
  if (helper === null) return { state: 'failed', chunks: 0, alone, shared };
  return {
    state: helper.failed ? 'failed' : helper.ready ? 'running' : 'starting',
    chunks: helper.chunksHelped,
    alone,
    shared,
  };
}

/** The helper thread, started at the first parallel product (null when it cannot run here). */
function helperThread(): HelperThread | null {
  if (helper !== undefined) return helper;
  const module = kernelModule(true);
  try {
    helper = module === null ? null : new HelperThread(module);
  } catch {
    helper = null;
  }
  return helper;
}

/** Arenas by their memory's buffer, so a product can tell that its operands already live in one. */
const arenas = new WeakMap<ArrayBufferLike, Arena>();

/** The arena whose memory holds `data`, if any. */
export function arenaOf(data: Float64Array): Arena | undefined {
  return arenas.get(data.buffer);
}

/**
 * Columns per unit (the smallest chunk) of a two-thread product: a multiple of the kernel's register-tile width `nr`
 * (no chunk computes padded columns, and an in-place op(B) stays in place) holding at least CHUNK_WORK
 * multiply-adds, and at most MAX_UNITS units.
 */
function chunkWidth(m: number, n: number, k: number, nr: number): number {
  return nr * Math.max(Math.ceil(CHUNK_WORK / (m * k * nr)), Math.ceil(n / (MAX_UNITS * nr)));
}

/** How an Arena is made (both default to false). */
export interface ArenaOptions {
  /** The memory may grow (`reserve`): the shared scratch of src/linalg/products.ts. */
  readonly growable?: boolean;
  /**
   * Share the memory with the helper thread, so that large products (from PARALLEL_MIN_WORK) use two cores. Ignored
   * while productThreads() is 1.
   */
  readonly parallel?: boolean;
}

/**
 * A GEMM instance with its own memory: a bump allocator hands out float64 views (never freed; the arena lives as
 * long as its views), and the top of the memory is the kernel's scratch (two of them in a parallel arena, one per
 * thread). A fixed arena never grows, so its views stay valid for its whole life; a growable one replaces its
 * buffer on growth and must only be used through `heap` after `reserve`.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared with the helper thread (large products then use two threads). */
  readonly parallel: boolean;
  /** The WebAssembly GEMM, and the one for products from NATIVE_MIN_WORK (native when built, else the same). */
  private readonly wasmGemm: GemmExport;
  private readonly largeGemm: GemmExport;
  /** The native kernel's batch of products (undefined without it, or with a build older than gemmBatch). */
  private readonly nativeBatch: ((heap: Float64Array, args: Int32Array, count: number) => void) | undefined;
  private readonly axpyFn: ElementwiseExport;
  private readonly scaleFn: ElementwiseExport;
  private readonly decayFn: DecayExport;
  private readonly fusedFn: FusedExport;
  private readonly matVecFn: MatVecExport;
  /** A view of the whole memory (replaced when a growable arena grows). */
  heap: Float64Array;
  /** Next free byte for views. */
  private top = 0;
  /** Byte offset where the kernel's scratch starts (the rest of the memory), and its size per thread. */
  private workStart: number;
  private workBytes: number;
  /** The id the helper thread knows this memory by (0: not registered yet). */
  private helperId = 0;
  /** Columns of the GEMM kernel's register tile (native or WebAssembly): chunks come in multiples of it. */
  private readonly tileWidth: number;
  /** This thread's gemm, as the chunk loop asks for it (src/wasm/helper-loop.ts). */
  private readonly ownKernel = (): GemmExport => this.largeGemm;

  /**
   * An arena with `viewBytes` for views and `workBytes` of kernel scratch per thread (both rounded up to 8 bytes).
   * Throws when WebAssembly SIMD is unavailable (see wasmAvailable).
   */
  constructor(viewBytes: number, workBytes: number, options: ArenaOptions = {}) {
    this.parallel = options.parallel === true && productThreads() === 2 && kernelModule(true) !== null;
    const module = kernelModule(this.parallel);
    if (module === null) throw new Error('Arena: WebAssembly SIMD is unavailable or disabled');
    const lanes = this.parallel ? 2 : 1;
    const initial = Math.max(1, Math.ceil((align8(viewBytes) + lanes * align8(workBytes)) / PAGE));
    this.memory = this.parallel
      ? new WebAssembly.Memory({ initial, maximum: options.growable ? MAX_PAGES : initial, shared: true })
      : new WebAssembly.Memory({ initial });
    const exports = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports;
    // The native kernel, when built, on this same memory (bitwise the WebAssembly one; src/wasm/native-gemm.ts).
    const native = nativeKernel()?.kernel;
    this.tileWidth = native ? NATIVE_TILE.nr : TILE.nr;
    this.wasmGemm = exports.gemm as unknown as GemmExport;
    this.largeGemm = native
      ? (m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work) =>
          native.gemm(this.heap, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work)
      : this.wasmGemm;
    this.nativeBatch = typeof native?.gemmBatch === 'function' ? native.gemmBatch.bind(native) : undefined;
    this.axpyFn = exports.axpy as unknown as ElementwiseExport;
    this.scaleFn = exports.scale as unknown as ElementwiseExport;
    this.decayFn = exports.decay as unknown as DecayExport;
    this.fusedFn = exports.fused as unknown as FusedExport;
    this.matVecFn = exports.matVec as unknown as MatVecExport;
    this.heap = new Float64Array(this.memory.buffer);
    this.workStart = align8(viewBytes);
    this.workBytes = this.scratchPerThread();
    arenas.set(this.memory.buffer, this);
  }

  /** A fresh zero-filled view of `length` float64 values (throws when the arena is full). */
  view(length: number): Float64Array {
    const bytes = 8 * length;
    if (!(Number.isInteger(length) && length >= 0) || this.top + bytes > this.workStart)
      throw new RangeError(`Arena: no room for ${length} values`);
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
    const need = align8(viewBytes) + (this.parallel ? 2 : 1) * gemmWorkBytes(m, n, k);
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      arenas.delete(this.memory.buffer);
      this.memory.grow(Math.ceil((need - have) / PAGE));
      this.heap = new Float64Array(this.memory.buffer);
      arenas.set(this.memory.buffer, this);
    }
    this.top = this.workStart = align8(viewBytes);
    this.workBytes = this.scratchPerThread();
  }

  /**
   * C ← [C +] op(A)·op(B) with operands given as byte offsets and byte strides into this arena (see
   * src/wasm/gemm.ts). The caller guarantees shapes, bounds and that C overlaps neither operand. From NATIVE_MIN_WORK
   * the native kernel runs it when built; in a parallel arena a large product is shared with the helper thread
   * (src/wasm/helper-thread.ts).
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    ldc: number,
    accumulate: boolean,
  ): void {
    const acc = accumulate ? 1 : 0,
      work = m * n * k,
      setting = productThreadSetting();
    if (this.parallel && work >= PARALLEL_MIN_WORK && setting !== 1) {
      const h = helperThread();
      if (h !== null) {
        if (this.helperId === 0) this.helperId = h.register(this.memory, this);
        const width = chunkWidth(m, n, k, this.tileWidth);
        if (h.ready && width < n) {
          const auto = setting === 'auto',
            start = auto ? performance.now() : 0;
          if (!auto || chooser.twoThreads(work)) {
            h.run(
              this.helperId,
              width,
              this.ownKernel,
              m,
              n,
              k,
              a,
              ars,
              acs,
              b,
              brs,
              bcs,
              c,
              ldc,
              acc,
              this.workStart,
              this.workStart + this.workBytes,
            );
          } else {
            this.largeGemm(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, acc, this.workStart);
          }
          if (auto) chooser.record(work, performance.now() - start);
          return;
        }
      }
    }
    (work >= NATIVE_MIN_WORK ? this.largeGemm : this.wasmGemm)(
      m,
      n,
      k,
      a,
      ars,
      acs,
      b,
      brs,
      bcs,
      c,
      ldc,
      acc,
      this.workStart,
    );
  }

  /**
   * The products args[12i … 12i + 11] = m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate (as gemm takes them,
   * accumulate 0 or 1; no dimension 0), i < count, one after the other; `largestWork` is their largest m·n·k. In one
   * call into the native kernel when it is built and no product is to be shared with the helper thread (a small
   * product's call costs about as much as its arithmetic there), else one gemm each. Bitwise the same either way.
   */
  gemmBatch(args: Int32Array, count: number, largestWork: number): void {
    const batch = this.nativeBatch;
    if (batch !== undefined && !(this.parallel && largestWork >= PARALLEL_MIN_WORK && productThreadSetting() !== 1)) {
      batch(this.heap, args, count);
      return;
    }
    for (let i = 0, o = 0; i < count; i++, o += 12) {
      const a = args;
      this.gemm(
        a[o],
        a[o + 1],
        a[o + 2],
        a[o + 3],
        a[o + 4],
        a[o + 5],
        a[o + 6],
        a[o + 7],
        a[o + 8],
        a[o + 9],
        a[o + 10],
        a[o + 11] !== 0,
      );
    }
  }

  /** y ← y + alpha·x over `n` entries of two views of this arena (src/wasm/elementwise.ts). */
  axpy(alpha: number, x: Float64Array, y: Float64Array): void {
    this.axpyFn(y.length, alpha, x.byteOffset, y.byteOffset);
  }

  /** y ← alpha·x over two views of this arena of the same length (y may be x). */
  scale(alpha: number, x: Float64Array, y: Float64Array): void {
    this.scaleFn(y.length, alpha, x.byteOffset, y.byteOffset);
  }

  /** v ← v − η(μv) over entries start..end−1 of a view of this arena (src/wasm/sgd.ts); true when all are finite. */
  decay(eta: number, mu: number, v: Float64Array, start: number, end: number): boolean {
    return this.decayFn(end - start, eta, mu, v.byteOffset + 8 * start) !== 0;
  }

  /**
   * With W the a.length×x.length row-major matrix in `w`: y ← y + Wᵀa from the old entries, row by row, while
   * W ← W − η(a xᵀ + μW) (src/wasm/sgd.ts); true when every entry of W is finite. Views of this arena.
   */
  fused(eta: number, mu: number, w: Float64Array, a: Float64Array, x: Float64Array, y: Float64Array): boolean {
    return this.fusedFn(a.length, x.length, eta, mu, w.byteOffset, a.byteOffset, x.byteOffset, y.byteOffset) !== 0;
  }

  /** y ← W x with W the y.length×x.length row-major matrix in `w` (src/wasm/sgd.ts); views of this arena. */
  matVec(w: Float64Array, x: Float64Array, y: Float64Array): void {
    this.matVecFn(y.length, x.length, w.byteOffset, x.byteOffset, y.byteOffset);
  }

  /** The scratch each thread gets: the rest of the memory above the views, split evenly in a parallel arena. */
  private scratchPerThread(): number {
    const rest = this.heap.byteLength - this.workStart;
    return this.parallel ? Math.floor(rest / 16) * 8 : rest;
  }
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
