import type { Claim, Expected } from '../claims/claim.js';
import { summarizeVerdict, type VerdictSummary } from '../claims/runner.js';
import { claimSeed } from '../claims/seed.js';
import { UsageError } from '../errors.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { InstanceSpace, type Recipe } from './instance-space.js';
import type { LatentPoint } from './latent.js';
import type { SearchReport } from './search.js';

/**
 * A replay file: everything needed to rebuild the instance `dlnv search` reported — the claim (catalogue id, or a
 * claim file and id), the seed, the recipe (fast-check run and shrink steps) and the latent draws — plus what
 * was observed, so a replay can say whether it still reproduces.
 */
export interface ReplayFile {
  readonly tool: 'dlnv';
  readonly kind: 'search-replay';
  readonly version: 1;
  readonly claim: { readonly id: string; readonly file?: string };
  readonly expected: Expected;
  readonly seed: number;
  readonly claimSeed: number;
  readonly recipe: Recipe;
  readonly latent: LatentPoint;
  readonly recorded: {
    readonly violated: boolean;
    readonly verdict: VerdictSummary | null;
    readonly instance: unknown;
  };
}

/** The replay file of a search's counterexample (or, when none was found, of its closest instance). */
export function replayFileFor(report: SearchReport, file?: string): ReplayFile | undefined {
  const target = report.counterexample ?? report.closest;
  if (!target) return undefined;
  return {
    tool: 'dlnv',
    kind: 'search-replay',
    version: 1,
    claim: { id: report.id, ...(file ? { file } : {}) },
    expected: report.expected,
    seed: report.seed,
    claimSeed: report.claimSeed,
    recipe: target.recipe,
    latent: target.latent,
    recorded: { violated: report.counterexample !== undefined, verdict: target.verdict, instance: target.instance },
  };
}

export function replayFileJson(file: ReplayFile): string {
  return JSON.stringify(file, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}

/** Parse and validate a replay file; any defect is one UsageError naming the field. */
export function parseReplayFile(text: string, name: string): ReplayFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const f = raw as Partial<ReplayFile> & Record<string, unknown>;
  const bad = (field: string, what: string): never => {
    throw new UsageError(`${name}: ${field} ${what} (is it a file written by 'dlnv search --out'?)`);
  };
  if (!f || typeof f !== 'object' || f.kind !== 'search-replay') bad('kind', "must be 'search-replay'");
  if (f.version !== 1) bad('version', 'must be 1');
  if (!f.claim || typeof f.claim.id !== 'string') bad('claim.id', 'must be a string');
  if (f.claim!.file !== undefined && typeof f.claim!.file !== 'string') bad('claim.file', 'must be a string');
  if (!Number.isInteger(f.seed)) bad('seed', 'must be an integer');
  const recipe = f.recipe as Recipe | undefined;
  if (
    !recipe ||
    !Number.isInteger(recipe.run) ||
    recipe.run < 0 ||
    !Array.isArray(recipe.shrinks) ||
    !recipe.shrinks.every((k) => Number.isInteger(k) && k >= 0)
  ) {
    bad('recipe', 'must be {run, shrinks} with non-negative integers');
  }
  const latent = f.latent as LatentPoint | undefined;
  if (
    !latent ||
    typeof latent.kinds !== 'string' ||
    !/^[gu]*$/.test(latent.kinds) ||
    !Array.isArray(latent.values) ||
    latent.values.length !== latent.kinds.length ||
    !latent.values.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    bad('latent', "must be {values, kinds} with one finite number per kind letter ('g' or 'u')");
  }
  if (f.expected !== 'holds' && f.expected !== 'counterexample') bad('expected', "must be 'holds' or 'counterexample'");
  if (!f.recorded || typeof f.recorded !== 'object' || typeof f.recorded.violated !== 'boolean')
    bad('recorded.violated', 'must be a boolean');
  if (!Number.isInteger(f.claimSeed)) bad('claimSeed', 'must be an integer');
  return f as ReplayFile;
}

export interface ReplayResult {
  readonly id: string;
  readonly instance: unknown;
  readonly evaluation: Evaluation;
  readonly verdict: VerdictSummary | null;
  /** The instance breaks the claim now. */
  readonly violated: boolean;
  /** Same outcome as recorded (violated or not, and the same measured value). */
  readonly reproduced: boolean;
  /** 'pass' when the outcome is what the claim expects (a FALSE variant broken, a true claim holding). */
  readonly status: 'pass' | 'fail';
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Rebuild the instance of a replay file and check it again. */
export function replaySearch<I>(claim: Claim<I>, file: ReplayFile): ReplayResult {
  if (claim.id !== file.claim.id) throw new UsageError(`replay file is for '${file.claim.id}', not '${claim.id}'`);
  // The draws are tied to the claim they came from: a file whose claim id was changed would rebuild a different
  // instance and report on it as if it were the recorded one.
  if (file.claimSeed !== claimSeed(file.seed, claim.id)) {
    throw new UsageError(
      `replay file: its draws came from another claim than '${claim.id}' (claimSeed ${file.claimSeed} ≠ ${claimSeed(file.seed, claim.id)} for seed ${file.seed}); refusing to replay them`,
    );
  }
  const space = new InstanceSpace(claim.instances, claimSeed(file.seed, claim.id));
  const built = space.rebuild(file.recipe, file.latent);
  const evaluation = evaluate(claim, built.value.value);
  const violated = evaluation.status === 'fail';
  const verdict = evaluation.verdict ? summarizeVerdict(evaluation.verdict) : null;
  const recordedMeasured = file.recorded.verdict ? Number(file.recorded.verdict.measured) : undefined;
  const sameMeasure =
    recordedMeasured === undefined ||
    verdict === null ||
    Object.is(recordedMeasured, verdict.measured) ||
    (Number.isNaN(recordedMeasured) && Number.isNaN(verdict.measured));
  return {
    id: claim.id,
    instance: claim.summarize ? claim.summarize(built.value.value) : built.value.value,
    evaluation,
    verdict,
    violated,
    reproduced: violated === file.recorded.violated && sameMeasure,
    status: violated === (claim.expected === 'counterexample') ? 'pass' : 'fail',
    ...(evaluation.verdict?.data ? { data: evaluation.verdict.data } : {}),
  };
}
