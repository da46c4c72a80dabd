import { checkIdentity, checkScalarIdentity } from '../check/identity.js';
import { compare, EPS, type Verdict, worstOf } from '../check/verdict.js';
import { parameterNormSquared } from '../completion/weight-decay.js';
import { explain } from '../flow/state-measures.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { balancedFactorization } from '../model/balanced-init.js';
import { endToEnd } from '../model/partial-products.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import { Rng } from '../random/rng.js';
import type { SchattenInstance } from './instances.js';

/** L·‖A‖_{S_{2/L}}^{2/L} = L Σ_i σ_i^{2/L}. */
export const schattenFormula = (spectrum: readonly number[], L: number): number =>
  L * spectrum.reduce((s, x) => s + Math.pow(x, 2 / L), 0);

/** An invertible d×d matrix G = Q_1 diag(e^{t z_i}) Q_2ᵀ and its exact inverse Q_2 diag(e^{−t z_i}) Q_1ᵀ. */
function insertion(rng: Rng, d: number, t: number): { g: Matrix; inverse: Matrix; cond: number } {
  const q1 = randomOrthonormal(rng, d, d),
    q2 = randomOrthonormal(rng, d, d);
  const z = Array.from({ length: d }, () => rng.gaussian());
  const g = multiply(multiply(q1, Matrix.diag(z.map((x) => Math.exp(t * x)))), q2, 'n', 't');
  const inverse = multiply(multiply(q2, Matrix.diag(z.map((x) => Math.exp(-t * x)))), q1, 'n', 't');
  return { g, inverse, cond: Math.exp(t * (Math.max(...z) - Math.min(...z))) };
}

/**
 * (a) the balanced factorization has Σ_ℓ‖W_ℓ‖² = L Σ_i s_i(A)^{2/L} (so C(A) + λ‖θ‖² = C(A) + λL‖A‖_{S_{2/L}}^{2/L});
 * (b) its product is A (feasibility: fails when a width is below rank A);
 * (c) other factorizations W'_ℓ = G_ℓW_ℓG_{ℓ−1}⁻¹ of the same product cost at least as much (near-balanced ones too).
 * `formula` is the claimed minimum as a function of (σ, L) (default LΣσ_i^{2/L}; the FALSE variant passes L(Σσ_i)^{2/L}).
 */
export function checkSchattenCost(
  i: SchattenInstance,
  formula: (spectrum: readonly number[], depth: number) => number = schattenFormula,
): Verdict {
  const L = i.widths.length - 1;
  const rng = new Rng(i.frameSeed);
  // The best factorization the widths allow: balanced, of [A]_k with k = min(rank A, narrowest hidden width).
  const weights = balancedFactorization(i.target, i.widths, rng, { truncate: true });
  const kept = L === 1 ? i.spectrum.length : Math.min(i.spectrum.length, ...i.widths.slice(1, L));
  const schatten = formula(i.spectrum, L);
  const normSq = parameterNormSquared(weights);
  const dmax = Math.max(...i.widths);
  const verdicts: Verdict[] = [];
  const product = endToEnd(weights);
  const pscale =
    weights.reduce((s, w) => s + w.rows, weights[0].cols) * weights.reduce((p, w) => p * frobeniusNorm(w), 1);
  const feasible = explain(
    checkIdentity(product, i.target, {
      scale: pscale,
      c: 16,
      label: `W_{L:1} = A (rank ${i.spectrum.length}, narrowest hidden width ${L > 1 ? Math.min(...i.widths.slice(1, L)) : '—'}, ${kept} singular values representable)`,
    }),
    'scale = (Σd_j)·Π‖W_j‖_F (product round-off) + the SVD of A',
  );
  // An infeasible factorization is the whole story: report it rather than the cost identities that follow from it.
  if (feasible.status === 'fail') return feasible;
  verdicts.push(feasible);
  verdicts.push(
    explain(
      checkScalarIdentity(normSq, schatten, {
        scale: (dmax + 2) * normSq,
        c: 8,
        label: `Σ‖W_ℓ‖² = claimed minimum ${fmt(schatten)} at the balanced factorization (L = ${L})`,
      }),
      'scale = (max d + 2)·Σ‖W_ℓ‖² (each W_ℓ is a product of 3 factors)',
    ),
  );
  // (c) other factorizations of the same product.
  let worstGap = Infinity,
    worstT = 0;
  let allowance = 0;
  for (const t of i.insertions) {
    const gs = i.widths.map((d, l) => (l === 0 || l === L ? undefined : insertion(rng, d, t)));
    const other = weights.map((w, l) => {
      let m = w;
      const left = gs[l + 1],
        right = gs[l];
      if (left) m = multiply(left.g, m);
      if (right) m = multiply(m, right.inverse);
      return m;
    });
    const cost = parameterNormSquared(other);
    const condProduct = gs.reduce((p, g) => p * (g ? g.cond : 1), 1);
    const gap = (cost - schatten) / schatten;
    // Each W'_ℓ carries ≤ 2(max d + 2)ε·cond relative error in its entries, so Σ‖W'_ℓ‖² is known to ~4(max d + 2)ε·cond².
    const tol = 4 * (dmax + 2) * EPS * condProduct * condProduct;
    if (gap + tol < worstGap + allowance) [worstGap, worstT, allowance] = [gap, t, tol];
  }
  verdicts.push(
    compare({
      measured: worstGap,
      bound: -allowance,
      comparison: '>=',
      errorModel: `relative excess (Σ‖W'_ℓ‖² − LΣs^{2/L})/(LΣs^{2/L}) over insertions G_ℓ of size t ∈ {${i.insertions.join(', ')}}; round-off allowance 4(max d + 2)ε·cond(G)² = ${fmt(allowance)}`,
      detail: `another factorization of A (G_ℓW_ℓG_{ℓ−1}⁻¹, t = ${worstT}) costs ${fmt(worstGap)} relatively more than the balanced one`,
    }),
  );
  return worstOf(verdicts);
}
