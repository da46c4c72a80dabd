import { compare, type Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { type Dtype, EPSILON } from './protocol.js';

/**
 * The gate's error model (THEORY §7, docs/PROTOCOL.md §Tolerances): a value the implementation computed in
 * its declared dtype is compared with dlnv's float64 value as
 *
 *   ‖expected − received‖ ≤ C·ε_dtype·(‖expected‖ + ‖received‖ + scale),
 *
 * where `scale` is the size of the terms the value is built from (products of the factors' Frobenius norms
 * times the accumulation length: Higham's γ_n bound for products, Frobenius-normed), so values near 0 are judged
 * against what they were computed from, never against 0 with atol = 0. The float32 implementation also rounds
 * its inputs, which the same scale covers (a relative ε per input entry). C is a fixed safety factor; the test
 * suite measures the largest ratio met by correct float64 and float32 implementations and shows how far above
 * the bound every wrong variant lands.
 */

/** Safety factor of the bound: the measured worst ratio of a correct implementation is ≤ 1/20 of this bound. */
export const SAFETY = 16;

export interface Tolerance {
  readonly dtype: Dtype;
  readonly eps: number;
  readonly c: number;
}

export function toleranceFor(dtype: Dtype): Tolerance {
  return { dtype, eps: EPSILON[dtype], c: SAFETY };
}

/** More digits, for expected-vs-received values. */
export const full = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(9)).toString() : String(v));

export function boundOf(tol: Tolerance, expectedNorm: number, receivedNorm: number, scale: number): number {
  return tol.c * tol.eps * (expectedNorm + receivedNorm + scale);
}

export function modelText(tol: Tolerance, scaleText: string, scale: number, bound: number): string {
  return `${tol.c}·ε_${tol.dtype}·(‖expected‖+‖received‖+scale) = ${sci(bound)}, ε_${tol.dtype} = ${sci(tol.eps)}, scale = ${scaleText} = ${sci(scale)}`;
}

/** diff relative to the expected value, or to the scale when the expected value is 0 (a block that should vanish). */
function relative(diff: number, expectedNorm: number, scale: number): number {
  if (diff === 0) return 0;
  return diff / (expectedNorm > 0 ? expectedNorm : scale);
}

const relativeLabel = (expectedNorm: number): string =>
  expectedNorm > 0 ? 'relative error' : 'relative error (against its scale: the expected value is 0)';

/** Every number is a float32 value (evidence of float32 on the wire or a float32 result cast up). */
const float32Exact = (xs: Iterable<number>): boolean => {
  for (const x of xs) if (Math.fround(x) !== x) return false;
  return true;
};

/** The entry where two matrices differ most, as "entry (i, j): expected a, received b". */
export function worstEntry(expected: Matrix, received: Matrix): string {
  let best = -1,
    at = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(expected.data[i] - received.data[i]);
    if (d > best || Number.isNaN(d)) {
      best = d;
      at = i;
    }
  }
  const r = Math.floor(at / expected.cols),
    c = at % expected.cols;
  return `entry (${r}, ${c}): expected ${full(expected.data[at])}, received ${full(received.data[at])}`;
}

export interface BlockComparison {
  readonly verdict: Verdict;
  /** The block that came closest to (or went furthest over) its bound. */
  readonly block: number;
  readonly relativeError: number;
}

/**
 * Compare lists of matrices block by block (a layer each), each against its own bound; the verdict is the block
 * with the largest ‖diff‖/bound. `names[j]` labels block j (e.g. "∇_{W_2}L"), `scaleText` explains the scales.
 */
export function compareBlocks(
  tol: Tolerance,
  names: readonly string[],
  expected: readonly Matrix[],
  received: readonly Matrix[],
  scales: readonly number[],
  scaleText: string,
): BlockComparison {
  let worst: { j: number; ratio: number; diff: number; bound: number; e: number; r: number } | undefined;
  expected.forEach((e, j) => {
    const r = received[j];
    const d = new Matrix(e.rows, e.cols);
    for (let i = 0; i < d.data.length; i++) d.data[i] = e.data[i] - r.data[i];
    const diff = frobeniusNorm(d),
      en = frobeniusNorm(e),
      rn = frobeniusNorm(r);
    const bound = boundOf(tol, en, rn, scales[j]);
    const ratio = Number.isNaN(diff) ? Infinity : diff / bound;
    if (worst === undefined || ratio > worst.ratio) worst = { j, ratio, diff, bound, e: en, r: rn };
  });
  const w = worst!;
  const rel = relative(w.diff, w.e, scales[w.j]);
  const over = w.diff > w.bound;
  const verdict = compare({
    measured: w.diff,
    bound: w.bound,
    errorModel: modelText(tol, scaleText, scales[w.j], w.bound),
    detail:
      `${names[w.j]}: ‖expected − received‖ = ${sci(w.diff)} ${over ? '>' : '≤'} bound ${sci(w.bound)}, ${relativeLabel(w.e)} ${sci(rel)} ` +
      `(‖expected‖ = ${sci(w.e)}, ‖received‖ = ${sci(w.r)}); largest difference at ${worstEntry(expected[w.j], received[w.j])}`,
    data: {
      block: w.j,
      relativeError: rel,
      ...(over ? { float32Exact: received.every((m) => float32Exact(m.data)) } : {}),
    },
  });
  return { verdict, block: w.j, relativeError: rel };
}

/** Compare two scalars with the same model. */
export function compareScalar(
  tol: Tolerance,
  name: string,
  expected: number,
  received: number,
  scale: number,
  scaleText: string,
): Verdict {
  const diff = Math.abs(expected - received);
  const bound = boundOf(tol, Math.abs(expected), Math.abs(received), scale);
  const rel = relative(diff, Math.abs(expected), scale);
  return compare({
    measured: diff,
    bound,
    errorModel: modelText(tol, scaleText, scale, bound),
    detail: `${name}: expected ${full(expected)}, received ${full(received)}, |difference| = ${sci(diff)} ${diff > bound ? '>' : '≤'} bound ${sci(bound)}, ${relativeLabel(Math.abs(expected))} ${sci(rel)}`,
    data: { relativeError: rel, float32Exact: float32Exact([received]) },
  });
}

export const norms = (ws: readonly Matrix[]): number[] => ws.map(frobeniusNorm);
export const prod = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);
export const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
