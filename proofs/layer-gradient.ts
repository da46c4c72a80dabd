/**
 * grad.layer [P, ACH/BRTW] (THEORY §1): ∇_{W_j} ½‖W_N⋯W_1X − Y‖² = W_{N:j+1}ᵀ(WX − Y)Xᵀ W_{j−1:1}ᵀ.
 *
 * Symbolic: for every N = 1..8 and j = 1..N the engine differentiates ½⟨E, E⟩ with respect to W_j (trace rules, no
 * closed form involved), and the difference with the closed form reduces to 0. Independently, on the small
 * concrete shapes N = 3, widths (2, 3, 2, 2), m = 2, both the derived gradient and the closed form agree exactly
 * with mathjs's entrywise derivative. Numeric: Taylor-remainder test (slope 2) of src/model's loss with the
 * closed-form gradient, and an identity check against src/model's layerGradients, on random non-square networks.
 */
import { checkIdentity, productScale } from '../src/check/identity.js';
import { checkTaylor } from '../src/check/taylor.js';
import type { Verdict } from '../src/check/verdict.js';
import { DlnvError } from '../src/errors.js';
import { transpose as transposeMatrix } from '../src/linalg/products.js';
import { layerGradients } from '../src/model/gradients.js';
import { loss, residual as residualMatrix } from '../src/model/loss.js';
import { Rng } from '../src/random/rng.js';
import { gradient } from '../src/symbolic/differentiate.js';
import {
  type DlnSymbols,
  dlnSymbols,
  endToEnd,
  halfSquaredLoss,
  layerGradientClosedForm,
} from '../src/symbolic/dln.js';
import { crossCheckGradient } from '../src/symbolic/entrywise.js';
import { evaluateMatrix } from '../src/symbolic/evaluate.js';
import type { Expr } from '../src/symbolic/expr.js';
import { describeIdentity, proveIdentity } from '../src/symbolic/identity.js';
import { normalize } from '../src/symbolic/normalize.js';
import { printExpr, printNormalForm } from '../src/symbolic/print.js';
import { Derivation, defineProof, dm, md, numericFromVerdicts, type Proof } from '../src/symbolic/proof.js';
import { bindInstance, innerSum, nonSquareWidths, randomDirection, randomInstance, timed } from './support.js';

export interface LayerGradientProofOptions {
  /** The claimed closed form of ∇_{W_j}L (default: THEORY's W_{N:j+1}ᵀ E Xᵀ W_{j−1:1}ᵀ). */
  closedForm?: (s: DlnSymbols, j: number) => Expr;
  /** Largest depth of the symbolic sweep (default 8). */
  maxDepth?: number;
  /** Symbol shapes of the symbolic sweep: named non-square (default) or all square. */
  dims?: 'named' | 'square';
  id?: string;
}

/** The concrete shapes of the mathjs cross-check. */
const CROSS_CHECK_WIDTHS = [2, 3, 2, 2];
const CROSS_CHECK_SAMPLES = 2;
/** Depths of the numeric confirmation. */
const NUMERIC_DEPTHS = [1, 3, 5, 8];

export function layerGradientProof(options: LayerGradientProofOptions = {}): Proof {
  const closedForm = options.closedForm ?? layerGradientClosedForm;
  const maxDepth = options.maxDepth ?? 8;
  const dims = options.dims ?? 'named';
  return defineProof({
    id: options.id ?? 'grad.layer',
    statement: '∇_{W_j} ½‖W_N⋯W_1X − Y‖_F² = W_{N:j+1}ᵀ (W_{N:1}X − Y) Xᵀ W_{j−1:1}ᵀ for every N ≥ 1 and j = 1..N',
    provenance: 'P',
    source: 'ACH 2018 / BRTW 2022 (layer gradients of a deep linear network); THEORY §1 grad.layer',
    symbolic() {
      const d = new Derivation();
      const failures: string[] = [];
      let cases = 0,
        cancelled = 0;
      const perDepth: string[] = [];
      for (let N = 1; N <= maxDepth; N++) {
        const t = timed(() => {
          const s = dlnSymbols(N, { dims });
          const f = normalize(halfSquaredLoss(s));
          for (let j = 1; j <= N; j++) {
            cases++;
            const g = gradient(f, s.W[j - 1]);
            let closed: Expr;
            try {
              closed = closedForm(s, j);
            } catch (e) {
              if (e instanceof DlnvError) {
                failures.push(`N=${N}, j=${j}: the closed form is ill-formed (${e.message})`);
                continue;
              }
              throw e;
            }
            const p = proveIdentity(g, closed);
            if (p.holds) cancelled += p.termsBefore;
            else failures.push(`N=${N}, j=${j}: ${describeIdentity(p, 'text', 3)}`);
          }
        });
        perDepth.push(`N=${N}: ${t.ms.toFixed(1)} ms`);
      }

      // A representative case written out.
      const s3 = dlnSymbols(3, { dims });
      const f3 = halfSquaredLoss(s3);
      const f3n = normalize(f3);
      const g32 = gradient(f3n, s3.W[1]);
      d.step(
        'Loss',
        `${md('L = ' + printExpr(f3))} with ${md('E := W_3 W_2 W_1 X − Y')} (N = 3 shown); expanded and with canonical traces: ${md('L = ' + printNormalForm(f3n))}`,
        `${dm('L = ' + printExpr(f3, 'latex') + ',\\quad E := W_{3}W_{2}W_{1}X - Y')} ${dm('L = ' + printNormalForm(f3n, 'latex'))}`,
      );
      d.step(
        'Trace rule',
        `each occurrence of W_j is rotated to the front of its trace: ${md('d tr(W_j B)/dW_j = Bᵀ')}, ${md('d tr(W_jᵀ B)/dW_j = B')} (so ${md('d tr(A X B)/dX = Aᵀ Bᵀ')}); for j = 2: ${md('∇_{W_2}L = ' + printNormalForm(g32))}`,
        `each occurrence of $W_j$ is rotated to the front of its trace, $\\partial\\operatorname{tr}(W_j B)/\\partial W_j = B^{\\top}$, $\\partial\\operatorname{tr}(W_j^{\\top}B)/\\partial W_j = B$: ${dm('\\nabla_{W_{2}}L = ' + printNormalForm(g32, 'latex'))}`,
      );
      let closedText = '(ill-formed)',
        closedLatex = '\\text{(ill-formed)}',
        reduction = '',
        reductionLatex = '';
      try {
        const c = closedForm(s3, 2);
        closedText = printExpr(c);
        closedLatex = printExpr(c, 'latex');
        const p = proveIdentity(g32, c);
        reduction = describeIdentity(p);
        reductionLatex = describeIdentity(p, 'latex');
      } catch (e) {
        if (!(e instanceof DlnvError)) throw e;
        reduction = `ill-formed: ${e.message}`;
        reductionLatex = '$\\text{ill-formed}$';
      }
      d.step(
        'Closed form',
        `${md('W_{N:j+1}ᵀ E Xᵀ W_{j−1:1}ᵀ = ' + closedText)}; ${reduction}`,
        `${dm('W_{N:j+1}^{\\top} E X^{\\top} W_{j-1:1}^{\\top} = ' + closedLatex)} ${reductionLatex}`,
      );
      d.step(
        'All depths',
        `${cases} cases (N = 1..${maxDepth}, j = 1..N, ${dims === 'named' ? 'non-square named dimensions d_0..d_N, m' : 'all dimensions n'}): ${failures.length === 0 ? `every difference reduced to 0 (${cancelled} terms cancelled)` : `${failures.length} did NOT reduce: ${failures.slice(0, 3).join('; ')}`}. Time per depth: ${perDepth.join(', ')}.`,
      );

      // Independent cross-check with mathjs on concrete shapes.
      const sx = dlnSymbols(3, { dims });
      const dimTable: Record<string, number> =
        dims === 'square'
          ? { n: 2 }
          : Object.fromEntries([
              ...CROSS_CHECK_WIDTHS.map((w, j) => [`d_${j}`, w] as const),
              ['m', CROSS_CHECK_SAMPLES] as const,
            ]);
      const fx = halfSquaredLoss(sx);
      const mathjsFailures: string[] = [];
      let entries = 0;
      for (let j = 1; j <= 3; j++) {
        const derived = crossCheckGradient(fx, sx.W[j - 1], gradient(fx, sx.W[j - 1]), { dims: dimTable, seed: 7 + j });
        entries += derived.entries;
        if (!derived.holds) mathjsFailures.push(`engine gradient, j=${j}: ${derived.detail}`);
        try {
          const closed = crossCheckGradient(fx, sx.W[j - 1], closedForm(sx, j), { dims: dimTable, seed: 7 + j });
          if (!closed.holds) mathjsFailures.push(`closed form, j=${j}: ${closed.detail}`);
        } catch (e) {
          if (!(e instanceof DlnvError)) throw e;
          mathjsFailures.push(`closed form, j=${j}: ill-formed (${e.message})`);
        }
      }
      const shapes =
        dims === 'square' ? 'all 2×2, m = 2' : `widths (${CROSS_CHECK_WIDTHS.join(', ')}), m = ${CROSS_CHECK_SAMPLES}`;
      d.step(
        'mathjs cross-check',
        `N = 3 on concrete shapes (${shapes}): every entry of W_j is a scalar symbol, mathjs differentiates the entrywise polynomial ½Σ E_ik² (never a matrix symbol); ${mathjsFailures.length === 0 ? `the derived gradients and the closed forms agree with it exactly (${entries} entries × 3 integer points each)` : `MISMATCH: ${mathjsFailures.join('; ')}`}.`,
      );

      const holds = failures.length === 0 && mathjsFailures.length === 0;
      return {
        holds,
        ...d.written(),
        detail: holds
          ? `${cases} cases N ≤ ${maxDepth} reduced to 0; mathjs entrywise derivative agrees (N = 3, ${shapes})`
          : [...failures, ...mathjsFailures].slice(0, 4).join('; '),
      };
    },
    numeric(seed) {
      const rng = new Rng(seed);
      const verdicts: Array<[string, Verdict]> = [];
      for (const N of NUMERIC_DEPTHS) {
        const widths = nonSquareWidths(rng, N);
        const inst = randomInstance(rng, widths, rng.integer(3, 7));
        const s = dlnSymbols(N);
        const b = bindInstance(s, inst);
        const claimed = s.W.map((_, j) => evaluateMatrix(closedForm(s, j + 1), b));
        const reference = layerGradients(inst.weights, inst.data);
        const E = residualMatrix(evaluateMatrix(endToEnd(s), b), inst.data);
        const scale = reference.reduce(
          (acc, _, j) =>
            acc +
            productScale([
              ...inst.weights.slice(j + 1).map(transposeMatrix),
              E,
              transposeMatrix(inst.data.X),
              ...inst.weights.slice(0, j).map(transposeMatrix),
            ]),
          0,
        );
        verdicts.push([
          `N=${N} closed form vs model.layerGradients (widths ${widths.join('×')})`,
          checkIdentity(claimed, reference, { scale, label: 'closed-form gradient vs src/model' }),
        ]);
        const xi = randomDirection(rng, inst.weights);
        verdicts.push([
          `N=${N} Taylor`,
          checkTaylor((w) => loss(w, inst.data), inst.weights, xi, { derivative: innerSum(claimed, xi) }),
        ]);
      }
      return numericFromVerdicts(verdicts);
    },
  });
}

export const layerGradient: Proof = layerGradientProof();
