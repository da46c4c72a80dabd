import { DomainError, ShapeError } from '../../errors.js';
import type {
  ConstNode,
  IdentityNode,
  InnerNode,
  ProductNode,
  Shaped,
  SumNode,
  TraceNode,
  TransposeNode,
  ZeroNode,
} from '../nodes.js';
import { Rational } from '../rational.js';
import { Affine, type AffineLike } from './affine.js';

/**
 * Matrix expressions whose sizes are symbolic: interval products W_{b:a} = W_b W_{b−1} ⋯ W_a of a layer family
 * with affine bounds (W_{b:a} = I when a > b), single layers W_i = W_{i:i}, plain matrix symbols (X, Y, ∇L¹),
 * scalar symbols (η, λ), transposes, traces, inner products and sums Σ_{k=lo}^{hi} over a symbolic index.
 *
 * Dimensions are symbolic too: a layer family is shaped like the network, W_i ∈ R^{d_i × d_{i−1}}, so W_{b:a} is
 * d_b × d_{a−1}; plain symbols carry named dimensions (m, d_N…). Products are shape-checked on these names.
 */
export interface Dim {
  readonly base: string;
  readonly index?: Affine;
}

export function dim(base: string, index?: AffineLike): Dim {
  return index === undefined ? { base } : { base, index: Affine.from(index) };
}

export function dimKey(d: Dim): string {
  return d.index === undefined ? d.base : `${d.base}_${d.index.toString()}`;
}

export function dimText(d: Dim): string {
  return d.index === undefined ? d.base : `${d.base}_${d.index.toText()}`;
}

/** The dimension base of every layer family (W_i is d_i × d_{i−1}). */
export const LAYER_DIM = 'd';
/** The one dimension of square families and shapes. */
export const SQUARE_DIM: Dim = { base: 'n' };

/** F_{hi:lo} = F_hi F_{hi−1} ⋯ F_lo for a layer family F; a single layer F_i has hi = lo = i. */
export interface Interval extends Shaped<Dim> {
  readonly kind: 'interval';
  readonly family: string;
  readonly hi: Affine;
  readonly lo: Affine;
  /** Every dimension is n (a misplaced transpose is then well-typed and must be caught by the algebra). */
  readonly square: boolean;
}
export interface MatrixSymbol extends Shaped<Dim> {
  readonly kind: 'symbol';
  readonly name: string;
}
export interface Scalar extends Shaped<Dim> {
  readonly kind: 'scalar';
  readonly name: string;
}
export type Const = ConstNode<Dim>;
export type Identity = IdentityNode<Dim>;
export type Zero = ZeroNode<Dim>;
export type Product = ProductNode<IExpr, Dim>;
export type Sum = SumNode<IExpr, Dim>;
export type Transpose = TransposeNode<IExpr, Dim>;
export type Trace = TraceNode<IExpr, Dim>;
export type Inner = InnerNode<IExpr, Dim>;
/** Σ_{index=lo}^{hi} body (empty, i.e. 0, when hi < lo). */
export interface Sigma extends Shaped<Dim> {
  readonly kind: 'sigma';
  readonly index: string;
  readonly lo: Affine;
  readonly hi: Affine;
  readonly body: IExpr;
}

export type IExpr =
  | Interval
  | MatrixSymbol
  | Scalar
  | Const
  | Identity
  | Zero
  | Product
  | Sum
  | Transpose
  | Trace
  | Inner
  | Sigma;

const SCALAR_DIM = dim('1');

/** F_{hi:lo} (d_hi × d_{lo−1}, or n × n for a square family). */
export function interval(family: string, hi: AffineLike, lo: AffineLike, square = false): Interval {
  const h = Affine.from(hi),
    l = Affine.from(lo);
  const rows = square ? SQUARE_DIM : dim(LAYER_DIM, h),
    cols = square ? SQUARE_DIM : dim(LAYER_DIM, l.add(-1));
  return { kind: 'interval', family, hi: h, lo: l, square, rows, cols, isScalar: false };
}

/** The single layer F_i. */
export function layer(family: string, i: AffineLike, square = false): Interval {
  return interval(family, i, i, square);
}

export function symbol(name: string, rows: Dim, cols: Dim): MatrixSymbol {
  if (!/^\S+$/.test(name))
    throw new DomainError('symbol.name', `must be a non-empty name without spaces, received '${name}'`);
  return { kind: 'symbol', name, rows, cols, isScalar: false };
}

export function scalar(name: string): Scalar {
  return { kind: 'scalar', name, rows: SCALAR_DIM, cols: SCALAR_DIM, isScalar: true };
}

export function constant(v: number | string | Rational): Const {
  return { kind: 'const', value: Rational.from(v), rows: SCALAR_DIM, cols: SCALAR_DIM, isScalar: true };
}

export function identity(n: Dim): Identity {
  return { kind: 'identity', rows: n, cols: n, isScalar: false };
}

export function zero(rows: Dim, cols: Dim): Zero {
  return { kind: 'zero', rows, cols, isScalar: false };
}

const sameDim = (a: Dim, b: Dim): boolean => dimKey(a) === dimKey(b);
const shapeText = (e: IExpr): string => (e.isScalar ? 'a scalar' : `${dimText(e.rows)}×${dimText(e.cols)}`);

export type IExprLike = IExpr | number | string;
const lift = (e: IExprLike): IExpr => (typeof e === 'object' ? e : constant(e));

export function mul(...input: IExprLike[]): IExpr {
  const factors = input.map(lift).flatMap((f) => (f.kind === 'product' ? f.factors : [f]));
  if (factors.length === 0) throw new DomainError('mul', 'needs at least one factor');
  if (factors.length === 1) return factors[0];
  const matrices = factors.filter((f) => !f.isScalar);
  for (let i = 1; i < matrices.length; i++) {
    if (!sameDim(matrices[i - 1].cols, matrices[i].rows)) {
      throw new ShapeError(
        `product factor ${i + 1}`,
        `${dimText(matrices[i - 1].cols)}×… to follow ${shapeText(matrices[i - 1])}`,
        shapeText(matrices[i]),
      );
    }
  }
  if (matrices.length === 0) return { kind: 'product', factors, rows: SCALAR_DIM, cols: SCALAR_DIM, isScalar: true };
  return {
    kind: 'product',
    factors,
    rows: matrices[0].rows,
    cols: matrices[matrices.length - 1].cols,
    isScalar: false,
  };
}

export function add(...input: IExprLike[]): IExpr {
  const terms = input.map(lift).flatMap((t) => (t.kind === 'sum' ? t.terms : [t]));
  if (terms.length === 0) throw new DomainError('add', 'needs at least one term');
  const first = terms[0];
  terms.forEach((t, i) => {
    if (t.isScalar !== first.isScalar || !sameDim(t.rows, first.rows) || !sameDim(t.cols, first.cols)) {
      throw new ShapeError(`sum term ${i + 1}`, shapeText(first), shapeText(t));
    }
  });
  return terms.length === 1
    ? first
    : { kind: 'sum', terms, rows: first.rows, cols: first.cols, isScalar: first.isScalar };
}

export function neg(e: IExprLike): IExpr {
  return mul(-1, e);
}

export function sub(a: IExprLike, b: IExprLike): IExpr {
  return add(a, neg(b));
}

export function transpose(e: IExprLike): IExpr {
  const a = lift(e);
  if (a.isScalar || a.kind === 'identity') return a;
  if (a.kind === 'transpose') return a.arg;
  return { kind: 'transpose', arg: a, rows: a.cols, cols: a.rows, isScalar: false };
}

export function trace(e: IExpr): IExpr {
  if (e.isScalar) return e;
  if (!sameDim(e.rows, e.cols)) throw new ShapeError('trace argument', 'a square matrix', shapeText(e));
  return { kind: 'trace', arg: e, rows: SCALAR_DIM, cols: SCALAR_DIM, isScalar: true };
}

/** ⟨A, B⟩ = tr(AᵀB). */
export function inner(a: IExpr, b: IExpr): IExpr {
  if (a.isScalar !== b.isScalar || !sameDim(a.rows, b.rows) || !sameDim(a.cols, b.cols))
    throw new ShapeError('inner product right argument', shapeText(a), shapeText(b));
  return { kind: 'inner', left: a, right: b, rows: SCALAR_DIM, cols: SCALAR_DIM, isScalar: true };
}

/** ‖A‖_F² = ⟨A, A⟩. */
export function norm2(a: IExpr): IExpr {
  return inner(a, a);
}

/** Σ_{index=lo}^{hi} body; the body's shape must not depend on the index. */
export function sigma(index: string, lo: AffineLike, hi: AffineLike, body: IExpr): Sigma {
  for (const d of [body.rows, body.cols]) {
    if (d.index?.coefficient(index))
      throw new ShapeError(`sum over ${index}`, 'a summand whose shape does not depend on the index', shapeText(body));
  }
  return {
    kind: 'sigma',
    index,
    lo: Affine.from(lo),
    hi: Affine.from(hi),
    body,
    rows: body.rows,
    cols: body.cols,
    isScalar: body.isScalar,
  };
}
