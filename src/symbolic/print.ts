import type { Expr } from './expr.js';
import type { NormalForm, Term } from './normal-form.js';
import { type Format, moreTerms, PREC, paren, power, precedence, printAlike, traceOf, transposed } from './notation.js';
import { Rational } from './rational.js';
import type { Letter, Word } from './word.js';

export type { Format };

export interface PrintOptions {
  /** Print at most this many terms of a normal form, then "… (k more terms)". Default: all. */
  maxTerms?: number;
}

function letterText(l: Letter, f: Format): string {
  const name = f === 'latex' ? l.sym.latex : l.sym.name;
  return l.t ? transposed(name, f) : name;
}

export function printWord(w: Word, f: Format, emptyAs = 'I'): string {
  if (w.length === 0) return emptyAs;
  return w.map((l) => letterText(l, f)).join(f === 'latex' ? ' ' : ' ');
}

function traceText(w: Word, f: Format): string {
  return traceOf(printWord(w, f), f);
}

/** The term without its sign, and the sign separately, so sums print as a − b. */
function termParts(t: Term, f: Format, isScalar: boolean): { negative: boolean; body: string } {
  const factors: string[] = t.traces.map((w) => traceText(w, f));
  if (!isScalar) factors.push(printWord(t.word, f));
  const entries = t.coef.entries();
  let negative = false;
  let coefText = '';
  if (entries.length === 1) {
    const { coef } = entries[0];
    negative = coef.sign() < 0;
    const p = negative ? t.coef.neg() : t.coef;
    const s = f === 'latex' ? p.toLatex() : p.toString();
    coefText = s === '1' ? '' : s;
  } else {
    const s = f === 'latex' ? t.coef.toLatex() : t.coef.toString();
    coefText = f === 'latex' ? `\\left(${s}\\right)` : `(${s})`;
  }
  if (factors.length === 0) return { negative, body: coefText || '1' };
  const sep = f === 'latex' ? ' ' : ' ';
  return { negative, body: coefText ? `${coefText}${sep}${factors.join(sep)}` : factors.join(sep) };
}

/** A normal form as a signed sum of monomials, e.g. "W_2ᵀ W_2 - W_1 W_1ᵀ" or "1/2 tr(Xᵀ W_1ᵀ W_1 X) - tr(…)". */
export function printNormalForm(nf: NormalForm, f: Format = 'text', options: PrintOptions = {}): string {
  if (nf.isZero()) return '0';
  const terms = nf.terms();
  const shown = options.maxTerms !== undefined ? terms.slice(0, options.maxTerms) : terms;
  let out = '';
  shown.forEach((t, i) => {
    const { negative, body } = termParts(t, f, nf.isScalar);
    if (i === 0) out += negative ? `-${body}` : body;
    else out += negative ? ` - ${body}` : ` + ${body}`;
  });
  if (shown.length < terms.length) out += moreTerms(terms.length - shown.length, f);
  return out;
}

/** An expression tree as written (definitions print as their names). */
export function printExpr(e: Expr, f: Format = 'text'): string {
  switch (e.kind) {
    case 'symbol':
    case 'scalar':
    case 'definition':
      return f === 'latex' ? e.latex : e.name;
    case 'product': {
      const factors = e.factors;
      let sign = '';
      let rest = factors;
      if (factors[0].kind === 'const' && factors[0].value.equals(Rational.MINUS_ONE) && factors.length > 1) {
        sign = '-';
        rest = factors.slice(1);
      }
      // Runs of the same scalar symbol print as a power: η η → η².
      const grouped: Array<{ x: Expr; k: number }> = [];
      for (const x of rest) {
        const last = grouped[grouped.length - 1];
        if (last && x.kind === 'scalar' && last.x.kind === 'scalar' && last.x.name === x.name) last.k++;
        else grouped.push({ x, k: 1 });
      }
      const parts = grouped.map(({ x, k }, i) => {
        const s = printExpr(x, f);
        if (k > 1) return power(s, k, f);
        if (x.kind === 'sum') return paren(s, f);
        if (x.kind === 'const' && i > 0) return paren(s, f);
        if (x.kind === 'const' && x.value.sign() < 0 && i === 0 && sign) return paren(s, f);
        return s;
      });
      return sign + parts.join(' ');
    }
    default:
      return printAlike(e, f, {
        print: (x) => printExpr(x, f),
        bare: (x) => precedence(x) === PREC.atom && x.kind !== 'transpose',
        minus: '-',
      });
  }
}
