import { citation } from '../claims/claim.js';
import type { ClaimReport, VerdictSummary } from '../claims/runner.js';
import { figuresFor } from './figures.js';
import { renderSvg } from './svg-plot.js';
import { escapeXml } from './xml.js';

/**
 * One self-contained HTML page for a verify run (or a merge of shards): a summary table, then each claim with
 * its statement, provenance, hypotheses, tolerance, verdict and margin, its counterexample and replay line, and
 * the figures that explain it as inline SVG (drawn by renderSvg, no browser involved). No script, no external
 * resource: a Content-Security-Policy forbids both, so the page renders the same offline, in CI artifacts and in
 * mail. The output depends only on the reports (plus the run's total time), so a merge of shards gives the same
 * page as the single run.
 */

export interface HtmlReportOptions {
  readonly title?: string;
  /** Total wall time of the run, shown in the header (omitted when undefined). */
  readonly seconds?: number;
  /** Shown in the header, e.g. "merged from 2 shards". */
  readonly note?: string;
}

const esc = escapeXml;

const num = (x: number | string | null | undefined): string => {
  if (x === null || x === undefined) return '—';
  const v = Number(x);
  if (!Number.isFinite(v)) return String(x);
  return v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
};

/** Anchor of a claim report: its id, plus the seed when a run covers several seeds. */
export function anchorOf(r: Pick<ClaimReport, 'id' | 'seed'>, multiSeed: boolean): string {
  return `claim-${r.id}${multiSeed ? `@${r.seed}` : ''}`.replace(/[^A-Za-z0-9_.@-]/g, '_');
}

function outcome(r: ClaimReport): string {
  if (r.observed === 'counterexample') return r.expected === 'counterexample' ? 'counterexample found (expected)' : 'COUNTEREXAMPLE';
  if (r.observed === 'holds') return r.expected === 'counterexample' ? `no counterexample in ${r.runs} runs` : `held on ${r.runs} runs`;
  return `inconclusive on ${r.inconclusiveRuns}/${r.runs} runs`;
}

function verdictRows(v: VerdictSummary): string {
  const rel = v.comparison === '<=' ? '≤' : '≥';
  return [
    `<tr><th>verdict</th><td><span class="v-${esc(v.status)}">${esc(v.status)}</span>: measured ${num(v.measured)} ${rel} bound ${num(v.bound)}, margin ${num(v.margin)}</td></tr>`,
    `<tr><th>detail</th><td>${esc(v.detail)}</td></tr>`,
    `<tr><th>error model</th><td>${esc(v.errorModel)}</td></tr>`,
  ].join('\n');
}

function compactJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)) : v), 1) ?? 'undefined';
  return text.length > 4000 ? `${text.slice(0, 4000)}\n… (full instance in the JSON report)` : text;
}

function claimSection(r: ClaimReport, multiSeed: boolean): string {
  const figures = figuresFor(r);
  const rows = [
    `<tr><th>expected</th><td>${esc(r.expected)}</td></tr>`,
    `<tr><th>observed</th><td>${esc(outcome(r))}${r.inconclusiveRuns && r.observed !== 'inconclusive' ? ` (${r.inconclusiveRuns} inconclusive)` : ''}</td></tr>`,
    ...(r.worst ? [verdictRows(r.worst)] : []),
    `<tr><th>tolerance</th><td>${esc(r.tolerance)}</td></tr>`,
    `<tr><th>seed</th><td>${r.seed} (claim seed ${r.claimSeed}), ${r.runs} runs, ${r.seconds.toFixed(2)} s</td></tr>`,
    `<tr><th>replay</th><td><code>${esc(r.replay)}</code></td></tr>`,
  ];
  const cx = r.counterexample
    ? `<details open><summary>Counterexample (${r.counterexample.shrinks} shrinks, path ${esc(r.counterexample.path)})</summary>${r.counterexample.error ? `<p class="error">check threw: ${esc(r.counterexample.error)}</p>` : ''}<pre>${esc(compactJson(r.counterexample.instance))}</pre></details>`
    : '';
  const figs = figures.map((f, k) => `<figure id="${anchorOf(r, multiSeed)}-fig${k + 1}">${renderSvg(f)}<figcaption>${esc(f.title)}</figcaption></figure>`).join('\n');
  return `<section class="claim ${r.status}" id="${anchorOf(r, multiSeed)}">
<h2><span class="badge ${r.status}">${r.status.toUpperCase()}</span> ${esc(r.id)}${multiSeed ? ` <small>seed ${r.seed}</small>` : ''}</h2>
<p class="title">${esc(r.title)}</p>
<p class="statement">${esc(r.statement)}</p>
<p class="citation">${esc(citation(r.source))}</p>
${r.hypotheses.length ? `<h3>Hypotheses</h3>\n<ul>${r.hypotheses.map((h) => `<li>${esc(h)}</li>`).join('')}</ul>` : ''}
<table class="verdict">
${rows.join('\n')}
</table>
${cx}
${figs || '<p class="nofig">No figure: this check carries no curve to draw (an exact identity or a sign test; its numbers are above).</p>'}
</section>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#222}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:0 0 4px}h3{font-size:14px;margin:10px 0 2px}
table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:3px 8px}
table.summary{width:100%;margin:12px 0 24px}table.summary tr{border-bottom:1px solid #ddd}table.summary thead th{border-bottom:2px solid #444}
table.summary td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.verdict th{color:#555;font-weight:600;white-space:nowrap;width:110px}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;color:#fff}.badge.pass{background:#2a7d2e}.badge.fail{background:#b3261e}
.v-fail{color:#b3261e;font-weight:600}.v-pass{color:#2a7d2e}.v-inconclusive{color:#8a6d00}
section.claim{border:1px solid #ddd;border-left:5px solid #2a7d2e;padding:12px 16px;margin:18px 0;border-radius:4px}
section.claim.fail{border-left-color:#b3261e}
.statement{margin:4px 0}.title{color:#444;margin:2px 0;font-style:italic}.citation{color:#555;font-size:13px;margin:4px 0}
pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:320px;font-size:12px}
figure{margin:10px 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:12px;color:#555}
code{font-size:12px;background:#f3f3f3;padding:1px 3px}.nofig{color:#777;font-size:12px}.error{color:#b3261e}
`;

export function htmlReport(reports: readonly ClaimReport[], options: HtmlReportOptions = {}): string {
  const seeds = [...new Set(reports.map((r) => r.seed))];
  const multiSeed = seeds.length > 1;
  const passed = reports.filter((r) => r.status === 'pass').length;
  const title = options.title ?? `dlnv verify — ${reports.length} claim${reports.length === 1 ? '' : 's'}`;
  const rows = reports.map((r) => {
    const figures = figuresFor(r).length;
    return `<tr class="${r.status}"><td><span class="badge ${r.status}">${r.status.toUpperCase()}</span></td><td><a href="#${anchorOf(r, multiSeed)}">${esc(r.id)}</a>${multiSeed ? ` <small>@${r.seed}</small>` : ''}</td><td>[${esc(r.provenance)}] ${esc(r.source.paper)}</td><td>${esc(r.expected)}</td><td>${esc(outcome(r))}</td><td class="num">${r.runs}</td><td class="num">${r.worst ? num(r.worst.margin) : '—'}</td><td class="num">${r.seconds.toFixed(2)} s</td><td class="num">${figures || ''}</td></tr>`;
  });
  const header = `${reports.length} claims, ${passed} passed, ${reports.length - passed} failed; seed${multiSeed ? 's' : ''} ${seeds.join(', ')}${options.seconds !== undefined ? `; ${options.seconds.toFixed(1)} s` : ''}${options.note ? `; ${esc(options.note)}` : ''}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="runinfo">${header}. Provenance: [P] stated in the paper, [D] derived, [M] recalled (unconfirmed). A claim passes when its expected outcome is observed: a true claim holds on every instance, a FALSE variant is broken.</p>
<table class="summary">
<thead><tr><th>status</th><th>claim</th><th>source</th><th>expected</th><th>observed</th><th>runs</th><th>worst margin</th><th>time</th><th>figures</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${reports.map((r) => claimSection(r, multiSeed)).join('\n')}
</body>
</html>
`;
}
