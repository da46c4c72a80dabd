import { DomainError, NonFiniteError, ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';

/**
 * A point of the parameter space of a multi-layer model: one matrix per layer (or block). Derivative checks act
 * on functions of such a point and move along a direction of the same shapes.
 */
export type Point = readonly Matrix[];

/** A scalar function of a point, e.g. a loss L(W_1, …, W_N). It must not mutate its argument. */
export type ScalarFunction = (x: Point) => number;

/** Throws unless `x` is a non-empty list of matrices with finite entries. */
export function assertPoint(x: Point, argument: string): void {
  if (!Array.isArray(x) || x.length === 0) throw new DomainError(argument, 'expected a non-empty list of matrices');
  x.forEach((m, k) => {
    if (!(m instanceof Matrix)) throw new ShapeError(`${argument}[${k}]`, 'a Matrix', typeof m);
    for (let i = 0; i < m.data.length; i++)
      if (!Number.isFinite(m.data[i])) throw new NonFiniteError(`${argument}[${k}]`, i, m.data[i]);
  });
}

/** Throws unless `direction` is a finite point with the same number of blocks and shapes as `x`. */
export function assertDirection(x: Point, direction: Point, argument: string): void {
  assertPoint(direction, argument);
  if (direction.length !== x.length) throw new ShapeError(argument, `${x.length} blocks`, `${direction.length} blocks`);
  x.forEach((m, k) => {
    if (direction[k].rows !== m.rows || direction[k].cols !== m.cols)
      throw new ShapeError(`${argument}[${k}]`, m.shape, direction[k].shape);
  });
}

/** ‖x‖ = (Σ_k ‖x_k‖_F²)^{1/2}, the norm of the point as one long vector. */
export function pointNorm(x: Point): number {
  let big = 0;
  for (const m of x) for (let i = 0; i < m.data.length; i++) big = Math.max(big, Math.abs(m.data[i]));
  if (big === 0 || !Number.isFinite(big)) return big;
  let s = 0;
  for (const m of x) for (let i = 0; i < m.data.length; i++) s += (m.data[i] / big) ** 2;
  return big * Math.sqrt(s);
}

/** A new point x + t·ξ (fresh matrices, so a misbehaving f cannot corrupt x). */
export function displaced(x: Point, t: number, direction: Point): Matrix[] {
  return x.map((m, k) => {
    const out = new Matrix(m.rows, m.cols);
    const a = m.data,
      d = direction[k].data,
      o = out.data;
    for (let i = 0; i < o.length; i++) o[i] = a[i] + t * d[i];
    return out;
  });
}

/**
 * Overwrite `out` (matrices shaped like x, disjoint from x and ξ) with x + t·ξ and return it: the same entries as
 * displaced(), for callers that evaluate f at many points of one line and reuse one buffer (every entry is
 * rewritten, so whatever f did to the previous point is gone).
 */
export function displacedInto(out: readonly Matrix[], x: Point, t: number, direction: Point): readonly Matrix[] {
  for (let k = 0; k < x.length; k++) {
    const a = x[k].data,
      d = direction[k].data,
      o = out[k].data;
    for (let i = 0; i < o.length; i++) o[i] = a[i] + t * d[i];
  }
  return out;
}

/**
 * The natural unit of the step t along ξ: t = unit moves x by max(‖x‖, 1). Steps measured in this unit make the
 * same grid meaningful for weights of any size (a polynomial loss bends on the scale of ‖x‖), while the floor of
 * 1 keeps the grid usable at x = 0.
 */
export function stepUnit(x: Point, direction: Point): number {
  const nd = pointNorm(direction);
  if (nd === 0) throw new DomainError('direction', 'is zero; a derivative check needs a non-zero direction');
  return Math.max(pointNorm(x), 1) / nd;
}
