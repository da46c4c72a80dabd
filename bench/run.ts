// `npm run bench`: dlnv against NumPy and PyTorch implementations of the same work (issues 9 and 20), side by side.
//
// For every workload (bench/workloads.ts) all sides start from the same seeded instance, run the same algorithm
// for the same number of steps in float64, and report results that must agree (checked, to round-off). The peers
// (bench/numpy/: NumPy, and PyTorch on CPU where a PyTorch version exists) run in child processes driven line by
// line, so repeats are INTERLEAVED — dlnv, NumPy, PyTorch, then NumPy, PyTorch, dlnv, … — and all see the same
// machine load. Each figure is the median over the repeats, with [min, max] as the spread; ratios are peer time /
// dlnv time (higher is better for dlnv), for wall-clock time, for CPU time (process.cpuUsage / time.process_time),
// and per interleaved pair.
//
// Threads: every workload runs at equal thread counts — once with one thread on every side (dlnv DLNV_THREADS=1,
// OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1), verified through openblas_get_num_threads), once with two
// (dlnv's default 'auto', which uses its helper thread while that pays; OpenBLAS's default of two threads on this
// machine; torch.set_num_threads(2)). The contention section runs W1 d = 128 next to a busy process, dlnv's
// default against one thread. The machine load (/proc/loadavg) is recorded around every workload.
//
// Options: --repeats N (default per workload: 15 for the shortest, 5 for the longest), --quick (3 repeats),
// --only W1,W3,gemm,contention (groups or ids), --threads 1|2|1,2 (default both), --w5 (also time `dlnv verify` ×3
// and `npm test` ×1 — about two minutes), --no-profile (skip the CPU profile of each missed target), --no-write
// (do not rewrite bench/results.json). For every workload that misses its target, one more dlnv run is recorded
// with V8's CPU profiler (what `node --cpu-prof` records); the top functions go into results.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Matrix } from '../src/linalg/matrix.js';
import { multiplyInto } from '../src/linalg/products.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { Rng } from '../src/random/rng.js';
import { gemmWorkBytes } from '../src/wasm/gemm.js';
import { nativeKernel } from '../src/wasm/native-gemm.js';
import {
  Arena,
  helperStatus,
  productThreadSetting,
  setProductThreads,
  type ThreadSetting,
  wasmAvailable,
} from '../src/wasm/runtime.js';
import { findPython, type NumpyInfo, type NumpyRun, NumpyServer } from './lib/numpy.js';
import { type ProfileSummary, profile } from './lib/profile.js';
import { repoRoot } from './lib/repo-root.js';
import { formatSeconds, type Spread, summarize } from './lib/stats.js';
import { type Results, type Workload, w1, w2, w3, w4 } from './workloads.js';

/** Threads per side: 1 (each side on one thread) or 2 (each side may use two). */
type Threads = 1 | 2;
const PEERS = ['numpy', 'torch'] as const;
type Peer = (typeof PEERS)[number];
const PEER_NAME: Record<Peer, string> = { numpy: 'NumPy', torch: 'PyTorch' };

interface Options {
  repeats?: number;
  only?: string[];
  threads: Threads[];
  w5: boolean;
  profile: boolean;
  write: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { w5: false, profile: true, threads: [1, 2], write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repeats') o.repeats = Number(argv[++i]);
    else if (a === '--quick') o.repeats = 3;
    else if (a === '--only') o.only = argv[++i].split(',').map((s) => s.trim().toLowerCase());
    else if (a === '--w5') o.w5 = true;
    else if (a === '--threads') {
      const list = (argv[++i] ?? '').split(',');
      if (!list.every((t) => t === '1' || t === '2')) throw new Error('bench: --threads takes 1, 2 or 1,2');
      o.threads = [...new Set(list.map((t) => (t === '1' ? 1 : 2) as Threads))].sort();
    } else if (a === '--no-write') o.write = false;
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--help' || a === '-h') {
      console.log(
        'npm run bench -- [--repeats N | --quick] [--only W1,W2,...,gemm,contention] [--threads 1|2|1,2] [--w5] [--no-profile] [--no-write]',
      );
      process.exit(0);
    } else throw new Error(`bench: unknown option ${a}`);
  }
  if (o.repeats !== undefined && !(Number.isInteger(o.repeats) && o.repeats >= 1))
    throw new Error('bench: --repeats needs an integer ≥ 1');
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
  const c0 = cpuSeconds(),
    w0 = performance.now();
  const result = run();
  const wall = (performance.now() - w0) / 1000,
    cpu = cpuSeconds() - c0;
  return { wall, cpu, result };
}

interface Agreement {
  readonly ok: boolean;
  readonly worst: number;
  readonly detail: Record<string, { dlnv: number; peer: number; relative: number }>;
}

function agree(w: Workload, a: Results, b: Results): Agreement {
  const detail: Agreement['detail'] = {};
  let worst = 0;
  for (const key of w.agreement.keys) {
    const x = a[key],
      y = b[key];
    const rel = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
    detail[key] = { dlnv: x, peer: y, relative: rel };
    worst = Math.max(worst, Number.isNaN(rel) ? Infinity : rel);
  }
  return { ok: worst <= w.agreement.rtol, worst, detail };
}

/** One peer's figures for one workload at one thread count. */
interface PeerReport {
  wall: Spread;
  cpu: Spread;
  /** Peer median / dlnv median, for wall and CPU time, and the paired per-repeat wall ratios. */
  ratio: { wall: number; cpu: number; paired: Spread };
  /** Whether the wall (and the CPU) ratio reaches the workload's target (null: no target). */
  met: boolean | null;
  metCpu: boolean | null;
  gflops: number | null;
  agreement: Agreement & { rtol: number; why: string };
  results: Results;
}

interface WorkloadReport {
  id: string;
  group: string;
  description: string;
  /** Threads each side was given: 1, or 2 (dlnv's setting, the peers' BLAS and torch threads in `threadSettings`). */
  threads: Threads;
  threadSettings: { dlnv: ThreadSetting; numpyBlas: number | null; torch: number | null };
  repeats: number;
  /** The first (cold) dlnv run, before the warm-up: JIT compilation included. */
  coldSeconds: number;
  dlnv: { wall: Spread; cpu: Spread; gflops: number | null };
  peers: Partial<Record<Peer, PeerReport>>;
  target: number | null;
  /** Rate workloads (W3): runs per second from the median wall time (and, as dlnvCpu, from dlnv's CPU time). */
  rate: {
    unit: string;
    dlnv: number;
    dlnvCpu: number;
    numpy: number | null;
    torch: number | null;
    target: number | null;
    met: boolean | null;
    metCpu: boolean | null;
  } | null;
  results: Results;
  /** Chunks of two-thread products the helper thread computed during this workload's runs (0: one thread). */
  helperChunks: number;
  /** Large products the automatic thread choice ran on one thread and on two (src/wasm/thread-chooser.ts). */
  autoProducts: { alone: number; shared: number };
  /** For a missed target: where dlnv's time goes (one extra run under the CPU profiler). */
  profile?: ProfileSummary;
  load: { start: ReturnType<typeof load>; end: ReturnType<typeof load> };
}

/** The peer servers at one thread count, and which workloads each peer runs there. */
interface PeerSide {
  server: NumpyServer;
  has(peer: Peer, workload: string): boolean;
}

function peerWorkload(peer: Peer, workload: string): string {
  return peer === 'numpy' ? workload : `${peer}:${workload}`;
}

async function runWorkload(
  w: Workload,
  repeats: number,
  dir: string,
  side: PeerSide | undefined,
  threads: Threads,
  dlnvSetting: ThreadSetting,
): Promise<WorkloadReport> {
  setProductThreads(dlnvSetting);
  const start = load();
  const { chunks: helped, alone, shared } = helperStatus();
  const { dlnv, numpy: request } = w.setup(dir);
  const peers = PEERS.filter((p) => side?.has(p, request.workload));
  const runPeer = (p: Peer): Promise<NumpyRun> =>
    (side as PeerSide).server.run(peerWorkload(p, request.workload), request.args);
  process.stdout.write(`  ${w.id.padEnd(22)} ${threads} thread${threads === 1 ? ' ' : 's'} warm-up`);
  // dlnv runs until V8 has optimized the code it will keep: at least 1 s of warm-up (or 30 runs), because the
  // first runs of a short workload carry compilation (measured: d = 4 takes 15–75 ms cold, 4 ms steady).
  // The peers have nothing to warm but their caches: one run each.
  const cold = timeDlnv(dlnv);
  let lastDlnv = cold;
  for (let runs = 1, spent = cold.wall; spent < 1 && runs < 30; runs++) {
    lastDlnv = timeDlnv(dlnv);
    spent += lastDlnv.wall;
  }
  const last: Partial<Record<Peer, NumpyRun>> = {};
  for (const p of peers) last[p] = await runPeer(p);
  const d: Timed[] = [];
  const runs: Record<Peer, NumpyRun[]> = { numpy: [], torch: [] };
  for (let r = 0; r < repeats; r++) {
    process.stdout.write(` ${r + 1}`);
    // Alternate whether dlnv goes first or last, so a slow drift in the load favours no side.
    if (r % 2 === 1) for (const p of peers) runs[p].push(await runPeer(p));
    d.push(timeDlnv(dlnv));
    if (r % 2 === 0) for (const p of peers) runs[p].push(await runPeer(p));
  }
  process.stdout.write('\n');
  lastDlnv = d[d.length - 1] ?? lastDlnv;
  const dl = { wall: summarize(d.map((t) => t.wall)), cpu: summarize(d.map((t) => t.cpu)) };
  const gflops = (seconds: number): number | null => (w.flops > 0 ? w.flops / seconds / 1e9 : null);
  const reports: Partial<Record<Peer, PeerReport>> = {};
  for (const p of peers) {
    const n = runs[p];
    const wall = summarize(n.map((t) => t.wall)),
      cpu = summarize(n.map((t) => t.cpu));
    const ratio = {
      wall: wall.median / dl.wall.median,
      cpu: cpu.median / dl.cpu.median,
      paired: summarize(n.map((t, i) => t.wall / d[i].wall)),
    };
    const result = (n[n.length - 1] ?? (last[p] as NumpyRun)).result;
    reports[p] = {
      wall,
      cpu,
      ratio,
      met: w.target === undefined ? null : ratio.wall >= w.target,
      metCpu: w.target === undefined ? null : ratio.cpu >= w.target,
      gflops: gflops(wall.median),
      agreement: { ...agree(w, lastDlnv.result, result), rtol: w.agreement.rtol, why: w.agreement.why },
      results: result,
    };
  }
  const rateOf = (seconds: number | undefined): number | null =>
    w.rate === undefined || seconds === undefined ? null : w.rate.count / seconds;
  const rate = w.rate
    ? {
        unit: w.rate.unit,
        dlnv: w.rate.count / dl.wall.median,
        dlnvCpu: w.rate.count / dl.cpu.median,
        numpy: rateOf(reports.numpy?.wall.median),
        torch: rateOf(reports.torch?.wall.median),
        target: w.rate.target ?? null,
        met: w.rate.target === undefined ? null : w.rate.count / dl.wall.median >= w.rate.target,
        metCpu: w.rate.target === undefined ? null : w.rate.count / dl.cpu.median >= w.rate.target,
      }
    : null;
  return {
    id: w.id,
    group: w.group,
    description: w.description,
    threads,
    threadSettings: {
      dlnv: dlnvSetting,
      numpyBlas: side?.server.info.blas.threads ?? null,
      torch: side?.server.info.torch?.threads ?? null,
    },
    repeats,
    coldSeconds: cold.wall,
    dlnv: { ...dl, gflops: gflops(dl.wall.median) },
    peers: reports,
    target: w.target ?? null,
    rate,
    results: lastDlnv.result,
    helperChunks: helperStatus().chunks - helped,
    autoProducts: { alone: helperStatus().alone - alone, shared: helperStatus().shared - shared },
    load: { start, end: load() },
  };
}

/** Whether a report misses its target against some peer (wall time) or its rate target. */
function missed(r: WorkloadReport): boolean {
  return Object.values(r.peers).some((p) => p.met === false) || r.rate?.met === false;
}

interface GemmRate {
  d: number;
  best: number;
  median: number;
  min: number;
}

/** Which native path runs: 'AVX-512' or 'AVX2' (the default a user gets: AVX-512 where the CPU has it), or 'off'. */
function nativePath(): 'AVX-512' | 'AVX2' | 'off' {
  const kernel = nativeKernel()?.kernel;
  if (kernel === undefined) return 'off';
  return kernel.useAvx512?.(true) ? 'AVX-512' : 'AVX2';
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

/** Peer GEMM rates per thread count: { '1': { numpy: [...], torch: [...] }, '2': … }. */
type PeerGemm = Partial<Record<`${Threads}`, Partial<Record<Peer, GemmRate[]>>>>;

type GemmSection = {
  dlnv: GemmRate[];
  dlnvArena: GemmRate[];
  dlnvArenaTwoThreads: GemmRate[];
  peers: PeerGemm;
  numpyPeak: GemmRate | null;
};

async function gemmSection(sides: ReadonlyMap<Threads, PeerSide>): Promise<GemmSection> {
  const rng = new Rng(2024);
  const sizes = [4, 16, 64, 128];
  const dlnv: GemmRate[] = [],
    dlnvArena: GemmRate[] = [],
    dlnvArenaTwoThreads: GemmRate[] = [];
  setProductThreads(2);
  for (const d of sizes) {
    const a = gaussianMatrix(rng, d, d),
      b = gaussianMatrix(rng, d, d),
      out = new Matrix(d, d);
    setProductThreads(1);
    dlnv.push(rate(d, () => multiplyInto(out, a, b)));
    if (wasmAvailable()) {
      // Operands already in WebAssembly memory, as a Workspace keeps them: the kernel without copies, on one
      // thread, and on two in a parallel arena (products from PARALLEL_MIN_WORK; the same below it).
      for (const [threads, into] of [
        [1, dlnvArena],
        [2, dlnvArenaTwoThreads],
      ] as const) {
        setProductThreads(threads);
        const arena = new Arena(3 * 8 * d * d, gemmWorkBytes(d, d, d), { parallel: threads === 2 });
        const [x, y, z] = [a, b, out].map((m) => new Matrix(d, d, arena.view(d * d)).copyFrom(m));
        into.push(rate(d, () => multiplyInto(z, x, y)));
      }
    }
  }
  const peers: PeerGemm = {};
  let numpyPeak: GemmRate | null = null;
  for (const [threads, side] of sides) {
    const byPeer: Partial<Record<Peer, GemmRate[]>> = {};
    for (const p of PEERS.filter((q) => side.has(q, 'gemm'))) {
      const rates: GemmRate[] = [];
      for (const d of [...sizes, 256, 512]) {
        const calls = Math.max(1, Math.round(2e7 / (2 * d ** 3)));
        const r = (await side.server.run(peerWorkload(p, 'gemm'), { d, calls, repeats: 15 })).result;
        const g = { d, best: r.best, median: r.median, min: r.min };
        rates.push(g);
        if (p === 'numpy' && threads === 1 && (!numpyPeak || g.best > numpyPeak.best)) numpyPeak = g;
      }
      byPeer[p] = rates;
    }
    peers[`${threads}`] = byPeer;
  }
  return { dlnv, dlnvArena, dlnvArenaTwoThreads, peers, numpyPeak };
}

/** W1 d = 128 next to one busy process (issue 20: threads that do not hurt): dlnv's default against one thread. */
interface ContentionReport {
  workload: string;
  competitor: string;
  repeats: number;
  /** dlnv's default thread setting (two threads while they pay) and one thread, interleaved. */
  default: {
    setting: ThreadSetting;
    wall: Spread;
    cpu: Spread;
    autoProducts: { alone: number; shared: number };
    helperChunks: number;
  };
  oneThread: { wall: Spread; cpu: Spread };
  /** One-thread median wall / default median wall (≥ 1: the default does not lose). */
  ratio: number;
  met: boolean;
  load: { start: ReturnType<typeof load>; end: ReturnType<typeof load> };
}

async function contention(dir: string, repeats: number, defaultSetting: ThreadSetting): Promise<ContentionReport> {
  const w = w1(128, 1);
  const { dlnv } = w.setup(dir);
  const competitor = 'node -e "for(;;){}"';
  const busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const start = load();
    process.stdout.write(`  ${w.id} next to ${competitor}, default vs 1 thread:`);
    for (const setting of [defaultSetting, 1] as const) {
      setProductThreads(setting);
      timeDlnv(dlnv);
    }
    const runs: Record<'default' | 'one', Timed[]> = { default: [], one: [] };
    let helped = 0,
      alone = 0,
      shared = 0;
    for (let r = 0; r < repeats; r++) {
      process.stdout.write(` ${r + 1}`);
      const order = r % 2 === 0 ? (['default', 'one'] as const) : (['one', 'default'] as const);
      for (const which of order) {
        setProductThreads(which === 'one' ? 1 : defaultSetting);
        const before = helperStatus();
        runs[which].push(timeDlnv(dlnv));
        if (which === 'default') {
          const after = helperStatus();
          helped += after.chunks - before.chunks;
          alone += after.alone - before.alone;
          shared += after.shared - before.shared;
        }
      }
    }
    process.stdout.write('\n');
    const spread = (t: Timed[]): { wall: Spread; cpu: Spread } => ({
      wall: summarize(t.map((x) => x.wall)),
      cpu: summarize(t.map((x) => x.cpu)),
    });
    const def = spread(runs.default),
      one = spread(runs.one);
    const ratio = one.wall.median / def.wall.median;
    return {
      workload: w.id,
      competitor,
      repeats,
      default: { setting: defaultSetting, ...def, autoProducts: { alone, shared }, helperChunks: helped },
      oneThread: one,
      ratio,
      met: ratio >= 1,
      load: { start, end: load() },
    };
  } finally {
    busy.kill();
  }
}

interface WallRun {
  command: string;
  wall: number;
  status: number | null;
  tail: string;
}

function timeCommand(command: string, args: string[], cwd: string, label: string): WallRun {
  const t0 = performance.now();
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const wall = (performance.now() - t0) / 1000;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n');
  return { command: label, wall, status: r.status, tail: out.slice(-3).join('\n') };
}

function fmtRatio(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

function printTable(reports: WorkloadReport[]): void {
  const head = ['workload', 'thr', 'dlnv median [min – max]'];
  for (const p of PEERS) head.push(`${PEER_NAME[p]} median`, `${PEER_NAME[p]}/dlnv wall`, 'CPU', 'paired [min – max]');
  head.push('target', 'agree');
  const rows = reports.map((r) => {
    const span = (s: Spread): string =>
      `${formatSeconds(s.median)} [${formatSeconds(s.min)} – ${formatSeconds(s.max)}]`;
    const cells = [r.id, String(r.threads), span(r.dlnv.wall)];
    for (const p of PEERS) {
      const x = r.peers[p];
      cells.push(
        x ? formatSeconds(x.wall.median) : '—',
        fmtRatio(x?.ratio.wall),
        fmtRatio(x?.ratio.cpu),
        x ? `${fmtRatio(x.ratio.paired.min)} – ${fmtRatio(x.ratio.paired.max)}` : '—',
      );
    }
    const peerMet = Object.values(r.peers).map((x) => x.met);
    const target = r.rate?.target
      ? `≥ ${r.rate.target} ${r.rate.unit}: ${r.rate.dlnv.toFixed(0)} ${r.rate.met ? 'MET' : 'MISSED'} (CPU ${r.rate.dlnvCpu.toFixed(0)})`
      : r.target !== null && peerMet.length > 0
        ? `≥ ${r.target}× ${peerMet.every((m) => m) ? 'MET' : 'MISSED'}`
        : '';
    const agreements = Object.values(r.peers).map((x) => x.agreement);
    const agreeText =
      agreements.length === 0
        ? '—'
        : agreements.every((a) => a.ok)
          ? `ok ${Math.max(...agreements.map((a) => a.worst)).toExponential(0)}`
          : 'DIFF';
    cells.push(target, agreeText);
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** GFLOP/s at d = 128: dlnv's kernel (best of the GEMM section), over all of W1 on one thread, and the peers'. */
function atD128(gemm: GemmSection | null, reports: readonly WorkloadReport[]): Record<string, number | null> | null {
  const best = (rates: readonly GemmRate[] | undefined): number | null => rates?.find((g) => g.d === 128)?.best ?? null;
  const kernel = gemm ? Math.max(best(gemm.dlnv) ?? 0, best(gemm.dlnvArena) ?? 0) || null : null;
  const w1 = reports.find((r) => r.id === 'W1 d=128' && r.threads === 1);
  if (kernel === null && !w1) return null;
  return {
    kernel,
    kernelTwoThreads: best(gemm?.dlnvArenaTwoThreads),
    numpyKernel: best(gemm?.peers['1']?.numpy),
    torchKernel: best(gemm?.peers['1']?.torch),
    w1: w1?.dlnv.gflops ?? null,
    numpyW1: w1?.peers.numpy?.gflops ?? null,
    torchW1: w1?.peers.torch?.gflops ?? null,
    numpyPeak: gemm?.numpyPeak?.best ?? null,
    numpyPeakD: gemm?.numpyPeak?.d ?? null,
  };
}

/** Every target with the measured figure (wall and CPU ratio, per peer and thread count) and whether it is met. */
function targetSummary(
  reports: readonly WorkloadReport[],
  extra: { contention: ContentionReport | null; w5: { verifyWall: Spread } | null },
) {
  const out: { target: string; threads: Threads | null; measured: string; met: boolean | null }[] = [];
  for (const r of reports) {
    for (const p of PEERS) {
      const x = r.peers[p];
      if (r.target === null || !x) continue;
      out.push({
        target: `${r.id}: ${PEER_NAME[p]}/dlnv ≥ ${r.target}`,
        threads: r.threads,
        measured: `wall ${x.ratio.wall.toFixed(2)}× (paired ${x.ratio.paired.min.toFixed(2)}–${x.ratio.paired.max.toFixed(2)}), CPU ${x.ratio.cpu.toFixed(2)}×`,
        met: x.met,
      });
    }
    if (r.rate?.target)
      out.push({
        target: `${r.id}: ≥ ${r.rate.target} ${r.rate.unit}`,
        threads: r.threads,
        measured: `${r.rate.dlnv.toFixed(0)} ${r.rate.unit} (wall), ${r.rate.dlnvCpu.toFixed(0)} (CPU time)`,
        met: r.rate.met,
      });
  }
  const c = extra.contention;
  if (c)
    out.push({
      target: `${c.workload} next to a busy process: default (${c.default.setting}) not slower than 1 thread`,
      threads: null,
      measured: `1-thread wall / default wall = ${c.ratio.toFixed(2)}`,
      met: c.met,
    });
  if (extra.w5)
    out.push({
      target: 'W5: default `dlnv verify` < 60 s',
      threads: null,
      measured: `${extra.w5.verifyWall.median.toFixed(1)} s`,
      met: extra.w5.verifyWall.median < 60,
    });
  return out;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  // The default a user gets ('auto' on a multi-core machine): what "two threads" means for dlnv here.
  const defaultSetting = productThreadSetting();
  const twoThreadSetting: ThreadSetting = defaultSetting === 1 ? 2 : defaultSetting;
  const root = repoRoot();
  const benchRoot = join(root, 'bench');
  const startLoad = load();
  const python = findPython();
  const sides = new Map<Threads, PeerSide>();
  const infos: Partial<Record<`${Threads}`, NumpyInfo>> = {};
  if (python) {
    for (const t of options.threads) {
      const server = await NumpyServer.start(python, benchRoot, t);
      const available = new Set(server.info.workloads ?? []);
      sides.set(t, { server, has: (p, workload) => available.has(peerWorkload(p, workload)) });
      infos[`${t}`] = server.info;
    }
  } else {
    console.log(
      'NumPy not found (install python3-numpy, and python3-torch for PyTorch): dlnv figures only, no ratios.',
    );
  }
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  console.log(
    `dlnv bench — node ${process.version} (V8 ${process.versions.v8}), WebAssembly SIMD ${wasmAvailable() ? 'on' : 'off'}, native kernel ${nativePath()}, default threads for large products: ${defaultSetting}, ${cpus().length} × ${cpuModel}`,
  );
  for (const [t, info] of Object.entries(infos)) {
    console.log(
      `peers at ${t} thread(s): NumPy ${info.numpy} (Python ${info.python}), BLAS ${info.blas.library ?? '?'} with ${info.blas.threads ?? '?'} thread(s); PyTorch ${info.torch ? `${info.torch.version} with ${info.torch.threads} thread(s)` : 'not installed'}`,
    );
  }
  console.log(`load at start: ${startLoad.proc ?? startLoad.loadavg.join(' ')}`);

  const workloads: Workload[] = [
    w1(4, 10),
    w1(16, 3),
    w1(64, 1),
    w1(128, 1),
    w2('implicit-midpoint'),
    w2('rk4'),
    w3(),
    w4(3),
  ];
  const wanted = (key: string): boolean => !options.only || options.only.includes(key.toLowerCase());
  const selected = workloads.filter(
    (w) => !options.only || options.only.some((o) => w.group.toLowerCase() === o || w.id.toLowerCase() === o),
  );
  const dir = mkdtempSync(join(tmpdir(), 'dlnv-bench-'));
  const profileDir = join(tmpdir(), 'dlnv-bench-profiles');
  const reports: WorkloadReport[] = [];
  let gemm: GemmSection | null = null;
  let contentionReport: ContentionReport | null = null;
  let w5: { verify: WallRun[]; verifyWall: Spread; test: WallRun } | null = null;
  try {
    if (wanted('gemm')) {
      console.log('\nGEMM (square d×d, GFLOP/s, best of 15 repeats)');
      gemm = await gemmSection(sides);
      for (const g of gemm.dlnv) {
        const arena = gemm.dlnvArena.find((x) => x.d === g.d),
          two = gemm.dlnvArenaTwoThreads.find((x) => x.d === g.d);
        const f = (r: GemmRate | undefined): string => (r ? r.best.toFixed(2).padStart(6) : '     —');
        const peer = (t: Threads, p: Peer): string => f(gemm?.peers[`${t}`]?.[p]?.find((x) => x.d === g.d));
        console.log(
          `  d = ${String(g.d).padEnd(4)} dlnv multiplyInto ${f(g)}   in WebAssembly memory ${f(arena)} (1 thread) ${f(two)} (2 threads)   ` +
            `NumPy ${peer(1, 'numpy')} / ${peer(2, 'numpy')}   PyTorch ${peer(1, 'torch')} / ${peer(2, 'torch')} (1 / 2 threads)`,
        );
      }
      if (gemm.numpyPeak)
        console.log(
          `  NumPy/OpenBLAS peak on this machine: ${gemm.numpyPeak.best.toFixed(1)} GFLOP/s (d = ${gemm.numpyPeak.d}, one thread)`,
        );
    }
    console.log('\nworkloads (interleaved repeats), each at equal thread counts:');
    for (const w of selected) {
      for (const threads of options.threads) {
        const repeats = options.repeats ?? w.repeats;
        const setting = threads === 1 ? 1 : twoThreadSetting;
        const report = await runWorkload(w, repeats, dir, sides.get(threads), threads, setting);
        if (options.profile && missed(report)) {
          mkdirSync(profileDir, { recursive: true });
          const file = join(profileDir, `${w.id.replace(/[^A-Za-z0-9]+/g, '-')}-${threads}t.cpuprofile`);
          setProductThreads(setting);
          const summary = await profile(w.setup(dir).dlnv, file);
          // Where this machine keeps the raw profile is not a result: only its file name is recorded.
          report.profile = { ...summary, file: basename(summary.file) };
          console.log(
            `    profiled (missed target): ${report.profile.self
              .slice(0, 3)
              .map((l) => `${l.fn} ${l.percent}%`)
              .join(', ')}`,
          );
        }
        reports.push(report);
      }
    }
    if (wanted('contention') && defaultSetting !== 1) {
      console.log('\nthreads under contention (issue 20):');
      contentionReport = await contention(dir, options.repeats ?? 5, defaultSetting);
      const c = contentionReport;
      console.log(
        `  default (${c.default.setting}) ${formatSeconds(c.default.wall.median)} vs one thread ${formatSeconds(c.oneThread.wall.median)}: ratio ${c.ratio.toFixed(2)} (${c.met ? 'MET' : 'MISSED'}); products alone/shared ${c.default.autoProducts.alone}/${c.default.autoProducts.shared}`,
      );
    }
    setProductThreads(defaultSetting);
    if (options.w5) {
      console.log('\nW5: wall time of `node bin/dlnv.js verify` (×3) and `npm test` (×1)');
      const verify = [0, 1, 2].map(() =>
        timeCommand(process.execPath, [join(root, 'bin', 'dlnv.js'), 'verify'], root, 'node bin/dlnv.js verify'),
      );
      const test = timeCommand('npm', ['test'], root, 'npm test');
      w5 = { verify, verifyWall: summarize(verify.map((v) => v.wall)), test };
    }
  } finally {
    for (const side of sides.values()) side.server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    '\nratio = peer time / dlnv time (medians; > 1: dlnv faster), wall and CPU. paired = per interleaved repeat.',
  );
  printTable(reports);
  for (const r of reports) {
    if (r.dlnv.gflops !== null) {
      const peers = PEERS.map((p) => `${r.peers[p]?.gflops?.toFixed(2) ?? '—'} ${PEER_NAME[p]}`).join(', ');
      console.log(
        `  ${r.id} (${r.threads} thread${r.threads === 1 ? '' : 's'}): ${r.dlnv.gflops.toFixed(2)} GFLOP/s dlnv, ${peers} (useful product FLOPs / median wall time)`,
      );
    }
    if (r.rate)
      console.log(
        `  ${r.id} (${r.threads}): ${r.rate.dlnv.toFixed(0)} ${r.rate.unit} dlnv (${r.rate.dlnvCpu.toFixed(0)} by CPU time), ${r.rate.numpy?.toFixed(0) ?? '—'} NumPy, ${r.rate.torch?.toFixed(0) ?? '—'} PyTorch (evaluations only)`,
      );
    for (const [p, x] of Object.entries(r.peers))
      if (!x.agreement.ok)
        console.log(
          `  ${r.id} vs ${p}: results differ beyond ${x.agreement.rtol}: ${JSON.stringify(x.agreement.detail)}`,
        );
  }
  const path = join(benchRoot, 'results.json');
  const previous = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as {
        w5?: unknown;
        gemm?: GemmSection;
        workloads?: WorkloadReport[];
        contention?: ContentionReport;
      })
    : {};
  // A previous file in the old layout (no thread count per report, no peers) is not merged.
  const previousReports = (previous.workloads ?? []).filter((p) => p.threads !== undefined && p.peers !== undefined);
  const previousGemm = previous.gemm?.peers !== undefined ? previous.gemm : null;
  const at128 = atD128(gemm ?? previousGemm, reports);
  if (at128) {
    const g = (x: number | null): string => (x === null ? '—' : x.toFixed(1));
    console.log(
      `d = 128 (GFLOP/s, one thread): dlnv GEMM kernel ${g(at128.kernel)}, over all of W1 ${g(at128.w1)}; ` +
        `NumPy kernel ${g(at128.numpyKernel)}, W1 ${g(at128.numpyW1)}; PyTorch kernel ${g(at128.torchKernel)}, W1 ${g(at128.torchW1)}; ` +
        `dlnv kernel on two threads ${g(at128.kernelTwoThreads)}`,
    );
  }
  if (w5) {
    console.log(
      `W5 verify: ${formatSeconds(w5.verifyWall.median)} [${formatSeconds(w5.verifyWall.min)} – ${formatSeconds(w5.verifyWall.max)}] (target < 60 s: ${w5.verifyWall.median < 60 ? 'MET' : 'MISSED'}; exit ${w5.verify.map((v) => v.status).join(',')})`,
    );
    console.log(`W5 npm test: ${formatSeconds(w5.test.wall)} (exit ${w5.test.status})`);
  }
  const endLoad = load();
  console.log(`load at end: ${endLoad.proc ?? endLoad.loadavg.join(' ')}`);

  if (options.write) {
    // A partial run (--only, --threads) updates what it measured and keeps the rest of the previous file.
    const key = (r: WorkloadReport): string => `${r.id}/${r.threads}`;
    const kept = previousReports.filter((p) => !reports.some((r) => key(r) === key(p)));
    const order = workloads.map((w) => w.id);
    const merged = [...reports, ...kept].sort(
      (a, b) => order.indexOf(a.id) - order.indexOf(b.id) || a.threads - b.threads,
    );
    const contentionResult = contentionReport ?? previous.contention ?? null;
    const w5Result = w5 ?? (previous.w5 as typeof w5 | undefined) ?? null;
    const document = {
      generated: new Date().toISOString(),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: {
        cpus: cpus().length,
        model: cpuModel,
        node: process.version,
        v8: process.versions.v8,
        wasmSimd: wasmAvailable(),
        nativeKernel: nativeKernel() !== null,
        nativePath: nativePath(),
        peers: infos,
      },
      method: {
        timers: {
          dlnv: 'performance.now (wall), process.cpuUsage (CPU)',
          peers: 'time.perf_counter (wall), time.process_time (CPU)',
        },
        statistic:
          'median over interleaved repeats; spread = [min, max] (and quartiles); ratio = peer median / dlnv median, wall and CPU',
        threads: {
          '1': 'every side on one thread: dlnv DLNV_THREADS=1 (setProductThreads(1)); OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1)',
          '2': `every side may use two threads: dlnv's default ('${twoThreadSetting}'); OPENBLAS_NUM_THREADS=2 and torch.set_num_threads(2)`,
        },
        warmUp: 'dlnv ≥ 1 s (or 30 runs) untimed; one untimed run per peer',
        targets: 'met = wall-time ratio ≥ target against that peer (metCpu: the CPU-time ratio)',
      },
      load: { start: startLoad, end: endLoad },
      targets: targetSummary(merged, { contention: contentionResult, w5: w5Result }),
      gflopsAtD128: at128,
      gemm: gemm ?? previousGemm,
      workloads: merged,
      contention: contentionResult,
      // W5 is slow (about two minutes): kept from the previous run unless --w5 measured it again.
      w5: w5Result,
    };
    // Where this checkout (or the one a kept W5 ran in), node and the temporary directory live on this machine is
    // not a result.
    const scrub = (_key: string, value: unknown): unknown =>
      typeof value === 'string'
        ? value
            .replaceAll(root, '.')
            .replaceAll(process.execPath, 'node')
            .replaceAll(tmpdir(), '$TMPDIR')
            .replace(/\/\S*\/(bin\/dlnv\.js)/g, '$1')
            .replace(/\/\S*\/bin\/node\b/g, 'node')
        : value;
    writeFileSync(path, `${JSON.stringify(document, scrub, 2)}\n`);
    console.log(`wrote ${path}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
