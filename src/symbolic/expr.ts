import { DomainError, ShapeError } from '../errors.js';
import { assertDim, type Dim, formatShape, sameDim } from './dimension.js';
import { latexName } from './names.js';
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
} from './nodes.js';
import { Rational } from './rational.js';

/**
 * Matrix expressions as a tree, exactly as written (for printing and for the entrywise mathjs expansion). The
 * algebra (expansion, transposes pushed to the leaves, cancellation) happens in the normal form (normal-form.ts).
 *
 * Every node carries its shape; a scalar node has shape 1×1 and isScalar = true, and a scalar factor may stand
 * anywhere in a product (scalars commute with everything).
 */
export type Expr =
  | MatrixSymbol
  | ScalarSymbol
  | Constant
  | Identity
  | Zero
  | Product
  | Sum
  | Transpose
  | Trace
  | Inner
  | Definition;

/** A matrix symbol with a shape. symmetric: Sᵀ = S (used for Gram matrices, C_j…). */
export interface MatrixSymbol extends Shaped<Dim> {
  readonly kind: 'symbol';
  readonly name: string;
  readonly latex: string;
  readonly symmetric: boolean;
}

/** A scalar symbol (η, λ, t): commutes with everything. */
export interface ScalarSymbol extends Shaped<Dim> {
  readonly kind: 'scalar';
  readonly name: string;
  readonly latex: string;
}

export type Constant = ConstNode<Dim>;
export type Identity = IdentityNode<Dim>;
export type Zero = ZeroNode<Dim>;
export type Product = ProductNode<Expr, Dim>;
export type Sum = SumNode<Expr, Dim>;
export type Transpose = TransposeNode<Expr, Dim>;
export type Trace = TraceNode<Expr, Dim>;
export type Inner = InnerNode<Expr, Dim>;

/** An abbreviation: printed as its name (E, G_j, W_{N:j+1}), normalized and evaluated as its body. */
export interface Definition extends Shaped<Dim> {
  readonly kind: 'definition';
  readonly name: string;
  readonly latex: string;
  readonly body: Expr;
}

export interface SymbolOptions {
  /** LaTeX for the name (default derived: "W_3" → "W_{3}", "η" → "\eta"). */
  latex?: string;
  /** Sᵀ = S. */
  symmetric?: boolean;
}

export function matrixSymbol(name: string, rows: Dim, cols: Dim, options: SymbolOptions = {}): MatrixSymbol {
  if (typeof name !== 'string' || name.length === 0)
    throw new DomainError('matrixSymbol.name', 'must be a non-empty string');
  assertDim(rows, `${name}.rows`);
  assertDim(cols, `${name}.cols`);
  if (options.symmetric && !sameDim(rows, cols))
    throw new ShapeError(name, 'square (symmetric symbol)', formatShape(rows, cols));
  return {
    kind: 'symbol',
    name,
    rows,
    cols,
    isScalar: false,
    latex: options.latex ?? latexName(name),
    symmetric: options.symmetric ?? false,
  };
}

export function scalarSymbol(name: string, latex?: string): ScalarSymbol {
  if (typeof name !== 'string' || name.length === 0)
    throw new DomainError('scalarSymbol.name', 'must be a non-empty string');
  return { kind: 'scalar', name, rows: 1, cols: 1, isScalar: true, latex: latex ?? latexName(name) };
}

export function constant(value: number | string | Rational): Constant {
  return { kind: 'const', value: Rational.from(value), rows: 1, cols: 1, isScalar: true };
}

export function identity(n: Dim): Identity {
  assertDim(n, 'identity.n');
  return { kind: 'identity', rows: n, cols: n, isScalar: false };
}

export function zero(rows: Dim, cols: Dim): Zero {
  assertDim(rows, 'zero.rows');
  assertDim(cols, 'zero.cols');
  return { kind: 'zero', rows, cols, isScalar: false };
}

/** A number, rational string or Rational becomes a constant; expressions pass through. */
export type ExprLike = Expr | number | string | Rational;

export function lift(e: ExprLike): Expr {
  return typeof e === 'number' || typeof e === 'string' || e instanceof Rational ? constant(e) : e;
}

/** The product of the factors, left to right; nested products are flattened; matrix factors must chain. */
export function mul(...factorsIn: ExprLike[]): Expr {
  const factors: Expr[] = [];
  for (const f of factorsIn.map(lift)) {
    if (f.kind === 'product') factors.push(...f.factors);
    else factors.push(f);
  }
  if (factors.length === 0) throw new DomainError('mul', 'needs at least one factor');
  let rows: Dim | undefined, cols: Dim | undefined, prev: Expr | undefined;
  factors.forEach((f, i) => {
    if (f.isScalar) return;
    if (rows === undefined) rows = f.rows;
    else if (!sameDim(cols!, f.rows)) {
      throw new ShapeError(
        `mul factor ${i + 1} (${describe(f)})`,
        `${cols}×… to follow ${describe(prev!)} (${formatShape(prev!.rows, prev!.cols)})`,
        formatShape(f.rows, f.cols),
      );
    }
    cols = f.cols;
    prev = f;
  });
  if (factors.length === 1) return factors[0];
  if (rows === undefined) return { kind: 'product', factors, rows: 1, cols: 1, isScalar: true };
  // I·A = A: identities next to other matrix factors only clutter the printout (shapes were checked above).
  const kept = factors.some((f) => !f.isScalar && f.kind !== 'identity')
    ? factors.filter((f) => f.kind !== 'identity')
    : factors;
  if (kept.length === 1) return kept[0];
  return { kind: 'product', factors: kept, rows, cols: cols!, isScalar: false };
}

/** The sum of same-shaped terms (nested sums are flattened). */
export function add(...termsIn: ExprLike[]): Expr {
  const terms: Expr[] = [];
  for (const t of termsIn.map(lift)) {
    if (t.kind === 'sum') terms.push(...t.terms);
    else terms.push(t);
  }
  if (terms.length === 0) throw new DomainError('add', 'needs at least one term');
  const first = terms[0];
  terms.forEach((t, i) => {
    if (t.isScalar !== first.isScalar || !sameDim(t.rows, first.rows) || !sameDim(t.cols, first.cols)) {
      throw new ShapeError(
        `add term ${i + 1} (${describe(t)})`,
        first.isScalar ? 'a scalar' : formatShape(first.rows, first.cols),
        t.isScalar ? 'a scalar' : formatShape(t.rows, t.cols),
      );
    }
  });
  if (terms.length === 1) return first;
  return { kind: 'sum', terms, rows: first.rows, cols: first.cols, isScalar: first.isScalar };
}

export function neg(e: ExprLike): Expr {
  return mul(constant(-1), e);
}

export function sub(a: ExprLike, b: ExprLike): Expr {
  return add(a, neg(b));
}

/** c·e for a scalar c (number, rational, or scalar expression). */
export function scale(c: ExprLike, e: ExprLike): Expr {
  const s = lift(c);
  if (!s.isScalar) throw new ShapeError('scale.c', 'a scalar', formatShape(s.rows, s.cols));
  return mul(s, e);
}

export function transpose(e: ExprLike): Expr {
  const a = lift(e);
  if (a.isScalar) return a;
  if (a.kind === 'transpose') return a.arg;
  if (a.kind === 'symbol' && a.symmetric) return a;
  if (a.kind === 'identity') return a;
  if (a.kind === 'zero') return zero(a.cols, a.rows);
  return { kind: 'transpose', arg: a, rows: a.cols, cols: a.rows, isScalar: false };
}

export function trace(e: Expr): Expr {
  if (e.isScalar) return e;
  if (!sameDim(e.rows, e.cols))
    throw new ShapeError(`trace argument (${describe(e)})`, 'a square matrix', formatShape(e.rows, e.cols));
  return { kind: 'trace', arg: e, rows: 1, cols: 1, isScalar: true };
}

/** ⟨A, B⟩ = tr(AᵀB) for same-shaped A, B. */
export function inner(a: Expr, b: Expr): Expr {
  if (a.isScalar !== b.isScalar || !sameDim(a.rows, b.rows) || !sameDim(a.cols, b.cols)) {
    throw new ShapeError(
      `inner right argument (${describe(b)})`,
      `the shape of the left argument ${formatShape(a.rows, a.cols)}`,
      formatShape(b.rows, b.cols),
    );
  }
  return { kind: 'inner', left: a, right: b, rows: 1, cols: 1, isScalar: true };
}

/** ‖A‖_F² = ⟨A, A⟩. */
export function normSquared(a: Expr): Expr {
  return inner(a, a);
}

/** name := body, printed as the name. */
export function define(name: string, body: Expr, latex?: string): Definition {
  if (typeof name !== 'string' || name.length === 0) throw new DomainError('define.name', 'must be a non-empty string');
  return {
    kind: 'definition',
    name,
    latex: latex ?? latexName(name),
    body,
    rows: body.rows,
    cols: body.cols,
    isScalar: body.isScalar,
  };
}

/** A short label of a node for error messages. */
export function describe(e: Expr): string {
  switch (e.kind) {
    case 'symbol':
    case 'scalar':
    case 'definition':
      return e.name;
    case 'const':
      return e.value.toString();
    case 'identity':
      return `I_${e.rows}`;
    case 'zero':
      return `0_${formatShape(e.rows, e.cols)}`;
    case 'transpose':
      return `(${describe(e.arg)})ᵀ`;
    case 'trace':
      return `tr(${describe(e.arg)})`;
    case 'inner':
      return `⟨${describe(e.left)}, ${describe(e.right)}⟩`;
    case 'product':
      return e.factors.map(describe).join('·');
    case 'sum':
      return `(${e.terms.map(describe).join(' + ')})`;
  }
}

/** Every matrix and scalar symbol occurring in an expression (through definitions), by name. */
export function symbolsOf(
  e: Expr,
  out: Map<string, MatrixSymbol | ScalarSymbol> = new Map(),
): Map<string, MatrixSymbol | ScalarSymbol> {
  switch (e.kind) {
    case 'symbol':
    case 'scalar':
      out.set(e.name, e);
      break;
    case 'product':
      e.factors.forEach((f) => symbolsOf(f, out));
      break;
    case 'sum':
      e.terms.forEach((t) => symbolsOf(t, out));
      break;
    case 'transpose':
    case 'trace':
      symbolsOf(e.arg, out);
      break;
    case 'inner':
      symbolsOf(e.left, out);
      symbolsOf(e.right, out);
      break;
    case 'definition':
      symbolsOf(e.body, out);
      break;
    default:
      break;
  }
  return out;
}
