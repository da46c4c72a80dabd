import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { svd } from '../linalg/svd.js';
import type { Data } from '../model/loss.js';
import { loss } from '../model/loss.js';
import type { Weights } from '../model/network.js';
import { endToEnd } from '../model/partial-products.js';
import { criticalValue, criticalValueLiteral, type Frame, globalValue, maxRank, optimalRank } from './frame.js';
import { lossTolerance } from './tolerances.js';

/**
 * Reading THEORY §3's structure off a point: with P̃ = W_{N:1}T and R = Q̃ − P̃, a critical point has
 * P̃ = U_SU_SᵀQ̃, i.e. P̃ = Σ_{i∈S} σ_i u_i v_iᵀ and R = Σ_{i∉S} σ_i u_i v_iᵀ, so the non-zero singular values of
 * P̃ and of R together are exactly those of Q̃. S is read by merging the two lists (P̃ first within ties).
 */
export interface SingularPair {
  /** 1-based index into σ(Q̃). */
  readonly index: number;
  readonly sigma: number;
  /** Left singular vector in R^{d_N}. */
  readonly u: Float64Array;
  /** Right singular vector in frame coordinates R^ρ. */
  readonly v: Float64Array;
}

export interface StructureReport {
  /** r = numerical rank of P̃. */
  readonly rank: number;
  readonly S: number[];
  readonly rMax: number;
  readonly rStar: number;
  /** S = {1..r}. */
  readonly topR: boolean;
  /** ‖P̃ − Π_{range P̃} Q̃‖_F / ‖Q̃‖_F (0 at a critical point). */
  readonly productResidual: number;
  /** max_k |merged_k − σ_k(Q̃)| / σ_1(Q̃): how well σ(P̃) ∪ σ(R) reproduces σ(Q̃). */
  readonly matchError: number;
  readonly tolerance: number;
  /** The point has THEORY's structure (both residuals ≤ tolerance and the counts add up). */
  readonly consistent: boolean;
  /** Two σ_i(Q̃) closer than the tolerance: S is then not unique. */
  readonly ties: boolean;
  /** The smallest kept pair (i ∈ S) and the largest discarded one (j ∉ S). */
  readonly smallestKept?: SingularPair;
  readonly largestDiscarded?: SingularPair;
  readonly value: {
    readonly measured: number;
    /** κ(offset + ½Σ_{i∉S}σ_i²) */
    readonly closedForm: number;
    /** κ·½(tr Σ_YY − Σ_{i∈S}λ_i), THEORY's literal form. */
    readonly literal: number;
    readonly difference: number;
    readonly tolerance: number;
  };
  readonly globalValue: number;
  readonly global: boolean;
}

/** Relative tolerance of the structure reading (exact critical points give ~1e-15). */
export const STRUCTURE_TOLERANCE = 1e-8;

function column(m: Matrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + c];
  return out;
}

export function readStructure(
  frame: Frame,
  weights: Weights,
  data: Data,
  tolerance = STRUCTURE_TOLERANCE,
): StructureReport {
  const widths = [weights[0].cols, ...weights.map((w) => w.rows)];
  const P = multiply(endToEnd(weights), frame.T);
  const R = new Matrix(P.rows, P.cols);
  for (let i = 0; i < R.data.length; i++) R.data[i] = frame.Qt.data[i] - P.data[i];
  const sigma = frame.sigma;
  const s1 = sigma.length ? sigma[0] : 0;
  const scale = Math.max(s1, 1e-300);
  const fp = svd(P, 'P'),
    fr = svd(R, 'R');
  const cut = tolerance * Math.max(s1, fp.s[0] ?? 0);
  const kept: number[] = [],
    dropped: number[] = [];
  for (let k = 0; k < fp.s.length; k++) if (fp.s[k] > cut) kept.push(k);
  for (let k = 0; k < fr.s.length; k++) if (fr.s[k] > cut) dropped.push(k);
  // Merge: descending, P̃'s values first within a tie.
  const merged = [
    ...kept.map((k) => ({ from: 'P' as const, k, s: fp.s[k] })),
    ...dropped.map((k) => ({ from: 'R' as const, k, s: fr.s[k] })),
  ];
  merged.sort((a, b) =>
    Math.abs(a.s - b.s) <= tolerance * scale ? (a.from === b.from ? b.s - a.s : a.from === 'P' ? -1 : 1) : b.s - a.s,
  );
  const rankQ = frame.rankQ;
  let matchError = merged.length === rankQ ? 0 : Infinity;
  const S: number[] = [];
  const indexOf = new Map<string, number>();
  merged.forEach((e, pos) => {
    if (pos < rankQ) matchError = Math.max(matchError, Math.abs(e.s - sigma[pos]) / scale);
    indexOf.set(`${e.from}${e.k}`, pos + 1);
    if (e.from === 'P') S.push(pos + 1);
  });
  let ties = false;
  for (let i = 1; i < rankQ; i++) if (sigma[i - 1] - sigma[i] <= tolerance * scale) ties = true;
  // Π_{range P̃} Q̃.
  const r = kept.length;
  const Up = new Matrix(P.rows, r);
  for (let i = 0; i < P.rows; i++) for (let c = 0; c < r; c++) Up.data[i * r + c] = fp.U.data[i * fp.U.cols + kept[c]];
  const proj = multiply(Up, multiply(Up, frame.Qt, 't', 'n'));
  let diff = 0;
  for (let i = 0; i < proj.data.length; i++) diff += (P.data[i] - proj.data[i]) ** 2;
  const qn = frobeniusNorm(frame.Qt);
  const productResidual = qn === 0 ? Math.sqrt(diff) : Math.sqrt(diff) / qn;
  const consistent = merged.length === rankQ && matchError <= tolerance && productResidual <= tolerance;
  const topR = S.every((i, k) => i === k + 1);
  const pair = (m: { U: Matrix; V: Matrix; s: Float64Array }, k: number, from: 'P' | 'R'): SingularPair => ({
    index: indexOf.get(`${from}${k}`) ?? 0,
    sigma: m.s[k],
    u: column(m.U, k),
    v: column(m.V, k),
  });
  const measured = loss(weights, data, { scale: frame.scale });
  const validS = consistent && S.every((i) => i <= rankQ);
  const closedForm = validS ? criticalValue(frame, S) : NaN;
  const literal = validS ? criticalValueLiteral(frame, S) : NaN;
  const lt = lossTolerance(weights, data, frame.scale);
  const gv = globalValue(frame, widths);
  return {
    rank: r,
    S,
    rMax: maxRank(frame, widths),
    rStar: optimalRank(frame, widths),
    topR,
    productResidual,
    matchError,
    tolerance,
    consistent,
    ties,
    ...(r > 0 ? { smallestKept: pair(fp, kept[r - 1], 'P') } : {}),
    ...(dropped.length > 0 ? { largestDiscarded: pair(fr, dropped[0], 'R') } : {}),
    value: { measured, closedForm, literal, difference: Math.abs(measured - closedForm), tolerance: lt },
    globalValue: gv,
    global: Math.abs(measured - gv) <= lt,
  };
}
