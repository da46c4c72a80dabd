import type { Verdict } from '../check/verdict.js';
import { shellQuote } from '../claims/runner.js';
import { UsageError } from '../errors.js';
import { sci } from '../format.js';
import { Rng } from '../random/rng.js';
import type { CheckStatus, GateStatus } from '../report/schema.js';
import { CHECKS, type GateCheck } from './checks.js';
import { GateClient } from './client.js';
import { precisionHint } from './diagnose.js';
import { instanceSeed } from './instances.js';
import { checkTrajectory, loadTrajectory } from './offline.js';
import { type Encoding, type Handshake, PROTOCOL_VERSION, ProtocolError, Unsupported } from './protocol.js';
import { SAFETY, type Tolerance, toleranceFor } from './tolerance.js';

/**
 * The gate runner: handshake, then every selected check on its seeded instances, stopping a check at its first
 * failing instance (the replay command is printed) and the whole run at the first fault. The report is plain data
 * (report.ts prints it as text, JSON and JUnit XML).
 */

export interface GateOptions {
  readonly command: string;
  /** Check names (default: every check the implementation's capabilities allow). */
  readonly checks?: readonly string[];
  /** Instances per check (scaled by each check's share). */
  readonly runs: number;
  readonly seed: number;
  /** Run only this instance index of each selected check (replay). */
  readonly instance?: number;
  readonly timeoutMs: number;
  readonly startupTimeoutMs: number;
  readonly encoding?: Encoding;
  readonly cwd?: string;
  readonly onProgress?: (check: string, done: number, total: number) => void;
}

export interface FailureReport {
  readonly instance: number;
  readonly seed: number;
  readonly summary: Record<string, unknown>;
  readonly verdict: Verdict;
  readonly hint?: string;
  readonly replay: string;
}

export interface CheckReport {
  readonly name: string;
  readonly summary: string;
  status: CheckStatus;
  instances: number;
  inconclusive: number;
  seconds: number;
  /** The passing verdict with the smallest margin. */
  worst?: Verdict;
  worstInstance?: number;
  /** Instances the implementation answered 'unsupported' for (skipped, not counted in `instances`), by reason. */
  unsupported?: { count: number; reasons: Record<string, number> };
  failure?: FailureReport;
  skipped?: string;
  error?: string;
}

export interface GateReport {
  readonly mode: 'implementation' | 'trajectory';
  readonly protocol: number;
  readonly command?: string;
  readonly file?: string;
  implementation?: Handshake;
  encoding?: Encoding;
  readonly seed?: number;
  readonly runs?: number;
  errorModel?: string;
  checks: CheckReport[];
  /** The fault that stopped the run (exit code 2). */
  fault?: { message: string; stderr: string; check?: string; instance?: number; seed?: number };
  requests: number;
  /** Mean time from writing a request to reading its answer. */
  msPerRequest: number;
  instances: number;
  seconds: number;
  status: GateStatus;
  exitCode: 0 | 1 | 2;
}

export function errorModelText(tol: Tolerance): string {
  return (
    `values: ‖expected − received‖ ≤ ${SAFETY}·ε_${tol.dtype}·(‖expected‖ + ‖received‖ + scale), ε_${tol.dtype} = ${sci(tol.eps)}, ` +
    'scale = the size of the terms the value is built from (named in each failure); ranks: σ ≤ 1e4·ε·σ_1 counts as 0; derivatives: Taylor remainder slopes; ' +
    'orders: least-squares slope in η above the dtype round-off floor'
  );
}

/** "reason (n×); other reason (m×)", the three most frequent reasons first. */
export function unsupportedText(reasons: Record<string, number>): string {
  const all = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
  const shown = all
    .slice(0, 3)
    .map(([r, n]) => `${r} (${n}×)`)
    .join('; ');
  return all.length > 3 ? `${shown}; and ${all.length - 3} other reasons` : shown;
}

export { shellQuote };

export function checkNames(): string[] {
  return CHECKS.map((c) => c.name);
}

function selectChecks(names: readonly string[] | undefined): GateCheck[] {
  if (!names || names.length === 0) return [...CHECKS];
  const known = new Map(CHECKS.map((c) => [c.name, c]));
  return names.map((n) => {
    const c = known.get(n);
    if (!c) throw new UsageError(`--checks: unknown check '${n}' (checks: ${checkNames().join(', ')})`);
    return c;
  });
}

function finish(report: GateReport, started: number): GateReport {
  report.seconds = (performance.now() - started) / 1000;
  report.instances = report.checks.reduce((s, c) => s + c.instances, 0);
  const failed = report.checks.some((c) => c.status === 'fail');
  report.status = report.fault ? 'error' : failed ? 'fail' : 'pass';
  report.exitCode = report.fault ? 2 : failed ? 1 : 0;
  return report;
}

/**
 * One check's instances, recorded into `entry`; stops at the first failure. A protocol fault of the implementation
 * is returned with the instance it happened at (the caller reports it and stops the gate).
 */
async function runInstances(
  check: GateCheck,
  entry: CheckReport,
  client: GateClient,
  tol: Tolerance,
  options: GateOptions,
): Promise<{ error: ProtocolError; instance: number; seed: number } | undefined> {
  const indices =
    options.instance !== undefined
      ? [options.instance]
      : Array.from({ length: Math.max(1, Math.ceil(options.runs * check.share)) }, (_, i) => i);
  for (const index of indices) {
    const seed = instanceSeed(options.seed, check.name, index);
    let outcome: Awaited<ReturnType<GateCheck['run']>>;
    try {
      outcome = await check.run({ client, tol, conventions: client.handshake.conventions, seed }, new Rng(seed), index);
    } catch (e) {
      if (e instanceof Unsupported) {
        const u = (entry.unsupported ??= { count: 0, reasons: {} });
        u.count++;
        u.reasons[e.reason] = (u.reasons[e.reason] ?? 0) + 1;
        continue;
      }
      if (!(e instanceof ProtocolError)) throw e;
      entry.status = 'error';
      entry.error = e.message;
      return { error: e, instance: index, seed };
    }
    entry.instances++;
    options.onProgress?.(check.name, entry.instances, indices.length);
    const v = outcome.verdict;
    if (v.status === 'fail') {
      entry.status = 'fail';
      // An error of float32 size in a float64 declaration outranks any hint that was not shown to fit.
      const hint = (outcome.diagnosed ? undefined : precisionHint(tol, v)) ?? outcome.hint;
      entry.failure = {
        instance: index,
        seed,
        summary: outcome.instance,
        verdict: v,
        ...(hint ? { hint } : {}),
        replay: `dlnv gate --impl ${shellQuote(options.command)} --checks ${check.name} --seed ${options.seed} --instance ${index}`,
      };
      return undefined;
    }
    if (v.status === 'inconclusive') entry.inconclusive++;
    else if (!entry.worst || v.margin < entry.worst.margin) {
      entry.worst = v;
      entry.worstInstance = index;
    }
  }
  return undefined;
}

/** Run the gate against an implementation. Usage problems throw UsageError; faults end up in report.fault. */
export async function runGate(options: GateOptions): Promise<GateReport> {
  const selected = selectChecks(options.checks);
  const started = performance.now();
  const report: GateReport = {
    mode: 'implementation',
    protocol: PROTOCOL_VERSION,
    command: options.command,
    seed: options.seed,
    runs: options.runs,
    checks: [],
    requests: 0,
    msPerRequest: 0,
    instances: 0,
    seconds: 0,
    status: 'pass',
    exitCode: 0,
  };
  let client: GateClient;
  try {
    client = await GateClient.connect(options.command, {
      timeoutMs: options.timeoutMs,
      startupTimeoutMs: options.startupTimeoutMs,
      ...(options.encoding ? { encoding: options.encoding } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    report.fault = { message: e.message, stderr: e.stderrTail };
    return finish(report, started);
  }
  report.implementation = client.handshake;
  report.encoding = client.encoding;
  const tol = toleranceFor(client.handshake.dtype);
  report.errorModel = errorModelText(tol);
  let faultError: ProtocolError | undefined;
  try {
    for (const check of selected) {
      const missing = check.needs.filter((n) =>
        typeof n === 'string' ? !client.has(n) : !n.some((m) => client.has(m)),
      );
      const entry: CheckReport = {
        name: check.name,
        summary: check.summary,
        status: 'pass',
        instances: 0,
        inconclusive: 0,
        seconds: 0,
      };
      report.checks.push(entry);
      const inapplicable = check.inapplicable?.(client.handshake.conventions);
      if (inapplicable) {
        entry.status = 'skip';
        entry.skipped = inapplicable;
        continue;
      }
      if (missing.length > 0) {
        entry.status = 'skip';
        entry.skipped = `the implementation does not serve ${missing.map((m) => (typeof m === 'string' ? `'${m}'` : m.map((x) => `'${x}'`).join(' or '))).join(', ')}`;
        if (options.checks?.includes(check.name)) {
          report.fault = {
            message: `--checks ${check.name}: ${entry.skipped} (its handshake lists: ${client.handshake.capabilities.join(', ') || 'nothing'})`,
            stderr: '',
          };
          break;
        }
        continue;
      }
      const t0 = performance.now();
      const fault = await runInstances(check, entry, client, tol, options);
      if (fault) {
        faultError = fault.error;
        report.fault = {
          message: fault.error.message,
          stderr: '',
          check: check.name,
          instance: fault.instance,
          seed: fault.seed,
        };
      }
      entry.seconds = (performance.now() - t0) / 1000;
      if (entry.status === 'pass' && entry.instances === 0 && entry.unsupported) {
        entry.status = 'skip';
        entry.skipped = `the implementation answered 'unsupported' for all ${entry.unsupported.count} instances: ${unsupportedText(entry.unsupported.reasons)}`;
      }
      if (report.fault) break;
    }
  } finally {
    report.requests = client.process.requests;
    report.msPerRequest = client.process.requests > 0 ? client.process.requestMs / client.process.requests : 0;
    await client.close();
    // Read the stderr tail only now: the last bytes the implementation wrote before it was stopped have arrived.
    if (faultError && report.fault) report.fault.stderr = faultError.stderrTail;
  }
  return finish(report, started);
}

/** Check a recorded run (no implementation is started). A bad file ends up in report.fault. */
export function runTrajectory(file: string): GateReport {
  const started = performance.now();
  const report: GateReport = {
    mode: 'trajectory',
    protocol: PROTOCOL_VERSION,
    file,
    checks: [],
    requests: 0,
    msPerRequest: 0,
    instances: 0,
    seconds: 0,
    status: 'pass',
    exitCode: 0,
  };
  try {
    const t = loadTrajectory(file);
    const tol = toleranceFor(t.dtype);
    report.errorModel = errorModelText(tol);
    const steps = t.weights.length - 1;
    for (const r of checkTrajectory(t, tol)) {
      const entry: CheckReport = {
        name: r.name,
        summary: r.summary,
        status: 'pass',
        instances: 0,
        inconclusive: 0,
        seconds: 0,
      };
      if (r.skipped) {
        entry.status = 'skip';
        entry.skipped = r.skipped;
      } else if (r.verdict) {
        entry.instances = steps;
        if (r.verdict.status === 'fail') {
          entry.status = 'fail';
          entry.failure = {
            instance: 0,
            seed: 0,
            summary: { file, steps, dtype: t.dtype },
            verdict: r.verdict,
            replay: `dlnv gate --trajectory ${shellQuote(file)}`,
          };
        } else entry.worst = r.verdict;
      }
      report.checks.push(entry);
    }
    if (report.checks.every((c) => c.status === 'skip')) {
      report.fault = {
        message: `--trajectory ${file}: nothing could be checked (${report.checks.map((c) => `${c.name}: ${c.skipped}`).join('; ')})`,
        stderr: '',
      };
    }
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    report.fault = { message: e.message, stderr: '' };
  }
  return finish(report, started);
}
