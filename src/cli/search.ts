import { dirname, relative, resolve } from 'node:path';
import { catalogue } from '../../properties/index.js';
import { resolveClaimReference } from '../claims/load.js';
import { UsageError } from '../errors.js';
import { reportEnvelope, reportJson } from '../report/json.js';
import { searchReportJunit } from '../report/junit.js';
import { type BaselineSummary, searchLines } from '../report/terminal.js';
import { replayFileFor, replayFileJson } from '../search/replay.js';
import { runSearch, type SearchPhase } from '../search/search.js';
import { integerOption, parseCommandArgs } from './args.js';
import { humanOutput, reserveOutput } from './output-file.js';
import { progressLine } from './progress.js';
import { DEFAULT_SEED } from './verify.js';

export const searchHelp = `dlnv search — look for the smallest instance that breaks a claim

Usage: dlnv search CLAIM [--budget SECONDS] [--evaluations N] [--seed S] [--explore N]
                         [--out REPLAY.json] [--json FILE] [--junit FILE] [--compare] [--claims-file FILE]

CLAIM is a catalogue id (dlnv list), FILE#ID for a claim in your own .ts/.js claim file, or FILE alone when
it defines one claim.

Three phases:
  1. exploration  fast-check's own random instances for the claim seed (the ones 'dlnv verify' draws);
  2. targeted     a local search (evolution strategy) on the latent Gaussian draws of the most promising
                  instance of each shape — restarts across dimensions — that drives the verdict's margin
                  down (or the claim's violation() up) until the check fails; it reaches counterexamples in
                  thin regions (a specific step size, aligned singular vectors) that random sampling misses;
  3. shrinking    toward small dimensions (fast-check's shrinkers, re-targeting at each smaller shape) and
                  short decimals (the Gaussian draws rounded to 0–3 decimals where the claim still fails).
The result is a readable instance and a replay file; 'dlnv replay FILE' rebuilds it and re-runs the check.
When nothing is found it says so, with the budget spent, the instances tried and the smallest margin seen.

Options:
  --budget SEC        seconds to look for a counterexample (default 30 without --evaluations; shrinking may
                      add up to a third)
  --evaluations N     stop after N evaluations; alone it replaces the time budget (reproducible on any
                      machine); with --budget, whichever ends first
  --seed S            global seed (default ${DEFAULT_SEED}); same seed and budget in evaluations, same result
  --explore N         fast-check runs before the targeted phase (default 100)
  --out FILE          where to write the replay file (default: <claim-id>.replay.json when one is found)
  --json FILE         the full search report as JSON (phases, evaluations, instance, verdict, recipe);
                      - writes it to standard output (the progress lines then go to standard error)
  --junit FILE        JUnit XML: one testcase, failed when the outcome is not the claim's expected one
  --compare           also run fast-check alone on the same budget and print both evaluation counts
  --claims-file FILE  where to look for a bare CLAIM id besides the catalogue (repeatable)

A check that is inconclusive on an instance (its own preconditions failed) never counts as a counterexample.

Exit code: 0 when the outcome is the claim's expected one (a FALSE variant broken, a true claim unbroken
within the budget); 1 otherwise (a counterexample to a claim expected to hold); 2 on bad usage; 3 when the
claim's own code broke (its check threw or returned no Verdict, or its generator threw).
Examples: dlnv search yd.asymmetric.large-step --budget 10
          dlnv search examples/my-claims.ts#mine.product-contracts --compare`;

export async function searchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('search', argv, {
    budget: { type: 'string' },
    evaluations: { type: 'string' },
    seed: { type: 'string' },
    explore: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    compare: { type: 'boolean' },
    'claims-file': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(searchHelp);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `search takes one CLAIM (an id, FILE#ID or FILE), got ${positionals.length} (see 'dlnv search --help')`,
    );
  const maxEvaluations = integerOption(
    'evaluations',
    values.evaluations,
    (n) => Number.isInteger(n) && n >= 1,
    'a positive integer',
  );
  // --evaluations alone bounds the search by count only (reproducible on any machine); the default is 30 s.
  const budgetSeconds =
    integerOption('budget', values.budget, (n) => n > 0, 'a positive number of seconds') ??
    (maxEvaluations === undefined ? 30 : undefined);
  const seed =
    integerOption(
      'seed',
      values.seed,
      (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
      'an integer in [0, 2^32)',
    ) ?? DEFAULT_SEED;
  const explore = integerOption('explore', values.explore, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  const { claim, file } = await resolveClaimReference(
    positionals[0],
    catalogue,
    (values['claims-file'] as string[] | undefined) ?? [],
  );
  const writeJson = reserveOutput('--json', values.json as string | undefined);
  const writeJunit = reserveOutput('--junit', values.junit as string | undefined);
  const log = humanOutput(values.json as string | undefined);
  const outPath = (values.out as string | undefined) ?? `${claim.id}.replay.json`;
  const writeOut = values.out !== undefined ? reserveOutput('--out', outPath) : undefined;

  const limits = [
    ...(budgetSeconds !== undefined ? [`${budgetSeconds} s`] : []),
    ...(maxEvaluations ? [`${maxEvaluations} evaluations`] : []),
  ];
  log(`dlnv search: ${claim.id}${file ? ` (${file})` : ''}, seed ${seed}, budget ${limits.join(' or ')}`);
  // On a terminal: "search <id>  1,204 evaluations  3.1 s  targeted phase: 310".
  const progress = progressLine(`search ${claim.id}`, {
    unit: 'evaluation',
    ...(maxEvaluations ? { total: maxEvaluations } : {}),
  });
  const byPhase: Partial<Record<SearchPhase, number>> = {};
  const onProgress = (phase: SearchPhase, n: number): void => {
    byPhase[phase] = n;
    progress.update(
      Object.values(byPhase).reduce((s, k) => s + (k ?? 0), 0),
      `${phase} phase`,
    );
  };
  const report = runSearch(claim, {
    seed,
    ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
    ...(maxEvaluations ? { maxEvaluations } : {}),
    ...(explore ? { explore } : {}),
    onProgress,
  });
  progress.clear();
  let baseline: BaselineSummary | undefined;
  if (values.compare) {
    const alone = runSearch(claim, {
      seed,
      ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
      ...(maxEvaluations ? { maxEvaluations } : {}),
      targeted: false,
      shrink: false,
    });
    baseline = {
      found: alone.found,
      evaluations: alone.found ? alone.evaluations.toCounterexample! : alone.evaluations.total,
      seconds: alone.seconds,
    };
  }
  const replay = replayFileFor(report, file ? relative(dirname(resolve(outPath)), resolve(file)) || file : undefined);
  let replayFile: string | undefined;
  if (replay && report.found) {
    (writeOut ?? reserveOutput('--out', outPath)!)(replayFileJson(replay));
    replayFile = outPath;
  } else if (replay && writeOut) {
    writeOut(replayFileJson(replay)); // the closest instance, on request
  }
  for (const line of searchLines(report, { ...(replayFile ? { replayFile } : {}), ...(baseline ? { baseline } : {}) }))
    log(line);
  writeJson?.(
    reportJson({
      ...reportEnvelope('search'),
      ...(file ? { file } : {}),
      search: report,
      ...(baseline ? { baseline } : {}),
      ...(replayFile ? { replayFile } : {}),
    }),
  );
  writeJunit?.(searchReportJunit(report));
  return report.status === 'pass' ? 0 : report.status === 'error' ? 3 : 1;
}
