import { DomainError } from '../errors.js';

/**
 * A matrix dimension: a concrete size or a name ("d_0", "m", "n"). Two dimensions match only when they are the
 * same number or the same name, so a product of non-square symbols is shape-checked even before any size is known.
 */
export type Dim = number | string;

export function assertDim(d: Dim, argument: string): Dim {
  if (typeof d === 'number') {
    if (!Number.isInteger(d) || d < 0)
      throw new DomainError(argument, `a dimension must be a non-negative integer or a name, received ${d}`);
  } else if (typeof d !== 'string' || d.length === 0) {
    throw new DomainError(
      argument,
      `a dimension must be a non-negative integer or a non-empty name, received ${String(d)}`,
    );
  }
  return d;
}

export function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}

export function formatDim(d: Dim): string {
  return String(d);
}

export function formatShape(rows: Dim, cols: Dim): string {
  return `${formatDim(rows)}×${formatDim(cols)}`;
}

/** Resolve a dimension to a number through a table of named sizes. */
export function resolveDim(d: Dim, sizes: Readonly<Record<string, number>>, argument: string): number {
  if (typeof d === 'number') return d;
  const v = sizes[d];
  if (typeof v !== 'number')
    throw new DomainError(
      argument,
      `the named dimension ${d} has no size (bind a matrix that has it, or give it in dims)`,
    );
  return v;
}
