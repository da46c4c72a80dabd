import fc from 'fast-check';
import type { Verdict } from '../check/verdict.js';
import { worstOf } from '../check/verdict.js';
import { DomainError } from '../errors.js';
import type { Claim, Expected, Source } from './claim.js';
import { claimSeed } from './seed.js';

export interface RunOptions {
  /** Global seed; each claim derives its own (see claimSeed). */
  readonly seed: number;
  /** Number of instances (default: the claim's own `runs`, else 100). */
  readonly runs?: number;
  /** Time budget in seconds per claim instead of a run count (stops early, never marks a timeout as failure). */
  readonly budgetSeconds?: number;
  /** fast-check replay path of a reported counterexample. */
  readonly path?: string;
  /** Called after every evaluated instance (for terminal progress). */
  readonly onProgress?: (evaluated: number) => void;
  /** The user's claim file that defines the claim (as the user named it), so the replay command loads it. */
  readonly claimsFile?: string;
}

/** What the run observed: every instance held, a failing instance was found, or the checks could not decide. */
export type Observed = 'holds' | 'counterexample' | 'inconclusive' | 'error' | 'timeout';

/** Why a claim could not be run to a verdict: its check or generator threw, answered nonsense, or ran out of time. */
export interface ClaimError {
  readonly kind: 'check-threw' | 'generator-threw' | 'invalid-verdict' | 'timeout';
  readonly message: string;
  readonly instance?: unknown;
  readonly path?: string;
}

export interface VerdictSummary {
  readonly status: Verdict['status'];
  readonly measured: number;
  readonly bound: number;
  readonly comparison: Verdict['comparison'];
  readonly margin: number;
  readonly errorModel: string;
  readonly detail: string;
}

export interface ClaimReport {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  readonly source: Source;
  readonly provenance: Source['provenance'];
  readonly hypotheses: readonly string[];
  readonly tolerance: string;
  readonly expected: Expected;
  readonly observed: Observed;
  /** 'pass' iff the observed outcome is the expected one; 'error' covers timeouts (observed says which). */
  readonly status: 'pass' | 'fail' | 'inconclusive' | 'error';
  readonly runs: number;
  readonly inconclusiveRuns: number;
  readonly inconclusiveReasons?: readonly { readonly reason: string; readonly count: number }[];
  /** More inconclusive runs than the per-claim budget (1 % of runs) allows. */
  readonly inconclusiveOverBudget?: boolean;
  readonly error?: ClaimError;
  readonly seconds: number;
  readonly seed: number;
  readonly claimSeed: number;
  /** The smallest margin over the runs that passed (else over the inconclusive ones; or the counterexample's verdict). */
  readonly worst: VerdictSummary | null;
  readonly counterexample?: { readonly instance: unknown; readonly verdict: VerdictSummary | null; readonly error?: string; readonly path: string; readonly shrinks: number };
  readonly replay: string;
  /** Sample verdict data (e.g. a Taylor curve) from the worst run, for plots. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The JSON-able part of a verdict (its plot data is kept apart, in ClaimReport.data). */
export function summarizeVerdict(v: Verdict): VerdictSummary {
  const { status, measured, bound, comparison, margin, errorModel, detail } = v;
  return { status, measured, bound, comparison, margin, errorModel, detail };
}

export function validateRunOptions(options: RunOptions): void {
  if (!Number.isInteger(options.seed)) throw new DomainError('seed', `must be an integer, got ${options.seed}`);
  if (options.runs !== undefined && (!Number.isInteger(options.runs) || options.runs < 1)) throw new DomainError('runs', `must be a positive integer, got ${options.runs}`);
  if (options.budgetSeconds !== undefined && !(options.budgetSeconds > 0)) throw new DomainError('budget', `must be a positive number of seconds, got ${options.budgetSeconds}`);
}

/**
 * Run one claim on seeded random instances with fast-check. A failing instance is shrunk and reported with
 * its seed, path and a one-line replay command. A 'counterexample' claim passes only when one is found.
 */
export function runClaim<I>(claim: Claim<I>, options: RunOptions): ClaimReport {
  validateRunOptions(options);
  const seed = claimSeed(options.seed, claim.id);
  const runs = options.runs ?? claim.runs ?? 100;
  let evaluated = 0;
  let inconclusiveRuns = 0;
  let worst: Verdict | undefined;
  let failingSeen = false;
  const property = fc.property(claim.instances, (instance) => {
    const verdict = claim.check(instance);
    evaluated++;
    options.onProgress?.(evaluated);
    if (!failingSeen) {
      if (verdict.status === 'inconclusive') inconclusiveRuns++;
      // The worst margin is taken over the runs that passed; an inconclusive run is only shown when none did.
      if (verdict.status === 'pass') worst = worst?.status === 'pass' ? worstOf([worst, verdict]) : verdict;
      else if (verdict.status === 'inconclusive' && worst?.status !== 'pass') worst = worst ? worstOf([worst, verdict]) : verdict;
    }
    if (verdict.status === 'fail') failingSeen = true;
    return verdict.status !== 'fail';
  });
  const started = performance.now();
  const details = fc.check(property, {
    seed,
    numRuns: options.budgetSeconds !== undefined ? 1e9 : runs,
    ...(options.path ? { path: options.path } : {}),
    ...(options.budgetSeconds !== undefined ? { interruptAfterTimeLimit: options.budgetSeconds * 1000 } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const file = options.claimsFile === undefined ? '' : ` --claims-file ${shellWord(options.claimsFile)}`;
  const base = `npx dlnv verify${file} --claims ${shellWord(claim.id)} --seed ${options.seed}`;
  const header = {
    id: claim.id,
    title: claim.title,
    statement: claim.statement,
    source: claim.source,
    provenance: claim.source.provenance,
    hypotheses: claim.hypotheses,
    tolerance: claim.tolerance,
    expected: claim.expected,
    runs: details.numRuns,
    inconclusiveRuns,
    seconds,
    seed: options.seed,
    claimSeed: seed,
  };
  if (details.failed && details.counterexample && details.counterexamplePath !== null) {
    const [instance] = details.counterexample;
    let verdict: Verdict | undefined;
    let error: string | undefined;
    try {
      verdict = claim.check(instance);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (!verdict && details.errorInstance) error ??= String(details.errorInstance);
    const path = details.counterexamplePath;
    return {
      ...header,
      observed: 'counterexample',
      status: claim.expected === 'counterexample' ? 'pass' : 'fail',
      worst: verdict ? summarizeVerdict(verdict) : null,
      counterexample: {
        instance: claim.summarize ? claim.summarize(instance) : instance,
        verdict: verdict ? summarizeVerdict(verdict) : null,
        ...(error ? { error } : {}),
        path,
        shrinks: details.numShrinks,
      },
      replay: `${base} --path ${path}`,
      ...(verdict?.data ? { data: verdict.data } : {}),
    };
  }
  const undecided = details.numRuns === 0 || inconclusiveRuns * 2 > details.numRuns;
  const observed: Observed = undecided ? 'inconclusive' : 'holds';
  return {
    ...header,
    observed,
    status: observed === claim.expected ? 'pass' : 'fail',
    worst: worst ? summarizeVerdict(worst) : null,
    replay: `${base} --runs ${details.numRuns}`,
    ...(worst?.data ? { data: worst.data } : {}),
  };
}

/** A word a POSIX shell reads back unchanged: as is when plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
