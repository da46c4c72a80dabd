import { type Format, moreTerms } from '../notation.js';
import { Rational } from '../rational.js';
import { Poly } from '../scalar-poly.js';
import { Affine } from './affine.js';
import {
  add,
  constant,
  type Dim,
  dimKey,
  type IExpr,
  identity,
  interval,
  mul,
  scalar,
  sigma,
  symbol,
  trace,
  transpose,
  zero,
} from './expr.js';
import type { Assumptions } from './inequalities.js';
import { printIExpr } from './print.js';
import type { RuleLog } from './rules.js';

/**
 * The normal form of an expression with symbolic sizes: a sum of monomials coef · Σ_{binders} tr(t_1)⋯tr(t_r) · w,
 * where w and the t_i are words of letters (an interval product F_{b:a} or a plain symbol, possibly transposed).
 * Canonicalization applies, under the side conditions in force (the stated assumptions plus each sum's own range):
 * empty intervals become I, adjacent intervals of one family merge (F_{c:b+1}F_{b:a} = F_{c:a} when
 * a ≤ b + 1 ≤ c + 1; inside traces also cyclically), traces take their least rotation/transposition, bound indices
 * get canonical names, sums of a term free of their index become a factor (hi − lo + 1), and like terms are
 * collected. A rewrite whose side condition cannot be proved is not done.
 */
export type Atom =
  | {
      readonly kind: 'interval';
      readonly family: string;
      readonly hi: Affine;
      readonly lo: Affine;
      readonly square: boolean;
    }
  | { readonly kind: 'symbol'; readonly name: string; readonly rows: Dim; readonly cols: Dim };

export interface Letter {
  readonly atom: Atom;
  readonly t: boolean;
}
export type Word = readonly Letter[];

export interface Binder {
  readonly index: string;
  readonly lo: Affine;
  readonly hi: Affine;
}

export interface Term {
  readonly coef: Poly;
  readonly binders: readonly Binder[];
  readonly traces: readonly Word[];
  readonly word: Word;
}

export interface Form {
  readonly rows: Dim;
  readonly cols: Dim;
  readonly isScalar: boolean;
  readonly terms: readonly Term[];
}

// ---------- letters and words ----------

export function atomKey(a: Atom): string {
  return a.kind === 'interval' ? `${a.family}{${a.hi.toString()}:${a.lo.toString()}}` : a.name;
}

const letterKey = (l: Letter): string => (l.t ? `${atomKey(l.atom)}'` : atomKey(l.atom));
export const wordKey = (w: Word): string => w.map(letterKey).join(' ');

export function transposeWord(w: Word): Word {
  return [...w].reverse().map((l) => ({ atom: l.atom, t: !l.t }));
}

function mapAtoms(w: Word, f: (a: Affine) => Affine): Word {
  return w.map((l) =>
    l.atom.kind === 'interval' ? { t: l.t, atom: { ...l.atom, hi: f(l.atom.hi), lo: f(l.atom.lo) } } : l,
  );
}

function renameTerm(t: Term, from: string, to: Affine): Term {
  const m = new Map([[from, to]]);
  const f = (a: Affine): Affine => a.substitute(m);
  return {
    coef: t.coef,
    binders: t.binders.map((b) => ({ index: b.index, lo: f(b.lo), hi: f(b.hi) })),
    traces: t.traces.map((w) => mapAtoms(w, f)),
    word: mapAtoms(t.word, f),
  };
}

/** The interval (or symbol) an atom stands for, with bounds optionally replaced. */
export function atomExpr(a: Atom, hi?: Affine, lo?: Affine): IExpr {
  return a.kind === 'interval' ? interval(a.family, hi ?? a.hi, lo ?? a.lo, a.square) : symbol(a.name, a.rows, a.cols);
}

function letterRows(l: Letter): Dim {
  const e = atomExpr(l.atom);
  return l.t ? e.cols : e.rows;
}

// ---------- expansion ----------

let fresh = 0;

/** Expand products over sums, push transposes onto letters, turn traces into trace words. */
export function expand(e: IExpr): Term[] {
  switch (e.kind) {
    case 'interval':
      return [
        {
          coef: Poly.ONE,
          binders: [],
          traces: [],
          word: [{ atom: { kind: 'interval', family: e.family, hi: e.hi, lo: e.lo, square: e.square }, t: false }],
        },
      ];
    case 'symbol':
      return [
        {
          coef: Poly.ONE,
          binders: [],
          traces: [],
          word: [{ atom: { kind: 'symbol', name: e.name, rows: e.rows, cols: e.cols }, t: false }],
        },
      ];
    case 'scalar':
      return [{ coef: Poly.symbol(e.name), binders: [], traces: [], word: [] }];
    case 'const':
      return e.value.isZero() ? [] : [{ coef: Poly.constant(e.value), binders: [], traces: [], word: [] }];
    case 'identity':
      return [{ coef: Poly.ONE, binders: [], traces: [], word: [] }];
    case 'zero':
      return [];
    case 'product':
      return e.factors.map(expand).reduce((acc, f) => {
        const out: Term[] = [];
        for (const a of acc) for (const b of f) out.push(multiplyTerms(a, b));
        return out;
      });
    case 'sum':
      return e.terms.flatMap(expand);
    case 'transpose':
      return expand(e.arg).map((t) => ({ ...t, word: transposeWord(t.word) }));
    case 'trace': {
      const dimPoly = Poly.symbol(dimKey(e.arg.rows));
      return expand(e.arg).map((t) =>
        t.word.length === 0
          ? { ...t, coef: t.coef.mul(dimPoly) }
          : { coef: t.coef, binders: t.binders, traces: [...t.traces, t.word], word: [] },
      );
    }
    case 'inner':
      return expand(trace(mul(transpose(e.left), e.right)));
    case 'sigma': {
      const index = `${e.index}#${++fresh}`;
      return expand(e.body).map((t) => {
        const r = renameTerm(t, e.index, Affine.variable(index));
        return { ...r, binders: [{ index, lo: e.lo, hi: e.hi }, ...r.binders] };
      });
    }
  }
}

function multiplyTerms(a: Term, b: Term): Term {
  return {
    coef: a.coef.mul(b.coef),
    binders: [...a.binders, ...b.binders],
    traces: [...a.traces, ...b.traces],
    word: [...a.word, ...b.word],
  };
}

// ---------- canonicalization ----------

/** F_{c:x}·F_{b:a} → F_{c:a} when x = b + 1 and a ≤ b + 1 ≤ c + 1 (transposed: F_{b:a}ᵀF_{c:x}ᵀ → F_{c:a}ᵀ). */
function mergePair(l1: Letter, l2: Letter, ctx: Assumptions, log: RuleLog): Letter | undefined {
  if (l1.t !== l2.t) return undefined;
  const [upper, lower] = l1.t ? [l2.atom, l1.atom] : [l1.atom, l2.atom];
  if (
    upper.kind !== 'interval' ||
    lower.kind !== 'interval' ||
    upper.family !== lower.family ||
    upper.square !== lower.square
  )
    return undefined;
  const joint = lower.hi.add(1);
  if (!ctx.provesEq(upper.lo, joint)) return undefined;
  if (!ctx.provesLe(lower.lo, joint) || !ctx.provesLe(joint, upper.hi.add(1))) return undefined;
  const merged: Atom = { ...upper, lo: lower.lo };
  log.note(
    'merge',
    [atomExpr(upper), atomExpr(lower)],
    atomExpr(merged),
    `${lower.lo.toText()} ≤ ${joint.toText()} ≤ ${upper.hi.add(1).toText()}`,
  );
  return { atom: merged, t: l1.t };
}

/** Intervals F_{b:a} with a > b provable are I. */
function isEmptyInterval(l: Letter, ctx: Assumptions, log: RuleLog): boolean {
  const a = l.atom;
  if (a.kind !== 'interval' || !ctx.provesLe(a.hi.add(1), a.lo)) return false;
  log.note('empty product', [atomExpr(a)], identity(atomExpr(a).rows), `${a.lo.toText()} > ${a.hi.toText()}`);
  return true;
}

function mergeWord(w: Word, ctx: Assumptions, log: RuleLog, cyclic: boolean): Word {
  const out: Letter[] = [];
  for (const l of w) {
    if (isEmptyInterval(l, ctx, log)) continue;
    const prev = out[out.length - 1];
    const m = prev && mergePair(prev, l, ctx, log);
    if (m) out[out.length - 1] = m;
    else out.push(l);
  }
  // A merge can enable another one with the letter before it.
  for (let i = out.length - 1; i > 0; i--) {
    const m = mergePair(out[i - 1], out[i], ctx, log);
    if (m) out.splice(i - 1, 2, m);
  }
  while (cyclic && out.length > 1) {
    const m = mergePair(out[out.length - 1], out[0], ctx, log);
    if (!m) break;
    out.splice(out.length - 1, 1);
    out[0] = m;
  }
  return out;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The least rotation of w or wᵀ (tr is cyclic and transpose-invariant). */
function canonicalTrace(w: Word): Word {
  let best = w,
    bestKey = wordKey(w);
  for (const cand of [w, transposeWord(w)]) {
    for (let p = 0; p < cand.length; p++) {
      const r = [...cand.slice(p), ...cand.slice(0, p)];
      const k = wordKey(r);
      if (compareKeys(k, bestKey) < 0) [best, bestKey] = [r, k];
    }
  }
  return best;
}

const PREFERRED_INDICES = ['j', 'k', 'i', 'l', 'p', 'q', 'r', 's'];

function termVariables(t: Term): Set<string> {
  const s = new Set<string>();
  const visit = (w: Word): void =>
    w.forEach((l) => {
      if (l.atom.kind === 'interval') [...l.atom.hi.variables, ...l.atom.lo.variables].forEach((v) => s.add(v));
    });
  visit(t.word);
  t.traces.forEach(visit);
  t.binders.forEach((b) => [...b.lo.variables, ...b.hi.variables].forEach((v) => s.add(v)));
  return s;
}

function canonicalTerm(
  t0: Term,
  assumptions: Assumptions,
  log: RuleLog,
  freeVars: ReadonlySet<string>,
): Term | undefined {
  let t = t0;
  let ctx = assumptions;
  const binders: Binder[] = [];
  let coef = t.coef;
  for (const b of t.binders) {
    if (ctx.provesLe(b.hi, b.lo.add(-1))) {
      log.note('empty sum', [], undefined, `${b.hi.toText()} < ${b.lo.toText()}`);
      return undefined;
    }
    ctx = ctx.within(b.index, b.lo, b.hi);
    binders.push(b);
  }
  const word = mergeWord(t.word, ctx, log, false);
  const traces: Word[] = [];
  for (const tw of t.traces) {
    const m = mergeWord(tw, ctx, log, true);
    if (m.length === 0) coef = coef.mul(Poly.symbol(dimKey(letterRows(tw[0]))));
    else traces.push(canonicalTrace(m));
  }
  traces.sort((a, b) => compareKeys(wordKey(a), wordKey(b)));
  t = { coef, binders: [], traces, word };
  // Sums whose index no longer occurs become a count; the others get canonical index names, outermost first.
  const kept: Binder[] = [];
  for (const b of binders) {
    const used = termVariables({ ...t, binders: binders.filter((x) => x !== b) }).has(b.index);
    if (!used && ctx.provesLe(b.lo.add(-1), b.hi)) {
      const count = b.hi.sub(b.lo).add(1);
      log.note(
        'constant summand',
        [],
        undefined,
        `Σ_{${b.index.split('#')[0]}=${b.lo.toText()}}^{${b.hi.toText()}} 1 = ${count.toText()}`,
      );
      t = { ...t, coef: t.coef.mul(affinePoly(count)) };
    } else kept.push(b);
  }
  // Through temporary names first, so no final name captures another binder's current one.
  const taken = new Set(freeVars);
  let out: Term = { ...t, binders: kept };
  const names = kept.map((_b, i) => {
    const name = PREFERRED_INDICES.find((n) => !taken.has(n)) ?? `k${i}`;
    taken.add(name);
    return name;
  });
  for (const final of [false, true]) {
    kept.forEach((b, i) => {
      const from = final ? `${names[i]}#tmp` : b.index,
        to = final ? names[i] : `${names[i]}#tmp`;
      out = renameTerm(out, from, Affine.variable(to));
      out = { ...out, binders: out.binders.map((x, k) => (k === i ? { ...x, index: to } : x)) };
    });
  }
  return out;
}

function affinePoly(a: Affine): Poly {
  let p = Poly.constant(a.constant);
  for (const v of a.variables) p = p.add(Poly.symbol(v).mul(Poly.constant(a.coefficient(v))));
  return p;
}

export function termKey(t: Term): string {
  const b = t.binders.map((x) => `Σ${x.index}=${x.lo.toString()}..${x.hi.toString()}`).join(',');
  return `${b}|${t.traces.map((w) => `tr(${wordKey(w)})`).join(',')}|${wordKey(t.word)}`;
}

/** Canonicalize and collect like terms. */
export function canonicalize(
  terms: readonly Term[],
  shape: { rows: Dim; cols: Dim; isScalar: boolean },
  ctx: Assumptions,
  log: RuleLog,
): Form {
  const free = new Set<string>();
  for (const f of ctx.facts) f.variables.forEach((v) => free.add(v));
  for (const t of terms)
    termVariables(t).forEach((v) => {
      if (!v.includes('#') && !t.binders.some((b) => b.index === v)) free.add(v);
    });
  const map = new Map<string, Term>();
  for (const t0 of terms) {
    const t = canonicalTerm(t0, ctx, log, free);
    if (!t || t.coef.isZero()) continue;
    const key = termKey(t);
    const prev = map.get(key);
    const coef = prev ? prev.coef.add(t.coef) : t.coef;
    if (coef.isZero()) map.delete(key);
    else map.set(key, { ...t, coef });
  }
  const sorted = [...map.entries()].sort(([a], [b]) => compareKeys(a, b)).map(([, t]) => t);
  return { ...shape, terms: sorted };
}

/** Normalize an expression under assumptions. */
export function normalForm(e: IExpr, ctx: Assumptions, log: RuleLog): Form {
  return canonicalize(expand(e), e, ctx, log);
}

// ---------- back to expressions ----------

function letterExpr(l: Letter): IExpr {
  const e = atomExpr(l.atom);
  return l.t ? transpose(e) : e;
}

const isOne = (p: Poly): boolean => p.equals(Poly.ONE);

function polyExpr(p: Poly): IExpr[] {
  return p.entries().map(({ mono, coef }) => {
    const f: IExpr[] = coef.equals(Rational.ONE) ? [] : [constant(coef)];
    for (const [name, k] of mono) for (let i = 0; i < k; i++) f.push(scalar(name));
    return f.length === 0 ? constant(1) : mul(...f);
  });
}

/** A term as an expression tree (for printing, substitution and instantiation). */
export function termExpr(t: Term, shape: { rows: Dim; isScalar: boolean }): IExpr {
  const coefParts = polyExpr(t.coef);
  const coef = coefParts.length === 1 ? coefParts[0] : add(...coefParts);
  const factors: IExpr[] = [...(isOne(t.coef) ? [] : [coef]), ...t.traces.map((w) => trace(mul(...w.map(letterExpr))))];
  if (t.word.length > 0) factors.push(...t.word.map(letterExpr));
  else if (!shape.isScalar) factors.push(identity(shape.rows));
  let e = mul(...factors);
  for (let i = t.binders.length - 1; i >= 0; i--) e = sigma(t.binders[i].index, t.binders[i].lo, t.binders[i].hi, e);
  return e;
}

export function formExpr(f: Form): IExpr {
  if (f.terms.length === 0) return f.isScalar ? constant(0) : zero(f.rows, f.cols);
  return add(...f.terms.map((t) => termExpr(t, f)));
}

/** A normal form as a signed sum of monomials ("0" when empty), at most maxTerms of them. */
export function printForm(form: Form, f: Format = 'text', maxTerms?: number): string {
  if (form.terms.length === 0) return '0';
  const shown =
    maxTerms !== undefined && form.terms.length > maxTerms ? { ...form, terms: form.terms.slice(0, maxTerms) } : form;
  const more = form.terms.length - shown.terms.length;
  const body = printIExpr(formExpr(shown), f);
  return more === 0 ? body : body + moreTerms(more, f);
}
