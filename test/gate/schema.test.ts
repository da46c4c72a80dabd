import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protocolSchema, protocolSchemaText, REQUEST_DEF, RESPONSE_DEF } from '../../src/gate/schema.js';
import { validate } from '../../src/json/validate.js';
import { ROOT } from './python.js';

describe('protocol schema', () => {
  it('docs/protocol.schema.json is the generated schema, byte for byte (regenerate: dlnv gate --schema > docs/protocol.schema.json)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'protocol.schema.json'), 'utf8')).toBe(protocolSchemaText());
  });

  it('every request and answer has a definition, and every definition is reachable from the top level', () => {
    const defs = protocolSchema.$defs as Record<string, unknown>;
    for (const d of [...Object.values(REQUEST_DEF), ...Object.values(RESPONSE_DEF), 'errorResponse', 'trajectoryFile'])
      expect(defs).toHaveProperty(d);
    // The validator throws on a keyword it does not implement: walking every definition proves it covers the schema.
    for (const d of Object.keys(defs)) expect(() => validate(protocolSchema, {}, d)).not.toThrow();
  });

  const hello = {
    id: 0,
    protocol: 1,
    implementation: 'x',
    dtype: 'float64',
    conventions: { loss_scale: 'half', weight_decay: 'canonical', layout: 'columns' },
    capabilities: ['loss'],
  };

  it.each([
    [hello, 'helloResponse', undefined],
    [{ ...hello, dtype: 'float16' }, 'helloResponse', /\/dtype: expected one of "float64", "float32", found "float16"/],
    [{ ...hello, protocol: 2 }, 'helloResponse', /\/protocol: expected 1, found 2/],
    [
      { ...hello, conventions: { loss_scale: 'half', layout: 'columns' } },
      'helloResponse',
      /\/conventions: missing required field 'weight_decay'/,
    ],
    [{ ...hello, conventions: { ...hello.conventions, extra: 1 } }, 'helloResponse', /unexpected field 'extra'/],
    [{ ...hello, capabilities: ['loss', 'fly'] }, 'helloResponse', /\/capabilities\/1: expected one of/],
    [{ id: 3, values: [1, 2] }, 'lossResponse', undefined],
    [{ id: 3, values: [1, '2'] }, 'lossResponse', /\/values\/1: expected a number, found string "2"/],
    [{ id: 3, gradients: [{ shape: [2, 1], data: [[1], [2]] }] }, 'gradientsResponse', undefined],
    [{ id: 3, gradients: [{ shape: [2, 1], data: [1, 2] }] }, 'gradientsResponse', undefined],
    [
      { id: 3, gradients: [{ shape: [2, 1], dtype: 'float32', base64: 'AAAAAAAAAAA=' }] },
      'gradientsResponse',
      undefined,
    ],
    [
      { id: 3, gradients: [{ shape: [2], data: [1, 2] }] },
      'gradientsResponse',
      /\/gradients\/0\/shape: expected at least 2 item/,
    ],
    [{ id: 3, gradients: [] }, 'gradientsResponse', /\/gradients: expected at least 1 item/],
    [{ id: 3 }, 'weightsResponse', /missing required field 'weights'/],
    [{ id: -1, error: 'x' }, 'errorResponse', /\/id: expected an integer ≥ 0, found -1/],
  ])('validates %j against %s', (value, def, problem) => {
    const got = validate(protocolSchema, value, def);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(problem);
  });
});
