import { INPUT_MATRIX_DEFS } from '../json/matrix.js';
import type { Schema } from '../json/validate.js';
import { OPTIMIZER_KINDS } from './optimizers.js';

/**
 * The JSON Schema of a `dlnv simulate` configuration (checked by src/json/validate.ts before the run is built, so
 * every problem of form is one line naming the field, e.g. `config.phases[0].lr: expected a finite number > 0,
 * found -0.1`). What the schema cannot say — shapes that must fit the network, either-or fields — simulation.ts
 * checks while it builds the run.
 */

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const integer = (minimum: number, maximum?: number): Schema => ({
  type: 'integer',
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});
const positive: Schema = { type: 'number', exclusiveMinimum: 0 };
const nonNegative: Schema = { type: 'number', minimum: 0 };
const list = (items: Schema, minItems = 1): Schema => ({ type: 'array', items, minItems });
const object = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const WIDTH = integer(1, 4096);

export const simulationConfigSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'dlnv simulate configuration',
  $ref: '#/$defs/config',
  $defs: {
    ...INPUT_MATRIX_DEFS,
    config: object({
      seed: integer(0, 0xffffffff),
      network: object({
        depth: integer(1, 64),
        width: WIDTH,
        widths: { ...list(WIDTH, 2), description: '[d_0, …, d_L], depth L ≥ 1' },
      }),
      task: { anyOf: [ref('completion'), ref('regression')] },
      init: { anyOf: [ref('gaussianInit'), ref('balancedInit'), ref('weightsInit')] },
      optimizer: {
        type: 'object',
        properties: { kind: { enum: [...OPTIMIZER_KINDS] }, nesterov: { type: 'boolean' } },
        required: ['kind'],
        additionalProperties: { type: 'number' },
      },
      batch: { anyOf: [{ const: 'full' }, integer(1)] },
      decay: { enum: ['wj', 'canonical'], description: "'wj': λ‖θ‖² (default); 'canonical': (λ/2)‖θ‖²" },
      phases: list(object({ steps: integer(0), lr: positive, lambda: nonNegative }, ['steps', 'lr'])),
      steps: integer(0),
      lr: positive,
      lambda: nonNegative,
      every: integer(1),
      rankTolerance: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    }),
    target: { anyOf: [ref('inputMatrix'), object({ spectrum: list(positive), rank: integer(1) })] },
    completion: object({
      kind: { const: 'completion' },
      target: ref('target'),
      mask: {
        anyOf: [
          { const: 'all' },
          list({ type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 }, 0),
          object({ fraction: { type: 'number', exclusiveMinimum: 0, maximum: 1 } }),
        ],
      },
    }),
    regression: object(
      {
        kind: { const: 'regression' },
        X: ref('inputMatrix'),
        Y: ref('inputMatrix'),
        scale: { enum: ['half', 'sum', 'mean'] },
        samples: integer(1),
        target: ref('target'),
      },
      ['kind'],
    ),
    gaussianInit: object({ kind: { const: 'gaussian' }, scale: nonNegative }),
    balancedInit: object(
      { kind: { const: 'balanced' }, spectrum: list(positive), rank: integer(1), aligned: { type: 'boolean' } },
      ['kind'],
    ),
    weightsInit: object({ kind: { const: 'weights' }, weights: list(ref('inputMatrix')) }, ['kind', 'weights']),
  },
};
