import { resolve } from 'node:path';
import { catalogue } from '../../properties/index.js';
import type { Claim } from '../claims/claim.js';
import { loadClaimFile } from '../claims/load.js';
import { inShard, parseSeeds, parseShard, planUnits, type Shard, type Unit } from '../claims/plan.js';
import {
  type ClaimReport,
  DEFAULT_RUNS,
  faultReport,
  INCONCLUSIVE_BUDGET,
  validateRunOptions,
} from '../claims/runner.js';
import { selectClaims } from '../claims/select.js';
import { UsageError } from '../errors.js';
import { MARGIN_CONVENTION } from '../format.js';
import { htmlReport } from '../report/html.js';
import { portable, type RunPlan, verifyReportJson } from '../report/json.js';
import { verifyReportJunit } from '../report/junit.js';
import { claimLine, claimsExitCode, summaryLine } from '../report/terminal.js';
import { productThreadSetting } from '../wasm/runtime.js';
import { integerOption, parseCommandArgs } from './args.js';
import { writeFigures } from './figures.js';
import { humanOutput, reserveDirectory, reserveOutput } from './output-file.js';
import { progressLine } from './progress.js';
import { defaultWorkers, runUnit, runUnitsOnWorkers, type UnitConfig, workerScript } from './verify-units.js';

export const DEFAULT_SEED = 1;
/** Seconds a claim × seed unit may run before its check is stopped and reported as a timeout (--timeout). */
export const DEFAULT_TIMEOUT_SECONDS = 900;
/** With --budget, a check still running this long past the budget is stopped (a run's checks end between runs). */
export const BUDGET_GRACE_SECONDS = 10;

export const verifyHelp = `dlnv verify — run the claim catalogue on seeded random instances

Usage: dlnv verify [--claims GLOB ...] [--claims-file FILE] [--seed S | --seeds LIST]
                   [--runs R | --runs-scale K | --budget SECONDS] [--timeout SECONDS] [--path P]
                   [--workers N] [--shard i/n] [--json FILE] [--junit FILE] [--html FILE] [--plot DIR]

Each claim is a theory statement (THEORY.md id, provenance [P]/[D]/[M]) with an instance generator and a
check that returns a verdict with its measured value, bound and error model. A claim PASSes when it meets
its expected outcome: 'holds' claims must survive every instance; FALSE variants ('counterexample') must be
broken, and the smallest breaking instance is shown.

A run whose check could not decide (its own preconditions failed: a descent that did not converge, step sizes
not yet in the asymptotic regime…) is INCONCLUSIVE with its reason: never a pass, never a counterexample. Each
claim shows how many of its runs were inconclusive; above ${INCONCLUSIVE_BUDGET * 100} % its check or generator needs work. A claim
whose runs were mostly inconclusive is UNDECIDED. A claim whose check throws, returns something that is not a
Verdict, or whose generator throws is an ERROR (with its instance and replay line), a check that does not
return in time a TIMEOUT; the run goes on with the other claims and writes its reports either way.

Options:
  --claims GLOB       only claims whose id matches (repeatable; also comma-separated or as extra arguments),
                      e.g. --claims 'flow.*' 'metric.*'
  --claims-file FILE  your own claims: a .ts or .js module exporting \`claims\`, an array built with defineClaim
                      from 'dlnv' (TypeScript is compiled on the fly; no build step). Alone it runs only the
                      file's claims; with --claims the globs select from the catalogue and the file. Alias: --file
  --seed S            global seed (default ${DEFAULT_SEED}); the same seed gives the same instances and verdicts
  --seeds LIST        several seeds, e.g. 1-8 or 1,5,9: every claim runs once per seed (claims × seeds units)
  --runs R            instances per claim (default: each claim's own, usually 20–200)
  --runs-scale K      K times each claim's own run count (a soak: npm run soak uses 10)
  --budget SEC        seconds per claim instead of a run count; a check still running ${BUDGET_GRACE_SECONDS} s past it is
                      stopped (TIMEOUT)
  --timeout SEC       seconds a claim may run before it is stopped and reported as a TIMEOUT
                      (default ${DEFAULT_TIMEOUT_SECONDS})
  --path P            replay one counterexample (with --claims ID and --seed S, as printed after a failure)
  --workers N         run claims on N worker threads (default 1; 0 = one per CPU). Results, order and
                      reports are the same as with one thread
  --shard i/n         run only slice i of n of the claims × seeds units (unit k goes to slice k mod n + 1),
                      for a CI matrix; combine the slices' --json files with 'dlnv merge'
  --json FILE         write the full report as JSON (with the run's plan, so shards can be merged, and
                      the steps of each claim's symbolic derivation);
                      - writes it to standard output (the claim lines then go to standard error)
  --junit FILE        write JUnit XML for CI systems (valid junit-10; failures, errors and undecided claims
                      as <failure>, <error>, <skipped>; each case's numbers in its system-out)
  --html FILE         write one self-contained HTML page: contents by paper, failures first, every claim with
                      its statement (formulas as MathML), verdict, margin bar, counterexample and figures, and
                      beside the verdict the symbolic derivation of claims that have one (dlnv proofs)
  --plot DIR          write DIR/<claim-id>.svg for every claim whose verdict has a figure (Taylor curves,
                      error against step size, trajectories against their predicted envelopes, …)

Each line reads: STATUS  claim  [provenance]  outcome; worst: what was measured — measured ≤ bound, margin.
Margins: ${MARGIN_CONVENTION}. On a terminal a progress line (claims done, elapsed time, estimate of what is left)
stays under the results and status words are coloured (NO_COLOR=1 turns colour off); in CI logs and pipes
the output is plain lines. JSON reports follow docs/report.schema.json.

Report files are written when the run ends, each replacing the previous file in one step: an interrupted
run (Ctrl-C) or a crash leaves earlier reports complete and untouched.

Exit code: 0 every selected claim met its expected outcome; 1 a claim failed (a claim expected to hold was
refuted, or a FALSE variant was not); 3 a claim errored or timed out (none failed); 4 a claim was undecided
(none failed or errored); 2 bad usage.
Examples: dlnv verify --claims 'flow.*' --runs 50 --json report.json
          dlnv verify --claims-file examples/my-claims.ts --html report.html
          dlnv verify --shard 1/2 --json r1.json && dlnv verify --shard 2/2 --json r2.json && dlnv merge r1.json r2.json --html all.html`;

/**
 * Each of the user's claims with the file it came from (as given), for replay lines that can be pasted; checked
 * against the catalogue and each other for id clashes.
 */
async function userClaimsByFile(files: readonly string[], option = '--claims-file'): Promise<[Claim<any>, string][]> {
  const all: [Claim<any>, string][] = [];
  const known = new Set(catalogue.map((c) => c.id));
  for (const file of files) {
    for (const c of await loadClaimFile(file, option)) {
      if (known.has(c.id))
        throw new UsageError(
          `${option}: '${file}' redefines the claim id '${c.id}' (ids must be unique; prefix yours, e.g. 'mine.${c.id}')`,
        );
      known.add(c.id);
      all.push([c, file]);
    }
  }
  return all;
}

/** The options that decide what runs: claims, seeds, runs or budget, workers, shard, replay path, claim files. */
function runOptions(values: Record<string, unknown>, positionals: readonly string[]) {
  const globs = [...((values.claims as string[] | undefined) ?? []), ...positionals]
    .flatMap((g) => g.split(','))
    .filter((g) => g.length > 0);
  const seedOption = integerOption(
    'seed',
    values.seed,
    (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
    'an integer in [0, 2^32)',
  );
  if (seedOption !== undefined && values.seeds !== undefined)
    throw new UsageError('give either --seed or --seeds, not both');
  const seeds = values.seeds !== undefined ? parseSeeds(values.seeds as string) : [seedOption ?? DEFAULT_SEED];
  const runs = integerOption('runs', values.runs, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  const budgetSeconds = integerOption('budget', values.budget, (n) => n > 0, 'a positive number of seconds');
  const runsScale = integerOption(
    'runs-scale',
    values['runs-scale'],
    (n) => Number.isInteger(n) && n >= 2 && n <= 1000,
    'an integer in [2, 1000]',
  );
  if ([runs, runsScale, budgetSeconds].filter((o) => o !== undefined).length > 1)
    throw new UsageError('give one of --runs, --runs-scale and --budget');
  const workersOption = integerOption(
    'workers',
    values.workers,
    (n) => Number.isInteger(n) && n >= 0 && n <= 256,
    'an integer in [0, 256] (0: one per CPU)',
  );
  return {
    globs,
    seeds,
    runs,
    budgetSeconds,
    runsScale,
    workers: workersOption === 0 ? defaultWorkers() : (workersOption ?? 1),
    shard: values.shard !== undefined ? parseShard(values.shard as string) : undefined,
    path: values.path as string | undefined,
    files: [
      ...((values['claims-file'] as string[] | undefined) ?? []),
      ...((values.file as string[] | undefined) ?? []),
    ],
  };
}

/** "4 claims, seed 1, 3 runs each, 2 workers": what this run will do, printed before it starts. */
function planLine(
  units: number,
  plan: RunPlan,
  seedsText: string | undefined,
  shard: Shard | undefined,
  workers: number,
): string {
  const { seeds, runs, runsScale, budgetSeconds } = plan;
  return [
    `${units} ${seeds.length > 1 ? 'units (claims × seeds)' : units === 1 ? 'claim' : 'claims'}`,
    seeds.length > 1 ? `seeds ${seedsText}` : `seed ${seeds[0]}`,
    ...(budgetSeconds
      ? [`${budgetSeconds} s each`]
      : runs
        ? [`${runs} runs each`]
        : runsScale
          ? [`${runsScale}× each claim's runs`]
          : []),
    ...(shard ? [`shard ${shard.index}/${shard.count} of ${plan.claims.length * seeds.length}`] : []),
    ...(workers > 1 ? [`${workers} workers`] : []),
  ].join(', ');
}

/** How verifyCommand runs its units: where, with which limits, and where progress goes. */
interface UnitRun {
  readonly byId: ReadonlyMap<string, Claim<any>>;
  readonly claimFileOf: Readonly<Record<string, string>>;
  /** The compiled worker script, or undefined: run in this thread. */
  readonly script: URL | undefined;
  readonly workers: number;
  readonly unitSeconds: number;
  readonly log: (line: string) => void;
  readonly multiSeed: boolean;
  readonly runs: number | undefined;
  readonly runsScale: number | undefined;
  readonly budgetSeconds: number | undefined;
}

/** Run every unit (on worker threads when compiled), printing one line per claim under a live progress line. */
async function runUnits(units: readonly Unit[], config: UnitConfig, run: UnitRun): Promise<ClaimReport[]> {
  const { byId, claimFileOf, script, log, multiSeed } = run;
  const labelOf = (unit: Unit): string => (multiSeed ? `${unit.claim}@${unit.seed}` : unit.claim);
  let done = 0;
  // On a terminal: one live line under the results, "verify  3/15 claims  12 s, ~48 s left  <claim> 40/100 instances".
  const counter = progressLine('verify', { total: units.length, unit: multiSeed ? 'unit' : 'claim' });
  const instancesOf = (unit: Unit, evaluated: number): string => {
    const total = run.budgetSeconds
      ? undefined
      : (run.runs ?? (run.runsScale ?? 1) * (byId.get(unit.claim)!.runs ?? DEFAULT_RUNS));
    return `${labelOf(unit)} ${evaluated}${total ? `/${total}` : ''} instances`;
  };
  const print = (_k: number, report: ClaimReport): void => {
    done++;
    counter.clear();
    log(claimLine(report, { showSeed: multiSeed }));
    counter.update(done);
  };
  let reports: ClaimReport[];
  if (script) {
    // Reports are written only at the end, atomically: an interrupted run leaves every earlier report file intact.
    process.once('SIGINT', () => {
      console.error(
        `\ndlnv verify: interrupted after ${done} of ${units.length} ${units.length === 1 ? 'unit' : 'units'}; no report written (existing report files are unchanged)`,
      );
      process.exit(130);
    });
    reports = await runUnitsOnWorkers(units, config, {
      workers: run.workers,
      script,
      unitSeconds: run.unitSeconds,
      faultReport: (unit, fault, evaluated, seconds) =>
        portable(
          faultReport(
            byId.get(unit.claim)!,
            { seed: unit.seed, ...(claimFileOf[unit.claim] ? { claimsFile: claimFileOf[unit.claim] } : {}) },
            fault,
            evaluated,
            seconds,
          ),
        ),
      onReport: print,
      onProgress: (k, evaluated) => counter.update(done, instancesOf(units[k], evaluated)),
    });
  } else {
    reports = [];
    for (const unit of units) {
      const report = runUnit(byId.get(unit.claim)!, unit, config, (evaluated) =>
        counter.update(done, instancesOf(unit, evaluated)),
      );
      reports.push(report);
      print(reports.length - 1, report);
    }
  }
  counter.clear();
  return reports;
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, {
    claims: { type: 'string', multiple: true },
    'claims-file': { type: 'string', multiple: true },
    file: { type: 'string', multiple: true },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    runs: { type: 'string' },
    'runs-scale': { type: 'string' },
    budget: { type: 'string' },
    path: { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    html: { type: 'string' },
    plot: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(verifyHelp);
    return 0;
  }
  const { globs, seeds, runs, budgetSeconds, runsScale, workers, shard, path, files } = runOptions(values, positionals);
  const mineByFile = await userClaimsByFile(files);
  const mine = mineByFile.map(([claim]) => claim);
  // A claim file alone runs its own claims; globs select from the catalogue and the file together.
  const selected = selectClaims(files.length > 0 && globs.length === 0 ? mine : [...catalogue, ...mine], globs);
  if (path !== undefined && (selected.length !== 1 || seeds.length !== 1))
    throw new UsageError('--path replays one counterexample: select exactly one claim with --claims ID and one --seed');
  const writeJson = reserveOutput('--json', values.json as string | undefined);
  const writeJunit = reserveOutput('--junit', values.junit as string | undefined);
  const writeHtml = reserveOutput('--html', values.html as string | undefined);
  const log = humanOutput(
    values.json as string | undefined,
    values.junit as string | undefined,
    values.html as string | undefined,
  );
  const plotDirectory = values.plot === undefined ? undefined : reserveDirectory('--plot', values.plot as string);
  const timeoutOption = integerOption('timeout', values.timeout, (n) => n > 0, 'a positive number of seconds');
  if (path !== undefined) validateRunOptions({ seed: seeds[0], path });

  const plan: RunPlan = {
    claims: selected.map((c) => c.id),
    seeds,
    runs: runs ?? null,
    ...(runsScale ? { runsScale } : {}),
    budgetSeconds: budgetSeconds ?? null,
  };
  const units = planUnits(selected, seeds).filter((u) => inShard(u, shard));
  const byId = new Map(selected.map((c) => [c.id, c]));
  const claimFileOf = Object.fromEntries(mineByFile.map(([claim, file]) => [claim.id, file]));
  const script = workerScript();
  const poolSize = Math.min(workers, units.length);
  const config: UnitConfig = {
    claimsFiles: files.map((f) => resolve(f)),
    claimFileOf,
    ...(runs !== undefined ? { runs } : {}),
    ...(runsScale !== undefined ? { runsScale } : {}),
    ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
    ...(path !== undefined ? { path } : {}),
    // A single worker has the machine to itself, so its products may use the second core as the main thread would.
    ...(poolSize === 1 ? { productThreads: productThreadSetting() } : { productThreads: 1 }),
  };
  if (!script && workers > 1 && units.length > 1)
    console.error('dlnv verify: --workers needs the compiled CLI (npm run build); running in this thread');
  const unitSeconds = Math.min(
    timeoutOption ?? DEFAULT_TIMEOUT_SECONDS,
    budgetSeconds !== undefined ? budgetSeconds + BUDGET_GRACE_SECONDS : Infinity,
  );
  log(
    `dlnv verify: ${planLine(units.length, plan, values.seeds as string | undefined, shard, script && poolSize > 1 ? poolSize : 1)}`,
  );
  const started = performance.now();
  let reports = await runUnits(units, config, {
    byId,
    claimFileOf,
    script,
    workers: poolSize,
    unitSeconds,
    log,
    multiSeed: seeds.length > 1,
    runs,
    runsScale,
    budgetSeconds,
  });
  const seconds = (performance.now() - started) / 1000;
  log(summaryLine(reports, seconds));
  writeJunit?.(verifyReportJunit(reports));
  // Derivations are seed-independent: done once here (not per unit), and only for the reports that show them.
  if (writeJson || writeHtml) reports = (await import('../../proofs/claim-proofs.js')).withDerivations(reports);
  writeJson?.(verifyReportJson(seeds[0], reports, { plan, ...(shard ? { shard } : {}) }));
  writeHtml?.(htmlReport(reports, { seconds, ...(shard ? { note: `shard ${shard.index}/${shard.count}` } : {}) }));
  if (plotDirectory) writeFigures(plotDirectory, reports);
  return claimsExitCode(reports);
}
