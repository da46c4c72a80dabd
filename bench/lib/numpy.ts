import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What the NumPy server reports about itself (bench/numpy/server.py). */
export interface NumpyInfo {
  readonly python: string;
  readonly numpy: string;
  /** The BLAS library (its last two path components) and its thread count as OpenBLAS reports it. */
  readonly blas: { library?: string; threads?: number; config?: string };
  readonly env: Record<string, string | null>;
  /** PyTorch, the second peer, when it imports (null otherwise). */
  readonly torch: { version: string; threads: number } | null;
  /** The workloads the server runs ("w1", …, and "torch:w1", … when PyTorch imports). */
  readonly workloads: string[];
}

export interface NumpyRun {
  readonly wall: number;
  readonly cpu: number;
  readonly result: Record<string, number>;
}

/**
 * Debian's Python with python3-numpy: /usr/bin/python3 when it imports numpy, else `python3` on the PATH;
 * DLNV_BENCH_PYTHON overrides.
 */
export function findPython(): string | undefined {
  const candidates = [process.env.DLNV_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    if (c.startsWith('/') && !existsSync(c)) continue;
    const r = spawnSync(c, ['-c', 'import numpy'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return c;
  }
  return undefined;
}

/**
 * The NumPy reference as a child process answering one JSON request per line, so dlnv and NumPy repeats can be
 * interleaved under the same load without paying Python's start-up per repeat. BLAS is pinned to `threads`.
 */
export class NumpyServer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: NumpyRun) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly info: NumpyInfo,
  ) {}

  static async start(python: string, benchRoot: string, threads: number): Promise<NumpyServer> {
    const t = String(threads);
    const env = {
      ...process.env,
      OPENBLAS_NUM_THREADS: t,
      OMP_NUM_THREADS: t,
      MKL_NUM_THREADS: t,
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const child = spawn(python, [join(benchRoot, 'numpy', 'server.py')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    const info = await new Promise<NumpyInfo>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`NumPy server exited (${code}): ${stderr}`)));
      lines.once('line', (line) => resolve(JSON.parse(line) as NumpyInfo));
    });
    const s = new NumpyServer(child, info);
    lines.on('line', (line) => {
      const reply = JSON.parse(line) as { id: number; error?: string } & NumpyRun;
      const p = s.pending.get(reply.id);
      if (!p) return;
      s.pending.delete(reply.id);
      if (reply.error) p.reject(new Error(`NumPy: ${reply.error}`));
      else p.resolve(reply);
    });
    child.on('exit', (code) => {
      for (const p of s.pending.values()) p.reject(new Error(`NumPy server exited (${code}): ${stderr}`));
      s.pending.clear();
    });
    return s;
  }

  run(workload: string, args: object): Promise<NumpyRun> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, workload, args })}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}
