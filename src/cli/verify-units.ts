import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Claim } from '../claims/claim.js';
import type { Unit } from '../claims/plan.js';
import type { ClaimFault } from '../claims/runner.js';
import { type ClaimReport, DEFAULT_RUNS, runClaim } from '../claims/runner.js';
import { UsageError } from '../errors.js';
import { finiteReplacer, finiteReviver, portable } from '../report/json.js';
import type { ThreadSetting } from '../wasm/runtime.js';

/** What every unit of a verify run shares (sent to worker threads as plain data). */
export interface UnitConfig {
  /** Absolute paths of user claim files (workers load them again). */
  readonly claimsFiles: readonly string[];
  /** For a user's claim: its file as the user gave it, so the replay line can be pasted. */
  readonly claimFileOf: Readonly<Record<string, string>>;
  readonly runs?: number;
  /** Each claim runs this multiple of its own default run count (when runs is not given). */
  readonly runsScale?: number;
  readonly budgetSeconds?: number;
  readonly path?: string;
  /** Threads each worker's large products may use (2 only when a single worker has the machine). */
  readonly productThreads?: ThreadSetting;
}

/** Run one unit in this thread; the report comes back in its portable (JSON round-trip) form. */
export function runUnit(
  claim: Claim<any>,
  unit: Unit,
  config: UnitConfig,
  onProgress?: (n: number) => void,
): ClaimReport {
  const claimsFile = config.claimFileOf[claim.id];
  return portable(
    runClaim(claim, {
      seed: unit.seed,
      runs: config.runs ?? (config.runsScale ? config.runsScale * (claim.runs ?? DEFAULT_RUNS) : undefined),
      budgetSeconds: config.budgetSeconds,
      path: config.path,
      ...(claimsFile ? { claimsFile } : {}),
      ...(onProgress ? { onProgress } : {}),
    }),
  );
}

/** The compiled worker script next to this module (absent when running from TypeScript sources). */
export function workerScript(): URL | undefined {
  const url = new URL('./verify-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

export type FromWorker =
  | { ready: true }
  | { k: number; progress: number }
  | { k: number; json: string }
  | { k: number; error: string }
  | { fatal: string };

export interface PoolOptions {
  readonly workers: number;
  readonly script: URL;
  /** Seconds a unit may run before its worker is stopped and the unit reported as a timeout. */
  readonly unitSeconds: number;
  /** The report of a unit whose worker hung or died (the claim is known in this thread too). */
  readonly faultReport: (unit: Unit, fault: ClaimFault, runs: number, seconds: number) => ClaimReport;
  /** Called in plan order as reports become available (so the terminal log reads the same either way). */
  readonly onReport: (k: number, report: ClaimReport) => void;
  readonly onProgress?: (k: number, evaluated: number) => void;
}

/**
 * Run units on worker threads: each thread loads the compiled catalogue (and the user's claim files) once, then
 * takes the next unit whenever it is free. A unit's report depends only on its claim, seed and run options, never
 * on the thread or the order, so the result equals the in-process run. A unit that does not finish within
 * `unitSeconds` has its thread terminated (the only way to stop a synchronous check that never returns) and is
 * reported as a timeout; a thread that dies reports its unit as an error; a fresh thread takes over either way.
 */
export async function runUnitsOnWorkers(
  units: readonly Unit[],
  config: UnitConfig,
  options: PoolOptions,
): Promise<ClaimReport[]> {
  const results: (ClaimReport | undefined)[] = new Array(units.length);
  let next = 0,
    printed = 0;
  const flush = (): void => {
    while (printed < units.length && results[printed]) {
      options.onReport(printed, results[printed]!);
      printed++;
    }
  };
  const live = new Set<Worker>();
  // One lane per worker: it runs units until none are left, replacing its thread after a timeout or a crash.
  const lane = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let thread: Worker;
      let current: { k: number; started: number; evaluated: number; timer: NodeJS.Timeout } | undefined;
      const finish = (k: number, report: ClaimReport): void => {
        clearTimeout(current?.timer);
        current = undefined;
        results[k] = report;
        flush();
      };
      const fail = (fault: ClaimFault): void => {
        const c = current!;
        finish(c.k, options.faultReport(units[c.k], fault, c.evaluated, (performance.now() - c.started) / 1000));
        live.delete(thread);
        void thread.terminate();
        start();
      };
      const give = (): void => {
        if (next >= units.length) {
          resolve();
          return;
        }
        const k = next++;
        const timer = setTimeout(() => {
          fail({
            kind: 'timeout',
            message: `no verdict after ${options.unitSeconds} s; the check was stopped (raise --timeout if the claim is only slow)`,
          });
        }, options.unitSeconds * 1000);
        current = { k, started: performance.now(), evaluated: 0, timer };
        thread.postMessage({ k, unit: units[k] });
      };
      const start = (): void => {
        thread = new Worker(options.script, { workerData: config });
        live.add(thread);
        const mine = thread;
        thread.on('message', (m: FromWorker) => {
          if (mine !== thread) return;
          if ('fatal' in m) return reject(new UsageError(m.fatal));
          if ('ready' in m) return give();
          if ('progress' in m) {
            if (current) current.evaluated = m.progress;
            return options.onProgress?.(m.k, m.progress);
          }
          if ('error' in m) return fail({ kind: 'check-threw', message: m.error });
          finish(m.k, JSON.parse(m.json, finiteReviver) as ClaimReport);
          give();
        });
        thread.on('error', (e) => {
          if (mine === thread && current)
            fail({
              kind: 'check-threw',
              message: `the claim's worker thread died: ${e instanceof Error ? e.message : String(e)}`,
            });
        });
        thread.on('exit', (code) => {
          if (mine === thread && current)
            fail({ kind: 'check-threw', message: `the claim's worker thread exited with code ${code}` });
        });
      };
      start();
    });
  try {
    await Promise.all(Array.from({ length: Math.min(options.workers, units.length) }, lane));
  } finally {
    await Promise.all([...live].map((t) => t.terminate()));
  }
  flush();
  return results as ClaimReport[];
}

/** Serialize a report for the trip from a worker (the same JSON form the reports are written in). */
export function reportMessage(report: ClaimReport): string {
  return JSON.stringify(report, finiteReplacer);
}
