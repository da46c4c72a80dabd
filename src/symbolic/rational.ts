import { DomainError } from '../errors.js';

/**
 * An exact rational number p/q with bigint numerator and denominator, kept reduced with q > 0. Coefficients of
 * symbolic expressions are rationals so that an identity is proved by exact cancellation, never by rounding.
 */
export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);
  static readonly MINUS_ONE = new Rational(-1n, 1n);

  /** p/q reduced; throws DomainError when q = 0. */
  static of(p: bigint | number, q: bigint | number = 1n): Rational {
    let n = toBig(p, 'Rational.numerator');
    let d = toBig(q, 'Rational.denominator');
    if (d === 0n) throw new DomainError('Rational.denominator', 'must be non-zero');
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n < 0n ? -n : n, d);
    return g === 1n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  /**
   * The exact rational value of a finite double (every double is a dyadic rational), or of a string "p/q" / "p".
   */
  static from(value: number | string | Rational): Rational {
    if (value instanceof Rational) return value;
    if (typeof value === 'string') {
      const m = /^\s*(-?\d+)\s*(?:\/\s*(\d+))?\s*$/.exec(value);
      if (!m) throw new DomainError('Rational.from', `expected "p" or "p/q" with integers, received "${value}"`);
      return Rational.of(BigInt(m[1]), m[2] === undefined ? 1n : BigInt(m[2]));
    }
    if (!Number.isFinite(value)) throw new DomainError('Rational.from', `expected a finite number, received ${value}`);
    if (Number.isInteger(value)) return Rational.of(BigInt(value));
    // Scale by powers of two until integral: exact for every finite double.
    let den = 1n,
      v = value;
    while (!Number.isInteger(v)) {
      v *= 2;
      den *= 2n;
    }
    return Rational.of(BigInt(v), den);
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  isOne(): boolean {
    return this.num === 1n && this.den === 1n;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  sign(): number {
    return this.num > 0n ? 1 : this.num < 0n ? -1 : 0;
  }

  add(o: Rational): Rational {
    if (this.den === o.den) return Rational.of(this.num + o.num, this.den);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    return this.add(o.neg());
  }

  mul(o: Rational): Rational {
    if (this.isZero() || o.isZero()) return Rational.ZERO;
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  div(o: Rational): Rational {
    if (o.isZero()) throw new DomainError('Rational.div', 'division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }

  pow(k: number): Rational {
    if (!Number.isInteger(k) || k < 0)
      throw new DomainError('Rational.pow', `exponent must be a non-negative integer, received ${k}`);
    return Rational.of(this.num ** BigInt(k), this.den ** BigInt(k));
  }

  equals(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }

  compare(o: Rational): number {
    const d = this.num * o.den - o.num * this.den;
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  }

  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  /** "3", "-1/2". */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  /** "3", "-\frac{1}{2}". */
  toLatex(): string {
    if (this.den === 1n) return this.num.toString();
    const sign = this.num < 0n ? '-' : '';
    return `${sign}\\frac{${this.num < 0n ? -this.num : this.num}}{${this.den}}`;
  }
}

function toBig(v: bigint | number, argument: string): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new DomainError(argument, `expected a safe integer, received ${v}`);
  return BigInt(v);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
