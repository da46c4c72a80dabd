import type { Provenance } from '../claims/claim.js';
import type { ClaimFault, ClaimReport, Observed } from '../claims/runner.js';
import type { Schema } from '../json/validate.js';
import { validate } from '../json/validate.js';
import type { SearchReport } from '../search/search.js';

/**
 * The JSON Schema (draft 2020-12) of every JSON report dlnv writes: `verify --json`, `merge --json`, `search --json`
 * and `gate --json`. docs/report.schema.json is this object printed (a test keeps the committed file equal to it,
 * and validates real reports of every kind against it); `dlnv merge` validates its inputs with it. The enums are
 * the code's own unions, checked by the compiler in both directions, so the document cannot drift from the code.
 */

/** Bumped when a field changes meaning or disappears; new optional fields do not bump it. */
export const REPORT_VERSION = 1;
export const REPORT_SCHEMA_ID = `urn:dlnv:report:${REPORT_VERSION}`;
export const REPORT_KINDS = ['verify', 'merge', 'search', 'gate'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Every member of the union T, no more and no fewer (a missing or an extra member is a compile error). */
const every =
  <T extends string>() =>
  <const A extends readonly T[]>(
    values: A & (Exclude<T, A[number]> extends never ? unknown : { missing: Exclude<T, A[number]> }),
  ): A =>
    values;

const STATUSES = every<ClaimReport['status']>()(['pass', 'fail', 'inconclusive', 'error']);
const OBSERVED = every<Observed>()(['holds', 'counterexample', 'inconclusive', 'error', 'timeout']);
const ERROR_KINDS = every<ClaimFault['kind']>()(['check-threw', 'generator-threw', 'invalid-verdict', 'timeout']);
const PROVENANCES = every<Provenance>()(['P', 'D', 'M', 'P/D', 'P/M']);
/** A gate check's and a gate run's outcomes: defined here, with the document they appear in (src/gate uses them). */
const CHECK_STATUSES = ['pass', 'fail', 'skip', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
const GATE_STATUSES = ['pass', 'fail', 'error'] as const;
export type GateStatus = (typeof GATE_STATUSES)[number];
const FOUND_BY = every<Exclude<SearchReport['foundBy'], null>>()(['exploration', 'targeted']);

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const integer: Schema = { type: 'integer', minimum: 0 };
const string: Schema = { type: 'string' };
const strings: Schema = { type: 'array', items: string };
const object = (description: string, properties: Record<string, Schema>, required: string[]): Schema => ({
  type: 'object',
  description,
  properties,
  required,
  additionalProperties: true,
});
const all = (properties: Record<string, Schema>): string[] => Object.keys(properties);

const verdictProps: Record<string, Schema> = {
  status: { enum: ['pass', 'fail', 'inconclusive'] },
  measured: { ...ref('number'), description: 'What was measured, in the units the error model states.' },
  bound: { ...ref('number'), description: 'The bound it was held to.' },
  comparison: {
    enum: ['<=', '>='],
    description: "'<=': pass when measured ≤ bound; '>=': pass when measured ≥ bound.",
  },
  margin: {
    ...ref('number'),
    description:
      "Relative distance to the bound, positive when passing: (bound − measured)/|bound| for '<=', mirrored for '>=' (|bound| = 0 counts as 1).",
  },
  errorModel: { ...string, description: 'Where the bound comes from.' },
  detail: { ...string, description: 'What was compared, and why it failed or could not decide.' },
  data: {
    type: 'object',
    description: 'Plot data (gate verdicts keep it inline; claim reports keep it in the claim).',
  },
};

const claimProps: Record<string, Schema> = {
  id: string,
  title: string,
  statement: string,
  source: ref('source'),
  provenance: {
    enum: [...PROVENANCES],
    description: '[P] stated in the paper, [D] derived, [M] recalled (unconfirmed).',
  },
  hypotheses: strings,
  tolerance: string,
  expected: {
    enum: ['holds', 'counterexample'],
    description: "'counterexample': a FALSE variant, met only when refuted.",
  },
  observed: { enum: [...OBSERVED] },
  status: {
    enum: [...STATUSES],
    description: "'pass' iff the observed outcome is the expected one; 'error' covers timeouts (observed says which).",
  },
  runs: integer,
  inconclusiveRuns: integer,
  inconclusiveReasons: {
    type: 'array',
    items: object(
      'A reason (the detail with its numbers blanked), how many runs gave it, and one full example.',
      { reason: string, count: integer, example: string },
      ['reason', 'count', 'example'],
    ),
  },
  inconclusiveOverBudget: {
    type: 'boolean',
    description: 'More inconclusive runs than the per-claim budget (1 % of runs) allows.',
  },
  error: ref('claimError'),
  seconds: { type: 'number', minimum: 0 },
  seed: integer,
  claimSeed: integer,
  worst: {
    ...nullable(ref('verdict')),
    description: 'The smallest margin over the passing runs (else the inconclusive ones, or the counterexample).',
  },
  counterexample: ref('counterexample'),
  replay: { ...string, description: 'The command that reproduces this result.' },
  data: { type: 'object', description: 'Plot data of the worst run (curves, figures).' },
  derivations: {
    type: 'array',
    items: ref('derivation'),
    description: 'The symbolic derivations linked to the claim (proofs/claim-proofs.ts).',
  },
};

const searchInstanceProps: Record<string, Schema> = {
  instance: { description: "The claim's summary of the instance." },
  verdict: nullable(ref('verdict')),
  error: string,
  recipe: { type: 'object', description: 'How to rebuild the instance (fast-check run, shrinks, latent draws).' },
  latent: { type: 'object' },
};

const defs: Record<string, Schema> = {
  number: {
    description: 'A number; ±Infinity and NaN are written as the strings "Infinity", "-Infinity", "NaN".',
    anyOf: [{ type: 'number' }, { enum: ['Infinity', '-Infinity', 'NaN'] }],
  },
  machine: object(
    'Where the report was made.',
    { node: string, platform: string, arch: string, cpus: integer, cpuModel: string },
    ['node', 'platform', 'arch', 'cpus'],
  ),
  source: object(
    'Where a claim comes from.',
    { paper: string, location: string, provenance: { enum: [...PROVENANCES] } },
    ['paper', 'location', 'provenance'],
  ),
  verdict: {
    ...object(
      "A check's verdict: a measured number against a bound, with the error model.",
      verdictProps,
      all(verdictProps).filter((k) => k !== 'data'),
    ),
    additionalProperties: false,
  },
  claimError: object(
    'Why a claim could not be run to a verdict.',
    {
      kind: { enum: [...ERROR_KINDS] },
      message: string,
      instance: { description: 'The instance it happened on, when known.' },
      path: { ...string, description: 'fast-check replay path.' },
    },
    ['kind', 'message'],
  ),
  counterexample: object(
    'The shrunk failing instance.',
    {
      instance: { description: "The claim's summary of the instance (its data, start point, …)." },
      verdict: nullable(ref('verdict')),
      error: { ...string, description: 'What the check threw.' },
      path: string,
      shrinks: integer,
    },
    ['instance', 'verdict', 'path', 'shrinks'],
  ),
  derivationStep: {
    ...object(
      'One line of a derivation: the rule applied and what it gave.',
      {
        rule: string,
        text: { ...string, description: 'Unicode text (Markdown `code` spans).' },
        latex: { ...string, description: 'LaTeX: math in $…$ or \\[…\\].' },
      },
      ['rule', 'text', 'latex'],
    ),
    additionalProperties: false,
  },
  derivation: object(
    'A symbolic proof of the claim: its steps, and whether they reduced lhs − rhs to 0.',
    {
      proof: { ...string, description: 'The proof id (`dlnv proofs --only ID`).' },
      statement: string,
      proved: { type: 'boolean', description: 'true only when it reduced to 0 and its cross-checks agreed.' },
      detail: string,
      steps: { type: 'array', items: ref('derivationStep') },
    },
    ['proof', 'statement', 'proved', 'detail', 'steps'],
  ),
  claim: object('One claim run with one seed.', claimProps, [
    'id',
    'title',
    'statement',
    'source',
    'provenance',
    'hypotheses',
    'tolerance',
    'expected',
    'observed',
    'status',
    'runs',
    'inconclusiveRuns',
    'seconds',
    'seed',
    'claimSeed',
    'worst',
    'replay',
  ]),
  plan: object(
    'What the run covered: claims × seeds with the run options (merge checks shards against it).',
    {
      claims: strings,
      seeds: { type: 'array', items: integer },
      runs: nullable(integer),
      runsScale: {
        type: 'integer',
        minimum: 2,
        description: '--runs-scale: each claim ran this multiple of its own default run count.',
      },
      budgetSeconds: nullable({ type: 'number', exclusiveMinimum: 0 }),
    },
    ['claims', 'seeds', 'runs', 'budgetSeconds'],
  ),
  shard: object(
    'Unit k of the plan belongs to shard (k mod count) + 1.',
    { index: { type: 'integer', minimum: 1 }, count: { type: 'integer', minimum: 1 } },
    ['index', 'count'],
  ),
  summary: object(
    'Counts over the claims.',
    { claims: integer, passed: integer, failed: integer, inconclusive: integer, errors: integer },
    ['claims', 'passed', 'failed', 'inconclusive', 'errors'],
  ),
  verifyReport: object(
    '`dlnv verify --json` (kind verify) and `dlnv merge --json` (kind merge).',
    {
      ...envelope(['verify', 'merge']),
      seed: integer,
      plan: ref('plan'),
      shard: ref('shard'),
      mergedFrom: { ...integer, description: 'How many reports a merge combined.' },
      summary: ref('summary'),
      claims: { type: 'array', items: ref('claim') },
    },
    ['$schema', 'reportVersion', 'kind', 'tool', 'toolVersion', 'timestamp', 'machine', 'seed', 'summary', 'claims'],
  ),
  searchInstance: object('An instance the search evaluated.', searchInstanceProps, ['instance', 'verdict', 'recipe']),
  search: object(
    'What a search did and found.',
    {
      id: string,
      title: string,
      statement: string,
      source: ref('source'),
      expected: { enum: ['holds', 'counterexample'] },
      found: { type: 'boolean' },
      status: {
        enum: ['pass', 'fail', 'error'],
        description:
          "'pass' when the outcome is the claim's expected one; 'error' when the claim's own code broke (see error).",
      },
      error: object("How the claim's own code broke.", { kind: { enum: [...ERROR_KINDS] }, message: string }, [
        'kind',
        'message',
      ]),
      seed: integer,
      claimSeed: integer,
      budget: object('The budget given.', { seconds: nullable({ type: 'number' }), evaluations: nullable(integer) }, [
        'seconds',
        'evaluations',
      ]),
      seconds: { type: 'number', minimum: 0 },
      evaluations: object(
        'Evaluations by phase.',
        {
          exploration: integer,
          targeted: integer,
          shrinking: integer,
          total: integer,
          toCounterexample: nullable(integer),
        },
        ['exploration', 'targeted', 'shrinking', 'total', 'toCounterexample'],
      ),
      foundBy: nullable({ enum: [...FOUND_BY] }),
      runsExplored: integer,
      localSearches: integer,
      latentDimension: integer,
      smallestMargin: nullable(ref('number')),
      counterexample: ref('searchInstance'),
      closest: ref('searchInstance'),
      data: { type: 'object' },
    },
    [
      'id',
      'source',
      'expected',
      'found',
      'status',
      'seed',
      'budget',
      'seconds',
      'evaluations',
      'foundBy',
      'smallestMargin',
    ],
  ),
  searchReport: object(
    '`dlnv search --json`.',
    {
      ...envelope(['search']),
      file: string,
      search: ref('search'),
      baseline: object(
        'fast-check alone on the same budget (--compare).',
        { found: { type: 'boolean' }, evaluations: integer, seconds: { type: 'number' } },
        ['found', 'evaluations', 'seconds'],
      ),
      replayFile: string,
    },
    ['$schema', 'reportVersion', 'kind', 'tool', 'toolVersion', 'timestamp', 'machine', 'search'],
  ),
  check: object(
    'One gate check over its instances.',
    {
      name: string,
      summary: string,
      status: { enum: [...CHECK_STATUSES] },
      instances: integer,
      inconclusive: integer,
      seconds: { type: 'number', minimum: 0 },
      worst: { ...ref('verdict'), description: 'The passing verdict with the smallest margin.' },
      worstInstance: integer,
      failure: object(
        'The first failing instance.',
        {
          instance: integer,
          seed: integer,
          summary: { type: 'object' },
          verdict: ref('verdict'),
          hint: string,
          replay: string,
        },
        ['instance', 'seed', 'summary', 'verdict', 'replay'],
      ),
      skipped: { ...string, description: 'Why the check did not run.' },
      unsupported: object(
        "Instances the implementation answered 'unsupported' for: skipped, not counted in instances.",
        { count: integer, reasons: { type: 'object', description: 'How many instances each reason was given for.' } },
        ['count', 'reasons'],
      ),
      error: string,
    },
    ['name', 'status', 'instances', 'inconclusive', 'seconds'],
  ),
  gateReport: object(
    '`dlnv gate --json`.',
    {
      ...envelope(['gate']),
      mode: { enum: ['implementation', 'trajectory'] },
      protocol: integer,
      command: string,
      file: string,
      implementation: { type: 'object', description: 'The handshake (see docs/protocol.schema.json, helloResponse).' },
      encoding: { enum: ['json', 'base64'] },
      seed: integer,
      runs: integer,
      errorModel: string,
      checks: { type: 'array', items: ref('check') },
      fault: object(
        'The fault that stopped the run (exit code 2).',
        { message: string, stderr: string, check: string, instance: integer, seed: integer },
        ['message', 'stderr'],
      ),
      requests: integer,
      msPerRequest: { type: 'number', minimum: 0 },
      instances: integer,
      seconds: { type: 'number', minimum: 0 },
      status: { enum: [...GATE_STATUSES] },
      exitCode: { enum: [0, 1, 2] },
    },
    [
      '$schema',
      'reportVersion',
      'kind',
      'tool',
      'toolVersion',
      'timestamp',
      'machine',
      'mode',
      'protocol',
      'checks',
      'requests',
      'instances',
      'seconds',
      'status',
      'exitCode',
    ],
  ),
};

function envelope(kinds: readonly ReportKind[]): Record<string, Schema> {
  return {
    $schema: { const: REPORT_SCHEMA_ID, description: 'This schema (docs/report.schema.json).' },
    reportVersion: { const: REPORT_VERSION },
    kind: kinds.length === 1 ? { const: kinds[0] } : { enum: [...kinds] },
    tool: { const: 'dlnv' },
    toolVersion: { ...string, description: "dlnv's package version." },
    timestamp: { ...string, description: 'When the report was written, ISO 8601 UTC.' },
    machine: ref('machine'),
  };
}

export const reportSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: REPORT_SCHEMA_ID,
  title: `dlnv JSON reports, version ${REPORT_VERSION}`,
  description:
    'Every report `dlnv verify|merge|search|gate --json` writes, told apart by `kind`. Numbers that are not finite are strings. ' +
    'Generated from src/report/schema.ts; a test keeps this file equal to it.',
  anyOf: [ref('verifyReport'), ref('searchReport'), ref('gateReport')],
  $defs: defs,
};

/** docs/report.schema.json, byte for byte. */
export function reportSchemaText(): string {
  return `${JSON.stringify(reportSchema, null, 2)}\n`;
}

/** The first problem of a parsed report (as JSON.parse gives it, non-finite numbers still strings), or undefined. */
export function reportProblem(
  value: unknown,
  def?: 'verifyReport' | 'searchReport' | 'gateReport',
): string | undefined {
  return validate(reportSchema, value, def);
}
