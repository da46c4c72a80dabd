import { claimSeed } from '../claims/seed.js';
import { Matrix } from '../linalg/matrix.js';
import { balancedFactorization } from '../model/balanced-init.js';
import type { Data } from '../model/loss.js';
import { shapesFor } from '../model/network.js';
import { conditionedMatrix } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import type { WeightDecayForm } from './protocol.js';

/**
 * Seeded instances for the gate. Instance i of check c under global seed S is drawn from Rng(instanceSeed(S, c, i))
 * alone, so `--seed S --checks c --instance i` replays it exactly, whatever else runs. The family cycles with i
 * (square, rectangular, bottleneck, conditioned), so every run of ≥ 4 instances meets all four: square layers
 * (where a missing transpose still type-checks), non-square ones, a narrow hidden layer, ill-conditioned factors.
 * Every LARGE_EVERY-th instance (i ≡ LARGE_EVERY − 1) is 'large' instead: widths up to 64, depth up to 8, up to 256
 * samples, and its hyperparameters (lr, λ, scales) are full doubles, never rounded for readability — defects that
 * appear only past a batch size, or that lose digits of the hyperparameters received, show there.
 */

export const FAMILIES = ['square', 'rectangular', 'bottleneck', 'conditioned', 'large'] as const;
export type Family = (typeof FAMILIES)[number];
const SMALL_FAMILIES = FAMILIES.filter((f) => f !== 'large');
export const LARGE_EVERY = 10;
export const LARGE = { width: 64, depth: 8, samples: 256 } as const;

/** Instance i's family: the small ones in turn, and 'large' every LARGE_EVERY-th instance. */
export function familyOf(index: number): Family {
  return index % LARGE_EVERY === LARGE_EVERY - 1 ? 'large' : SMALL_FAMILIES[index % SMALL_FAMILIES.length];
}

export function instanceSeed(globalSeed: number, check: string, index: number): number {
  return claimSeed(globalSeed, `gate:${check}#${index}`);
}

export interface NetworkCase {
  readonly family: Family;
  readonly widths: number[];
  readonly weights: Matrix[];
  /** X (d_0×m) and Y (d_N×m) in THEORY's columns layout; the client converts for 'rows' implementations. */
  readonly data: Data;
  /** λ as the implementation applies it (its declared form). */
  readonly lambda: number;
  /** The same penalty in dlnv's canonical form (λ/2)Σ‖W_j‖². */
  readonly lambdaCanonical: number;
  /** A Gaussian direction in weight space (Taylor tests). */
  readonly direction: Matrix[];
}

export type DecayChoice = 'alternate' | 'always' | 'never';

export interface NetworkOptions {
  readonly decay: DecayChoice;
  readonly form: WeightDecayForm;
  /** Smallest depth (default 1; families other than 'square' may draw N = 1). */
  readonly minDepth?: number;
}

function widthsFor(rng: Rng, family: Family, minDepth: number): number[] {
  if (family === 'large')
    return Array.from({ length: rng.integer(Math.max(minDepth, 1), LARGE.depth) + 1 }, () =>
      rng.integer(1, LARGE.width),
    );
  const depth = Math.max(minDepth, family === 'square' ? rng.integer(2, 4) : rng.integer(1, 4));
  if (family === 'square') {
    const d = rng.integer(2, 4);
    return new Array(depth + 1).fill(d);
  }
  if (family === 'bottleneck') {
    const w = [rng.integer(3, 5)];
    for (let j = 1; j < depth; j++) w.push(rng.integer(1, 2));
    w.push(rng.integer(3, 5));
    return w;
  }
  const w = [rng.integer(1, 5)];
  for (let j = 0; j < depth; j++) w.push(rng.integer(1, 5));
  // Keep the ends different so the product is not square (a transposed answer then has the wrong shape).
  if (w[depth] === w[0]) w[depth] = w[0] === 5 ? 4 : w[0] + 1;
  return w;
}

function decayFor(rng: Rng, index: number, choice: DecayChoice): number {
  const on = choice === 'always' || (choice === 'alternate' && index % 2 === 1);
  return on ? Math.pow(10, -2 + 1.5 * rng.uniform()) : 0;
}

export function networkCase(rng: Rng, index: number, options: NetworkOptions): NetworkCase {
  const family = familyOf(index);
  const widths = widthsFor(rng, family, options.minDepth ?? 1);
  const weights = shapesFor(widths).map(([r, c]) =>
    family === 'conditioned'
      ? conditionedMatrix(rng, r, c, { cond: Math.pow(10, 2 * rng.uniform()), scale: 0.5 + rng.uniform() })
      : gaussianMatrix(rng, r, c, 1 / Math.sqrt(c)),
  );
  const m = family === 'large' ? rng.integer(2, LARGE.samples) : rng.integer(1, 8);
  const X = gaussianMatrix(rng, widths[0], m);
  const Y = gaussianMatrix(rng, widths[widths.length - 1], m);
  const lambdaCanonical = decayFor(rng, index, options.decay);
  const lambda = options.form === 'wj' ? lambdaCanonical / 2 : lambdaCanonical;
  const direction = weights.map((w) => gaussianMatrix(rng, w.rows, w.cols));
  return { family, widths, weights, data: { X, Y }, lambda, lambdaCanonical, direction };
}

export interface BalancedCase {
  readonly large: boolean;
  readonly widths: number[];
  readonly rank: number;
  /** The target product, of the given rank, condition number ≤ 10. */
  readonly target: Matrix;
  /** dlnv's balanced factorization of the target (random orthonormal hidden frames). */
  readonly weights: Matrix[];
  readonly data: Data;
}

export interface BalancedCaseOptions {
  readonly spare: boolean;
  /** The large family: widths up to 64, depth up to 8, up to 256 samples. */
  readonly large?: boolean;
  /** Smallest depth (default 2). */
  readonly minDepth?: number;
}

/**
 * A balanced start: target of rank r (condition ≤ 10) and its ACGH factorization. `spare` asks for r below every
 * width, so the rank has room to rise (the SGD rank check); otherwise r = the narrowest width.
 */
export function balancedCase(rng: Rng, options: BalancedCaseOptions): BalancedCase {
  const large = options.large ?? false;
  const depth = rng.integer(options.minDepth ?? 2, large ? LARGE.depth : 4);
  const widths = Array.from({ length: depth + 1 }, () => rng.integer(2, large ? LARGE.width : 5));
  const narrowest = Math.min(...widths);
  const rank = options.spare ? rng.integer(1, narrowest - 1) : narrowest;
  const n = depth;
  const target = conditionedMatrix(rng, widths[n], widths[0], {
    rank,
    cond: Math.pow(10, rng.uniform()),
    scale: 0.5 + 1.5 * rng.uniform(),
  });
  const weights = balancedFactorization(target, widths, rng);
  const m = rng.integer(2, large ? LARGE.samples : 8);
  const data = { X: gaussianMatrix(rng, widths[0], m), Y: gaussianMatrix(rng, widths[n], m) };
  return { large, widths, rank, target, weights, data };
}

/** m distinct sample indices out of `total`, sorted, m ≥ 1 drawn uniformly. */
export function minibatch(rng: Rng, total: number): number[] {
  const size = rng.integer(1, total);
  const pool = Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const k = i + Math.floor(rng.uniform() * (total - i));
    [pool[i], pool[k]] = [pool[k], pool[i]];
  }
  return pool.slice(0, size).sort((a, b) => a - b);
}

/** The data restricted to the given samples (columns). */
export function restrict(data: Data, samples: readonly number[]): Data {
  const pick = (a: Matrix): Matrix => {
    const out = new Matrix(a.rows, samples.length);
    for (let i = 0; i < a.rows; i++)
      samples.forEach((s, k) => (out.data[i * samples.length + k] = a.data[i * a.cols + s]));
    return out;
  };
  return { X: pick(data.X), Y: pick(data.Y) };
}
