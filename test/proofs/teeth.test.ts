import { describe, expect, test } from 'vitest';
import { layerGradientProof } from '../../proofs/layer-gradient.js';
import { riemannianGradientCheck } from '../../proofs/riemannian-gradient.js';
import { checkIdentity, productScale } from '../../src/check/identity.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { transpose as transposeMatrix } from '../../src/linalg/products.js';
import { balancednessDefects } from '../../src/model/balancedness.js';
import { layerGradients } from '../../src/model/gradients.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { directionalDerivative } from '../../src/symbolic/differentiate.js';
import {
  balancednessDefect,
  type DlnSymbols,
  dlnSymbols,
  firstOrderProduct,
  halfSquaredLoss,
  layerFamily,
  layerGradientClosedForm,
  layerGradientFromEndToEnd,
  partialProduct,
  residual,
  secondOrderProduct,
} from '../../src/symbolic/dln.js';
import {
  add,
  type Expr,
  inner,
  matrixSymbol,
  mul,
  neg,
  scalarSymbol,
  sub,
  transpose,
} from '../../src/symbolic/expr.js';
import { proveIdentity } from '../../src/symbolic/identity.js';
import { substitute } from '../../src/symbolic/substitute.js';

/** W_{N:j+1}ᵀ with the factors transposed but NOT reversed: W_Nᵀ ⋯ W_{j+1}ᵀ. */
function unreversedAbove(s: DlnSymbols, j: number): Expr {
  const f: Expr[] = [];
  for (let k = s.N; k >= j + 1; k--) f.push(transpose(s.W[k - 1]));
  return f.length === 0 ? partialProduct(s, s.N, s.N + 1) : mul(...f);
}

const wrongClosedForms: Record<string, (s: DlnSymbols, j: number) => Expr> = {
  'missing transpose on X': (s, j) =>
    mul(transpose(partialProduct(s, s.N, j + 1)), residual(s), s.X, transpose(partialProduct(s, j - 1, 1))),
  'wrong factor order (W_Nᵀ⋯W_{j+1}ᵀ)': (s, j) =>
    mul(unreversedAbove(s, j), residual(s), transpose(s.X), transpose(partialProduct(s, j - 1, 1))),
  'factor 2': (s, j) => mul(2, layerGradientClosedForm(s, j)),
  'sign (Y − WX)': (s, j) => neg(layerGradientClosedForm(s, j)),
};

describe('the layer-gradient proof fails on wrong closed forms', () => {
  for (const [name, closedForm] of Object.entries(wrongClosedForms)) {
    for (const dims of ['named', 'square'] as const) {
      test(`${name} (${dims} dimensions)`, () => {
        const proof = layerGradientProof({ closedForm, maxDepth: 4, dims, id: `wrong: ${name}` });
        const r = proof.run(5);
        expect(r.holds).toBe(false);
        expect(r.symbolic.holds).toBe(false);
        // Every wrong form is either ill-shaped (non-square names) or leaves a non-zero residual.
        expect(r.symbolic.detail).toMatch(/ill-formed|lhs − rhs = .* ≠ 0/);
        // The mathjs cross-check catches it independently (or reports it ill-formed on the concrete shapes).
        expect(r.symbolic.text).toMatch(/MISMATCH/);
        // The numeric confirmation on random non-square instances fails too.
        expect(r.numeric.status).toBe('fail');
      });
    }
  }

  test('the wrong factor order needs N ≥ 3 to show: for N ≤ 2 it coincides with the truth on square shapes', () => {
    const r = layerGradientProof({
      closedForm: wrongClosedForms['wrong factor order (W_Nᵀ⋯W_{j+1}ᵀ)'],
      maxDepth: 2,
      dims: 'square',
    }).run(5);
    expect(r.symbolic.detail).not.toMatch(/N=[12], j=\d: lhs − rhs/);
  });

  test('the correct closed form holds in square mode as well', () => {
    const r = layerGradientProof({ maxDepth: 4, dims: 'square' }).run(5);
    expect(r.holds, r.symbolic.detail + ' | ' + r.numeric.detail).toBe(true);
  });
});

describe('false variants of the other derivations do not reduce', () => {
  const s = dlnSymbols(3);
  const eta = scalarSymbol('η');
  const G = layerFamily(s, 'G');

  test('"C_j is conserved by gradient descent": C_j⁺ − C_j leaves the η² term', () => {
    const gamma = matrixSymbol('Γ', s.dims[3], s.dims[0]);
    const subs = new Map(G.map((g, k) => [g.name, layerGradientFromEndToEnd(s, k + 1, gamma)] as const));
    const plus = s.W.map((w, k) => sub(w, mul(eta, G[k])));
    const drift = substitute(sub(balancednessDefect(s, 1, plus), balancednessDefect(s, 1)), subs);
    expect(proveIdentity(drift, mul(0, balancednessDefect(s, 1))).holds).toBe(false);
    expect(drift.terms().every((t) => t.coef.degreeIn('η') === 2)).toBe(true);
  });

  test('numerically, one GD step changes C_j far beyond round-off', () => {
    const rng = new Rng(9);
    const W = [gaussianMatrix(rng, 4, 3, 0.6), gaussianMatrix(rng, 5, 4, 0.5), gaussianMatrix(rng, 2, 5, 0.5)];
    const data = { X: gaussianMatrix(rng, 3, 6), Y: gaussianMatrix(rng, 2, 6) };
    const g = layerGradients(W, data);
    const plus = W.map((w, k) => {
      const m = new Matrix(w.rows, w.cols);
      for (let i = 0; i < m.data.length; i++) m.data[i] = w.data[i] - 0.1 * g[k].data[i];
      return m;
    });
    const scale = plus.reduce((a, w) => a + productScale([transposeMatrix(w), w]), 0);
    expect(checkIdentity(balancednessDefects(plus), balancednessDefects(W), { scale }).status).toBe('fail');
  });

  test('the Hessian without the factor 2 on P2 does not reduce (N = 3)', () => {
    const D = layerFamily(s, 'Δ');
    const second = directionalDerivative(
      halfSquaredLoss(s),
      s.W.map((w, k) => [w, D[k]] as const),
      2,
    );
    const p1x = mul(firstOrderProduct(s, D), s.X);
    const E = residual(s);
    expect(
      proveIdentity(second, add(inner(p1x, p1x), mul(2, inner(E, mul(secondOrderProduct(s, D), s.X))))).holds,
    ).toBe(true);
    expect(proveIdentity(second, add(inner(p1x, p1x), inner(E, mul(secondOrderProduct(s, D), s.X)))).holds).toBe(false);
  });

  test('end-to-end: swapping the Gram products (W_{N:j+1}ᵀW_{N:j+1}) does not reduce (square, N = 3)', () => {
    const q = dlnSymbols(3, { dims: 'square' });
    const wdot = layerFamily(q, 'Ẇ');
    const g = matrixSymbol('∇L¹', 'n', 'n');
    const rate = directionalDerivative(
      partialProduct(q, 3, 1),
      q.W.map((w, k) => [w, wdot[k]] as const),
    );
    const subs = new Map(wdot.map((w, k) => [w.name, neg(layerGradientFromEndToEnd(q, k + 1, g))] as const));
    const gram = (swap: boolean): Expr =>
      neg(
        add(
          ...q.W.map((_, k) => {
            const above = partialProduct(q, 3, k + 2),
              below = partialProduct(q, k, 1);
            return swap
              ? mul(transpose(above), above, g, below, transpose(below))
              : mul(above, transpose(above), g, transpose(below), below);
          }),
        ),
      );
    expect(proveIdentity(substitute(rate, subs), gram(false)).holds).toBe(true);
    expect(proveIdentity(substitute(rate, subs), gram(true)).holds).toBe(false);
  });

  test('Riemannian gradient: a non-tangent ξ breaks g_W(A_W∇L¹, ξ) = ⟨∇L¹, ξ⟩', () => {
    for (const seed of [1, 2, 3]) {
      expect(riemannianGradientCheck(seed).status).toBe('pass');
      expect(riemannianGradientCheck(seed, { tangent: false }).status).toBe('fail');
    }
  });
});
