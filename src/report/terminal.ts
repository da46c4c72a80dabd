import type { ClaimReport, VerdictSummary } from '../claims/runner.js';

const num = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : String(x));

function verdictLine(v: VerdictSummary): string {
  return `measured ${num(v.measured)} ${v.comparison === '<=' ? '≤' : '≥'} bound ${num(v.bound)}, margin ${v.margin.toFixed(2)}`;
}

/** One line per claim: status, id, provenance, outcome, runs, worst margin, time; details and replay on failure. */
export function claimLine(r: ClaimReport): string {
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
  const lines = [`${mark}  ${r.id}  [${r.provenance}]  ${outcome}${worst}  (${r.seconds.toFixed(2)} s)`];
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

function compactJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v));
  return text.length > 600 ? `${text.slice(0, 600)}… (full instance in --json)` : text;
}

export function summaryLine(reports: readonly ClaimReport[], seconds: number): string {
  const failed = reports.filter((r) => r.status === 'fail').length;
  return `${reports.length - failed} passed, ${failed} failed (${reports.length} claims, ${seconds.toFixed(1)} s)`;
}
