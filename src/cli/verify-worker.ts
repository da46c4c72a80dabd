import { parentPort, workerData } from 'node:worker_threads';
import type { Claim } from '../claims/claim.js';
import { loadClaimFile } from '../claims/load.js';
import type { Unit } from '../claims/plan.js';
import { runClaim } from '../claims/runner.js';
import { catalogue } from '../../properties/index.js';
import { reportMessage, unitRunOptions, type UnitConfig } from './verify-units.js';

/**
 * A worker thread of `dlnv verify --workers N`: loads the compiled catalogue and the user's claim files once, then
 * runs the units it is sent, one at a time, and posts each report back as JSON.
 */
const config = workerData as UnitConfig;
const port = parentPort!;
try {
  const claims = new Map<string, Claim<any>>(catalogue.map((c) => [c.id, c]));
  for (const file of config.claimsFiles) for (const c of await loadClaimFile(file)) claims.set(c.id, c);
  port.on('message', ({ k, unit }: { k: number; unit: Unit }) => {
    try {
      const claim = claims.get(unit.claim);
      if (!claim) throw new Error(`no claim '${unit.claim}' in this worker`);
      const report = runClaim(claim, unitRunOptions(claim, unit, config));
      port.postMessage({ k, json: reportMessage(report) });
    } catch (e) {
      port.postMessage({ k, error: e instanceof Error ? e.message : String(e) });
    }
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ fatal: e instanceof Error ? e.message : String(e) });
}
