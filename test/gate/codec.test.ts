import { describe, expect, it } from 'vitest';
import { DecodeError, decodeMatrix, decodeWeights, encodeMatrix } from '../../src/gate/codec.js';
import { Matrix } from '../../src/linalg/matrix.js';

describe('matrix codec', () => {
  const m = Matrix.from([
    [1, -2.5, 1e-300],
    [Math.PI, 0.1, -0],
  ]);

  it.each(['json', 'base64'] as const)('%s round-trips every value (base64 every bit; JSON has no −0)', (encoding) => {
    const wire = JSON.parse(JSON.stringify(encodeMatrix(m, encoding)));
    const back = decodeMatrix(wire, '/m', [2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(m.data, (x) => (encoding === 'json' ? x + 0 : x)));
  });

  it('reads flat data and float32 base64', () => {
    expect(Array.from(decodeMatrix({ shape: [2, 2], data: [1, 2, 3, 4] }, '/m').data)).toEqual([1, 2, 3, 4]);
    const bytes = Buffer.alloc(8);
    bytes.writeFloatLE(0.1, 0);
    bytes.writeFloatLE(-3, 4);
    expect(
      Array.from(decodeMatrix({ shape: [1, 2], dtype: 'float32', base64: bytes.toString('base64') }, '/m').data),
    ).toEqual([Math.fround(0.1), -3]);
  });

  it.each([
    [
      {
        shape: [3, 2],
        data: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      },
      [2, 3],
      /wrong shape: expected 2×3, received 3×2/,
    ],
    [{ shape: [2, 2], data: [[1, 2], [3]] }, undefined, /\/m\/data\/1: has 1 entries, but shape \[2, 2\] says 2/],
    [{ shape: [2, 2], data: [1, 2, 3] }, undefined, /needs 4 numbers, data has 3/],
    [
      { shape: [1, 2], dtype: 'float64', base64: Buffer.alloc(8).toString('base64') },
      undefined,
      /holds 8 bytes.*needs 16/,
    ],
    [
      { shape: [1, 1], dtype: 'float64', base64: Buffer.from(new Float64Array([NaN]).buffer).toString('base64') },
      undefined,
      /entry \(0, 0\) is NaN/,
    ],
  ] as const)('rejects %j', (wire, expected, message) => {
    expect(() => decodeMatrix(wire as never, '/m', expected as never)).toThrow(DecodeError);
    expect(() => decodeMatrix(wire as never, '/m', expected as never)).toThrow(message);
  });

  it('decodes a weight list against the layer shapes', () => {
    expect(() =>
      decodeWeights([{ shape: [1, 1], data: [[1]] }], '/w', [
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/expected 2 matrices \(one per layer\), received 1/);
  });
});
