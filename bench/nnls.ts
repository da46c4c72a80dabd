// `npm run bench:nnls`: dlnv's Lawson–Hanson against scipy.optimize.nnls (issue 20, item 3), on the committed problem
// set (bench/lib/nnls-problems.ts; the same problems test/nnls/scipy-fixtures.test.ts checks for correctness).
//
// Both sides time their own loop in their own language, in the same session: per problem, a loop of k calls with k
// doubled until one round takes ≥ 20 ms of CPU, then the median over 5 rounds of (round time)/k. The passes alternate —
// dlnv, SciPy, dlnv, SciPy — and each side's figure is the smaller of its two medians, so both see comparable machine
// load. CPU time is the figure (other jobs share this 2-core machine; wall time is recorded too), one thread each. SciPy runs in test/fixtures/reference/nnls_scipy.py (`time` mode), which rebuilds the problems from the same
// specification; the SHA-256 of every problem is compared so the two sides provably solved the same inputs. The
// objective agreement (dlnv's f over SciPy's, beyond round-off) is recorded too. Results: bench/nnls-results.json.
//
// Options: --min-seconds S (per round, default 0.02), --no-write.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { lawsonHanson } from '../src/nnls/lawson-hanson.js';
import { leastSquaresProblem, objective } from '../src/nnls/problem.js';
import { buildNnlsProblem, type NnlsProblem, nnlsProblemSpecs, problemDigest } from './lib/nnls-problems.js';
import { repoRoot } from './lib/repo-root.js';
import { formatSeconds, summarize } from './lib/stats.js';

interface ScipyTimes {
  scipy: string;
  times: { id: string; sha256: string; cpuSeconds: number; wallSeconds: number; calls: number }[];
}

function pythonWithScipy(): string | undefined {
  for (const c of [process.env.DLNV_BENCH_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!c) continue;
    if (spawnSync(c, ['-c', 'import scipy.optimize'], { encoding: 'utf8', timeout: 30_000 }).status === 0) return c;
  }
  return undefined;
}

interface Timing {
  readonly cpu: number;
  readonly wall: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Median over 5 rounds of the per-call CPU and wall time of a loop long enough to take ≥ minSeconds of CPU. */
function timeDlnv(p: NnlsProblem, minSeconds: number): Timing {
  const run = (): void => void lawsonHanson(p.A, p.b);
  run();
  let k = 1;
  for (;;) {
    const c0 = cpuSeconds();
    for (let i = 0; i < k; i++) run();
    if (cpuSeconds() - c0 >= minSeconds) break;
    k *= 2;
  }
  const cpu: number[] = [],
    wall: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now(),
      c0 = cpuSeconds();
    for (let i = 0; i < k; i++) run();
    cpu.push((cpuSeconds() - c0) / k);
    wall.push((performance.now() - t0) / 1e3 / k);
  }
  return { cpu: summarize(cpu).median, wall: summarize(wall).median };
}

function timeScipy(python: string, script: string, minSeconds: number): ScipyTimes {
  // One BLAS thread, as dlnv's solver is single-threaded.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(python, [script, 'time', String(minSeconds)], { encoding: 'utf8', maxBuffer: 64 << 20, env });
  if (r.status !== 0) throw new Error(`bench: ${script} time failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ScipyTimes;
}

function main(): void {
  const argv = process.argv.slice(2);
  let minSeconds = 0.02,
    write = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--min-seconds') minSeconds = Number(argv[++i]);
    else if (argv[i] === '--no-write') write = false;
    else throw new Error(`bench:nnls: unknown option ${argv[i]} (--min-seconds S, --no-write)`);
  }
  const root = repoRoot();
  const script = join(root, 'test', 'fixtures', 'reference', 'nnls_scipy.py');
  const python = pythonWithScipy();
  if (!python) throw new Error('bench:nnls needs a python3 with SciPy (apt-get install python3-scipy)');
  const problems = nnlsProblemSpecs().map(buildNnlsProblem);
  const digests = problems.map(problemDigest);
  const load = [loadavg()[0]];
  const dlnvPasses: Timing[][] = [],
    scipyPasses: ScipyTimes[] = [];
  for (let pass = 0; pass < 2; pass++) {
    dlnvPasses.push(problems.map((p) => timeDlnv(p, minSeconds)));
    scipyPasses.push(timeScipy(python, script, minSeconds));
    load.push(loadavg()[0]);
  }
  const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'reference', 'nnls-scipy.json'), 'utf8')) as {
    problems: { scipy: { x: number[] } }[];
  };
  const rows = problems.map((p, k) => {
    for (const s of scipyPasses) {
      if (s.times[k].sha256 !== digests[k])
        throw new Error(`bench:nnls: SciPy solved a different problem ${p.spec.id}`);
    }
    const best = (xs: number[]): number => Math.min(...xs);
    const dlnv = { cpu: best(dlnvPasses.map((d) => d[k].cpu)), wall: best(dlnvPasses.map((d) => d[k].wall)) };
    const scipy = {
      cpu: best(scipyPasses.map((s) => s.times[k].cpuSeconds)),
      wall: best(scipyPasses.map((s) => s.times[k].wallSeconds)),
    };
    const problem = leastSquaresProblem(p.A, p.b);
    const f = lawsonHanson(p.A, p.b).objective,
      fs = objective(problem, fixture.problems[k].scipy.x);
    return {
      id: p.spec.id,
      m: p.spec.m,
      n: p.spec.n,
      dlnvCpuSeconds: dlnv.cpu,
      scipyCpuSeconds: scipy.cpu,
      ratio: scipy.cpu / dlnv.cpu,
      dlnvWallSeconds: dlnv.wall,
      scipyWallSeconds: scipy.wall,
      wallRatio: scipy.wall / dlnv.wall,
      objective: f,
      scipyObjective: fs,
    };
  });
  const groups = {
    all: rows,
    'n ≤ 20': rows.filter((r) => r.n <= 20),
    '60 ≤ n ≤ 100': rows.filter((r) => r.n >= 60 && r.n <= 100),
    'n = 500': rows.filter((r) => r.n === 500),
  };
  const summary = Object.fromEntries(
    Object.entries(groups).map(([name, rs]) => {
      const s = summarize(rs.map((r) => r.ratio));
      const w = summarize(rs.map((r) => r.wallRatio));
      return [
        name,
        { problems: rs.length, medianRatio: s.median, minRatio: s.min, maxRatio: s.max, medianWallRatio: w.median },
      ];
    }),
  );
  console.log(
    'NNLS: SciPy CPU time / dlnv CPU time (> 1: dlnv faster), per problem the better of two alternating passes',
  );
  for (const [name, s] of Object.entries(summary)) {
    console.log(
      `  ${name.padEnd(14)} ${String(s.problems).padStart(3)} problems  median ${s.medianRatio.toFixed(2)}×  ` +
        `[${s.minRatio.toFixed(2)}, ${s.maxRatio.toFixed(2)}]  (wall-time median ${s.medianWallRatio.toFixed(2)}×)`,
    );
  }
  for (const r of rows.filter((q) => q.n >= 100)) {
    console.log(
      `  ${r.id.padEnd(26)} dlnv ${formatSeconds(r.dlnvCpuSeconds).padStart(9)}  SciPy ${formatSeconds(r.scipyCpuSeconds).padStart(9)}  ${r.ratio.toFixed(2)}×`,
    );
  }
  const results = {
    generated: new Date().toISOString(),
    command: 'npm run bench:nnls',
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg1: load },
    reference: `scipy.optimize.nnls ${scipyPasses[0].scipy} (maxiter = 50n), timed in Python by nnls_scipy.py time`,
    method:
      `per problem: median over 5 rounds of a loop taking ≥ ${minSeconds} s of CPU; the better of two alternating passes ` +
      'per side; ratio = SciPy CPU time / dlnv CPU time (the figure on a shared machine), wallRatio likewise; one thread each',
    summary,
    problems: rows,
  };
  if (write) writeFileSync(join(root, 'bench', 'nnls-results.json'), `${JSON.stringify(results, null, 1)}\n`);
}

main();
