/**
 * metric.riemannian-gradient [P/D, BRTW] (THEORY §2): with g_W(ξ, η) := Σ_{a≤k or b≤k} ξ̃_ab η̃_ab / c_ab on T_W M_k
 * (SVD coordinates ξ̃ = ŨᵀξṼ), g_W(A_W∇L¹(W), ξ) = ⟨∇L¹(W), ξ⟩ for every tangent ξ: A_W∇L¹ is the Riemannian
 * gradient of L¹ restricted to M_k.
 *
 * Symbolic: (1) orthogonal invariance ⟨ŨᵀGṼ, ŨᵀξṼ⟩ = ⟨G, ξ⟩ and Ũ(ŨᵀZṼ)Ṽᵀ = Z by the engine with the side
 * relations ŨᵀŨ = ŨŨᵀ = I, ṼᵀṼ = ṼṼᵀ = I; (2) for ξ = U_kAV_kᵀ + U_kBV_⊥ᵀ + U_⊥CV_kᵀ the engine reduces the block
 * U_⊥ᵀξV_⊥ (entries a, b > k) to 0 with U_kᵀU_k = I, U_⊥ᵀU_⊥ = I, U_⊥ᵀU_k = 0 (same for V); (3) per entry,
 * (c·G̃·ξ̃)/c = G̃·ξ̃ by mathjs, and c_ab > 0 when a ≤ k or b ≤ k (S_N(x, y) − x^{N−1} and S_N(x, y) − y^{N−1} have
 * non-negative coefficients, exact). Numeric: random rank-k W, random tangent ξ, both sides compared at round-off,
 * and g_W(A_W∇L¹, ξ) against a Taylor test of L¹ along the retraction t ↦ [W + tξ]_k.
 */
import { simplify } from 'mathjs';
import { checkScalarIdentity } from '../src/check/identity.js';
import { checkTaylor } from '../src/check/taylor.js';
import type { Verdict } from '../src/check/verdict.js';
import { frobeniusInner, frobeniusNorm } from '../src/linalg/frobenius.js';
import { bestRankK } from '../src/linalg/low-rank.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import { DEFAULT_PSD_RTOL, gramPower } from '../src/linalg/psd-power.js';
import { fullSvd, selectColumns, svd } from '../src/linalg/svd.js';
import { endToEndGradient, endToEndLoss } from '../src/model/loss.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { Rng } from '../src/random/rng.js';
import { add, identity, inner, matrixSymbol, mul, transpose, zero } from '../src/symbolic/expr.js';
import { describeIdentity, proveIdentity } from '../src/symbolic/identity.js';
import { polyFromMathjs } from '../src/symbolic/polynomial-identity.js';
import { printExpr } from '../src/symbolic/print.js';
import {
  Derivation,
  defineProof,
  dm,
  md,
  type NumericOutcome,
  numericFromVerdicts,
  type Proof,
} from '../src/symbolic/proof.js';
import { rule } from '../src/symbolic/rewrite.js';
import { geometricSum } from './metric-coefficients.js';

/** c_ab = Σ_j σ_a^{2(N−j)/N} σ_b^{2(j−1)/N} from the definition (0⁰ := 1), on truncated singular values. */
function coefficientFromDefinition(sa: number, sb: number, N: number): number {
  let c = 0;
  for (let j = 1; j <= N; j++) {
    const pa = (2 * (N - j)) / N,
      pb = (2 * (j - 1)) / N;
    c += (pa === 0 ? 1 : sa ** pa) * (pb === 0 ? 1 : sb ** pb);
  }
  return c;
}

interface Instance {
  W: Matrix;
  G: Matrix;
  xi: Matrix;
  k: number;
  N: number;
  data: { X: Matrix; Y: Matrix };
}

/** A random rank-k W (d_N×d_0), data, and a tangent (or, for the false variant, a normal-space-polluted) ξ. */
function instance(rng: Rng, dN: number, d0: number, k: number, N: number, tangent: boolean): Instance {
  const W = multiply(gaussianMatrix(rng, dN, k), gaussianMatrix(rng, k, d0));
  const X = gaussianMatrix(rng, d0, 7),
    Y = gaussianMatrix(rng, dN, 7);
  const data = { X, Y };
  const G = endToEndGradient(W, data);
  const f = fullSvd(W, 'W');
  const Uk = selectColumns(f.U, range(0, k)),
    Up = selectColumns(f.U, range(k, dN));
  const Vk = selectColumns(f.V, range(0, k)),
    Vp = selectColumns(f.V, range(k, d0));
  const A = gaussianMatrix(rng, k, k),
    B = gaussianMatrix(rng, k, d0 - k),
    C = gaussianMatrix(rng, dN - k, k);
  const xi = multiply(multiply(Uk, A), Vk, 'n', 't');
  for (const t of [multiply(multiply(Uk, B), Vp, 'n', 't'), multiply(multiply(Up, C), Vk, 'n', 't')])
    for (let i = 0; i < xi.data.length; i++) xi.data[i] += t.data[i];
  if (!tangent) {
    const D = gaussianMatrix(rng, dN - k, d0 - k);
    const normal = multiply(multiply(Up, D), Vp, 'n', 't');
    for (let i = 0; i < xi.data.length; i++) xi.data[i] += normal.data[i];
  }
  return { W, G, xi, k, N, data };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(b - a, 0) }, (_, i) => a + i);
}

/** g_W(A_W G, ξ) in SVD coordinates and ⟨G, ξ⟩, with the scale of the terms. */
function bothSides(inst: Instance): { lhs: number; rhs: number; scale: number } {
  const { W, G, xi, N } = inst;
  const thin = svd(W, 'W');
  // A_W(G) = Σ_j (WWᵀ)^{(N−j)/N} G (WᵀW)^{(j−1)/N}, rank-truncated powers.
  const AG = new Matrix(G.rows, G.cols);
  let opScale = 0;
  for (let j = 1; j <= N; j++) {
    const P = gramPower(thin, (N - j) / N, 'WWt').matrix,
      Q = gramPower(thin, (j - 1) / N, 'WtW').matrix;
    const t = multiply(multiply(P, G), Q);
    for (let i = 0; i < t.data.length; i++) AG.data[i] += t.data[i];
    opScale += frobeniusNorm(P) * frobeniusNorm(Q);
  }
  const f = fullSvd(W, 'W');
  const cut = DEFAULT_PSD_RTOL * (f.s[0] ?? 0);
  const sigma = (i: number): number => (i < f.s.length && f.s[i] > cut ? f.s[i] : 0);
  const AGt = multiply(multiply(f.U, AG, 't', 'n'), f.V),
    xit = multiply(multiply(f.U, xi, 't', 'n'), f.V);
  let lhs = 0,
    terms = 0,
    cMin = Infinity;
  for (let a = 0; a < G.rows; a++)
    for (let b = 0; b < G.cols; b++) {
      if (a >= inst.k && b >= inst.k) continue;
      const c = coefficientFromDefinition(sigma(a), sigma(b), N);
      const term = (AGt.data[a * G.cols + b] * xit.data[a * G.cols + b]) / c;
      lhs += term;
      terms += Math.abs(term);
      cMin = Math.min(cMin, c);
    }
  const rhs = frobeniusInner(G, xi);
  // Error model: A_W(G) is formed to ~dims·ε·Σ_j‖P_j‖‖Q_j‖‖G‖ and then divided by c_ab ≥ cMin; the sums add their terms.
  const dims = G.rows + G.cols;
  return { lhs, rhs, scale: dims * (terms + (opScale * frobeniusNorm(G) * frobeniusNorm(xi)) / cMin) };
}

/** The numeric comparison g_W(A_W∇L¹, ξ) vs ⟨∇L¹, ξ⟩ (tangent = false: the false variant, expected to fail). */
export function riemannianGradientCheck(seed: number, options: { tangent?: boolean; N?: number } = {}): Verdict {
  const rng = new Rng(seed);
  const inst = instance(rng, 5, 4, 2, options.N ?? 3, options.tangent ?? true);
  const { lhs, rhs, scale } = bothSides(inst);
  return checkScalarIdentity(lhs, rhs, {
    scale,
    label: `g_W(A_W∇L¹, ξ) vs ⟨∇L¹, ξ⟩ (${options.tangent === false ? 'ξ NOT tangent' : 'ξ tangent'}, W 5×4 rank 2, N = ${inst.N})`,
  });
}

export const riemannianGradient: Proof = defineProof({
  id: 'metric.riemannian-gradient',
  statement:
    'For W of rank k and every ξ ∈ T_W M_k, g_W(A_W∇L¹(W), ξ) = ⟨∇L¹(W), ξ⟩, with g_W(ξ, η) = Σ_{a≤k or b≤k} ξ̃_ab η̃_ab / c_ab in SVD coordinates: A_W∇L¹ is the Riemannian gradient of L¹ on (M_k, g)',
  provenance: 'P',
  source: 'BRTW 2022 (balanced DLN flow = Riemannian gradient flow on M_k); THEORY §2 metric.riemannian-gradient',
  symbolic() {
    const d = new Derivation();
    const failures: string[] = [];
    // (1) Orthogonal invariance in SVD coordinates.
    const U = matrixSymbol('Ũ', 'd_N', 'd_N', { latex: '\\tilde U' }),
      V = matrixSymbol('Ṽ', 'd_0', 'd_0', { latex: '\\tilde V' });
    const G = matrixSymbol('G', 'd_N', 'd_0'),
      xi = matrixSymbol('ξ', 'd_N', 'd_0'),
      Z = matrixSymbol('Z', 'd_N', 'd_0');
    const orth = [
      rule(mul(transpose(U), U), identity('d_N'), 'ŨᵀŨ = I'),
      rule(mul(U, transpose(U)), identity('d_N'), 'ŨŨᵀ = I'),
      rule(mul(transpose(V), V), identity('d_0'), 'ṼᵀṼ = I'),
      rule(mul(V, transpose(V)), identity('d_0'), 'ṼṼᵀ = I'),
    ];
    const coords = (m: typeof G) => mul(transpose(U), m, V);
    const inv = proveIdentity(inner(coords(G), coords(xi)), inner(G, xi), { rules: orth });
    const back = proveIdentity(mul(U, coords(Z), transpose(V)), Z, { rules: orth });
    if (!inv.holds) failures.push(`orthogonal invariance: ${describeIdentity(inv)}`);
    if (!back.holds) failures.push(`reconstruction: ${describeIdentity(back)}`);
    d.step(
      'SVD coordinates',
      `with ${md('ŨᵀŨ = ŨŨᵀ = I, ṼᵀṼ = ṼṼᵀ = I')} as rewrite rules (applied cyclically inside traces): ${md(printExpr(inner(coords(G), coords(xi))) + ' = ⟨G, ξ⟩')}: ${describeIdentity(inv)}; ${md('Ũ (ŨᵀZṼ) Ṽᵀ = Z')}: ${describeIdentity(back)}. So ⟨G, ξ⟩ = Σ_ab G̃_ab ξ̃_ab.`,
      `${dm('\\langle \\tilde U^{\\top} G \\tilde V, \\tilde U^{\\top} \\xi \\tilde V\\rangle = \\langle G, \\xi\\rangle')} ${describeIdentity(inv, 'latex')}`,
    );
    // (2) Tangent vectors have a zero (a, b > k) block.
    const Uk = matrixSymbol('U_k', 'd_N', 'k'),
      Up = matrixSymbol('U_⊥', 'd_N', 'p', { latex: 'U_{\\perp}' });
    const Vk = matrixSymbol('V_k', 'd_0', 'k'),
      Vp = matrixSymbol('V_⊥', 'd_0', 'q', { latex: 'V_{\\perp}' });
    const A = matrixSymbol('A', 'k', 'k'),
      B = matrixSymbol('B', 'k', 'q'),
      C = matrixSymbol('C', 'p', 'k'),
      Dn = matrixSymbol('D', 'p', 'q');
    const blocks = [
      rule(mul(transpose(Uk), Uk), identity('k')),
      rule(mul(transpose(Up), Up), identity('p')),
      rule(mul(transpose(Up), Uk), zero('p', 'k')),
      rule(mul(transpose(Vk), Vk), identity('k')),
      rule(mul(transpose(Vp), Vp), identity('q')),
      rule(mul(transpose(Vp), Vk), zero('q', 'k')),
    ];
    const tangent = add(mul(Uk, A, transpose(Vk)), mul(Uk, B, transpose(Vp)), mul(Up, C, transpose(Vk)));
    const corner = proveIdentity(mul(transpose(Up), tangent, Vp), zero('p', 'q'), { rules: blocks });
    const blockA = proveIdentity(mul(transpose(Uk), tangent, Vk), A, { rules: blocks });
    const blockB = proveIdentity(mul(transpose(Uk), tangent, Vp), B, { rules: blocks });
    const blockC = proveIdentity(mul(transpose(Up), tangent, Vk), C, { rules: blocks });
    const normalCorner = proveIdentity(
      mul(transpose(Up), add(tangent, mul(Up, Dn, transpose(Vp))), Vp),
      zero('p', 'q'),
      { rules: blocks },
    );
    for (const [name, p] of [
      ['U_⊥ᵀξV_⊥ = 0', corner],
      ['U_kᵀξV_k = A', blockA],
      ['U_kᵀξV_⊥ = B', blockB],
      ['U_⊥ᵀξV_k = C', blockC],
    ] as const) {
      if (!p.holds) failures.push(`${name}: ${describeIdentity(p)}`);
    }
    if (normalCorner.holds) failures.push('a normal component U_⊥DV_⊥ᵀ was not detected');
    d.step(
      'Tangent vectors',
      `${md('ξ = ' + printExpr(tangent))}; with the block relations ${md('U_kᵀU_k = I, U_⊥ᵀU_⊥ = I, U_⊥ᵀU_k = 0')} (and for V): ${md('U_⊥ᵀ ξ V_⊥ = 0')}: ${describeIdentity(corner)}; the other blocks are A, B, C (${[blockA, blockB, blockC].every((p) => p.holds) ? 'reduced' : 'NOT reduced'}). So ξ̃_ab = 0 when a, b > k. (For ξ + U_⊥DV_⊥ᵀ the corner is ${normalCorner.holds ? '0 (?)' : md('D') + ' ≠ 0: the false variant'}.)`,
      `${dm('U_{\\perp}^{\\top}\\left(U_k A V_k^{\\top} + U_k B V_{\\perp}^{\\top} + U_{\\perp} C V_k^{\\top}\\right) V_{\\perp} = 0')} ${describeIdentity(corner, 'latex')}`,
    );
    // (3) Per entry: (c·g·x)/c = g·x with c ≠ 0, and c_ab > 0 when a ≤ k or b ≤ k.
    const cancel = simplify('(c*g*x)/c - g*x').toString();
    if (cancel !== '0') failures.push(`mathjs: (c*g*x)/c - g*x → ${cancel}`);
    let positivity = true;
    for (let N = 1; N <= 10; N++) {
      const S = polyFromMathjs(geometricSum(N));
      for (const rest of [S.sub(polyFromMathjs(`x^${N - 1}`)), S.sub(polyFromMathjs(`y^${N - 1}`))]) {
        if (rest.entries().some((t) => t.coef.sign() < 0)) positivity = false;
      }
    }
    if (!positivity) failures.push('c_ab ≥ σ_a^{2(N−1)/N} fails');
    d.step(
      'Entries',
      `mathjs: ${md('(c*g*x)/c - g*x')} → ${md(cancel)} (for c ≠ 0); c_ab = S_N(x, y) ≥ x^{N−1} = σ_a^{2(N−1)/N} > 0 for a ≤ k and ≥ y^{N−1} = σ_b^{2(N−1)/N} > 0 for b ≤ k, because S_N − x^{N−1} and S_N − y^{N−1} have non-negative coefficients (exact, N = 1..10): ${positivity ? 'yes' : 'NO'}.`,
      dm(
        '\\frac{c_{ab}\\,\\tilde G_{ab}\\,\\tilde\\xi_{ab}}{c_{ab}} = \\tilde G_{ab}\\tilde\\xi_{ab},\\qquad c_{ab} \\ge \\sigma_a^{2(N-1)/N} > 0\\ (a \\le k)',
      ),
    );
    d.step(
      'Conclusion',
      'with (ŨᵀA_W(G)Ṽ)_ab = c_ab G̃_ab (metric.svd-form): g_W(A_W G, ξ) = Σ_{a≤k or b≤k} c_ab G̃_ab ξ̃_ab / c_ab = Σ_{a≤k or b≤k} G̃_ab ξ̃_ab = Σ_ab G̃_ab ξ̃_ab (the a, b > k block of ξ̃ is 0) = ⟨G, ξ⟩.',
      dm(
        'g_W(A_W G, \\xi) = \\sum_{a \\le k \\text{ or } b \\le k} \\tilde G_{ab}\\tilde\\xi_{ab} = \\sum_{a,b} \\tilde G_{ab}\\tilde\\xi_{ab} = \\langle G, \\xi\\rangle',
      ),
    );
    const holds = failures.length === 0;
    return {
      holds,
      ...d.written(),
      detail: holds
        ? 'orthogonal invariance and the tangent block structure reduced to 0 with side relations; per-entry cancellation by mathjs; c_ab > 0 off the (a, b > k) block'
        : failures.slice(0, 3).join('; '),
    };
  },
  numeric(seed): NumericOutcome {
    const verdicts: Array<[string, Verdict]> = [];
    for (const N of [2, 3, 4]) verdicts.push([`N=${N} identity`, riemannianGradientCheck(seed + N, { N })]);
    // g_W(A_W∇L¹, ξ) is the derivative of L¹ along a curve in M_k through W with velocity ξ (retraction).
    const rng = new Rng(seed);
    const inst = instance(rng, 5, 4, 2, 3, true);
    const { lhs } = bothSides(inst);
    const retract = (p: readonly Matrix[]): number => endToEndLoss(bestRankK(p[0], inst.k).matrix, inst.data);
    verdicts.push(['retraction Taylor', checkTaylor(retract, [inst.W], [inst.xi], { derivative: lhs })]);
    return numericFromVerdicts(verdicts);
  },
});
