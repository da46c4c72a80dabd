import { Matrix } from './matrix.js';

/**
 * A Float64Array reused across calls and grown (doubling) when a call needs more: for functions called at every
 * observation of a run (loss, balancedness) that should not allocate a fresh matrix per product. Not re-entrant:
 * one user at a time, and the contents are whatever the last user left.
 */
export class Scratch {
  private buffer = new Float64Array(256);

  /** An array holding at least `length` values (the same one as last time unless it had to grow). */
  take(length: number): Float64Array {
    if (this.buffer.length < length) this.buffer = new Float64Array(Math.max(length, 2 * this.buffer.length));
    return this.buffer;
  }

  /** A rows×cols matrix over the first rows·cols values. */
  matrix(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, this.take(rows * cols).subarray(0, rows * cols));
  }
}
