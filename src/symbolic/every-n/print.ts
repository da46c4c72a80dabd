import { latexName } from '../names.js';
import { type Format, PREC, paren, power, precedence, printAlike } from '../notation.js';
import { Rational } from '../rational.js';
import type { Affine } from './affine.js';
import { dimText, type IExpr } from './expr.js';

export type { Format };

function sub(a: Affine, f: Format): string {
  const s = f === 'latex' ? a.toString() : a.toText();
  return /^[A-Za-z0-9]$/.test(s) ? s : `{${s}}`;
}

function name(n: string, f: Format): string {
  return f === 'latex' ? latexName(n).replace(/⁺/g, '^{+}').replace(/¹/g, '^{1}').replace(/∇/g, '\\nabla ') : n;
}

/** Layer i of a family: W_j, W_{j+1}; in LaTeX a name with a superscript is braced, {W^{+}}_{j+1}, so ᵀ fits. */
export function printLayer(family: string, i: Affine, f: Format = 'text'): string {
  const base = name(family, f);
  return `${f === 'latex' && base.includes('^') ? `{${base}}` : base}_${sub(i, f)}`;
}

/** An expression as written: W_{N:j+1}ᵀ, Σ_{k=1}^{N} …, ⟨A, B⟩. */
export function printIExpr(e: IExpr, f: Format = 'text'): string {
  switch (e.kind) {
    case 'interval': {
      if (e.hi.equals(e.lo)) return printLayer(e.family, e.hi, f);
      const base = name(e.family, f);
      const h = f === 'latex' ? e.hi.toString() : e.hi.toText(),
        l = f === 'latex' ? e.lo.toString() : e.lo.toText();
      return `${base}_{${h}:${l}}`;
    }
    case 'symbol':
    case 'scalar':
      return name(e.name, f);
    case 'sigma': {
      const lo = f === 'latex' ? e.lo.toString() : e.lo.toText(),
        hi = f === 'latex' ? e.hi.toString() : e.hi.toText();
      const body = printIExpr(e.body, f);
      const b = e.body.kind === 'sum' ? paren(body, f) : body;
      return f === 'latex' ? `\\sum_{${e.index}=${lo}}^{${hi}} ${b}` : `Σ_{${e.index}=${lo}}^{${hi}} ${b}`;
    }
    case 'product': {
      // Scalars commute: constants multiply into one sign and coefficient, equal scalar symbols print as powers.
      let c = Rational.ONE;
      const powers = new Map<string, number>();
      const rest: IExpr[] = [];
      for (const x of e.factors) {
        if (x.kind === 'const') c = c.mul(x.value);
        else if (x.kind === 'scalar') powers.set(x.name, (powers.get(x.name) ?? 0) + 1);
        else rest.push(x);
      }
      const sign = c.sign() < 0 ? (f === 'latex' ? '-' : '−') : '';
      const mag = c.abs();
      const parts: string[] = [];
      if (!mag.equals(Rational.ONE) || (powers.size === 0 && rest.length === 0)) {
        const t = printIExpr({ ...e.factors[0], kind: 'const', value: mag } as IExpr, f);
        parts.push(mag.isInteger() ? t : paren(t, f));
      }
      for (const [n, k] of powers) parts.push(k === 1 ? name(n, f) : power(name(n, f), k, f));
      rest.forEach((x, i) => {
        const t = printIExpr(x, f);
        parts.push(x.kind === 'sum' || (x.kind === 'sigma' && i < rest.length - 1) ? paren(t, f) : t);
      });
      return sign + parts.join(' ');
    }
    default:
      return printAlike(e, f, {
        print: (x) => printIExpr(x, f),
        bare: (x) => precedence(x) === PREC.atom,
        minus: '−',
      });
  }
}

export function shapeText(e: { rows: IExpr['rows']; cols: IExpr['cols']; isScalar: boolean }): string {
  return e.isScalar ? 'scalar' : `${dimText(e.rows)}×${dimText(e.cols)}`;
}
