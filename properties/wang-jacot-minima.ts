import fc from 'fast-check';
import { dimension, seeded } from '../src/arbitraries/seeded.js';
import { compare, worstOf, type Verdict } from '../src/check/verdict.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { Matrix } from '../src/linalg/matrix.js';
import { svd } from '../src/linalg/svd.js';
import { matrixWithSpectrum } from '../src/random/constructions.js';
import { randomOrthonormal } from '../src/random/orthonormal.js';
import { certifyMinimum, type MinimumCertificate } from './support/regularized-minimum.js';
import { balancedOnFrames, completionCriticalLambda } from './wang-jacot-jumps.js';
import { separatrix } from './wang-jacot.js';
import { fmt } from './support/verdict-text.js';

/**
 * WJ's opening statement (abstract): "The L2-regularized loss of Deep Linear Networks with more than one hidden layer
 * has multiple local minima, corresponding to matrices with different ranks." Checked constructively with every entry
 * observed (F = (1/d²)‖A − A*‖² + λ‖θ‖², A* = U diag(y) Vᵀ): at balanced points aligned with A*'s singular vectors
 * the modes decouple, each mode's equilibria solve s^{1−2/L}(y − s) = λd² or s = 0. For L ≥ 3 and λ < λ_c of every
 * mode, the points with the top k modes at s_hi (the others at 0) are certified local minima
 * (support/regularized-minimum.ts), so ranks 0..r all occur; the other critical points of this family — a stronger
 * mode skipped, or a mode at its separatrix s_lo — are strict saddles (a negative Hessian eigenvalue off the orbit).
 */

export interface MinimaInstance {
  readonly d: number;
  readonly depth: number;
  readonly targetSpectrum: number[];
  readonly target: Matrix;
  readonly lambda: number;
  /** F_0 = V, hidden frames random orthogonal, F_L = U. */
  readonly frames: Matrix[];
}

/** d ∈ [2, 3] (r = d modes, y_i = 3·0.6^i), depth L ∈ [3, 4] (or the given one), λ = f·min_i λ_c(y_i), f ∈ {0.3, 0.6}. */
export function minimaInstanceArb(options: { depth?: number } = {}): fc.Arbitrary<MinimaInstance> {
  return seeded(fc.tuple(dimension(2, 3), dimension(3, 4), fc.integer({ min: 0, max: 1 })), ([d, L0, fi], rng) => {
    const depth = options.depth ?? L0;
    const targetSpectrum = Array.from({ length: d }, (_, i) => 3 * Math.pow(0.6, i));
    const target = matrixWithSpectrum(rng, d, d, targetSpectrum);
    const t = svd(target);
    const frames = [t.V, ...Array.from({ length: depth - 1 }, () => randomOrthonormal(rng, d, d)), t.U];
    const weakest = targetSpectrum[d - 1];
    // λ_c for L = 2 is y/d² (the origin of a mode destabilizes below it): the same formula covers both.
    const lambda = [0.3, 0.6][fi] * completionCriticalLambda(weakest, depth, d);
    return { d, depth, targetSpectrum, target, lambda, frames };
  });
}

/** A balanced aligned point with mode i at s[i] (0 drops the mode): its rank is the number of nonzero entries. */
function pointAt(i: MinimaInstance, s: readonly number[]): Matrix[] {
  const kept = s.map((x, k) => [x, k] as const).filter(([x]) => x > 0);
  const frames = i.frames.map((f) => {
    const out = new Matrix(f.rows, Math.max(kept.length, 1));
    kept.forEach(([, k], c) => { for (let a = 0; a < f.rows; a++) out.data[a * out.cols + c] = f.data[a * f.cols + k]; });
    return out;
  });
  if (kept.length === 0) return balancedOnFrames(frames, [0], i.depth);
  return balancedOnFrames(frames, kept.map(([x]) => x), i.depth);
}

/** A critical point held to be a strict saddle: λ_min of the Hessian off the gauge orbit < −τ. */
function saddle(c: MinimumCertificate, what: string): Verdict {
  return compare({
    measured: c.lambdaMin,
    bound: -c.tolerance,
    errorModel: `strict saddle: λ_min of the Hessian off the gauge orbit < −τ = ${fmt(-c.tolerance)}`,
    detail: `${what}: λ_min = ${fmt(c.lambdaMin)} (‖∇F‖ = ${fmt(c.gradient)})`,
  });
}

/**
 * The balanced aligned critical points with modes at 0 or s_hi: those keeping the top k modes (k = 0..r) must be
 * certified local minima — one of each rank; those skipping a stronger mode must be strict saddles; and (L ≥ 3) a
 * point with one mode at s_lo must be a strict saddle. The verdict is the worst of these; its detail lists the ranks
 * of the certified minima.
 */
export function checkMinimaOfSeveralRanks(i: MinimaInstance): Verdict {
  const data = { X: Matrix.identity(i.d), Y: i.target }, kappa = 2 / (i.d * i.d);
  const scalar = (i.lambda * i.d * i.d) / 2;
  const eq = i.targetSpectrum.map((y) => separatrix(y, i.depth, scalar));
  const verdicts: Verdict[] = [];
  const ranks = new Set<number>();
  for (let mask = 0; mask < 1 << i.d; mask++) {
    const s = eq.map((e, k) => ((mask >> k) & 1 ? e.high : 0));
    const c = certifyMinimum(pointAt(i, s), data, kappa, i.lambda);
    const rank = s.filter((x) => x > 0).length, top = mask === (1 << rank) - 1;
    if (c.certified) ranks.add(rank);
    const modes = `modes {${s.map((x, k) => (x > 0 ? k + 1 : '')).filter(Boolean).join(', ')}} at s_hi (rank ${rank})`;
    verdicts.push(
      top
        ? compare({
          measured: c.certified ? c.lambdaMin : Math.min(c.lambdaMin, -c.tolerance),
          bound: c.tolerance,
          comparison: '>=',
          errorModel: `certified local minimum: gradient at round-off and Hessian eigenvalues off the gauge orbit > τ = ${fmt(c.tolerance)}`,
          detail: `${modes}, the top ${rank}: ${c.why}`,
        })
        : saddle(c, `${modes}, skipping a stronger mode (rotating the live direction toward it lowers F)`),
    );
  }
  if (i.depth >= 3) {
    for (let k = 0; k < i.d; k++) {
      const s = eq.map((e, m) => (m === k ? e.low! : e.high));
      verdicts.push(saddle(certifyMinimum(pointAt(i, s), data, kappa, i.lambda), `mode ${k + 1} at its separatrix s_lo = ${fmt(eq[k].low!)}, the others at s_hi`));
    }
  }
  const worst = worstOf(verdicts);
  return { ...worst, detail: `${worst.detail}; certified minima of ranks {${[...ranks].sort().join(', ')}} (L = ${i.depth}, λ = ${fmt(i.lambda)})` };
}

export const minimaOfSeveralRanksClaim = defineClaim({
  id: 'wj.minima-of-several-ranks',
  title: 'With two or more hidden layers the L2-regularized loss has certified local minima of every rank 0..r; its other aligned critical points are strict saddles',
  statement:
    'For L ≥ 3 and λ below the critical λ of every mode, F(θ) = (1/d²)‖A − A*‖² + λ‖θ‖² has a local minimum of each rank k = 0..r (the balanced point with ' +
    'A*\'s top k modes at their stable equilibria s_hi, the rest at 0); a balanced aligned critical point that skips a stronger mode, or has a mode at its ' +
    'unstable equilibrium s_lo, is a strict saddle.',
  source: { paper: 'WJ', location: 'abstract, first sentence ("multiple local minima, corresponding to matrices with different ranks"); the construction and the saddles are derived', provenance: 'P/D' },
  hypotheses: ['every entry observed, A* of rank r = d ∈ [2, 3], y_i = 3·0.6^i, Haar-like singular vectors, random hidden frames', 'L ∈ [3, 4]; λ = f·min_i λ_c(y_i), f ∈ {0.3, 0.6} (WJ convention)'],
  instances: minimaInstanceArb(),
  check: checkMinimaOfSeveralRanks,
  expected: 'holds',
  tolerance: 'certificate of support/regularized-minimum.ts: ‖∇F‖ ≤ 64ε(Σd)(…); Hessian eigenvalues off the gauge orbit > τ = κτ_H + 8n_pε‖H‖ for minima, < −τ for saddles.',
  runs: 10,
  summarize: (i: MinimaInstance) => ({ d: i.d, depth: i.depth, targetSpectrum: i.targetSpectrum.map((y) => Number(y.toPrecision(4))), lambda: Number(i.lambda.toPrecision(4)) }),
});

export const minimaOneHiddenLayerClaim = defineClaim({
  ...minimaOfSeveralRanksClaim,
  id: 'wj.minima-of-several-ranks.one-hidden-layer',
  title: 'FALSE: with one hidden layer (L = 2) too, the L2-regularized loss has local minima of several ranks',
  statement:
    'wj.minima-of-several-ranks for L = 2. FALSE: λ‖θ‖² at balanced points is λ·2‖A‖_*, convex in A; a mode left at 0 with y > λd² is a strict saddle ' +
    '(the origin of an L = 2 mode is unstable, wj.scalar-separatrix.two-layers), so of the top-k points only the one with every mode at s_hi is a local minimum.',
  source: { paper: 'WJ', location: 'FALSE variant of the abstract\'s "more than one hidden layer" (L = 2 has one); derived', provenance: 'D' },
  hypotheses: ['as wj.minima-of-several-ranks with L = 2, λ = f·min_i y_i/d²'],
  instances: minimaInstanceArb({ depth: 2 }),
  expected: 'counterexample',
  runs: 5,
});

export const wangJacotMinimaClaims: Claim<any>[] = [minimaOfSeveralRanksClaim, minimaOneHiddenLayerClaim];
