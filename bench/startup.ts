// `npm run bench:startup`: how long a user waits before dlnv does anything — `import('dlnv')`, `dlnv --help` and
// `dlnv list` — and what each loads: how many modules, whether mathjs or esbuild among them, and whether a kernel
// was compiled (WebAssembly) or loaded (the native addon).
//
// Every figure is the wall time of a fresh `node` process, from spawn to exit, median of interleaved repeats with
// [min, max], and the CPU time the process used (user + system, read by the process itself as it exits): on a
// loaded machine the wall time mostly measures the queue for a core, the CPU time what the user waits for on an idle
// one. `node -e 0` is measured alongside as the floor no command can go below. With `--against DIR` (another
// dlnv checkout with a built dist/, e.g. a `git worktree` of an older commit) both are measured, interleaved, so the
// before/after comparison sees the same machine load. Results go to bench/startup.json (never edit it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatSeconds, type Spread, summarize } from './lib/stats.js';

interface Options {
  repeats: number;
  against?: string;
  write: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { repeats: 15, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repeats') o.repeats = Number(argv[++i]);
    else if (a === '--against') o.against = resolve(argv[++i]);
    else if (a === '--no-write') o.write = false;
    else throw new Error(`bench:startup: unknown option ${a} (options: --repeats N, --against DIR, --no-write)`);
  }
  if (!(Number.isInteger(o.repeats) && o.repeats >= 1))
    throw new Error('bench:startup: --repeats needs an integer ≥ 1');
  if (o.against && !existsSync(join(o.against, 'dist', 'src', 'index.js')))
    throw new Error(`bench:startup: no dist/src/index.js in ${o.against} (build it first)`);
  return o;
}

/** The three things a user waits for, as node arguments for the checkout at `root`. */
function tasks(root: string): Record<string, string[]> {
  const index = pathToFileURL(join(root, 'dist', 'src', 'index.js')).href;
  return {
    "import('dlnv')": ['--input-type=module', '-e', `await import(${JSON.stringify(index)})`],
    'dlnv --help': [join(root, 'bin', 'dlnv.js'), '--help'],
    'dlnv list': [join(root, 'bin', 'dlnv.js'), 'list'],
  };
}

/**
 * A preload that lists, one per line in DLNV_BENCH_MODULES, every module URL the process loads (a module hook) and
 * every kernel it compiles or loads ('KERNEL …': WebAssembly.Module/compile/instantiate, process.dlopen).
 */
function moduleRecorder(dir: string): string {
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.DLNV_BENCH_MODULES, url + '\\n'); return next(url, context); }\n",
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const note = (what) => appendFileSync(process.env.DLNV_BENCH_MODULES, 'KERNEL ' + what + '\\n');
for (const k of ['compile', 'instantiate']) { const f = WebAssembly[k]; WebAssembly[k] = function (...a) { note(k); return f.apply(this, a); }; }
WebAssembly.Module = new Proxy(WebAssembly.Module, { construct(target, args) { note('Module'); return new target(...args); } });
const dlopen = process.dlopen; process.dlopen = function (...a) { note('dlopen'); return dlopen.apply(this, a); };
`,
  );
  return register;
}

interface Loaded {
  modules: number;
  mathjs: boolean;
  esbuild: boolean;
  /** The JavaScript of src/wasm (the kernels' loaders) was imported. */
  kernelModules: boolean;
  /** A WebAssembly kernel was compiled or the native one loaded. */
  kernels: boolean;
}

function loadedModules(args: string[], register: string, dir: string): Loaded {
  const list = join(dir, 'modules.txt');
  writeFileSync(list, '');
  const r = spawnSync(process.execPath, ['--import', register, ...args], {
    env: { ...process.env, DLNV_BENCH_MODULES: list },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench:startup: node ${args.join(' ')} failed: ${r.stderr}`);
  const lines = readFileSync(list, 'utf8').split('\n');
  const urls = lines.filter((u) => u.startsWith('file:'));
  return {
    modules: urls.length,
    mathjs: urls.some((u) => u.includes('/node_modules/mathjs/')),
    esbuild: urls.some((u) => u.includes('/node_modules/esbuild/')),
    kernelModules: urls.some((u) => /\/src\/wasm\/(runtime|native-gemm)\.js$/.test(u)),
    kernels: lines.some((l) => l.startsWith('KERNEL ')),
  };
}

/** A preloaded module that writes the process's own CPU time (user + system, seconds) to DLNV_BENCH_CPU at exit. */
function cpuReporter(dir: string): string {
  const file = join(dir, 'cpu.mjs');
  writeFileSync(
    file,
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.DLNV_BENCH_CPU, String((u.user + u.system) / 1e6)); });\n",
  );
  return file;
}

/** Wall and CPU seconds of one fresh process. */
function seconds(args: string[], reporter: string, dir: string): { wall: number; cpu: number } {
  const cpuFile = join(dir, 'cpu.txt');
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', reporter, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DLNV_BENCH_CPU: cpuFile },
  });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`bench:startup: node ${args.join(' ')} failed: ${r.stderr}`);
  return { wall, cpu: Number(readFileSync(cpuFile, 'utf8')) };
}

const options = parseArgs(process.argv.slice(2));
const here = resolve(import.meta.dirname, '..', '..');
const sides: Record<string, string> = { current: here, ...(options.against ? { against: options.against } : {}) };
const dir = mkdtempSync(join(tmpdir(), 'dlnv-startup-'));
try {
  const register = moduleRecorder(dir);
  const reporter = cpuReporter(dir);
  const samples: Record<string, Record<string, { wall: number; cpu: number }[]>> = { floor: { 'node -e 0': [] } };
  for (const side of Object.keys(sides))
    samples[side] = Object.fromEntries(Object.keys(tasks(sides[side])).map((t) => [t, []]));
  const load = { start: loadavg(), end: [] as number[] };
  for (const args of Object.values(tasks(here))) seconds(args, reporter, dir); // warm the file cache
  for (let k = 0; k < options.repeats; k++) {
    samples.floor['node -e 0'].push(seconds(['-e', '0'], reporter, dir));
    // Alternate which side goes first, so neither always runs on a cache the other just warmed.
    const order = k % 2 === 0 ? Object.keys(sides) : Object.keys(sides).reverse();
    for (const side of order)
      for (const [task, args] of Object.entries(tasks(sides[side])))
        samples[side][task].push(seconds(args, reporter, dir));
  }
  load.end = loadavg();
  const results: Record<string, Record<string, { wall: Spread; cpu: Spread; loaded?: Loaded }>> = {};
  console.log(`${''.padEnd(25)} ${'wall (median [min – max])'.padEnd(34)} CPU (median)`);
  for (const [side, bySide] of Object.entries(samples)) {
    results[side] = {};
    for (const [task, xs] of Object.entries(bySide)) {
      const args = side === 'floor' ? undefined : tasks(sides[side])[task];
      const r = {
        wall: summarize(xs.map((x) => x.wall)),
        cpu: summarize(xs.map((x) => x.cpu)),
        ...(args ? { loaded: loadedModules(args, register, dir) } : {}),
      };
      results[side][task] = r;
      const l = r.loaded;
      const yes = (b: boolean): string => (b ? 'yes' : 'no');
      const what = l
        ? `  ${l.modules} modules; mathjs ${yes(l.mathjs)}, esbuild ${yes(l.esbuild)}, kernel loaders ${yes(l.kernelModules)}, kernels compiled ${yes(l.kernels)}`
        : '';
      const wall = `${formatSeconds(r.wall.median).padStart(9)}  [${formatSeconds(r.wall.min)} – ${formatSeconds(r.wall.max)}]`;
      console.log(
        `${side.padEnd(8)} ${task.padEnd(16)} ${wall.padEnd(34)} ${formatSeconds(r.cpu.median).padStart(9)}${what}`,
      );
    }
  }
  if (options.write) {
    const document = {
      generated: new Date().toISOString(),
      command: `npm run bench:startup -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model.replace(/\s+\d+-Core.*$/, ''), node: process.version },
      method:
        'a fresh node process per run: wall time spawn to exit, and its own CPU time (user + system) at exit; medians of interleaved repeats, [min, max]',
      load,
      ...(options.against
        ? { against: 'the checkout given by --against (its commit is in the note that cites these figures)' }
        : {}),
      results,
    };
    writeFileSync(
      join(here, 'bench', 'startup.json'),
      `${JSON.stringify(document, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v), 2)}\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
