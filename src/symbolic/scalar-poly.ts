import { DomainError } from '../errors.js';
import { latexName } from './names.js';
import { Rational } from './rational.js';

/**
 * A commutative polynomial with exact rational coefficients in scalar symbols (η, λ, t, named dimensions…): the
 * coefficient ring of the matrix algebra. Scalars commute with everything, matrices do not, so the two are kept
 * apart: a term of a matrix expression is (polynomial coefficient) × (traces) × (word).
 */

/** x₁^k₁ ⋯ x_r^k_r with names sorted and exponents ≥ 1. */
export type Monomial = ReadonlyArray<readonly [string, number]>;

function monoKey(m: Monomial): string {
  return m.map(([n, k]) => (k === 1 ? n : `${n}^${k}`)).join('*');
}

function monoMul(a: Monomial, b: Monomial): Monomial {
  const out: Array<[string, number]> = [];
  let i = 0,
    j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i][0] < b[j][0])) out.push([a[i][0], a[i++][1]]);
    else if (i >= a.length || b[j][0] < a[i][0]) out.push([b[j][0], b[j++][1]]);
    else {
      out.push([a[i][0], a[i][1] + b[j][1]]);
      i++;
      j++;
    }
  }
  return out;
}

function monoDegree(m: Monomial): number {
  return m.reduce((s, [, k]) => s + k, 0);
}

interface PolyTerm {
  readonly mono: Monomial;
  readonly coef: Rational;
}

export class Poly {
  /** Terms by monomial key; no zero coefficients are stored. */
  private readonly terms: ReadonlyMap<string, PolyTerm>;

  private constructor(terms: ReadonlyMap<string, PolyTerm>) {
    this.terms = terms;
  }

  static readonly ZERO = new Poly(new Map());
  static readonly ONE = Poly.constant(Rational.ONE);

  static constant(c: Rational | number | string): Poly {
    const r = Rational.from(c);
    return r.isZero() ? Poly.ZERO : new Poly(new Map([['', { mono: [], coef: r }]]));
  }

  static symbol(name: string, power = 1): Poly {
    if (!name) throw new DomainError('Poly.symbol', 'a scalar symbol needs a non-empty name');
    if (!Number.isInteger(power) || power < 0)
      throw new DomainError('Poly.symbol.power', `must be a non-negative integer, received ${power}`);
    if (power === 0) return Poly.ONE;
    const mono: Monomial = [[name, power]];
    return new Poly(new Map([[monoKey(mono), { mono, coef: Rational.ONE }]]));
  }

  private static build(list: Iterable<PolyTerm>): Poly {
    const map = new Map<string, PolyTerm>();
    for (const t of list) {
      if (t.coef.isZero()) continue;
      const key = monoKey(t.mono);
      const prev = map.get(key);
      if (!prev) map.set(key, t);
      else {
        const c = prev.coef.add(t.coef);
        if (c.isZero()) map.delete(key);
        else map.set(key, { mono: prev.mono, coef: c });
      }
    }
    return new Poly(map);
  }

  get size(): number {
    return this.terms.size;
  }

  /** Terms sorted by total degree, then by monomial key (a canonical order for printing). */
  entries(): PolyTerm[] {
    return [...this.terms.values()].sort(
      (a, b) =>
        monoDegree(a.mono) - monoDegree(b.mono) ||
        (monoKey(a.mono) < monoKey(b.mono) ? -1 : monoKey(a.mono) > monoKey(b.mono) ? 1 : 0),
    );
  }

  /** Names of the scalar symbols that occur. */
  symbols(): Set<string> {
    const s = new Set<string>();
    for (const t of this.terms.values()) for (const [n] of t.mono) s.add(n);
    return s;
  }

  isZero(): boolean {
    return this.terms.size === 0;
  }

  isConstant(): boolean {
    return this.terms.size === 0 || (this.terms.size === 1 && this.terms.has(''));
  }

  /** The constant term (the whole value when isConstant()). */
  constantTerm(): Rational {
    return this.terms.get('')?.coef ?? Rational.ZERO;
  }

  add(o: Poly): Poly {
    if (o.isZero()) return this;
    if (this.isZero()) return o;
    return Poly.build([...this.terms.values(), ...o.terms.values()]);
  }

  neg(): Poly {
    return new Poly(new Map([...this.terms].map(([k, t]) => [k, { mono: t.mono, coef: t.coef.neg() }])));
  }

  sub(o: Poly): Poly {
    return this.add(o.neg());
  }

  scale(c: Rational): Poly {
    if (c.isZero()) return Poly.ZERO;
    if (c.isOne()) return this;
    return new Poly(new Map([...this.terms].map(([k, t]) => [k, { mono: t.mono, coef: t.coef.mul(c) }])));
  }

  mul(o: Poly): Poly {
    if (this.isZero() || o.isZero()) return Poly.ZERO;
    if (o.isConstant()) return this.scale(o.constantTerm());
    if (this.isConstant()) return o.scale(this.constantTerm());
    const out: PolyTerm[] = [];
    for (const a of this.terms.values())
      for (const b of o.terms.values()) out.push({ mono: monoMul(a.mono, b.mono), coef: a.coef.mul(b.coef) });
    return Poly.build(out);
  }

  pow(k: number): Poly {
    if (!Number.isInteger(k) || k < 0)
      throw new DomainError('Poly.pow', `exponent must be a non-negative integer, received ${k}`);
    let out = Poly.ONE;
    for (let i = 0; i < k; i++) out = out.mul(this);
    return out;
  }

  equals(o: Poly): boolean {
    return this.sub(o).isZero();
  }

  /** Highest power of `name` that occurs (0 when absent). */
  degreeIn(name: string): number {
    let d = 0;
    for (const t of this.terms.values()) for (const [n, k] of t.mono) if (n === name) d = Math.max(d, k);
    return d;
  }

  /** The coefficient of name^power, as a polynomial in the other symbols. */
  coefficientOf(name: string, power: number): Poly {
    const out: PolyTerm[] = [];
    for (const t of this.terms.values()) {
      const k = t.mono.find(([n]) => n === name)?.[1] ?? 0;
      if (k === power) out.push({ mono: t.mono.filter(([n]) => n !== name), coef: t.coef });
    }
    return Poly.build(out);
  }

  /** ∂/∂name. */
  derivative(name: string): Poly {
    const out: PolyTerm[] = [];
    for (const t of this.terms.values()) {
      const k = t.mono.find(([n]) => n === name)?.[1] ?? 0;
      if (k === 0) continue;
      const mono = t.mono.flatMap(
        ([n, e]): Array<[string, number]> => (n !== name ? [[n, e]] : e > 1 ? [[n, e - 1]] : []),
      );
      out.push({ mono, coef: t.coef.mul(Rational.of(k)) });
    }
    return Poly.build(out);
  }

  /** Replace symbols by polynomials (symbols not in the map stay). */
  substitute(values: ReadonlyMap<string, Poly>): Poly {
    let out = Poly.ZERO;
    for (const t of this.terms.values()) {
      let term = Poly.constant(t.coef);
      for (const [n, k] of t.mono) term = term.mul(values.has(n) ? values.get(n)!.pow(k) : Poly.symbol(n, k));
      out = out.add(term);
    }
    return out;
  }

  /** Numeric value; every symbol must be bound. */
  evaluate(values: Readonly<Record<string, number>>, argument = 'scalars'): number {
    let s = 0;
    for (const t of this.terms.values()) {
      let v = t.coef.toNumber();
      for (const [n, k] of t.mono) {
        const x = values[n];
        if (typeof x !== 'number') throw new DomainError(`${argument}.${n}`, `the scalar symbol ${n} has no value`);
        v *= x ** k;
      }
      s += v;
    }
    return s;
  }

  /** Plain text: "1 − 2ηλ + η²λ²" style with ASCII operators: "1 - 2*η*λ + η^2*λ^2". */
  toString(): string {
    return render(this, false);
  }

  toLatex(): string {
    return render(this, true);
  }
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function monoText(m: Monomial, latex: boolean): string {
  if (latex) return m.map(([n, k]) => (k === 1 ? latexName(n) : `${latexName(n)}^{${k}}`)).join(' ');
  return m
    .map(([n, k]) =>
      k === 1
        ? n
        : n +
          String(k)
            .split('')
            .map((d) => SUPERSCRIPT[+d])
            .join(''),
    )
    .join('·');
}

function render(p: Poly, latex: boolean): string {
  if (p.isZero()) return '0';
  const parts: string[] = [];
  for (const { mono, coef } of p.entries()) {
    const neg = coef.sign() < 0;
    const a = coef.abs();
    const m = monoText(mono, latex);
    const c = latex ? a.toLatex() : a.toString();
    const body = mono.length === 0 ? c : a.isOne() ? m : latex ? `${c} ${m}` : `${c}·${m}`;
    parts.push(parts.length === 0 ? (neg ? `-${body}` : body) : `${neg ? ' - ' : ' + '}${body}`);
  }
  return parts.join('');
}
