import { describe, expect, test } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { evaluate, evaluateMatrix, evaluateScalar } from '../../src/symbolic/evaluate.js';
import {
  add,
  constant,
  type Expr,
  identity,
  inner,
  matrixSymbol,
  mul,
  neg,
  scalarSymbol,
  sub,
  trace,
  transpose,
  zero,
} from '../../src/symbolic/expr.js';
import { proveIdentity } from '../../src/symbolic/identity.js';
import { normalFormToExpr, normalize } from '../../src/symbolic/normalize.js';
import { printNormalForm } from '../../src/symbolic/print.js';

const A = matrixSymbol('A', 'n', 'p'),
  B = matrixSymbol('B', 'p', 'q'),
  C = matrixSymbol('C', 'q', 'n');
const S = matrixSymbol('S', 'n', 'n', { symmetric: true });
const P = matrixSymbol('P', 'n', 'n'),
  Q = matrixSymbol('Q', 'n', 'n'),
  R = matrixSymbol('R', 'n', 'n');
const eta = scalarSymbol('η');

describe('normal form', () => {
  test('is non-commutative: PQ ≠ QP, and expands products over sums in order', () => {
    expect(proveIdentity(mul(P, Q), mul(Q, P)).holds).toBe(false);
    const e = normalize(mul(add(P, Q), sub(P, Q)));
    expect(printNormalForm(e)).toBe('P P - P Q + Q P - Q Q');
    expect(proveIdentity(mul(add(P, Q), add(P, Q)), add(mul(P, P), mul(P, Q), mul(Q, P), mul(Q, Q))).holds).toBe(true);
  });

  test('collects like terms with exact rational coefficients', () => {
    const e = normalize(add(mul('1/3', P), mul('1/6', P), mul(-0.5, P)));
    expect(e.isZero()).toBe(true);
    expect(printNormalForm(normalize(add(mul('1/3', P), mul('1/6', P))))).toBe('1/2 P');
  });

  test('scalar symbols commute with matrices and with each other', () => {
    expect(proveIdentity(mul(P, eta, Q), mul(eta, P, Q)).holds).toBe(true);
    const lambda = scalarSymbol('λ');
    expect(proveIdentity(mul(eta, lambda, P), mul(lambda, P, eta)).holds).toBe(true);
    expect(printNormalForm(normalize(mul(sub(1, mul(eta, lambda)), sub(1, mul(eta, lambda)), P)))).toBe(
      '(1 - 2·η·λ + η²·λ²) P',
    );
  });

  test('pushes transposes to the leaves: (ABC)ᵀ = CᵀBᵀAᵀ, (Aᵀ)ᵀ = A, Sᵀ = S', () => {
    expect(printNormalForm(normalize(transpose(mul(A, B, C))))).toBe('Cᵀ Bᵀ Aᵀ');
    expect(proveIdentity(transpose(transpose(A)), A).holds).toBe(true);
    expect(proveIdentity(transpose(S), S).holds).toBe(true);
    expect(proveIdentity(transpose(add(P, mul(eta, Q))), add(transpose(P), mul(eta, transpose(Q)))).holds).toBe(true);
    expect(proveIdentity(transpose(P), P).holds).toBe(false);
  });

  test('traces are canonical under rotation and transposition', () => {
    expect(proveIdentity(trace(mul(A, B, C)), trace(mul(B, C, A))).holds).toBe(true);
    expect(proveIdentity(trace(mul(A, B, C)), trace(mul(C, A, B))).holds).toBe(true);
    expect(proveIdentity(trace(mul(A, B, C)), trace(transpose(mul(A, B, C)))).holds).toBe(true);
    expect(proveIdentity(trace(mul(A, B, C)), trace(mul(transpose(C), transpose(B), transpose(A)))).holds).toBe(true);
    // tr(PQR) ≠ tr(PRQ) in general (only cyclic permutations are allowed).
    expect(proveIdentity(trace(mul(P, Q, R)), trace(mul(P, R, Q))).holds).toBe(false);
    expect(proveIdentity(inner(P, Q), trace(mul(transpose(P), Q))).holds).toBe(true);
    expect(proveIdentity(inner(P, Q), inner(Q, P)).holds).toBe(true);
  });

  test('identity and zero: I·A = A, tr(I_n) = n, A − A = 0', () => {
    expect(proveIdentity(mul(identity('n'), A, identity('p')), A).holds).toBe(true);
    expect(printNormalForm(normalize(trace(identity('n'))))).toBe('n');
    expect(printNormalForm(normalize(trace(identity(4))))).toBe('4');
    expect(normalize(sub(A, A)).isZero()).toBe(true);
    expect(proveIdentity(add(A, zero('n', 'p')), A).holds).toBe(true);
    expect(proveIdentity(mul(constant(0), A), zero('n', 'p')).holds).toBe(true);
  });

  test('shape errors name the argument', () => {
    expect(() => mul(A, C)).toThrow(ShapeError);
    expect(() => mul(A, C)).toThrow(/mul factor 2 \(C\)/);
    expect(() => add(A, B)).toThrow(/add term 2 \(B\)/);
    expect(() => trace(A)).toThrow(/square/);
    expect(() => inner(A, B)).toThrow(ShapeError);
    expect(proveIdentity(A, B).holds).toBe(false);
    expect(proveIdentity(A, B).error).toMatch(/different shapes/);
  });

  test('normalFormToExpr round-trips', () => {
    const e = sub(mul(eta, A, B, C, trace(mul(P, Q))), mul('2/3', S, transpose(R)));
    const nf = normalize(e);
    expect(normalize(normalFormToExpr(nf)).equals(nf)).toBe(true);
  });
});

/** A random well-shaped expression over square n×n symbols. */
function randomExpr(rng: Rng, depth: number): Expr {
  const leaves: Expr[] = [P, Q, R, S, identity('n')];
  if (depth === 0) return leaves[rng.integer(0, leaves.length - 1)];
  switch (rng.integer(0, 5)) {
    case 0:
      return add(randomExpr(rng, depth - 1), randomExpr(rng, depth - 1));
    case 1:
      return mul(randomExpr(rng, depth - 1), randomExpr(rng, depth - 1));
    case 2:
      return transpose(randomExpr(rng, depth - 1));
    case 3:
      return mul(
        rng.integer(0, 1) ? eta : constant(`${rng.integer(-3, 3)}/${rng.integer(1, 4)}`),
        randomExpr(rng, depth - 1),
      );
    case 4:
      return mul(trace(randomExpr(rng, depth - 1)), randomExpr(rng, depth - 1));
    default:
      return neg(randomExpr(rng, depth - 1));
  }
}

describe('normalization preserves the value (numeric evaluation of tree vs normal form)', () => {
  test('200 random expressions of depth ≤ 4', () => {
    const rng = new Rng(42);
    const n = 3;
    const matrices: Record<string, Matrix> = {
      P: gaussianMatrix(rng, n, n),
      Q: gaussianMatrix(rng, n, n),
      R: gaussianMatrix(rng, n, n),
    };
    const s = gaussianMatrix(rng, n, n);
    matrices.S = evaluateMatrix(add(mul(matrixSymbol('T', 3, 3), transpose(matrixSymbol('T', 3, 3)))), {
      matrices: { T: s },
    });
    const b = { matrices, scalars: { η: 0.7 }, dims: { n } };
    for (let i = 0; i < 200; i++) {
      const e = randomExpr(rng, rng.integer(1, 4));
      const tree = evaluate(e, b) as Matrix;
      const nf = evaluate(normalize(e), b) as Matrix;
      let diff = 0,
        scale = 1;
      for (let k = 0; k < tree.data.length; k++) {
        diff = Math.max(diff, Math.abs(tree.data[k] - nf.data[k]));
        scale = Math.max(scale, Math.abs(tree.data[k]));
      }
      expect(diff).toBeLessThanOrEqual(1e-11 * scale);
    }
  });

  test('scalar expressions evaluate to numbers; named dimensions are read off the bound symbols', () => {
    const rng = new Rng(3);
    const a = gaussianMatrix(rng, 2, 3),
      bm = gaussianMatrix(rng, 3, 4),
      c = gaussianMatrix(rng, 4, 2);
    const b = { matrices: { A: a, B: bm, C: c } };
    const t1 = evaluateScalar(trace(mul(A, B, C)), b),
      t2 = evaluateScalar(normalize(trace(mul(C, A, B))), b);
    expect(Math.abs(t1 - t2)).toBeLessThan(1e-12);
    // A named dimension no symbol of the expression fixes must be given explicitly.
    expect(() => evaluateScalar(trace(identity('p')), b)).toThrow(/named dimension p has no size/);
    expect(evaluateScalar(trace(identity('p')), { ...b, dims: { p: 3 } })).toBe(3);
    expect(() => evaluate(mul(A, B), { matrices: { A: a, B: gaussianMatrix(rng, 2, 4) } })).toThrow(ShapeError);
    expect(() => evaluate(mul(A, B), { matrices: { A: a } })).toThrow(/B .* has no value/);
  });
});
