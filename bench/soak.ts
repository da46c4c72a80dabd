// `npm run soak`: the whole catalogue over many seeds and larger run counts, to find every false alarm.
//
// Two phases, each run through the compiled CLI as a user runs it (`dlnv verify --seeds … --workers N --json`),
// a chunk of seeds at a time so progress shows and memory stays flat:
//   default  every claim with its own run count on --seeds (default 1-200)
//   scaled   every claim with --runs-scale (default 10×) on --scaled-seeds (default 1-20)
// Chunks are 50 seeds (~28 MB of report JSON) because every process and worker thread warms up (JIT) anew. Measured
// in CPU seconds on the catalogue, one thread: seed 1 alone 22.2 s, after seed 3 10.0 s (29.2 − 19.2); soak of seeds
// 1-10 on 2 workers: 116 s with 5-seed chunks, 98 s with one 10-seed chunk. With 10-seed chunks the 200-seed soak
// started 20 processes (40 worker warm-ups), now 4.
// The summary (per phase and claim: units, passed, failed with their replay lines, undecided, errored, runs,
// inconclusive runs with their reasons, worst margin, seconds) goes to bench/soak.json with the command that
// produced it and its wall time. Exit 1 when any claim missed its expected outcome (a false alarm, or a FALSE
// variant not refuted), errored, or was undecided.
//
// Options: --seeds LIST (or 'none'), --scaled-seeds LIST (or 'none'), --scale K, --workers N (default: one per CPU),
// --chunk N (seeds per verify run, default 50), --claims GLOB (repeatable), --out FILE (default bench/soak.json).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSeeds } from '../src/claims/plan.js';
import type { ClaimReport } from '../src/claims/runner.js';
import { writeFileAtomic } from '../src/cli/output-file.js';
import { finiteReplacer, finiteReviver } from '../src/report/json.js';

interface Options {
  seeds: string;
  scaledSeeds: string;
  scale: number;
  workers: number;
  chunk: number;
  claims: string[];
  out: string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    seeds: '1-200',
    scaledSeeds: '1-20',
    scale: 10,
    workers: cpus().length,
    chunk: 50,
    claims: [],
    out: join(root, 'bench', 'soak.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i],
      v = argv[i + 1];
    if (a === '--seeds') o.seeds = v;
    else if (a === '--scaled-seeds') o.scaledSeeds = v;
    else if (a === '--scale') o.scale = Number(v);
    else if (a === '--workers') o.workers = Number(v);
    else if (a === '--chunk') o.chunk = Number(v);
    else if (a === '--claims') o.claims.push(v);
    else if (a === '--out') o.out = v;
    else throw new Error(`soak: unknown option '${a}' (see the head of bench/soak.ts)`);
    i++;
  }
  return o;
}

/** What one claim did over all the seeds of one phase. */
interface ClaimSoak {
  id: string;
  provenance: string;
  expected: string;
  units: number;
  passed: number;
  failed: { seed: number; observed: string; replay: string; detail: string }[];
  undecided: number[];
  errored: { seed: number; message: string; replay: string }[];
  runs: number;
  inconclusiveRuns: number;
  inconclusiveShare: number;
  reasons: Record<string, number>;
  worstMargin: number | null;
  seconds: number;
}

function tally(into: Map<string, ClaimSoak>, r: ClaimReport): void {
  const c = into.get(r.id) ?? {
    id: r.id,
    provenance: r.provenance,
    expected: r.expected,
    units: 0,
    passed: 0,
    failed: [],
    undecided: [],
    errored: [],
    runs: 0,
    inconclusiveRuns: 0,
    inconclusiveShare: 0,
    reasons: {},
    worstMargin: null,
    seconds: 0,
  };
  into.set(r.id, c);
  c.units++;
  c.runs += r.runs;
  c.inconclusiveRuns += r.inconclusiveRuns;
  c.inconclusiveShare = c.runs ? c.inconclusiveRuns / c.runs : 0;
  c.seconds += r.seconds;
  for (const reason of r.inconclusiveReasons ?? [])
    c.reasons[reason.reason] = (c.reasons[reason.reason] ?? 0) + reason.count;
  if (r.status === 'pass') c.passed++;
  else if (r.status === 'fail')
    c.failed.push({
      seed: r.seed,
      observed: r.observed,
      replay: r.replay,
      detail: r.counterexample?.verdict?.detail ?? r.worst?.detail ?? '',
    });
  else if (r.status === 'inconclusive') c.undecided.push(r.seed);
  else c.errored.push({ seed: r.seed, message: r.error?.message ?? r.observed, replay: r.replay });
  if (r.observed === 'holds' && r.worst && (c.worstMargin === null || r.worst.margin < c.worstMargin))
    c.worstMargin = r.worst.margin;
}

function chunks(seeds: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < seeds.length; k += size) out.push(seeds.slice(k, k + size));
  return out;
}

function runPhase(
  name: string,
  seeds: number[],
  extra: string[],
  o: Options,
  scratch: string,
): { claims: ClaimSoak[]; seconds: number; command: string } {
  const claims = new Map<string, ClaimSoak>();
  const started = performance.now();
  const claimArgs = o.claims.flatMap((g) => ['--claims', g]);
  const command =
    `dlnv verify --seeds ${seeds.length ? `${seeds[0]}-${seeds[seeds.length - 1]}` : ''} ${[...extra, ...claimArgs].join(' ')} --workers ${o.workers}`.replace(
      / +/g,
      ' ',
    );
  for (const [k, part] of chunks(seeds, o.chunk).entries()) {
    const file = join(scratch, `${name}-${k}.json`);
    const args = [
      join(root, 'bin', 'dlnv.js'),
      'verify',
      '--seeds',
      part.join(','),
      ...extra,
      ...claimArgs,
      '--workers',
      String(o.workers),
      '--json',
      file,
    ];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status === 2 || run.error)
      throw new Error(`soak: ${name}: verify failed to run: ${run.stderr || run.error?.message}`);
    const report = JSON.parse(readFileSync(file, 'utf8'), finiteReviver) as { claims: ClaimReport[] };
    for (const r of report.claims) tally(claims, r);
    const bad = [...claims.values()].reduce((n, c) => n + c.failed.length + c.errored.length + c.undecided.length, 0);
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `soak ${name}: seeds ${part[0]}–${part[part.length - 1]} done (${Math.min((k + 1) * o.chunk, seeds.length)}/${seeds.length}), ${elapsed.toFixed(0)} s, ${bad} unexpected so far`,
    );
  }
  return { claims: [...claims.values()], seconds: (performance.now() - started) / 1000, command };
}

function main(): number {
  const o = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), 'dlnv-soak-'));
  const started = performance.now();
  try {
    const phases: Record<string, ReturnType<typeof runPhase>> = {};
    if (o.seeds !== 'none') phases.default = runPhase('default', parseSeeds(o.seeds), [], o, scratch);
    if (o.scaledSeeds !== 'none')
      phases.scaled = runPhase('scaled', parseSeeds(o.scaledSeeds), ['--runs-scale', String(o.scale)], o, scratch);
    const unexpected = Object.entries(phases).flatMap(([phase, p]) =>
      p.claims
        .filter((c) => c.failed.length || c.errored.length || c.undecided.length)
        .map((c) => ({
          phase,
          id: c.id,
          expected: c.expected,
          failed: c.failed,
          errored: c.errored,
          undecided: c.undecided,
        })),
    );
    const overBudget = Object.entries(phases).flatMap(([phase, p]) =>
      p.claims.filter((c) => c.inconclusiveShare > 0.01).map((c) => ({ phase, id: c.id, share: c.inconclusiveShare })),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = {
      command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      options: o.out === join(root, 'bench', 'soak.json') ? { ...o, out: 'bench/soak.json' } : { ...o, out: undefined },
      wallSeconds,
      unexpected,
      inconclusiveOverBudget: overBudget,
      phases,
    };
    writeFileAtomic(o.out, `${JSON.stringify(summary, finiteReplacer, 2)}\n`);
    console.log(
      `soak: ${unexpected.length} claim${unexpected.length === 1 ? '' : 's'} with an unexpected outcome, ${overBudget.length} over the 1 % inconclusive budget; ${wallSeconds.toFixed(0)} s; summary in ${o.out}`,
    );
    return unexpected.length ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (e) {
  // A bad option or a verify that could not run: one line, not a stack trace.
  console.error(`soak: ${e instanceof Error ? e.message.replace(/^soak: /, '') : String(e)}`);
  process.exitCode = 2;
}
