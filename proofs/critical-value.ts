/**
 * THEORY §3 (crit.structure): at a critical point W_{N:1} = U_SU_SᵀΣ_YXΣ_XX⁻¹ the loss is ½(tr Σ_YY − Σ_{i∈S} λ_i).
 *
 * Symbolic: with W := U Uᵀ Y Xᵀ Ci (Ci = Σ_XX⁻¹, symmetric) and the side relations X Xᵀ Ci = I (Σ_XXΣ_XX⁻¹ = I),
 * UᵀU = I (orthonormal U_S) and Y Xᵀ Ci X Yᵀ U = U Λ (ΣU_S = U_SΛ_S, Σ = Σ_YXΣ_XX⁻¹Σ_XY), the non-commutative
 * algebra reduces ½‖WX − Y‖² − (½tr(YYᵀ) − ½tr Λ) to 0, and tr Λ_S = Σ_{i∈S} λ_i. Numeric: the loss at exact
 * constructed critical points (random S, depth 2–5, gauges, whitened / conditioned / rank-deficient X, all three
 * scales) against THEORY's literal κ·½(‖Y‖² − Σ_{i∈S} σ_i²), within the round-off bound.
 */
import { compare } from '../src/check/verdict.js';
import { admissibleKinds, randomCriticalPoint } from '../src/landscape/construct.js';
import { landscapeData } from '../src/landscape/data.js';
import { buildFrame, criticalValueLiteral } from '../src/landscape/frame.js';
import { lossTolerance } from '../src/landscape/tolerances.js';
import { loss } from '../src/model/loss.js';
import { Rng } from '../src/random/rng.js';
import { identity, matrixSymbol, mul, normSquared, scale, sub, trace, transpose } from '../src/symbolic/expr.js';
import { describeIdentity, proveIdentity } from '../src/symbolic/identity.js';
import { printExpr } from '../src/symbolic/print.js';
import { Derivation, defineProof, md, numericFromVerdicts, type Proof } from '../src/symbolic/proof.js';
import { rule } from '../src/symbolic/rewrite.js';

export const criticalValueProof: Proof = defineProof({
  id: 'crit.critical-value',
  statement:
    'At a critical point with W_{N:1} = U_SU_SᵀΣ_YXΣ_XX⁻¹: L = ½‖W_{N:1}X − Y‖² = ½(tr Σ_YY − Σ_{i∈S} λ_i) (κ times that for the other loss scales)',
  provenance: 'D',
  source: 'critical value of THEORY §3 crit.structure (derived; consistent with Baldi–Hornik 1989, Kawaguchi 2016)',
  symbolic() {
    const X = matrixSymbol('X', 'd', 'm'),
      Y = matrixSymbol('Y', 'n', 'm');
    const Ci = matrixSymbol('Ci', 'd', 'd', { symmetric: true, latex: '\\Sigma_{XX}^{-1}' });
    const U = matrixSymbol('U', 'n', 'r'),
      Lam = matrixSymbol('Λ', 'r', 'r', { symmetric: true, latex: '\\Lambda_S' });
    const W = mul(U, transpose(U), Y, transpose(X), Ci);
    const lhs = scale('1/2', normSquared(sub(mul(W, X), Y)));
    const rhs = sub(scale('1/2', trace(mul(Y, transpose(Y)))), scale('1/2', trace(Lam)));
    const rules = [
      rule(mul(X, transpose(X), Ci), identity('d'), 'Σ_XXΣ_XX⁻¹ = I'),
      rule(mul(transpose(U), U), identity('r'), 'U_SᵀU_S = I'),
      rule(mul(Y, transpose(X), Ci, X, transpose(Y), U), mul(U, Lam), 'ΣU_S = U_SΛ_S'),
    ];
    const proof = proveIdentity(lhs, rhs, { rules });
    // Without the eigen-relation the reduction must fail (a proof that cannot fail proves nothing).
    const control = proveIdentity(lhs, rhs, { rules: rules.slice(0, 2) });
    const d = new Derivation()
      .step(
        'Critical product',
        `${md(`W := ${printExpr(W)}`)} with ${md('Ci = Σ_XX⁻¹')}: THEORY's ${md('W_{N:1} = U_SU_SᵀΣ_YXΣ_XX⁻¹')}.`,
      )
      .step(
        'Side relations',
        `${md('X Xᵀ Ci = I')}, ${md('UᵀU = I')}, ${md('Y Xᵀ Ci X Yᵀ U = U Λ')} (the columns of ${md('U_S')} are eigenvectors of ${md('Σ = Σ_YXΣ_XX⁻¹Σ_XY')}).`,
      )
      .step('Claim', md(`${printExpr(lhs)} = ${printExpr(rhs)}`))
      .step('Reduction', `${describeIdentity(proof)}; without the eigen-relation: ${describeIdentity(control)}.`)
      .step(
        'Conclusion',
        `${md('tr Λ_S = Σ_{i∈S} λ_i')} and ${md('tr(YYᵀ) = tr Σ_YY')}, so ${md('L = ½(tr Σ_YY − Σ_{i∈S} λ_i)')}.`,
      );
    return {
      holds: proof.holds && !control.holds,
      ...d.written(),
      detail: `½‖WX − Y‖² − ½(tr YYᵀ − tr Λ) ≡ 0 under 3 side relations (${proof.termsBefore} terms); fails without the eigen-relation, as it must`,
    };
  },
  numeric(seed) {
    const rng = new Rng(seed);
    let worst: ReturnType<typeof compare> | undefined;
    let count = 0;
    for (let t = 0; t < 24; t++) {
      const N = 2 + (t % 4);
      const widths = Array.from({ length: N + 1 }, () => rng.integer(1, 4));
      const inputs = (['whitened', 'conditioned', 'deficient'] as const)[t % 3];
      if (inputs === 'deficient') widths[0] = Math.max(widths[0], 2);
      const data = landscapeData(rng, { d0: widths[0], dN: widths[N], inputs, samples: widths[0] + rng.integer(0, 3) });
      const sc = (['half', 'sum', 'mean'] as const)[t % 3];
      const frame = buildFrame(data, sc);
      const kinds = admissibleKinds(frame, widths);
      const p = randomCriticalPoint(rng, frame, data, widths, kinds[t % kinds.length]);
      const L = loss(p.weights, data, { scale: sc });
      const lit = criticalValueLiteral(frame, p.S);
      // The literal form cancels ‖Y‖² against Σσ_i²: the round-off of ‖Y‖² enters the bound too.
      const bound =
        lossTolerance(p.weights, data, sc) +
        8 * Number.EPSILON * frame.kappa * frame.yNormSquared * (widths[N] + data.X.cols);
      const v = compare({
        measured: Math.abs(L - lit),
        bound,
        errorModel: 'τ_L + 8ε·κ‖Y‖²·(d_N + m) (the literal form cancels ‖Y‖² against Σσ_i²)',
        detail: `widths ${widths.join('-')}, ${inputs} X, scale ${sc}, S = {${p.S}}: L = ${L.toExponential(3)} vs κ·½(tr Σ_YY − Σ_{i∈S}λ_i) = ${lit.toExponential(3)}`,
      });
      count++;
      if (!worst || v.margin < worst.margin) worst = v;
    }
    return numericFromVerdicts([[`worst of ${count} constructed critical points (depth 2–5)`, worst!]]);
  },
});
