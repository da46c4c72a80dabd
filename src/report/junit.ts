import type { ClaimReport, VerdictSummary } from '../claims/runner.js';
import { count } from '../format.js';
import type { SearchReport } from '../search/search.js';
import { verdictLine } from './terminal.js';
import { escapeXml } from './xml.js';

/**
 * The one JUnit XML writer of dlnv (verify, merge, search and gate reports all go through junitXml). The output
 * is valid against Jenkins' junit-10.xsd (test/fixtures/junit-10.xsd checks it), the strictest of the schemas CI
 * readers use; GitHub and GitLab reporters read the same elements:
 * - a failed case carries <failure type message>: the message is the verdict line, the text the whole story
 *   (detail, error model, instance, replay command);
 * - a check that threw (or a protocol fault) is an <error> with the exception text;
 * - an inconclusive or skipped case is <skipped message="why">;
 * - every case's numbers (measured, bound, margin, …) go in its <system-out> as "name: value" lines, because
 *   junit-10.xsd allows <properties> only on a testsuite, and system-out is what every reader displays per case.
 */

export type JunitOutcome =
  | { readonly kind: 'pass' }
  | { readonly kind: 'failure' | 'error'; readonly type: string; readonly message: string; readonly text: string }
  | { readonly kind: 'skipped'; readonly message: string };

export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly seconds: number;
  readonly outcome: JunitOutcome;
  /** The numbers that decided the case, in reading order. */
  readonly properties: readonly (readonly [string, unknown])[];
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
  readonly seconds: number;
  readonly timestamp?: string;
  /** Run-wide facts (tool version, seed, …): the testsuite's <properties>. */
  readonly properties?: readonly (readonly [string, unknown])[];
}

const time = (seconds: number): string => (Number.isFinite(seconds) && seconds >= 0 ? seconds : 0).toFixed(3);
const line = ([name, value]: readonly [string, unknown]): string =>
  `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;

function caseXml(c: JunitCase): string {
  const head = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${time(c.seconds)}">`;
  const o = c.outcome;
  const outcome =
    o.kind === 'pass'
      ? []
      : o.kind === 'skipped'
        ? [`      <skipped message="${escapeXml(o.message)}"/>`]
        : [
            `      <${o.kind} type="${escapeXml(o.type)}" message="${escapeXml(o.message)}">${escapeXml(o.text)}</${o.kind}>`,
          ];
  const out =
    c.properties.length > 0 ? [`      <system-out>${escapeXml(c.properties.map(line).join('\n'))}</system-out>`] : [];
  return [head, ...outcome, ...out, '    </testcase>'].join('\n');
}

function counts(cases: readonly JunitCase[]): { tests: number; failures: number; errors: number; skipped: number } {
  const of = (kind: JunitOutcome['kind']): number => cases.filter((c) => c.outcome.kind === kind).length;
  return { tests: cases.length, failures: of('failure'), errors: of('error'), skipped: of('skipped') };
}

/** A <testsuites> document; `skipped` is counted on each testsuite (junit-10.xsd does not allow it on testsuites). */
export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const all = counts(suites.flatMap((s) => s.cases));
  const total = suites.reduce((sum, s) => sum + s.seconds, 0);
  const body = suites.flatMap((s) => {
    const n = counts(s.cases);
    const props = s.properties?.length
      ? [
          '    <properties>',
          ...s.properties.map(
            ([k, v]) =>
              `      <property name="${escapeXml(k)}" value="${escapeXml(typeof v === 'string' ? v : JSON.stringify(v))}"/>`,
          ),
          '    </properties>',
        ]
      : [];
    return [
      `  <testsuite name="${escapeXml(s.name)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${time(s.seconds)}"${s.timestamp ? ` timestamp="${escapeXml(s.timestamp)}"` : ''}>`,
      ...props,
      ...s.cases.map(caseXml),
      '  </testsuite>',
    ];
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" time="${time(total)}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

/** measured, bound, comparison, margin and error model of a verdict, as case properties. */
export function verdictProperties(v: VerdictSummary | null | undefined): [string, unknown][] {
  if (!v) return [];
  return [
    ['measured', v.measured],
    ['bound', v.bound],
    ['comparison', v.comparison],
    ['margin', v.margin],
    ['error model', v.errorModel],
  ];
}

/** One case per claim report (verify and merge): classname = the paper, name = the claim id (@seed with several seeds). */
export function claimCase(r: ClaimReport, multiSeed: boolean): JunitCase {
  const verdict = r.counterexample?.verdict ?? r.worst;
  const properties: [string, unknown][] = [
    ['expected', r.expected],
    ['observed', r.observed],
    ['runs', r.runs],
    ['inconclusive runs', r.inconclusiveRuns],
    ...verdictProperties(verdict),
    ['seed', r.seed],
    ['replay', r.replay],
  ];
  const base = {
    classname: r.source.paper,
    name: multiSeed ? `${r.id}@${r.seed}` : r.id,
    seconds: r.seconds,
    properties,
  };
  const instance = r.error?.instance ?? r.counterexample?.instance;
  const story = (first: string[]): string =>
    [
      ...first,
      ...(instance !== undefined ? [`instance: ${JSON.stringify(instance)}`] : []),
      `replay: ${r.replay}`,
    ].join('\n');
  const threw = r.counterexample?.error !== undefined && !r.counterexample.verdict;
  if (r.status === 'error' || r.observed === 'error' || r.observed === 'timeout' || threw) {
    const kind = r.error?.kind ?? (r.observed === 'timeout' ? 'timeout' : 'check-threw');
    const message = r.error?.message ?? r.counterexample?.error ?? 'the check did not return a verdict';
    return { ...base, outcome: { kind: 'error', type: kind, message, text: story([`${kind}: ${message}`]) } };
  }
  if (r.status === 'inconclusive' || r.observed === 'inconclusive') {
    const reasons = r.inconclusiveReasons.length
      ? r.inconclusiveReasons.map((x) => `${x.count}× ${x.example}`).join('; ')
      : (r.worst?.detail ?? 'the checks could not decide');
    return {
      ...base,
      outcome: {
        kind: 'skipped',
        message: `inconclusive on ${r.inconclusiveRuns} of ${count(r.runs, 'run')}: ${reasons}`,
      },
    };
  }
  if (r.status === 'pass') return { ...base, outcome: { kind: 'pass' } };
  const refuted = r.observed === 'counterexample';
  const message = refuted
    ? `counterexample: ${verdict ? `${verdict.detail}: ${verdictLine(verdict)}` : 'the check failed'}`
    : `no counterexample in ${count(r.runs, 'run')}, but this FALSE variant should be refuted`;
  const first = verdict ? [message, `error model: ${verdict.errorModel}`] : [message];
  return {
    ...base,
    outcome: { kind: 'failure', type: refuted ? 'counterexample' : 'not-refuted', message, text: story(first) },
  };
}

/** JUnit XML of a verify run or a merge of shards: one testsuite, one testcase per claim (× seed). */
export function verifyReportJunit(
  reports: readonly ClaimReport[],
  run: { timestamp?: string; properties?: [string, unknown][] } = {},
): string {
  const multiSeed = new Set(reports.map((r) => r.seed)).size > 1;
  const seconds = reports.reduce((s, r) => s + r.seconds, 0);
  return junitXml('dlnv verify', [
    { name: 'dlnv claims', cases: reports.map((r) => claimCase(r, multiSeed)), seconds, ...run },
  ]);
}

/** JUnit XML of a search: one testcase, failed when the outcome is not the claim's expected one. */
export function searchReportJunit(
  r: SearchReport,
  run: { timestamp?: string; properties?: [string, unknown][] } = {},
): string {
  const hit = r.counterexample ?? r.closest;
  const properties: [string, unknown][] = [
    ['expected', r.expected],
    ['found', r.found],
    ['evaluations', r.evaluations.total],
    ['smallest margin', r.smallestMargin],
    ...verdictProperties(hit?.verdict),
    ['seed', r.seed],
  ];
  const base = { classname: r.source.paper, name: r.id, seconds: r.seconds, properties };
  const replay = `npx dlnv search ${r.id} --seed ${r.seed}${r.budget.evaluations !== null ? ` --evaluations ${r.budget.evaluations}` : ''}${r.budget.seconds !== null ? ` --budget ${r.budget.seconds}` : ''}`;
  let outcome: JunitOutcome = { kind: 'pass' };
  if (r.status === 'error' && r.error) {
    outcome = {
      kind: 'error',
      type: r.error.kind,
      message: r.error.message,
      text: `${r.error.message}\nreplay: ${replay}`,
    };
  } else if (r.status === 'fail' && r.found) {
    const v = r.counterexample?.verdict;
    const message = `counterexample: ${v ? `${v.detail}: ${verdictLine(v)}` : 'no verdict'}`;
    const text = [
      message,
      ...(v ? [`error model: ${v.errorModel}`] : []),
      `instance: ${JSON.stringify(r.counterexample?.instance)}`,
      `replay: ${replay}`,
    ].join('\n');
    outcome = { kind: 'failure', type: 'counterexample', message, text };
  } else if (r.status === 'fail') {
    const message = `no counterexample in ${count(r.evaluations.total, 'evaluation')}, but this FALSE variant should be refuted`;
    outcome = { kind: 'failure', type: 'not-refuted', message, text: `${message}\nreplay: ${replay}` };
  }
  return junitXml('dlnv search', [
    { name: `dlnv search ${r.id}`, cases: [{ ...base, outcome }], seconds: r.seconds, ...run },
  ]);
}
