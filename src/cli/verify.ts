import { resolve } from 'node:path';
import type { Claim } from '../claims/claim.js';
import { loadClaimFile } from '../claims/load.js';
import { inShard, parseSeeds, parseShard, planUnits, type Shard } from '../claims/plan.js';
import type { ClaimReport } from '../claims/runner.js';
import { selectClaims } from '../claims/select.js';
import { UsageError } from '../errors.js';
import { htmlReport } from '../report/html.js';
import { verifyReportJson, type RunPlan } from '../report/json.js';
import { verifyReportJunit } from '../report/junit.js';
import { claimLine, summaryLine } from '../report/terminal.js';
import { catalogue } from '../../properties/index.js';
import { integerOption, parseCommandArgs } from './args.js';
import { reserveDirectory, reserveOutput } from './output-file.js';
import { writeFigures } from './figures.js';
import { progressReporter } from './progress.js';
import { defaultWorkers, runUnit, runUnitsOnWorkers, workerScript, type UnitConfig } from './verify-units.js';

export const DEFAULT_SEED = 1;

export const verifyHelp = `dlnv verify — run the claim catalogue on seeded random instances

Usage: dlnv verify [--claims GLOB ...] [--claims-file FILE] [--seed S | --seeds LIST]
                   [--runs R | --budget SECONDS] [--path P] [--workers N] [--shard i/n]
                   [--json FILE] [--junit FILE] [--html FILE] [--plot DIR]

Each claim is a theory statement (THEORY.md id, provenance [P]/[D]/[M]) with an instance generator and a
check that returns a verdict with its measured value, bound and error model. A claim PASSes when it meets
its expected outcome: 'holds' claims must survive every instance; FALSE variants ('counterexample') must be
broken, and the smallest breaking instance is shown.

Options:
  --claims GLOB       only claims whose id matches (repeatable; also comma-separated or as extra arguments),
                      e.g. --claims 'flow.*' 'metric.*'
  --claims-file FILE  your own claims: a .ts or .js module exporting \`claims\`, an array built with defineClaim
                      from 'dlnv' (TypeScript is compiled on the fly; no build step). Alone it runs only the
                      file's claims; with --claims the globs select from the catalogue and the file. Alias: --file
  --seed S            global seed (default ${DEFAULT_SEED}); the same seed gives the same instances and verdicts
  --seeds LIST        several seeds, e.g. 1-8 or 1,5,9: every claim runs once per seed (claims × seeds units)
  --runs R            instances per claim (default: each claim's own, usually 20–200)
  --budget SEC        seconds per claim instead of a run count
  --path P            replay one counterexample (with --claims ID and --seed S, as printed after a failure)
  --workers N         run claims on N worker threads (default 1; 0 = one per CPU). Results, order and
                      reports are the same as with one thread
  --shard i/n         run only slice i of n of the claims × seeds units (unit k goes to slice k mod n + 1),
                      for a CI matrix; combine the slices' --json files with 'dlnv merge'
  --json FILE         write the full report as JSON (with the run's plan, so shards can be merged)
  --junit FILE        write JUnit XML for CI systems
  --html FILE         write one self-contained HTML page: summary table, every claim with its statement,
                      provenance, hypotheses, verdict and margin, and its figures as inline SVG
  --plot DIR          write DIR/<claim-id>.svg for every claim whose verdict has a figure (Taylor curves,
                      error against step size, trajectories against their predicted envelopes, …)

Exit code: 0 iff every selected claim met its expected outcome; 1 otherwise; 2 on bad usage.
Examples: dlnv verify --claims 'flow.*' --runs 50 --json report.json
          dlnv verify --claims-file examples/my-claims.ts --html report.html
          dlnv verify --shard 1/2 --json r1.json && dlnv verify --shard 2/2 --json r2.json && dlnv merge r1.json r2.json --html all.html`;

/** Claims from user files, checked against the catalogue and each other for id clashes. */
/** The claims of the user's files, and the file (as given) each id comes from, for replay commands. */
export async function userClaims(files: readonly string[], option = '--claims-file'): Promise<{ claims: Claim<any>[]; fileOf: Record<string, string> }> {
  const claims: Claim<any>[] = [];
  const fileOf: Record<string, string> = {};
  const known = new Set(catalogue.map((c) => c.id));
  for (const file of files) {
    for (const c of await loadClaimFile(file, option)) {
      if (known.has(c.id)) throw new UsageError(`${option}: '${file}' redefines the claim id '${c.id}' (ids must be unique; prefix yours, e.g. 'mine.${c.id}')`);
      known.add(c.id);
      claims.push(c);
      fileOf[c.id] = file;
    }
  }
  return { claims, fileOf };
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, {
    claims: { type: 'string', multiple: true },
    'claims-file': { type: 'string', multiple: true },
    file: { type: 'string', multiple: true },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    runs: { type: 'string' },
    budget: { type: 'string' },
    path: { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    html: { type: 'string' },
    plot: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(verifyHelp);
    return 0;
  }
  const globs = [...((values.claims as string[] | undefined) ?? []), ...positionals].flatMap((g) => g.split(',')).filter((g) => g.length > 0);
  const seedOption = integerOption('seed', values.seed, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'an integer in [0, 2^32)');
  if (seedOption !== undefined && values.seeds !== undefined) throw new UsageError('give either --seed or --seeds, not both');
  const seeds = values.seeds !== undefined ? parseSeeds(values.seeds as string) : [seedOption ?? DEFAULT_SEED];
  const runs = integerOption('runs', values.runs, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  const budgetSeconds = integerOption('budget', values.budget, (n) => n > 0, 'a positive number of seconds');
  if (runs !== undefined && budgetSeconds !== undefined) throw new UsageError('give either --runs or --budget, not both');
  const workersOption = integerOption('workers', values.workers, (n) => Number.isInteger(n) && n >= 0 && n <= 256, 'an integer in [0, 256] (0: one per CPU)');
  const workers = workersOption === 0 ? defaultWorkers() : (workersOption ?? 1);
  const shard: Shard | undefined = values.shard !== undefined ? parseShard(values.shard as string) : undefined;
  const path = values.path as string | undefined;
  const files = [...((values['claims-file'] as string[] | undefined) ?? []), ...((values.file as string[] | undefined) ?? [])];
  const { claims: mine, fileOf } = await userClaims(files);
  // A claim file alone runs its own claims; globs select from the catalogue and the file together.
  const selected = selectClaims(files.length > 0 && globs.length === 0 ? mine : [...catalogue, ...mine], globs);
  if (path !== undefined && (selected.length !== 1 || seeds.length !== 1)) throw new UsageError('--path replays one counterexample: select exactly one claim with --claims ID and one --seed');
  const writeJson = reserveOutput('--json', values.json as string | undefined);
  const writeJunit = reserveOutput('--junit', values.junit as string | undefined);
  const writeHtml = reserveOutput('--html', values.html as string | undefined);
  const plotDirectory = values.plot === undefined ? undefined : reserveDirectory('--plot', values.plot as string);

  const plan: RunPlan = { claims: selected.map((c) => c.id), seeds, runs: runs ?? null, budgetSeconds: budgetSeconds ?? null };
  const units = planUnits(selected, seeds).filter((u) => inShard(u, shard));
  const byId = new Map(selected.map((c) => [c.id, c]));
  const config: UnitConfig = { claimsFiles: files.map((f) => resolve(f)), claimFileOf: fileOf, ...(runs !== undefined ? { runs } : {}), ...(budgetSeconds !== undefined ? { budgetSeconds } : {}), ...(path !== undefined ? { path } : {}) };
  const script = workers > 1 && units.length > 1 ? workerScript() : undefined;
  if (workers > 1 && units.length > 1 && !script) console.error('dlnv verify: --workers needs the compiled CLI (npm run build); running in this thread');
  const parts = [
    `${units.length} ${seeds.length > 1 ? 'units (claims × seeds)' : 'claims'}`,
    seeds.length > 1 ? `seeds ${values.seeds as string}` : `seed ${seeds[0]}`,
    ...(budgetSeconds ? [`${budgetSeconds} s each`] : runs ? [`${runs} runs each`] : []),
    ...(shard ? [`shard ${shard.index}/${shard.count} of ${plan.claims.length * seeds.length}`] : []),
    ...(script ? [`${Math.min(workers, units.length)} workers`] : []),
  ];
  console.log(`dlnv verify: ${parts.join(', ')}`);
  const started = performance.now();
  const multiSeed = seeds.length > 1;
  const print = (_k: number, report: ClaimReport): void => console.log(claimLine(report, { showSeed: multiSeed }));
  let reports: ClaimReport[];
  if (script) {
    reports = await runUnitsOnWorkers(units, config, workers, script, print);
  } else {
    reports = [];
    for (const unit of units) {
      const claim = byId.get(unit.claim)!;
      const progress = progressReporter(multiSeed ? `${claim.id}@${unit.seed}` : claim.id, budgetSeconds ? undefined : (runs ?? claim.runs));
      const report = runUnit(claim, unit, config, progress.tick);
      progress.clear();
      reports.push(report);
      print(reports.length - 1, report);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(summaryLine(reports, seconds));
  writeJson?.(verifyReportJson(seeds[0], reports, { plan, ...(shard ? { shard } : {}) }));
  writeJunit?.(verifyReportJunit(reports));
  writeHtml?.(htmlReport(reports, { seconds, ...(shard ? { note: `shard ${shard.index}/${shard.count}` } : {}) }));
  if (plotDirectory) writeFigures(plotDirectory, reports);
  return reports.every((r) => r.status === 'pass') ? 0 : 1;
}
