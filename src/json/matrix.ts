import { Matrix } from '../linalg/matrix.js';
import type { Schema } from './validate.js';

/**
 * The one JSON form of a dense matrix, read by the gate (docs/PROTOCOL.md §Matrices), `dlnv simulate` and
 * `dlnv classify`: {shape: [r, c], data: rows or one flat list} with JSON numbers, or {shape, dtype, base64} with
 * little-endian IEEE bytes, row-major in both; input files may also give the bare rows [[…], …]. The schemas below
 * check the form (validate.ts); decodeMatrix then checks that the data fit the shape and that every entry is finite.
 * JSON.stringify prints the shortest decimal that reads back to the same double, so the JSON form is exact too.
 */

export type MatrixDtype = 'float64' | 'float32';
export const MATRIX_DTYPES: readonly MatrixDtype[] = ['float64', 'float32'];

export interface WireMatrix {
  shape: [number, number];
  data?: number[][] | number[];
  dtype?: MatrixDtype;
  base64?: string;
}

/** A matrix as JSON: the wire forms, or the rows themselves. */
export type JsonMatrix = WireMatrix | number[][];

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

/** The wire forms' schema definitions, to spread into a schema's $defs: jsonMatrix, base64Matrix, shape. */
export const MATRIX_DEFS: Readonly<Record<string, Schema>> = {
  jsonMatrix: {
    type: 'object',
    properties: {
      shape: ref('shape'),
      data: {
        description:
          'Entries row by row: a list of rows (each a list of numbers) or one flat list of rows·cols numbers.',
        anyOf: [
          { type: 'array', items: { type: 'array', items: { type: 'number' } } },
          { type: 'array', items: { type: 'number' } },
        ],
      },
    },
    required: ['shape', 'data'],
    additionalProperties: true,
  },
  base64Matrix: {
    type: 'object',
    properties: {
      shape: ref('shape'),
      dtype: { enum: [...MATRIX_DTYPES], description: 'Element type of the bytes (little-endian).' },
      base64: { type: 'string', description: 'rows·cols elements, row-major, standard base64.' },
    },
    required: ['shape', 'dtype', 'base64'],
    additionalProperties: true,
  },
  shape: {
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    minItems: 2,
    maxItems: 2,
    description: '[rows, cols].',
  },
};

/** Definitions for input files: the wire forms, the bare rows, and inputMatrix (any of them). */
export const INPUT_MATRIX_DEFS: Readonly<Record<string, Schema>> = {
  ...MATRIX_DEFS,
  rowsMatrix: {
    type: 'array',
    items: { type: 'array', items: { type: 'number' }, minItems: 1 },
    minItems: 1,
    description: 'The rows themselves, [[…], …].',
  },
  inputMatrix: {
    description:
      'A matrix: its rows [[…], …], {"shape": [r, c], "data": rows or flat}, or {"shape", "dtype", "base64"}.',
    anyOf: [ref('rowsMatrix'), ref('jsonMatrix'), ref('base64Matrix')],
  },
};

/** A decoding problem: where (the field or JSON path given) and what. Callers turn it into their own error. */
export class DecodeError extends Error {}

const fmtShape = (r: number, c: number): string => `${r}×${c}`;

/** A part's place: JSON-pointer style under a pointer ('/result/data/1'), field style otherwise ('data.X[1]'). */
function child(path: string, key: string | number): string {
  if (path.startsWith('/')) return `${path}/${key}`;
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}

function fromRows(rows: readonly (readonly number[])[], path: string, r: number, c: number, says: string): Matrix {
  if (rows.length !== r) throw new DecodeError(`${path}: has ${rows.length} rows, but ${says} ${r}`);
  const out = new Matrix(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (!Array.isArray(row))
      throw new DecodeError(`${child(path, i)}: expected a row of ${c} numbers, found ${typeof row}`);
    if (row.length !== c) throw new DecodeError(`${child(path, i)}: has ${row.length} entries, but ${says} ${c}`);
    for (let j = 0; j < c; j++) out.data[i * c + j] = row[j];
  }
  return out;
}

function fromBase64(value: WireMatrix, path: string, r: number, c: number): Matrix {
  const bytes = Buffer.from(value.base64 as string, 'base64');
  const width = value.dtype === 'float32' ? 4 : 8;
  if (bytes.length !== r * c * width) {
    throw new DecodeError(
      `${path}: base64 holds ${bytes.length} bytes, a ${fmtShape(r, c)} ${value.dtype} matrix needs ${r * c * width}`,
    );
  }
  const out = new Matrix(r, c);
  for (let i = 0; i < r * c; i++) out.data[i] = width === 8 ? bytes.readDoubleLE(i * 8) : bytes.readFloatLE(i * 4);
  return out;
}

/**
 * Decode a schema-valid matrix, checking that the data fit the declared shape, that the shape is the expected one
 * (when given), and that every entry is finite (base64 bytes can hold NaN).
 */
export function decodeMatrix(value: JsonMatrix, path: string, expected?: readonly [number, number]): Matrix {
  let out: Matrix;
  if (Array.isArray(value)) out = fromRows(value, path, value.length, value[0].length, 'row 0 has');
  else {
    const [r, c] = value.shape;
    if (value.base64 !== undefined) out = fromBase64(value, path, r, c);
    else {
      const data = value.data as unknown[];
      if (data.length > 0 && Array.isArray(data[0]))
        out = fromRows(data as number[][], child(path, 'data'), r, c, `shape [${r}, ${c}] says`);
      else {
        if (data.length !== r * c)
          throw new DecodeError(
            `${child(path, 'data')}: shape ${fmtShape(r, c)} needs ${r * c} numbers, data has ${data.length}`,
          );
        out = new Matrix(r, c, Float64Array.from(data as number[]));
      }
    }
  }
  if (expected && (out.rows !== expected[0] || out.cols !== expected[1])) {
    throw new DecodeError(
      `${path}: wrong shape: expected ${fmtShape(expected[0], expected[1])}, received ${fmtShape(out.rows, out.cols)}`,
    );
  }
  const c = out.cols;
  for (let i = 0; i < out.data.length; i++) {
    if (!Number.isFinite(out.data[i]))
      throw new DecodeError(
        `${path}: entry (${Math.floor(i / c)}, ${i % c}) is ${out.data[i]}; entries must be finite`,
      );
  }
  return out;
}
