import { DomainError, ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply, transpose as transposeMatrix } from '../linalg/products.js';
import { type Dim, formatShape, resolveDim } from './dimension.js';
import { type Expr, type MatrixSymbol, symbolsOf } from './expr.js';
import { NormalForm } from './normal-form.js';
import type { Word } from './word.js';

/**
 * Numeric evaluation on the float64 core: bind matrix symbols to Matrix values and scalar symbols (η, λ, named
 * dimensions used as scalars) to numbers. Named dimensions are read off the bound matrices and must agree.
 */
export interface Bindings {
  readonly matrices: Readonly<Record<string, Matrix>>;
  readonly scalars?: Readonly<Record<string, number>>;
  /** Sizes of named dimensions that no bound matrix fixes (e.g. the size of a lone identity). */
  readonly dims?: Readonly<Record<string, number>>;
}

export type Value = Matrix | number;

class Context {
  readonly sizes: Record<string, number>;
  readonly scalars: Record<string, number>;
  readonly checked = new Set<string>();

  constructor(readonly b: Bindings) {
    this.sizes = { ...(b.dims ?? {}) };
    for (const [name, m] of Object.entries(b.matrices)) {
      if (!(m instanceof Matrix)) throw new ShapeError(`bindings.matrices.${name}`, 'a Matrix', typeof m);
    }
    this.scalars = { ...(b.scalars ?? {}) };
  }

  /** The bound matrix, shape-checked against the symbol (named dimensions recorded on first sight). */
  matrix(sym: MatrixSymbol): Matrix {
    const m = this.b.matrices[sym.name];
    if (!m)
      throw new DomainError(
        `bindings.matrices.${sym.name}`,
        `the matrix symbol ${sym.name} (${formatShape(sym.rows, sym.cols)}) has no value`,
      );
    if (!this.checked.has(sym.name)) {
      this.fix(sym.rows, m.rows, sym, m);
      this.fix(sym.cols, m.cols, sym, m);
      this.checked.add(sym.name);
    }
    return m;
  }

  private fix(d: Dim, n: number, sym: MatrixSymbol, m: Matrix): void {
    if (typeof d === 'number') {
      if (d !== n) throw new ShapeError(`bindings.matrices.${sym.name}`, formatShape(sym.rows, sym.cols), m.shape);
      return;
    }
    const prev = this.sizes[d];
    if (prev === undefined) this.sizes[d] = n;
    else if (prev !== n)
      throw new ShapeError(
        `bindings.matrices.${sym.name}`,
        `${formatShape(sym.rows, sym.cols)} with ${d} = ${prev} (fixed by an earlier binding)`,
        m.shape,
      );
  }

  /** Bind every symbol of the form first, so named dimensions are known before identities are built. */
  prime(nf: NormalForm): void {
    for (const t of nf.terms()) for (const w of [t.word, ...t.traces]) for (const l of w) this.matrix(l.sym);
  }

  dim(d: Dim, argument: string): number {
    return resolveDim(d, this.sizes, argument);
  }

  scalar(name: string): number {
    const v = this.scalars[name] ?? this.sizes[name];
    if (typeof v !== 'number')
      throw new DomainError(`bindings.scalars.${name}`, `the scalar symbol ${name} has no value`);
    return v;
  }
}

function wordValue(w: Word, ctx: Context): Matrix {
  let acc = ctx.matrix(w[0].sym);
  acc = w[0].t ? transposeMatrix(acc) : acc;
  for (let i = 1; i < w.length; i++) acc = multiply(acc, ctx.matrix(w[i].sym), 'n', w[i].t ? 't' : 'n');
  return acc;
}

function traceOf(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++) s += m.data[i * m.cols + i];
  return s;
}

function scalarValues(nf: NormalForm, ctx: Context): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of nf.scalarSymbols()) out[n] = ctx.scalar(n);
  return out;
}

function evaluateNormalForm(nf: NormalForm, ctx: Context): Value {
  ctx.prime(nf);
  const scalars = scalarValues(nf, ctx);
  if (nf.isScalar) {
    let s = 0;
    for (const t of nf.terms()) {
      let v = t.coef.evaluate(scalars);
      for (const w of t.traces) v *= traceOf(wordValue(w, ctx));
      s += v;
    }
    return s;
  }
  const rows = ctx.dim(nf.rows, 'evaluate.rows'),
    cols = ctx.dim(nf.cols, 'evaluate.cols');
  const out = new Matrix(rows, cols);
  for (const t of nf.terms()) {
    let c = t.coef.evaluate(scalars);
    for (const w of t.traces) c *= traceOf(wordValue(w, ctx));
    if (t.word.length === 0) {
      for (let i = 0; i < Math.min(rows, cols); i++) out.data[i * cols + i] += c;
    } else {
      const m = wordValue(t.word, ctx);
      for (let i = 0; i < out.data.length; i++) out.data[i] += c * m.data[i];
    }
  }
  return out;
}

function evaluateTree(e: Expr, ctx: Context, cache: Map<Expr, Value>): Value {
  const hit = cache.get(e);
  if (hit !== undefined) return hit;
  let v: Value;
  switch (e.kind) {
    case 'symbol':
      v = ctx.matrix(e);
      break;
    case 'scalar':
      v = ctx.scalar(e.name);
      break;
    case 'const':
      v = e.value.toNumber();
      break;
    case 'identity':
      v = Matrix.identity(ctx.dim(e.rows, 'identity'));
      break;
    case 'zero':
      v = new Matrix(ctx.dim(e.rows, 'zero.rows'), ctx.dim(e.cols, 'zero.cols'));
      break;
    case 'product': {
      let s = 1;
      let m: Matrix | undefined;
      for (const f of e.factors) {
        const x = evaluateTree(f, ctx, cache);
        if (typeof x === 'number') s *= x;
        else m = m === undefined ? x : multiply(m, x);
      }
      v = m === undefined ? s : scaled(s, m);
      break;
    }
    case 'sum': {
      const parts = e.terms.map((t) => evaluateTree(t, ctx, cache));
      if (typeof parts[0] === 'number') v = (parts as number[]).reduce((a, b) => a + b, 0);
      else {
        const out = new Matrix((parts[0] as Matrix).rows, (parts[0] as Matrix).cols);
        for (const p of parts as Matrix[]) {
          if (p.rows !== out.rows || p.cols !== out.cols) throw new ShapeError('evaluate sum term', out.shape, p.shape);
          for (let i = 0; i < out.data.length; i++) out.data[i] += p.data[i];
        }
        v = out;
      }
      break;
    }
    case 'transpose': {
      const a = evaluateTree(e.arg, ctx, cache);
      v = typeof a === 'number' ? a : transposeMatrix(a);
      break;
    }
    case 'trace': {
      const a = evaluateTree(e.arg, ctx, cache);
      v = typeof a === 'number' ? a : traceOf(a);
      break;
    }
    case 'inner': {
      const a = evaluateTree(e.left, ctx, cache),
        b = evaluateTree(e.right, ctx, cache);
      if (typeof a === 'number' || typeof b === 'number') v = (a as number) * (b as number);
      else {
        let s = 0;
        for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
        v = s;
      }
      break;
    }
    case 'definition':
      v = evaluateTree(e.body, ctx, cache);
      break;
  }
  cache.set(e, v);
  return v;
}

function scaled(s: number, m: Matrix): Matrix {
  if (s === 1) return m;
  const out = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.data.length; i++) out.data[i] = s * m.data[i];
  return out;
}

/** The value of an expression tree or normal form (a number for a scalar expression). */
export function evaluate(e: Expr | NormalForm, bindings: Bindings): Value {
  const ctx = new Context(bindings);
  if (!(e instanceof NormalForm)) for (const sym of symbolsOf(e).values()) if (sym.kind === 'symbol') ctx.matrix(sym);
  const v = e instanceof NormalForm ? evaluateNormalForm(e, ctx) : evaluateTree(e, ctx, new Map());
  // Never hand out a bound matrix itself: the caller may write into the result.
  return typeof v !== 'number' && Object.values(bindings.matrices).includes(v) ? v.clone() : v;
}

export function evaluateMatrix(e: Expr | NormalForm, bindings: Bindings): Matrix {
  const v = evaluate(e, bindings);
  if (typeof v === 'number') throw new ShapeError('evaluateMatrix', 'a matrix expression', 'a scalar');
  return v;
}

export function evaluateScalar(e: Expr | NormalForm, bindings: Bindings): number {
  const v = evaluate(e, bindings);
  if (typeof v !== 'number') throw new ShapeError('evaluateScalar', 'a scalar expression', v.shape);
  return v;
}
