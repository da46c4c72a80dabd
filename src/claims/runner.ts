import fc from 'fast-check';
import type { Verdict } from '../check/verdict.js';
import { worstOf } from '../check/verdict.js';
import { DomainError, UsageError } from '../errors.js';
import type { Claim, Expected, Source } from './claim.js';
import type { ClaimDerivation } from './derivation.js';
import { ClaimCodeFault, checkInstance, type FaultKind, faultMessage } from './evaluate.js';
import { claimSeed } from './seed.js';

export interface RunOptions {
  /** Global seed; each claim derives its own (see claimSeed). */
  readonly seed: number;
  /** Number of instances (default: the claim's own `runs`, else DEFAULT_RUNS). */
  readonly runs?: number;
  /** Time budget in seconds per claim instead of a run count (stops early, never marks a timeout as failure). */
  readonly budgetSeconds?: number;
  /** fast-check replay path of a reported counterexample. */
  readonly path?: string;
  /** The user's claim file the claim came from, so its replay line names it. */
  readonly claimsFile?: string;
  /** Called after every evaluated instance (for terminal progress). */
  readonly onProgress?: (evaluated: number) => void;
}

/**
 * What the run observed: every instance held, a failing instance was found, the checks could not decide (most
 * runs inconclusive), or the claim's own code broke (an exception, a value that is not a Verdict) or hung.
 */
export type Observed = 'holds' | 'counterexample' | 'inconclusive' | 'error' | 'timeout';

/**
 * The claim's outcome. 'pass': the observed outcome is the expected one; 'fail': it is not (a 'holds' claim was
 * refuted, or a FALSE variant survived every run); 'inconclusive': the checks could not decide, which is neither;
 * 'error': the claim's generator or check broke or timed out (its code needs fixing, the theory is not judged).
 */
export type ClaimStatus = 'pass' | 'fail' | 'inconclusive' | 'error';

export interface ClaimFault {
  readonly kind: FaultKind;
  /** One line: what broke. */
  readonly message: string;
  /** The instance it broke on (summarized), when one had been drawn. */
  readonly instance?: unknown;
  /** fast-check path of that instance, for --path. */
  readonly path?: string;
}

/** Inconclusive runs that share a reason (the verdict's detail with its numbers blanked out). */
export interface InconclusiveReason {
  readonly reason: string;
  readonly count: number;
  /** One full verdict line of this kind, numbers included. */
  readonly example: string;
}

/**
 * The share of a claim's runs that may be inconclusive before its generator or check must be fixed: above it the
 * report flags the claim (it still passes when its decided runs all agree).
 */
export const INCONCLUSIVE_BUDGET = 0.01;

/** Runs of a claim that does not set its own. */
export const DEFAULT_RUNS = 100;

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
  readonly status: ClaimStatus;
  readonly runs: number;
  readonly inconclusiveRuns: number;
  /** The reasons of the inconclusive runs, most frequent first. */
  readonly inconclusiveReasons: readonly InconclusiveReason[];
  /** More than INCONCLUSIVE_BUDGET of the runs were inconclusive. */
  readonly inconclusiveOverBudget: boolean;
  readonly seconds: number;
  readonly seed: number;
  readonly claimSeed: number;
  /** The smallest margin over the runs that passed (else over the inconclusive ones; or the counterexample's verdict). */
  readonly worst: VerdictSummary | null;
  readonly counterexample?: {
    readonly instance: unknown;
    readonly verdict: VerdictSummary | null;
    readonly error?: string;
    readonly path: string;
    readonly shrinks: number;
  };
  /** Set when the claim's own code broke (observed 'error' or 'timeout'). */
  readonly error?: ClaimFault;
  readonly replay: string;
  /** Sample verdict data (e.g. a Taylor curve) from the worst run, for plots. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The symbolic derivations linked to the claim (JSON and HTML reports), shown beside the numeric verdict. */
  readonly derivations?: readonly ClaimDerivation[];
}

/** The JSON-able part of a verdict (its plot data is kept apart, in ClaimReport.data). */
export function summarizeVerdict(v: Verdict): VerdictSummary {
  const { status, measured, bound, comparison, margin, errorModel, detail } = v;
  return { status, measured, bound, comparison, margin, errorModel, detail };
}

export function validateRunOptions(options: RunOptions): void {
  if (options.path !== undefined && !/^\d+(:\d+)*$/.test(options.path))
    throw new UsageError(
      `--path must be numbers separated by ':' as printed in a replay line (e.g. 12:0:3), got '${options.path}'`,
    );
  if (!Number.isInteger(options.seed)) throw new DomainError('seed', `must be an integer, got ${options.seed}`);
  if (options.runs !== undefined && (!Number.isInteger(options.runs) || options.runs < 1))
    throw new DomainError('runs', `must be a positive integer, got ${options.runs}`);
  if (options.budgetSeconds !== undefined && !(options.budgetSeconds > 0))
    throw new DomainError('budget', `must be a positive number of seconds, got ${options.budgetSeconds}`);
}

/** Counts inconclusive runs by reason: the detail with its numbers blanked, so runs of one kind group together. */
function reasonTally(): { add: (v: Verdict) => void; list: () => InconclusiveReason[] } {
  const byReason = new Map<string, { count: number; example: string }>();
  return {
    add(v) {
      // Numbers standing alone (not the 2 of 'slope-2' or the 1 of 'W_1') vary from run to run; the words do not.
      const reason = v.detail.replace(/(?<![\w.-])[-+]?\d+(\.\d+)?(e[-+]?\d+)?/gi, '#');
      const entry = byReason.get(reason);
      if (entry) entry.count++;
      else byReason.set(reason, { count: 1, example: v.detail });
    },
    list: () => [...byReason].map(([reason, e]) => ({ reason, ...e })).sort((a, b) => b.count - a.count),
  };
}

/** The replay command of a unit (a user's claim carries its file, so the line works when pasted). */
export function replayCommand(claimId: string, seed: number, claimsFile?: string): string {
  return `npx dlnv verify${claimsFile !== undefined ? ` --claims-file ${shellQuote(claimsFile)}` : ''} --claims ${shellQuote(claimId)} --seed ${seed}`;
}

/** A word a POSIX shell reads back unchanged: as is when plain, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The report of a unit that ended in a fault of the claim's code (also built by the CLI for a timeout). */
export function faultReport<I>(
  claim: Claim<I>,
  options: RunOptions,
  fault: ClaimFault,
  runs: number,
  seconds: number,
): ClaimReport {
  return {
    ...reportHeader(claim, options, runs, seconds),
    observed: fault.kind === 'timeout' ? 'timeout' : 'error',
    status: 'error',
    inconclusiveRuns: 0,
    inconclusiveReasons: [],
    inconclusiveOverBudget: false,
    worst: null,
    error: fault,
    replay: `${replayCommand(claim.id, options.seed, options.claimsFile)}${fault.path !== undefined ? ` --path ${fault.path}` : ''}`,
  };
}

function reportHeader<I>(claim: Claim<I>, options: RunOptions, runs: number, seconds: number) {
  return {
    id: claim.id,
    title: claim.title,
    statement: claim.statement,
    source: claim.source,
    provenance: claim.source.provenance,
    hypotheses: claim.hypotheses,
    tolerance: claim.tolerance,
    expected: claim.expected,
    runs,
    seconds,
    seed: options.seed,
    claimSeed: claimSeed(options.seed, claim.id),
  };
}

/**
 * Run one claim on seeded random instances with fast-check. A failing instance is shrunk and reported with its
 * seed, path and a one-line replay command; a 'counterexample' claim passes only when one is found. An
 * inconclusive run is counted with its reason and is neither a pass nor a fail. A check that throws or returns
 * something other than a Verdict, or a generator that throws, ends the claim with an 'error' report (never a
 * counterexample): the theory is not judged on a broken check.
 */
export function runClaim<I>(claim: Claim<I>, options: RunOptions): ClaimReport {
  validateRunOptions(options);
  const seed = claimSeed(options.seed, claim.id);
  const runs = options.runs ?? claim.runs ?? DEFAULT_RUNS;
  let evaluated = 0;
  let inconclusiveRuns = 0;
  const reasons = reasonTally();
  let worst: Verdict | undefined;
  let failingSeen = false;
  let fault: ClaimFault | undefined;
  const summarize = (instance: I): unknown => (claim.summarize ? claim.summarize(instance) : instance);
  const property = fc.property(claim.instances, (instance) => {
    // After a fault the remaining runs are skipped: fast-check has no way to stop early but a failure, and a
    // fault must not be shrunk as if it were a counterexample.
    if (fault) return true;
    let verdict: Verdict;
    try {
      verdict = checkInstance(claim, instance);
    } catch (e) {
      if (!(e instanceof ClaimCodeFault)) throw e;
      fault = {
        kind: e.kind,
        message: e.message,
        instance: summarize(instance),
        ...(failingSeen ? {} : { path: String(evaluated) }),
      };
      return true;
    }
    evaluated++;
    options.onProgress?.(evaluated);
    if (!failingSeen) {
      if (verdict.status === 'inconclusive') {
        inconclusiveRuns++;
        reasons.add(verdict);
      }
      // The worst margin is taken over the runs that passed; an inconclusive run is only shown when none did.
      if (verdict.status === 'pass') worst = worst?.status === 'pass' ? worstOf([worst, verdict]) : verdict;
      else if (verdict.status === 'inconclusive' && worst?.status !== 'pass')
        worst = worst ? worstOf([worst, verdict]) : verdict;
    }
    if (verdict.status === 'fail') failingSeen = true;
    return verdict.status !== 'fail';
  });
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  let details: fc.RunDetails<[I]>;
  try {
    details = fc.check(property, {
      seed,
      numRuns: options.budgetSeconds !== undefined ? 1e9 : runs,
      ...(options.path ? { path: options.path } : {}),
      ...(options.budgetSeconds !== undefined ? { interruptAfterTimeLimit: options.budgetSeconds * 1000 } : {}),
    });
  } catch (e) {
    if (options.path !== undefined && faultMessage(e).startsWith('Unable to replay')) {
      throw new UsageError(
        `--path ${options.path} does not lead to an instance of ${claim.id} (use the path printed with its replay line)`,
      );
    }
    // fast-check lets an exception of the generator through: the instance being drawn is run number `evaluated`.
    return faultReport(
      claim,
      options,
      {
        kind: 'generator-threw',
        message: `instance generator threw: ${faultMessage(e)}`,
        ...(failingSeen ? {} : { path: String(evaluated) }),
      },
      evaluated,
      elapsed(),
    );
  }
  const seconds = elapsed();
  if (fault) return faultReport(claim, options, fault, evaluated, seconds);
  const header = {
    ...reportHeader(claim, options, details.numRuns, seconds),
    inconclusiveRuns,
    inconclusiveReasons: reasons.list(),
    inconclusiveOverBudget: inconclusiveRuns > INCONCLUSIVE_BUDGET * details.numRuns,
  };
  const base = replayCommand(claim.id, options.seed, options.claimsFile);
  if (details.failed && details.counterexample && details.counterexamplePath !== null) {
    const [instance] = details.counterexample;
    let verdict: Verdict | undefined;
    let error: string | undefined;
    try {
      verdict = checkInstance(claim, instance);
    } catch (e) {
      error = faultMessage(e);
    }
    if (!verdict && details.errorInstance) error ??= faultMessage(details.errorInstance);
    const path = details.counterexamplePath;
    return {
      ...header,
      observed: 'counterexample',
      status: claim.expected === 'counterexample' ? 'pass' : 'fail',
      worst: verdict ? summarizeVerdict(verdict) : null,
      counterexample: {
        instance: summarize(instance),
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
    status: undecided ? 'inconclusive' : observed === claim.expected ? 'pass' : 'fail',
    worst: worst ? summarizeVerdict(worst) : null,
    replay: `${base} --runs ${details.numRuns}`,
    ...(worst?.data ? { data: worst.data } : {}),
  };
}
