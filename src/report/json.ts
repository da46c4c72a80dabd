import type { ClaimReport } from '../claims/runner.js';
import { UsageError } from '../errors.js';

/**
 * What a run covered: the claims (in catalogue order) × the seeds, with the run options. Every JSON report carries
 * it, so `dlnv merge` can check that shards of one plan cover it exactly once and put them back in its order.
 */
export interface RunPlan {
  readonly claims: readonly string[];
  readonly seeds: readonly number[];
  readonly runs: number | null;
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

/** The JSON report of `dlnv verify`: {tool, seed, plan, summary, claims: [{id, provenance, expected, status, runs, worst, replay, …}]}. */
export function verifyReportJson(seed: number, reports: readonly ClaimReport[], meta: VerifyReportMeta = {}): string {
  const passed = reports.filter((r) => r.status === 'pass').length;
  return JSON.stringify(
    {
      tool: 'dlnv',
      seed,
      ...(meta.plan ? { plan: meta.plan } : {}),
      ...(meta.shard ? { shard: meta.shard } : {}),
      summary: { claims: reports.length, passed, failed: reports.length - passed },
      claims: reports,
    },
    finiteReplacer,
    2,
  );
}

export interface ParsedVerifyReport {
  readonly seed: number;
  readonly plan?: RunPlan;
  readonly shard?: ShardInfo;
  readonly claims: ClaimReport[];
}

/** Read a `dlnv verify --json` report back (for `dlnv merge`); a malformed file is one UsageError naming it. */
export function parseVerifyReport(text: string, name: string): ParsedVerifyReport {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text, finiteReviver);
  } catch (e) {
    throw new UsageError(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!raw || raw.tool !== 'dlnv' || !Array.isArray(raw.claims)) throw new UsageError(`${name}: not a 'dlnv verify --json' report (needs tool: 'dlnv' and a claims array)`);
  if (!Number.isInteger(raw.seed)) throw new UsageError(`${name}: seed must be an integer`);
  for (const [k, c] of (raw.claims as Record<string, unknown>[]).entries()) {
    if (!c || typeof c.id !== 'string' || !Number.isInteger(c.seed) || (c.status !== 'pass' && c.status !== 'fail')) {
      throw new UsageError(`${name}: claims[${k}] is not a claim report (needs id, seed and status)`);
    }
  }
  const plan = raw.plan as RunPlan | undefined;
  if (plan !== undefined && (!Array.isArray(plan.claims) || !Array.isArray(plan.seeds))) throw new UsageError(`${name}: plan must list claims and seeds`);
  const shard = raw.shard as ShardInfo | undefined;
  if (shard !== undefined && !(Number.isInteger(shard.index) && Number.isInteger(shard.count) && shard.index >= 1 && shard.index <= shard.count)) {
    throw new UsageError(`${name}: shard must be {index, count} with 1 ≤ index ≤ count`);
  }
  return { seed: raw.seed as number, ...(plan ? { plan } : {}), ...(shard ? { shard } : {}), claims: raw.claims as ClaimReport[] };
}
