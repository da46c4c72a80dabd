import { ShapeError } from '../errors.js';
import { gemmWorkBytes } from '../wasm/gemm.js';
import { Arena, PARALLEL_MIN_WORK, wasmAvailable } from '../wasm/runtime.js';
import { gemmJs } from './kernels/gemm-js.js';
import { decayJs, fusedJs, matVecJs } from './kernels/sgd-js.js';
import { Matrix } from './matrix.js';
import { ARENA_MIN_WORK, colStride, gemmInArena, multiplyInto, type Op, rowStride } from './products.js';

/** One product of a ProductList: out ← op(A)·op(B) (+ out when accumulate). */
export interface ProductSpec {
  readonly out: Matrix;
  readonly a: Matrix;
  readonly b: Matrix;
  readonly opA?: Op;
  readonly opB?: Op;
  readonly accumulate?: boolean;
}

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
  /** The views handed out: pairwise disjoint by construction, so products among them need no overlap test. */
  private readonly views = new WeakSet<Float64Array>();
  /** Next free value for views in the ordinary array. */
  private top = 0;

  constructor(size: WorkspaceSize) {
    const values = size.values,
      products = size.products;
    if (!(Number.isInteger(values) && values >= 0))
      throw new RangeError(`Workspace: values must be an integer ≥ 0, got ${values}`);
    if (wasmAvailable() && (products === undefined || products.largestWork >= ARENA_MIN_WORK)) {
      const widest = products?.widest ?? 0;
      const work = products === undefined ? 0 : gemmWorkBytes(widest, widest, widest);
      this.arena = new Arena(8 * values, work, { parallel: (products?.largestWork ?? 0) >= PARALLEL_MIN_WORK });
      this.kernel = 'webassembly';
    } else {
      this.storage = new Float64Array(values);
      this.kernel = 'javascript';
    }
  }

  /** A fresh zero rows×cols matrix in the workspace (throws when it is full). */
  matrix(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, this.vector(rows * cols));
  }

  /** A fresh zero vector of `length` values in the workspace (throws when it is full). */
  vector(length: number): Float64Array {
    let v: Float64Array;
    if (this.arena !== undefined) v = this.arena.view(length);
    else {
      const storage = this.storage as Float64Array;
      if (!(Number.isInteger(length) && length >= 0) || this.top + length > storage.length) {
        throw new RangeError(`Workspace: no room for ${length} values`);
      }
      v = storage.subarray(this.top, this.top + length);
      this.top += length;
    }
    this.views.add(v);
    return v;
  }

  /**
   * Whether `x` is one of the views this workspace handed out (other arrays take the JavaScript passes, bitwise the
   * same). A WeakSet lookup, not `x.buffer === buffer`: the buffer getter of a view on WebAssembly memory cost ~55 ns
   * a call, ~10 % of wj.jumps-down's single-entry SGD steps.
   */
  owns(x: Float64Array): boolean {
    return this.views.has(x);
  }

  /**
   * out ← op(A)·op(B) (+ out when accumulate), bitwise multiplyInto's result. On matrices over the workspace's own
   * views (matrix(), vector()) with `out` distinct from both operands, the shapes are checked and the product runs
   * in place; anything else goes through multiplyInto, which checks the rest (overlapping storage included).
   */
  multiply(out: Matrix, a: Matrix, b: Matrix, opA: Op = 'n', opB: Op = 'n', accumulate = false): Matrix {
    if (!this.runsInPlace(out, a, b, opA, opB)) return multiplyInto(out, a, b, opA, opB, accumulate);
    const A = a.data,
      B = b.data,
      C = out.data,
      arena = this.arena;
    const m = out.rows,
      n = out.cols,
      k = opA === 'n' ? a.cols : a.rows;
    const ars = rowStride(a, opA),
      acs = colStride(a, opA);
    const brs = rowStride(b, opB),
      bcs = colStride(b, opB);
    if (m === 0 || n === 0) return out;
    if (k === 0) {
      if (!accumulate) C.fill(0);
      return out;
    }
    if (arena !== undefined && m * n * k >= ARENA_MIN_WORK && arena.fits(m, n, k)) {
      gemmInArena(arena, out, a, b, opA, opB, accumulate);
      return out;
    }
    gemmJs(m, n, k, A, 0, ars, acs, B, 0, brs, bcs, C, 0, n, accumulate);
    return out;
  }

  /**
   * A fixed chain of products among the workspace's own matrices, checked once here (shapes, ownership, no
   * aliasing) and run in order by `run()`, which allocates nothing: in one call into the native kernel when that is
   * built (small products cost as much to call as to compute), else product by product as `multiply` would. Later
   * products may read what earlier ones wrote. Throws a ShapeError for a product `multiply` would not run in place.
   */
  products(list: readonly ProductSpec[]): ProductList {
    return new ProductList(
      this,
      this.arena,
      list.map((p) => ({ opA: 'n', opB: 'n', accumulate: false, ...p })),
    );
  }

  /** Whether multiply(out, a, b, opA, opB) runs in place here (own distinct views, matching shapes). */
  runsInPlace(out: Matrix, a: Matrix, b: Matrix, opA: Op, opB: Op): boolean {
    const A = a.data,
      B = b.data,
      C = out.data,
      views = this.views;
    const m = out.rows,
      n = out.cols,
      k = opA === 'n' ? a.cols : a.rows;
    return (
      C !== A &&
      C !== B &&
      views.has(C) &&
      views.has(A) &&
      views.has(B) &&
      (opA === 'n' ? a.rows : a.cols) === m &&
      (opB === 'n' ? b.rows : b.cols) === k &&
      (opB === 'n' ? b.cols : b.rows) === n
    );
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
    return this.arena !== undefined && this.owns(v)
      ? this.arena.decay(eta, mu, v, start, end)
      : decayJs(eta, mu, v, start, end);
  }

  /**
   * With W the a.length×x.length row-major matrix in `w`: y ← y + Wᵀa from the old entries, row by row, while
   * W ← W − η(a xᵀ + μW); true when every entry of W is finite.
   */
  fused(eta: number, mu: number, w: Float64Array, a: Float64Array, x: Float64Array, y: Float64Array): boolean {
    if (w.length !== a.length * x.length || y.length !== x.length)
      throw new RangeError('Workspace.fused: W must be a.length×x.length and y of x.length');
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

/** How a product of a ProductList runs: the JavaScript kernel, the arena's gemm, or multiply (a zero dimension). */
const JS = 0,
  ARENA = 1,
  GENERAL = 2;

/** A chain of products fixed once (Workspace.products). */
export class ProductList {
  /** Twelve int32 arguments per product, as Arena.gemm takes them (byte offsets and strides). */
  private readonly args: Int32Array;
  /** Per product: JS, ARENA or GENERAL. */
  private readonly modes: Uint8Array;
  /** Whether every product runs in the arena (then all in one Arena.gemmBatch). */
  private readonly allInArena: boolean;
  private readonly largestWork: number;

  constructor(
    private readonly workspace: Workspace,
    private readonly arena: Arena | undefined,
    private readonly list: readonly Required<ProductSpec>[],
  ) {
    let largest = 0;
    this.modes = new Uint8Array(list.length);
    list.forEach(({ out, a, b, opA, opB }, i) => {
      if (!workspace.runsInPlace(out, a, b, opA, opB)) {
        multiplyInto(out, a, b, opA, opB); // reports a shape mismatch or overlap; otherwise:
        const expected = "distinct matrices of this workspace's own";
        throw new ShapeError('Workspace.products', expected, 'a matrix from elsewhere or used twice');
      }
      const k = opA === 'n' ? a.cols : a.rows,
        work = out.rows * out.cols * k;
      largest = Math.max(largest, work);
      this.modes[i] = work === 0 ? GENERAL : work >= ARENA_MIN_WORK && arena?.fits(out.rows, out.cols, k) ? ARENA : JS;
    });
    this.largestWork = largest;
    this.args = Int32Array.from(list.flatMap(gemmArguments));
    this.allInArena = list.length > 0 && this.modes.every((m) => m === ARENA);
  }

  /** Run the products in order. */
  run(): void {
    const arena = this.arena,
      args = this.args,
      list = this.list,
      modes = this.modes;
    if (this.allInArena) {
      (arena as Arena).gemmBatch(args, list.length, this.largestWork);
      return;
    }
    for (let i = 0, o = 0; i < list.length; i++, o += 12) {
      const p = list[i],
        mode = modes[i];
      if (mode === JS) {
        // Strides in values: the byte strides over 8.
        const n = args[o + 1];
        gemmJs(
          args[o],
          n,
          args[o + 2],
          p.a.data,
          0,
          args[o + 4] / 8,
          args[o + 5] / 8,
          p.b.data,
          0,
          args[o + 7] / 8,
          args[o + 8] / 8,
          p.out.data,
          0,
          n,
          p.accumulate,
        );
      } else if (mode === ARENA) {
        (arena as Arena).gemm(
          args[o],
          args[o + 1],
          args[o + 2],
          args[o + 3],
          args[o + 4],
          args[o + 5],
          args[o + 6],
          args[o + 7],
          args[o + 8],
          args[o + 9],
          args[o + 10],
          p.accumulate,
        );
      } else {
        this.workspace.multiply(p.out, p.a, p.b, p.opA, p.opB, p.accumulate);
      }
    }
  }
}

/** Arena.gemm's arguments for a product of views of one arena (byte offsets and strides). */
function gemmArguments({ out, a, b, opA, opB, accumulate }: Required<ProductSpec>): number[] {
  const k = opA === 'n' ? a.cols : a.rows;
  const ars = rowStride(a, opA),
    acs = colStride(a, opA);
  const brs = rowStride(b, opB),
    bcs = colStride(b, opB);
  return [
    out.rows,
    out.cols,
    k,
    a.data.byteOffset,
    8 * ars,
    8 * acs,
    b.data.byteOffset,
    8 * brs,
    8 * bcs,
    out.data.byteOffset,
    8 * out.cols,
    accumulate ? 1 : 0,
  ];
}
