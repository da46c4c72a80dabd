import { count } from '../format.js';
import { reportEnvelope, reportJson } from '../report/json.js';
import { type JunitCase, junitXml, verdictProperties } from '../report/junit.js';
import { verdictLine } from '../report/terminal.js';
import { declarationText, lossConvention } from './conventions.js';
import { type CheckReport, type GateReport, unsupportedText } from './runner.js';

/** The gate report as terminal text, JSON and JUnit XML (the verify report's style: one line per check). */

function compactJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function headerLine(r: GateReport): string {
  if (r.mode === 'trajectory') return `dlnv gate --trajectory ${r.file}`;
  const h = r.implementation;
  if (!h) return `dlnv gate: ${r.command}`;
  const c = h.conventions;
  const decay =
    c.weight_decay === 'none'
      ? "weight_decay 'none' (every check runs with λ = 0)"
      : `weight_decay '${c.weight_decay}'`;
  return (
    `dlnv gate: ${h.implementation} — protocol ${h.protocol}, ${h.dtype}, ${declarationText(lossConvention(c))}, ${decay}, layout '${c.layout}', ` +
    `encoding ${r.encoding}; seed ${r.seed}, runs ${r.runs}`
  );
}

export function checkLines(c: CheckReport): string[] {
  const name = c.name.padEnd(14);
  if (c.status === 'skip') return [`SKIP  ${name}${c.skipped}`];
  if (c.status === 'error') return [`ERROR ${name}${c.error}`];
  if (c.status === 'pass') {
    const inc =
      (c.inconclusive ? ` (${c.inconclusive} inconclusive)` : '') +
      (c.unsupported
        ? ` (${c.unsupported.count} unsupported, skipped: ${unsupportedText(c.unsupported.reasons)})`
        : '');
    const worst = c.worst ? `; worst ${verdictLine(c.worst)}` : '';
    return [`PASS  ${name}${count(c.instances, 'instance')}${inc}${worst}  (${c.seconds.toFixed(2)} s)`];
  }
  const f = c.failure!;
  return [
    `FAIL  ${name}instance ${f.instance} (seed ${f.seed}): ${compactJson(f.summary)}`,
    `      ${f.verdict.detail}`,
    ...(f.hint ? [`      hint: ${f.hint}`] : []),
    `      error model: ${f.verdict.errorModel}`,
    `      replay: ${f.replay}`,
  ];
}

export function summaryLine(r: GateReport): string {
  const failed = r.checks.filter((c) => c.status === 'fail').map((c) => c.name);
  const skipped = r.checks.filter((c) => c.status === 'skip').length;
  const traffic =
    r.mode === 'implementation'
      ? `, ${count(r.requests, 'request')} (${r.msPerRequest.toFixed(2)} ms per request)`
      : '';
  const head = r.status === 'pass' ? 'PASS' : r.status === 'fail' ? `FAIL (${failed.join(', ')})` : 'ERROR';
  const ran = r.checks.length - skipped;
  return `dlnv gate: ${head} — ${ran} check${ran === 1 ? '' : 's'} run${skipped ? `, ${skipped} skipped` : ''}, ${count(r.instances, 'instance')}${traffic}, ${r.seconds.toFixed(1)} s`;
}

/** The one line printed on stderr for a fault (exit code 2). */
export function faultLine(r: GateReport): string | undefined {
  const f = r.fault;
  if (!f) return undefined;
  const where = f.check ? ` [check ${f.check}, instance ${f.instance}, seed ${f.seed}]` : '';
  return `dlnv gate: ${f.message}${where}${f.stderr ? ` — implementation stderr: ${f.stderr}` : ''}`;
}

export function gateReportJson(r: GateReport): string {
  return reportJson({ ...reportEnvelope('gate'), ...r });
}

/** JUnit XML (the shared writer): one testcase per check; <failure> for a theory check, <error> for a fault, <skipped> for a missing capability. */
export function gateReportJunit(
  r: GateReport,
  run: { timestamp?: string; properties?: [string, unknown][] } = {},
): string {
  const suite =
    r.mode === 'trajectory'
      ? `dlnv gate --trajectory ${r.file}`
      : `dlnv gate: ${r.implementation?.implementation ?? r.command}`;
  const classname = r.mode === 'trajectory' ? 'trajectory' : (r.implementation?.implementation ?? 'implementation');
  const cases: JunitCase[] = r.checks.map((c) => {
    const base = { classname, name: c.name, seconds: c.seconds };
    const counts: [string, unknown][] = [
      ['instances', c.instances],
      ['inconclusive instances', c.inconclusive],
    ];
    if (c.status === 'skip')
      return { ...base, properties: [], outcome: { kind: 'skipped', message: c.skipped ?? 'not run' } };
    if (c.status === 'error') {
      const text = [c.error ?? '', r.fault?.stderr ? `implementation stderr: ${r.fault.stderr}` : '']
        .filter(Boolean)
        .join('\n');
      return {
        ...base,
        properties: counts,
        outcome: { kind: 'error', type: 'protocol', message: c.error ?? 'protocol fault', text },
      };
    }
    if (c.status === 'pass')
      return { ...base, properties: [...counts, ...verdictProperties(c.worst)], outcome: { kind: 'pass' } };
    const f = c.failure!;
    const message = `instance ${f.instance} (seed ${f.seed}): ${f.verdict.detail}: ${verdictLine(f.verdict)}`;
    const text = [
      message,
      f.hint ? `hint: ${f.hint}` : '',
      `error model: ${f.verdict.errorModel}`,
      `instance: ${JSON.stringify(f.summary)}`,
      `replay: ${f.replay}`,
    ]
      .filter(Boolean)
      .join('\n');
    return {
      ...base,
      properties: [...counts, ...verdictProperties(f.verdict), ['replay', f.replay]],
      outcome: { kind: 'failure', type: 'theory', message, text },
    };
  });
  // A fault outside any check (handshake, bad file) still shows as one errored testcase.
  if (r.fault && !r.checks.some((c) => c.status === 'error')) {
    cases.push({
      classname,
      name: 'protocol',
      seconds: 0,
      properties: [],
      outcome: {
        kind: 'error',
        type: 'protocol',
        message: r.fault.message,
        text: [r.fault.message, r.fault.stderr].filter(Boolean).join('\n'),
      },
    });
  }
  return junitXml('dlnv gate', [{ name: suite, cases, seconds: r.seconds, ...run }]);
}
