// `npm run bench`: dlnv against a NumPy implementation of the same work (issue 9), measured side by side.
//
// For every workload (bench/workloads.ts) both sides start from the same seeded instance, run the same algorithm
// for the same number of steps in float64, and report results that must agree (checked, to round-off). The NumPy
// side (bench/numpy/) runs in a child process driven line by line, so repeats are INTERLEAVED — dlnv, NumPy,
// NumPy, dlnv, … — and both see the same machine load. Each figure is the median over the repeats, with
// [min, max] as the spread; ratios are NumPy time / dlnv time (higher is better for dlnv), from the medians and
// per interleaved pair. Wall-clock time is the figure; CPU time (process.cpuUsage / time.process_time) is
// recorded too, because other jobs share this 2-core machine. Threads: dlnv runs as a user gets it — large products
// on two threads (the calling one and its helper, src/wasm/helper-thread.ts) — unless --dlnv-threads 1; NumPy's BLAS
// is pinned to one thread (OPENBLAS_NUM_THREADS=1, verified through openblas_get_num_threads) unless
// --numpy-threads says otherwise. The machine load (/proc/loadavg) is recorded around every workload.
//
// Options: --repeats N (default per workload: 15 for the shortest, 5 for the longest), --quick (3 repeats), --only W1,W3 (groups or
// ids), --w5 (also time `dlnv verify` ×3 and `npm test` ×1 — about two minutes), --numpy-threads T, --dlnv-threads T,
// --no-profile (skip the CPU profile of each missed target), --no-write (do not rewrite bench/results.json).
// For every workload that misses its target, one more dlnv run is recorded with V8's CPU profiler (what
// `node --cpu-prof` records); the top functions go into results.json, the .cpuprofile into the temp directory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix } from '../src/linalg/matrix.js';
import { multiplyInto } from '../src/linalg/products.js';
import { Arena, helperStatus, productThreadSetting, setProductThreads, wasmAvailable } from '../src/wasm/runtime.js';
import { gemmWorkBytes } from '../src/wasm/gemm.js';
import { nativeKernel } from '../src/wasm/native-gemm.js';
import { Rng } from '../src/random/rng.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { NumpyServer, findPython, type NumpyInfo, type NumpyRun } from './lib/numpy.js';
import { formatSeconds, summarize, type Spread } from './lib/stats.js';
import { profile, type ProfileSummary } from './lib/profile.js';
import { repoRoot } from './lib/repo-root.js';
import { w1, w2, w3, w4, type Results, type Workload } from './workloads.js';

interface Options {
  repeats?: number;
  only?: string[];
  w5: boolean;
  profile: boolean;
  numpyThreads: number;
  dlnvThreads?: 1 | 2;
  write: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { w5: false, profile: true, numpyThreads: 1, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repeats') o.repeats = Number(argv[++i]);
    else if (a === '--quick') o.repeats = 3;
    else if (a === '--only') o.only = argv[++i].split(',').map((s) => s.trim().toLowerCase());
    else if (a === '--w5') o.w5 = true;
    else if (a === '--numpy-threads') o.numpyThreads = Number(argv[++i]);
    else if (a === '--dlnv-threads') {
      const t = argv[++i];
      if (t !== '1' && t !== '2') throw new Error('bench: --dlnv-threads takes 1 or 2');
      o.dlnvThreads = t === '1' ? 1 : 2;
    }
    else if (a === '--no-write') o.write = false;
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--help' || a === '-h') {
      console.log('npm run bench -- [--repeats N | --quick] [--only W1,W2,...] [--w5] [--numpy-threads T] [--dlnv-threads 1|2] [--no-profile] [--no-write]');
      process.exit(0);
    } else throw new Error(`bench: unknown option ${a}`);
  }
  if (o.repeats !== undefined && !(Number.isInteger(o.repeats) && o.repeats >= 1)) throw new Error('bench: --repeats needs an integer ≥ 1');
  return o;
}

function load(): { loadavg: number[]; proc?: string } {
  let proc: string | undefined;
  try {
    proc = readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    proc = undefined;
  }
  return { loadavg: loadavg().map((x) => Number(x.toFixed(2))), ...(proc ? { proc } : {}) };
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Timed {
  wall: number;
  cpu: number;
  result: Results;
}

function timeDlnv(run: () => Results): Timed {
  const c0 = cpuSeconds(), w0 = performance.now();
  const result = run();
  const wall = (performance.now() - w0) / 1000, cpu = cpuSeconds() - c0;
  return { wall, cpu, result };
}

interface Agreement {
  readonly ok: boolean;
  readonly worst: number;
  readonly detail: Record<string, { dlnv: number; numpy: number; relative: number }>;
}

function agree(w: Workload, a: Results, b: Results): Agreement {
  const detail: Agreement['detail'] = {};
  let worst = 0;
  for (const key of w.agreement.keys) {
    const x = a[key], y = b[key];
    const rel = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
    detail[key] = { dlnv: x, numpy: y, relative: rel };
    worst = Math.max(worst, Number.isNaN(rel) ? Infinity : rel);
  }
  return { ok: worst <= w.agreement.rtol, worst, detail };
}

interface WorkloadReport {
  id: string;
  /** The first (cold) dlnv run, before the warm-up: JIT compilation included. */
  coldSeconds: number;
  group: string;
  description: string;
  repeats: number;
  dlnv: { wall: Spread; cpu: Spread };
  numpy: { wall: Spread; cpu: Spread } | null;
  /** NumPy median / dlnv median (wall, CPU) and the paired per-repeat wall ratios. */
  ratio: { wall: number; cpu: number; paired: Spread } | null;
  target: number | null;
  met: boolean | null;
  gflops: { dlnv: number; numpy: number | null } | null;
  rate: { unit: string; dlnv: number; numpy: number | null; target: number | null; met: boolean | null } | null;
  agreement: (Agreement & { rtol: number; why: string }) | null;
  results: { dlnv: Results; numpy: Results | null };
  /** Chunks of two-thread products the helper thread computed during this workload's runs (0: one thread). */
  helperChunks: number;
  /** Large products the automatic thread choice ran on one thread and on two (src/wasm/thread-chooser.ts). */
  autoProducts: { alone: number; shared: number };
  /** For a missed target: where dlnv's time goes (one extra run under the CPU profiler). */
  profile?: ProfileSummary;
  load: { start: ReturnType<typeof load>; end: ReturnType<typeof load> };
}

async function runWorkload(w: Workload, repeats: number, dir: string, numpy: NumpyServer | undefined): Promise<WorkloadReport> {
  const start = load();
  const { chunks: helped, alone, shared } = helperStatus();
  const { dlnv, numpy: request } = w.setup(dir);
  process.stdout.write(`  ${w.id.padEnd(22)} warm-up`);
  // dlnv runs until V8 has optimized the code it will keep: at least 1 s of warm-up (or 30 runs), because the
  // first runs of a short workload carry compilation (measured: d = 4 takes 15–75 ms cold, 4 ms steady).
  // NumPy has nothing to warm but its caches: one run.
  const cold = timeDlnv(dlnv);
  let lastDlnv = cold;
  for (let runs = 1, spent = cold.wall; spent < 1 && runs < 30; runs++) {
    lastDlnv = timeDlnv(dlnv);
    spent += lastDlnv.wall;
  }
  let lastNumpy: NumpyRun | undefined = numpy ? await numpy.run(request.workload, request.args) : undefined;
  const d: Timed[] = [], n: NumpyRun[] = [];
  for (let r = 0; r < repeats; r++) {
    process.stdout.write(` ${r + 1}`);
    // Alternate which side goes first, so a slow drift in the load favours neither.
    if (r % 2 === 1 && numpy) n.push(await numpy.run(request.workload, request.args));
    d.push(timeDlnv(dlnv));
    if (r % 2 === 0 && numpy) n.push(await numpy.run(request.workload, request.args));
  }
  process.stdout.write('\n');
  lastDlnv = d[d.length - 1] ?? lastDlnv;
  lastNumpy = n[n.length - 1] ?? lastNumpy;
  const dl = { wall: summarize(d.map((t) => t.wall)), cpu: summarize(d.map((t) => t.cpu)) };
  const np = numpy ? { wall: summarize(n.map((t) => t.wall)), cpu: summarize(n.map((t) => t.cpu)) } : null;
  const ratio = np ? { wall: np.wall.median / dl.wall.median, cpu: np.cpu.median / dl.cpu.median, paired: summarize(n.map((t, i) => t.wall / d[i].wall)) } : null;
  const agreement = lastNumpy ? { ...agree(w, lastDlnv.result, lastNumpy.result), rtol: w.agreement.rtol, why: w.agreement.why } : null;
  const rate = w.rate
    ? {
        unit: w.rate.unit,
        dlnv: w.rate.count / dl.wall.median,
        numpy: np ? w.rate.count / np.wall.median : null,
        target: w.rate.target ?? null,
        met: w.rate.target === undefined ? null : w.rate.count / dl.wall.median >= w.rate.target,
      }
    : null;
  return {
    id: w.id,
    coldSeconds: cold.wall,
    group: w.group,
    description: w.description,
    repeats,
    dlnv: dl,
    numpy: np,
    ratio,
    target: w.target ?? null,
    met: w.target === undefined || !ratio ? null : ratio.wall >= w.target,
    gflops: w.flops > 0 ? { dlnv: w.flops / dl.wall.median / 1e9, numpy: np ? w.flops / np.wall.median / 1e9 : null } : null,
    rate,
    agreement,
    results: { dlnv: lastDlnv.result, numpy: lastNumpy?.result ?? null },
    helperChunks: helperStatus().chunks - helped,
    autoProducts: { alone: helperStatus().alone - alone, shared: helperStatus().shared - shared },
    load: { start, end: load() },
  };
}

interface GemmRate {
  d: number;
  best: number;
  median: number;
  min: number;
}

/** GFLOP/s of `kernel` (2d³ FLOPs per call): calls calibrated to ~20 ms per repeat, 15 repeats, best and median. */
function rate(d: number, kernel: () => void): GemmRate {
  const warmEnd = performance.now() + 100;
  let calls = 0;
  while (performance.now() < warmEnd) {
    kernel();
    calls++;
  }
  const perRepeat = Math.max(1, Math.round(calls / 5));
  const rates: number[] = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (let i = 0; i < perRepeat; i++) kernel();
    rates.push((2 * d ** 3 * perRepeat) / ((performance.now() - t0) / 1000) / 1e9);
  }
  const s = summarize(rates);
  return { d, best: s.max, median: s.median, min: s.min };
}

type GemmSection = { dlnv: GemmRate[]; dlnvArena: GemmRate[]; dlnvArenaTwoThreads: GemmRate[]; numpy: GemmRate[]; numpyPeak: GemmRate | null };

async function gemmSection(numpy: NumpyServer | undefined): Promise<GemmSection> {
  const rng = new Rng(2024);
  const sizes = [4, 16, 64, 128];
  const dlnv: GemmRate[] = [], dlnvArena: GemmRate[] = [], dlnvArenaTwoThreads: GemmRate[] = [], np: GemmRate[] = [];
  for (const d of sizes) {
    const a = gaussianMatrix(rng, d, d), b = gaussianMatrix(rng, d, d), out = new Matrix(d, d);
    dlnv.push(rate(d, () => multiplyInto(out, a, b)));
    if (wasmAvailable()) {
      // Operands already in WebAssembly memory, as the dynamics' fields keep them: the kernel without copies, on
      // one thread, and on two in a parallel arena (products from PARALLEL_MIN_WORK; the same below it).
      for (const [parallel, into] of [[false, dlnvArena], [true, dlnvArenaTwoThreads]] as const) {
        const arena = new Arena(3 * 8 * d * d, gemmWorkBytes(d, d, d), { parallel });
        const [x, y, z] = [a, b, out].map((m) => new Matrix(d, d, arena.view(d * d)).copyFrom(m));
        into.push(rate(d, () => multiplyInto(z, x, y)));
      }
    }
  }
  let numpyPeak: GemmRate | null = null;
  if (numpy) {
    for (const d of [...sizes, 256, 512]) {
      const calls = Math.max(1, Math.round(2e7 / (2 * d ** 3)));
      const r = (await numpy.run('gemm', { d, calls, repeats: 15 })).result;
      const g = { d, best: r.best, median: r.median, min: r.min };
      np.push(g);
      if (!numpyPeak || g.best > numpyPeak.best) numpyPeak = g;
    }
  }
  return { dlnv, dlnvArena, dlnvArenaTwoThreads, numpy: np, numpyPeak };
}

interface WallRun {
  command: string;
  wall: number;
  status: number | null;
  tail: string;
}

function timeCommand(command: string, args: string[], cwd: string): WallRun {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  const wall = (performance.now() - t0) / 1000;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n');
  return { command: [command, ...args].join(' '), wall, status: r.status, tail: out.slice(-3).join('\n') };
}

function fmtRatio(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

function printTable(reports: WorkloadReport[]): void {
  const head = ['workload', 'dlnv median [min – max]', 'NumPy median [min – max]', 'ratio', 'paired [min – max]', 'CPU ratio', 'target', 'agree'];
  const rows = reports.map((r) => {
    const span = (s: Spread): string => `${formatSeconds(s.median)} [${formatSeconds(s.min)} – ${formatSeconds(s.max)}]`;
    const target = r.rate?.target
      ? `≥ ${r.rate.target} ${r.rate.unit}: ${r.rate.dlnv.toFixed(0)} ${r.rate.met ? 'MET' : 'MISSED'}`
      : r.target !== null
        ? `≥ ${r.target}× ${r.met ? 'MET' : 'MISSED'}`
        : '';
    return [
      r.id,
      span(r.dlnv.wall),
      r.numpy ? span(r.numpy.wall) : '—',
      fmtRatio(r.ratio?.wall),
      r.ratio ? `${fmtRatio(r.ratio.paired.min)} – ${fmtRatio(r.ratio.paired.max)}` : '—',
      fmtRatio(r.ratio?.cpu),
      target,
      r.agreement ? (r.agreement.ok ? `ok ${r.agreement.worst.toExponential(0)}` : `DIFF ${r.agreement.worst.toExponential(1)}`) : '—',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** GFLOP/s at d = 128: dlnv's kernel (best of the GEMM section), over all of W1, and NumPy's measured peak. */
function atD128(
  gemm: GemmSection | null,
  reports: readonly WorkloadReport[],
): { kernel: number | null; kernelTwoThreads: number | null; w1: number | null; numpyW1: number | null; numpyPeak: number | null; numpyPeakD: number | null } | null {
  const best = (rates: readonly GemmRate[] | undefined): number | null => rates?.find((g) => g.d === 128)?.best ?? null;
  const kernel = gemm ? Math.max(best(gemm.dlnv) ?? 0, best(gemm.dlnvArena) ?? 0) || null : null;
  const w1 = reports.find((r) => r.id === 'W1 d=128');
  if (kernel === null && !w1) return null;
  return {
    kernel,
    kernelTwoThreads: best(gemm?.dlnvArenaTwoThreads),
    w1: w1?.gflops?.dlnv ?? null,
    numpyW1: w1?.gflops?.numpy ?? null,
    numpyPeak: gemm?.numpyPeak?.best ?? null,
    numpyPeakD: gemm?.numpyPeak?.d ?? null,
  };
}

/** Every target of issue 9 with the measured figure and whether it is met. */
function targetSummary(reports: readonly WorkloadReport[], w5: { verifyWall: Spread } | null): { target: string; measured: string; met: boolean | null }[] {
  const out: { target: string; measured: string; met: boolean | null }[] = [];
  for (const r of reports) {
    if (r.target !== null && r.ratio) out.push({ target: `${r.id}: NumPy/dlnv ≥ ${r.target}`, measured: `${r.ratio.wall.toFixed(2)}× (paired ${r.ratio.paired.min.toFixed(2)}–${r.ratio.paired.max.toFixed(2)})`, met: r.met });
    if (r.rate?.target) out.push({ target: `${r.id}: ≥ ${r.rate.target} ${r.rate.unit}`, measured: `${r.rate.dlnv.toFixed(0)} ${r.rate.unit}`, met: r.rate.met });
  }
  if (w5) out.push({ target: 'W5: default `dlnv verify` < 60 s', measured: `${w5.verifyWall.median.toFixed(1)} s`, met: w5.verifyWall.median < 60 });
  return out;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.dlnvThreads !== undefined) setProductThreads(options.dlnvThreads);
  const root = repoRoot();
  const benchRoot = join(root, 'bench');
  const startLoad = load();
  const python = findPython();
  let numpy: NumpyServer | undefined;
  let numpyInfo: NumpyInfo | null = null;
  if (python) {
    numpy = await NumpyServer.start(python, benchRoot, options.numpyThreads);
    numpyInfo = numpy.info;
  } else {
    console.log('NumPy not found (install python3-numpy): dlnv figures only, no ratios.');
  }
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  console.log(`dlnv bench — node ${process.version} (V8 ${process.versions.v8}), WebAssembly SIMD ${wasmAvailable() ? 'on' : 'off'}, native kernel ${nativeKernel() !== null ? 'on' : 'off'}, threads for large products: ${productThreadSetting()}, ${cpus().length} × ${cpuModel}`);
  if (numpyInfo) {
    console.log(`NumPy ${numpyInfo.numpy} (Python ${numpyInfo.python}, ${numpyInfo.executable}), BLAS ${numpyInfo.blas.library ?? '?'} with ${numpyInfo.blas.threads ?? '?'} thread(s)`);
  }
  console.log(`load at start: ${startLoad.proc ?? startLoad.loadavg.join(' ')}`);

  const workloads: Workload[] = [w1(4, 10), w1(16, 2), w1(64, 0.5), w1(128, 0.25), w2('implicit-midpoint'), w2('rk4'), w3(), w4(3)];
  const selected = workloads.filter((w) => !options.only || options.only.some((o) => w.group.toLowerCase() === o || w.id.toLowerCase() === o));
  const dir = mkdtempSync(join(tmpdir(), 'dlnv-bench-'));
  const profileDir = join(tmpdir(), 'dlnv-bench-profiles');
  const reports: WorkloadReport[] = [];
  let gemm: GemmSection | null = null;
  let w5: { verify: WallRun[]; verifyWall: Spread; test: WallRun } | null = null;
  try {
    if (!options.only || options.only.includes('gemm')) {
      console.log('\nGEMM (square d×d, GFLOP/s, best of 15 repeats)');
      gemm = await gemmSection(numpy);
      for (const g of gemm.dlnv) {
        const arena = gemm.dlnvArena.find((x) => x.d === g.d), two = gemm.dlnvArenaTwoThreads.find((x) => x.d === g.d), np = gemm.numpy.find((x) => x.d === g.d);
        const f = (r: GemmRate | undefined): string => (r ? r.best.toFixed(2).padStart(6) : '     —');
        console.log(`  d = ${String(g.d).padEnd(4)} dlnv multiplyInto ${f(g)}   in WebAssembly memory ${f(arena)} (1 thread) ${f(two)} (2 threads)   NumPy ${f(np)}`);
      }
      if (gemm.numpyPeak) console.log(`  NumPy/OpenBLAS peak on this machine: ${gemm.numpyPeak.best.toFixed(1)} GFLOP/s (d = ${gemm.numpyPeak.d})`);
    }
    console.log('\nworkloads (interleaved repeats):');
    for (const w of selected) {
      const repeats = options.repeats ?? w.repeats;
      const report = await runWorkload(w, repeats, dir, numpy);
      if (options.profile && (report.met === false || report.rate?.met === false)) {
        mkdirSync(profileDir, { recursive: true });
        const file = join(profileDir, `${w.id.replace(/[^A-Za-z0-9]+/g, '-')}.cpuprofile`);
        report.profile = await profile(w.setup(dir).dlnv, file);
        console.log(`    profiled (missed target): ${report.profile.self.slice(0, 3).map((l) => `${l.fn} ${l.percent}%`).join(', ')}`);
      }
      reports.push(report);
    }
    if (options.w5) {
      console.log('\nW5: wall time of `node bin/dlnv.js verify` (×3) and `npm test` (×1)');
      const verify = [0, 1, 2].map(() => timeCommand(process.execPath, [join(root, 'bin', 'dlnv.js'), 'verify'], root));
      const test = timeCommand('npm', ['test'], root);
      w5 = { verify, verifyWall: summarize(verify.map((v) => v.wall)), test };
    }
  } finally {
    numpy?.close();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('\nratio = NumPy time / dlnv time (medians; > 1: dlnv faster). paired = per interleaved repeat.');
  printTable(reports);
  for (const r of reports) {
    if (r.gflops) console.log(`  ${r.id}: ${r.gflops.dlnv.toFixed(2)} GFLOP/s dlnv, ${r.gflops.numpy?.toFixed(2) ?? '—'} GFLOP/s NumPy (useful product FLOPs / median wall time)`);
    if (r.rate) console.log(`  ${r.id}: ${r.rate.dlnv.toFixed(0)} ${r.rate.unit} dlnv, ${r.rate.numpy?.toFixed(0) ?? '—'} ${r.rate.unit} NumPy (evaluations only)`);
    if (r.agreement && !r.agreement.ok) console.log(`  ${r.id}: results differ beyond ${r.agreement.rtol}: ${JSON.stringify(r.agreement.detail)}`);
  }
  const path = join(benchRoot, 'results.json');
  const previous = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { w5?: unknown; gemm?: GemmSection; workloads?: WorkloadReport[] }) : {};
  // Without the GEMM section (--only), the rates of the previous run stand in for it.
  const at128 = atD128(gemm ?? previous.gemm ?? null, reports);
  if (at128) {
    const g = (x: number | null): string => (x === null ? '—' : x.toFixed(1));
    const ofPeak = (x: number | null): string => (x === null || at128.numpyPeak === null ? '' : ` = ${((100 * x) / at128.numpyPeak).toFixed(0)}%`);
    console.log(
      `d = 128 (GFLOP/s): dlnv GEMM kernel ${g(at128.kernel)}${ofPeak(at128.kernel)} on one thread, ${g(at128.kernelTwoThreads)}${ofPeak(at128.kernelTwoThreads)} on two; ` +
        `over all of W1 ${g(at128.w1)}; NumPy/OpenBLAS peak on this machine ${g(at128.numpyPeak)} (one thread)`,
    );
  }
  if (w5) {
    console.log(`W5 verify: ${formatSeconds(w5.verifyWall.median)} [${formatSeconds(w5.verifyWall.min)} – ${formatSeconds(w5.verifyWall.max)}] (target < 60 s: ${w5.verifyWall.median < 60 ? 'MET' : 'MISSED'}; exit ${w5.verify.map((v) => v.status).join(',')})`);
    console.log(`W5 npm test: ${formatSeconds(w5.test.wall)} (exit ${w5.test.status})`);
  }
  const endLoad = load();
  console.log(`load at end: ${endLoad.proc ?? endLoad.loadavg.join(' ')}`);

  if (options.write) {
    // A partial run (--only) updates its workloads and keeps the others from the previous file, in catalogue order.
    const kept = (previous.workloads ?? []).filter((p) => !reports.some((r) => r.id === p.id));
    const order = workloads.map((w) => w.id);
    const merged = [...reports, ...kept].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    const document = {
      generated: new Date().toISOString(),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: { cpus: cpus().length, model: cpuModel, node: process.version, v8: process.versions.v8, wasmSimd: wasmAvailable(), nativeKernel: nativeKernel() !== null, numpy: numpyInfo },
      method: {
        timers: { dlnv: 'performance.now (wall), process.cpuUsage (CPU)', numpy: 'time.perf_counter (wall), time.process_time (CPU)' },
        statistic: 'median over interleaved repeats; spread = [min, max] (and quartiles); ratio = NumPy median / dlnv median',
        threads: { dlnv: productThreadSetting(), numpy: options.numpyThreads },
        warmUp: 'one untimed run per side before the repeats',
      },
      load: { start: startLoad, end: endLoad },
      targets: targetSummary(merged, w5 ?? (previous.w5 as typeof w5 | undefined) ?? null),
      gflopsAtD128: at128,
      gemm: gemm ?? previous.gemm ?? null,
      workloads: merged,
      // W5 is slow (about two minutes): kept from the previous run unless --w5 measured it again.
      w5: w5 ?? previous.w5 ?? null,
    };
    writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
    console.log(`wrote ${path}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
