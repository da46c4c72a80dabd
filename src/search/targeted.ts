import type { Claim } from '../claims/claim.js';
import type { Rng } from '../random/rng.js';
import { type Budget, type Evaluation, evaluate, isCounterexample } from './evaluate.js';
import type { Built, InstanceSpace, Recipe } from './instance-space.js';
import { type LatentPoint, moveLatent } from './latent.js';

/** An instance the search holds: how to rebuild it, the built value, and its evaluation. */
export interface Candidate<I> {
  readonly recipe: Recipe;
  readonly built: Built<I>;
  readonly evaluation: Evaluation;
}

export interface SearchContext<I> {
  readonly claim: Claim<I>;
  readonly space: InstanceSpace<I>;
  readonly budget: Budget;
  /** The search's own random stream (steps of the local search), seeded from the claim seed. */
  readonly rng: Rng;
  /** Called after every evaluation with the phase's running count. */
  readonly onEvaluation?: (evaluation: Evaluation) => void;
}

/** Build a recipe on a latent point and check it; a construction that throws is an invalid point (score +∞). */
export function evaluateAt<I>(
  ctx: SearchContext<I>,
  recipe: Recipe,
  latent: LatentPoint | undefined,
): Candidate<I> | undefined {
  let built: Built<I>;
  try {
    built = ctx.space.rebuild(recipe, latent);
  } catch {
    ctx.budget.evaluations++;
    return undefined;
  }
  return check(ctx, recipe, built);
}

export function check<I>(ctx: SearchContext<I>, recipe: Recipe, built: Built<I>): Candidate<I> {
  const evaluation = evaluate(ctx.claim, built.value.value);
  ctx.budget.evaluations++;
  ctx.onEvaluation?.(evaluation);
  return { recipe, built, evaluation };
}

export interface LocalSearchOptions {
  /** Most evaluations for this start (default: until it stalls or the budget ends). */
  readonly limit?: number;
  /** Initial step in latent (standard normal) units (default 0.5). */
  readonly sigma?: number;
}

/**
 * (1+1) evolution strategy on the latent draws of one instance (its discrete parameters fixed): a Gaussian step on
 * all coordinates or on a random subset, accepted when the score does not get worse (plateaus are crossed), with
 * the 1/5-success rule on the step size. Comparison-based, so only the order of margins matters, never their
 * scale. Stops at a counterexample, when the step collapses, after `patience` evaluations without progress, or
 * at the limit.
 */
export function localSearch<I>(
  ctx: SearchContext<I>,
  start: Candidate<I>,
  options: LocalSearchOptions = {},
): { best: Candidate<I>; evaluations: number } {
  let current = start;
  let sigma = options.sigma ?? 0.5;
  const limit = options.limit ?? Infinity;
  let evaluations = 0,
    stalled = 0;
  const dimension = () => current.built.latent.values.length;
  if (dimension() === 0 || isCounterexample(start.evaluation)) return { best: start, evaluations };
  const patience = Math.max(100, 6 * dimension());
  while (ctx.budget.ok() && evaluations < limit) {
    const d = dimension();
    const indices = pickCoordinates(ctx.rng, d);
    const steps = indices.map(() => sigma * ctx.rng.gaussian());
    const next = evaluateAt(ctx, current.recipe, moveLatent(current.built.latent, indices, steps));
    evaluations++;
    if (next && isCounterexample(next.evaluation)) return { best: next, evaluations };
    if (next && next.evaluation.score <= current.evaluation.score) {
      stalled = next.evaluation.score < current.evaluation.score ? 0 : stalled + 1;
      current = next;
      sigma = Math.min(4, sigma * 1.5);
    } else {
      stalled++;
      sigma *= 0.9; // 1.5^(−1/4): the step holds still at a 1/5 success rate
    }
    if (sigma < 1e-9 || stalled > patience) break;
  }
  return { best: current, evaluations };
}

/** Half of the steps move every coordinate; the others a random subset of d/2, d/4 or d/8 of them. */
function pickCoordinates(rng: Rng, d: number): number[] {
  const all = Array.from({ length: d }, (_, k) => k);
  if (d <= 2 || rng.uniform() < 0.5) return all;
  const size = Math.max(1, Math.ceil(d / 2 ** rng.integer(1, 3)));
  for (let k = 0; k < size; k++) {
    const j = rng.integer(k, d - 1);
    [all[k], all[j]] = [all[j], all[k]];
  }
  return all.slice(0, size).sort((a, b) => a - b);
}
