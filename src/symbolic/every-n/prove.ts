import type { DerivationStep } from '../../claims/derivation.js';
import { DlnvError } from '../../errors.js';
import { Affine } from './affine.js';
import { Undecided } from './calculus.js';
import { dimKey, type IExpr, sub } from './expr.js';
import { canonicalize, expand, type Form, printForm, type Term, termKey } from './form.js';
import { Assumptions } from './inequalities.js';
import { type NumericReport, numericCheck } from './numeric.js';
import { type Format, printIExpr, shapeText } from './print.js';
import { RuleLog } from './rules.js';

export type Answer = 'PROVED' | 'REFUTED' | 'UNDECIDED';

export type { DerivationStep };

export interface EveryNResult {
  readonly answer: Answer;
  readonly statement: string;
  readonly assumptions: string;
  /** The derivation, each step one rewrite (rule, instance, side condition). */
  readonly steps: readonly DerivationStep[];
  /** lhs − rhs after normalization when it is not 0. */
  readonly remainder?: string;
  readonly numeric: NumericReport;
  /** Why the answer is UNDECIDED, when it is. */
  readonly reason?: string;
}

export interface ProveOptions {
  readonly assumptions?: Assumptions;
  readonly seed?: number;
  /** Steps that led to lhs and rhs (a derived gradient, a substitution), shown first. */
  readonly preamble?: readonly DerivationStep[];
  readonly instances?: number;
}

export const DEFAULT_SEED = 1;
/** Sums whose length is a known constant up to this are written out. */
const MAX_EXPLICIT = 8;

export function stepsOf(log: RuleLog): DerivationStep[] {
  return log.uses().map((u) => ({
    rule: u.rule,
    text: `${u.text}${u.condition ? `   [${u.condition}]` : ''}${u.count > 1 ? ` (×${u.count})` : ''}`,
    latex:
      u.latex +
      (u.condition ? ` \\quad $[${u.condition.replace(/−/g, '-').replace(/≤/g, '\\le ')}]$` : '') +
      (u.count > 1 ? ` ($\\times${u.count}$)` : ''),
  }));
}

/** The term's words (its product and its traces) with `f` applied to every interval bound. */
function mapBounds(t: Term, f: (a: Affine) => Affine): Pick<Term, 'traces' | 'word'> {
  const mapWord = (w: Term['word']): Term['word'] =>
    w.map((l) =>
      l.atom.kind === 'interval' ? { t: l.t, atom: { ...l.atom, hi: f(l.atom.hi), lo: f(l.atom.lo) } } : l,
    );
  return { traces: t.traces.map(mapWord), word: mapWord(t.word) };
}

/** Term with its outermost sum's index shifted: Σ_{k=lo}^{hi} f(k) = Σ_{k=lo+s}^{hi+s} f(k − s). */
function shifted(t: Term, s: number): Term {
  const b = t.binders[0];
  const m = new Map([[b.index, Affine.variable(b.index).add(-s)]]);
  return {
    ...t,
    binders: [{ index: b.index, lo: b.lo.add(s), hi: b.hi.add(s) }, ...t.binders.slice(1)],
    ...mapBounds(t, (a) => a.substitute(m)),
  };
}

/** The outermost sum's term at index value v. */
function at(t: Term, v: Affine): Term {
  const m = new Map([[t.binders[0].index, v]]);
  const f = (a: Affine): Affine => a.substitute(m);
  return { ...t, binders: t.binders.slice(1).map((x) => ({ ...x, lo: f(x.lo), hi: f(x.hi) })), ...mapBounds(t, f) };
}

function restricted(t: Term, lo: Affine, hi: Affine): Term {
  return { ...t, binders: [{ ...t.binders[0], lo, hi }, ...t.binders.slice(1)] };
}

const summandKey = (t: Term): string =>
  termKey({ ...t, binders: [{ ...t.binders[0], lo: Affine.of(0), hi: Affine.of(0) }, ...t.binders.slice(1)] });

/**
 * Sum alignment, for what canonicalization leaves: write out sums of constant length; for two sums whose summands
 * agree after an index shift (Σ_{k=lo}^{hi} f(k) = Σ_{k=lo+s}^{hi+s} f(k − s)), split both at a common range
 * (peeling first/last terms, valid when lo ≤ L ≤ H + 1 ≤ hi + 1 is provable) so they can cancel.
 */
function alignSums(form: Form, ctx: Assumptions, log: RuleLog): Form {
  let cur = form;
  for (let round = 0; round < 20; round++) {
    let next: Term[] | undefined;
    const terms = cur.terms;
    const constantLength = terms.findIndex((t) => {
      const b = t.binders[0];
      if (!b) return false;
      const len = b.hi.sub(b.lo);
      return len.isConstant() && len.constant < MAX_EXPLICIT;
    });
    if (constantLength >= 0) {
      const t = terms[constantLength],
        b = t.binders[0];
      const n = b.hi.sub(b.lo).constant + 1;
      log.note(
        'write out a sum of known length',
        [],
        undefined,
        `Σ_{${b.index}=${b.lo.toText()}}^{${b.hi.toText()}} has ${Math.max(0, n)} terms`,
      );
      next = [
        ...terms.filter((_, i) => i !== constantLength),
        ...Array.from({ length: Math.max(0, n) }, (_, i) => at(t, b.lo.add(i))),
      ];
    }
    for (let i = 0; !next && i < terms.length; i++) {
      for (let j = i + 1; !next && j < terms.length; j++) {
        const A = terms[i],
          B0 = terms[j];
        if (A.binders.length === 0 || B0.binders.length === 0) continue;
        const shifts = new Set<number>([0]);
        for (const d of [A.binders[0].lo.sub(B0.binders[0].lo), A.binders[0].hi.sub(B0.binders[0].hi)])
          if (d.isConstant()) shifts.add(d.constant);
        for (const s of shifts) {
          const B = s === 0 ? B0 : shifted(B0, s);
          if (summandKey(A) !== summandKey(B)) continue;
          const a = A.binders[0],
            b = B.binders[0];
          const dLo = a.lo.sub(b.lo),
            dHi = a.hi.sub(b.hi);
          if (!dLo.isConstant() || !dHi.isConstant()) continue;
          const L = dLo.constant >= 0 ? a.lo : b.lo,
            H = dHi.constant <= 0 ? a.hi : b.hi;
          if (!ctx.provesLe(L, H.add(1))) continue;
          const pieces = (t: Term): Term[] => {
            const r = t.binders[0];
            const out = [restricted(t, L, H)];
            for (let v = r.lo; !v.equals(L); v = v.add(1)) out.push(at(t, v));
            for (let v = H.add(1); !v.equals(r.hi.add(1)); v = v.add(1)) out.push(at(t, v));
            return out;
          };
          if (s !== 0)
            log.note(
              'shift index',
              [],
              undefined,
              `Σ_{${b.index}=${B0.binders[0].lo.toText()}}^{${B0.binders[0].hi.toText()}} f(${b.index}) = ` +
                `Σ_{${b.index}=${b.lo.toText()}}^{${b.hi.toText()}} f(${b.index}${s > 0 ? '−' : '+'}${Math.abs(s)})`,
            );
          if (!a.lo.equals(L) || !a.hi.equals(H) || !b.lo.equals(L) || !b.hi.equals(H)) {
            log.note(
              'peel first/last terms',
              [],
              undefined,
              `split the sums at the common range ${L.toText()}..${H.toText()} ` +
                `(needs ${L.toText()} ≤ ${H.add(1).toText()})`,
            );
          }
          next = [...terms.filter((_, k) => k !== i && k !== j), ...pieces(A), ...pieces(B)];
          break;
        }
      }
    }
    if (!next) return cur;
    const candidate = canonicalize(next, cur, ctx, log);
    if (candidate.terms.length >= cur.terms.length && constantLength < 0) return cur;
    cur = candidate;
  }
  return cur;
}

/** Normalize lhs − rhs and decide: 0 → the symbolic side holds. */
export function reduceDifference(
  lhs: IExpr,
  rhs: IExpr,
  ctx: Assumptions,
  log: RuleLog,
): { raw: number; remainder: Form } {
  const diff = sub(lhs, rhs);
  const raw = expand(diff);
  const form = canonicalize(raw, diff, ctx, log);
  return { raw: raw.length, remainder: form.terms.length === 0 ? form : alignSums(form, ctx, log) };
}

function sameShape(a: IExpr, b: IExpr): boolean {
  return a.isScalar === b.isScalar && dimKey(a.rows) === dimKey(b.rows) && dimKey(a.cols) === dimKey(b.cols);
}

function describe(e: IExpr, f: Format): string {
  return printIExpr(e, f);
}

/**
 * Prove lhs = rhs for every value of the symbolic indices allowed by the side conditions. PROVED needs lhs − rhs
 * to reduce to 0 AND the numeric instances to agree; a numeric disagreement beyond round-off is REFUTED (with the
 * instance and seed); anything else is UNDECIDED with the remainder.
 */
export function proveEveryN(lhs: IExpr, rhs: IExpr, options: ProveOptions = {}): EveryNResult {
  const ctx = options.assumptions ?? Assumptions.NONE;
  const seed = options.seed ?? DEFAULT_SEED;
  const statement = `${describe(lhs, 'text')} = ${describe(rhs, 'text')}`;
  const log = new RuleLog();
  const steps: DerivationStep[] = [...(options.preamble ?? [])];
  // After a preamble (a derivation, substitutions) this is what is left to prove, written out.
  const rule = options.preamble && options.preamble.length > 0 ? 'to prove' : 'statement';
  steps.push({ rule, text: statement, latex: `$${describe(lhs, 'latex')} = ${describe(rhs, 'latex')}$` });
  let remainder: Form | undefined,
    raw = 0,
    reason: string | undefined;
  const assumptions = ctx.describe();
  if (!sameShape(lhs, rhs)) {
    const numeric: NumericReport = { seed, instances: [], errorModel: 'not evaluated (ill-formed)' };
    return {
      answer: 'UNDECIDED',
      statement,
      assumptions,
      steps,
      numeric,
      reason: `ill-formed: the left side is ${shapeText(lhs)}, the right side ${shapeText(rhs)}`,
    };
  }
  try {
    ({ raw, remainder } = reduceDifference(lhs, rhs, ctx, log));
  } catch (e) {
    if (!(e instanceof Undecided)) throw e;
    reason = e.message;
  }
  steps.push({
    rule: 'expand',
    text: `lhs − rhs expanded: ${raw} monomials (products over sums, transposes on the letters, canonical traces)`,
    latex: `$\\text{lhs} - \\text{rhs}$ expanded: ${raw} monomials`,
  });
  steps.push(...stepsOf(log));
  const zero = remainder !== undefined && remainder.terms.length === 0;
  if (remainder) {
    steps.push(
      zero
        ? { rule: 'collect', text: 'like terms cancel: lhs − rhs = 0', latex: '$\\text{lhs} - \\text{rhs} = 0$' }
        : {
            rule: 'collect',
            text: `lhs − rhs = ${printForm(remainder, 'text', 6)}`,
            latex: `$\\text{lhs} - \\text{rhs} = ${printForm(remainder, 'latex', 6)}$`,
          },
    );
  }
  let numeric: NumericReport;
  try {
    numeric = numericCheck(lhs, rhs, ctx, seed, options.instances);
  } catch (e) {
    if (!(e instanceof DlnvError)) throw e;
    numeric = { seed, instances: [], errorModel: `not evaluated: ${e.message}` };
  }
  const rem = remainder && !zero ? printForm(remainder, 'text', 6) : undefined;
  if (numeric.counterexample) return { answer: 'REFUTED', statement, assumptions, steps, remainder: rem, numeric };
  if (zero && numeric.instances.length > 0) return { answer: 'PROVED', statement, assumptions, steps, numeric };
  if (zero)
    reason =
      'lhs − rhs reduced to 0, but no index values satisfying the side conditions could be instantiated ' +
      'to confirm it numerically';
  return {
    answer: 'UNDECIDED',
    statement,
    assumptions,
    steps,
    remainder: rem,
    numeric,
    reason:
      reason ??
      'lhs − rhs does not reduce to 0 with the rules and side conditions at hand, ' +
        'and no numeric counterexample was found',
  };
}
