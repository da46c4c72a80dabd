import { type ClaimReport, INCONCLUSIVE_BUDGET, type VerdictSummary } from '../claims/runner.js';
import { count, numeric, sig, signedMargin } from '../format.js';
import type { ReplayResult } from '../search/replay.js';
import type { SearchReport } from '../search/search.js';

/** Enough digits to tell the measured value from the bound when they are close (e.g. 0.999994 against 0.9999). */
function pairDigits(a: number, b: number): number {
  const gap = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  return Number.isFinite(gap) && gap > 0 ? Math.min(12, Math.max(4, Math.ceil(-Math.log10(gap)) + 2)) : 4;
}

/** "measured 2.484e-4 ≤ bound 0.005, margin +0.95" (margins relative: MARGIN_CONVENTION). */
export function verdictLine(v: VerdictSummary): string {
  const measured = numeric(v.measured),
    bound = numeric(v.bound);
  const d = pairDigits(measured, bound);
  return `measured ${sig(measured, d)} ${v.comparison === '<=' ? '≤' : '≥'} bound ${sig(bound, d)}, margin ${signedMargin(numeric(v.margin))}`;
}

/** The head of a verdict's detail, which says what was measured ("e(t): slope 1.991 over 5.75 decades"). */
function what(detail: string): string {
  const head = detail.split(/ \(|; /)[0];
  return head.length > 70 ? `${head.slice(0, 69)}…` : head;
}

const MARKS: Record<ClaimReport['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  inconclusive: 'UNDECIDED',
  error: 'ERROR',
};

/** "3/200 runs inconclusive (over the 1 % budget)" — shown whenever a claim had inconclusive runs. */
function inconclusiveText(r: ClaimReport): string {
  if (!r.inconclusiveRuns) return '';
  const budget = r.inconclusiveOverBudget ? `, over the ${INCONCLUSIVE_BUDGET * 100} % budget` : '';
  return ` (${r.inconclusiveRuns}/${count(r.runs, 'run')} inconclusive${budget})`;
}

function outcomeText(r: ClaimReport): string {
  if (r.observed === 'error' || r.observed === 'timeout') return r.error?.message ?? r.observed;
  if (r.observed === 'inconclusive')
    return `could not decide: ${r.inconclusiveRuns}/${count(r.runs, 'run')} inconclusive`;
  if (r.expected === 'counterexample') {
    return r.observed === 'counterexample'
      ? 'counterexample found (expected)'
      : `no counterexample in ${count(r.runs, 'run')} (one was expected)${inconclusiveText(r)}`;
  }
  return r.observed === 'holds' ? `held on ${count(r.runs, 'run')}${inconclusiveText(r)}` : 'COUNTEREXAMPLE';
}

/** The word a claim's line starts with: PASS, FAIL, UNDECIDED, ERROR or TIMEOUT. */
export function statusWord(r: Pick<ClaimReport, 'status' | 'observed'>): string {
  return r.observed === 'timeout' ? 'TIMEOUT' : MARKS[r.status];
}

/**
 * One line per claim: status, id, provenance, outcome, runs, what the worst passing verdict measured and its
 * margin, time; the counterexample or fault, the reasons it could not decide and the replay line otherwise.
 */
export function claimLine(r: ClaimReport, options: { showSeed?: boolean } = {}): string {
  const worst = r.worst && r.observed === 'holds' ? `; worst: ${what(r.worst.detail)} — ${verdictLine(r.worst)}` : '';
  const lines = [
    `${statusWord(r)}  ${r.id}${options.showSeed ? `@${r.seed}` : ''}  [${r.provenance}]  ${outcomeText(r)}${worst}  (${r.seconds.toFixed(2)} s)`,
  ];
  if (r.observed === 'counterexample' && r.counterexample) {
    const v = r.counterexample.verdict;
    lines.push(
      `      ${v ? `${v.detail}: ${verdictLine(v)} [${v.errorModel}]` : `error: ${r.counterexample.error ?? 'unknown'}`}`,
    );
    lines.push(
      `      shrunk instance (${count(r.counterexample.shrinks, 'shrink')}): ${compactJson(r.counterexample.instance)}`,
    );
  }
  if (r.error?.instance !== undefined) lines.push(`      instance: ${compactJson(r.error.instance)}`);
  // Why runs could not decide, when that decided the outcome or broke the budget.
  if (r.status === 'inconclusive' || r.inconclusiveOverBudget) {
    for (const reason of r.inconclusiveReasons.slice(0, 3))
      lines.push(`      inconclusive ×${reason.count}: ${reason.example}`);
  }
  if (r.status !== 'pass') {
    if (r.status === 'fail' && r.observed !== 'counterexample' && r.worst)
      lines.push(`      ${r.worst.detail} [${r.worst.errorModel}]`);
    lines.push(`      replay: ${r.replay}`);
  }
  return lines.join('\n');
}

export function compactJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v));
  return text.length > 600 ? `${text.slice(0, 600)}… (full instance in --json)` : text;
}

/** "3 passed, 1 failed, 1 undecided (5 claims; 4 of 500 runs inconclusive, 1.2 s)". */
export function summaryLine(reports: readonly ClaimReport[], seconds: number): string {
  const of = (status: ClaimReport['status']): number => reports.filter((r) => r.status === status).length;
  const parts = [`${of('pass')} passed`, `${of('fail')} failed`];
  if (of('inconclusive')) parts.push(`${of('inconclusive')} undecided`);
  if (of('error')) parts.push(`${of('error')} errored`);
  const runs = reports.reduce((n, r) => n + r.runs, 0),
    undecidedRuns = reports.reduce((n, r) => n + r.inconclusiveRuns, 0);
  const share = undecidedRuns ? `; ${undecidedRuns} of ${count(runs, 'run')} inconclusive` : '';
  return `${parts.join(', ')} (${count(reports.length, 'claim')}${share}, ${seconds.toFixed(1)} s)`;
}

/**
 * The exit code of a run of claims: 1 when a claim failed, else 3 when one errored or timed out, else 4 when one
 * could not be decided, else 0.
 */
export function claimsExitCode(reports: readonly Pick<ClaimReport, 'status'>[]): number {
  const has = (status: ClaimReport['status']): boolean => reports.some((r) => r.status === status);
  return has('fail') ? 1 : has('error') ? 3 : has('inconclusive') ? 4 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// dlnv search and dlnv replay

/** Evaluations of the fast-check-only baseline (`dlnv search --compare`). */
export interface BaselineSummary {
  readonly found: boolean;
  readonly evaluations: number;
  readonly seconds: number;
}

/** What a search did and found, for the terminal. */
export function searchLines(
  r: SearchReport,
  options: { source?: string; replayFile?: string; baseline?: BaselineSummary } = {},
): string[] {
  const e = r.evaluations;
  const lines = [
    `  exploration: ${count(r.runsExplored, 'fast-check run')} (${count(e.exploration, 'evaluation')})`,
    `  targeted:    ${count(r.localSearches, 'local search', 'local searches')} over up to ${count(r.latentDimension, 'latent draw')} (${count(e.targeted, 'evaluation')})` +
      (r.latentDimension === 0 ? ' — these instances have no continuous draws to move' : ''),
  ];
  if (r.error) {
    lines.unshift(
      `ERROR  ${r.id}: the claim's own code broke after ${count(e.total, 'evaluation')} (${r.error.kind}): ${r.error.message}`,
    );
  } else if (r.found && r.counterexample) {
    const c = r.counterexample;
    lines.unshift(
      `FOUND  ${r.id}: a counterexample after ${count(e.toCounterexample!, 'evaluation')} (${r.foundBy} phase), ${r.seconds.toFixed(2)} s${r.expected === 'counterexample' ? ' — expected: a FALSE variant' : ' — the claim is BROKEN'}`,
    );
    lines.push(
      `  shrinking:   ${count(c.shrinkSteps, 'step')}${c.roundedTo !== null ? `, draws rounded to ${count(c.roundedTo, 'decimal')}` : ''} (${count(e.shrinking, 'evaluation')})`,
    );
    const v = c.verdict;
    if (v) lines.push(`  verdict:     ${v.detail}: ${verdictLine(v)} [${v.errorModel}]`);
    lines.push(`  instance:    ${compactJson(c.instance)}`);
  } else {
    lines.unshift(
      `NONE   ${r.id}: no counterexample in ${r.seconds.toFixed(1)} s (budget ${[...(r.budget.seconds !== null ? [`${r.budget.seconds} s`] : []), ...(r.budget.evaluations !== null ? [count(r.budget.evaluations, 'evaluation')] : [])].join(' or ')}): ` +
        `${count(e.total, 'instance')} tried; smallest margin seen ${r.smallestMargin === null ? '—' : signedMargin(numeric(r.smallestMargin))}`,
    );
    if (r.closest) lines.push(`  closest:     ${compactJson(r.closest.instance)}`);
  }
  if (options.baseline) {
    const b = options.baseline;
    lines.push(
      `  compare:     fast-check alone ${b.found ? `found one after ${count(b.evaluations, 'evaluation')}` : `found none in ${count(b.evaluations, 'evaluation')}`} (${b.seconds.toFixed(2)} s); ` +
        `with the targeted phase: ${r.found ? count(e.toCounterexample!, 'evaluation') : `none in ${count(e.total, 'evaluation')}`}`,
    );
  }
  if (options.replayFile) lines.push(`  replay:      dlnv replay ${options.replayFile}`);
  return lines;
}

/** What a replay shows. */
export function replayLines(r: ReplayResult, file: string): string[] {
  const v = r.verdict;
  return [
    `${r.violated ? 'VIOLATED' : 'HOLDS   '}  ${r.id}  (${r.reproduced ? 'reproduces the recorded outcome' : 'does NOT reproduce the recorded outcome'}; ${file})`,
    v ? `  verdict:  ${v.detail}: ${verdictLine(v)} [${v.errorModel}]` : '  verdict:  none',
    `  instance: ${compactJson(r.instance)}`,
  ];
}
