import type { Claim, Expected, Source } from '../claims/claim.js';
import { ClaimCodeFault, type FaultKind, faultMessage } from '../claims/evaluate.js';
import { summarizeVerdict, type VerdictSummary, validateRunOptions } from '../claims/runner.js';
import { claimSeed } from '../claims/seed.js';
import { DomainError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { Budget, type Evaluation, isCounterexample } from './evaluate.js';
import { InstanceSpace, type Recipe } from './instance-space.js';
import type { LatentPoint } from './latent.js';
import { shrinkCounterexample } from './shrink.js';
import { type Candidate, check, localSearch, type SearchContext } from './targeted.js';

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
  readonly counterexample?: SearchInstance & {
    readonly shrinkSteps: number;
    readonly roundedTo: number | null;
    readonly unshrunk: unknown;
  };
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

/** Where a search stands; the evaluation callback counts into `phase`, the phases fill in the rest. */
interface Progress<I> {
  phase: SearchPhase;
  found?: Candidate<I>;
  foundBy: SearchReport['foundBy'];
  /** The instance with the smallest score so far that is not a counterexample. */
  closest?: Candidate<I>;
  localSearches: number;
  latentDimension: number;
}

/** Seconds for finding a counterexample: the budget given, else 30, else unlimited when evaluations bound it. */
function searchSeconds(options: SearchOptions): number {
  validateRunOptions({
    seed: options.seed,
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
  });
  if (
    options.maxEvaluations !== undefined &&
    !(Number.isInteger(options.maxEvaluations) && options.maxEvaluations >= 1)
  ) {
    throw new DomainError('evaluations', `must be a positive integer, got ${options.maxEvaluations}`);
  }
  // An evaluation count alone replaces the time budget, so a search is reproducible on any machine.
  return options.budgetSeconds ?? (options.maxEvaluations !== undefined ? Infinity : 30);
}

/**
 * fast-check's exploration, then local searches from the best start of each distinct shape (restarts across
 * dimensions), until a counterexample turns up or the budget ends. A fault of the claim's code is thrown.
 */
function findCounterexample<I>(ctx: SearchContext<I>, progress: Progress<I>, options: SearchOptions): void {
  const { claim, space, budget } = ctx;
  const pool = new Map<string, Candidate<I>>();
  const consider = (c: Candidate<I>): void => {
    if (!progress.closest || c.evaluation.score < progress.closest.evaluation.score) progress.closest = c;
    const shape = shapeOf(claim.summarize ? claim.summarize(c.built.value.value) : c.built.value.value);
    const held = pool.get(shape);
    if (!held || c.evaluation.score < held.evaluation.score) pool.set(shape, c);
  };
  const explore = (runs: number): void => {
    progress.phase = 'exploration';
    for (let k = 0; k < runs && !progress.found && budget.ok(); k++) {
      const { run, built } = drawNext(space);
      const c = check(ctx, { run, shrinks: [] }, built);
      if (isCounterexample(c.evaluation)) {
        progress.found = c;
        progress.foundBy = 'exploration';
      } else consider(c);
    }
  };

  const targeted = options.targeted ?? true;
  explore(targeted ? (options.explore ?? 100) : Infinity);
  const used = new Set<Candidate<I>>();
  while (targeted && !progress.found && budget.ok()) {
    const starts = [...pool.values()]
      .filter((c) => !used.has(c))
      .sort((a, b) => a.evaluation.score - b.evaluation.score)
      .slice(0, options.starts ?? 8);
    if (starts.length === 0) {
      explore(50); // fresh starts (and fast-check keeps its chance)
      continue;
    }
    for (const start of starts) {
      if (progress.found || !budget.ok()) break;
      used.add(start);
      progress.latentDimension = Math.max(progress.latentDimension, start.built.latent.values.length);
      if (start.built.latent.values.length === 0) continue;
      progress.phase = 'targeted';
      progress.localSearches++;
      const { best } = localSearch(ctx, start, { limit: 2000 });
      if (isCounterexample(best.evaluation)) {
        progress.found = best;
        progress.foundBy = 'targeted';
      } else {
        consider(best);
        used.add(best);
      }
    }
    if (!progress.found && starts.every((s) => s.built.latent.values.length === 0)) explore(Infinity); // no continuous handle
  }
}

/** The counterexample as reported: shrunk (unless options.shrink is false) within its own budget. */
function reportCounterexample<I>(
  ctx: SearchContext<I>,
  progress: Progress<I>,
  found: Candidate<I>,
  options: SearchOptions,
  seconds: number,
): { counterexample: NonNullable<SearchReport['counterexample']>; final: Candidate<I> } {
  const unshrunk = describeInstance(ctx.claim, found).instance;
  if (!(options.shrink ?? true))
    return {
      counterexample: { ...describeInstance(ctx.claim, found), shrinkSteps: 0, roundedTo: null, unshrunk },
      final: found,
    };
  progress.phase = 'shrinking';
  const shrinkBudget = new Budget(Math.min(10, seconds / 3), options.maxShrinkEvaluations ?? 3000);
  // Re-running the local search on smaller candidates pays only for counterexamples in thin regions: one that
  // fast-check met at random is shrunk by fast-check's streams alone.
  const shrunk = shrinkCounterexample({ ...ctx, budget: shrinkBudget }, found, {
    retarget: progress.foundBy === 'targeted' ? 150 : 0,
  });
  return {
    counterexample: {
      ...describeInstance(ctx.claim, shrunk.candidate),
      shrinkSteps: shrunk.steps,
      roundedTo: shrunk.rounded,
      unshrunk,
    },
    final: shrunk.candidate,
  };
}

/**
 * Counterexample search for one claim: fast-check's own exploration (the same instances `dlnv verify` draws for
 * this seed), then a targeted phase — a local search on the latent draws of the most promising instances, one per
 * distinct shape (restarts across dimensions), minimizing the verdict's margin — then shrinking toward small
 * dimensions and short decimals. The result carries a recipe that `replaySearch` rebuilds exactly.
 */
export function runSearch<I>(claim: Claim<I>, options: SearchOptions): SearchReport {
  const seconds = searchSeconds(options);
  const seed = claimSeed(options.seed, claim.id);
  const space = new InstanceSpace(claim.instances, seed);
  const budget = new Budget(seconds, options.maxEvaluations ?? Infinity);
  const counts = { exploration: 0, targeted: 0, shrinking: 0 };
  let smallestMargin: number | null = null;
  const progress: Progress<I> = { phase: 'exploration', foundBy: null, localSearches: 0, latentDimension: 0 };
  const ctx: SearchContext<I> = {
    claim,
    space,
    budget,
    rng: new Rng(seed ^ 0x5ea2c4),
    onEvaluation: (e: Evaluation) => {
      counts[progress.phase]++;
      if (!isCounterexample(e) && e.verdict && (smallestMargin === null || e.verdict.margin < smallestMargin))
        smallestMargin = e.verdict.margin;
      options.onProgress?.(progress.phase, counts[progress.phase]);
    },
  };

  let fault: ClaimCodeFault | undefined;
  try {
    findCounterexample(ctx, progress, options);
  } catch (e) {
    if (!(e instanceof ClaimCodeFault)) throw e;
    fault = e;
  }
  const { found, closest } = fault ? { found: undefined, closest: undefined } : progress;
  const foundBy = fault ? null : progress.foundBy;
  const toCounterexample = found ? budget.evaluations : null;
  const reported = found ? reportCounterexample(ctx, progress, found, options, seconds) : undefined;
  const data = (reported?.final ?? closest)?.evaluation.verdict?.data;
  const total = counts.exploration + counts.targeted + counts.shrinking;
  const latentDimension = Math.max(progress.latentDimension, (found ?? closest)?.built.latent.values.length ?? 0);
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
    localSearches: progress.localSearches,
    latentDimension,
    smallestMargin,
    ...(reported
      ? { counterexample: reported.counterexample }
      : closest
        ? { closest: describeInstance(claim, closest) }
        : {}),
    ...(data ? { data } : {}),
  };
}
