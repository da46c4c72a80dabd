import { DomainError, ShapeError } from '../errors.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { compare, EPS, type Verdict } from './verdict.js';

/**
 * Exact identities checked at a few ulps of the scale of what they were computed from (THEORY §7):
 *   ‖lhs − rhs‖ ≤ c·ε·(‖lhs‖ + ‖rhs‖ + scale).
 * `scale` is required because the operands' own norms can be far below the size of the intermediate terms: an
 * identity whose two sides are both ≈ 0 (a balancedness defect C_j = 0, a gradient at a critical point) must be
 * judged against the norms of the factors it was built from, never against 0 with atol = 0. productScale()
 * computes it for products.
 */

export interface IdentityOptions {
  /** Size of the terms the expression was built from, e.g. productScale(factors); ≥ 0. */
  readonly scale: number;
  /** Ulps allowed per unit of scale (default 8: a few roundings per term, the size factor belongs in `scale`). */
  readonly c?: number;
  /** What is compared, for the detail line. */
  readonly label?: string;
}

type Operand = Matrix | readonly Matrix[];

function blocks(v: Operand): readonly Matrix[] {
  return v instanceof Matrix ? [v] : v;
}

function norm(ms: readonly Matrix[]): number {
  return Math.hypot(...ms.map(frobeniusNorm));
}

function checkOptions(options: IdentityOptions): number {
  const c = options.c ?? 8;
  if (!(options.scale >= 0 && Number.isFinite(options.scale)))
    throw new DomainError('options.scale', `must be finite and ≥ 0, received ${options.scale}`);
  if (!(c > 0 && Number.isFinite(c))) throw new DomainError('options.c', `must be positive and finite, received ${c}`);
  return c;
}

function verdict(measured: number, sizeL: number, sizeR: number, options: IdentityOptions, kind: string): Verdict {
  const c = checkOptions(options);
  const bound = c * EPS * (sizeL + sizeR + options.scale);
  return compare({
    measured,
    bound,
    errorModel: `${c}·ε·(${kind === 'scalar' ? '|lhs|+|rhs|' : '‖lhs‖+‖rhs‖'}+scale) = ${c}·${sci(EPS)}·(${sci(sizeL)}+${sci(sizeR)}+${sci(options.scale)}) = ${sci(bound)}`,
    detail: `${options.label ?? 'identity'}: ${kind === 'scalar' ? '|lhs − rhs|' : '‖lhs − rhs‖_F'} = ${sci(measured)}${measured > bound ? ' exceeds' : ' within'} the round-off bound ${sci(bound)}`,
  });
}

/** lhs = rhs for matrices or lists of matrices (same shapes), in the Frobenius norm of the whole list. */
export function checkIdentity(lhs: Operand, rhs: Operand, options: IdentityOptions): Verdict {
  const L = blocks(lhs),
    R = blocks(rhs);
  if (L.length !== R.length) throw new ShapeError('rhs', `${L.length} blocks`, `${R.length} blocks`);
  const diffs = L.map((l, k) => {
    if (l.rows !== R[k].rows || l.cols !== R[k].cols) throw new ShapeError(`rhs[${k}]`, l.shape, R[k].shape);
    const d = new Matrix(l.rows, l.cols);
    for (let i = 0; i < d.data.length; i++) d.data[i] = l.data[i] - R[k].data[i];
    return d;
  });
  // A NaN entry is a failure of what is checked, not bad input: the norm propagates it and compare() fails it.
  return verdict(norm(diffs), norm(L), norm(R), options, 'matrix');
}

/** lhs = rhs for scalars (a trace, a loss value, an inner product). */
export function checkScalarIdentity(lhs: number, rhs: number, options: IdentityOptions): Verdict {
  return verdict(Math.abs(lhs - rhs), Math.abs(lhs), Math.abs(rhs), options, 'scalar');
}

/**
 * The scale of a product F_1 F_2 ⋯ F_k for the identity bound: (Σ inner dimensions)·Π‖F_j‖_F. The computed
 * product of k factors differs from the exact one by at most γ_n·Π|F_j| entrywise (n = the sum of the inner
 * dimensions, Higham §3.5), whose Frobenius norm is ≤ n·ε·Π‖F_j‖_F to first order.
 */
export function productScale(factors: readonly Matrix[]): number {
  if (factors.length === 0) throw new DomainError('factors', 'expected at least one matrix');
  let inner = 0;
  for (let j = 1; j < factors.length; j++) {
    if (factors[j - 1].cols !== factors[j].rows)
      throw new ShapeError(`factors[${j}]`, `${factors[j - 1].cols} rows`, factors[j].shape);
    inner += factors[j].rows;
  }
  return Math.max(inner, 1) * factors.reduce((p, f) => p * frobeniusNorm(f), 1);
}
