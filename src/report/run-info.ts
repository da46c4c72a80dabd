import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** When, with which dlnv and on what machine a report was made: the envelope of every JSON report. */
export interface RunInfo {
  readonly toolVersion: string;
  /** ISO 8601, UTC. */
  readonly timestamp: string;
  readonly machine: {
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpus: number;
    readonly cpuModel: string;
  };
}

/** The version in dlnv's own package.json, found by walking up from this file (src/report or dist/src/report). */
function toolVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dlnv' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json at this level
    }
    if (dir.pathname === '/') return 'unknown';
  }
}

export function runInfo(now: Date = new Date()): RunInfo {
  const cpu = cpus();
  return {
    toolVersion: toolVersion(),
    timestamp: now.toISOString(),
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    },
  };
}
