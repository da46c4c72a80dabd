import { parentPort, workerData } from 'node:worker_threads';
import { catalogue } from '../../properties/index.js';
import type { Claim } from '../claims/claim.js';
import { faultMessage } from '../claims/evaluate.js';
import { loadClaimFile } from '../claims/load.js';
import type { Unit } from '../claims/plan.js';
import { UsageError } from '../errors.js';
import { setProductThreads } from '../wasm/runtime.js';
import { type FromWorker, reportMessage, runUnit, type UnitConfig } from './verify-units.js';

/**
 * A worker thread of `dlnv verify`: loads the compiled catalogue and the user's claim files once, then runs the
 * units it is sent, one at a time, and posts each report back as JSON (with progress counts on the way, so the
 * main thread can show them and knows how far a unit got if it has to stop it).
 */
const config = workerData as UnitConfig;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);
const PROGRESS_EVERY_MS = 200;
try {
  if (config.productThreads) setProductThreads(config.productThreads);
  const claims = new Map<string, Claim<any>>(catalogue.map((c) => [c.id, c]));
  for (const file of config.claimsFiles) for (const c of await loadClaimFile(file)) claims.set(c.id, c);
  port.on('message', ({ k, unit }: { k: number; unit: Unit }) => {
    try {
      const claim = claims.get(unit.claim);
      if (!claim) throw new Error(`no claim '${unit.claim}' in this worker`);
      let shown = 0;
      const report = runUnit(claim, unit, config, (evaluated) => {
        const now = performance.now();
        if (now - shown < PROGRESS_EVERY_MS) return;
        shown = now;
        post({ k, progress: evaluated });
      });
      post({ k, json: reportMessage(report) });
    } catch (e) {
      // Bad usage (a --path that leads nowhere) ends the run as in one thread; anything else is the unit's error.
      if (e instanceof UsageError) post({ fatal: e.message });
      else post({ k, error: faultMessage(e) });
    }
  });
  post({ ready: true });
} catch (e) {
  post({ fatal: e instanceof Error ? e.message : String(e) });
}
