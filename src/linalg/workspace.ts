import { ShapeError } from '../errors.js';
import { Matrix } from './matrix.js';
import { ARENA_MIN_WORK, type Op, multiplyInto, overlaps } from './products.js';
import { gemmJs } from './kernels/gemm-js.js';
import { decayJs, fusedJs, matVecJs } from './kernels/sgd-js.js';
import { Arena, PARALLEL_MIN_WORK, wasmAvailable } from '../wasm/runtime.js';
import { gemmWorkBytes } from '../wasm/gemm.js';

/** How much a workspace holds and the products it will run. */
export interface WorkspaceSize {
  /** Float64 values of all its matrices and vectors together. */
  readonly values: number;
  /**
   * The largest m·n·k among its products and the largest m, n or k of any of them. Without products (vector kernels
   * only) the workspace uses WebAssembly whenever it is available.
   */
  readonly products?: { readonly largestWork: number; readonly widest: number };
}

/**
 * Storage for the matrices of an allocation-free loop (an integrator's buffers, an SGD state) together with the
 * kernels that work on them, so that the loop never has to know where numbers live or which kernel runs.
 *
 * A workspace keeps its matrices in WebAssembly memory when WebAssembly SIMD is available and its largest product
 * reaches ARENA_MIN_WORK (then products among its own matrices run there without copies — in the native kernel when
 * built, on two threads when large: src/wasm/runtime.ts), and in one ordinary array otherwise (the JavaScript
 * kernels). Every kernel gives bitwise the same result either way (the contract of src/linalg/products.ts and
 * src/wasm/sgd.ts), so which one runs never changes a number. Operands that are not its own are accepted too: they
 * go the general way (multiplyInto, the JavaScript passes). Nothing here allocates after construction.
 */
export class Workspace {
  /** Where its matrices live: 'webassembly' (an arena) or 'javascript' (an ordinary array). */
  readonly kernel: 'webassembly' | 'javascript';
  private readonly arena: Arena | undefined;
  private readonly storage: Float64Array | undefined;
  /** The buffer every view handed out shares (ownership test). */
  private readonly buffer: ArrayBufferLike;
  /** Next free value for views in the ordinary array. */
  private top = 0;

  constructor(size: WorkspaceSize) {
    const values = size.values, products = size.products;
    if (!(Number.isInteger(values) && values >= 0)) throw new RangeError(`Workspace: values must be an integer ≥ 0, got ${values}`);
    if (wasmAvailable() && (products === undefined || products.largestWork >= ARENA_MIN_WORK)) {
      const widest = products?.widest ?? 0;
      const work = products === undefined ? 0 : gemmWorkBytes(widest, widest, widest);
      this.arena = new Arena(8 * values, work, { parallel: (products?.largestWork ?? 0) >= PARALLEL_MIN_WORK });
      this.buffer = this.arena.memory.buffer;
      this.kernel = 'webassembly';
    } else {
      this.storage = new Float64Array(values);
      this.buffer = this.storage.buffer;
      this.kernel = 'javascript';
    }
  }

  /** A fresh zero rows×cols matrix in the workspace (throws when it is full). */
  matrix(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, this.vector(rows * cols));
  }

  /** A fresh zero vector of `length` values in the workspace (throws when it is full). */
  vector(length: number): Float64Array {
    if (this.arena !== undefined) return this.arena.view(length);
    const storage = this.storage as Float64Array;
    if (!(Number.isInteger(length) && length >= 0) || this.top + length > storage.length) throw new RangeError(`Workspace: no room for ${length} values`);
    const v = storage.subarray(this.top, this.top + length);
    this.top += length;
    return v;
  }

  /** Whether `x` is storage of this workspace. */
  owns(x: Float64Array): boolean {
    return x.buffer === this.buffer;
  }

  /**
   * out ← op(A)·op(B) (+ out when accumulate), bitwise multiplyInto's result. Among the workspace's own matrices the
   * shapes are checked and the product runs in place; any other operand goes through multiplyInto (which checks
   * the rest). `out` must not overlap an operand.
   */
  multiply(out: Matrix, a: Matrix, b: Matrix, opA: Op = 'n', opB: Op = 'n', accumulate = false): Matrix {
    const A = a.data, B = b.data, C = out.data, arena = this.arena;
    if (A.buffer !== this.buffer || B.buffer !== this.buffer || C.buffer !== this.buffer) return multiplyInto(out, a, b, opA, opB, accumulate);
    const m = out.rows, n = out.cols, k = opA === 'n' ? a.cols : a.rows;
    if ((opA === 'n' ? a.rows : a.cols) !== m || (opB === 'n' ? b.rows : b.cols) !== k || (opB === 'n' ? b.cols : b.rows) !== n) {
      return multiplyInto(out, a, b, opA, opB, accumulate); // reports the mismatch
    }
    const ars = opA === 'n' ? a.cols : 1, acs = opA === 'n' ? 1 : a.cols;
    const brs = opB === 'n' ? b.cols : 1, bcs = opB === 'n' ? 1 : b.cols;
    if (m === 0 || n === 0) return out;
    if (k === 0) {
      if (!accumulate) C.fill(0);
      return out;
    }
    if (arena !== undefined && m * n * k >= ARENA_MIN_WORK && arena.fits(m, n, k)) {
      if (overlaps(C, A) || overlaps(C, B)) throw new ShapeError('multiply.out', 'storage disjoint from A and B', 'storage overlapping an operand');
      arena.gemm(m, n, k, A.byteOffset, 8 * ars, 8 * acs, B.byteOffset, 8 * brs, 8 * bcs, C.byteOffset, 8 * n, accumulate);
      return out;
    }
    if (overlaps(C, A) || overlaps(C, B)) throw new ShapeError('multiply.out', 'storage disjoint from A and B', 'storage overlapping an operand');
    gemmJs(m, n, k, A, 0, ars, acs, B, 0, brs, bcs, C, 0, n, accumulate);
    return out;
  }

  /** y ← y + α·x entry by entry (x, y of one length; one multiply and one add each, as the obvious loop). */
  axpy(alpha: number, x: Float64Array, y: Float64Array): void {
    sameLength(x, y, 'axpy');
    if (this.arena !== undefined && this.owns(x) && this.owns(y)) this.arena.axpy(alpha, x, y);
    else for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
  }

  /** y ← α·x entry by entry (y may be x). */
  scale(alpha: number, x: Float64Array, y: Float64Array): void {
    sameLength(x, y, 'scale');
    if (this.arena !== undefined && this.owns(x) && this.owns(y)) this.arena.scale(alpha, x, y);
    else for (let i = 0; i < y.length; i++) y[i] = alpha * x[i];
  }

  /** v ← v − η(μv) on entries start..end−1; true when all written are finite (src/linalg/kernels/sgd-js.ts). */
  decay(eta: number, mu: number, v: Float64Array, start: number, end: number): boolean {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= v.length)) {
      throw new RangeError(`Workspace.decay: entries ${start}..${end} of ${v.length}`);
    }
    return this.arena !== undefined && this.owns(v) ? this.arena.decay(eta, mu, v, start, end) : decayJs(eta, mu, v, start, end);
  }

  /**
   * With W the a.length×x.length row-major matrix in `w`: y ← y + Wᵀa from the old entries, row by row, while
   * W ← W − η(a xᵀ + μW); true when every entry of W is finite.
   */
  fused(eta: number, mu: number, w: Float64Array, a: Float64Array, x: Float64Array, y: Float64Array): boolean {
    if (w.length !== a.length * x.length || y.length !== x.length) throw new RangeError('Workspace.fused: W must be a.length×x.length and y of x.length');
    const own = this.arena !== undefined && this.owns(w) && this.owns(a) && this.owns(x) && this.owns(y);
    return own ? (this.arena as Arena).fused(eta, mu, w, a, x, y) : fusedJs(eta, mu, w, a, x, y);
  }

  /** y ← W x with W the y.length×x.length row-major matrix in `w`. */
  matVec(w: Float64Array, x: Float64Array, y: Float64Array): void {
    if (w.length !== y.length * x.length) throw new RangeError('Workspace.matVec: W must be y.length×x.length');
    if (this.arena !== undefined && this.owns(w) && this.owns(x) && this.owns(y)) this.arena.matVec(w, x, y);
    else matVecJs(w, x, y);
  }
}

function sameLength(x: Float64Array, y: Float64Array, what: string): void {
  if (x.length !== y.length) throw new RangeError(`Workspace.${what}: lengths ${x.length} and ${y.length} differ`);
}
