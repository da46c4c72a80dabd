import { derivative, type MathNode, parse } from 'mathjs';
import { DomainError, ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { Rng } from '../random/rng.js';
import { resolveDim } from './dimension.js';
import { evaluateMatrix } from './evaluate.js';
import { type Expr, type MatrixSymbol, symbolsOf } from './expr.js';
import { identifierName } from './names.js';
import { NormalForm } from './normal-form.js';
import { normalFormToExpr } from './normalize.js';

/**
 * The scalar side, through mathjs: an expression on small concrete shapes is expanded entrywise, every matrix entry
 * becoming a scalar symbol (W_1[i,j] → "W_1__i_j"), and mathjs differentiates the resulting scalar polynomial
 * entry by entry. This is an INDEPENDENT check of the matrix-form gradient: it never uses the matrix rules, and
 * it never asks mathjs to differentiate a matrix symbol (mathjs treats products as commutative:
 * derivative('A*x*B', 'x') = B*A, wrong for matrices).
 */
export type EntryMatrix = string[][];

/** The mathjs identifier of entry (i, j) of a matrix symbol. */
export function entryName(sym: MatrixSymbol | string, i: number, j: number): string {
  return `${identifierName(typeof sym === 'string' ? sym : sym.name)}__${i}_${j}`;
}

const isZero = (s: string): boolean => s === '0';

function times(a: string, b: string): string {
  if (isZero(a) || isZero(b)) return '0';
  if (a === '1') return b;
  if (b === '1') return a;
  return `${a}*${b}`;
}

function plus(parts: string[]): string {
  const nz = parts.filter((p) => !isZero(p));
  if (nz.length === 0) return '0';
  return nz.length === 1 ? nz[0] : `(${nz.join(' + ')})`;
}

function wrap(s: string): string {
  return /^[A-Za-z0-9_.]+$/.test(s) || (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1)))
    ? s
    : `(${s})`;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')' && --d < 0) return false;
  }
  return d === 0;
}

function matmul(a: EntryMatrix, b: EntryMatrix): EntryMatrix {
  const m = a.length,
    k = b.length,
    n = b[0]?.length ?? 0;
  if ((a[0]?.length ?? 0) !== k)
    throw new ShapeError('entrywise product', `${a[0]?.length ?? 0} rows on the right`, `${k}`);
  return Array.from({ length: m }, (_, i) =>
    Array.from({ length: n }, (_, j) => plus(Array.from({ length: k }, (_, p) => times(wrap(a[i][p]), wrap(b[p][j]))))),
  );
}

function scalarTimes(s: string, a: EntryMatrix): EntryMatrix {
  return a.map((row) => row.map((v) => times(wrap(s), wrap(v))));
}

/**
 * Entry matrices of an expression on concrete shapes (named dimensions resolved through `dims`); a scalar gives
 * a 1×1 matrix. Entries are mathjs expression texts.
 */
export function entrywise(e: Expr | NormalForm, dims: Readonly<Record<string, number>>): EntryMatrix {
  const tree = e instanceof NormalForm ? normalFormToExpr(e) : e;
  const cache = new Map<Expr, EntryMatrix>();
  const size = (d: Expr['rows'], what: string): number => resolveDim(d, dims, what);
  const go = (x: Expr): EntryMatrix => {
    const hit = cache.get(x);
    if (hit) return hit;
    let out: EntryMatrix;
    switch (x.kind) {
      case 'symbol': {
        const r = size(x.rows, `${x.name}.rows`),
          c = size(x.cols, `${x.name}.cols`);
        out = Array.from({ length: r }, (_, i) =>
          Array.from({ length: c }, (_, j) => (x.symmetric && j < i ? entryName(x, j, i) : entryName(x, i, j))),
        );
        break;
      }
      case 'scalar':
        out = [[identifierName(x.name)]];
        break;
      case 'const':
        out = [[x.value.isInteger() ? x.value.toString() : `(${x.value.num}/${x.value.den})`]];
        break;
      case 'identity': {
        const n = size(x.rows, 'identity');
        out = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? '1' : '0')));
        break;
      }
      case 'zero':
        out = Array.from({ length: size(x.rows, 'zero.rows') }, () =>
          new Array<string>(size(x.cols, 'zero.cols')).fill('0'),
        );
        break;
      case 'product': {
        let scalar = '1';
        let m: EntryMatrix | undefined;
        for (const f of x.factors) {
          const v = go(f);
          if (f.isScalar) scalar = times(wrap(scalar), wrap(v[0][0]));
          else m = m === undefined ? v : matmul(m, v);
        }
        out = m === undefined ? [[scalar]] : scalar === '1' ? m : scalarTimes(scalar, m);
        break;
      }
      case 'sum': {
        const parts = x.terms.map(go);
        out = parts[0].map((row, i) => row.map((_, j) => plus(parts.map((p) => p[i][j]))));
        break;
      }
      case 'transpose': {
        const a = go(x.arg);
        out = (a[0] ?? []).map((_, j) => a.map((row) => row[j]));
        break;
      }
      case 'trace': {
        const a = go(x.arg);
        out = [[plus(a.map((row, i) => row[i]))]];
        break;
      }
      case 'inner': {
        const a = go(x.left),
          b = go(x.right);
        out = [[plus(a.flatMap((row, i) => row.map((v, j) => times(wrap(v), wrap(b[i][j])))))]];
        break;
      }
      case 'definition':
        out = go(x.body);
        break;
    }
    cache.set(x, out);
    return out;
  };
  return go(tree);
}

/** The mathjs text of a scalar expression expanded entrywise. */
export function entrywiseScalar(e: Expr | NormalForm, dims: Readonly<Record<string, number>>): string {
  const m = entrywise(e, dims);
  if (m.length !== 1 || m[0].length !== 1)
    throw new ShapeError('entrywiseScalar', 'a scalar expression', `${m.length}×${m[0]?.length ?? 0}`);
  return m[0][0];
}

export interface EntrywiseGradientCheck {
  /** Every entry of the claimed gradient equals mathjs's partial derivative at the test points. */
  readonly holds: boolean;
  /** max over points and entries of |claimed − mathjs|. */
  readonly maxAbsDifference: number;
  /** The tolerance: 0 for exact (integer point, dyadic coefficients) arithmetic, else a few ulps of the scale. */
  readonly bound: number;
  readonly entries: number;
  readonly points: number;
  /** The first point where they differ most, with both gradients (for reports). */
  readonly mathjsGradient: Matrix;
  readonly claimedGradient: Matrix;
  readonly detail: string;
}

export interface EntrywiseOptions {
  /** Sizes of every named dimension. */
  dims: Readonly<Record<string, number>>;
  /** Values of scalar symbols (η, λ…); default: small integers drawn from the seed. */
  scalars?: Readonly<Record<string, number>>;
  seed?: number;
  /**
   * Entries are integers drawn uniformly from [−range, range] (default 5): the arithmetic stays exact. A wider range
   * makes accidental agreement (e.g. a symmetric draw hiding a missing transpose) rarer.
   */
  range?: number;
  /** Number of random points (default 3; a polynomial identity test, Schwartz–Zippel style). */
  points?: number;
}

/**
 * Compare a claimed matrix-form gradient ∂f/∂X with the entrywise mathjs derivative of f on concrete shapes, at
 * random integer points (exact float64 arithmetic when coefficients are dyadic and values stay below 2^53).
 */
export function crossCheckGradient(
  f: Expr,
  x: MatrixSymbol,
  claimed: Expr | NormalForm,
  options: EntrywiseOptions,
): EntrywiseGradientCheck {
  if (!f.isScalar) throw new ShapeError('crossCheckGradient.f', 'a scalar expression', `${f.rows}×${f.cols}`);
  const range = options.range ?? 5;
  const nPoints = options.points ?? 3;
  if (!Number.isInteger(range) || range < 1)
    throw new DomainError('options.range', `must be a positive integer, received ${range}`);
  const rows = resolveDim(x.rows, options.dims, `${x.name}.rows`),
    cols = resolveDim(x.cols, options.dims, `${x.name}.cols`);
  const node: MathNode = parse(entrywiseScalar(f, options.dims));
  const partials = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => derivative(node, entryName(x, i, j), { simplify: false }).compile()),
  );
  const symbols = [
    ...symbolsOf(f).values(),
    ...symbolsOf(claimed instanceof NormalForm ? normalFormToExpr(claimed) : claimed).values(),
  ];
  const rng = new Rng(options.seed ?? 1);
  let worst = -1,
    bound = 0,
    worstM = new Matrix(rows, cols),
    worstC = new Matrix(rows, cols);
  let exact = true;
  for (let p = 0; p < nPoints; p++) {
    const matrices: Record<string, Matrix> = {};
    const scalars: Record<string, number> = { ...(options.scalars ?? {}) };
    const scope: Record<string, number> = {};
    for (const s of symbols) {
      if (s.kind === 'scalar') {
        if (scalars[s.name] === undefined) scalars[s.name] = rng.integer(1, range);
        scope[identifierName(s.name)] = scalars[s.name];
        if (!Number.isInteger(scalars[s.name])) exact = false;
        continue;
      }
      if (matrices[s.name]) continue;
      const r = resolveDim(s.rows, options.dims, `${s.name}.rows`),
        c = resolveDim(s.cols, options.dims, `${s.name}.cols`);
      const m = new Matrix(r, c);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < c; j++)
          m.data[i * c + j] = s.symmetric && j < i ? m.data[j * c + i] : rng.integer(-range, range);
      matrices[s.name] = m;
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) scope[entryName(s, i, j)] = m.data[i * c + j];
    }
    const fromMathjs = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) fromMathjs.data[i * cols + j] = Number(partials[i][j].evaluate(scope));
    const fromClaim = evaluateMatrix(claimed, { matrices, scalars, dims: options.dims });
    if (fromClaim.rows !== rows || fromClaim.cols !== cols)
      throw new ShapeError('crossCheckGradient.claimed', `${rows}×${cols}`, fromClaim.shape);
    let diff = 0,
      scale = 0;
    for (let i = 0; i < fromClaim.data.length; i++) {
      diff = Math.max(diff, Math.abs(fromClaim.data[i] - fromMathjs.data[i]));
      scale = Math.max(scale, Math.abs(fromClaim.data[i]), Math.abs(fromMathjs.data[i]));
    }
    if (scale >= 2 ** 52) exact = false;
    bound = Math.max(bound, exact ? 0 : 64 * Number.EPSILON * Math.max(scale, 1));
    if (diff > worst) [worst, worstM, worstC] = [diff, fromMathjs, fromClaim];
  }
  const holds = worst <= bound;
  return {
    holds,
    maxAbsDifference: worst,
    bound,
    entries: rows * cols,
    points: nPoints,
    mathjsGradient: worstM,
    claimedGradient: worstC,
    detail: holds
      ? `all ${rows * cols} entries of ∂f/∂${x.name} agree with mathjs's entrywise derivative at ${nPoints} random integer point(s)${bound === 0 ? ' (exact arithmetic)' : ''}`
      : `∂f/∂${x.name} differs from mathjs's entrywise derivative: max |difference| = ${worst} > ${bound}`,
  };
}
