import { describe, expect, test } from 'vitest';
import { DomainError } from '../../src/errors.js';
import { Rational } from '../../src/symbolic/rational.js';
import { Poly } from '../../src/symbolic/scalar-poly.js';

describe('Rational', () => {
  test('reduces, keeps the sign in the numerator, and is exact', () => {
    expect(Rational.of(6, -4).toString()).toBe('-3/2');
    expect(Rational.of(1, 3).add(Rational.of(1, 6)).toString()).toBe('1/2');
    expect(Rational.of(1, 3).mul(Rational.of(3)).isOne()).toBe(true);
    expect(Rational.from(0.1).toString()).toBe('3602879701896397/36028797018963968');
    expect(Rational.from('-7/21').toString()).toBe('-1/3');
    expect(Rational.of(2, 3).pow(3).toString()).toBe('8/27');
    expect(Rational.of(-1, 2).toLatex()).toBe('-\\frac{1}{2}');
  });

  test('rejects a zero denominator and non-finite input with a DomainError', () => {
    expect(() => Rational.of(1, 0)).toThrow(DomainError);
    expect(() => Rational.from(Number.NaN)).toThrow(DomainError);
    expect(() => Rational.ONE.div(Rational.ZERO)).toThrow(/division by zero/);
  });
});

describe('Poly (commutative scalar coefficients)', () => {
  const eta = Poly.symbol('η'),
    lambda = Poly.symbol('λ');

  test('expands and collects: (1 − ηλ)² = 1 − 2ηλ + η²λ²', () => {
    const p = Poly.ONE.sub(eta.mul(lambda)).pow(2);
    expect(p.toString()).toBe('1 - 2·η·λ + η²·λ²');
    expect(p.equals(Poly.ONE.sub(eta.mul(lambda).scale(Rational.of(2))).add(eta.pow(2).mul(lambda.pow(2))))).toBe(true);
  });

  test('commutes: ηλ − λη = 0', () => {
    expect(eta.mul(lambda).sub(lambda.mul(eta)).isZero()).toBe(true);
  });

  test('coefficients, derivatives, substitution and evaluation', () => {
    const t = Poly.symbol('t');
    const p = Poly.constant(3)
      .add(t.scale(Rational.of(2)))
      .add(t.pow(2).mul(eta));
    expect(p.coefficientOf('t', 2).equals(eta)).toBe(true);
    expect(p.coefficientOf('t', 0).constantTerm().toString()).toBe('3');
    expect(p.derivative('t').toString()).toBe('2 + 2·t·η');
    expect(p.substitute(new Map([['t', Poly.ZERO]])).toString()).toBe('3');
    expect(p.evaluate({ t: 2, η: 0.5 })).toBe(9);
    expect(() => p.evaluate({ t: 1 })).toThrow(/η has no value/);
    expect(p.degreeIn('t')).toBe(2);
  });
});
