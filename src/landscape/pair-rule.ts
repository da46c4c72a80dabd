import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { fullSvd, svd } from '../linalg/svd.js';
import { hessianForm } from '../model/hessian.js';
import type { Data } from '../model/loss.js';
import type { Weights } from '../model/network.js';
import type { Frame } from './frame.js';
import { absMatrix, gamma, hessianFormMagnitude, partialProducts } from './tolerances.js';

/**
 * THEORY §3's sufficient "pair rule" for strictness ([D]; validated on constructed critical points, necessity
 * unproven). In frame coordinates (layer 1 = W_1T), with R = Q̃ − W_{N:1}' = U_cΣ_cV_cᵀ,
 * α_k := U_cᵀ W_{N:k+1} and β_h := W_{h:1}' V_c, W is a strict saddle if for some layers h < k: β_{h−1} ≠ 0,
 * α_k ≠ 0 and [A] rank W_{k−1:h+1} > rank W_{k−1:1}'  or  [B] rank W_{N:h+1} < rank W_{k−1:h+1}
 * (W_{k−1:h+1} := I_{d_h} when k = h + 1).
 *
 * Certificate (when G := W_{N:k+1}ᵀ R W_{h−1:1}'ᵀ = α_kᵀΣ_cβ_{h−1}ᵀ ≠ 0): with (p, w) the top singular pair of
 * G (value g) and q, z chosen so that qᵀW_{k−1:h+1}z = c > 0 while [A] qᵀW_{k−1:1}' = 0 or [B] W_{N:h+1}z = 0,
 * the direction Δ_k = s⁻¹pqᵀ, Δ_h = s zwᵀ has ∇²L[Δ,Δ] = κ‖P1(Δ)‖² − 2κcg where only one layer contributes to
 * P1, scaled by s² ([A]) or s⁻² ([B]); s is chosen so that κ‖P1‖² = κcg/2, giving −(3/2)κcg < 0.
 */
export interface PairRuleCertificate {
  readonly h: number;
  readonly k: number;
  readonly condition: 'A' | 'B';
  readonly direction: Matrix[];
  readonly predicted: number;
  readonly measured: number;
  readonly tolerance: number;
  /** measured < −tolerance and |measured − predicted| ≤ tolerance. */
  readonly holds: boolean;
  readonly g: number;
  readonly c: number;
  readonly s: number;
  /** Δ_k = s⁻¹·p qᵀ, Δ_h = s·z wᵀ (frame coordinates for h = 1; mapped back by T⁺ in `direction`). */
  readonly vectors: { readonly p: number[]; readonly q: number[]; readonly z: number[]; readonly w: number[] };
}

export interface PairRuleResult {
  /** THEORY's rule, as stated (α_k ≠ 0, β_{h−1} ≠ 0 and [A] or [B]) holds for some pair. */
  readonly applies: boolean;
  readonly pairs: Array<{
    readonly h: number;
    readonly k: number;
    readonly condition: 'A' | 'B';
    readonly crossNonzero: boolean;
  }>;
  readonly certificate?: PairRuleCertificate;
  /**
   * Some rank or "≠ 0" decision had a singular value or norm within 1e4× of its cut (1e-9 relative): the
   * point is numerically close to a different rank pattern, so the rule's verdict is not trustworthy there.
   */
  readonly ambiguous: boolean;
  /** rank W_{h:1}' (h = 0..N) and rank W_{N:h} (h = 1..N+1), for reports. */
  readonly prefixRanks: number[];
  readonly suffixRanks: number[];
}

/**
 * Ranks and "≠ 0" are decided against the size of the computation, not of its result: a product that is 0 in
 * exact arithmetic (E_{b+1}E_b = 0 across a break) comes out as ~1e-17 and would otherwise have "rank 1".
 * `scale` is ‖|W_b|⋯|W_a|‖_F (absolute factors), and σ_i counts iff σ_i > RANK_RTOL·scale.
 */
const RANK_RTOL = 1e-9;

/**
 * A numerical rank is only meaningful with a gap: values in (rtol, AMBIGUITY·rtol]·scale could be either, and so
 * could values above the cut for their own (tiny) scale but below it for the network's. Such a value is recorded
 * through `onAmbiguous` (the rule is then reported as numerically ambiguous, never used).
 */
const AMBIGUITY = 1e4;

function rankOf(m: Matrix, scale: number, rtol = RANK_RTOL, onAmbiguous?: () => void, networkScale = 0): number {
  if (m.rows === 0 || m.cols === 0) return 0;
  const s = svd(m, 'pair-rule').s;
  let r = 0;
  while (r < s.length && s[r] > rtol * scale) r++;
  // Also ambiguous: a value counted as non-zero (relative to its own size) that is below the cut at the size of
  // the network (a layer that Newton or training drove to 1e-18 instead of 0 has full rank relative to itself).
  if (onAmbiguous && s.some((x) => x > rtol * scale && (x <= AMBIGUITY * rtol * scale || x <= rtol * networkScale)))
    onAmbiguous();
  return r;
}

/** x > rtol·scale, flagging values in the ambiguous band (relative to its own scale or to the network's). */
function nonzero(x: number, scale: number, rtol: number, onAmbiguous: () => void, networkScale = 0): boolean {
  if (x > rtol * scale && (x <= AMBIGUITY * rtol * scale || x <= rtol * networkScale)) onAmbiguous();
  return x > rtol * scale;
}

function topPair(m: Matrix): { u: Float64Array; v: Float64Array; s: number } {
  const f = svd(m, 'pair-rule');
  const u = new Float64Array(m.rows),
    v = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) u[i] = f.U.data[i * f.U.cols];
  for (let i = 0; i < m.cols; i++) v[i] = f.V.data[i * f.V.cols];
  return { u, v, s: f.s[0] ?? 0 };
}

function outer(a: Float64Array, b: Float64Array, scale: number): Matrix {
  const out = new Matrix(a.length, b.length);
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) out.data[i * b.length + j] = scale * a[i] * b[j];
  return out;
}

function matVec(m: Matrix, x: Float64Array, transpose = false): Float64Array {
  const out = new Float64Array(transpose ? m.cols : m.rows);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) {
      if (transpose) out[j] += m.data[i * m.cols + j] * x[i];
      else out[i] += m.data[i * m.cols + j] * x[j];
    }
  return out;
}

function norm2(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s;
}

export function evaluatePairRule(frame: Frame, weights: Weights, data: Data): PairRuleResult {
  const rtol = RANK_RTOL;
  const n = weights.length;
  const layers = [multiply(weights[0], frame.T), ...weights.slice(1)];
  const { below, above } = partialProducts(layers);
  // Layer 1 in frame coordinates is W_1T; its size is that of |W_1||T| (W_1 may be large on directions T kills).
  const absLayers = [multiply(absMatrix(weights[0]), absMatrix(frame.T)), ...weights.slice(1).map(absMatrix)];
  const absProducts = partialProducts(absLayers);
  const belowScale = absProducts.below.map((m) => frobeniusNorm(m));
  const aboveScale = absProducts.above.map((m) => frobeniusNorm(m));
  const P = below[n];
  const R = new Matrix(P.rows, P.cols);
  for (let i = 0; i < R.data.length; i++) R.data[i] = frame.Qt.data[i] - P.data[i];
  const fr = svd(R, 'R');
  const cut = 1e-8 * Math.max(frame.sigma[0] ?? 0, 1e-300);
  let c = 0;
  while (c < fr.s.length && fr.s[c] > cut) c++;
  const Uc = new Matrix(R.rows, c),
    Vc = new Matrix(R.cols, c);
  for (let i = 0; i < R.rows; i++) for (let k = 0; k < c; k++) Uc.data[i * c + k] = fr.U.data[i * fr.U.cols + k];
  for (let i = 0; i < R.cols; i++) for (let k = 0; k < c; k++) Vc.data[i * c + k] = fr.V.data[i * fr.V.cols + k];
  let ambiguous = false;
  const flag = () => {
    ambiguous = true;
  };
  // The network's size: a product of q layers is "negligible" below (max layer norm)^q.
  const M = Math.max(...absLayers.map((l) => frobeniusNorm(l)));
  const net = (q: number) => (q <= 0 ? 0 : Math.pow(M, q));
  const prefixRanks = below.map((m, h) => rankOf(m, belowScale[h], rtol, flag, net(h)));
  const suffixRanks = above.map((m, h) => rankOf(m, aboveScale[h], rtol, flag, net(n - h)));
  const pairs: Array<{ h: number; k: number; condition: 'A' | 'B'; crossNonzero: boolean }> = [];
  if (c === 0 || n < 2) return { applies: false, pairs, prefixRanks, suffixRanks, ambiguous };
  const alphaNonzero = (k: number) =>
    nonzero(frobeniusNorm(multiply(Uc, above[k], 't', 'n')), aboveScale[k], rtol, flag, net(n - k));
  const betaNonzero = (h: number) => nonzero(frobeniusNorm(multiply(below[h], Vc)), belowScale[h], rtol, flag, net(h));
  // middle(k, h) = W_{k−1:h+1} (layers h+1..k−1; all ≥ 2 because h ≥ 1), with the norm of its absolute version.
  const middleOf = (k: number, h: number, source: readonly Matrix[]): Matrix => {
    let m = Matrix.identity(source[h - 1].rows);
    for (let l = h + 1; l <= k - 1; l++) m = multiply(source[l - 1], m);
    return m;
  };
  const middle = (k: number, h: number): Matrix => middleOf(k, h, layers);
  const middleScale = (k: number, h: number): number => frobeniusNorm(middleOf(k, h, absLayers));
  const rScale = frobeniusNorm(frame.Qt) + frobeniusNorm(absProducts.below[n]);
  let best: { h: number; k: number; condition: 'A' | 'B' } | undefined;
  for (let k = 2; k <= n; k++) {
    if (!alphaNonzero(k)) continue;
    for (let h = 1; h < k; h++) {
      if (!betaNonzero(h - 1)) continue;
      const mid = middle(k, h);
      const rMid = rankOf(mid, middleScale(k, h), rtol, flag, net(k - h - 1));
      const conds: Array<'A' | 'B'> = [];
      if (rMid > prefixRanks[k - 1]) conds.push('A');
      if (suffixRanks[h] < rMid) conds.push('B');
      if (conds.length === 0) continue;
      const G = multiply(multiply(above[k], R, 't', 'n'), below[h - 1], 'n', 't');
      const crossNonzero = nonzero(
        frobeniusNorm(G),
        aboveScale[k] * rScale * belowScale[h - 1],
        rtol,
        flag,
        net(n - k + h - 1) * rScale,
      );
      for (const condition of conds) {
        pairs.push({ h, k, condition, crossNonzero });
        if (crossNonzero && !best) best = { h, k, condition };
      }
    }
  }
  const result = { applies: pairs.length > 0, pairs, prefixRanks, suffixRanks, ambiguous };
  if (!best) return result;
  return {
    ...result,
    certificate: pairCertificate(
      frame,
      weights,
      data,
      below,
      above,
      belowScale,
      aboveScale,
      R,
      best.h,
      best.k,
      best.condition,
      middle(best.k, best.h),
      rtol,
    ),
  };
}

function pairCertificate(
  frame: Frame,
  weights: Weights,
  data: Data,
  below: Matrix[],
  above: Matrix[],
  belowScale: number[],
  aboveScale: number[],
  R: Matrix,
  h: number,
  k: number,
  condition: 'A' | 'B',
  mid: Matrix,
  rtol: number,
): PairRuleCertificate {
  const kappa = frame.kappa;
  const G = multiply(multiply(above[k], R, 't', 'n'), below[h - 1], 'n', 't');
  const { u: p, v: w, s: g } = topPair(G);
  let q: Float64Array, z: Float64Array, c: number;
  if (condition === 'A') {
    // q ⊥ range W_{k−1:1}', q not ⊥ range W_{k−1:h+1}.
    const fb = fullSvd(below[k - 1], 'W_{k−1:1}');
    const rb = rankOf(below[k - 1], belowScale[k - 1], rtol);
    const perp = new Matrix(fb.U.rows, fb.U.cols - rb);
    for (let i = 0; i < perp.rows; i++)
      for (let j = 0; j < perp.cols; j++) perp.data[i * perp.cols + j] = fb.U.data[i * fb.U.cols + rb + j];
    const t = topPair(multiply(perp, mid, 't', 'n'));
    q = matVec(perp, t.u);
    z = t.v;
    c = t.s;
  } else {
    // z ∈ ker W_{N:h+1}, W_{k−1:h+1} z ≠ 0.
    const fa = fullSvd(above[h], 'W_{N:h+1}');
    const ra = rankOf(above[h], aboveScale[h], rtol);
    const ker = new Matrix(fa.V.rows, fa.V.cols - ra);
    for (let i = 0; i < ker.rows; i++)
      for (let j = 0; j < ker.cols; j++) ker.data[i * ker.cols + j] = fa.V.data[i * fa.V.cols + ra + j];
    const t = topPair(multiply(mid, ker));
    q = t.u;
    z = matVec(ker, t.v);
    c = t.s;
  }
  // First-order size a: [A] ‖W_{N:h+1}z‖²‖wᵀW_{h−1:1}'‖² (scaled by s²); [B] ‖W_{N:k+1}p‖²‖qᵀW_{k−1:1}'‖² (by s⁻²).
  const a =
    condition === 'A'
      ? norm2(matVec(above[h], z)) * norm2(matVec(below[h - 1], w, true))
      : norm2(matVec(above[k], p)) * norm2(matVec(below[k - 1], q, true));
  // A first-order part that is round-off (a ≤ 1e-12·cg) is treated as 0: then s = 1 and nothing is rescaled.
  const target = (c * g) / 2;
  const balance = a > 1e-12 * target;
  const s = balance ? (condition === 'A' ? Math.sqrt(target / a) : Math.sqrt(a / target)) : 1;
  const firstOrder = balance ? target : a;
  const predicted = kappa * firstOrder - 2 * kappa * c * g;
  const direction = weights.map((wt) => new Matrix(wt.rows, wt.cols));
  direction[k - 1] = outer(p, q, 1 / s);
  const dh = outer(z, w, s);
  direction[h - 1] = h === 1 ? multiply(dh, frame.Tpinv) : dh;
  const measured = hessianForm(weights, data, direction, direction, { scale: frame.scale });
  const tolerance =
    gamma(weights, data) * (Math.abs(predicted) + hessianFormMagnitude(weights, data, direction, frame.scale));
  const vectors = { p: Array.from(p), q: Array.from(q), z: Array.from(z), w: Array.from(w) };
  return {
    h,
    k,
    condition,
    direction,
    predicted,
    measured,
    tolerance,
    holds: measured < -tolerance && Math.abs(measured - predicted) <= tolerance,
    g,
    c,
    s,
    vectors,
  };
}
