import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Claim } from '../claims/claim.js';
import { runClaim, type ClaimReport } from '../claims/runner.js';
import { selectClaims } from '../claims/select.js';
import { UsageError } from '../errors.js';
import { verifyReportJson } from '../report/json.js';
import { verifyReportJunit } from '../report/junit.js';
import { claimLine, summaryLine } from '../report/terminal.js';
import { catalogue } from '../../properties/index.js';
import { integerOption, parseCommandArgs } from './args.js';
import { reserveDirectory, reserveOutput } from './output-file.js';
import { writeFigures } from './figures.js';
import { progressReporter } from './progress.js';

export const DEFAULT_SEED = 1;

export const verifyHelp = `dlnv verify — run the claim catalogue on seeded random instances

Usage: dlnv verify [--claims GLOB ...] [--seed S] [--runs R | --budget SECONDS]
                   [--json FILE] [--junit FILE] [--file CLAIMS.js] [--path P]

Each claim is a theory statement (THEORY.md id, provenance [P]/[D]/[M]) with an instance generator and a
check that returns a verdict with its measured value, bound and error model. A claim PASSes when it meets
its expected outcome: 'holds' claims must survive every instance; FALSE variants ('counterexample') must be
broken, and the smallest breaking instance is shown.

Options:
  --claims GLOB   only claims whose id matches (repeatable; also comma-separated or as extra arguments),
                  e.g. --claims 'flow.*' 'metric.*'
  --seed S        global seed (default ${DEFAULT_SEED}); the same seed gives the same instances and verdicts
  --runs R        instances per claim (default: each claim's own, usually 20–200)
  --budget SEC    seconds per claim instead of a run count
  --path P        replay one counterexample (with --claims ID and --seed S, as printed after a failure)
  --json FILE     write the full report as JSON
  --junit FILE    write JUnit XML for CI systems
  --plot DIR      write DIR/<claim-id>.svg for every claim whose verdict has a figure (Taylor curves,
                  trajectories against their predicted envelopes, …)
  --file FILE     also run the claims exported by a user module (compiled ES module exporting
                  \`claims\`, an array of Claim objects built with defineClaim from 'dlnv')

Exit code: 0 iff every selected claim met its expected outcome; 1 otherwise; 2 on bad usage.
Example: dlnv verify --claims 'flow.*' --runs 50 --json report.json`;

async function userClaims(file: string): Promise<Claim<any>[]> {
  let module: { claims?: unknown; default?: unknown };
  try {
    module = await import(pathToFileURL(resolve(file)).href);
  } catch (e) {
    throw new UsageError(`--file: cannot load '${file}': ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const claims = module.claims ?? module.default;
  if (!Array.isArray(claims) || !claims.every((c) => c && typeof c.id === 'string' && typeof c.check === 'function' && c.instances)) {
    throw new UsageError(`--file: '${file}' must export 'claims', an array of claims ({id, instances, check, expected, …})`);
  }
  return claims as Claim<any>[];
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, {
    claims: { type: 'string', multiple: true },
    seed: { type: 'string' },
    runs: { type: 'string' },
    budget: { type: 'string' },
    path: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    plot: { type: 'string' },
    file: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(verifyHelp);
    return 0;
  }
  const globs = [...((values.claims as string[] | undefined) ?? []), ...positionals].flatMap((g) => g.split(',')).filter((g) => g.length > 0);
  const seed = integerOption('seed', values.seed, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'an integer in [0, 2^32)') ?? DEFAULT_SEED;
  const runs = integerOption('runs', values.runs, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  const budgetSeconds = integerOption('budget', values.budget, (n) => n > 0, 'a positive number of seconds');
  if (runs !== undefined && budgetSeconds !== undefined) throw new UsageError('give either --runs or --budget, not both');
  const path = values.path as string | undefined;
  const all: Claim<any>[] = [...catalogue, ...(values.file ? await userClaims(values.file as string) : [])];
  const selected = selectClaims(all, globs);
  if (path !== undefined && selected.length !== 1) throw new UsageError('--path replays one counterexample: select exactly one claim with --claims ID');
  const writeJson = reserveOutput('--json', values.json as string | undefined);
  const writeJunit = reserveOutput('--junit', values.junit as string | undefined);
  const plotDirectory = values.plot === undefined ? undefined : reserveDirectory('--plot', values.plot as string);

  console.log(`dlnv verify: ${selected.length} claims, seed ${seed}${budgetSeconds ? `, ${budgetSeconds} s each` : runs ? `, ${runs} runs each` : ''}`);
  const started = performance.now();
  const reports: ClaimReport[] = [];
  for (const claim of selected) {
    const progress = progressReporter(claim.id, budgetSeconds ? undefined : (runs ?? claim.runs));
    const report = runClaim(claim, { seed, runs, budgetSeconds, path, onProgress: progress.tick });
    progress.clear();
    reports.push(report);
    console.log(claimLine(report));
  }
  console.log(summaryLine(reports, (performance.now() - started) / 1000));
  writeJson?.(verifyReportJson(seed, reports));
  writeJunit?.(verifyReportJunit(reports));
  if (plotDirectory) writeFigures(plotDirectory, reports);
  return reports.every((r) => r.status === 'pass') ? 0 : 1;
}
