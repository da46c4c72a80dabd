import { DomainError } from '../../errors.js';

/**
 * An affine integer index expression c + Σ a_v·v in symbolic indices (N, j, k…): the bounds of interval products
 * W_{b:a}, of sums Σ_{k=lo}^{hi}, and the subscripts of layer families (W_{j+1}, Ẇ_j).
 */
export class Affine {
  private constructor(
    readonly constant: number,
    private readonly coeffs: ReadonlyMap<string, number>,
  ) {}

  static of(c: number, coeffs: Iterable<readonly [string, number]> = []): Affine {
    if (!Number.isSafeInteger(c)) throw new DomainError('index', `an index constant must be an integer, received ${c}`);
    const m = new Map<string, number>();
    for (const [v, a] of coeffs) {
      if (!Number.isSafeInteger(a))
        throw new DomainError('index', `an index coefficient must be an integer, received ${a}`);
      const s = (m.get(v) ?? 0) + a;
      if (s === 0) m.delete(v);
      else m.set(v, s);
    }
    return new Affine(c, new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  }

  static variable(name: string): Affine {
    return Affine.of(0, [[name, 1]]);
  }

  /** A number, a variable name, or an affine expression. */
  static from(x: AffineLike): Affine {
    if (x instanceof Affine) return x;
    return typeof x === 'number' ? Affine.of(x) : Affine.variable(x);
  }

  get variables(): string[] {
    return [...this.coeffs.keys()];
  }

  coefficient(v: string): number {
    return this.coeffs.get(v) ?? 0;
  }

  isConstant(): boolean {
    return this.coeffs.size === 0;
  }

  add(o: AffineLike): Affine {
    const b = Affine.from(o);
    return Affine.of(this.constant + b.constant, [...this.coeffs, ...b.coeffs]);
  }

  sub(o: AffineLike): Affine {
    return this.add(Affine.from(o).scale(-1));
  }

  scale(k: number): Affine {
    return Affine.of(
      this.constant * k,
      [...this.coeffs].map(([v, a]) => [v, a * k] as const),
    );
  }

  equals(o: AffineLike): boolean {
    return this.sub(o).isZeroExpr();
  }

  private isZeroExpr(): boolean {
    return this.constant === 0 && this.coeffs.size === 0;
  }

  /** Replace variables by affine expressions (simultaneously). */
  substitute(values: ReadonlyMap<string, Affine>): Affine {
    let out = Affine.of(this.constant);
    for (const [v, a] of this.coeffs) out = out.add((values.get(v) ?? Affine.variable(v)).scale(a));
    return out;
  }

  /** The value at integer values of every variable. */
  evaluate(env: Readonly<Record<string, number>>): number {
    let s = this.constant;
    for (const [v, a] of this.coeffs) {
      const x = env[v];
      if (typeof x !== 'number') throw new DomainError('index', `the index variable ${v} has no value`);
      s += a * x;
    }
    return s;
  }

  /** "N", "j+1", "j-1", "2N-j" (no spaces, so it reads well in subscripts and serves as a key). */
  toString(): string {
    let out = '';
    for (const [v, a] of this.coeffs) {
      const mag = Math.abs(a) === 1 ? v : `${Math.abs(a)}${v}`;
      out += out === '' ? (a < 0 ? `-${mag}` : mag) : a < 0 ? `-${mag}` : `+${mag}`;
    }
    if (out === '') return String(this.constant);
    if (this.constant !== 0) out += this.constant < 0 ? `${this.constant}` : `+${this.constant}`;
    return out;
  }

  /** The same with a true minus sign (U+2212) for text output. */
  toText(): string {
    return this.toString().replace(/-/g, '−');
  }
}

export type AffineLike = Affine | number | string;
