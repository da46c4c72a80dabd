import type { ClaimReport } from '../claims/runner.js';
import { UsageError } from '../errors.js';
import { type RunInfo, runInfo } from './run-info.js';
import { REPORT_SCHEMA_ID, REPORT_VERSION, type ReportKind, reportProblem } from './schema.js';

/**
 * What a run covered: the claims (in catalogue order) × the seeds, with the run options. Every JSON report carries
 * it, so `dlnv merge` can check that shards of one plan cover it exactly once and put them back in its order.
 */
export interface RunPlan {
  readonly claims: readonly string[];
  readonly seeds: readonly number[];
  readonly runs: number | null;
  /** --runs-scale: every claim ran this multiple of its own default run count (absent: 1). */
  readonly runsScale?: number;
  readonly budgetSeconds: number | null;
}

/** A slice of a plan: unit k (claims × seeds, claim-major) belongs to shard (k mod count) + 1. */
export interface ShardInfo {
  readonly index: number;
  readonly count: number;
}

export interface VerifyReportMeta {
  readonly plan?: RunPlan;
  readonly shard?: ShardInfo;
}

/** JSON.stringify's replacer for reports: ±Infinity and NaN become the strings "Infinity", "-Infinity", "NaN". */
export function finiteReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** The inverse of finiteReplacer, for JSON.parse. */
export function finiteReviver(_key: string, value: unknown): unknown {
  return value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value === 'NaN' ? NaN : value;
}

/**
 * A report as it reads back from its JSON: the one form every path (in-process, worker threads, shard files
 * merged) hands to the renderers, so they produce the same bytes whichever way a report travelled.
 */
export function portable<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, finiteReplacer), finiteReviver) as T;
}

/** The fields every JSON report starts with (docs/report.schema.json): what it is, from which dlnv, when, where. */
export function reportEnvelope(kind: ReportKind, info: RunInfo = runInfo()) {
  return {
    $schema: REPORT_SCHEMA_ID,
    reportVersion: REPORT_VERSION,
    kind,
    tool: 'dlnv' as const,
    toolVersion: info.toolVersion,
    timestamp: info.timestamp,
    machine: info.machine,
  };
}

/** A report object as JSON text: two-space indented, non-finite numbers as strings. */
export function reportJson(report: object): string {
  return `${JSON.stringify(report, finiteReplacer, 2)}\n`;
}

/** Counts over claim reports, by status. */
export function statusCounts(reports: readonly ClaimReport[]) {
  const of = (status: ClaimReport['status']): number => reports.filter((r) => r.status === status).length;
  return {
    claims: reports.length,
    passed: of('pass'),
    failed: of('fail'),
    inconclusive: of('inconclusive'),
    errors: of('error'),
  };
}

export interface VerifyReportOptions extends VerifyReportMeta {
  /** 'merge' for `dlnv merge`, with the number of reports it combined. */
  readonly merge?: { readonly reports: number };
  readonly info?: RunInfo;
}

/** The JSON report of `dlnv verify` (and `dlnv merge`): envelope, seed, plan, shard, summary, claims. */
export function verifyReportJson(
  seed: number,
  reports: readonly ClaimReport[],
  options: VerifyReportOptions = {},
): string {
  return reportJson({
    ...reportEnvelope(options.merge ? 'merge' : 'verify', options.info),
    seed,
    ...(options.plan ? { plan: options.plan } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.merge ? { mergedFrom: options.merge.reports } : {}),
    summary: statusCounts(reports),
    claims: reports,
  });
}

export interface ParsedVerifyReport {
  readonly seed: number;
  readonly plan?: RunPlan;
  readonly shard?: ShardInfo;
  readonly claims: ClaimReport[];
}

/** Read a `dlnv verify --json` report back (for `dlnv merge`); a file that breaks the schema is one UsageError naming it. */
export function parseVerifyReport(text: string, name: string): ParsedVerifyReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const problem = reportProblem(raw, 'verifyReport');
  if (problem)
    throw new UsageError(
      `${name}: not a 'dlnv verify --json' report of version ${REPORT_VERSION} (docs/report.schema.json): ${problem}`,
    );
  const report = JSON.parse(text, finiteReviver) as ParsedVerifyReport & { shard?: ShardInfo };
  if (report.shard && report.shard.index > report.shard.count)
    throw new UsageError(`${name}: shard must be {index, count} with 1 ≤ index ≤ count`);
  return {
    seed: report.seed,
    ...(report.plan ? { plan: report.plan } : {}),
    ...(report.shard ? { shard: report.shard } : {}),
    claims: report.claims,
  };
}
