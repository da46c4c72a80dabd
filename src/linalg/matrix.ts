import { NonFiniteError, ShapeError } from '../errors.js';
import { allocValues } from './kernels/alloc.js';

/**
 * A dense float64 matrix stored row-major in a flat Float64Array: entry (i, j) is data[i * cols + j].
 * The storage is exposed on purpose: kernels index it directly and write into preallocated outputs.
 */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  /** Whether `data` was allocated by the constructor, hence shared with no other matrix or view made before. */
  readonly #fresh: boolean;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError('Matrix', 'non-negative integer rows × cols', `${rows}×${cols}`);
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new ShapeError('Matrix.data', `length ${rows * cols} (${rows}×${cols})`, `length ${data.length}`);
    }
    this.rows = rows;
    this.cols = cols;
    // Small matrices take zero-filled views of a shared slab (kernels/alloc.ts): `data.buffer` may be shared, the
    // view itself never is.
    this.data = data ?? allocValues(rows * cols);
    this.#fresh = data === undefined;
  }

  /**
   * Whether this matrix's storage is disjoint from `other`'s for certain without inspecting the buffers: true when
   * both were allocated by the constructor (distinct allocations never overlap; kernels/alloc.ts) and are not the
   * same matrix. False means "not known", not "overlapping" (also for a Matrix of another copy of this module).
   */
  knownDisjointFrom(other: Matrix): boolean {
    return this.#fresh && #fresh in other && other.#fresh && this.data !== other.data;
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** From nested arrays (row lists); validates rectangularity and finiteness. */
  static from(rows: readonly (readonly number[])[], argument = 'matrix'): Matrix {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0].length;
    const m = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      if (rows[i].length !== c)
        throw new ShapeError(argument, `${r} rows of length ${c}`, `row ${i} of length ${rows[i].length}`);
      for (let j = 0; j < c; j++) m.data[i * c + j] = rows[i][j];
    }
    return assertFinite(m, argument);
  }

  static diag(values: ArrayLike<number>, rows = values.length, cols = values.length): Matrix {
    const m = new Matrix(rows, cols);
    const k = Math.min(rows, cols, values.length);
    for (let i = 0; i < k; i++) m.data[i * cols + i] = values[i];
    return m;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  clone(): Matrix {
    const out = new Matrix(this.rows, this.cols);
    out.data.set(this.data);
    return out;
  }

  /** Overwrite this matrix with the entries of `src` (same shape). */
  copyFrom(src: Matrix): this {
    assertSameShape(this, src, 'copyFrom.src');
    this.data.set(src.data);
    return this;
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  /** JSON form used by reports and the gate protocol: shape plus row-major rows. */
  toJSON(): { shape: [number, number]; data: number[][] } {
    return { shape: [this.rows, this.cols], data: this.toArray() };
  }

  get shape(): string {
    return `${this.rows}×${this.cols}`;
  }

  /**
   * "Matrix 2×3" and the rows with aligned columns (6 significant digits), for counterexamples and the console;
   * beyond 8 rows or columns the middle ones are elided.
   */
  toString(): string {
    const keep = (n: number): (number | null)[] =>
      n <= SHOWN ? [...Array(n).keys()] : [0, 1, 2, 3, null, n - 3, n - 2, n - 1];
    const rows = keep(this.rows),
      cols = keep(this.cols);
    const cells = rows.map((i) =>
      cols.map((j) =>
        i === null ? (j === null ? '⋱' : '⋮') : j === null ? '…' : String(Number(this.get(i, j).toPrecision(6))),
      ),
    );
    const widths = cols.map((_, k) => Math.max(...cells.map((row) => row[k].length)));
    const lines = cells.map((row) => `  [ ${row.map((c, k) => c.padStart(widths[k])).join('  ')} ]`);
    return [`Matrix ${this.shape}`, ...lines].join('\n');
  }
}

/** Rows and columns printed in full by toString. */
const SHOWN = 8;

// Node's console.log and util.inspect use this symbol; registered by name, so no Node types are needed here.
Object.defineProperty(Matrix.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Matrix): string {
    return this.toString();
  },
});

export function assertShape(m: Matrix, rows: number, cols: number, argument: string): Matrix {
  if (!(m instanceof Matrix)) throw new ShapeError(argument, `a Matrix ${rows}×${cols}`, typeof m);
  if (m.rows !== rows || m.cols !== cols) throw new ShapeError(argument, `${rows}×${cols}`, m.shape);
  return m;
}

export function assertSameShape(a: Matrix, b: Matrix, argument: string): void {
  assertShape(b, a.rows, a.cols, argument);
}

export function assertSquare(m: Matrix, argument: string): Matrix {
  if (m.rows !== m.cols) throw new ShapeError(argument, 'square n×n', m.shape);
  return m;
}

export function assertFinite(m: Matrix, argument: string): Matrix {
  const d = m.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) throw new NonFiniteError(argument, i, d[i]);
  return m;
}
