import { DlnvError } from '../../errors.js';
import { Matrix } from '../../linalg/matrix.js';
import { gaussianMatrix } from '../../random/gaussian-matrix.js';
import { Rng } from '../../random/rng.js';
import type { Dim } from '../dimension.js';
import { evaluate, type Value } from '../evaluate.js';
import * as C from '../expr.js';
import type { Affine } from './affine.js';
import type { IExpr } from './expr.js';
import type { Assumptions } from './inequalities.js';
import { instantiate, NotAnInstance } from './instantiate.js';

/**
 * The numeric side of an identity with symbolic sizes: instantiate it at small index values that satisfy the side
 * conditions (smallest first), draw random non-square sizes and Gaussian matrices from a seeded Rng, evaluate both
 * sides in float64 and compare. Error model (float64 products of k factors with inner sizes ≤ n, summed):
 *   ‖lhs − rhs‖_F ≤ ROUNDING_C · k · n · ε · (‖|lhs|‖_F + ‖|rhs|‖_F), k = roundings on the longest path,
 * where |·| evaluates the same expression on the entrywise absolute values of every matrix, scalar and constant
 * (the classical running bound |fl(AB) − AB| ≤ γ_n|A||B|). A difference above it is a counterexample.
 */
export const ROUNDING_C = 4;
/** Index values tried: 0..MAX_INDEX for every free index variable. */
export const MAX_INDEX = 7;
/** Random sizes of named dimensions. */
export const SIZE_RANGE: readonly [number, number] = [2, 5];

export interface Instance {
  readonly indices: Readonly<Record<string, number>>;
  readonly sizes: Readonly<Record<string, number>>;
  readonly measured: number;
  readonly bound: number;
  readonly holds: boolean;
}

export interface NumericReport {
  readonly seed: number;
  readonly instances: readonly Instance[];
  /** The first instance where the two sides differ beyond round-off. */
  readonly counterexample?: Instance;
  readonly errorModel: string;
}

/** The free index variables (N, j…): bound summation indices excluded. */
export function freeIndices(e: IExpr, bound: ReadonlySet<string> = new Set(), out = new Set<string>()): Set<string> {
  const add = (a: Affine): void =>
    a.variables.forEach((v) => {
      if (!bound.has(v)) out.add(v);
    });
  switch (e.kind) {
    case 'interval':
      add(e.hi);
      add(e.lo);
      break;
    case 'symbol':
      for (const d of [e.rows, e.cols]) if (d.index) add(d.index);
      break;
    case 'product':
      e.factors.forEach((f) => freeIndices(f, bound, out));
      break;
    case 'sum':
      e.terms.forEach((f) => freeIndices(f, bound, out));
      break;
    case 'transpose':
    case 'trace':
      freeIndices(e.arg, bound, out);
      break;
    case 'inner':
      freeIndices(e.left, bound, out);
      freeIndices(e.right, bound, out);
      break;
    case 'sigma':
      add(e.lo);
      add(e.hi);
      freeIndices(e.body, new Set([...bound, e.index]), out);
      break;
    default:
      break;
  }
  return out;
}

/** Index assignments satisfying the side conditions, smallest first. */
export function candidateIndices(vars: readonly string[], ctx: Assumptions): Array<Record<string, number>> {
  const out: Array<Record<string, number>> = [];
  const rec = (i: number, acc: Record<string, number>): void => {
    if (i === vars.length) {
      if (ctx.facts.every((f) => f.variables.every((v) => v in acc) && f.evaluate(acc) >= 0)) out.push({ ...acc });
      return;
    }
    for (let v = 0; v <= MAX_INDEX; v++) rec(i + 1, { ...acc, [vars[i]]: v });
  };
  rec(0, {});
  const weight = (a: Record<string, number>): number => Object.values(a).reduce((s, v) => s + v, 0);
  return out.sort((a, b) => weight(a) - weight(b));
}

function absTree(e: C.Expr): C.Expr {
  switch (e.kind) {
    case 'const':
      return C.constant(e.value.abs());
    case 'product':
      return C.mul(...e.factors.map(absTree));
    case 'sum':
      return C.add(...e.terms.map(absTree));
    case 'transpose':
      return C.transpose(absTree(e.arg));
    case 'trace':
      return C.trace(absTree(e.arg));
    case 'inner':
      return C.inner(absTree(e.left), absTree(e.right));
    default:
      return e;
  }
}

function frob(v: Value): number {
  if (typeof v === 'number') return Math.abs(v);
  let s = 0;
  for (const x of v.data) s += x * x;
  return Math.sqrt(s);
}

function difference(a: Value, b: Value): number {
  if (typeof a === 'number' || typeof b === 'number') return Math.abs((a as number) - (b as number));
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return Math.sqrt(s);
}

/** Roundings on the longest path through the tree: one per factor of a product, one per term of a sum. */
function roundingDepth(e: C.Expr): number {
  switch (e.kind) {
    case 'product':
      return e.factors.reduce((s, f) => s + roundingDepth(f), 0);
    case 'sum':
      return e.terms.length + Math.max(...e.terms.map(roundingDepth));
    case 'transpose':
    case 'trace':
      return roundingDepth(e.arg);
    case 'inner':
      return roundingDepth(e.left) + roundingDepth(e.right);
    default:
      return 1;
  }
}

/** Evaluate lhs and rhs at one index assignment with random sizes and values drawn from rng. */
export function compareAt(lhs: IExpr, rhs: IExpr, indices: Record<string, number>, rng: Rng): Instance {
  const l = instantiate(lhs, indices),
    r = instantiate(rhs, indices);
  const symbols = new Map([...C.symbolsOf(l), ...C.symbolsOf(r)]);
  const sizes: Record<string, number> = {};
  const size = (d: Dim): number => {
    if (typeof d === 'number') return d;
    sizes[d] ??= rng.integer(SIZE_RANGE[0], SIZE_RANGE[1]);
    return sizes[d];
  };
  const matrices: Record<string, Matrix> = {},
    absMatrices: Record<string, Matrix> = {};
  const scalars: Record<string, number> = {};
  for (const s of [...symbols.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (s.kind === 'scalar') scalars[s.name] = 0.25 + rng.uniform();
    else {
      const cols = size(s.cols);
      const m = gaussianMatrix(rng, size(s.rows), cols, 1 / Math.sqrt(cols));
      matrices[s.name] = m;
      absMatrices[s.name] = new Matrix(m.rows, m.cols, m.data.map(Math.abs));
    }
  }
  const dimsOf = (e: C.Expr): void => {
    if (e.kind === 'identity' || e.kind === 'zero') {
      size(e.rows);
      size(e.cols);
    }
    if (e.kind === 'product') e.factors.forEach(dimsOf);
    if (e.kind === 'sum') e.terms.forEach(dimsOf);
    if (e.kind === 'transpose' || e.kind === 'trace') dimsOf(e.arg);
    if (e.kind === 'inner') {
      dimsOf(e.left);
      dimsOf(e.right);
    }
  };
  dimsOf(l);
  dimsOf(r);
  const b = { matrices, scalars, dims: sizes };
  const lv = evaluate(l, b),
    rv = evaluate(r, b);
  const ab = { matrices: absMatrices, scalars, dims: sizes };
  const magnitude = frob(evaluate(absTree(l), ab)) + frob(evaluate(absTree(r), ab));
  const k = Math.max(roundingDepth(l), roundingDepth(r));
  const n = Math.max(1, ...Object.values(sizes));
  const bound = ROUNDING_C * k * n * Number.EPSILON * magnitude;
  const measured = difference(lv, rv);
  return { indices, sizes, measured, bound, holds: Number.isFinite(measured) && measured <= bound };
}

export const ERROR_MODEL =
  `‖lhs − rhs‖_F ≤ ${ROUNDING_C}·k·n·ε·(‖|lhs|‖_F + ‖|rhs|‖_F) ` +
  `(k: roundings on the longest path, one per factor and per summand; n: largest size; ` +
  `|·|: the same expression on entrywise absolute values)`;

/**
 * Compare at up to maxInstances index assignments (smallest first; when there are fewer, the same ones again with
 * new random sizes and values); stop at the first counterexample.
 */
export function numericCheck(lhs: IExpr, rhs: IExpr, ctx: Assumptions, seed: number, maxInstances = 6): NumericReport {
  const vars = [
    ...new Set([...freeIndices(lhs), ...freeIndices(rhs), ...ctx.facts.flatMap((f) => f.variables)]),
  ].sort();
  const rng = new Rng(seed);
  const instances: Instance[] = [];
  const candidates = candidateIndices(vars, ctx).slice(0, 4 * maxInstances);
  for (
    let attempt = 0;
    attempt < 3 * maxInstances && instances.length < maxInstances && candidates.length > 0;
    attempt++
  ) {
    const indices = candidates[attempt % candidates.length];
    let inst: Instance;
    try {
      inst = compareAt(lhs, rhs, indices, rng);
    } catch (e) {
      if (e instanceof NotAnInstance || (e instanceof DlnvError && e.code === 'shape')) continue;
      throw e;
    }
    instances.push(inst);
    if (!inst.holds) return { seed, instances, counterexample: inst, errorModel: ERROR_MODEL };
  }
  return { seed, instances, errorModel: ERROR_MODEL };
}
