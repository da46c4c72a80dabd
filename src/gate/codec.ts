import { endianness } from 'node:os';
import { Matrix } from '../linalg/matrix.js';
import type { Encoding } from './protocol.js';

/**
 * Matrices on the wire (docs/PROTOCOL.md §Matrices): {shape: [r, c], data: rows} with JSON numbers, or
 * {shape, dtype: 'float64'|'float32', base64} with little-endian bytes, row-major in both. JSON.stringify prints the
 * shortest decimal that reads back to the same double, so the JSON form is exact too; base64 is only faster.
 */

export interface WireMatrix {
  shape: [number, number];
  data?: number[][] | number[];
  dtype?: 'float64' | 'float32';
  base64?: string;
}

const LITTLE = endianness() === 'LE';

export function encodeMatrix(m: Matrix, encoding: Encoding): WireMatrix {
  if (encoding === 'json') return m.toJSON();
  let bytes: Buffer;
  if (LITTLE) bytes = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  else {
    bytes = Buffer.alloc(m.data.length * 8);
    m.data.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
  }
  return { shape: [m.rows, m.cols], dtype: 'float64', base64: bytes.toString('base64') };
}

export function encodeWeights(ws: readonly Matrix[], encoding: Encoding): WireMatrix[] {
  return ws.map((w) => encodeMatrix(w, encoding));
}

/** A decoding problem: where (a JSON path in the response) and what. The client turns it into a ProtocolError. */
export class DecodeError extends Error {}

const fmtShape = (r: number, c: number): string => `${r}×${c}`;

/**
 * Decode a schema-valid wire matrix, checking that the data fit the declared shape, that the shape is the expected
 * one (when given), and that every entry is finite.
 */
export function decodeMatrix(value: WireMatrix, path: string, expected?: readonly [number, number]): Matrix {
  const [r, c] = value.shape;
  if (expected && (r !== expected[0] || c !== expected[1])) {
    throw new DecodeError(`${path}: wrong shape: expected ${fmtShape(expected[0], expected[1])}, received ${fmtShape(r, c)}`);
  }
  const out = new Matrix(r, c);
  if (value.base64 !== undefined) {
    const bytes = Buffer.from(value.base64, 'base64');
    const width = value.dtype === 'float32' ? 4 : 8;
    if (bytes.length !== r * c * width) {
      throw new DecodeError(`${path}: base64 holds ${bytes.length} bytes, a ${fmtShape(r, c)} ${value.dtype} matrix needs ${r * c * width}`);
    }
    for (let i = 0; i < r * c; i++) out.data[i] = width === 8 ? bytes.readDoubleLE(i * 8) : bytes.readFloatLE(i * 4);
  } else {
    const data = value.data as unknown[];
    if (data.length > 0 && Array.isArray(data[0])) {
      const rows = data as number[][];
      if (rows.length !== r) throw new DecodeError(`${path}: shape says ${r} rows, data has ${rows.length}`);
      for (let i = 0; i < r; i++) {
        if (!Array.isArray(rows[i]) || rows[i].length !== c) throw new DecodeError(`${path}: shape says ${c} columns, row ${i} has ${Array.isArray(rows[i]) ? rows[i].length : 'no list'}`);
        for (let j = 0; j < c; j++) out.data[i * c + j] = rows[i][j];
      }
    } else {
      const flat = data as number[];
      if (flat.length !== r * c) throw new DecodeError(`${path}: shape ${fmtShape(r, c)} needs ${r * c} numbers, data has ${flat.length}`);
      for (let i = 0; i < r * c; i++) out.data[i] = flat[i];
    }
  }
  for (let i = 0; i < out.data.length; i++) {
    if (!Number.isFinite(out.data[i])) {
      throw new DecodeError(`${path}: entry (${Math.floor(i / c)}, ${i % c}) is ${out.data[i]}; the implementation produced a non-finite value`);
    }
  }
  return out;
}

/** Decode a weight list against the expected shapes [rows, cols] per layer. */
export function decodeWeights(value: WireMatrix[], path: string, shapes: readonly (readonly [number, number])[]): Matrix[] {
  if (value.length !== shapes.length) throw new DecodeError(`${path}: expected ${shapes.length} matrices (one per layer), received ${value.length}`);
  return value.map((m, j) => decodeMatrix(m, `${path}[${j}] (layer ${j + 1})`, shapes[j]));
}
