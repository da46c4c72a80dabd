import { MATRIX_DEFS } from '../json/matrix.js';
import type { Schema } from '../json/validate.js';
import {
  CAPABILITIES,
  DTYPES,
  ENCODINGS,
  LAYOUTS,
  LOSS_SCALES,
  PROTOCOL_VERSION,
  WEIGHT_DECAY_FORMS,
} from './protocol.js';

/**
 * The JSON Schema (draft 2020-12) of every gate message and of the offline trajectory file. The gate validates
 * each response with it (validate.ts), and docs/protocol.schema.json is this object printed by
 * `dlnv gate --schema` (a test keeps the committed file equal to it), so the document cannot drift from the code.
 */

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const id: Schema = { type: 'integer', minimum: 0, description: 'Request number; the response repeats it.' };
const op = (name: string): Schema => ({ const: name });
const nonNegative = (description: string): Schema => ({ type: 'number', minimum: 0, description });

function message(description: string, properties: Record<string, Schema>, required: string[]): Schema {
  return { type: 'object', description, properties, required, additionalProperties: true };
}

const data = {
  X: { ...ref('matrix'), description: "Inputs: d_0×m for layout 'columns', m×d_0 for layout 'rows'." },
  Y: { ...ref('matrix'), description: "Targets: d_N×m for layout 'columns', m×d_N for layout 'rows'." },
  weight_decay: nonNegative("λ in the implementation's declared form ('canonical': (λ/2)Σ‖W_j‖²; 'wj': λΣ‖W_j‖²)."),
};

const defs: Record<string, Schema> = {
  matrix: {
    description:
      'A dense matrix, row-major: either JSON numbers (nested rows, or one flat list) or little-endian IEEE bytes in base64.',
    anyOf: [ref('jsonMatrix'), ref('base64Matrix')],
  },
  ...MATRIX_DEFS,
  weights: {
    type: 'array',
    items: ref('matrix'),
    minItems: 1,
    description: '[W_1, …, W_N], W_j ∈ R^{d_j×d_{j−1}} (out×in, as torch.nn.Linear stores it); W_1 acts first.',
  },
  conventions: {
    type: 'object',
    properties: {
      loss_scale: {
        enum: [...LOSS_SCALES],
        description:
          "L¹ = loss_factor·(κ/2)‖WX − Y‖²: 'half' κ = 1, 'sum' κ = 2, 'mean' κ = 1/m, 'mean_samples' κ = 2/m, " +
          "'mean_entries' κ = 2/(m·d_N) (nn.MSELoss()); m = samples in the request, d_N = outputs.",
      },
      loss_factor: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'A constant the loss_scale loss is multiplied by (default 1).',
      },
      weight_decay: {
        enum: [...WEIGHT_DECAY_FORMS],
        description:
          "'canonical': + (λ/2)Σ‖W_j‖² (gradient λW_j); 'wj': + λΣ‖W_j‖² (gradient 2λW_j); 'none': no decay (every check sends λ = 0).",
      },
      layout: { enum: [...LAYOUTS], description: "'columns': samples are columns of X, Y; 'rows': samples are rows." },
    },
    required: ['loss_scale', 'weight_decay', 'layout'],
    additionalProperties: false,
  },

  helloRequest: message(
    'Handshake; always the first request.',
    { id, op: op('hello'), protocol: { const: PROTOCOL_VERSION } },
    ['id', 'op', 'protocol'],
  ),
  lossRequest: message(
    'The loss at each point (a batch, so a Taylor test costs one round trip).',
    { id, op: op('loss'), points: { type: 'array', items: ref('weights'), minItems: 1 }, ...data },
    ['id', 'op', 'points', 'X', 'Y', 'weight_decay'],
  ),
  gradientsRequest: message(
    '∇_{W_j} L for every layer.',
    { id, op: op('gradients'), weights: ref('weights'), ...data },
    ['id', 'op', 'weights', 'X', 'Y', 'weight_decay'],
  ),
  gdStepRequest: message(
    'One full-batch gradient step W_j ← W_j − lr·∇_{W_j}L, all layers at once.',
    { id, op: op('gd_step'), weights: ref('weights'), ...data, lr: { type: 'number', exclusiveMinimum: 0 } },
    ['id', 'op', 'weights', 'X', 'Y', 'weight_decay', 'lr'],
  ),
  sgdStepRequest: message(
    'One gradient step on the samples listed (0-based, distinct), i.e. gd_step on those columns (or rows) of X and Y.',
    {
      id,
      op: op('sgd_step'),
      weights: ref('weights'),
      ...data,
      lr: { type: 'number', exclusiveMinimum: 0 },
      samples: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1 },
    },
    ['id', 'op', 'weights', 'X', 'Y', 'weight_decay', 'lr', 'samples'],
  ),
  endToEndOperatorRequest: message(
    'A_W(Z) = Σ_{j=1}^{N} (WWᵀ)^{(N−j)/N} Z (WᵀW)^{(j−1)/N} for the product W (d_N×d_0) and depth N.',
    { id, op: op('end_to_end_operator'), W: ref('matrix'), Z: ref('matrix'), depth: { type: 'integer', minimum: 1 } },
    ['id', 'op', 'W', 'Z', 'depth'],
  ),
  balancedInitRequest: message(
    'A balanced factorization of target: W_{N:1} = target and every W_{j+1}ᵀW_{j+1} − W_jW_jᵀ = 0. Without target ' +
      "(capability 'balanced_init_random'): the implementation's own balanced start with a product of the given rank and scale.",
    {
      id,
      op: op('balanced_init'),
      target: ref('matrix'),
      widths: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2 },
      seed: { type: 'integer', minimum: 0 },
      rank: { type: 'integer', minimum: 1, description: 'Without target: the rank of the product (≤ every width).' },
      scale: {
        type: 'number',
        exclusiveMinimum: 0,
        description:
          'Without target: the largest singular value of the product, σ_1(W_{N:1}) (a request; reported, not held).',
      },
    },
    ['id', 'op', 'widths', 'seed'],
  ),
  trajectoryRequest: message(
    'steps full-batch gradient steps from weights; the answer lists all steps + 1 points.',
    {
      id,
      op: op('trajectory'),
      weights: ref('weights'),
      ...data,
      lr: { type: 'number', exclusiveMinimum: 0 },
      steps: { type: 'integer', minimum: 1 },
    },
    ['id', 'op', 'weights', 'X', 'Y', 'weight_decay', 'lr', 'steps'],
  ),

  errorResponse: message(
    'The implementation could not serve the request (the gate stops and exits 2).',
    { id, error: { type: 'string' } },
    ['id', 'error'],
  ),
  unsupportedResponse: message(
    'The implementation does not support this instance (e.g. a shape its code does not handle): the gate skips the instance, counts it and goes on.',
    { id, unsupported: { type: 'string', description: 'Why, in one line.' } },
    ['id', 'unsupported'],
  ),
  helloResponse: message(
    'What the implementation is and how it computes.',
    {
      id,
      protocol: { const: PROTOCOL_VERSION },
      implementation: { type: 'string', description: 'A name for reports.' },
      dtype: { enum: [...DTYPES], description: 'The precision it computes in; tolerances follow it.' },
      conventions: ref('conventions'),
      capabilities: { type: 'array', items: { enum: [...CAPABILITIES] }, description: 'The requests it serves.' },
      encodings: {
        type: 'array',
        items: { enum: [...ENCODINGS] },
        description: "Matrix encodings it reads (default ['json']).",
      },
    },
    ['id', 'protocol', 'implementation', 'dtype', 'conventions', 'capabilities'],
  ),
  lossResponse: message(
    'One loss value per point, in order.',
    { id, values: { type: 'array', items: { type: 'number' } } },
    ['id', 'values'],
  ),
  gradientsResponse: message('One gradient per layer, shaped like the layer.', { id, gradients: ref('weights') }, [
    'id',
    'gradients',
  ]),
  weightsResponse: message('Answer to gd_step, sgd_step and balanced_init.', { id, weights: ref('weights') }, [
    'id',
    'weights',
  ]),
  endToEndOperatorResponse: message('A_W(Z), d_N×d_0.', { id, result: ref('matrix') }, ['id', 'result']),
  trajectoryResponse: message(
    'The points of the run (the start first), and optionally the loss at each.',
    {
      id,
      weights: { type: 'array', items: ref('weights'), minItems: 1 },
      losses: { type: 'array', items: { type: 'number' } },
    },
    ['id', 'weights'],
  ),

  trajectoryFile: {
    type: 'object',
    description:
      'A recorded run for `dlnv gate --trajectory FILE` (JSON form; .npy/.npz carry the same fields as arrays).',
    properties: {
      dtype: { enum: [...DTYPES], description: 'Precision the run was computed in (default float64).' },
      conventions: ref('conventions'),
      optimizer: {
        enum: ['gd', 'sgd'],
        description: "'gd' (full batch; the loss must not increase) or 'sgd' (default 'gd').",
      },
      lr: { type: 'number', exclusiveMinimum: 0 },
      weight_decay: nonNegative('λ in the declared form (default 0); with λ > 0, lr is required.'),
      X: ref('matrix'),
      Y: ref('matrix'),
      weights: {
        type: 'array',
        items: ref('weights'),
        minItems: 2,
        description: 'The weights after 0, 1, 2, … steps (consecutive steps). Give weights or product.',
      },
      product: {
        type: 'array',
        items: ref('matrix'),
        minItems: 2,
        description: 'Only the end-to-end matrix W(t) = W_{N:1}(t) after 0, 1, 2, … steps.',
      },
      depth: { type: 'integer', minimum: 1, description: 'With product: the depth N (for the flow law).' },
      balanced_start: {
        type: 'boolean',
        description: 'With product: the run started from a balanced factorization (rank and flow-law checks).',
      },
      losses: { type: 'array', items: { type: 'number' }, description: 'The loss at each recorded point (optional).' },
    },
    required: [],
    additionalProperties: true,
  },
};

/** Which definition the response to each request must match. */
export const RESPONSE_DEF: Readonly<Record<string, string>> = {
  hello: 'helloResponse',
  loss: 'lossResponse',
  gradients: 'gradientsResponse',
  gd_step: 'weightsResponse',
  sgd_step: 'weightsResponse',
  end_to_end_operator: 'endToEndOperatorResponse',
  balanced_init: 'weightsResponse',
  trajectory: 'trajectoryResponse',
};

/** Which definition each request matches (the gate's own messages are tested against these). */
export const REQUEST_DEF: Readonly<Record<string, string>> = {
  hello: 'helloRequest',
  loss: 'lossRequest',
  gradients: 'gradientsRequest',
  gd_step: 'gdStepRequest',
  sgd_step: 'sgdStepRequest',
  end_to_end_operator: 'endToEndOperatorRequest',
  balanced_init: 'balancedInitRequest',
  trajectory: 'trajectoryRequest',
};

export const protocolSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `urn:dlnv:gate-protocol:${PROTOCOL_VERSION}`,
  title: `dlnv gate protocol, version ${PROTOCOL_VERSION}`,
  description:
    'JSON Lines over stdin/stdout: dlnv writes one request per line, the implementation answers each with one response line, ' +
    'in order. Generated by `dlnv gate --schema` from src/gate/schema.ts; see docs/PROTOCOL.md.',
  anyOf: [
    ...Object.values(REQUEST_DEF),
    'errorResponse',
    'unsupportedResponse',
    ...new Set(Object.values(RESPONSE_DEF)),
  ].map(ref),
  $defs: defs,
};

/** docs/protocol.schema.json, byte for byte. */
export function protocolSchemaText(): string {
  return `${JSON.stringify(protocolSchema, null, 2)}\n`;
}
