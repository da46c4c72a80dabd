import { environmentValue } from '../wasm/environment.js';

/**
 * A one-line progress indicator for work that takes more than a second: a spinner, the counts, the elapsed time
 * and (when the total is known) an estimate of what is left, rewritten in place on stderr. Only on a terminal:
 * off a TTY (CI logs, pipes) it writes nothing, so logs hold plain lines only. It appears after `after`
 * milliseconds (1000, or DLNV_PROGRESS_AFTER), so quick commands never flicker.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  readonly total?: number;
  /** What is counted, singular ("instance", "evaluation", "step"); its plural adds an s. */
  readonly unit?: string;
  readonly stream?: ProgressStream;
  /** Milliseconds, monotonic. */
  readonly clock?: () => number;
  /** Milliseconds before the line first appears. */
  readonly after?: number;
}

export interface Progress {
  /** `done` items so far, with an optional short note (a phase, a stage). At most 10 redraws a second. */
  update(done: number, note?: string): void;
  /** A new stage of the work: shown at once (past the delay) and kept as the note of later updates. */
  stage(text: string): void;
  /** Erase the line, e.g. before printing a result line; the next update draws it again. */
  clear(): void;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const ERASE = '\r\x1b[2K';

/** "42 s", "3 min 5 s", "1 h 2 min". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function delay(): number {
  const raw = Number(environmentValue('DLNV_PROGRESS_AFTER'));
  return Number.isFinite(raw) && raw >= 0 ? raw : 1000;
}

export function progressLine(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const clock = options.clock ?? (() => performance.now());
  const after = options.after ?? delay();
  const started = clock();
  const unit = options.unit ?? 'instance';
  let frame = 0,
    lastDraw = -Infinity,
    shown = false,
    done = 0,
    stage: string | undefined;
  if (stream.isTTY !== true) return { update: () => undefined, stage: () => undefined, clear: () => undefined };
  /** Whether to draw now: after the delay, at most every 100 ms (a new stage at once). */
  const due = (now: number, fresh = false): boolean => {
    if (now - started < after || (!fresh && now - lastDraw < 100)) return false;
    lastDraw = now;
    return true;
  };
  const line = (now: number, note: string | undefined): void => {
    const total = options.total;
    const counts = `${done.toLocaleString('en-US')}${total !== undefined ? `/${total.toLocaleString('en-US')}` : ''} ${unit}${(total ?? done) === 1 ? '' : 's'}`;
    const elapsed = now - started;
    const left =
      total !== undefined && done > 0 && done < total ? `, ~${duration((elapsed / done) * (total - done))} left` : '';
    draw(`${label}  ${counts}  ${duration(elapsed)}${left}${note ? `  ${note}` : ''}`);
  };
  const draw = (text: string): void => {
    const full = `${SPINNER[frame++ % SPINNER.length]} ${text}`;
    const width = (stream.columns ?? 100) - 1;
    stream.write(`${ERASE}${full.length > width ? `${full.slice(0, width - 1)}…` : full}`);
    shown = true;
  };
  return {
    update(count, note) {
      done = count;
      const now = clock();
      if (!due(now)) return;
      line(now, note ?? stage);
    },
    stage(text) {
      stage = text;
      const now = clock();
      if (due(now, true)) line(now, text);
    },
    clear() {
      if (shown) stream.write(ERASE);
      shown = false;
      lastDraw = -Infinity;
    },
  };
}
