import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../src/json/input.js';
import { DecodeError, decodeMatrix } from '../../src/json/matrix.js';
import { type Schema, validate } from '../../src/json/validate.js';

const schema: Schema = {
  $defs: {
    run: {
      type: 'object',
      properties: {
        rate: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        depth: { type: 'integer', minimum: 1, maximum: 64 },
        extra: { type: 'object', properties: {}, additionalProperties: { type: 'number' } },
        task: {
          anyOf: [
            {
              type: 'object',
              properties: { kind: { const: 'a' }, x: { type: 'number' } },
              additionalProperties: false,
            },
            {
              type: 'object',
              properties: { kind: { const: 'b' }, y: { type: 'string' } },
              required: ['kind', 'y'],
              additionalProperties: false,
            },
          ],
        },
        mask: { anyOf: [{ const: 'all' }, { type: 'array' }] },
      },
      additionalProperties: false,
    },
  },
};
const check = (value: unknown): string | undefined => validate(schema, value, 'run', { field: 'run' });

describe('JSON Schema validator', () => {
  it.each([
    [{ rate: 1 }, /^run\.rate: expected a number in \(0, 1\), found 1$/],
    [{ depth: 65 }, /^run\.depth: expected an integer in \[1, 64\], found 65$/],
    [{ depth: 2.5 }, /^run\.depth: expected an integer in \[1, 64\], found 2\.5$/],
    [{ extra: { a: 1, b: 'x' } }, /^run\.extra\.b: expected a number, found string "x"$/],
    [{ task: { kind: 'c' } }, /^run\.task\.kind: expected "a" or "b", found "c"$/],
    [{ task: { kind: 'b', y: 3 } }, /^run\.task\.y: expected a string, found 3$/],
    [{ task: { kind: 'b' } }, /^run\.task: missing required field 'y'$/],
    [{ mask: 'none' }, /^run\.mask: expected "all" or an array, found string "none"$/],
    [{ rate: 0.5, typo: 1 }, /^run\.typo: unexpected field 'typo' \(expected one of rate, depth, extra, task, mask\)$/],
    [parseJsonText('{"rate": NaN}', 'f'), /^run\.rate: expected a number in \(0, 1\), found NaN$/],
    [parseJsonText('{"rate": 1e999}', 'f'), /^run\.rate: expected a number in \(0, 1\), found Infinity$/],
  ])('names the field and the problem in one line: %j', (value, message) => {
    expect(check(value)).toMatch(message);
  });

  it('accepts valid values, including each anyOf branch', () => {
    expect(check({ rate: 0.5, depth: 64, extra: { a: 1 }, task: { kind: 'b', y: 'z' }, mask: 'all' })).toBeUndefined();
    expect(check({ task: { x: 1 }, mask: [] })).toBeUndefined();
  });

  it('keeps NaN inside strings as text', () => {
    expect(parseJsonText('{"note": "NaN Infinity"}', 'f')).toEqual({ note: 'NaN Infinity' });
  });
});

describe('matrix decoder', () => {
  it('reads rows, nested and flat data alike', () => {
    const expected = [1, 2, 3, 4];
    expect(
      Array.from(
        decodeMatrix(
          [
            [1, 2],
            [3, 4],
          ],
          'm',
        ).data,
      ),
    ).toEqual(expected);
    expect(
      Array.from(
        decodeMatrix(
          {
            shape: [2, 2],
            data: [
              [1, 2],
              [3, 4],
            ],
          },
          'm',
        ).data,
      ),
    ).toEqual(expected);
    expect(Array.from(decodeMatrix({ shape: [2, 2], data: [1, 2, 3, 4] }, 'm').data)).toEqual(expected);
  });

  it.each([
    [[[1, 2], [3]], /^m\[1\]: has 1 entries, but row 0 has 2$/],
    [{ shape: [1, 2], data: [[1, 2, 3]] }, /^m\.data\[0\]: has 3 entries, but shape \[1, 2\] says 2$/],
    [{ shape: [3, 1], data: [[1], [2]] }, /^m\.data: has 2 rows, but shape \[3, 1\] says 3$/],
  ])('says where the data do not fit the shape: %j', (value, message) => {
    expect(() => decodeMatrix(value as never, 'm')).toThrow(DecodeError);
    expect(() => decodeMatrix(value as never, 'm')).toThrow(message);
  });
});
