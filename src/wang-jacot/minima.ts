import { compare, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { certifyMinimum, type MinimumCertificate } from '../landscape/regularized-minimum.js';
import { Matrix } from '../linalg/matrix.js';
import { selectColumns } from '../linalg/svd.js';
import { balancedFromFrames } from '../model/balanced-init.js';
import type { MinimaInstance } from './instances.js';
import { separatrix } from './scalar-mode.js';

/** A balanced aligned point with mode i at s[i] (0 drops the mode): its rank is the number of nonzero entries. */
export function pointAt(i: MinimaInstance, s: readonly number[]): Matrix[] {
  const kept = s.flatMap((x, k) => (x > 0 ? [k] : []));
  return balancedFromFrames(
    i.frames.map((f) => selectColumns(f, kept)),
    kept.map((k) => s[k]),
  );
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
  const data = { X: Matrix.identity(i.d), Y: i.target },
    kappa = 2 / (i.d * i.d);
  const scalar = (i.lambda * i.d * i.d) / 2;
  const eq = i.targetSpectrum.map((y) => separatrix(y, i.depth, scalar));
  const verdicts: Verdict[] = [];
  const ranks = new Set<number>();
  for (let mask = 0; mask < 1 << i.d; mask++) {
    const s = eq.map((e, k) => ((mask >> k) & 1 ? e.high : 0));
    const c = certifyMinimum(pointAt(i, s), data, kappa, i.lambda);
    const rank = s.filter((x) => x > 0).length,
      top = mask === (1 << rank) - 1;
    if (c.certified) ranks.add(rank);
    const modes = `modes {${s
      .map((x, k) => (x > 0 ? k + 1 : ''))
      .filter(Boolean)
      .join(', ')}} at s_hi (rank ${rank})`;
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
      verdicts.push(
        saddle(
          certifyMinimum(pointAt(i, s), data, kappa, i.lambda),
          `mode ${k + 1} at its separatrix s_lo = ${fmt(eq[k].low!)}, the others at s_hi`,
        ),
      );
    }
  }
  const worst = worstOf(verdicts);
  return {
    ...worst,
    detail: `${worst.detail}; certified minima of ranks {${[...ranks].sort().join(', ')}} (L = ${i.depth}, λ = ${fmt(i.lambda)})`,
  };
}
