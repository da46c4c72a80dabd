import { DomainError, ShapeError } from '../errors.js';
import { formatShape, sameDim } from './dimension.js';
import { add, type Expr, inner, lift, type MatrixSymbol, mul, trace, transpose } from './expr.js';
import { NormalForm, type Term } from './normal-form.js';
import { normalize } from './normalize.js';
import { Poly } from './scalar-poly.js';
import { canonicalTraceWord, compareWords, type Letter, type Word } from './word.js';

/**
 * Substitution: replace matrix symbols by matrix expressions (G_j := W_{N:j+1}ᵀ E Xᵀ W_{j−1:1}ᵀ, Ẇ_j := −G_j,
 * W_j := W_j − ηG_j) and scalar symbols by scalar polynomials (t := 0, η := 2…). A transposed letter receives the
 * transposed replacement. Replacements are simultaneous (not applied to each other's output).
 */
export type Replacement = Expr | NormalForm | number;
export type Substitutions = ReadonlyMap<string, Replacement> | Readonly<Record<string, Replacement>>;

interface Prepared {
  matrices: Map<string, { nf: NormalForm; nfT: NormalForm }>;
  scalars: Map<string, Poly>;
}

function prepare(subs: Substitutions): Prepared {
  const entries = subs instanceof Map ? [...subs] : Object.entries(subs);
  const matrices = new Map<string, { nf: NormalForm; nfT: NormalForm }>();
  const scalars = new Map<string, Poly>();
  for (const [name, value] of entries) {
    const nf = typeof value === 'number' ? NormalForm.scalar(value) : normalize(value);
    if (nf.isScalar) {
      const terms = nf.terms();
      if (terms.some((t) => t.traces.length > 0))
        throw new DomainError(
          `substitute.${name}`,
          'a scalar symbol can only be replaced by a polynomial in scalar symbols (no traces)',
        );
      scalars.set(
        name,
        terms.reduce((p, t) => p.add(t.coef), Poly.ZERO),
      );
    } else {
      matrices.set(name, { nf, nfT: nf.transpose() });
    }
  }
  return { matrices, scalars };
}

/** Expand a word with letters replaced: a list of (coef, traces, word) partial terms. */
function expandWord(w: Word, p: Prepared): Term[] {
  let acc: Array<{ coef: Poly; traces: Word[]; word: Letter[] }> = [{ coef: Poly.ONE, traces: [], word: [] }];
  for (const l of w) {
    const r = p.matrices.get(l.sym.name);
    if (!r) {
      for (const a of acc) a.word.push(l);
      continue;
    }
    const rt = (l.t ? r.nfT : r.nf).terms();
    const next: typeof acc = [];
    for (const a of acc)
      for (const t of rt)
        next.push({ coef: a.coef.mul(t.coef), traces: [...a.traces, ...t.traces], word: [...a.word, ...t.word] });
    acc = next;
  }
  return acc;
}

function checkShapes(nf: NormalForm, p: Prepared): void {
  const seen = new Map<string, MatrixSymbol>();
  for (const t of nf.terms()) for (const w of [t.word, ...t.traces]) for (const l of w) seen.set(l.sym.name, l.sym);
  for (const [name, sym] of seen) {
    const r = p.matrices.get(name);
    if (r && (!sameDim(r.nf.rows, sym.rows) || !sameDim(r.nf.cols, sym.cols))) {
      throw new ShapeError(`substitute.${name}`, formatShape(sym.rows, sym.cols), r.nf.shapeText());
    }
  }
}

/** The normal form of e with the substitutions applied. */
export function substitute(e: Expr | NormalForm, subs: Substitutions): NormalForm {
  const nf = normalize(e);
  const p = prepare(subs);
  checkShapes(nf, p);
  const out: Term[] = [];
  for (const term of nf.terms()) {
    const coef = p.scalars.size > 0 ? term.coef.substitute(p.scalars) : term.coef;
    if (coef.isZero()) continue;
    // Each trace expands into a sum of traces; the term is the product of these sums with the expanded word.
    let partial: Array<{ coef: Poly; traces: Word[]; word: Word }> = [{ coef, traces: [], word: [] }];
    for (const tw of term.traces) {
      const dim = tw[0].t ? tw[0].sym.cols : tw[0].sym.rows;
      const pieces = expandWord(tw, p).map((x) =>
        x.word.length === 0
          ? {
              coef: x.coef.mul(typeof dim === 'number' ? Poly.constant(dim) : Poly.symbol(dim)),
              traces: x.traces as Word[],
            }
          : { coef: x.coef, traces: [...x.traces, canonicalTraceWord(x.word)] },
      );
      const next: typeof partial = [];
      for (const a of partial)
        for (const b of pieces) next.push({ coef: a.coef.mul(b.coef), traces: [...a.traces, ...b.traces], word: [] });
      partial = next;
    }
    const words = expandWord(term.word, p);
    for (const a of partial) {
      for (const w of words)
        out.push({ coef: a.coef.mul(w.coef), traces: [...a.traces, ...w.traces].sort(compareWords), word: w.word });
    }
  }
  return NormalForm.build(nf.rows, nf.cols, nf.isScalar, out);
}

/**
 * The same substitution on an expression tree, keeping its structure for printing. A definition whose body
 * changes loses its name (E := WX − Y is no longer E after W is replaced).
 */
export function substituteExpr(e: Expr, subs: ReadonlyMap<string, Expr> | Readonly<Record<string, Expr>>): Expr {
  const map = subs instanceof Map ? subs : new Map(Object.entries(subs));
  const go = (x: Expr): Expr => {
    switch (x.kind) {
      case 'symbol':
      case 'scalar': {
        const r = map.get(x.name);
        if (!r) return x;
        const rr = lift(r);
        if (x.kind === 'symbol' && (rr.isScalar || !sameDim(rr.rows, x.rows) || !sameDim(rr.cols, x.cols))) {
          throw new ShapeError(
            `substitute.${x.name}`,
            formatShape(x.rows, x.cols),
            rr.isScalar ? 'a scalar' : formatShape(rr.rows, rr.cols),
          );
        }
        if (x.kind === 'scalar' && !rr.isScalar)
          throw new ShapeError(`substitute.${x.name}`, 'a scalar', formatShape(rr.rows, rr.cols));
        return rr;
      }
      case 'const':
      case 'identity':
      case 'zero':
        return x;
      case 'product': {
        const f = x.factors.map(go);
        return f.every((v, i) => v === x.factors[i]) ? x : mul(...f);
      }
      case 'sum': {
        const t = x.terms.map(go);
        return t.every((v, i) => v === x.terms[i]) ? x : add(...t);
      }
      case 'transpose': {
        const a = go(x.arg);
        return a === x.arg ? x : transpose(a);
      }
      case 'trace': {
        const a = go(x.arg);
        return a === x.arg ? x : trace(a);
      }
      case 'inner': {
        const l = go(x.left),
          r = go(x.right);
        return l === x.left && r === x.right ? x : inner(l, r);
      }
      case 'definition': {
        const b = go(x.body);
        return b === x.body ? x : b;
      }
    }
  };
  return go(e);
}
