import type { ClaimReport } from '../claims/runner.js';

/** The JSON report of `dlnv verify`: {seed, claims: [{id, provenance, expected, status, runs, worst, replay, …}]}. */
export function verifyReportJson(seed: number, reports: readonly ClaimReport[]): string {
  const passed = reports.filter((r) => r.status === 'pass').length;
  return JSON.stringify(
    { tool: 'dlnv', seed, summary: { claims: reports.length, passed, failed: reports.length - passed }, claims: reports },
    (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value),
    2,
  );
}
