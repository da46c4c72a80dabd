import { derivative } from 'mathjs';
import { describe, expect, test } from 'vitest';
import { gradient } from '../../src/symbolic/differentiate.js';
import {
  dlnSymbols,
  halfSquaredLoss,
  layerGradientClosedForm,
  partialProduct,
  residual,
} from '../../src/symbolic/dln.js';
import { crossCheckGradient, entrywiseScalar } from '../../src/symbolic/entrywise.js';
import { matrixSymbol, mul, normSquared, trace, transpose } from '../../src/symbolic/expr.js';
import { polyFromMathjs, provePolynomialIdentity } from '../../src/symbolic/polynomial-identity.js';

describe('mathjs entrywise cross-check of matrix-form gradients', () => {
  test('why: mathjs derivative treats products as commutative, so it is never used on matrix symbols', () => {
    expect(derivative('A*x*B', 'x').toString()).toBe('B * A');
  });

  test('entrywise expansion of tr(AB) on 2×2 shapes', () => {
    const A = matrixSymbol('A', 'n', 'n'),
      B = matrixSymbol('B', 'n', 'n');
    expect(entrywiseScalar(trace(mul(A, B)), { n: 2 })).toBe(
      '((A__0_0*B__0_0 + A__0_1*B__1_0) + (A__1_0*B__0_1 + A__1_1*B__1_1))',
    );
  });

  const s = dlnSymbols(3);
  const dims = { d_0: 2, d_1: 3, d_2: 2, d_3: 2, m: 2 };
  const f = halfSquaredLoss(s);

  test('the engine gradient and the closed form agree exactly with mathjs (N = 3, widths 2,3,2,2, m = 2)', () => {
    for (let j = 1; j <= 3; j++) {
      const derived = crossCheckGradient(f, s.W[j - 1], gradient(f, s.W[j - 1]), { dims, seed: j });
      expect(derived.holds, derived.detail).toBe(true);
      expect(derived.maxAbsDifference).toBe(0);
      const closed = crossCheckGradient(f, s.W[j - 1], layerGradientClosedForm(s, j), { dims, seed: j });
      expect(closed.holds).toBe(true);
    }
  });

  test('catches wrong gradients: factor 2, wrong sign (non-square); wrong factor order, missing transpose (square, where they are well-shaped)', () => {
    const j = 2;
    const good = layerGradientClosedForm(s, j);
    for (const [name, claimed] of [
      ['factor 2', mul(2, good)],
      ['sign', mul(-1, good)],
    ] as const) {
      const r = crossCheckGradient(f, s.W[j - 1], claimed, { dims, seed: 11 });
      expect(r.holds, name).toBe(false);
      expect(r.maxAbsDifference, name).toBeGreaterThan(0);
    }
    const q = dlnSymbols(3, { dims: 'square' });
    const fq = halfSquaredLoss(q),
      E = residual(q);
    const wrong = {
      // W_1ᵀ E Xᵀ W_3ᵀ: the outer factors swapped.
      order: mul(transpose(partialProduct(q, 1, 1)), E, transpose(q.X), transpose(partialProduct(q, 3, 3))),
      'missing transpose': mul(partialProduct(q, 3, 3), E, transpose(q.X), transpose(partialProduct(q, 1, 1))),
      'missing transpose on X': mul(transpose(partialProduct(q, 3, 3)), E, q.X, transpose(partialProduct(q, 1, 1))),
    };
    expect(crossCheckGradient(fq, q.W[j - 1], layerGradientClosedForm(q, j), { dims: { n: 2 }, seed: 11 }).holds).toBe(
      true,
    );
    for (const [name, claimed] of Object.entries(wrong)) {
      const r = crossCheckGradient(fq, q.W[j - 1], claimed, { dims: { n: 2 }, seed: 11 });
      expect(r.holds, name).toBe(false);
      expect(r.maxAbsDifference, name).toBeGreaterThan(0);
    }
  });

  test('a gradient of ‖X‖² claimed as X (missing factor 2) is caught', () => {
    const X = matrixSymbol('X', 'n', 'p');
    expect(crossCheckGradient(normSquared(X), X, X, { dims: { n: 2, p: 3 } }).holds).toBe(false);
    expect(crossCheckGradient(normSquared(X), X, mul(2, X), { dims: { n: 2, p: 3 } }).holds).toBe(true);
  });
});

describe('polynomial identities', () => {
  test('geometric sum (x − y)(x² + xy + y²) = x³ − y³, by mathjs and by exact expansion', () => {
    const r = provePolynomialIdentity('(x - y)*(x^2 + x*y + y^2)', 'x^3 - y^3');
    expect(r).toMatchObject({ holds: true, mathjs: '0', mathjsHolds: true, polyHolds: true, expanded: '0' });
  });

  test('false variants do not reduce', () => {
    const a = provePolynomialIdentity('(x - y)*(x^2 + x*y + y^2)', 'x^3 + y^3');
    expect(a.holds).toBe(false);
    expect(a.mathjs).not.toBe('0');
    expect(a.expanded).toBe('-2·y³');
    expect(provePolynomialIdentity('(x - y)*(x^2 + y^2)', 'x^3 - y^3').holds).toBe(false);
  });

  test('polyFromMathjs accepts polynomials only', () => {
    expect(polyFromMathjs('(x + 1)^2 / 2').toString()).toBe('1/2 + x + 1/2·x²');
    expect(() => polyFromMathjs('x / y')).toThrow(/division only by a non-zero constant/);
    expect(() => polyFromMathjs('x^(1/2)')).toThrow(/exponents/);
    expect(() => polyFromMathjs('sin(x)')).toThrow(/unsupported/);
  });
});
