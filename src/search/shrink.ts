import { isCounterexample } from './evaluate.js';
import type { Built } from './instance-space.js';
import { roundLatent, sameLatent } from './latent.js';
import { type Candidate, check, evaluateAt, localSearch, type SearchContext } from './targeted.js';

export interface ShrinkOptions {
  /**
   * Evaluations of the local search re-run on a smaller candidate that no longer fails (the latent draws map to
   * different entries once a dimension drops, so a thin-region counterexample must be found again there).
   * Default 150; 0 turns it off.
   */
  readonly retarget?: number;
  /** At most this many re-targeted candidates per pass (default 3). */
  readonly retargetsPerPass?: number;
}

export interface ShrinkResult<I> {
  readonly candidate: Candidate<I>;
  /** Accepted steps (smaller parameters, or a shorter latent) and roundings of the latent draws. */
  readonly steps: number;
  readonly rounded: number | null;
}

function sameInstance<I>(a: Built<I>, b: Built<I>): boolean {
  if (!sameLatent(a.latent, b.latent)) return false;
  try {
    return JSON.stringify(a.value.value) === JSON.stringify(b.value.value);
  } catch {
    return false;
  }
}

/**
 * Shrink a counterexample toward small dimensions and short decimals: fast-check's shrink streams (dimensions,
 * ranks, decimals… first, as the claim's construction orders them) with the latent draws held fixed, re-running
 * the local search on a smaller candidate that lost the violation; then rounding of the Gaussian draws to 0–3
 * decimals (short entries where the construction uses the draws directly). Greedy, like fast-check: the first
 * failing candidate is taken and its own stream is walked next.
 */
export function shrinkCounterexample<I>(
  ctx: SearchContext<I>,
  found: Candidate<I>,
  options: ShrinkOptions = {},
): ShrinkResult<I> {
  let current = found;
  let steps = 0;
  let rounded: number | null = null;
  const retarget = options.retarget ?? 150;
  const perPass = options.retargetsPerPass ?? 3;

  const structural = (): void => {
    for (;;) {
      let accepted: Candidate<I> | undefined;
      let retargeted = 0;
      let index = 0;
      for (const built of ctx.space.shrinks(current.built.value, current.built.latent)) {
        if (!ctx.budget.ok()) return;
        const recipe = { run: current.recipe.run, shrinks: [...current.recipe.shrinks, index++] };
        if (sameInstance(built, current.built)) {
          accepted = { recipe, built, evaluation: current.evaluation };
          break;
        }
        const candidate = check(ctx, recipe, built);
        if (isCounterexample(candidate.evaluation)) {
          accepted = candidate;
          break;
        }
        if (retarget > 0 && retargeted < perPass && built.latent.values.length < current.built.latent.values.length) {
          retargeted++;
          const again = localSearch(ctx, candidate, { limit: retarget });
          if (isCounterexample(again.best.evaluation)) {
            accepted = again.best;
            break;
          }
        }
      }
      if (!accepted) return;
      current = accepted;
      steps++;
    }
  };

  structural();
  const gaussianDraws = current.built.latent.kinds.includes('g');
  for (const decimals of gaussianDraws ? [0, 1, 2, 3] : []) {
    if (!ctx.budget.ok()) break;
    const latent = roundLatent(current.built.latent, decimals);
    if (sameLatent(latent, current.built.latent)) {
      rounded = decimals;
      break;
    }
    const candidate = evaluateAt(ctx, current.recipe, latent);
    if (candidate && isCounterexample(candidate.evaluation)) {
      current = candidate;
      rounded = decimals;
      steps++;
      structural();
      break;
    }
  }
  return { candidate: current, steps, rounded };
}
