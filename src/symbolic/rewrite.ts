import { DomainError, ShapeError } from '../errors.js';
import { formatShape, sameDim } from './dimension.js';
import type { Expr } from './expr.js';
import { NormalForm, type Term } from './normal-form.js';
import { normalize } from './normalize.js';
import { Poly } from './scalar-poly.js';
import {
  canonicalTraceWord,
  compareLetters,
  compareWords,
  rotateWord,
  transposeWord,
  type Word,
  wordRows,
} from './word.js';

/**
 * Side relations as rewrite rules on words: lhs (a word) → rhs, e.g. UᵀU → I for orthonormal columns or
 * VVᵀ → I for an orthogonal V. A rule also applies in its transposed form (lhsᵀ → rhsᵀ), anywhere inside a word,
 * and cyclically inside traces. Rewriting repeats until no rule applies (rules must shorten words).
 */
export interface RewriteRule {
  readonly lhs: Word;
  readonly rhs: NormalForm;
  readonly label: string;
}

/** A rule from a product of symbols (as an expression) to its replacement. */
export function rule(lhs: Expr, rhs: Expr, label?: string): RewriteRule {
  const l = normalize(lhs),
    r = normalize(rhs);
  const terms = l.terms();
  if (
    terms.length !== 1 ||
    terms[0].traces.length > 0 ||
    terms[0].word.length === 0 ||
    !terms[0].coef.equals(Poly.ONE)
  ) {
    throw new DomainError('rule.lhs', 'must be a single product of matrix symbols (a word)');
  }
  if (l.isScalar !== r.isScalar || !sameDim(l.rows, r.rows) || !sameDim(l.cols, r.cols))
    throw new ShapeError('rule.rhs', formatShape(l.rows, l.cols), r.shapeText());
  return { lhs: terms[0].word, rhs: r, label: label ?? 'rule' };
}

function startsWith(w: Word, at: number, lhs: Word): boolean {
  if (at + lhs.length > w.length) return false;
  for (let i = 0; i < lhs.length; i++) if (compareLetters(w[at + i], lhs[i]) !== 0) return false;
  return true;
}

interface Oriented {
  lhs: Word;
  rhs: NormalForm;
}

function oriented(rules: readonly RewriteRule[]): Oriented[] {
  const out: Oriented[] = [];
  for (const r of rules) {
    out.push({ lhs: r.lhs, rhs: r.rhs });
    const lt = transposeWord(r.lhs);
    if (compareWords(lt, r.lhs) !== 0) out.push({ lhs: lt, rhs: r.rhs.transpose() });
  }
  return out;
}

function dimPoly(d: Word[number]['sym']['rows']): Poly {
  return typeof d === 'number' ? Poly.constant(d) : Poly.symbol(d);
}

/** One rewrite of one term, or undefined when no rule applies. */
function rewriteTerm(term: Term, rules: Oriented[]): Term[] | undefined {
  const w = term.word;
  for (const r of rules) {
    for (let at = 0; at < w.length; at++) {
      if (!startsWith(w, at, r.lhs)) continue;
      const left = w.slice(0, at),
        right = w.slice(at + r.lhs.length);
      return r.rhs.terms().map((t) => ({
        coef: term.coef.mul(t.coef),
        traces: [...term.traces, ...t.traces].sort(compareWords),
        word: [...left, ...t.word, ...right],
      }));
    }
  }
  for (let i = 0; i < term.traces.length; i++) {
    const tw = term.traces[i];
    for (const r of rules) {
      if (r.lhs.length > tw.length) continue;
      for (let p = 0; p < tw.length; p++) {
        const rot = rotateWord(tw, p);
        if (!startsWith(rot, 0, r.lhs)) continue;
        const rest = rot.slice(r.lhs.length);
        const others = term.traces.filter((_, k) => k !== i);
        const dim = wordRows(r.lhs);
        return r.rhs.terms().map((t) => {
          const inside = [...t.word, ...rest];
          if (inside.length === 0)
            return {
              coef: term.coef.mul(t.coef).mul(dimPoly(dim)),
              traces: [...others, ...t.traces].sort(compareWords),
              word: term.word,
            };
          return {
            coef: term.coef.mul(t.coef),
            traces: [...others, ...t.traces, canonicalTraceWord(inside)].sort(compareWords),
            word: term.word,
          };
        });
      }
    }
  }
  return undefined;
}

/** Apply the rules until none applies (at most maxPasses sweeps over the terms). */
export function rewrite(e: Expr | NormalForm, rules: readonly RewriteRule[], maxPasses = 100): NormalForm {
  let nf = normalize(e);
  const or = oriented(rules);
  for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    const out: Term[] = [];
    for (const t of nf.terms()) {
      const r = rewriteTerm(t, or);
      if (r) {
        changed = true;
        out.push(...r);
      } else out.push(t);
    }
    if (!changed) return nf;
    nf = NormalForm.build(nf.rows, nf.cols, nf.isScalar, out);
  }
  throw new DomainError('rewrite', `no fixed point after ${maxPasses} passes; do the rules shorten words?`);
}
