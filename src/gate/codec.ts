import { endianness } from 'node:os';
import { DecodeError, decodeMatrix, type WireMatrix } from '../json/matrix.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Encoding } from './protocol.js';

/** Matrices on the wire (docs/PROTOCOL.md §Matrices) in the JSON forms of src/json/matrix.ts. */
export { DecodeError, decodeMatrix, type WireMatrix };

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

/** Decode a weight list against the expected shapes [rows, cols] per layer. */
export function decodeWeights(
  value: WireMatrix[],
  path: string,
  shapes: readonly (readonly [number, number])[],
): Matrix[] {
  if (value.length !== shapes.length)
    throw new DecodeError(`${path}: expected ${shapes.length} matrices (one per layer), received ${value.length}`);
  return value.map((m, j) => decodeMatrix(m, `${path}[${j}] (layer ${j + 1})`, shapes[j]));
}
