import type { Claim, Expected, Source } from '../claims/claim.js';
import { summarizeVerdict, validateRunOptions, type VerdictSummary } from '../claims/runner.js';
import { ClaimCodeFault, faultMessage, type FaultKind } from '../claims/evaluate.js';
import { claimSeed } from '../claims/seed.js';
import { DomainError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { Budget, isCounterexample, type Evaluation } from './evaluate.js';
import { InstanceSpace, type Recipe } from './instance-space.js';
import type { LatentPoint } from './latent.js';
import { shrinkCounterexample } from './shrink.js';
import { check, localSearch, type Candidate, type SearchContext } from './targeted.js';

export type SearchPhase = 'exploration' | 'targeted' | 'shrinking';

export interface SearchOptions {
  /** Global seed (the claim seed is derived from it and the id, exactly as in `dlnv verify`). */
  readonly seed: number;
  /**
   * Seconds for finding a counterexample (default 30, or unlimited when maxEvaluations is given). Shrinking may take
   * up to a third more (at most 10 s).
   */
  readonly budgetSeconds?: number;
  /** Most evaluations for finding one (default unlimited); makes a search reproducible across machines. */
  readonly maxEvaluations?: number;
  /** fast-check runs before the targeted phase starts (default 100). */
  readonly explore?: number;
  /** false: fast-check exploration only, for the whole budget (the baseline the targeted phase is measured against). */
  readonly targeted?: boolean;
  /** false: report the counterexample as found, unshrunk. */
  readonly shrink?: boolean;
  /** Evaluations allowed for shrinking (default 3000). */
  readonly maxShrinkEvaluations?: number;
  /** Starts kept for the targeted phase: the best instance of each distinct shape (default 8). */
  readonly starts?: number;
  readonly onProgress?: (phase: SearchPhase, evaluations: number) => void;
}

export interface SearchInstance {
  /** The claim's summary of the instance (its `summarize`, else the instance). */
  readonly instance: unknown;
  readonly verdict: VerdictSummary | null;
  readonly recipe: Recipe;
  readonly latent: LatentPoint;
}

export interface SearchReport {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  readonly source: Source;
  readonly expected: Expected;
  /** Whether a counterexample was found; the search PASSes when that is what the claim expects. */
  readonly found: boolean;
  /** 'error': the claim's check or generator broke (the theory is not judged); see `error`. */
  readonly status: 'pass' | 'fail' | 'error';
  readonly error?: { readonly kind: FaultKind; readonly message: string };
  readonly seed: number;
  readonly claimSeed: number;
  /** seconds: null when only the evaluation count bounds the search. */
  readonly budget: { readonly seconds: number | null; readonly evaluations: number | null };
  readonly seconds: number;
  readonly evaluations: {
    readonly exploration: number;
    readonly targeted: number;
    readonly shrinking: number;
    readonly total: number;
    /** Evaluations spent until the first counterexample (null when none was found). */
    readonly toCounterexample: number | null;
  };
  /** The phase that found it. */
  readonly foundBy: 'exploration' | 'targeted' | null;
  readonly runsExplored: number;
  readonly localSearches: number;
  /** Latent coordinates of the best start (0: the instances have no continuous handle; the targeted phase is idle). */
  readonly latentDimension: number;
  /** Smallest margin seen over the instances that did not fail. */
  readonly smallestMargin: number | null;
  readonly counterexample?: SearchInstance & { readonly shrinkSteps: number; readonly roundedTo: number | null; readonly unshrunk: unknown };
  /** When nothing was found: the instance with the smallest margin. */
  readonly closest?: SearchInstance;
  /** Sample verdict data (plots) of the counterexample or the closest instance. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The next fast-check instance; an exception of the claim's generator is a fault of the claim. */
function drawNext<I>(space: InstanceSpace<I>): ReturnType<InstanceSpace<I>['next']> {
  try {
    return space.next();
  } catch (e) {
    throw new ClaimCodeFault('generator-threw', `instance generator threw: ${faultMessage(e)}`);
  }
}

function shapeOf(summary: unknown): string {
  try {
    return JSON.stringify(summary, (_k, v) => (typeof v === 'number' ? 0 : v)) ?? '';
  } catch {
    return '';
  }
}

function describeInstance<I>(claim: Claim<I>, c: Candidate<I>): SearchInstance {
  const v = c.evaluation.verdict;
  return {
    instance: claim.summarize ? claim.summarize(c.built.value.value) : c.built.value.value,
    verdict: v ? summarizeVerdict(v) : null,
    recipe: c.recipe,
    latent: c.built.latent,
  };
}

/**
 * Counterexample search for one claim: fast-check's own exploration (the same instances `dlnv verify` draws for
 * this seed), then a targeted phase — a local search on the latent draws of the most promising instances, one per
 * distinct shape (restarts across dimensions), minimizing the verdict's margin — then shrinking toward small
 * dimensions and short decimals. The result carries a recipe that `replaySearch` rebuilds exactly.
 */
export function runSearch<I>(claim: Claim<I>, options: SearchOptions): SearchReport {
  validateRunOptions({ seed: options.seed, ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}) });
  if (options.maxEvaluations !== undefined && !(Number.isInteger(options.maxEvaluations) && options.maxEvaluations >= 1)) {
    throw new DomainError('evaluations', `must be a positive integer, got ${options.maxEvaluations}`);
  }
  // An evaluation count alone replaces the time budget, so a search is reproducible on any machine.
  const seconds = options.budgetSeconds ?? (options.maxEvaluations !== undefined ? Infinity : 30);
  const seed = claimSeed(options.seed, claim.id);
  const space = new InstanceSpace(claim.instances, seed);
  const budget = new Budget(seconds, options.maxEvaluations ?? Infinity);
  let phase: SearchPhase = 'exploration';
  const counts = { exploration: 0, targeted: 0, shrinking: 0 };
  let smallestMargin: number | null = null;
  const ctx: SearchContext<I> = {
    claim,
    space,
    budget,
    rng: new Rng(seed ^ 0x5ea2c4),
    onEvaluation: (e: Evaluation) => {
      counts[phase]++;
      if (!isCounterexample(e) && e.verdict && (smallestMargin === null || e.verdict.margin < smallestMargin)) smallestMargin = e.verdict.margin;
      options.onProgress?.(phase, counts[phase]);
    },
  };

  // Held in one object: closures below update it, and TypeScript does not follow assignments made in closures.
  const state: { found?: Candidate<I>; foundBy: SearchReport['foundBy']; closest?: Candidate<I> } = { foundBy: null };
  const pool = new Map<string, Candidate<I>>();
  const consider = (c: Candidate<I>): void => {
    if (!state.closest || c.evaluation.score < state.closest.evaluation.score) state.closest = c;
    const shape = shapeOf(claim.summarize ? claim.summarize(c.built.value.value) : c.built.value.value);
    const held = pool.get(shape);
    if (!held || c.evaluation.score < held.evaluation.score) pool.set(shape, c);
  };
  const explore = (runs: number): void => {
    phase = 'exploration';
    for (let k = 0; k < runs && !state.found && budget.ok(); k++) {
      const { run, built } = drawNext(space);
      const c = check(ctx, { run, shrinks: [] }, built);
      if (isCounterexample(c.evaluation)) {
        state.found = c;
        state.foundBy = 'exploration';
      } else consider(c);
    }
  };

  const targeted = options.targeted ?? true;
  let localSearches = 0;
  let latentDimension = 0;
  let fault: ClaimCodeFault | undefined;
  try {
    explore(targeted ? (options.explore ?? 100) : Infinity);
    const used = new Set<Candidate<I>>();
    while (targeted && !state.found && budget.ok()) {
      const starts = [...pool.values()].filter((c) => !used.has(c)).sort((a, b) => a.evaluation.score - b.evaluation.score).slice(0, options.starts ?? 8);
      if (starts.length === 0) {
        explore(50); // fresh starts (and fast-check keeps its chance)
        continue;
      }
      for (const start of starts) {
        if (state.found || !budget.ok()) break;
        used.add(start);
        latentDimension = Math.max(latentDimension, start.built.latent.values.length);
        if (start.built.latent.values.length === 0) continue;
        phase = 'targeted';
        localSearches++;
        const { best } = localSearch(ctx, start, { limit: 2000 });
        if (isCounterexample(best.evaluation)) {
          state.found = best;
          state.foundBy = 'targeted';
        } else {
          consider(best);
          used.add(best);
        }
      }
      if (!state.found && starts.every((s) => s.built.latent.values.length === 0)) explore(Infinity); // no continuous handle
    }
  } catch (e) {
    if (!(e instanceof ClaimCodeFault)) throw e;
    fault = e;
  }
  const { found, foundBy, closest } = fault ? { found: undefined, foundBy: null, closest: undefined } : state;
  const toCounterexample = found ? budget.evaluations : null;

  let result: SearchReport['counterexample'];
  let data: Readonly<Record<string, unknown>> | undefined;
  if (found) {
    const unshrunk = describeInstance(claim, found).instance;
    let final: Candidate<I> = found;
    let shrinkSteps = 0, roundedTo: number | null = null;
    if (options.shrink ?? true) {
      phase = 'shrinking';
      const shrinkBudget = new Budget(Math.min(10, seconds / 3), options.maxShrinkEvaluations ?? 3000);
      // Re-running the local search on smaller candidates pays only for counterexamples in thin regions: one that
      // fast-check met at random is shrunk by fast-check's streams alone.
      const shrunk = shrinkCounterexample({ ...ctx, budget: shrinkBudget }, found, { retarget: foundBy === 'targeted' ? 150 : 0 });
      final = shrunk.candidate;
      shrinkSteps = shrunk.steps;
      roundedTo = shrunk.rounded;
    }
    result = { ...describeInstance(claim, final), shrinkSteps, roundedTo, unshrunk };
    data = final.evaluation.verdict?.data;
  } else if (closest) {
    data = closest.evaluation.verdict?.data;
  }
  const total = counts.exploration + counts.targeted + counts.shrinking;
  latentDimension = Math.max(latentDimension, (found ?? closest)?.built.latent.values.length ?? 0);
  const foundIt = found !== undefined;
  return {
    id: claim.id,
    title: claim.title,
    statement: claim.statement,
    source: claim.source,
    expected: claim.expected,
    found: foundIt,
    status: fault ? 'error' : foundIt === (claim.expected === 'counterexample') ? 'pass' : 'fail',
    ...(fault ? { error: { kind: fault.kind, message: fault.message } } : {}),
    seed: options.seed,
    claimSeed: seed,
    budget: { seconds: Number.isFinite(seconds) ? seconds : null, evaluations: options.maxEvaluations ?? null },
    seconds: budget.elapsed,
    evaluations: { ...counts, total, toCounterexample },
    foundBy,
    runsExplored: space.runsExplored,
    localSearches,
    latentDimension,
    smallestMargin,
    ...(result ? { counterexample: result } : closest ? { closest: describeInstance(claim, closest) } : {}),
    ...(data ? { data } : {}),
  };
}
