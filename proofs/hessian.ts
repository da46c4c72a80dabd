/**
 * grad.hessian [P, lecture form] (THEORY §1): ∇²L[Δ, Δ] = ‖P1(Δ)X‖² + 2⟨∇L¹(W), P2(Δ)⟩ (scale "half") with
 * P1(Δ) = Σ_j W_{N:j+1}Δ_jW_{j−1:1} and P2(Δ) = Σ_{i<j} W_{N:j+1}Δ_jW_{j−1:i+1}Δ_iW_{i−1:1}; ∇²L is symmetric.
 *
 * Symbolic (N = 1..4): the engine's second directional derivative of ½⟨E, E⟩ along Δ (Leibniz rule applied twice)
 * reduces against ‖P1(Δ)X‖² + 2⟨E, P2(Δ)X⟩ (note ⟨EXᵀ, P2⟩ = ⟨E, P2X⟩); the first derivative against ⟨E, P1(Δ)X⟩;
 * the mixed derivative D_Γ D_Δ L against D_Δ D_Γ L and against the polarized form
 * ⟨P1(Δ)X, P1(Γ)X⟩ + ⟨E, P2(Δ, Γ)X⟩. Numeric: src/model's hessianForm in a slope-3 Taylor test of the loss (scales
 * "half" and "mean" with weight decay), its symmetry, and the engine's expression evaluated on the same instance.
 */
import { checkScalarIdentity } from '../src/check/identity.js';
import { checkTaylor } from '../src/check/taylor.js';
import type { Verdict } from '../src/check/verdict.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { multiply } from '../src/linalg/products.js';
import { layerGradients } from '../src/model/gradients.js';
import {
  firstOrderProduct as firstOrderNumeric,
  hessianForm,
  secondOrderProduct as secondOrderNumeric,
} from '../src/model/hessian.js';
import { endToEndGradient, type LossOptions, loss } from '../src/model/loss.js';
import { endToEnd as endToEndNumeric } from '../src/model/partial-products.js';
import { Rng } from '../src/random/rng.js';
import { directionalDerivative } from '../src/symbolic/differentiate.js';
import {
  dlnSymbols,
  firstOrderProduct,
  halfSquaredLoss,
  layerFamily,
  residual,
  secondOrderProduct,
} from '../src/symbolic/dln.js';
import { evaluateScalar } from '../src/symbolic/evaluate.js';
import { add, inner, mul } from '../src/symbolic/expr.js';
import { describeIdentity, proveIdentity } from '../src/symbolic/identity.js';
import { normalize } from '../src/symbolic/normalize.js';
import { printExpr, printNormalForm } from '../src/symbolic/print.js';
import { Derivation, defineProof, dm, md, numericFromVerdicts, type Proof } from '../src/symbolic/proof.js';
import { bindInstance, innerSum, nonSquareWidths, randomDirection, randomInstance } from './support.js';

const MAX_DEPTH = 4;

export const hessian: Proof = defineProof({
  id: 'grad.hessian',
  statement:
    '∇²L[Δ, Δ] = ‖P1(Δ)X‖² + 2⟨∇L¹(W), P2(Δ)⟩ for L = ½‖W_N⋯W_1X − Y‖², P1(Δ) = Σ_j W_{N:j+1}Δ_jW_{j−1:1}, P2(Δ) = Σ_{i<j} W_{N:j+1}Δ_jW_{j−1:i+1}Δ_iW_{i−1:1}; the bilinear form is symmetric',
  provenance: 'P',
  source: 'lecture form of the DLN Hessian (cf. AMG 2024, Kawaguchi 2016); THEORY §1 grad.hessian',
  symbolic() {
    const d = new Derivation();
    const failures: string[] = [];
    const sizes: string[] = [];
    for (let N = 1; N <= MAX_DEPTH; N++) {
      const s = dlnSymbols(N);
      const D = layerFamily(s, 'Δ'),
        G = layerFamily(s, 'Γ');
      const f = normalize(halfSquaredLoss(s));
      const E = residual(s);
      const alongD = s.W.map((w, k) => [w, D[k]] as const),
        alongG = s.W.map((w, k) => [w, G[k]] as const);
      const first = directionalDerivative(f, alongD);
      const second = directionalDerivative(f, alongD, 2);
      const p1x = mul(firstOrderProduct(s, D), s.X);
      const firstClosed = inner(E, p1x);
      const secondClosed = add(inner(p1x, p1x), mul(2, inner(E, mul(secondOrderProduct(s, D), s.X))));
      const a = proveIdentity(first, firstClosed);
      const b = proveIdentity(second, secondClosed);
      const mixedDG = directionalDerivative(directionalDerivative(f, alongD), alongG);
      const mixedGD = directionalDerivative(directionalDerivative(f, alongG), alongD);
      const c = proveIdentity(mixedDG, mixedGD);
      const polar = add(inner(p1x, mul(firstOrderProduct(s, G), s.X)), inner(E, mul(secondOrderProduct(s, D, G), s.X)));
      const e = proveIdentity(mixedDG, polar);
      for (const [name, p] of [
        ['first derivative', a],
        ['second derivative', b],
        ['symmetry', c],
        ['polarized form', e],
      ] as const) {
        if (!p.holds) failures.push(`N=${N} ${name}: ${describeIdentity(p, 'text', 3)}`);
      }
      sizes.push(`N=${N}: D²L has ${second.size} terms`);
      if (N === 2) {
        d.step(
          'Second derivative (N = 2)',
          `the Leibniz rule applied twice along Δ gives ${md('D²L[Δ,Δ] = ' + printNormalForm(second))}`,
          dm('D^{2}L[\\Delta,\\Delta] = ' + printNormalForm(second, 'latex')),
        );
        d.step(
          'Closed form (N = 2)',
          `${md(printExpr(secondClosed))} with ${md('P1(Δ) = ' + printExpr(firstOrderProduct(s, D)))}, ${md('P2(Δ) = ' + printExpr(secondOrderProduct(s, D)))}: ${describeIdentity(b)}; first derivative ${md('DL[Δ] = ' + printExpr(firstClosed))}: ${describeIdentity(a)}`,
          `${dm(printExpr(secondClosed, 'latex'))} ${describeIdentity(b, 'latex')}`,
        );
        d.step(
          'Symmetry (N = 2)',
          `${md('D_Γ D_Δ L = D_Δ D_Γ L')}: ${describeIdentity(c)}; both equal ${md(printExpr(polar))}: ${describeIdentity(e)}`,
          describeIdentity(c, 'latex'),
        );
      }
    }
    d.step(
      'All depths',
      `N = 1..${MAX_DEPTH} (non-square named dimensions): ${failures.length === 0 ? 'first derivative, second derivative, symmetry and polarized form all reduced to 0' : `FAILED: ${failures.slice(0, 3).join('; ')}`} (${sizes.join(', ')}).`,
    );
    const holds = failures.length === 0;
    return {
      holds,
      ...d.written(),
      detail: holds
        ? `N = 1..${MAX_DEPTH}: D²L[Δ,Δ] = ‖P1(Δ)X‖² + 2⟨E, P2(Δ)X⟩, D_ΓD_Δ L = D_ΔD_Γ L = polarized form, all reduced to 0`
        : failures.slice(0, 3).join('; '),
    };
  },
  numeric(seed) {
    const rng = new Rng(seed);
    const verdicts: Array<[string, Verdict]> = [];
    const cases: Array<[number, LossOptions]> = [
      [3, {}],
      [4, { scale: 'mean', weightDecay: 0.1 }],
      [2, { scale: 'sum' }],
    ];
    for (const [N, options] of cases) {
      const widths = nonSquareWidths(rng, N);
      const inst = randomInstance(rng, widths, rng.integer(3, 7));
      const W = inst.weights;
      const delta = randomDirection(rng, W),
        gamma = randomDirection(rng, W);
      const grads = layerGradients(W, inst.data, options);
      const h = hessianForm(W, inst.data, delta, delta, options);
      const tag = `N=${N}, scale ${options.scale ?? 'half'}, λ=${options.weightDecay ?? 0} (widths ${widths.join('×')})`;
      verdicts.push([
        `${tag} Taylor (slope 3)`,
        checkTaylor((w) => loss(w, inst.data, options), W, delta, {
          derivative: innerSum(grads, delta),
          secondDerivative: h,
        }),
      ]);
      // Symmetry, at the scale of the terms the form is built from.
      const g = endToEndGradient(endToEndNumeric(W), inst.data, options.scale ?? 'half');
      const p1d = multiply(firstOrderNumeric(W, delta), inst.data.X),
        p1g = multiply(firstOrderNumeric(W, gamma), inst.data.X);
      const dims = widths.reduce((a, b) => a + b, 0) + inst.data.X.cols;
      const scale =
        dims *
        (2 * frobeniusNorm(p1d) * frobeniusNorm(p1g) +
          frobeniusNorm(g) * frobeniusNorm(secondOrderNumeric(W, delta, gamma)) +
          (options.weightDecay ?? 0) * frobeniusNorm(delta[0]) * frobeniusNorm(gamma[0]) * N);
      verdicts.push([
        `${tag} symmetry`,
        checkScalarIdentity(
          hessianForm(W, inst.data, delta, gamma, options),
          hessianForm(W, inst.data, gamma, delta, options),
          { scale, label: '∇²L[Δ,Γ] vs ∇²L[Γ,Δ]' },
        ),
      ]);
      if (!options.scale && !options.weightDecay) {
        // The engine's D²L[Δ,Δ] evaluated on the same instance.
        const s = dlnSymbols(N);
        const D = layerFamily(s, 'Δ');
        const second = directionalDerivative(
          halfSquaredLoss(s),
          s.W.map((w, k) => [w, D[k]] as const),
          2,
        );
        const b = bindInstance(s, inst, Object.fromEntries(D.map((x, k) => [x.name, delta[k]])));
        const scale2 =
          dims * (frobeniusNorm(p1d) ** 2 + 2 * frobeniusNorm(g) * frobeniusNorm(secondOrderNumeric(W, delta, delta)));
        verdicts.push([
          `${tag} engine vs model`,
          checkScalarIdentity(evaluateScalar(second, b), h, {
            scale: scale2,
            label: 'symbolic D²L[Δ,Δ] evaluated vs model.hessianForm',
          }),
        ]);
      }
    }
    return numericFromVerdicts(verdicts);
  },
});
