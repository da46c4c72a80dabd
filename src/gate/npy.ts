import { inflateRawSync } from 'node:zlib';

/**
 * Readers for NumPy's .npy arrays and .npz archives (what np.save / np.savez / np.savez_compressed write, and what
 * PyTorch users get from tensor.numpy()). Format: the NEP-1 header ("\x93NUMPY", version, a Python-dict header with
 * descr, fortran_order and shape) followed by the raw elements. An .npz is a zip of .npy files, stored or deflated,
 * possibly with zip64 records (NumPy forces them). Numeric dtypes of either byte order, booleans and Unicode strings
 * are read; object arrays (pickles) are refused, never unpickled.
 */

export class NpyError extends Error {}

export interface NpyArray {
  readonly shape: number[];
  /** Element kind: 'f' float, 'i' signed, 'u' unsigned, 'b' bool, 'U' unicode string. */
  readonly kind: 'f' | 'i' | 'u' | 'b' | 'U';
  /** Bytes per element ('U': 4 per character). */
  readonly itemsize: number;
  /** Numeric elements in row-major order (C order, whatever the file's order was). */
  readonly data: Float64Array;
  /** 'U' arrays only. */
  readonly strings?: string[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function parseNpy(bytes: Buffer, name = 'array'): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b))
    throw new NpyError(`${name}: not a .npy array (no \\x93NUMPY magic)`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw new NpyError(`${name}: truncated header`);
  const header = bytes.subarray(start, start + headerLength).toString(major >= 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new NpyError(`${name}: unreadable header ${JSON.stringify(header.trim())}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new NpyError(`${name}: bad shape (${shapeText})`);
  const m = /^([<>|=])([fiubU])(\d+)$/.exec(descr);
  if (!m)
    throw new NpyError(
      `${name}: dtype '${descr}' is not supported (numeric, bool or unicode arrays only; object arrays would need unpickling)`,
    );
  const little = m[1] !== '>';
  const kind = m[2] as NpyArray['kind'];
  const count = shape.reduce((a, b) => a * b, 1);
  const width = Number(m[3]);
  const itemsize = kind === 'U' ? 4 * width : width;
  const body = bytes.subarray(start + headerLength);
  if (body.length < count * itemsize)
    throw new NpyError(
      `${name}: ${count} elements of ${itemsize} bytes need ${count * itemsize} bytes, the file holds ${body.length}`,
    );
  const data = new Float64Array(kind === 'U' ? 0 : count);
  let strings: string[] | undefined;
  if (kind === 'U') {
    strings = [];
    for (let i = 0; i < count; i++) {
      let s = '';
      for (let c = 0; c < width; c++) {
        const code = little ? body.readUInt32LE(i * itemsize + 4 * c) : body.readUInt32BE(i * itemsize + 4 * c);
        if (code === 0) break;
        s += String.fromCodePoint(code);
      }
      strings.push(s);
    }
  } else {
    const read = reader(kind, itemsize, little, name, descr);
    for (let i = 0; i < count; i++) data[i] = read(body, i * itemsize);
  }
  const out: NpyArray = { shape, kind, itemsize, data, ...(strings ? { strings } : {}) };
  return fortran === 'True' && shape.length > 1 ? toCOrder(out) : out;
}

function reader(
  kind: string,
  size: number,
  little: boolean,
  name: string,
  descr: string,
): (b: Buffer, at: number) => number {
  const L = little;
  if (kind === 'f' && size === 8) return (b, at) => (L ? b.readDoubleLE(at) : b.readDoubleBE(at));
  if (kind === 'f' && size === 4) return (b, at) => (L ? b.readFloatLE(at) : b.readFloatBE(at));
  if (kind === 'f' && size === 2) return (b, at) => halfToNumber(L ? b.readUInt16LE(at) : b.readUInt16BE(at));
  if (kind === 'i' && size === 8) return (b, at) => Number(L ? b.readBigInt64LE(at) : b.readBigInt64BE(at));
  if (kind === 'u' && size === 8) return (b, at) => Number(L ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at));
  if ((kind === 'i' || kind === 'u') && size <= 4) {
    return (b, at) =>
      kind === 'i'
        ? L
          ? b.readIntLE(at, size)
          : b.readIntBE(at, size)
        : L
          ? b.readUIntLE(at, size)
          : b.readUIntBE(at, size);
  }
  if (kind === 'b' && size === 1) return (b, at) => (b[at] !== 0 ? 1 : 0);
  throw new NpyError(`${name}: dtype '${descr}' is not supported`);
}

function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1,
    e = (h >> 10) & 0x1f,
    f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Fortran (column-major) element order → C (row-major). */
function toCOrder(a: NpyArray): NpyArray {
  const { shape } = a;
  const n = a.data.length || (a.strings?.length ?? 0);
  const cStrides = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1));
  const fStrides = shape.map((_, i) => shape.slice(0, i).reduce((x, y) => x * y, 1));
  const data = new Float64Array(a.data.length);
  const strings = a.strings ? new Array<string>(n) : undefined;
  for (let c = 0; c < n; c++) {
    let rest = c,
      f = 0;
    for (let d = 0; d < shape.length; d++) {
      const idx = Math.floor(rest / cStrides[d]);
      rest -= idx * cStrides[d];
      f += idx * fStrides[d];
    }
    if (strings) strings[c] = a.strings![f];
    else data[c] = a.data[f];
  }
  return { ...a, data, ...(strings ? { strings } : {}) };
}

/** The members of a zip archive (.npz), inflated, by name. */
export function readZip(bytes: Buffer, name = 'archive'): Map<string, Buffer> {
  const eocd = findBackwards(bytes, 0x06054b50, 22);
  if (eocd < 0) throw new NpyError(`${name}: not a zip archive (no end-of-central-directory record)`);
  let entries = bytes.readUInt16LE(eocd + 10);
  let cdOffset = bytes.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if ((entries === 0xffff || cdOffset === 0xffffffff) && locator >= 0 && bytes.readUInt32LE(locator) === 0x07064b50) {
    const z64 = Number(bytes.readBigUInt64LE(locator + 8));
    if (bytes.readUInt32LE(z64) !== 0x06064b50) throw new NpyError(`${name}: broken zip64 end record`);
    entries = Number(bytes.readBigUInt64LE(z64 + 32));
    cdOffset = Number(bytes.readBigUInt64LE(z64 + 48));
  }
  const out = new Map<string, Buffer>();
  let at = cdOffset;
  for (let e = 0; e < entries; e++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50)
      throw new NpyError(`${name}: broken central directory (entry ${e})`);
    const method = bytes.readUInt16LE(at + 10);
    let compressed = bytes.readUInt32LE(at + 20);
    let size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28),
      extraLength = bytes.readUInt16LE(at + 30),
      commentLength = bytes.readUInt16LE(at + 32);
    let local = bytes.readUInt32LE(at + 42);
    const member = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    // zip64 extra field: the 64-bit values of exactly those fields that are 0xFFFFFFFF, in this order.
    let x = at + 46 + nameLength;
    const xEnd = x + extraLength;
    while (x + 4 <= xEnd) {
      const id = bytes.readUInt16LE(x),
        len = bytes.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let p = x + 4;
        if (size === 0xffffffff) {
          size = Number(bytes.readBigUInt64LE(p));
          p += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = Number(bytes.readBigUInt64LE(p));
          p += 8;
        }
        if (local === 0xffffffff) local = Number(bytes.readBigUInt64LE(p));
      }
      x += 4 + len;
    }
    if (bytes.readUInt32LE(local) !== 0x04034b50) throw new NpyError(`${name}: broken local header for '${member}'`);
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(dataStart, dataStart + compressed);
    let content: Buffer;
    if (method === 0) content = raw;
    else if (method === 8) content = inflateRawSync(raw);
    else
      throw new NpyError(
        `${name}: '${member}' uses zip compression method ${method} (only stored and deflate are read)`,
      );
    if (content.length !== size)
      throw new NpyError(`${name}: '${member}' inflates to ${content.length} bytes, the directory says ${size}`);
    out.set(member, content);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

function findBackwards(bytes: Buffer, signature: number, minLength: number): number {
  for (let i = bytes.length - minLength; i >= Math.max(0, bytes.length - minLength - 65535); i--) {
    if (bytes.readUInt32LE(i) === signature) return i;
  }
  return -1;
}

/** The arrays of an .npz archive by key (the member name without '.npy'). */
export function parseNpz(bytes: Buffer, name = 'archive'): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const [member, content] of readZip(bytes, name)) {
    const key = member.replace(/\.npy$/, '');
    out.set(key, parseNpy(content, `${name}:${member}`));
  }
  return out;
}
