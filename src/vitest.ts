// 'dlnv/vitest': claims, catalogue globs and single checks as vitest tests. A failing verdict throws an assertion
// error whose message is the verdict line, the shrunk instance with its matrices written out, and the command that
// replays it. vitest is a peer dependency of this entry point only.
import { test } from 'vitest';
import { catalogue } from '../properties/index.js';
import { describe as describeVerdict, type Verdict } from './check/verdict.js';
import type { Claim } from './claims/claim.js';
import { type ClaimReport, runClaim } from './claims/runner.js';
import { selectClaims } from './claims/select.js';
import { count } from './format.js';
import { instanceText } from './report/instance-text.js';
import { claimLine, verdictLine } from './report/terminal.js';

export interface ClaimTestOptions {
  /** Global seed, as `dlnv verify --seed` (default 1: the same instances as a plain `dlnv verify`). */
  readonly seed?: number;
  /** Instances per claim (default: the claim's own `runs`, else 100). */
  readonly runs?: number;
  /** The file defining the claims, relative to where you run vitest, so the replay command loads it. */
  readonly claimsFile?: string;
  /** vitest's timeout for each claim's test, in milliseconds (default 120 000). */
  readonly timeout?: number;
}

/** The error a failing claim or verdict throws; vitest shows its message as the failure. */
export class ClaimAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

/** Throw a ClaimAssertionError unless the run met the claim's expected outcome. */
export function assertClaimReport(report: ClaimReport): void {
  if (report.status === 'pass') return;
  const [headline] = claimLine(report).split('\n');
  const lines = [headline];
  const ce = report.counterexample;
  if (report.observed === 'counterexample' && ce) {
    lines.push(
      ce.verdict
        ? `${ce.verdict.detail}: ${verdictLine(ce.verdict)} [${ce.verdict.errorModel}]`
        : `error: ${ce.error ?? 'unknown'}`,
    );
    lines.push(`shrunk instance (${count(ce.shrinks, 'shrink')}):${instanceText(ce.instance)}`);
  } else if (report.worst) {
    lines.push(`${report.worst.detail}: ${verdictLine(report.worst)} [${report.worst.errorModel}]`);
  }
  lines.push(`replay: ${report.replay}`);
  throw new ClaimAssertionError(lines.join('\n'));
}

/** Run a claim as `dlnv verify` would, and throw a ClaimAssertionError unless it met its expected outcome. */
export function assertClaim<I>(claim: Claim<I>, options: ClaimTestOptions = {}): ClaimReport {
  const report = runClaim(claim, {
    seed: options.seed ?? 1,
    ...(options.runs !== undefined ? { runs: options.runs } : {}),
    ...(options.claimsFile !== undefined ? { claimsFile: options.claimsFile } : {}),
  });
  assertClaimReport(report);
  return report;
}

/** Throw a ClaimAssertionError unless the verdict passed (an inconclusive verdict is not a pass). */
export function assertVerdict(verdict: Verdict): void {
  if (verdict.status !== 'pass') throw new ClaimAssertionError(describeVerdict(verdict));
}

/** One vitest test per claim, named by its id. */
export function claimTests(claims: readonly Claim<any>[], options: ClaimTestOptions = {}): void {
  for (const claim of claims) test(claim.id, () => void assertClaim(claim, options), options.timeout ?? 120_000);
}

/** One vitest test per built-in claim whose id matches a glob (as `dlnv verify --claims`), e.g. 'flow.*'. */
export function catalogueTests(
  globs: string | readonly string[],
  options: Omit<ClaimTestOptions, 'claimsFile'> = {},
): void {
  claimTests(selectClaims(catalogue, typeof globs === 'string' ? [globs] : globs), options);
}

/** A vitest test that passes when the check's verdict does. */
export function checkTest(name: string, check: () => Verdict, timeout = 120_000): void {
  test(name, () => assertVerdict(check()), timeout);
}
