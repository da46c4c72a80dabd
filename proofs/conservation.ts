/**
 * flow.conservation [P] (THEORY §2): along gradient flow Ẇ_j = −∇_{W_j}L every balancedness defect
 * C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ is constant.
 *
 * Symbolic (N = 2..6, every j): with G_k := ∇_{W_k}L as DERIVED by the engine, (a) the one-sided identity
 * Ẇ_jW_jᵀ − W_{j+1}ᵀẆ_{j+1} reduces to 0 after Ẇ_k := −G_k, and (b) the engine's time derivative of C_j
 * (Leibniz rule along Ẇ) reduces to 0 after the same substitution (the symmetrized form). Numeric: on a random
 * non-square instance the directional derivative of C_j along −∇L (computed with src/model's gradients) vanishes
 * to round-off (scale-aware identity check).
 */
import { checkIdentity, productScale } from '../src/check/identity.js';
import type { Verdict } from '../src/check/verdict.js';
import { Matrix } from '../src/linalg/matrix.js';
import { transpose as transposeMatrix } from '../src/linalg/products.js';
import { layerGradients } from '../src/model/gradients.js';
import { Rng } from '../src/random/rng.js';
import { directionalDerivative, gradient } from '../src/symbolic/differentiate.js';
import { balancednessDefect, type DlnSymbols, dlnSymbols, halfSquaredLoss, layerFamily } from '../src/symbolic/dln.js';
import { type MatrixSymbol, mul, sub, transpose } from '../src/symbolic/expr.js';
import { describeIdentity, proveIdentity } from '../src/symbolic/identity.js';
import type { NormalForm } from '../src/symbolic/normal-form.js';
import { normalize } from '../src/symbolic/normalize.js';
import { printExpr, printNormalForm } from '../src/symbolic/print.js';
import { Derivation, defineProof, dm, md, numericFromVerdicts, type Proof } from '../src/symbolic/proof.js';
import { substitute } from '../src/symbolic/substitute.js';
import { nonSquareWidths, nt, randomInstance, tn } from './support.js';

const MAX_DEPTH = 6;

/** Ẇ_k := −G_k for every layer, with G_k the engine's gradient of ½⟨E, E⟩. */
function flowSubstitution(N: number): { subs: Map<string, NormalForm>; s: DlnSymbols; wdot: MatrixSymbol[] } {
  const s = dlnSymbols(N);
  const f = normalize(halfSquaredLoss(s));
  const wdot = layerFamily(s, 'Ẇ');
  const subs = new Map<string, NormalForm>();
  s.W.forEach((w, k) => subs.set(wdot[k].name, gradient(f, w).neg()));
  return { subs, s, wdot };
}

export const conservation: Proof = defineProof({
  id: 'flow.conservation',
  statement:
    'Along gradient flow Ẇ_j = −∇_{W_j}L of L = ½‖W_N⋯W_1X − Y‖², every C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ is constant: Ẇ_jW_jᵀ = W_{j+1}ᵀẆ_{j+1}, hence dC_j/dt = 0',
  provenance: 'P',
  source: 'ACH 2018 / BRTW 2022 (balancedness is conserved); proof [D] THEORY §2 flow.conservation',
  symbolic() {
    const d = new Derivation();
    const failures: string[] = [];
    let cases = 0;
    let shown = false;
    for (let N = 2; N <= MAX_DEPTH; N++) {
      const { subs, s, wdot } = flowSubstitution(N);
      for (let j = 1; j <= N - 1; j++) {
        cases++;
        const oneSided = sub(mul(wdot[j - 1], transpose(s.W[j - 1])), mul(transpose(s.W[j]), wdot[j]));
        const a = proveIdentity(
          substitute(mul(wdot[j - 1], transpose(s.W[j - 1])), subs),
          substitute(mul(transpose(s.W[j]), wdot[j]), subs),
        );
        // dC_j/dt = d/dt(W_{j+1}ᵀW_{j+1}) − d/dt(W_jW_jᵀ), each by the Leibniz rule along Ẇ.
        const along = s.W.map((w, k) => [w, wdot[k]] as const);
        const upper = directionalDerivative(mul(transpose(s.W[j]), s.W[j]), along);
        const lower = directionalDerivative(mul(s.W[j - 1], transpose(s.W[j - 1])), along);
        const rate = directionalDerivative(balancednessDefect(s, j), along);
        const b = proveIdentity(substitute(upper, subs), substitute(lower, subs));
        if (!rate.equals(upper.sub(lower))) failures.push(`N=${N}, j=${j}: the Leibniz rule is inconsistent`);
        if (!a.holds) failures.push(`N=${N}, j=${j} one-sided: ${describeIdentity(a, 'text', 3)}`);
        if (!b.holds) failures.push(`N=${N}, j=${j} dC_j/dt: ${describeIdentity(b, 'text', 3)}`);
        if (!shown && N === 3 && j === 1) {
          shown = true;
          const g1 = subs.get('Ẇ_1')!.neg(),
            g2 = subs.get('Ẇ_2')!.neg();
          d.step(
            'Gradients (derived)',
            `for N = 3 the engine gives ${md('G_1 = ' + printNormalForm(g1))} and ${md('G_2 = ' + printNormalForm(g2))}`,
            `${dm('G_{1} = ' + printNormalForm(g1, 'latex'))} ${dm('G_{2} = ' + printNormalForm(g2, 'latex'))}`,
          );
          const left = substitute(mul(wdot[0], transpose(s.W[0])), subs),
            right = substitute(mul(transpose(s.W[1]), wdot[1]), subs);
          d.step(
            'One-sided identity',
            `with ${md('Ẇ_k := −G_k')} both ${md('Ẇ_1 W_1ᵀ')} and ${md('W_2ᵀ Ẇ_2')} expand to ${md(printNormalForm(left))}${left.equals(right) ? '' : ` (vs ${md(printNormalForm(right))})`}, so ${md(printExpr(oneSided))}: ${describeIdentity(a)}`,
            `${dm('\\dot W_{1} W_{1}^{\\top} = ' + printNormalForm(left, 'latex'))} ${dm('W_{2}^{\\top}\\dot W_{2} = ' + printNormalForm(right, 'latex'))} ${describeIdentity(a, 'latex')}`,
          );
          d.step(
            'Time derivative of C_1',
            `the Leibniz rule along Ẇ gives ${md('dC_1/dt = ' + printNormalForm(rate))}; after ${md('Ẇ_k := −G_k')}: ${describeIdentity(b)}`,
            `${dm('\\tfrac{d}{dt}C_{1} = ' + printNormalForm(rate, 'latex'))} ${describeIdentity(b, 'latex')}`,
          );
        }
      }
    }
    d.step(
      'All depths',
      `${cases} cases (N = 2..${MAX_DEPTH}, j = 1..N−1, non-square named dimensions): ${failures.length === 0 ? `both the one-sided identity and dC_j/dt reduced to 0` : `FAILED: ${failures.slice(0, 3).join('; ')}`}. Corollary: tr C_j = ‖W_{j+1}‖² − ‖W_j‖² is conserved.`,
    );
    const holds = failures.length === 0;
    return {
      holds,
      ...d.written(),
      detail: holds
        ? `${cases} cases N ≤ ${MAX_DEPTH}: Ẇ_jW_jᵀ − W_{j+1}ᵀẆ_{j+1} and dC_j/dt reduced to 0 after Ẇ := −∇L`
        : failures.slice(0, 3).join('; '),
    };
  },
  numeric(seed) {
    const rng = new Rng(seed);
    const N = 4;
    const widths = nonSquareWidths(rng, N);
    const inst = randomInstance(rng, widths, rng.integer(3, 7));
    const W = inst.weights;
    const G = layerGradients(W, inst.data);
    const verdicts: Array<[string, Verdict]> = [];
    for (let j = 1; j <= N - 1; j++) {
      // D C_j[−G] = −(G_{j+1}ᵀW_{j+1} + W_{j+1}ᵀG_{j+1}) + G_jW_jᵀ + W_jG_jᵀ.
      const wj = W[j - 1],
        wk = W[j],
        gj = G[j - 1],
        gk = G[j];
      const plus = [nt(gj, wj), nt(wj, gj)];
      const minus = [tn(gk, wk), tn(wk, gk)];
      const lhs = new Matrix(widths[j], widths[j]),
        rhs = new Matrix(widths[j], widths[j]);
      for (const m of plus) for (let i = 0; i < m.data.length; i++) lhs.data[i] += m.data[i];
      for (const m of minus) for (let i = 0; i < m.data.length; i++) rhs.data[i] += m.data[i];
      const scale = 2 * productScale([gj, transposeMatrix(wj)]) + 2 * productScale([transposeMatrix(gk), wk]);
      verdicts.push([
        `j=${j} (widths ${widths.join('×')})`,
        checkIdentity(lhs, rhs, {
          scale,
          label: `D C_${j}[−∇L]: G_jW_jᵀ + W_jG_jᵀ vs G_{j+1}ᵀW_{j+1} + W_{j+1}ᵀG_{j+1}`,
        }),
      ]);
    }
    return numericFromVerdicts(verdicts);
  },
});
