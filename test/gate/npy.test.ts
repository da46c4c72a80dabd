import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpyError, parseNpy, parseNpz } from '../../src/gate/npy.js';
import { tempDir } from '../helpers/temp-dir.js';
import { pythonWith, SKIP_NUMPY } from './python.js';

/** A version-1 .npy file with the given header dict and raw body. */
function npy(header: string, body: Buffer): Buffer {
  let h = `${header} `;
  while ((10 + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(h.length, 8);
  return Buffer.concat([head, Buffer.from(h, 'latin1'), body]);
}

describe('.npy reader (hand-made files)', () => {
  it('reads little-endian float64 in C order', () => {
    const body = Buffer.from(new Float64Array([1, 2, 3, 4, 5, 6]).buffer);
    const a = parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", body));
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads big-endian float32 in Fortran order (returned in C order)', () => {
    const body = Buffer.alloc(16);
    [1, 3, 2, 4].forEach((v, i) => body.writeFloatBE(v, 4 * i)); // column-major [[1, 2], [3, 4]]
    const a = parseNpy(npy("{'descr': '>f4', 'fortran_order': True, 'shape': (2, 2), }", body));
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4]);
    expect(a.itemsize).toBe(4);
  });

  it.each([
    [Buffer.from('not an array at all'), /no \\x93NUMPY magic/],
    [
      npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(8)),
      /object arrays would need unpickling/,
    ],
    [
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", Buffer.alloc(8)),
      /4 elements of 8 bytes need 32 bytes/,
    ],
  ])('refuses a bad file %#', (bytes, message) => {
    expect(() => parseNpy(bytes)).toThrow(NpyError);
    expect(() => parseNpy(bytes)).toThrow(message);
  });
});

const python = pythonWith('numpy');
describe.skipIf(!python)('.npy/.npz reader against NumPy', () => {
  const dir = tempDir('npy');
  const script = `
import numpy as np, sys
d = sys.argv[1]
a = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
kw = dict(f8=a, f4be=a.astype('>f4'), fort=np.asfortranarray(a), i8=np.arange(5) - 2, b=np.array([True, False]),
          u=np.array('sgd'), s3=np.arange(24.).reshape(2, 3, 4), scalar=np.array(0.25))
np.savez(d + '/plain.npz', **kw)
np.savez_compressed(d + '/packed.npz', **kw)
np.save(d + '/one.npy', a.astype(np.float32))
`;
  const r = spawnSync(python!, ['-c', script, dir], { encoding: 'utf8' });

  it('numpy wrote the files', () => expect(r.stderr).toBe(''));

  it.each(['plain', 'packed'])('reads every array of a %s .npz exactly', (name) => {
    const arrays = parseNpz(readFileSync(join(dir, `${name}.npz`)));
    const a = Array.from({ length: 12 }, (_, i) => i / 7);
    expect(arrays.get('f8')!.shape).toEqual([3, 4]);
    expect(Array.from(arrays.get('f8')!.data)).toEqual(a);
    expect(Array.from(arrays.get('f4be')!.data)).toEqual(a.map(Math.fround));
    expect(Array.from(arrays.get('fort')!.data)).toEqual(a);
    expect(Array.from(arrays.get('i8')!.data)).toEqual([-2, -1, 0, 1, 2]);
    expect(Array.from(arrays.get('b')!.data)).toEqual([1, 0]);
    expect(arrays.get('u')!.strings).toEqual(['sgd']);
    expect(arrays.get('s3')!.shape).toEqual([2, 3, 4]);
    expect(arrays.get('scalar')!.shape).toEqual([]);
    expect(Array.from(arrays.get('scalar')!.data)).toEqual([0.25]);
  });

  it('reads a single .npy', () => {
    const a = parseNpy(readFileSync(join(dir, 'one.npy')));
    expect(a.kind).toBe('f');
    expect(a.itemsize).toBe(4);
    expect(a.data[5]).toBe(Math.fround(5 / 7));
  });
});
describe.skipIf(!!python)('.npy/.npz reader against NumPy, without NumPy', () => {
  it.skip(SKIP_NUMPY, () => {});
});
