import { DomainError, ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';

/** [rows, cols] of one component. */
export type Shape = readonly [number, number];

/** Fresh zero matrices with the given shapes (allocates: call once per run). */
export function allocateState(shapes: readonly Shape[]): Matrix[] {
  return shapes.map(([r, c]) => new Matrix(r, c));
}

export function assertStateShapes(state: readonly Matrix[], shapes: readonly Shape[], argument: string): void {
  if (!Array.isArray(state) || state.length !== shapes.length)
    throw new ShapeError(
      argument,
      `${shapes.length} matrices`,
      Array.isArray(state) ? `${state.length}` : typeof state,
    );
  for (let j = 0; j < shapes.length; j++) {
    const m = state[j];
    if (!(m instanceof Matrix) || m.rows !== shapes[j][0] || m.cols !== shapes[j][1]) {
      throw new ShapeError(
        `${argument}[${j}]`,
        `${shapes[j][0]}×${shapes[j][1]}`,
        m instanceof Matrix ? m.shape : typeof m,
      );
    }
  }
}

/** dst ← src componentwise. */
export function copyStateInto(dst: readonly Matrix[], src: readonly Matrix[]): void {
  for (let j = 0; j < dst.length; j++) dst[j].data.set(src[j].data);
}

/** max over all entries of |x|. */
export function stateMaxAbs(state: readonly Matrix[]): number {
  let m = 0;
  for (const x of state) for (let i = 0; i < x.data.length; i++) m = Math.max(m, Math.abs(x.data[i]));
  return m;
}

/** √(Σ_j ‖X_j‖_F²). */
export function stateNorm(state: readonly Matrix[]): number {
  let s = 0;
  for (const x of state) for (let i = 0; i < x.data.length; i++) s += x.data[i] * x.data[i];
  return Math.sqrt(s);
}

export function assertPositive(x: number, argument: string): number {
  if (!(Number.isFinite(x) && x > 0)) throw new DomainError(argument, `expected a finite number > 0, received ${x}`);
  return x;
}

export function assertNonNegative(x: number, argument: string): number {
  if (!(Number.isFinite(x) && x >= 0)) throw new DomainError(argument, `expected a finite number ≥ 0, received ${x}`);
  return x;
}

export function assertCount(x: number, argument: string, min = 1): number {
  if (!(Number.isInteger(x) && x >= min))
    throw new DomainError(argument, `expected an integer ≥ ${min}, received ${x}`);
  return x;
}
