import { DomainError } from '../errors.js';
import { add, subtract } from '../linalg/elementwise.js';
import { frobeniusDistance, frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { pseudoInverse } from '../linalg/pinv.js';
import { chain, multiply, transpose } from '../linalg/products.js';
import { type Weights, widthsOf } from '../model/network.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import { FIBER_RTOL, gaussNewtonFiber, opennessTarget, rangeProjector, rankAgainst } from './openness.js';
import { absMatrix } from './tolerances.js';

/**
 * Local openness of the deep product M_{h,1}(W) = W_h⋯W_1 (W = [W_1, …, W_h], W_i ∈ R^{d_i×d_{i−1}}) onto its
 * range {Z : rank Z ≤ d_p}, d_p = min_i d_i (NR 2018, Lemma 7: open at every non-degenerate W, rank W_h⋯W_1 = d_p).
 * Witness, as for two factors (openness.ts): for targets Z in the range with ‖Z − W_h⋯W_1‖ ≈ δ, the distance from W
 * to the fiber M⁻¹(Z) tends to 0 as δ → 0.
 *   Upper bound (non-degenerate W): split at a narrowest layer p, A = W_{h:p+1} (full column rank d_p) and
 *     B = W_{p:1} (full row rank d_p); the two-factor map is open at (A, B), and Gauss–Newton gives (A', B') with
 *     A'B' = Z. Lift layer by layer: W_h' = W_h + (A' − A)(W_{h−1:p+1})⁺ and W_1' = W_1 + (W_{p:2})⁺(B' − B) — the
 *     pseudo-inverses are one-sided inverses (full column / row rank d_p), so W'_{h:p+1} = A', W'_{p:1} = B'. The
 *     lifted tuple is verified by ‖W'_h⋯W'_1 − Z‖ ≤ FIBER_RTOL·(‖Z‖ + Π‖W'_i‖).
 *   Lower bound (rigorous, any W): when rank Z = d_{h−1}, every fiber point has range W_h' = range Z, so
 *     ‖W_h' − W_h‖ ≥ ‖(I − Π_Z)W_h‖; when rank Z = d_1, likewise ‖W_1' − W_1‖ ≥ ‖W_1(I − Π_{Zᵀ})‖.
 */

/** W_{to:from} = W_to⋯W_from (1-based), the identity of size d_{from−1} when to < from. */
function partial(weights: Weights, from: number, to: number): Matrix {
  return chain(weights.slice(from - 1, to).reverse(), weights[from - 1]?.cols ?? weights[to - 1].rows);
}

export interface ProductRank {
  readonly rank: number;
  /** d_p = min_i d_i. */
  readonly narrowest: number;
  /** The first layer index p with d_p = min_i d_i. */
  readonly p: number;
  readonly nonDegenerate: boolean;
}

/** rank W_h⋯W_1 (cut 1e-9·‖|W_h|⋯|W_1|‖_F, as the two-factor criterion) against min_i d_i. */
export function productRank(weights: Weights): ProductRank {
  const widths = widthsOf(weights);
  const narrowest = Math.min(...widths);
  const h = weights.length;
  const scale = frobeniusNorm(partial(weights.map(absMatrix), 1, h));
  const rank = rankAgainst(partial(weights, 1, h), scale);
  return { rank, narrowest, p: widths.indexOf(narrowest), nonDegenerate: rank === narrowest };
}

function tupleDistance(a: Weights, b: Weights): number {
  return Math.hypot(...a.map((w, i) => frobeniusDistance(w, b[i])));
}

/** The explicit fiber point above (undefined when Gauss–Newton does not converge or the lift is not verified). */
export function liftedFiberPoint(weights: Weights, Z: Matrix): Matrix[] | undefined {
  const h = weights.length;
  const { p } = productRank(weights);
  const A = partial(weights, p + 1, h),
    B = partial(weights, 1, p);
  let dA: Matrix | undefined, dB: Matrix | undefined;
  if (p === 0) dA = subtract(Z, A);
  else if (p === h) dB = subtract(Z, B);
  else {
    const gn = gaussNewtonFiber(A, B, Z);
    if (!gn.converged) return undefined;
    dA = subtract(gn.X, A);
    dB = subtract(gn.Y, B);
  }
  const lifted = weights.map((w) => w.clone());
  if (dA) lifted[h - 1] = add(weights[h - 1], multiply(dA, pseudoInverse(partial(weights, p + 1, h - 1)).matrix));
  if (dB) lifted[0] = add(weights[0], multiply(pseudoInverse(partial(weights, 2, p)).matrix, dB));
  const size = frobeniusNorm(Z) + lifted.reduce((s, w) => s * frobeniusNorm(w), 1);
  return frobeniusDistance(partial(lifted, 1, h), Z) <= FIBER_RTOL * size ? lifted : undefined;
}

/** The rigorous lower bound above (0 when rank Z is below both d_{h−1} and d_1). */
export function fiberLowerBound(weights: Weights, Z: Matrix): number {
  const h = weights.length;
  const rankZ = rankAgainst(Z, frobeniusNorm(Z));
  const Wh = weights[h - 1],
    W1 = weights[0];
  let outer = 0,
    inner = 0;
  if (rankZ === Wh.cols) outer = frobeniusDistance(Wh, multiply(rangeProjector(Z, rankZ), Wh));
  if (rankZ === W1.rows) inner = frobeniusDistance(W1, multiply(W1, rangeProjector(transpose(Z), rankZ)));
  return Math.hypot(outer, inner);
}

export interface DeepOpennessWitness {
  readonly product: ProductRank;
  readonly deltas: number[];
  /** Per target: fiber distances of the lifted points (Infinity where none), relative to 1 + Σ‖W_i‖. */
  readonly upper: number[][];
  /** Per target: rigorous lower bounds, relative to 1 + Σ‖W_i‖. */
  readonly lower: number[][];
}

/** Targets [W_h⋯W_1 + δG]_{d_p} for `targets` Gaussian G and each δ, with both bounds on their fiber distance. */
export function deepOpennessWitness(
  weights: Weights,
  rng: Rng,
  options: { targets?: number; deltas?: number[] } = {},
): DeepOpennessWitness {
  const deltas = options.deltas ?? [1e-2, 1e-5, 1e-8];
  if (deltas.length < 2 || deltas.some((d) => !(d > 0)))
    throw new DomainError('deltas', 'need at least two positive δ');
  const product = productRank(weights);
  const widths = widthsOf(weights);
  const h = weights.length;
  const regime = product.narrowest < Math.min(widths[0], widths[h]) ? 'narrow' : 'wide';
  const A = partial(weights, product.p + 1, h),
    B = partial(weights, 1, product.p);
  const scale = 1 + weights.reduce((s, w) => s + frobeniusNorm(w), 0);
  const upper: number[][] = [],
    lower: number[][] = [];
  for (let t = 0; t < (options.targets ?? 3); t++) {
    const G = gaussianMatrix(rng, widths[h], widths[0]);
    const targets = deltas.map((d) => opennessTarget(A, B, G, d, regime));
    upper.push(
      targets.map((Z) => {
        const lifted = product.nonDegenerate ? liftedFiberPoint(weights, Z) : undefined;
        return lifted ? tupleDistance(lifted, weights) / scale : Infinity;
      }),
    );
    lower.push(targets.map((Z) => fiberLowerBound(weights, Z) / scale));
  }
  return { product, deltas, upper, lower };
}
