import { readFileSync } from 'node:fs';
import type { ClaimReport } from '../claims/runner.js';
import { UsageError } from '../errors.js';
import { htmlReport } from '../report/html.js';
import { type ParsedVerifyReport, parseVerifyReport, type RunPlan, verifyReportJson } from '../report/json.js';
import { verifyReportJunit } from '../report/junit.js';
import { claimLine, summaryLine } from '../report/terminal.js';
import { parseCommandArgs } from './args.js';
import { humanOutput, reserveOutput } from './output-file.js';

export const mergeHelp = `dlnv merge — combine the JSON reports of sharded runs into the report of the whole run

Usage: dlnv merge R1.json R2.json … [--json FILE] [--html FILE] [--junit FILE] [--allow-partial]

Each input is a 'dlnv verify --json' report, typically from 'dlnv verify --shard i/n' on n CI machines with
the same claims, seeds and run options. The merge checks that the inputs come from one plan (same claims ×
seeds, same --runs/--budget), that no unit appears twice and that every unit is present, and restores the
plan's order: the result equals the report of one unsharded run with the same seed (verdicts, margins,
counterexamples and figures; only timings differ).

Options:
  --json FILE       the merged JSON report
  --html FILE       the merged self-contained HTML report
  --junit FILE      the merged JUnit XML
  --allow-partial   merge even when units are missing (they are listed); default: an error

Exit code: 0 iff every merged claim met its expected outcome (and nothing is missing); 1 otherwise; 2 on bad
usage or inconsistent inputs.`;

const samePlan = (a: RunPlan, b: RunPlan): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Merge parsed reports; throws a UsageError on inconsistent inputs. Returns the reports in plan order. */
export function mergeReports(
  inputs: readonly { name: string; report: ParsedVerifyReport }[],
  allowPartial = false,
): { seed: number; plan?: RunPlan; claims: ClaimReport[]; missing: string[] } {
  if (inputs.length === 0) throw new UsageError('merge needs at least one report');
  const plans = inputs.map((i) => i.report.plan);
  const plan = plans[0];
  if (plan && !plans.every((p) => p && samePlan(p, plan))) {
    throw new UsageError(
      `merge: the reports come from different plans (claims, seeds or --runs/--budget differ); ${inputs[0].name} vs ${inputs[plans.findIndex((p) => !p || !samePlan(p, plan))].name}`,
    );
  }
  if (!plan && plans.some((p) => p)) throw new UsageError('merge: some reports carry a plan and some do not');
  const seen = new Map<string, { name: string; report: ClaimReport }>();
  for (const { name, report } of inputs) {
    for (const c of report.claims) {
      const key = `${c.id}@${c.seed}`;
      const before = seen.get(key);
      if (before) throw new UsageError(`merge: ${c.id} (seed ${c.seed}) appears in both ${before.name} and ${name}`);
      seen.set(key, { name, report: c });
    }
  }
  let claims: ClaimReport[];
  const missing: string[] = [];
  if (plan) {
    claims = [];
    for (const id of plan.claims) {
      for (const seed of plan.seeds) {
        const hit = seen.get(`${id}@${seed}`);
        if (hit) {
          claims.push(hit.report);
          seen.delete(`${id}@${seed}`);
        } else missing.push(`${id}@${seed}`);
      }
    }
    if (seen.size > 0) throw new UsageError(`merge: ${[...seen.keys()].join(', ')} are not in the plan`);
    if (missing.length > 0 && !allowPartial) {
      throw new UsageError(
        `merge: ${missing.length} unit${missing.length === 1 ? ' is' : 's are'} missing (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}); is a shard missing? (--allow-partial merges anyway)`,
      );
    }
  } else {
    claims = inputs.flatMap((i) => i.report.claims);
  }
  return { seed: plan ? plan.seeds[0] : inputs[0].report.seed, ...(plan ? { plan } : {}), claims, missing };
}

export function mergeCommand(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('merge', argv, {
    json: { type: 'string' },
    html: { type: 'string' },
    junit: { type: 'string' },
    'allow-partial': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(mergeHelp);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError("merge needs the JSON reports to combine (see 'dlnv merge --help')");
  const inputs = positionals.map((name) => {
    let text: string;
    try {
      text = readFileSync(name, 'utf8');
    } catch (e) {
      throw new UsageError(`merge: cannot read '${name}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return { name, report: parseVerifyReport(text, name) };
  });
  const writeJson = reserveOutput('--json', values.json as string | undefined);
  const writeHtml = reserveOutput('--html', values.html as string | undefined);
  const writeJunit = reserveOutput('--junit', values.junit as string | undefined);
  const log = humanOutput(
    values.json as string | undefined,
    values.html as string | undefined,
    values.junit as string | undefined,
  );
  const merged = mergeReports(inputs, values['allow-partial'] === true);
  const multiSeed = (merged.plan?.seeds.length ?? 1) > 1;
  log(
    `dlnv merge: ${inputs.length} reports, ${merged.claims.length} units${merged.missing.length ? `, ${merged.missing.length} MISSING: ${merged.missing.join(', ')}` : ''}`,
  );
  for (const r of merged.claims) log(claimLine(r, { showSeed: multiSeed }));
  const seconds = merged.claims.reduce((s, r) => s + r.seconds, 0);
  log(summaryLine(merged.claims, seconds));
  writeJson?.(
    verifyReportJson(merged.seed, merged.claims, {
      ...(merged.plan ? { plan: merged.plan } : {}),
      merge: { reports: inputs.length },
    }),
  );
  writeHtml?.(
    htmlReport(merged.claims, {
      seconds,
      note: `merged from ${inputs.length} report${inputs.length === 1 ? '' : 's'}`,
    }),
  );
  writeJunit?.(verifyReportJunit(merged.claims));
  return merged.missing.length === 0 && merged.claims.every((r) => r.status === 'pass') ? 0 : 1;
}
