import { describe, expect, test } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import {
  identity,
  inner,
  matrixSymbol,
  mul,
  scalarSymbol,
  sub,
  trace,
  transpose,
  zero,
} from '../../src/symbolic/expr.js';
import { proveIdentity } from '../../src/symbolic/identity.js';
import { normalize } from '../../src/symbolic/normalize.js';
import { printExpr, printNormalForm } from '../../src/symbolic/print.js';
import { rewrite, rule } from '../../src/symbolic/rewrite.js';
import { substitute, substituteExpr } from '../../src/symbolic/substitute.js';

const A = matrixSymbol('A', 'n', 'p'),
  B = matrixSymbol('B', 'p', 'q'),
  G = matrixSymbol('G', 'n', 'p');
const eta = scalarSymbol('η'),
  t = scalarSymbol('t');

describe('substitution', () => {
  test('a transposed letter receives the transposed replacement', () => {
    const e = mul(transpose(A), A);
    const r = substitute(e, { A: sub(A, mul(eta, G)) });
    expect(proveIdentity(r, mul(transpose(sub(A, mul(eta, G))), sub(A, mul(eta, G)))).holds).toBe(true);
    expect(printNormalForm(r)).toContain('η² Gᵀ G');
  });

  test('inside traces, and simultaneous (no re-substitution)', () => {
    const r = substitute(trace(mul(transpose(A), G)), { A: G, G: A });
    expect(proveIdentity(r, trace(mul(transpose(G), A))).holds).toBe(true);
  });

  test('scalar symbols take polynomials: t := 0 keeps the constant term', () => {
    const e = mul(sub(1, mul(t, eta)), A);
    expect(proveIdentity(substitute(e, { t: 0 }), A).holds).toBe(true);
    expect(proveIdentity(substitute(e, { t: mul(2, eta) }), mul(sub(1, mul(2, eta, eta)), A)).holds).toBe(true);
  });

  test('shape-checked', () => {
    expect(() => substitute(mul(A, B), { A: B })).toThrow(ShapeError);
    expect(() => substituteExpr(mul(A, B), { A: B })).toThrow(ShapeError);
  });

  test('substituteExpr keeps the tree for printing', () => {
    expect(printExpr(substituteExpr(mul(A, B), { A: sub(A, mul(eta, G)) }))).toBe('(A - η G) B');
  });
});

describe('rewrite rules (side relations)', () => {
  const U = matrixSymbol('U', 'n', 'k'),
    V = matrixSymbol('V', 'n', 'n');
  const rules = [rule(mul(transpose(U), U), identity('k')), rule(mul(V, transpose(V)), identity('n'))];

  test('UᵀU → I inside words, and its transpose form', () => {
    const X = matrixSymbol('X', 'k', 'k');
    expect(printNormalForm(rewrite(mul(X, transpose(U), U, X), rules))).toBe('X X');
    expect(rewrite(sub(mul(transpose(U), U), identity('k')), rules).isZero()).toBe(true);
  });

  test('cyclically inside traces: tr(Vᵀ M V) → tr(M)', () => {
    const M = matrixSymbol('M', 'n', 'n');
    expect(proveIdentity(trace(mul(transpose(V), M, V)), trace(M), { rules }).holds).toBe(true);
    expect(proveIdentity(inner(mul(M, V), mul(M, V)), inner(M, M), { rules }).holds).toBe(true);
  });

  test('tr(UᵀU) → tr(I_k) = k, and a zero right-hand side annihilates', () => {
    expect(printNormalForm(rewrite(trace(mul(transpose(U), U)), rules))).toBe('k');
    const W = matrixSymbol('W', 'n', 'm');
    const orth = [rule(mul(transpose(U), W), zero('k', 'm'))];
    expect(rewrite(mul(transpose(U), W), orth).isZero()).toBe(true);
    expect(rewrite(mul(transpose(W), U), orth).isZero()).toBe(true);
  });

  test('without the rules nothing cancels', () => {
    const M = matrixSymbol('M', 'n', 'n');
    expect(proveIdentity(trace(mul(transpose(V), M, V)), trace(M)).holds).toBe(false);
    expect(normalize(trace(mul(transpose(V), M, V))).size).toBe(1);
  });
});
