import { citation } from '../claims/claim.js';
import type { ClaimDerivation, DerivationStep } from '../claims/derivation.js';
import type { ClaimReport, VerdictSummary } from '../claims/runner.js';
import { count, MARGIN_CONVENTION, numeric, sig, signedMargin } from '../format.js';
import { figuresFor } from './figures.js';
import { renderSvg } from './svg-plot.js';
import { latexHtml, proseHtml } from './tex.js';
import { escapeXml as esc } from './xml.js';

/**
 * One self-contained HTML page for a verify run (or a merge of shards): a table of contents by paper, a summary
 * table, then each claim — failures, errors and inconclusive claims first — with its statement (formulas as
 * MathML), provenance, hypotheses, tolerance, verdict, a margin bar, its counterexample as small matrices (the
 * full JSON on demand), its replay line, and the figures that explain it as inline SVG. No script, no external
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

/** Anchor of a claim report: its id, plus the seed when a run covers several seeds. */
export function anchorOf(r: Pick<ClaimReport, 'id' | 'seed'>, multiSeed: boolean): string {
  return `claim-${r.id}${multiSeed ? `@${r.seed}` : ''}`.replace(/[^A-Za-z0-9_.@-]/g, '_');
}

/** What a reader should look at first: failures, then errors, then undecided claims, then passes. */
function urgency(r: ClaimReport): number {
  if (r.status === 'fail' && r.observed !== 'inconclusive') return 0;
  if (r.status === 'error' || r.observed === 'error' || r.observed === 'timeout') return 1;
  if (r.status === 'inconclusive' || r.observed === 'inconclusive') return 2;
  return 3;
}
const BADGE = ['fail', 'error', 'inconclusive', 'pass'] as const;

function outcome(r: ClaimReport): string {
  if (r.observed === 'error' || r.observed === 'timeout')
    return r.observed === 'timeout' ? 'timed out' : `error: ${r.error?.kind ?? 'the check threw'}`;
  if (r.observed === 'counterexample')
    return r.expected === 'counterexample' ? 'counterexample found (expected)' : 'COUNTEREXAMPLE';
  if (r.observed === 'holds')
    return r.expected === 'counterexample'
      ? `no counterexample in ${count(r.runs, 'run')}`
      : `held on ${count(r.runs, 'run')}`;
  return `inconclusive on ${r.inconclusiveRuns} of ${count(r.runs, 'run')}`;
}

/** Half-width of the margin bar in pixels, and the decades it spans on each side of the bound. */
const BAR = 60,
  LOW = -3,
  HIGH = 3;

/**
 * The margin as a bar from the bound: right and green when the verdict held with that relative headroom, left
 * and red when it failed by that much; the length is log10|margin| from 1e-3 (a hair) to 1e3 (the whole side).
 */
export function marginBar(margin: number): string {
  const m = Number.isNaN(margin) ? -Infinity : margin;
  const decades = m === 0 ? LOW : Math.min(HIGH, Math.max(LOW, Math.log10(Math.abs(m))));
  const length = m === 0 ? 0 : Math.max(1.5, ((decades - LOW) / (HIGH - LOW)) * BAR);
  const x = m >= 0 ? BAR : BAR - length;
  const colour = m > 0 ? '#2a7d2e' : '#b3261e';
  const text = m === 0 ? 'exactly at the bound' : signedMargin(m);
  return (
    `<span class="margin"><svg class="bar" width="${2 * BAR + 2}" height="12" viewBox="0 0 ${2 * BAR + 2} 12" role="img" aria-label="margin ${esc(text)}">` +
    `<rect x="0" y="2" width="${2 * BAR + 2}" height="8" fill="#f1f1f1"/><rect x="${x.toFixed(1)}" y="2" width="${length.toFixed(1)}" height="8" fill="${colour}"/>` +
    `<line x1="${BAR}" y1="0" x2="${BAR}" y2="12" stroke="#333"/></svg> ${esc(text)}</span>`
  );
}

function verdictRows(v: VerdictSummary): string {
  const rel = v.comparison === '<=' ? '≤' : '≥';
  return [
    `<tr><th>verdict</th><td><span class="v-${esc(v.status)}">${esc(v.status)}</span>: measured ${esc(sig(numeric(v.measured)))} ${rel} bound ${esc(sig(numeric(v.bound)))}</td></tr>`,
    `<tr><th>margin</th><td>${marginBar(numeric(v.margin))}</td></tr>`,
    `<tr><th>detail</th><td>${proseHtml(v.detail)}</td></tr>`,
    `<tr><th>error model</th><td>${proseHtml(v.errorModel)}</td></tr>`,
  ].join('\n');
}

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isMatrix = (v: unknown): v is number[][] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((row) => Array.isArray(row) && row.length === (v[0] as unknown[]).length && row.every(isNumber));
const asMatrix = (v: unknown): number[][] | undefined => {
  if (isMatrix(v)) return v;
  const m = v as { shape?: unknown; data?: unknown; rows?: unknown; cols?: unknown };
  if (m && typeof m === 'object' && isMatrix(m.data)) return m.data;
  if (m && typeof m === 'object' && Array.isArray(m.shape) && Array.isArray(m.data) && m.data.every(isNumber)) {
    const [rows, cols] = m.shape as number[];
    if (rows * cols === m.data.length)
      return Array.from({ length: rows }, (_, i) => (m.data as number[]).slice(i * cols, (i + 1) * cols));
  }
  return undefined;
};

function matrixHtml(m: number[][]): string {
  const shown = m.slice(0, 12).map((row) => row.slice(0, 12));
  const more = m.length > 12 || m[0].length > 12 ? `<small>${m.length}×${m[0].length}, first 12×12 shown</small>` : '';
  return `<table class="matrix">${shown.map((row) => `<tr>${row.map((x) => `<td>${esc(sig(x))}</td>`).join('')}</tr>`).join('')}</table>${more}`;
}

/** A value of a counterexample: matrices as matrices (4 significant digits), lists of them side by side, the rest short. */
function valueHtml(v: unknown, depth = 0): string {
  const matrix = asMatrix(v);
  if (matrix) return matrixHtml(matrix);
  if (isNumber(v)) return esc(sig(v));
  if (Array.isArray(v) && v.length > 0 && v.every((x) => asMatrix(x)))
    return `<span class="matrices">${v.map((x) => matrixHtml(asMatrix(x)!)).join('')}</span>`;
  if (Array.isArray(v) && v.every(isNumber))
    return `[${v
      .slice(0, 20)
      .map((x) => esc(sig(x)))
      .join(', ')}${v.length > 20 ? ', …' : ''}]`;
  if (v && typeof v === 'object' && !Array.isArray(v) && depth < 2) {
    return `<table class="fields">${Object.entries(v)
      .map(([k, x]) => `<tr><th>${esc(k)}</th><td>${valueHtml(x, depth + 1)}</td></tr>`)
      .join('')}</table>`;
  }
  const text =
    JSON.stringify(v, (_k, x) => (isNumber(x) && Number.isFinite(x) ? Number(x.toPrecision(4)) : x)) ?? String(v);
  return `<code>${esc(text.length > 300 ? `${text.slice(0, 300)}…` : text)}</code>`;
}

/** JSON with the innermost arrays (rows of numbers) kept on one line. */
export function readableJson(value: unknown): string {
  const text = JSON.stringify(value, null, 1) ?? 'undefined';
  return text.replace(
    /\[\s*((?:-?[\d.eE+-]+|null|"[^"]*")(?:,\s*(?:-?[\d.eE+-]+|null|"[^"]*"))*)\s*\]/g,
    (_m, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`,
  );
}

function instanceHtml(title: string, instance: unknown): string {
  return `<div class="instance"><h3>${esc(title)}</h3>${valueHtml(instance)}<details><summary>full JSON</summary><pre>${esc(readableJson(instance))}</pre></details></div>`;
}

/** A step's body: its LaTeX as MathML, or (when Temml cannot read it) its text, formulas found as in prose. */
function stepHtml(s: DerivationStep): string {
  return latexHtml(s.latex) ?? proseHtml(s.text.replace(/`/g, '').replace(/\*\*(.+?)\*\*/g, '$1'));
}

/** A symbolic derivation linked to the claim: proved or not, its one-line detail, then one line per step. */
function derivationHtml(d: ClaimDerivation): string {
  const status = d.proved ? '<span class="v-pass">proved</span>' : '<span class="v-fail">not proved</span>';
  return `<div class="derivation ${d.proved ? 'proved' : 'unproved'}">
<h3>Symbolic derivation <code>${esc(d.proof)}</code>: ${status}</h3>
<p class="statement">${proseHtml(d.statement)}</p>
<ol class="steps">${d.steps.map((s) => `<li><div><b>${esc(s.rule)}.</b> ${stepHtml(s)}</div></li>`).join('\n')}</ol>
<p class="detail">${proseHtml(d.detail)}</p>
</div>`;
}

function claimSection(r: ClaimReport, multiSeed: boolean): string {
  const figures = figuresFor(r);
  const status = BADGE[urgency(r)];
  const verdict = r.counterexample?.verdict ?? r.worst;
  const rows = [
    `<tr><th>expected</th><td>${esc(r.expected)}</td></tr>`,
    `<tr><th>observed</th><td>${esc(outcome(r))}${r.inconclusiveRuns && r.observed !== 'inconclusive' ? ` (${r.inconclusiveRuns} inconclusive)` : ''}</td></tr>`,
    ...(r.inconclusiveReasons.length
      ? [
          `<tr><th>undecided</th><td>${r.inconclusiveReasons.map((x) => `${count(x.count, 'run')}, e.g. ${proseHtml(x.example)}`).join('<br>')}</td></tr>`,
        ]
      : []),
    ...(r.error ? [`<tr><th>error</th><td class="fault">${esc(r.error.message)}</td></tr>`] : []),
    ...(verdict ? [verdictRows(verdict)] : []),
    `<tr><th>tolerance</th><td>${proseHtml(r.tolerance)}</td></tr>`,
    `<tr><th>seed</th><td>${r.seed} (claim seed ${r.claimSeed}), ${count(r.runs, 'run')}, ${r.seconds.toFixed(2)} s</td></tr>`,
    `<tr><th>replay</th><td><code>${esc(r.replay)}</code></td></tr>`,
  ];
  const cx = r.counterexample
    ? `${r.counterexample.error ? `<p class="fault">check threw: ${esc(r.counterexample.error)}</p>` : ''}` +
      instanceHtml(
        `Counterexample (${count(r.counterexample.shrinks, 'shrink')}, path ${r.counterexample.path})`,
        r.counterexample.instance,
      )
    : r.error?.instance !== undefined
      ? instanceHtml('Instance it happened on', r.error.instance)
      : '';
  const anchor = anchorOf(r, multiSeed);
  const figs = figures
    .map(
      (f, k) =>
        `<figure id="${anchor}-fig${k + 1}">${renderSvg(f)}<figcaption>Figure ${k + 1} of <b>${esc(r.id)}</b>${multiSeed ? ` (seed ${r.seed})` : ''}: ${proseHtml(f.title.replace(/^[^:]*: /, ''))}</figcaption></figure>`,
    )
    .join('\n');
  return `<section class="claim ${status}" id="${anchor}">
<h2><span class="badge ${status}">${status.toUpperCase()}</span> ${esc(r.id)}${multiSeed ? ` <small>seed ${r.seed}</small>` : ''}</h2>
<p class="title">${proseHtml(r.title)}</p>
<p class="statement">${proseHtml(r.statement)}</p>
<p class="citation">${esc(citation(r.source))}</p>
${r.hypotheses.length ? `<h3>Hypotheses</h3>\n<ul>${r.hypotheses.map((h) => `<li>${proseHtml(h)}</li>`).join('')}</ul>` : ''}
${beside(`<table class="verdict">\n${rows.join('\n')}\n</table>`, r.derivations ?? [])}
${cx}
${figs || '<p class="nofig">No figure: this check carries no curve to draw (an exact identity or a sign test; its numbers are above).</p>'}
</section>`;
}

/** The verdict table with the claim's derivations beside it (below it on a narrow page). */
function beside(verdict: string, derivations: readonly ClaimDerivation[]): string {
  if (derivations.length === 0) return verdict;
  const shown = derivations.map(derivationHtml).join('\n');
  return `<div class="beside">\n${verdict}\n<div class="derivations">${shown}</div>\n</div>`;
}

function contents(reports: readonly ClaimReport[], multiSeed: boolean): string {
  const papers = new Map<string, ClaimReport[]>();
  for (const r of reports) papers.set(r.source.paper, [...(papers.get(r.source.paper) ?? []), r]);
  const entries = [...papers].map(([paper, rs]) => {
    const links = rs
      .map(
        (r) =>
          `<a class="${BADGE[urgency(r)]}" href="#${anchorOf(r, multiSeed)}">${esc(r.id)}${multiSeed ? `@${r.seed}` : ''}</a>`,
      )
      .join(' ');
    return `<li><b>${esc(paper)}</b> <small>(${count(rs.length, 'claim')})</small>: ${links}</li>`;
  });
  return `<nav class="toc"><h2>Contents by paper</h2><ul>${entries.join('\n')}</ul></nav>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#222}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:0 0 4px}h3{font-size:14px;margin:10px 0 2px}
math{font-size:1.05em}
table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:3px 8px}
table.summary{width:100%;margin:12px 0 24px}table.summary tr{border-bottom:1px solid #ddd}table.summary thead th{border-bottom:2px solid #444}
table.summary{font-size:13px}table.summary td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.summary td.bar{white-space:nowrap}
table.verdict th{color:#555;font-weight:600;white-space:nowrap;width:110px}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;color:#fff}
.badge.pass{background:#2a7d2e}.badge.fail{background:#b3261e}.badge.error{background:#6a3d9a}.badge.inconclusive{background:#a07800}
.v-fail{color:#b3261e;font-weight:600}.v-pass{color:#2a7d2e}.v-inconclusive{color:#8a6d00}
section.claim{border:1px solid #ddd;border-left:5px solid #2a7d2e;padding:12px 16px;margin:18px 0;border-radius:4px}
section.claim.fail{border-left-color:#b3261e}section.claim.error{border-left-color:#6a3d9a}section.claim.inconclusive{border-left-color:#a07800}
.statement{margin:4px 0}.title{color:#444;margin:2px 0;font-style:italic}.citation{color:#555;font-size:13px;margin:4px 0}
nav.toc ul{padding-left:18px;margin:4px 0}nav.toc a{margin-right:6px;white-space:nowrap}
nav.toc a.fail{color:#b3261e;font-weight:600}nav.toc a.error{color:#6a3d9a;font-weight:600}nav.toc a.inconclusive{color:#8a6d00}
.margin{white-space:nowrap;font-variant-numeric:tabular-nums}.margin svg{vertical-align:middle;margin-right:4px}
table.matrix{display:inline-table;margin:2px 8px 2px 0;border-left:1.5px solid #333;border-right:1.5px solid #333;font-variant-numeric:tabular-nums;font-size:12px}
table.matrix td{padding:0 6px;text-align:right}.matrices{display:inline-flex;flex-wrap:wrap;align-items:center}
table.fields th{color:#555;font-weight:600;font-size:12px}table.fields td{font-size:12px}
.instance{margin:8px 0}details summary{cursor:pointer;color:#555;font-size:12px}
pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:320px;font-size:12px;white-space:pre-wrap}
figure{margin:10px 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:12px;color:#555}
code{font-size:12px;background:#f3f3f3;padding:1px 3px}
.beside{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:flex-start}.beside>table{flex:0 1 auto}
.derivations{flex:1 1 420px;min-width:0}.derivation{border-left:3px solid #2a7d2e;padding-left:10px;margin:4px 0 8px}
.derivation.unproved{border-left-color:#b3261e}.derivation .statement{font-size:13px;color:#444}
ol.steps{margin:4px 0;padding-left:24px;font-size:13px}ol.steps li{padding:1px 0}
ol.steps div{overflow-x:auto;overflow-y:hidden}
.derivation .detail{font-size:12px;color:#555;font-style:italic}.nofig{color:#777;font-size:12px}.fault{color:#b3261e}
`;

export function htmlReport(reports: readonly ClaimReport[], options: HtmlReportOptions = {}): string {
  const seeds = [...new Set(reports.map((r) => r.seed))];
  const multiSeed = seeds.length > 1;
  const ordered = reports
    .map((r, k) => [r, k] as const)
    .sort((a, b) => urgency(a[0]) - urgency(b[0]) || a[1] - b[1])
    .map(([r]) => r);
  const tally = BADGE.map((b) => [b, reports.filter((r) => BADGE[urgency(r)] === b).length] as const).filter(
    ([, n]) => n > 0,
  );
  const title = options.title ?? `dlnv verify — ${count(reports.length, 'claim')}`;
  const rows = ordered.map((r) => {
    const status = BADGE[urgency(r)];
    const v = r.counterexample?.verdict ?? r.worst;
    return (
      `<tr class="${status}"><td><span class="badge ${status}">${status.toUpperCase()}</span></td><td><a href="#${anchorOf(r, multiSeed)}">${esc(r.id)}</a>${multiSeed ? ` <small>@${r.seed}</small>` : ''}</td>` +
      `<td>[${esc(r.provenance)}] ${esc(r.source.paper.split(' (')[0])}</td><td>${esc(r.expected)}</td><td>${esc(outcome(r))}</td><td class="num">${r.runs}</td>` +
      `<td class="bar">${v ? marginBar(numeric(v.margin)) : '—'}</td><td class="num">${r.seconds.toFixed(2)} s</td><td class="num">${figuresFor(r).length || ''}</td></tr>`
    );
  });
  const header =
    `${count(reports.length, 'claim')}: ${tally.map(([b, n]) => `${n} ${b === 'pass' ? 'passed' : b === 'fail' ? 'failed' : b === 'error' ? (n === 1 ? 'error' : 'errors') : 'inconclusive'}`).join(', ')}; ` +
    `seed${multiSeed ? 's' : ''} ${seeds.join(', ')}${options.seconds !== undefined ? `; ${options.seconds.toFixed(1)} s` : ''}${options.note ? `; ${esc(options.note)}` : ''}`;
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
<header>
<h1>${esc(title)}</h1>
<p class="runinfo">${header}. Provenance: [P] stated in the paper, [D] derived, [M] recalled (unconfirmed). A claim passes when its expected outcome is observed: a true claim holds on every instance, a FALSE variant is broken. Failures, errors and inconclusive claims come first.</p>
<p class="legend">Margin: ${esc(MARGIN_CONVENTION)}. The bar grows from the bound to the right (green, held) or to the left (red, failed) on a log scale from 10⁻³ to 10³; for a refuted claim it is the counterexample's margin.</p>
${contents(ordered, multiSeed)}
<table class="summary">
<thead><tr><th>status</th><th>claim</th><th>source</th><th>expected</th><th>observed</th><th>runs</th><th>margin</th><th>time</th><th>figures</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</header>
<main>
${ordered.map((r) => claimSection(r, multiSeed)).join('\n')}
</main>
</body>
</html>
`;
}
