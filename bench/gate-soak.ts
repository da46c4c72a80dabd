// `npm run soak:gate`: the gate against the correct adapters over many instances (no false alarm may appear), and
// against every deliberately wrong fixture (each must be caught by its default run), recorded in bench/gate-soak.json.
//
// Correct: examples/numpy_dln.py in float64 (--runs R at seeds 2, 3) and float32 (seed 4), examples/torch_dln.py in
// float64 and float32 (--runs R/5) when torch imports; each run includes the large family (every tenth instance).
// Wrong: every test/fixtures/*.py whose docstring starts WRONG ON PURPOSE (and the correct fixtures made wrong by an
// argument: a convention declared wrongly, an unbalanced random start), with the default runs and seed: the check that caught
// it, at which instance, how far over its bound, and the hint. Exit 1 on any false alarm or fault, or any fixture
// not caught. Also the protocol's own cost per request (pipes, JSON both ways, validation) against
// test/fixtures/echo.py, which does no work. Options: --runs R (default 1000), --out FILE (default bench/gate-soak.json).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_GATE_RUNS, DEFAULT_GATE_SEED } from '../src/cli/gate.js';
import { writeFileAtomic } from '../src/cli/output-file.js';
import { GateClient } from '../src/gate/client.js';
import { type GateReport, runGate, shellQuote } from '../src/gate/runner.js';
import { Matrix } from '../src/linalg/matrix.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1] : fallback;
const runs = Number(option('--runs', '1000'));
const out = option('--out', join(root, 'bench', 'gate-soak.json'));

function python(...modules: string[]): string | undefined {
  return ['python3', '/usr/bin/python3'].find(
    (p) => spawnSync(p, ['-c', modules.map((m) => `import ${m}`).join(';')]).status === 0,
  );
}
const command = (py: string, file: string, ...rest: string[]): string => [py, file, ...rest].map(shellQuote).join(' ');
const gate = (impl: string, r: number, seed: number): Promise<GateReport> =>
  runGate({ command: impl, runs: r, seed, timeoutMs: 60_000, startupTimeoutMs: 120_000, cwd: root });

const started = performance.now();
const numpy = python('numpy'),
  torch = python('numpy', 'torch');
if (!numpy) throw new Error('gate soak: no python3 with numpy');
process.env.PYTHONDONTWRITEBYTECODE = '1';

const correct: [string, string, number, number][] = [
  ['numpy_dln.py float64', command(numpy, join(root, 'examples', 'numpy_dln.py')), runs, 2],
  ['numpy_dln.py float64', command(numpy, join(root, 'examples', 'numpy_dln.py')), runs, 3],
  ['numpy_dln.py float32', command(numpy, join(root, 'examples', 'numpy_dln.py'), '--float32'), runs, 4],
  ...(torch
    ? ([
        ['torch_dln.py float64', command(torch, join(root, 'examples', 'torch_dln.py')), runs / 5, 2],
        ['torch_dln.py float32', command(torch, join(root, 'examples', 'torch_dln.py'), '--float32'), runs / 5, 2],
      ] as [string, string, number, number][])
    : []),
];

const adapters = [];
let falseAlarms = 0,
  instances = 0,
  large = 0;
for (const [label, impl, r, seed] of correct) {
  const t0 = performance.now();
  const report = await gate(impl, r, seed);
  const bad = report.checks.filter((c) => c.status !== 'pass');
  falseAlarms += bad.length + (report.fault ? 1 : 0);
  instances += report.instances;
  large += report.checks.reduce((s, c) => s + Math.floor((c.instances + 1) / 10), 0);
  const row = {
    adapter: label,
    runs: r,
    seed,
    instances: report.instances,
    status: report.status,
    requests: report.requests,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    problems: bad.map(
      (c) =>
        `${c.name}: ${c.status} ${c.failure?.verdict.detail ?? c.error ?? c.skipped ?? ''} ${c.failure?.replay ?? ''}`,
    ),
    ...(report.fault ? { fault: report.fault.message } : {}),
    worstMeasuredOverBound: Object.fromEntries(
      report.checks.flatMap((c) =>
        c.worst && c.worst.comparison === '<='
          ? [[c.name, Number((c.worst.measured / c.worst.bound).toPrecision(3))]]
          : [],
      ),
    ),
    inconclusive: Object.fromEntries(
      report.checks.filter((c) => c.inconclusive > 0).map((c) => [c.name, c.inconclusive]),
    ),
  };
  adapters.push(row);
  console.log(
    `${label} seed ${seed} runs ${r}: ${report.instances} instances, ${report.status}, ${row.seconds} s${bad.length ? ` — ${row.problems.join('; ')}` : ''}`,
  );
}

// Every fixture that is wrong as started (its docstring says so), and the correct ones made wrong by an argument.
const dir = join(root, 'test', 'fixtures');
const wrong: string[][] = [
  ...readdirSync(dir)
    .filter((f) => f.endsWith('.py') && readFileSync(join(dir, f), 'utf8').startsWith('"""WRONG ON PURPOSE'))
    .sort()
    .map((f) => [f]),
  ['conventions.py', 'mean_entries', 'none', 'rows', '--declare', 'mean'],
  ['conventions.py', 'half', 'none', 'columns', '--declare', 'half:canonical'],
  ['conventions.py', 'mean_entries', 'canonical', 'rows', '--factor', '0.5', '--declare', 'mean_entries'],
  ['random_init.py', '--unbalanced'],
];
const fixtures = [];
let missed = 0;
for (const [file, ...rest] of wrong) {
  const report = await gate(command(numpy, join(dir, file), ...rest), DEFAULT_GATE_RUNS, DEFAULT_GATE_SEED);
  const first = report.checks.find((c) => c.status === 'fail');
  if (!first) missed++;
  const f = first?.failure;
  const row = {
    fixture: [file, ...rest].join(' '),
    caught: first !== undefined,
    by: first?.name,
    instance: f?.instance,
    family: f?.summary.family,
    measuredOverBound:
      f && f.verdict.comparison === '<=' ? Number((f.verdict.measured / f.verdict.bound).toPrecision(2)) : undefined,
    failing: report.checks.filter((c) => c.status === 'fail').map((c) => c.name),
    hint: f?.hint,
  };
  fixtures.push(row);
  console.log(`${row.fixture}: ${first ? `caught by ${first.name} at instance ${f!.instance}` : 'NOT CAUGHT'}`);
}

/** Milliseconds per round trip of a small loss request to a Python process that does no work (after a warm-up). */
async function protocolMsPerRequest(requests = 1000): Promise<number> {
  const client = await GateClient.connect(command(numpy!, join(dir, 'echo.py')), {
    timeoutMs: 10_000,
    startupTimeoutMs: 60_000,
  });
  const w = [
    Matrix.from([
      [0.5, -1],
      [2, 0.25],
    ]),
    Matrix.from([[1, 3]]),
  ];
  const data = {
    X: Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]),
    Y: Matrix.from([[1, 0, -1]]),
  };
  try {
    for (let i = 0; i < 50; i++) await client.loss([w], data, 0);
    const t0 = performance.now();
    for (let i = 0; i < requests; i++) await client.loss([w], data, 0);
    return (performance.now() - t0) / requests;
  } finally {
    await client.close();
  }
}
const protocolMs = Number((await protocolMsPerRequest()).toPrecision(2));
console.log(`protocol overhead: ${protocolMs} ms per request (test/fixtures/echo.py)`);

const seconds = (performance.now() - started) / 1000;
const summary = {
  command: `npm run soak:gate -- --runs ${runs}`,
  date: new Date().toISOString(),
  seconds: Number(seconds.toFixed(0)),
  instances,
  largeFamilyInstancesAtLeast: large,
  falseAlarms,
  fixturesMissed: missed,
  protocolMsPerRequest: protocolMs,
  adapters,
  fixtures,
};
writeFileAtomic(out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `gate soak: ${instances} instances on correct adapters, ${falseAlarms} false alarms; ${fixtures.length - missed} of ${fixtures.length} wrong fixtures caught; ${seconds.toFixed(0)} s → ${out}`,
);
process.exitCode = falseAlarms > 0 || missed > 0 ? 1 : 0;
