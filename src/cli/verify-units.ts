import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Claim } from '../claims/claim.js';
import type { Unit } from '../claims/plan.js';
import { runClaim, type ClaimReport, type RunOptions } from '../claims/runner.js';
import { DlnvError, UsageError } from '../errors.js';
import { finiteReplacer, finiteReviver, portable } from '../report/json.js';

/** What every unit of a verify run shares (sent to worker threads as plain data). */
export interface UnitConfig {
  /** Absolute paths of user claim files (workers load them again). */
  readonly claimsFiles: readonly string[];
  /** The file (as the user named it) that defines each user claim, for its replay command. */
  readonly claimFileOf?: Readonly<Record<string, string>>;
  readonly runs?: number;
  readonly budgetSeconds?: number;
  readonly path?: string;
}

/** Run one unit in this thread; the report comes back in its portable (JSON round-trip) form. */
export function runUnit(claim: Claim<any>, unit: Unit, config: UnitConfig, onProgress?: (n: number) => void): ClaimReport {
  return portable(runClaim(claim, unitRunOptions(claim, unit, config, onProgress)));
}

/** The runner's options for one unit (in this thread or a worker). */
export function unitRunOptions(claim: Claim<any>, unit: Unit, config: UnitConfig, onProgress?: (n: number) => void): RunOptions {
  const file = config.claimFileOf?.[claim.id];
  return {
    seed: unit.seed,
    runs: config.runs,
    budgetSeconds: config.budgetSeconds,
    path: config.path,
    ...(onProgress ? { onProgress } : {}),
    ...(file !== undefined ? { claimsFile: file } : {}),
  };
}

/** The compiled worker script next to this module (absent when running from TypeScript sources). */
export function workerScript(): URL | undefined {
  const url = new URL('./verify-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

type FromWorker = { ready: true } | { k: number; json: string } | { k: number; error: string } | { fatal: string };

/**
 * Run units on `workers` worker threads: each thread loads the compiled catalogue (and the user's claim files)
 * once, then takes the next unit whenever it is free. A unit's report depends only on its claim, seed and run
 * options, never on the thread or the order, so the result equals the in-process run. `onReport` is called in
 * plan order as reports become available (so the terminal log reads the same either way).
 */
export async function runUnitsOnWorkers(units: readonly Unit[], config: UnitConfig, workers: number, script: URL, onReport: (k: number, report: ClaimReport) => void): Promise<ClaimReport[]> {
  const results: (ClaimReport | undefined)[] = new Array(units.length);
  let next = 0, printed = 0;
  const flush = (): void => {
    while (printed < units.length && results[printed]) {
      onReport(printed, results[printed]!);
      printed++;
    }
  };
  const threads = Array.from({ length: Math.min(workers, units.length) }, () => new Worker(script, { workerData: config }));
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            const give = (): void => {
              if (next >= units.length) {
                resolve();
                return;
              }
              const k = next++;
              thread.postMessage({ k, unit: units[k] });
            };
            thread.on('message', (m: FromWorker) => {
              if ('fatal' in m) return reject(new UsageError(m.fatal));
              if ('ready' in m) return give();
              if ('error' in m) return reject(new DlnvError('domain', `worker: ${units[m.k].claim} (seed ${units[m.k].seed}): ${m.error}`));
              results[m.k] = JSON.parse(m.json, finiteReviver) as ClaimReport;
              flush();
              give();
            });
            thread.on('error', (e) => reject(new DlnvError('domain', `worker thread failed: ${e instanceof Error ? e.message : String(e)}`)));
            thread.on('exit', (code) => {
              if (code !== 0) reject(new DlnvError('domain', `worker thread exited with code ${code}`));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  flush();
  return results as ClaimReport[];
}

/** Serialize a report for the trip from a worker (the same JSON form the reports are written in). */
export function reportMessage(report: ClaimReport): string {
  return JSON.stringify(report, finiteReplacer);
}
