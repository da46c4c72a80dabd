import { Matrix } from '../linalg/matrix.js';

/**
 * A claim's instance as readable text: every matrix as an aligned block (Matrix.toString) — also a matrix in its
 * JSON form {shape, data}, as reports carry it — inside lists and records; numbers to 6 significant digits.
 */
export function instanceText(value: unknown, indent = ''): string {
  const matrix = asMatrix(value);
  if (matrix) return matrix.toString().split('\n').join(`\n${indent}`);
  if (!holdsMatrix(value))
    return JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)) ?? String(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(value as object);
  return entries
    .map(([key, v]) => {
      const text = instanceText(v, inner);
      return `\n${inner}${key}:${text.startsWith('\n') ? '' : ' '}${text}`;
    })
    .join('');
}

function asMatrix(value: unknown): Matrix | undefined {
  if (value instanceof Matrix) return value;
  const m = value as { shape?: unknown; data?: unknown } | null;
  const isJson =
    typeof m === 'object' &&
    m !== null &&
    Array.isArray(m.shape) &&
    m.shape.length === 2 &&
    Array.isArray(m.data) &&
    Object.keys(m).length === 2;
  if (!isJson) return undefined;
  try {
    return Matrix.from(m.data as number[][]);
  } catch {
    return undefined; // non-finite entries (written as strings in JSON): left to JSON.stringify
  }
}

function holdsMatrix(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((v) => asMatrix(v) !== undefined || holdsMatrix(v));
}
