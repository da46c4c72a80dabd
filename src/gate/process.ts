import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { ProtocolError } from './protocol.js';

/**
 * The implementation as a child process speaking JSON Lines (docs/PROTOCOL.md). Every way it can misbehave
 * becomes one ProtocolError with a one-line cause and the tail of its stderr: a crash or early exit, a hang
 * (per-request timeout), garbage or log lines on stdout, a response to the wrong request, an error answer.
 *
 * The command runs through `sh -c` in its own process group (detached), so the gate can kill the whole group
 * (the shell, the interpreter and anything it started) on a fault, at the end, and when dlnv itself is
 * interrupted: no process is left behind.
 */

export interface ProcessOptions {
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs: number;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface Pending {
  readonly id: number;
  readonly op: string;
  readonly resolve: (value: Record<string, unknown>) => void;
  readonly reject: (error: ProtocolError) => void;
  readonly timer: NodeJS.Timeout;
  readonly started: number;
}

/** The last bytes an implementation wrote on stderr, kept bounded. */
class Tail {
  private text = '';
  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.limit);
  }

  /** The last few non-empty lines on one line (a Python traceback ends with the exception: the part that matters). */
  summary(lines = 3, chars = 400): string {
    const last = this.text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .slice(-lines)
      .join(' ⏎ ');
    return last.length > chars ? `…${last.slice(-chars)}` : last;
  }
}

/** Process groups of implementations still running, killed when dlnv exits or is interrupted. */
const live = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}

const killAll = (): void => {
  for (const pid of live) killGroup(pid);
};
const onSignal = (signal: NodeJS.Signals): void => {
  killAll();
  process.exit(signal === 'SIGINT' ? 130 : 143);
};

/**
 * The children run in their own process groups, so a Ctrl-C at the terminal does not reach them: while any is
 * alive, dlnv's exit and SIGINT/SIGTERM kill them first. The handlers are removed when the last one is gone, so
 * a program that embeds the gate keeps its own signal behaviour otherwise.
 */
function track(pid: number): void {
  if (live.size === 0) {
    process.on('exit', killAll);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  live.add(pid);
}

function untrack(pid: number): void {
  if (!live.delete(pid) || live.size > 0) return;
  process.off('exit', killAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

const MAX_LINE = 256 * 1024 * 1024;

function excerpt(line: string, chars = 120): string {
  const t = line.trim();
  return JSON.stringify(t.length > chars ? `${t.slice(0, chars)}…` : t);
}

export class ImplementationProcess {
  readonly command: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly timeoutMs: number;
  private readonly stderr = new Tail(8192);
  private buffer = '';
  private pending: Pending | undefined;
  private fault: ProtocolError | undefined;
  private nextId = 0;
  private closing = false;
  private exitInfo: string | undefined;
  private readonly exited: Promise<void>;
  /** Requests answered, and the total time from writing a request to reading its answer. */
  requests = 0;
  requestMs = 0;

  constructor(command: string, options: ProcessOptions) {
    this.command = command;
    this.timeoutMs = options.timeoutMs;
    this.child = spawn(command, {
      shell: true,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: options.cwd,
      env: options.env ?? process.env,
    });
    const pid = this.child.pid;
    if (pid !== undefined) track(pid);
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: string) => this.stderr.push(chunk));
    // EPIPE on a dead child's stdin: the exit handler reports the cause.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (e) => this.fail(`cannot start '${command}': ${e.message}`));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitInfo = signal ? `killed by ${signal}` : `exit code ${code}`;
        if (pid !== undefined) {
          // Wait briefly for the last stdout/stderr bytes (a traceback is written just before the exit).
          let done = false;
          const finish = (): void => {
            if (done) return;
            done = true;
            killGroup(pid);
            untrack(pid);
            this.onExit();
            resolve();
          };
          this.child.once('close', finish);
          setTimeout(finish, 300);
        } else resolve();
      });
    });
  }

  /** The pid of the process group leader (the shell); for tests that check nothing is left behind. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Send one request and wait for its answer (a JSON object without an 'error' field). */
  request(
    body: Record<string, unknown> & { op: string },
    timeoutMs = this.timeoutMs,
    timeoutOption = '--timeout',
  ): Promise<Record<string, unknown>> {
    if (this.fault) return Promise.reject(this.fault);
    if (this.pending) return Promise.reject(new Error('ImplementationProcess: one request at a time'));
    const id = this.nextId++;
    const line = JSON.stringify({ id, ...body });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          `no answer to request #${id} (${body.op}) within ${(timeoutMs / 1000).toFixed(1)} s: the implementation hangs or is too slow (raise ${timeoutOption})`,
        );
      }, timeoutMs);
      this.pending = { id, op: body.op, resolve, reject, timer, started: performance.now() };
      if (this.exitInfo !== undefined) {
        this.fail(`the implementation exited (${this.exitInfo}) before request #${id} (${body.op})`);
        return;
      }
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Close stdin (the implementation should exit on EOF), wait up to graceMs, then kill the process group. */
  async close(graceMs = 1000): Promise<void> {
    this.closing = true;
    this.child.stdin.end();
    const pid = this.child.pid;
    if (pid === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    killGroup(pid);
    await Promise.race([this.exited, new Promise<void>((r) => setTimeout(r, 500))]);
    untrack(pid);
  }

  private onStdout(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim().length > 0) this.onLine(line);
      if (this.fault) return;
    }
    if (this.buffer.length > MAX_LINE) this.fail(`stdout line longer than ${MAX_LINE} bytes without a newline`);
  }

  private onLine(line: string): void {
    if (this.fault) return;
    const p = this.pending;
    const where = p ? ` while waiting for the answer to request #${p.id} (${p.op})` : '';
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (/^\s*[[{]/.test(line) && /\bNaN\b|\bInfinity\b/.test(line)) {
        this.fail(
          `the answer to request #${p?.id ?? '?'} (${p?.op ?? '?'}) contains NaN or Infinity: the implementation produced a non-finite value (JSON has no NaN; it is a failure, not a number)`,
        );
      } else {
        this.fail(
          `stdout line is not JSON${where}: ${excerpt(line)} — stdout is reserved for protocol answers; print logs to stderr`,
        );
      }
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(
        `stdout line is not a JSON object${where}: ${excerpt(line)} — stdout is reserved for protocol answers; print logs to stderr`,
      );
      return;
    }
    const obj = value as Record<string, unknown>;
    if (!p) {
      this.fail(`unsolicited output on stdout (no request pending): ${excerpt(line)}`);
      return;
    }
    if (obj.id !== p.id) {
      this.fail(
        `answer with id ${JSON.stringify(obj.id)} while waiting for request #${p.id} (${p.op}): answers must repeat the request's id, in order`,
      );
      return;
    }
    if ('error' in obj) {
      this.fail(
        `the implementation answered request #${p.id} (${p.op}) with an error: ${String(obj.error).split('\n')[0].slice(0, 300)}`,
      );
      return;
    }
    clearTimeout(p.timer);
    this.pending = undefined;
    this.requests++;
    this.requestMs += performance.now() - p.started;
    p.resolve(obj);
  }

  private onExit(): void {
    if (this.buffer.trim().length > 0 && !this.fault) {
      const rest = this.buffer;
      this.buffer = '';
      this.onLine(rest);
    }
    if (this.fault) return;
    if (this.pending)
      this.fail(
        `the implementation exited (${this.exitInfo}) before answering request #${this.pending.id} (${this.pending.op})`,
      );
    else if (!this.closing)
      this.fail(`the implementation exited (${this.exitInfo}) while the gate still had requests for it`);
  }

  /** Record the first fault, reject the pending request with it and kill the process group. */
  fail(message: string): ProtocolError {
    if (this.fault) return this.fault;
    this.fault = new ProtocolError(message, () => this.stderr.summary());
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(this.fault);
    }
    if (this.child.pid !== undefined) killGroup(this.child.pid);
    return this.fault;
  }

  /** The fault that ended the conversation, if any. */
  get failure(): ProtocolError | undefined {
    return this.fault;
  }
}
