import { UsageError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Data, LossScale } from '../model/loss.js';
import type { ReportedValues } from './classify.js';

/**
 * The JSON form of a parameter point, as `dlnv classify` reads it (and as a user's training code writes it):
 *   {
 *     "weights": [W_1, …, W_N],            // W_1 acts first; each {"shape": [r, c], "data": [[…], …]} or [[…], …]
 *     "data": { "X": d_0×m, "Y": d_N×m },
 *     "scale": "half" | "sum" | "mean",    // optional, default "half": L = (κ/2)‖W_N⋯W_1X − Y‖²
 *     "reported": { "loss": 0.5, "class": "global-minimum" }   // optional: what the user's code claims
 *   }
 * Every problem is a one-line UsageError naming the field (weights[1].data[0][2], data.Y, scale, …). Bare NaN,
 * Infinity and -Infinity (which Python's json module writes) are accepted by the reader so that the error can
 * say which entry holds them.
 */
export interface PointFile {
  readonly weights: Matrix[];
  readonly data: Data;
  readonly scale: LossScale;
  readonly reported?: ReportedValues;
}

const SENTINEL = '\u0000dlnv:';

/** Replace bare NaN / Infinity / -Infinity tokens outside strings by sentinel strings. */
function protectNonFinite(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const rest = text.slice(i, i + 9);
    const token = rest.startsWith('-Infinity') ? '-Infinity' : rest.startsWith('Infinity') ? 'Infinity' : rest.startsWith('NaN') ? 'NaN' : undefined;
    if (token) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string' && v.startsWith(SENTINEL)) return v.slice(SENTINEL.length);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return String(v);
}

function fail(field: string, message: string): never {
  throw new UsageError(`${field}: ${message}`);
}

function finiteNumber(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return fail(field, `expected a finite number, found ${describeValue(v)}`);
}

/** A matrix from {shape: [r, c], data: rows or flat} or from an array of rows. */
export function parseMatrix(value: unknown, field: string): Matrix {
  if (Array.isArray(value)) {
    if (value.length === 0) fail(field, 'is an empty matrix (expected at least one row)');
    if (!value.every(Array.isArray)) fail(field, 'expected an array of rows (e.g. [[1, 2], [3, 4]]) or {"shape": [r, c], "data": [[…]]}');
    const rows = value as unknown[][];
    const cols = rows[0].length;
    if (cols === 0) fail(`${field}[0]`, 'is an empty row');
    const m = new Matrix(rows.length, cols);
    rows.forEach((row, i) => {
      if (row.length !== cols) fail(`${field}[${i}]`, `has ${row.length} entries, but row 0 has ${cols} (rows must have equal length)`);
      row.forEach((x, j) => (m.data[i * cols + j] = finiteNumber(x, `${field}[${i}][${j}]`)));
    });
    return m;
  }
  if (value === null || typeof value !== 'object') return fail(field, `expected a matrix (array of rows or {"shape": [r, c], "data": …}), found ${value === undefined ? 'nothing' : describeValue(value)}`);
  const obj = value as Record<string, unknown>;
  if (!('shape' in obj)) fail(`${field}.shape`, 'is missing (expected [rows, cols])');
  if (!('data' in obj)) fail(`${field}.data`, 'is missing');
  const shape = obj.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && (d as number) >= 1)) fail(`${field}.shape`, `expected [rows, cols] with positive integers, found ${JSON.stringify(shape)}`);
  const [r, c] = shape as [number, number];
  const data = obj.data;
  if (!Array.isArray(data)) return fail(`${field}.data`, `expected an array, found ${describeValue(data)}`);
  const m = new Matrix(r, c);
  if (data.length > 0 && data.every((row) => !Array.isArray(row))) {
    if (data.length !== r * c) fail(`${field}.data`, `has ${data.length} entries, but shape ${r}×${c} needs ${r * c}`);
    data.forEach((x, i) => (m.data[i] = finiteNumber(x, `${field}.data[${i}]`)));
    return m;
  }
  if (data.length !== r) fail(`${field}.data`, `has ${data.length} rows, but shape [${r}, ${c}] says ${r}`);
  data.forEach((row, i) => {
    if (!Array.isArray(row)) fail(`${field}.data[${i}]`, `expected a row (array of ${c} numbers), found ${describeValue(row)}`);
    if (row.length !== c) fail(`${field}.data[${i}]`, `has ${row.length} entries, but shape [${r}, ${c}] says ${c}`);
    row.forEach((x: unknown, j: number) => (m.data[i * c + j] = finiteNumber(x, `${field}.data[${i}][${j}]`)));
  });
  return m;
}

const SCALES: readonly LossScale[] = ['half', 'sum', 'mean'];

export function parsePoint(value: unknown, source = 'input'): PointFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(source, `expected a JSON object {"weights": [...], "data": {"X": ..., "Y": ...}, "scale": ...}, found ${describeValue(value)}`);
  const obj = value as Record<string, unknown>;
  if (!('weights' in obj)) fail('weights', 'is missing (expected [W_1, …, W_N], W_1 acting first)');
  if (!Array.isArray(obj.weights) || obj.weights.length === 0) fail('weights', 'expected a non-empty array of matrices [W_1, …, W_N]');
  const weights = (obj.weights as unknown[]).map((w, j) => parseMatrix(w, `weights[${j}]`));
  for (let j = 1; j < weights.length; j++) {
    if (weights[j].cols !== weights[j - 1].rows) fail(`weights[${j}]`, `has shape ${weights[j].rows}×${weights[j].cols} but must have ${weights[j - 1].rows} columns (the rows of weights[${j - 1}]: W_${j + 1} acts after W_${j})`);
  }
  if (!('data' in obj)) fail('data', 'is missing (expected {"X": d_0×m, "Y": d_N×m})');
  const data = obj.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail('data', `expected an object {"X": …, "Y": …}, found ${describeValue(data)}`);
  const d = data as Record<string, unknown>;
  if (!('X' in d)) fail('data.X', 'is missing');
  if (!('Y' in d)) fail('data.Y', 'is missing');
  const X = parseMatrix(d.X, 'data.X'), Y = parseMatrix(d.Y, 'data.Y');
  const d0 = weights[0].cols, dN = weights[weights.length - 1].rows;
  if (X.rows !== d0) fail('data.X', `has ${X.rows} rows but weights[0] has ${d0} columns (X is d_0×m)`);
  if (Y.rows !== dN) fail('data.Y', `has ${Y.rows} rows but the last layer has ${dN} rows (Y is d_N×m)`);
  if (Y.cols !== X.cols) fail('data.Y', `has ${Y.cols} columns (samples) but data.X has ${X.cols}`);
  let scale: LossScale = 'half';
  if ('scale' in obj) {
    if (typeof obj.scale !== 'string' || !SCALES.includes(obj.scale as LossScale)) fail('scale', `expected "half", "sum" or "mean", found ${describeValue(obj.scale)}`);
    scale = obj.scale as LossScale;
  }
  let reported: ReportedValues | undefined;
  if ('reported' in obj && obj.reported !== undefined) {
    const r = obj.reported;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) fail('reported', `expected an object {"loss": …, "class": …}, found ${describeValue(r)}`);
    const rr = r as Record<string, unknown>;
    const out: { loss?: number; class?: string } = {};
    if ('loss' in rr) out.loss = finiteNumber(rr.loss, 'reported.loss');
    if ('class' in rr) {
      if (typeof rr.class !== 'string') fail('reported.class', `expected a string, found ${describeValue(rr.class)}`);
      out.class = rr.class;
    }
    reported = out;
  }
  return { weights, data: { X, Y }, scale, ...(reported ? { reported } : {}) };
}

/** Parse the text of a point file; JSON syntax errors become one-line UsageErrors naming the source. */
export function parsePointJson(text: string, source = 'input'): PointFile {
  let value: unknown;
  try {
    value = JSON.parse(protectNonFinite(text));
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  return parsePoint(value, source);
}

/** The JSON form of a point (what parsePointJson reads back). */
export function pointToJson(point: PointFile): string {
  return JSON.stringify({ weights: point.weights.map((w) => w.toJSON()), data: { X: point.data.X.toJSON(), Y: point.data.Y.toJSON() }, scale: point.scale, ...(point.reported ? { reported: point.reported } : {}) });
}
