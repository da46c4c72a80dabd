import type { SearchReport } from '../search/search.js';
import type { ReplayResult } from '../search/replay.js';
import type { ClaimReport, VerdictSummary } from '../claims/runner.js';


/** Enough digits to tell the measured value from the bound when they are close (e.g. 0.999994 against 0.9999). */
function pairDigits(a: number, b: number): number {
  const gap = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  return Number.isFinite(gap) && gap > 0 ? Math.min(12, Math.max(3, Math.ceil(-Math.log10(gap)) + 2)) : 3;
}

function marginText(m: number): string {
  return !Number.isFinite(m) ? String(m) : m !== 0 && Math.abs(m) < 0.01 ? m.toExponential(1) : Math.abs(m) >= 1e4 ? m.toExponential(2) : m.toFixed(2);
}

export function verdictLine(v: VerdictSummary): string {
  const measured = Number(v.measured), bound = Number(v.bound);
  const d = pairDigits(measured, bound);
  const f = (x: number): string => (Number.isFinite(x) ? x.toExponential(d - 1) : String(x));
  return `measured ${f(measured)} ${v.comparison === '<=' ? '≤' : '≥'} bound ${f(bound)}, margin ${marginText(Number(v.margin))}`;
}

/** One line per claim: status, id, provenance, outcome, runs, worst margin, time; details and replay on failure. */
export function claimLine(r: ClaimReport, options: { showSeed?: boolean } = {}): string {
  const mark = r.status === 'pass' ? 'PASS' : 'FAIL';
  const outcome =
    r.expected === 'counterexample'
      ? r.observed === 'counterexample'
        ? 'counterexample found (expected)'
        : `no counterexample in ${r.runs} runs (one was expected)`
      : r.observed === 'holds'
        ? `held on ${r.runs} runs${r.inconclusiveRuns ? ` (${r.inconclusiveRuns} inconclusive)` : ''}`
        : r.observed === 'inconclusive'
          ? `inconclusive on ${r.inconclusiveRuns}/${r.runs} runs`
          : 'COUNTEREXAMPLE';
  const worst = r.worst && r.observed === 'holds' ? `; worst ${verdictLine(r.worst)}` : '';
  const lines = [`${mark}  ${r.id}${options.showSeed ? `@${r.seed}` : ''}  [${r.provenance}]  ${outcome}${worst}  (${r.seconds.toFixed(2)} s)`];
  if (r.observed === 'counterexample' && r.counterexample) {
    const v = r.counterexample.verdict;
    lines.push(`      ${v ? `${v.detail}: ${verdictLine(v)} [${v.errorModel}]` : `error: ${r.counterexample.error ?? 'unknown'}`}`);
    lines.push(`      shrunk instance (${r.counterexample.shrinks} shrinks): ${compactJson(r.counterexample.instance)}`);
  }
  if (r.status === 'fail') {
    if (r.observed !== 'counterexample' && r.worst) lines.push(`      ${r.worst.detail} [${r.worst.errorModel}]`);
    lines.push(`      replay: ${r.replay}`);
  }
  return lines.join('\n');
}

export function compactJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v));
  return text.length > 600 ? `${text.slice(0, 600)}… (full instance in --json)` : text;
}

export function summaryLine(reports: readonly ClaimReport[], seconds: number): string {
  const failed = reports.filter((r) => r.status === 'fail').length;
  return `${reports.length - failed} passed, ${failed} failed (${reports.length} claims, ${seconds.toFixed(1)} s)`;
}

// ---------------------------------------------------------------------------------------------------------------
// dlnv search and dlnv replay

/** Evaluations of the fast-check-only baseline (`dlnv search --compare`). */
export interface BaselineSummary {
  readonly found: boolean;
  readonly evaluations: number;
  readonly seconds: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** What a search did and found, for the terminal. */
export function searchLines(r: SearchReport, options: { source?: string; replayFile?: string; baseline?: BaselineSummary } = {}): string[] {
  const e = r.evaluations;
  const lines = [
    `  exploration: ${count(r.runsExplored)} fast-check runs (${count(e.exploration)} evaluations)`,
    `  targeted:    ${r.localSearches} local search${r.localSearches === 1 ? '' : 'es'} over up to ${r.latentDimension} latent draws (${count(e.targeted)} evaluations)` +
      (r.latentDimension === 0 ? ' — these instances have no continuous draws to move' : ''),
  ];
  if (r.found && r.counterexample) {
    const c = r.counterexample;
    lines.unshift(`FOUND  ${r.id}: a counterexample after ${count(e.toCounterexample!)} evaluations (${r.foundBy} phase), ${r.seconds.toFixed(2)} s${r.expected === 'counterexample' ? ' — expected: a FALSE variant' : ' — the claim is BROKEN'}`);
    lines.push(`  shrinking:   ${c.shrinkSteps} steps${c.roundedTo !== null ? `, draws rounded to ${c.roundedTo} decimals` : ''} (${count(e.shrinking)} evaluations)`);
    const v = c.verdict;
    lines.push(v ? `  verdict:     ${v.detail}: ${verdictLine(v)} [${v.errorModel}]` : `  error:       ${c.error ?? 'unknown'}`);
    lines.push(`  instance:    ${compactJson(c.instance)}`);
  } else {
    lines.unshift(
      `NONE   ${r.id}: no counterexample in ${r.seconds.toFixed(1)} s (budget ${r.budget.seconds} s${r.budget.evaluations !== null ? ` or ${count(r.budget.evaluations)} evaluations` : ''}): ` +
        `${count(e.total)} instances tried; smallest margin seen ${r.smallestMargin === null ? '—' : r.smallestMargin.toExponential(2)}`,
    );
    if (r.closest) lines.push(`  closest:     ${compactJson(r.closest.instance)}`);
  }
  if (options.baseline) {
    const b = options.baseline;
    lines.push(
      `  compare:     fast-check alone ${b.found ? `found one after ${count(b.evaluations)} evaluations` : `found none in ${count(b.evaluations)} evaluations`} (${b.seconds.toFixed(2)} s); ` +
        `with the targeted phase: ${r.found ? `${count(e.toCounterexample!)} evaluations` : `none in ${count(e.total)}`}`,
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
    v ? `  verdict:  ${v.detail}: ${verdictLine(v)} [${v.errorModel}]` : `  error:    ${r.evaluation.error ?? 'unknown'}`,
    `  instance: ${compactJson(r.instance)}`,
  ];
}
