import { DomainError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/rng.js';

/**
 * An observed index set I ⊂ [rows] × [cols] for matrix completion (THEORY §4), stored as two parallel integer
 * arrays: entry k is (row[k], col[k]), 0-based. Entries are distinct and listed in row-major order, so two sets
 * with the same entries are identical (and a seeded draw replays exactly).
 */
export interface ObservedSet {
  readonly rows: number;
  readonly cols: number;
  readonly row: Int32Array;
  readonly col: Int32Array;
  /** |I|. */
  readonly size: number;
}

function assertDimension(n: number, argument: string): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new DomainError(argument, `expected a positive integer, received ${n}`);
  return n;
}

/**
 * I from a list of (i, j) pairs (0-based). Every pair must lie inside the rows×cols matrix, and no pair may repeat
 * (a repeated entry would silently double its weight in the cost); I must not be empty. Errors name the pair:
 * `mask[3]: (5, 0) lies outside the 4×4 matrix`.
 */
export function observedSet(
  rows: number,
  cols: number,
  entries: ReadonlyArray<readonly [number, number]>,
  argument = 'mask',
): ObservedSet {
  assertDimension(rows, `${argument}.rows`);
  assertDimension(cols, `${argument}.cols`);
  if (!Array.isArray(entries) || entries.length === 0)
    throw new DomainError(argument, 'expected a non-empty list of observed entries [i, j]');
  const seen = new Uint8Array(rows * cols);
  entries.forEach((e, k) => {
    if (!Array.isArray(e) || e.length !== 2)
      throw new DomainError(`${argument}[${k}]`, `expected a pair [i, j], received ${JSON.stringify(e)}`);
    const [i, j] = e;
    if (!Number.isInteger(i) || !Number.isInteger(j))
      throw new DomainError(`${argument}[${k}]`, `indices must be integers, received (${i}, ${j})`);
    if (i < 0 || i >= rows || j < 0 || j >= cols)
      throw new DomainError(
        `${argument}[${k}]`,
        `(${i}, ${j}) lies outside the ${rows}×${cols} matrix (0-based indices)`,
      );
    if (seen[i * cols + j]) throw new DomainError(`${argument}[${k}]`, `(${i}, ${j}) is listed twice`);
    seen[i * cols + j] = 1;
  });
  return fromIndicator(rows, cols, seen);
}

/** I from a 0/1 (or boolean) rows×cols pattern; anything else than 0/1/true/false is an error naming the entry. */
export function observedSetFromPattern(
  pattern: ReadonlyArray<ReadonlyArray<number | boolean>>,
  argument = 'mask',
): ObservedSet {
  if (!Array.isArray(pattern) || pattern.length === 0)
    throw new DomainError(argument, 'expected a non-empty 0/1 matrix');
  const rows = pattern.length,
    cols = Array.isArray(pattern[0]) ? pattern[0].length : 0;
  if (cols === 0) throw new DomainError(`${argument}[0]`, 'expected a non-empty row');
  const seen = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    if (!Array.isArray(pattern[i]) || pattern[i].length !== cols)
      throw new DomainError(`${argument}[${i}]`, `expected a row of length ${cols}`);
    for (let j = 0; j < cols; j++) {
      const v = pattern[i][j];
      if (v === 1 || v === true) seen[i * cols + j] = 1;
      else if (v !== 0 && v !== false)
        throw new DomainError(`${argument}[${i}][${j}]`, `expected 0 or 1, received ${JSON.stringify(v)}`);
    }
  }
  if (!seen.some((s) => s === 1)) throw new DomainError(argument, 'observes no entry');
  return fromIndicator(rows, cols, seen);
}

/** Every entry observed (completion degenerates to matrix fitting). */
export function fullObservedSet(rows: number, cols: number): ObservedSet {
  assertDimension(rows, 'rows');
  assertDimension(cols, 'cols');
  return fromIndicator(rows, cols, new Uint8Array(rows * cols).fill(1));
}

export interface RandomMaskOptions {
  /** Observe each entry independently with this probability (0 < p ≤ 1). Default 0.5. */
  readonly fraction?: number;
  /** Observe exactly this many entries instead (1 ≤ count ≤ rows·cols), uniformly among all subsets. */
  readonly count?: number;
  /**
   * Redraw (up to 1000 times) until every row and every column has an observed entry (default true): an unobserved
   * row is a direction no cost ever sees, which changes what completion means.
   */
  readonly coverRowsAndCols?: boolean;
}

/** A seeded random observed set. */
export function randomObservedSet(rng: Rng, rows: number, cols: number, options: RandomMaskOptions = {}): ObservedSet {
  assertDimension(rows, 'rows');
  assertDimension(cols, 'cols');
  const total = rows * cols;
  const { count } = options;
  const fraction = options.fraction ?? 0.5;
  if (count !== undefined && !(Number.isInteger(count) && count >= 1 && count <= total))
    throw new DomainError('mask.count', `expected an integer in [1, ${total}], received ${count}`);
  if (count === undefined && !(fraction > 0 && fraction <= 1))
    throw new DomainError('mask.fraction', `expected a probability in (0, 1], received ${fraction}`);
  const cover = options.coverRowsAndCols ?? true;
  if (cover && count !== undefined && count < Math.max(rows, cols))
    throw new DomainError('mask.count', `${count} entries cannot cover ${rows} rows and ${cols} columns`);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const seen = new Uint8Array(total);
    if (count !== undefined) {
      // Partial Fisher–Yates: the first `count` of a random permutation.
      const perm = Int32Array.from({ length: total }, (_, k) => k);
      for (let k = 0; k < count; k++) {
        const r = k + Math.floor(rng.uniform() * (total - k));
        const t = perm[k];
        perm[k] = perm[r];
        perm[r] = t;
        seen[perm[k]] = 1;
      }
    } else {
      for (let k = 0; k < total; k++) if (rng.uniform() < fraction) seen[k] = 1;
    }
    if (!seen.some((s) => s === 1)) continue;
    if (!cover || covers(seen, rows, cols)) return fromIndicator(rows, cols, seen);
  }
  throw new DomainError(
    'mask.fraction',
    `no draw in 1000 observed every row and column (fraction ${fraction}); raise it or set coverRowsAndCols: false`,
  );
}

function covers(seen: Uint8Array, rows: number, cols: number): boolean {
  const r = new Uint8Array(rows),
    c = new Uint8Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (seen[i * cols + j]) r[i] = c[j] = 1;
  return r.every((x) => x === 1) && c.every((x) => x === 1);
}

function fromIndicator(rows: number, cols: number, seen: Uint8Array): ObservedSet {
  let size = 0;
  for (let k = 0; k < seen.length; k++) size += seen[k];
  const row = new Int32Array(size),
    col = new Int32Array(size);
  let t = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (seen[i * cols + j]) {
        row[t] = i;
        col[t] = j;
        t++;
      }
    }
  }
  return { rows, cols, row, col, size };
}

/** The 0/1 indicator matrix of I. */
export function maskMatrix(set: ObservedSet): Matrix {
  const m = new Matrix(set.rows, set.cols);
  for (let k = 0; k < set.size; k++) m.data[set.row[k] * set.cols + set.col[k]] = 1;
  return m;
}

/** I as a list of [i, j] pairs (JSON form). */
export function observedPairs(set: ObservedSet): [number, number][] {
  return Array.from(set.row, (i, k) => [i, set.col[k]] as [number, number]);
}
