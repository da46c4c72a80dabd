import { DomainError, ShapeError } from '../../errors.js';
import { Affine, type AffineLike } from './affine.js';
import {
  add,
  constant,
  dimKey,
  type IExpr,
  inner,
  interval,
  layer,
  mul,
  sigma,
  trace,
  transpose,
  zero,
} from './expr.js';
import {
  type Atom,
  atomExpr,
  canonicalize,
  type Form,
  type Letter,
  normalForm,
  type Term,
  transposeWord,
  type Word,
} from './form.js';
import type { Assumptions } from './inequalities.js';
import { printIExpr, printLayer } from './print.js';
import type { RuleLog } from './rules.js';

/**
 * Calculus on expressions with symbolic sizes, never on a concrete product:
 *  - gradient(f, F_i): split every interval F_{b:a} that contains i (a ≤ i ≤ b provable) as F_{b:i+1}F_iF_{i−1:a},
 *    then apply the trace rule ∂tr(F_i B)/∂F_i = Bᵀ, ∂tr(F_iᵀB)/∂F_i = B to each occurrence;
 *  - timeDerivative(e): the Leibniz rule on an interval, d/dt F_{b:a} = Σ_{k=a}^{b} F_{b:k+1} Ḟ_k F_{k−1:a};
 *  - substituteLayers(e, F, template): F_i := template(i), checking that i lies where the template is valid.
 * When it cannot decide whether an interval contains F_i, it throws Undecided (it never guesses).
 */
export class Undecided extends DomainError {
  constructor(what: string) {
    super('symbolic', what);
    this.name = 'Undecided';
  }
}

/** F_{b:a} split at i: [F_{b:i+1}, F_i, F_{i−1:a}] (pieces that are syntactically empty left out), target position. */
function split(atom: Atom & { kind: 'interval' }, i: Affine, t: boolean): { word: Letter[]; at: number } {
  const piece = (hi: Affine, lo: Affine): Letter => ({ atom: { ...atom, hi, lo }, t: false });
  const pieces: Letter[] = [];
  if (!atom.hi.equals(i)) pieces.push(piece(atom.hi, i.add(1)));
  const at = pieces.length;
  pieces.push(piece(i, i));
  if (!atom.lo.equals(i)) pieces.push(piece(i.add(-1), atom.lo));
  if (!t) return { word: pieces, at };
  return { word: transposeWord(pieces) as Letter[], at: pieces.length - 1 - at };
}

/** ∂f/∂F_i for a scalar f, in normal form under ctx. */
export function gradient(f: IExpr, family: string, index: AffineLike, ctx: Assumptions, log: RuleLog): Form {
  if (!f.isScalar) throw new ShapeError('grad: the function', 'a scalar', 'a matrix');
  const i = Affine.from(index);
  const target = layer(family, i);
  const nf = normalForm(f, ctx, log);
  const out: Term[] = [];
  for (const term of nf.terms) {
    const occurs = (w: Word): boolean => w.some((l) => l.atom.kind === 'interval' && l.atom.family === family);
    if (term.binders.length > 0 && (occurs(term.word) || term.traces.some(occurs)))
      throw new Undecided(`the gradient of a sum over an index of ${family} is not supported`);
    if (term.word.length > 0) throw new ShapeError('grad: the function', 'a scalar (traces only)', 'a matrix term');
    term.traces.forEach((tw, ti) => {
      for (let p = 0; p < tw.length; p++) {
        const atom = tw[p].atom;
        if (atom.kind !== 'interval' || atom.family !== family) continue;
        const inside = ctx.provesLe(atom.lo, i) && ctx.provesLe(i, atom.hi);
        const outside = ctx.provesLe(atom.hi, i.add(-1)) || ctx.provesLe(i.add(1), atom.lo);
        if (outside) continue;
        const whole = atomExpr(atom);
        if (!inside)
          throw new Undecided(
            `cannot decide whether ${printIExpr(target)} is a factor of ${printIExpr(whole)} (state where ` +
              `${i.toText()} lies, e.g. --where "${atom.lo.toText()} <= ${i.toText()} <= ${atom.hi.toText()}")`,
          );
        const s = split(atom, i, tw[p].t);
        const pieces = s.word.map((l) => (l.t ? transpose(atomExpr(l.atom)) : atomExpr(l.atom)));
        if (s.word.length > 1)
          log.note(
            'split',
            [tw[p].t ? transpose(whole) : whole],
            mul(...pieces),
            `${atom.lo.toText()} ≤ ${i.toText()} ≤ ${atom.hi.toText()}`,
          );
        const expanded = [...tw.slice(0, p), ...s.word, ...tw.slice(p + 1)];
        const q = p + s.at;
        const rest = [...expanded.slice(q + 1), ...expanded.slice(0, q)];
        const transposed = expanded[q].t;
        const [Fi, Fl] = [printLayer(target.family, i), printLayer(target.family, i, 'latex')];
        log.note(
          'trace rule',
          [],
          undefined,
          transposed ? `∂tr(${Fi}ᵀB)/∂${Fi} = B` : `∂tr(${Fi}B)/∂${Fi} = Bᵀ`,
          transposed
            ? `$\\partial\\operatorname{tr}(${Fl}^{\\top}B)/\\partial ${Fl} = B$`
            : `$\\partial\\operatorname{tr}(${Fl}B)/\\partial ${Fl} = B^{\\top}$`,
        );
        out.push({
          coef: term.coef,
          binders: [],
          traces: term.traces.filter((_, k) => k !== ti),
          word: transposed ? rest : transposeWord(rest),
        });
      }
    });
  }
  return canonicalize(out, target, ctx, log);
}

function isZeroExpr(e: IExpr): boolean {
  return e.kind === 'zero' || (e.kind === 'const' && e.value.isZero());
}

function zeroLike(e: IExpr): IExpr {
  return e.isScalar ? constant(0) : zero(e.rows, e.cols);
}

/** The index variables occurring anywhere in e (to pick a fresh summation index). */
export function indexVariables(e: IExpr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'interval':
      [...e.hi.variables, ...e.lo.variables].forEach((v) => out.add(v));
      break;
    case 'symbol':
      for (const d of [e.rows, e.cols]) d.index?.variables.forEach((v) => out.add(v));
      break;
    case 'product':
      e.factors.forEach((f) => indexVariables(f, out));
      break;
    case 'sum':
      e.terms.forEach((f) => indexVariables(f, out));
      break;
    case 'transpose':
    case 'trace':
      indexVariables(e.arg, out);
      break;
    case 'inner':
      indexVariables(e.left, out);
      indexVariables(e.right, out);
      break;
    case 'sigma':
      out.add(e.index);
      [...e.lo.variables, ...e.hi.variables].forEach((v) => out.add(v));
      indexVariables(e.body, out);
      break;
    default:
      break;
  }
  return out;
}

/** d/dt e when the layers F move with velocities Ḟ (the family named dot); everything else is constant. */
export function timeDerivative(e: IExpr, family: string, dot: string, log: RuleLog): IExpr {
  const used = indexVariables(e);
  const k = ['k', 'i', 'l', 'p', 'q'].find((n) => !used.has(n)) ?? 'k_';
  const go = (x: IExpr): IExpr => {
    switch (x.kind) {
      case 'interval': {
        if (x.family !== family) return zeroLike(x);
        const kk = Affine.variable(k);
        const body = mul(
          interval(family, x.hi, kk.add(1), x.square),
          layer(dot, k, x.square),
          interval(family, kk.add(-1), x.lo, x.square),
        );
        const d = sigma(k, x.lo, x.hi, body);
        log.note('Leibniz on an interval', [], undefined, `d/dt ${printIExpr(x)} = ${printIExpr(d)}`);
        return d;
      }
      case 'product': {
        const terms: IExpr[] = [];
        x.factors.forEach((f, i) => {
          const df = go(f);
          if (!isZeroExpr(df)) terms.push(mul(...x.factors.slice(0, i), df, ...x.factors.slice(i + 1)));
        });
        return terms.length === 0 ? zeroLike(x) : add(...terms);
      }
      case 'sum': {
        const terms = x.terms.map(go).filter((t) => !isZeroExpr(t));
        return terms.length === 0 ? zeroLike(x) : add(...terms);
      }
      case 'transpose': {
        const d = go(x.arg);
        return isZeroExpr(d) ? zeroLike(x) : transpose(d);
      }
      case 'trace': {
        const d = go(x.arg);
        return isZeroExpr(d) ? zeroLike(x) : trace(d);
      }
      case 'inner': {
        const dl = go(x.left),
          dr = go(x.right);
        const terms = [...(isZeroExpr(dl) ? [] : [inner(dl, x.right)]), ...(isZeroExpr(dr) ? [] : [inner(x.left, dr)])];
        return terms.length === 0 ? zeroLike(x) : add(...terms);
      }
      case 'sigma': {
        const d = go(x.body);
        return isZeroExpr(d) ? zeroLike(x) : sigma(x.index, x.lo, x.hi, d);
      }
      default:
        return zeroLike(x);
    }
  };
  return go(e);
}

export interface LayerTemplate {
  /** The replacement of F_i. */
  readonly at: (i: Affine) => IExpr;
  /** Where the template is valid (e.g. 1 ≤ i ≤ N for a derived gradient). */
  readonly lo: Affine;
  readonly hi: Affine;
}

/** F_i := template(i) everywhere (F_iᵀ gets the transposed template); intervals of F must be single layers. */
export function substituteLayers(
  e: IExpr,
  family: string,
  template: LayerTemplate,
  ctx: Assumptions,
  log: RuleLog,
): IExpr {
  const go = (x: IExpr, c: Assumptions): IExpr => {
    switch (x.kind) {
      case 'interval': {
        if (x.family !== family) return x;
        if (!x.hi.equals(x.lo))
          throw new Undecided(
            `cannot substitute ${family}_i into the product ${family}_{${x.hi.toText()}:${x.lo.toText()}}`,
          );
        if (!c.provesLe(template.lo, x.hi) || !c.provesLe(x.hi, template.hi)) {
          throw new Undecided(
            `${printIExpr(x)} := … needs ${template.lo.toText()} ≤ ${x.hi.toText()} ≤ ${template.hi.toText()}, ` +
              'which does not follow from the side conditions',
          );
        }
        const r = template.at(x.hi);
        if (dimKey(r.rows) !== dimKey(x.rows) || dimKey(r.cols) !== dimKey(x.cols))
          throw new ShapeError(`${family}_${x.hi.toText()} := …`, 'the shape of the layer', 'another shape');
        log.note('substitute', [x], r, `${template.lo.toText()} ≤ ${x.hi.toText()} ≤ ${template.hi.toText()}`);
        return r;
      }
      case 'product':
        return mul(...x.factors.map((f) => go(f, c)));
      case 'sum':
        return add(...x.terms.map((f) => go(f, c)));
      case 'transpose':
        return transpose(go(x.arg, c));
      case 'trace':
        return trace(go(x.arg, c));
      case 'inner':
        return inner(go(x.left, c), go(x.right, c));
      case 'sigma':
        return sigma(x.index, x.lo, x.hi, go(x.body, c.within(x.index, x.lo, x.hi)));
      default:
        return x;
    }
  };
  return go(e, ctx);
}

/** Replace an index variable by an affine expression throughout (bound indices are left alone). */
export function renameIndex(e: IExpr, from: string, to: Affine): IExpr {
  const m = new Map([[from, to]]);
  const go = (x: IExpr): IExpr => {
    switch (x.kind) {
      case 'interval':
        return interval(x.family, x.hi.substitute(m), x.lo.substitute(m), x.square);
      case 'symbol':
        return x;
      case 'product':
        return mul(...x.factors.map(go));
      case 'sum':
        return add(...x.terms.map(go));
      case 'transpose':
        return transpose(go(x.arg));
      case 'trace':
        return trace(go(x.arg));
      case 'inner':
        return inner(go(x.left), go(x.right));
      case 'sigma':
        return x.index === from
          ? sigma(x.index, x.lo.substitute(m), x.hi.substitute(m), x.body)
          : sigma(x.index, x.lo.substitute(m), x.hi.substitute(m), go(x.body));
      default:
        return x;
    }
  };
  return go(e);
}
