import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** One line of a profile summary: a function (name and where), its share of the samples and milliseconds. */
export interface ProfileLine {
  readonly fn: string;
  readonly percent: number;
  readonly ms: number;
}

export interface ProfileSummary {
  /** Where the raw .cpuprofile was written (open it in Chrome DevTools or speedscope). */
  readonly file: string;
  readonly totalMs: number;
  /** Time spent in the function itself. */
  readonly self: ProfileLine[];
  /** Time spent in the function or anything it called (each function counted once per sample). */
  readonly inclusive: ProfileLine[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function label(node: CpuProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

/** The V8 CPU profile of `run` (what `node --cpu-prof` records), saved to `file` and summarized. */
export async function profile(run: () => void, file: string, top = 12): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    run();
    const { profile: raw } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    writeFileSync(file, JSON.stringify(raw));
    const byId = new Map(raw.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of raw.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<string, number>(),
      inclusive = new Map<string, number>();
    let total = 0;
    // The inspector's own frames (starting and stopping the profiler: the first sample carries the delay from
    // Profiler.start) are not the workload's time.
    const inspector = (id: number): boolean => {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
        if (byId.get(cur)?.callFrame.url.startsWith('node:inspector')) return true;
      return false;
    };
    raw.samples.forEach((id, i) => {
      const dt = raw.timeDeltas[i] ?? 0;
      const leaf = byId.get(id);
      if (!leaf || i === 0 || inspector(id)) return;
      total += dt;
      self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const node = byId.get(cur);
        if (!node) break;
        const key = label(node);
        // Frames above the workload (the event loop, this profiler, the harness's callback) hold every sample.
        if (
          seen.has(key) ||
          key.startsWith('(root)') ||
          /^(runMicrotasks|processTicksAndRejections)\b|lib\/profile\.js|bench\/workloads\.js/.test(key)
        )
          continue;
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
      }
    });
    const lines = (m: Map<string, number>): ProfileLine[] =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([fn, us]) => ({
          fn,
          percent: Number(((100 * us) / total).toFixed(1)),
          ms: Number((us / 1000).toFixed(1)),
        }));
    return { file, totalMs: Number((total / 1000).toFixed(1)), self: lines(self), inclusive: lines(inclusive) };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
