import { UsageError } from '../errors.js';
import { checkInput, inputMatrix, parseJsonText } from '../json/input.js';
import { INPUT_MATRIX_DEFS } from '../json/matrix.js';
import type { Schema } from '../json/validate.js';
import type { Matrix } from '../linalg/matrix.js';
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
 * Every problem is a one-line UsageError naming the field (weights[1].data[0][2], data.Y, scale, …): the form is
 * checked against pointSchema, the shapes' fit here. Bare NaN, Infinity and -Infinity (which Python's json module
 * writes) are accepted by the reader so that the error can say which entry holds them.
 */
export interface PointFile {
  readonly weights: Matrix[];
  readonly data: Data;
  readonly scale: LossScale;
  readonly reported?: ReportedValues;
}

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

/** The JSON Schema of a point file (checked by src/json/validate.ts; the shapes' fit is checked in parsePoint). */
const pointSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'dlnv classify point',
  $ref: '#/$defs/point',
  $defs: {
    ...INPUT_MATRIX_DEFS,
    point: {
      type: 'object',
      properties: {
        weights: {
          type: 'array',
          items: ref('inputMatrix'),
          minItems: 1,
          description: '[W_1, …, W_N], W_1 acting first',
        },
        data: {
          type: 'object',
          properties: { X: ref('inputMatrix'), Y: ref('inputMatrix') },
          required: ['X', 'Y'],
          additionalProperties: true,
        },
        scale: { enum: ['half', 'sum', 'mean'] },
        reported: {
          type: 'object',
          properties: { loss: { type: 'number' }, class: { type: 'string' } },
          additionalProperties: true,
        },
      },
      required: ['weights', 'data'],
      additionalProperties: true,
    },
  },
};

function fail(field: string, message: string): never {
  throw new UsageError(`${field}: ${message}`);
}

export function parsePoint(value: unknown, source = 'input'): PointFile {
  checkInput(pointSchema, value, 'point', { field: '', top: source });
  const obj = value as {
    weights: unknown[];
    data: { X: unknown; Y: unknown };
    scale?: LossScale;
    reported?: ReportedValues;
  };
  const weights = obj.weights.map((w, j) => inputMatrix(w, `weights[${j}]`));
  for (let j = 1; j < weights.length; j++) {
    if (weights[j].cols !== weights[j - 1].rows)
      fail(
        `weights[${j}]`,
        `has shape ${weights[j].rows}×${weights[j].cols} but must have ${weights[j - 1].rows} columns (the rows of weights[${j - 1}]: W_${j + 1} acts after W_${j})`,
      );
  }
  const X = inputMatrix(obj.data.X, 'data.X'),
    Y = inputMatrix(obj.data.Y, 'data.Y');
  const d0 = weights[0].cols,
    dN = weights[weights.length - 1].rows;
  if (X.rows !== d0) fail('data.X', `has ${X.rows} rows but weights[0] has ${d0} columns (X is d_0×m)`);
  if (Y.rows !== dN) fail('data.Y', `has ${Y.rows} rows but the last layer has ${dN} rows (Y is d_N×m)`);
  if (Y.cols !== X.cols) fail('data.Y', `has ${Y.cols} columns (samples) but data.X has ${X.cols}`);
  const reported =
    obj.reported === undefined
      ? undefined
      : {
          ...('loss' in obj.reported ? { loss: obj.reported.loss } : {}),
          ...('class' in obj.reported ? { class: obj.reported.class } : {}),
        };
  return { weights, data: { X, Y }, scale: obj.scale ?? 'half', ...(reported ? { reported } : {}) };
}

/** Parse the text of a point file; JSON syntax errors become one-line UsageErrors naming the source. */
export function parsePointJson(text: string, source = 'input'): PointFile {
  return parsePoint(parseJsonText(text, source), source);
}

/** The JSON form of a point (what parsePointJson reads back). */
export function pointToJson(point: PointFile): string {
  return JSON.stringify({
    weights: point.weights.map((w) => w.toJSON()),
    data: { X: point.data.X.toJSON(), Y: point.data.Y.toJSON() },
    scale: point.scale,
    ...(point.reported ? { reported: point.reported } : {}),
  });
}
