/**
 * Storage for small matrices, handed out as views of shared slabs.
 *
 * V8 keeps a typed array's storage on the JS heap only up to 64 bytes; anything larger gets a separately allocated,
 * separately finalized backing store: `new Float64Array(64)` (an 8×8 matrix) costs about 1.2 µs here, against
 * about 0.03 µs for a view of an existing buffer. Checks evaluate small products by the hundred thousand,
 * so the allocation — not the arithmetic — was their cost. `allocValues` hands out zero-filled views of 32 KB
 * slabs for requests up to 512 values (4 KB) and plain arrays above that (where the work on the matrix dwarfs the
 * allocation).
 *
 * Views are never reused: a slab is only ever bumped forward and dropped when full, so every view is fresh,
 * zero-filled and disjoint from every other (the overlap tests of src/linalg/products.ts compare byte ranges, so
 * they stay exact). The price: a slab lives as long as any of its views — at most 32 KB kept for one small
 * long-lived matrix. Code that needs exclusive storage (to transfer the buffer, say) must use `byteOffset`/
 * `byteLength`, as src/gate/codec.ts already does.
 */
const SLAB_VALUES = 4096;
const MAX_SLAB_REQUEST = 512;

let slab: Float64Array = new Float64Array(0);
let top = 0;

/**
 * A zero-filled Float64Array of `length` values (a slab view when small). An invalid length (negative, fractional,
 * NaN) gives an empty array, so the Matrix constructor that receives it reports the bad shape as it always has.
 */
export function allocValues(length: number): Float64Array {
  if (!(Number.isInteger(length) && length > 0)) return new Float64Array(0);
  if (length > MAX_SLAB_REQUEST) return new Float64Array(length);
  if (top + length > slab.length) {
    slab = new Float64Array(SLAB_VALUES);
    top = 0;
  }
  // The constructor on the slab's buffer is about twice as fast as slab.subarray (no species lookup).
  const view = new Float64Array(slab.buffer, 8 * top, length);
  top += length;
  return view;
}
