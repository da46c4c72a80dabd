import { describe, expect, test } from 'vitest';
import { DomainError, ShapeError } from '../../src/errors.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { directionalDerivative, gradient, scalarDerivative } from '../../src/symbolic/differentiate.js';
import { dlnSymbols, halfSquaredLoss, layerFamily, layerGradientClosedForm } from '../../src/symbolic/dln.js';
import { evaluateMatrix, evaluateScalar } from '../../src/symbolic/evaluate.js';
import { add, inner, matrixSymbol, mul, normSquared, scalarSymbol, trace, transpose } from '../../src/symbolic/expr.js';
import { proveIdentity } from '../../src/symbolic/identity.js';
import { normalFormToExpr, normalize } from '../../src/symbolic/normalize.js';

const X = matrixSymbol('X', 'n', 'p');
const A = matrixSymbol('A', 'q', 'n'),
  B = matrixSymbol('B', 'p', 'q');
const M = matrixSymbol('M', 'n', 'n');
const S = matrixSymbol('S', 'n', 'n', { symmetric: true });

describe('gradient rules', () => {
  test('d tr(AXB)/dX = AᵀBᵀ', () => {
    expect(proveIdentity(gradient(trace(mul(A, X, B)), X), mul(transpose(A), transpose(B))).holds).toBe(true);
    // The classic mistake BᵀAᵀ is ill-shaped for non-square symbols, and does not reduce for square ones.
    expect(() => mul(transpose(B), transpose(A))).toThrow(ShapeError);
    const P = matrixSymbol('P', 'n', 'n'),
      Q = matrixSymbol('Q', 'n', 'n');
    expect(proveIdentity(gradient(trace(mul(P, M, Q)), M), mul(transpose(Q), transpose(P))).holds).toBe(false);
    expect(proveIdentity(gradient(trace(mul(P, M, Q)), M), mul(transpose(P), transpose(Q))).holds).toBe(true);
  });

  test('d tr(A Xᵀ B)/dX = BA (transposed occurrence)', () => {
    const A2 = matrixSymbol('A2', 'q', 'p'),
      B2 = matrixSymbol('B2', 'n', 'q');
    expect(proveIdentity(gradient(trace(mul(A2, transpose(X), B2)), X), mul(B2, A2)).holds).toBe(true);
  });

  test('d‖X‖² = 2X, d tr(XᵀMX) = (M + Mᵀ)X, symmetric S: d tr(XᵀSX) = 2SX', () => {
    expect(proveIdentity(gradient(normSquared(X), X), mul(2, X)).holds).toBe(true);
    expect(proveIdentity(gradient(trace(mul(transpose(X), M, X)), X), mul(add(M, transpose(M)), X)).holds).toBe(true);
    expect(proveIdentity(gradient(trace(mul(transpose(X), S, X)), X), mul(2, S, X)).holds).toBe(true);
  });

  test('product rule through products of traces: d(tr(X Xᵀ)²) = 4 tr(XXᵀ) X', () => {
    const t = trace(mul(X, transpose(X)));
    expect(proveIdentity(gradient(mul(t, t), X), mul(4, t, X)).holds).toBe(true);
  });

  test('d tr(X)/dX = I for square X; scalar coefficients are kept', () => {
    const eta = scalarSymbol('η');
    expect(
      proveIdentity(
        gradient(mul(eta, trace(M)), M),
        mul(eta, { kind: 'identity', rows: 'n', cols: 'n', isScalar: false }),
      ).holds,
    ).toBe(true);
  });

  test('rejects a matrix-valued f and a symmetric variable', () => {
    expect(() => gradient(X, X)).toThrow(ShapeError);
    expect(() => gradient(trace(S), S)).toThrow(DomainError);
  });

  test('⟨∇f, Δ⟩ equals the directional derivative (two independent rules agree)', () => {
    const s = dlnSymbols(4);
    const D = layerFamily(s, 'Δ');
    const f = normalize(halfSquaredLoss(s));
    const df = directionalDerivative(
      f,
      s.W.map((w, k) => [w, D[k]] as const),
    );
    const viaGradient = add(...s.W.map((w, k) => inner(normalFormToExpr(gradient(f, w)), D[k])));
    expect(proveIdentity(df, viaGradient).holds).toBe(true);
  });

  test('the layer gradient matches the closed form for N = 1..8', () => {
    for (let N = 1; N <= 8; N++) {
      const s = dlnSymbols(N);
      const f = normalize(halfSquaredLoss(s));
      for (let j = 1; j <= N; j++)
        expect(proveIdentity(gradient(f, s.W[j - 1]), layerGradientClosedForm(s, j)).holds).toBe(true);
    }
  });

  test('gradient agrees numerically with central differences on a random instance', () => {
    const rng = new Rng(5);
    const s = dlnSymbols(3, { dims: [3, 4, 2, 5], samples: 6 });
    const f = halfSquaredLoss(s);
    const b = {
      matrices: {
        W_1: gaussianMatrix(rng, 4, 3),
        W_2: gaussianMatrix(rng, 2, 4),
        W_3: gaussianMatrix(rng, 5, 2),
        X: gaussianMatrix(rng, 3, 6),
        Y: gaussianMatrix(rng, 5, 6),
      },
    };
    const g = evaluateMatrix(gradient(f, s.W[1]), b);
    const h = 1e-6;
    for (const idx of [0, 3, 7]) {
      const plus = b.matrices.W_2.clone(),
        minus = b.matrices.W_2.clone();
      plus.data[idx] += h;
      minus.data[idx] -= h;
      const fd =
        (evaluateScalar(f, { matrices: { ...b.matrices, W_2: plus } }) -
          evaluateScalar(f, { matrices: { ...b.matrices, W_2: minus } })) /
        (2 * h);
      expect(Math.abs(fd - g.data[idx])).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });
});

describe('directional and scalar derivatives', () => {
  test('second derivative of ‖AXB‖² along Δ is 2‖AΔB‖²', () => {
    const D = matrixSymbol('Δ', 'n', 'p');
    const f = normSquared(mul(A, X, B));
    expect(proveIdentity(directionalDerivative(f, [[X, D]], 2), mul(2, normSquared(mul(A, D, B)))).holds).toBe(true);
  });

  test('second order needs constant directions', () => {
    expect(() => directionalDerivative(normSquared(X), [[X, mul(2, X)]], 2)).toThrow(DomainError);
  });

  test('direction shapes are checked', () => {
    expect(() => directionalDerivative(normSquared(X), [[X, M]])).toThrow(ShapeError);
  });

  test('d/dη of (1 − ηλ)² tr(M) = −2λ(1 − ηλ) tr(M)', () => {
    const eta = scalarSymbol('η'),
      lambda = scalarSymbol('λ');
    const shrink = add(1, mul(-1, eta, lambda));
    expect(
      proveIdentity(scalarDerivative(mul(shrink, shrink, trace(M)), 'η'), mul(-2, lambda, shrink, trace(M))).holds,
    ).toBe(true);
  });
});
