import { type MathNode, parse } from 'mathjs';
import { ShapeError, UsageError } from '../../errors.js';
import { Rational } from '../rational.js';
import { Affine } from './affine.js';
import {
  add,
  constant,
  type Dim,
  dim,
  dimKey,
  dimText,
  type IExpr,
  identity,
  inner,
  interval,
  mul,
  neg,
  norm2,
  SQUARE_DIM,
  scalar,
  sigma,
  symbol,
  trace,
  transpose,
} from './expr.js';
import { Assumptions } from './inequalities.js';

/**
 * The statement syntax of `dlnv prove` / `dlnv derive` (docs/PROOFS.md), read with mathjs's expression parser and
 * converted here to the non-commutative engine (mathjs never multiplies or differentiates the matrices: it would
 * reorder factors):
 *   W[b:a]  interval product W_b⋯W_a (b, a affine in N, j…; = I when a > b);  W[i] or W_i  one layer
 *   A B, A*B  product (in the order written);  A', A^T  transpose;  + − and rational constants (1/2)
 *   uppercase names: matrices (shapes inferred, or given with shapes); lowercase or Greek names: scalars
 *   I  identity;  tr(A);  <A, B> = tr(AᵀB);  norm2(A) = ‖A‖_F²;  sum(j=1..N, body);  grad(f, W_j) (derive only)
 * Every family written with brackets (and W) is shaped like the layers: F_i is d_i × d_{i−1} (n × n with square).
 */
export interface SyntaxOptions {
  /** Every dimension n (then a misplaced transpose is well-typed). */
  readonly square?: boolean;
  /** Shapes of plain symbols, "X: d_0 x m, Y: d_N x m" (sizes are names, name_index or integers). */
  readonly shapes?: string;
}

const GREEK: Record<string, string> = {
  eta: 'η',
  lambda: 'λ',
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  mu: 'μ',
  tau: 'τ',
  sigma: 'σ',
};

/** Source text with a map from each character of the rewritten text back to its column in the original. */
interface Mapped {
  readonly text: string;
  readonly columns: readonly number[];
}

/**
 * `..` → ` :` (a mathjs range) and, in expressions (not in side conditions), `<A, B>` → `inner(A, B)`,
 * remembering where every character came from.
 */
function preprocess(src: string, angles: boolean): Mapped {
  let text = '';
  const columns: number[] = [];
  const put = (s: string, col: number): void => {
    text += s;
    for (let i = 0; i < s.length; i++) columns.push(col);
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '.' && src[i + 1] === '.') {
      put(' :', i + 1);
      i++;
    } else if (angles && ch === '<') put('inner(', i + 1);
    else if (angles && ch === '>') put(')', i + 1);
    else put(ch, i + 1);
  }
  columns.push(src.length + 1);
  return { text, columns };
}

/** A one-line error pointing at a column: `… at column 10: Value expected (W[N:1] * ▸* X)`. */
export class StatementSyntaxError extends UsageError {
  constructor(
    readonly column: number,
    readonly source: string,
    detail: string,
  ) {
    super(`syntax error at column ${column}: ${detail} (${source.slice(0, column - 1)}▸${source.slice(column - 1)})`);
    this.name = 'StatementSyntaxError';
  }
}

function parseMapped(src: string, angles = true): MathNode {
  const m = preprocess(src, angles);
  try {
    return parse(m.text);
  } catch (e) {
    if (e instanceof SyntaxError) {
      const char = (e as SyntaxError & { char?: number }).char;
      const column = typeof char === 'number' ? m.columns[Math.max(0, Math.min(m.columns.length - 1, char - 1))] : 1;
      throw new StatementSyntaxError(column, src, e.message.replace(/\s*\(char \d+\)$/, ''));
    }
    throw e;
  }
}

class ConversionError extends UsageError {
  constructor(node: MathNode | string, detail: string) {
    super(`cannot read '${typeof node === 'string' ? node : node.toString()}': ${detail}`);
  }
}

type Node = MathNode & Record<string, unknown>;

/** An affine index expression: integers, index names, +, −, integer multiples. */
export function toAffine(node: MathNode): Affine {
  const n = node as Node;
  switch (n.type) {
    case 'ConstantNode': {
      const v = Number(n.value);
      if (!Number.isInteger(v)) throw new ConversionError(node, 'an index must be an integer');
      return Affine.of(v);
    }
    case 'SymbolNode':
      return Affine.variable(n.name as string);
    case 'ParenthesisNode':
      return toAffine(n.content as MathNode);
    case 'OperatorNode': {
      const args = n.args as MathNode[];
      if (n.fn === 'unaryMinus') return toAffine(args[0]).scale(-1);
      if (n.fn === 'unaryPlus') return toAffine(args[0]);
      if (n.fn === 'add') return toAffine(args[0]).add(toAffine(args[1]));
      if (n.fn === 'subtract') return toAffine(args[0]).sub(toAffine(args[1]));
      if (n.fn === 'multiply') {
        const [a, b] = args.map(toAffine);
        if (a.isConstant()) return b.scale(a.constant);
        if (b.isConstant()) return a.scale(b.constant);
      }
      break;
    }
    default:
      break;
  }
  throw new ConversionError(node, 'an index must be affine in the index names (like N, j+1, 2N-j)');
}

/** "1 <= j < N", "1 <= j, j <= N - 1", "j >= 1 and j < N" as side conditions. */
export function parseWhere(where: string | undefined, base: Assumptions = Assumptions.NONE): Assumptions {
  let ctx = base;
  if (!where?.trim()) return ctx;
  const rel = (op: string, a: Affine, b: Affine, node: MathNode): void => {
    if (op === 'smallerEq') ctx = ctx.le(a, b);
    else if (op === 'smaller') ctx = ctx.le(a.add(1), b);
    else if (op === 'largerEq') ctx = ctx.le(b, a);
    else if (op === 'larger') ctx = ctx.le(b.add(1), a);
    else if (op === 'equal') ctx = ctx.le(a, b).le(b, a);
    else throw new ConversionError(node, 'use <=, <, >=, > or == between index expressions');
  };
  const visit = (node: MathNode): void => {
    const n = node as Node;
    if (n.type === 'RelationalNode') {
      const params = n.params as MathNode[],
        conds = n.conditionals as string[];
      conds.forEach((c, i) => rel(c, toAffine(params[i]), toAffine(params[i + 1]), node));
    } else if (n.type === 'OperatorNode' && n.fn === 'and') (n.args as MathNode[]).forEach(visit);
    else if (n.type === 'OperatorNode' && (n.args as MathNode[]).length === 2) {
      const [a, b] = n.args as MathNode[];
      rel(n.fn as string, toAffine(a), toAffine(b), node);
    } else throw new ConversionError(node, 'expected comparisons such as 1 <= j < N');
  };
  for (const part of where.split(',')) visit(parseMapped(part, false));
  return ctx;
}

// ---------- shapes: unification of unknown sizes ----------

type DimTerm = { readonly v: number } | { readonly fixed: Dim };

class Shapes {
  private readonly parent = new Map<number, DimTerm>();
  private next = 0;
  private readonly symbols = new Map<string, { rows: DimTerm; cols: DimTerm }>();
  private named = 0;

  constructor(
    private readonly square: boolean,
    declared: ReadonlyMap<string, readonly [Dim, Dim]>,
  ) {
    for (const [name, [r, c]] of declared) this.symbols.set(name, { rows: { fixed: r }, cols: { fixed: c } });
  }

  fresh(): DimTerm {
    return this.square ? { fixed: SQUARE_DIM } : { v: this.next++ };
  }

  of(name: string): { rows: DimTerm; cols: DimTerm } {
    let s = this.symbols.get(name);
    if (!s) this.symbols.set(name, (s = { rows: this.fresh(), cols: this.fresh() }));
    return s;
  }

  find(t: DimTerm): DimTerm {
    let cur = t;
    while ('v' in cur && this.parent.has(cur.v)) cur = this.parent.get(cur.v)!;
    return cur;
  }

  unify(a: DimTerm, b: DimTerm, where: string): void {
    const x = this.find(a),
      y = this.find(b);
    if ('v' in x) {
      if (!('v' in y) || y.v !== x.v) this.parent.set(x.v, y);
    } else if ('v' in y) this.parent.set(y.v, x);
    else if (dimKey(x.fixed) !== dimKey(y.fixed)) throw new ShapeError(where, dimText(x.fixed), dimText(y.fixed));
  }

  /** The size a term stands for; a size nothing fixes gets a name of its own (s1, s2…). */
  resolve(t: DimTerm): Dim {
    const r = this.find(t);
    if (!('v' in r)) return r.fixed;
    const d = dim(`s${++this.named}`);
    this.parent.set(r.v, { fixed: d });
    return d;
  }
}

function parseShapes(text: string | undefined): Map<string, readonly [Dim, Dim]> {
  const out = new Map<string, readonly [Dim, Dim]>();
  if (!text?.trim()) return out;
  const size = (s: string): Dim => {
    const m = /^([A-Za-z]+)(?:_\{?([^}]+)\}?)?$/.exec(s.trim());
    if (/^\d+$/.test(s.trim())) return dim(s.trim());
    if (!m) throw new UsageError(`--shapes: cannot read the size '${s.trim()}' (use a name, name_index or an integer)`);
    return m[2] === undefined ? dim(m[1]) : dim(m[1], toAffine(parse(m[2])));
  };
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*(.+?)\s*[x×]\s*(.+?)\s*$/.exec(part);
    if (!m)
      throw new UsageError(`--shapes: cannot read '${part.trim()}' (expected NAME: ROWS x COLS, e.g. "X: d_0 x m")`);
    out.set(m[1], [size(m[2]), size(m[3])]);
  }
  return out;
}

// ---------- conversion ----------

type Shape = { readonly scalar: true } | { readonly scalar: false; readonly rows: DimTerm; readonly cols: DimTerm };
type Build = () => IExpr;
interface Converted {
  readonly shape: Shape;
  readonly build: Build;
}

const SCALAR: Shape = { scalar: true };

/** Layer families: W and every name written with brackets. */
function familiesOf(node: MathNode): Set<string> {
  const out = new Set<string>(['W']);
  node.traverse((n) => {
    const x = n as Node;
    if (x.type === 'AccessorNode' && (x.object as Node).type === 'SymbolNode')
      out.add((x.object as Node).name as string);
  });
  return out;
}

class Converter {
  readonly shapes: Shapes;
  readonly families: Set<string>;

  constructor(
    root: MathNode,
    private readonly options: SyntaxOptions,
  ) {
    this.shapes = new Shapes(options.square ?? false, parseShapes(options.shapes));
    this.families = familiesOf(root);
  }

  private layerDims(hi: Affine, lo: Affine): { rows: DimTerm; cols: DimTerm } {
    const e = interval('W', hi, lo, this.options.square ?? false);
    return { rows: { fixed: e.rows }, cols: { fixed: e.cols } };
  }

  /** W[b:a], W[i] or W_i as (family, hi, lo), or undefined. */
  private layerOf(node: Node): { family: string; hi: Affine; lo: Affine } | undefined {
    if (node.type === 'AccessorNode' && (node.object as Node).type === 'SymbolNode') {
      const family = (node.object as Node).name as string;
      const dims = (node.index as Node).dimensions as Node[];
      if (dims.length !== 1)
        throw new ConversionError(node, 'write an interval product as W[b:a] or one layer as W[i]');
      const d = dims[0];
      if (d.type === 'RangeNode') {
        if (d.step) throw new ConversionError(node, 'an interval has two bounds, W[b:a]');
        return { family, hi: toAffine(d.start as MathNode), lo: toAffine(d.end as MathNode) };
      }
      const i = toAffine(d);
      return { family, hi: i, lo: i };
    }
    if (node.type === 'SymbolNode') {
      const m = /^([A-Za-z]+)_([A-Za-z]\w*|\d+)$/.exec(node.name as string);
      if (m && this.families.has(m[1])) {
        const i = toAffine(parse(m[2]));
        return { family: m[1], hi: i, lo: i };
      }
    }
    return undefined;
  }

  private matrix(a: Shape, where: string): { rows: DimTerm; cols: DimTerm } {
    if (a.scalar) throw new ShapeError(where, 'a matrix', 'a scalar');
    return a;
  }

  convert(node: MathNode, bound: ReadonlySet<string> = new Set()): Converted {
    const n = node as Node;
    const square = this.options.square ?? false;
    const lay = this.layerOf(n);
    if (lay) {
      const dims = this.layerDims(lay.hi, lay.lo);
      return { shape: { scalar: false, ...dims }, build: () => interval(lay.family, lay.hi, lay.lo, square) };
    }
    switch (n.type) {
      case 'ParenthesisNode':
        return this.convert(n.content as MathNode, bound);
      case 'ConstantNode': {
        const v = n.value as number;
        if (!Number.isFinite(v)) throw new ConversionError(node, 'not a number');
        return { shape: SCALAR, build: () => constant(Rational.from(v)) };
      }
      case 'SymbolNode': {
        const name = n.name as string;
        if (bound.has(name))
          throw new ConversionError(node, `the summation index ${name} can only appear in layer subscripts`);
        if (/^[a-z]/.test(name) || /^[\u0370-\u03ff]/.test(name)) {
          const shown = GREEK[name] ?? name;
          return { shape: SCALAR, build: () => scalar(shown) };
        }
        if (name === 'I') {
          const d = this.shapes.fresh();
          return { shape: { scalar: false, rows: d, cols: d }, build: () => identity(this.shapes.resolve(d)) };
        }
        const s = this.shapes.of(name);
        return {
          shape: { scalar: false, ...s },
          build: () => symbol(name, this.shapes.resolve(s.rows), this.shapes.resolve(s.cols)),
        };
      }
      case 'OperatorNode': {
        const args = (n.args as MathNode[]).map((a) => this.convert(a, bound));
        switch (n.fn) {
          case 'unaryMinus':
            return { shape: args[0].shape, build: () => neg(args[0].build()) };
          case 'unaryPlus':
            return args[0];
          case 'add':
          case 'subtract': {
            const [a, b] = args;
            if (a.shape.scalar !== b.shape.scalar)
              throw new ShapeError(`${node.toString()}`, 'two matrices or two scalars', 'a matrix and a scalar');
            if (!a.shape.scalar && !b.shape.scalar) {
              this.shapes.unify(a.shape.rows, b.shape.rows, `rows of ${node.toString()}`);
              this.shapes.unify(a.shape.cols, b.shape.cols, `columns of ${node.toString()}`);
            }
            return {
              shape: a.shape,
              build: () => (n.fn === 'add' ? add(a.build(), b.build()) : add(a.build(), neg(b.build()))),
            };
          }
          case 'multiply': {
            const [a, b] = args;
            let shape: Shape;
            if (a.shape.scalar) shape = b.shape;
            else if (b.shape.scalar) shape = a.shape;
            else {
              this.shapes.unify(a.shape.cols, b.shape.rows, `product ${node.toString()}`);
              shape = { scalar: false, rows: a.shape.rows, cols: b.shape.cols };
            }
            return { shape, build: () => mul(a.build(), b.build()) };
          }
          case 'divide': {
            const [a, b] = args;
            const den = (n.args as Node[])[1];
            if (den.type !== 'ConstantNode') throw new ConversionError(node, 'only division by a number is supported');
            if (!b.shape.scalar) throw new ConversionError(node, 'only division by a number is supported');
            return {
              shape: a.shape,
              build: () => mul(constant(Rational.ONE.div(Rational.from(den.value as number))), a.build()),
            };
          }
          case 'ctranspose':
          case 'transpose': {
            const a = args[0];
            const shape: Shape = a.shape.scalar ? a.shape : { scalar: false, rows: a.shape.cols, cols: a.shape.rows };
            return { shape, build: () => transpose(a.build()) };
          }
          case 'pow': {
            const exp = (n.args as Node[])[1];
            if (exp.type === 'SymbolNode' && exp.name === 'T') {
              const a = args[0];
              const shape: Shape = a.shape.scalar ? a.shape : { scalar: false, rows: a.shape.cols, cols: a.shape.rows };
              return { shape, build: () => transpose(a.build()) };
            }
            if (
              exp.type === 'ConstantNode' &&
              Number.isInteger(exp.value) &&
              (exp.value as number) >= 1 &&
              args[0].shape.scalar
            ) {
              const k = exp.value as number;
              return { shape: SCALAR, build: () => mul(...Array.from({ length: k }, () => args[0].build())) };
            }
            throw new ConversionError(node, 'powers: A^T is the transpose; only scalars take integer powers');
          }
          default:
            throw new ConversionError(node, `the operator ${String(n.op)} is not part of the syntax (docs/PROOFS.md)`);
        }
      }
      case 'FunctionNode': {
        const fname = (n.fn as Node).name as string;
        const raw = n.args as MathNode[];
        if (fname === 'sum') return this.sum(node, raw, bound);
        if (fname === 'grad') throw new ConversionError(node, 'grad(f, W_j) is for dlnv derive');
        const args = raw.map((a) => this.convert(a, bound));
        const arity = (k: number): void => {
          if (args.length !== k) throw new ConversionError(node, `${fname} takes ${k} argument${k === 1 ? '' : 's'}`);
        };
        if (fname === 'tr') {
          arity(1);
          const s = this.matrix(args[0].shape, `tr(${raw[0].toString()})`);
          this.shapes.unify(s.rows, s.cols, `tr(${raw[0].toString()}) of a non-square matrix`);
          return { shape: SCALAR, build: () => trace(args[0].build()) };
        }
        if (fname === 'inner' || fname === 'norm2') {
          arity(fname === 'inner' ? 2 : 1);
          const [a, b] = fname === 'inner' ? args : [args[0], args[0]];
          if (!a.shape.scalar && !b.shape.scalar) {
            this.shapes.unify(a.shape.rows, b.shape.rows, `${node.toString()}`);
            this.shapes.unify(a.shape.cols, b.shape.cols, `${node.toString()}`);
          }
          return { shape: SCALAR, build: () => (fname === 'inner' ? inner(a.build(), b.build()) : norm2(a.build())) };
        }
        throw new ConversionError(node, `unknown function ${fname} (known: tr, norm2, sum, <A, B>, grad)`);
      }
      case 'AccessorNode':
        throw new ConversionError(node, 'only layer families take brackets: W[b:a], W[i]');
      default:
        throw new ConversionError(node, 'not part of the statement syntax (docs/PROOFS.md)');
    }
  }

  /** sum(j=lo..hi, body): mathjs reads `j=lo :hi` as an assignment of a range. */
  private sum(node: MathNode, raw: MathNode[], bound: ReadonlySet<string>): Converted {
    const spec = raw[0] as Node;
    if (raw.length !== 2 || spec.type !== 'AssignmentNode' || (spec.value as Node).type !== 'RangeNode') {
      throw new ConversionError(node, 'write a sum as sum(j=1..N, body)');
    }
    const index = (spec.object as Node).name as string;
    const range = spec.value as Node;
    const lo = toAffine(range.start as MathNode),
      hi = toAffine(range.end as MathNode);
    const body = this.convert(raw[1], new Set([...bound, index]));
    return { shape: body.shape, build: () => sigma(index, lo, hi, body.build()) };
  }
}

/** Both sides of "lhs == rhs" as engine expressions. */
export function parseIdentity(statement: string, options: SyntaxOptions = {}): { lhs: IExpr; rhs: IExpr } {
  const root = parseMapped(statement) as Node;
  if (root.type !== 'OperatorNode' || root.fn !== 'equal')
    throw new UsageError(`expected "lhs == rhs", got '${statement}'`);
  const conv = new Converter(root, options);
  const [l, r] = (root.args as MathNode[]).map((a) => conv.convert(a));
  if (l.shape.scalar !== r.shape.scalar)
    throw new ShapeError(
      'the two sides',
      l.shape.scalar ? 'a scalar' : 'a matrix',
      r.shape.scalar ? 'a scalar' : 'a matrix',
    );
  if (!l.shape.scalar && !r.shape.scalar) {
    conv.shapes.unify(l.shape.rows, r.shape.rows, 'rows of the two sides');
    conv.shapes.unify(l.shape.cols, r.shape.cols, 'columns of the two sides');
  }
  return { lhs: l.build(), rhs: r.build() };
}

/** "grad(f, W_j)" as the scalar f and the layer (family, index). */
export function parseGradient(text: string, options: SyntaxOptions = {}): { f: IExpr; family: string; index: Affine } {
  const root = parseMapped(text) as Node;
  if (
    root.type !== 'FunctionNode' ||
    ((root.fn as Node).name as string) !== 'grad' ||
    (root.args as MathNode[]).length !== 2
  ) {
    throw new UsageError(`expected "grad(<scalar expression>, W_j)", got '${text}'`);
  }
  const [fNode, xNode] = root.args as MathNode[];
  const conv = new Converter(root, options);
  const f = conv.convert(fNode);
  if (!f.shape.scalar) throw new ShapeError('grad: the function', 'a scalar (use norm2, tr or <A, B>)', 'a matrix');
  const x = xNode as Node;
  let layerRef: { family: string; index: Affine } | undefined;
  if (x.type === 'AccessorNode') {
    const d = ((x.index as Node).dimensions as Node[])[0];
    if (d.type !== 'RangeNode') layerRef = { family: (x.object as Node).name as string, index: toAffine(d) };
  } else if (x.type === 'SymbolNode') {
    const m = /^([A-Za-z]+)_([A-Za-z]\w*|\d+)$/.exec(x.name as string);
    if (m) layerRef = { family: m[1], index: toAffine(parse(m[2])) };
  }
  if (!layerRef)
    throw new UsageError(`grad: differentiate with respect to one layer, W_j or W[j]; got '${xNode.toString()}'`);
  return { f: f.build(), ...layerRef };
}
