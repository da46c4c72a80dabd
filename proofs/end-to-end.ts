/**
 * flow.end-to-end, the algebraic core [P, ACH] (THEORY §2): along gradient flow the product W = W_{N:1} moves as
 *   dW/dt = Σ_j W_{N:j+1} Ẇ_j W_{j−1:1} = −Σ_j W_{N:j+1}W_{N:j+1}ᵀ ∇L¹(W) W_{j−1:1}ᵀW_{j−1:1}
 * (for balanced factors W_{N:j+1}W_{N:j+1}ᵀ = (WWᵀ)^{(N−j)/N} and W_{j−1:1}ᵀW_{j−1:1} = (WᵀW)^{(j−1)/N}, giving A_W).
 *
 * Symbolic (N = 1..6): the engine's time derivative of W_{N:1} (Leibniz rule along Ẇ), with
 * Ẇ_j := −W_{N:j+1}ᵀ∇L¹W_{j−1:1}ᵀ substituted (∇L¹ an arbitrary d_N×d_0 symbol), reduces against the right-hand side.
 * Numeric: a Taylor test (slope 2, i.e. finite differences) of t ↦ ⟨R, W_{N:1}(W − t∇L)⟩ at t = 0 with the
 * evaluated right-hand side as the claimed derivative, and an identity check against src/model's gradients.
 */
import { checkIdentity, productScale } from '../src/check/identity.js';
import { checkTaylor } from '../src/check/taylor.js';
import type { Verdict } from '../src/check/verdict.js';
import { frobeniusInner } from '../src/linalg/frobenius.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import { layerGradients } from '../src/model/gradients.js';
import { endToEndGradient } from '../src/model/loss.js';
import { endToEnd as endToEndNumeric, partialProduct as partialNumeric } from '../src/model/partial-products.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { Rng } from '../src/random/rng.js';
import { directionalDerivative } from '../src/symbolic/differentiate.js';
import {
  type DlnSymbols,
  dlnSymbols,
  endToEnd,
  layerFamily,
  layerGradientFromEndToEnd,
  partialProduct,
} from '../src/symbolic/dln.js';
import { evaluateMatrix } from '../src/symbolic/evaluate.js';
import { add, type Expr, type MatrixSymbol, matrixSymbol, mul, neg, transpose } from '../src/symbolic/expr.js';
import { describeIdentity, proveIdentity } from '../src/symbolic/identity.js';
import { printExpr, printNormalForm } from '../src/symbolic/print.js';
import { Derivation, defineProof, dm, md, numericFromVerdicts, type Proof } from '../src/symbolic/proof.js';
import { substitute } from '../src/symbolic/substitute.js';
import { bindInstance, nonSquareWidths, randomInstance } from './support.js';

const MAX_DEPTH = 6;

function gradientSymbol(s: DlnSymbols): MatrixSymbol {
  return matrixSymbol('∇L¹', s.dims[s.N], s.dims[0], { latex: '\\nabla L^{1}' });
}

/** −Σ_j W_{N:j+1}W_{N:j+1}ᵀ ∇L¹ W_{j−1:1}ᵀW_{j−1:1}. */
function rightHandSide(s: DlnSymbols, g: Expr): Expr {
  return neg(
    add(
      ...s.W.map((_, k) => {
        const above = partialProduct(s, s.N, k + 2),
          below = partialProduct(s, k, 1);
        return mul(above, transpose(above), g, transpose(below), below);
      }),
    ),
  );
}

export const endToEndDynamics: Proof = defineProof({
  id: 'flow.end-to-end',
  statement:
    'Along gradient flow Ẇ_j = −W_{N:j+1}ᵀ∇L¹(W)W_{j−1:1}ᵀ the product moves as Σ_j W_{N:j+1}Ẇ_jW_{j−1:1} = −Σ_j W_{N:j+1}W_{N:j+1}ᵀ ∇L¹(W) W_{j−1:1}ᵀW_{j−1:1}',
  provenance: 'P',
  source: 'ACH 2018 (end-to-end dynamics; with balancedness this is −A_W(∇L¹)); THEORY §2 flow.end-to-end',
  symbolic() {
    const d = new Derivation();
    const failures: string[] = [];
    let cases = 0;
    for (let N = 1; N <= MAX_DEPTH; N++) {
      cases++;
      const s = dlnSymbols(N);
      const wdot = layerFamily(s, 'Ẇ');
      const g = gradientSymbol(s);
      const rate = directionalDerivative(
        endToEnd(s),
        s.W.map((w, k) => [w, wdot[k]] as const),
      );
      const stated = add(...s.W.map((_, k) => mul(partialProduct(s, s.N, k + 2), wdot[k], partialProduct(s, k, 1))));
      const leibniz = proveIdentity(rate, stated);
      const subs = new Map(wdot.map((w, k) => [w.name, neg(layerGradientFromEndToEnd(s, k + 1, g))] as const));
      const rhs = rightHandSide(s, g);
      const main = proveIdentity(substitute(rate, subs), rhs);
      if (!leibniz.holds) failures.push(`N=${N} Leibniz: ${describeIdentity(leibniz, 'text', 3)}`);
      if (!main.holds) failures.push(`N=${N}: ${describeIdentity(main, 'text', 3)}`);
      if (N === 3) {
        d.step(
          'Time derivative of the product (N = 3)',
          `the Leibniz rule along Ẇ gives ${md('dW_{3:1}/dt = ' + printNormalForm(rate))}, i.e. ${md(printExpr(stated))}: ${describeIdentity(leibniz)}`,
          dm('\\tfrac{d}{dt}W_{3:1} = ' + printNormalForm(rate, 'latex')),
        );
        d.step(
          'Substitution (N = 3)',
          `with ${md('Ẇ_j := −W_{N:j+1}ᵀ ∇L¹ W_{j−1:1}ᵀ')}: ${md(printNormalForm(substitute(rate, subs)))}; the right-hand side ${md(printExpr(rhs))}: ${describeIdentity(main)}`,
          `${dm('\\tfrac{d}{dt}W_{3:1} = ' + printExpr(rhs, 'latex'))} ${describeIdentity(main, 'latex')}`,
        );
      }
    }
    d.step(
      'All depths',
      `${cases} cases (N = 1..${MAX_DEPTH}, non-square named dimensions, ∇L¹ an arbitrary d_N×d_0 symbol): ${failures.length === 0 ? 'every difference reduced to 0' : `FAILED: ${failures.slice(0, 3).join('; ')}`}. For balanced factors the two Gram products are (WWᵀ)^{(N−j)/N} and (WᵀW)^{(j−1)/N}, which gives −A_W(∇L¹) (metric.svd-form).`,
    );
    const holds = failures.length === 0;
    return {
      holds,
      ...d.written(),
      detail: holds
        ? `N = 1..${MAX_DEPTH}: Σ_j W_{N:j+1}Ẇ_jW_{j−1:1} with Ẇ := −∇L reduced to −Σ_j W_{N:j+1}W_{N:j+1}ᵀ∇L¹W_{j−1:1}ᵀW_{j−1:1}`
        : failures.slice(0, 3).join('; '),
    };
  },
  numeric(seed) {
    const rng = new Rng(seed);
    const verdicts: Array<[string, Verdict]> = [];
    for (const N of [2, 4, 6]) {
      const widths = nonSquareWidths(rng, N);
      const inst = randomInstance(rng, widths, rng.integer(3, 7));
      const W = inst.weights;
      const s = dlnSymbols(N);
      const g = gradientSymbol(s);
      const gradL1 = endToEndGradient(endToEndNumeric(W), inst.data);
      const rhs = evaluateMatrix(rightHandSide(s, g), bindInstance(s, inst, { [g.name]: gradL1 }));
      const layer = layerGradients(W, inst.data);
      const minusGrad = layer.map((m) => {
        const out = new Matrix(m.rows, m.cols);
        for (let i = 0; i < m.data.length; i++) out.data[i] = -m.data[i];
        return out;
      });
      // Σ_j W_{N:j+1}(−G_j)W_{j−1:1} from the model, and its round-off scale.
      const fromModel = new Matrix(widths[N], widths[0]);
      let scale = 0;
      for (let j = 1; j <= N; j++) {
        const above = partialNumeric(W, N, j + 1),
          below = partialNumeric(W, j - 1, 1);
        const term = multiply(multiply(above, minusGrad[j - 1]), below);
        for (let i = 0; i < term.data.length; i++) fromModel.data[i] += term.data[i];
        scale +=
          productScale([above, minusGrad[j - 1], below]) +
          productScale([above, multiply(above, gradL1, 't', 'n'), multiply(below, below, 't', 'n')]);
      }
      const tag = `N=${N} (widths ${widths.join('×')})`;
      verdicts.push([
        `${tag} identity`,
        checkIdentity(rhs, fromModel, {
          scale,
          label: 'symbolic rhs vs Σ_j W_{N:j+1}(−∇_{W_j}L)W_{j−1:1} (src/model)',
        }),
      ]);
      const R = gaussianMatrix(rng, widths[N], widths[0]);
      verdicts.push([
        `${tag} Taylor`,
        checkTaylor((w) => frobeniusInner(R, endToEndNumeric(w)), W, minusGrad, { derivative: frobeniusInner(R, rhs) }),
      ]);
    }
    return numericFromVerdicts(verdicts);
  },
});
