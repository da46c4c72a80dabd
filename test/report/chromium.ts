import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's chromium (installed by .ci/run), or undefined. DLNV_CHROMIUM overrides the path. */
export function findChromium(): string | undefined {
  const candidates = [process.env.DLNV_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  return candidates.find((p) => existsSync(p));
}

export interface PageReport {
  /** Console errors, uncaught exceptions and error log entries (CSP violations, failed loads…). */
  readonly errors: string[];
  /** Milliseconds from navigation start to the end of the load event, as the page's Navigation Timing reports it. */
  readonly loadMs: number;
  /** The value of `expression` evaluated in the loaded page. */
  readonly value: unknown;
  /** The PNG files written for `shots`. */
  readonly screenshots: string[];
}

/** Screenshots to take: every element matching `selector` (at most `max`), as `${prefix}-k.png`. */
export interface Shots {
  readonly selector: string;
  readonly prefix: string;
  readonly max?: number;
}

/**
 * Open a local HTML file in headless chromium, driven through the DevTools protocol over a pipe
 * (--remote-debugging-pipe: fd 3 carries commands in, fd 4 answers and events out, NUL-separated JSON), with a
 * fresh profile and no network features; wait for the load event, collect every error the page produced, and
 * evaluate `expression` in it.
 */
export async function openInChromium(
  chromium: string,
  file: string,
  expression: string,
  shots: readonly Shots[] = [],
  timeoutMs = 60_000,
): Promise<PageReport> {
  const profile = mkdtempSync(join(tmpdir(), 'dlnv-chromium-'));
  const child = spawn(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const input = child.stdio[3] as NodeJS.WritableStream,
    output = child.stdio[4] as NodeJS.ReadableStream;
  const pending = new Map<number, (m: Record<string, any>) => void>();
  const events: Record<string, any>[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let k = buffer.indexOf('\0'); k >= 0; k = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, k));
      buffer = buffer.slice(k + 1);
      if (message.id !== undefined && pending.has(message.id)) {
        pending.get(message.id)!(message);
        pending.delete(message.id);
      } else {
        events.push(message);
        waiters.splice(0).forEach((w) => w());
      }
    }
  });
  let nextId = 0;
  const send = (
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, any>> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, (m) =>
        m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result),
      );
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const until = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => (test() ? resolve() : void waiters.push(check));
      check();
    });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    await send('Runtime.enable', {}, sessionId);
    await send('Log.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    await send(
      'Emulation.setDeviceMetricsOverride',
      { width: 1100, height: 900, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    await send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
    await until(() => events.some((e) => e.method === 'Page.loadEventFired' && e.sessionId === sessionId));
    const measured = await send(
      'Runtime.evaluate',
      {
        expression: `JSON.stringify({ value: (${expression}), loadMs: performance.getEntriesByType('navigation')[0].loadEventEnd })`,
        returnByValue: true,
      },
      sessionId,
    );
    if (measured.exceptionDetails) throw new Error(`evaluate: ${JSON.stringify(measured.exceptionDetails)}`);
    const { value, loadMs } = JSON.parse(measured.result.value);
    const errors = events.flatMap((e) => {
      if (e.method === 'Runtime.exceptionThrown') return [`exception: ${e.params.exceptionDetails.text}`];
      if (e.method === 'Runtime.consoleAPICalled' && (e.params.type === 'error' || e.params.type === 'assert'))
        return [`console.${e.params.type}: ${JSON.stringify(e.params.args)}`];
      if (e.method === 'Log.entryAdded' && e.params.entry.level === 'error')
        return [`log (${e.params.entry.source}): ${e.params.entry.text}`];
      return [];
    });
    const screenshots: string[] = [];
    for (const shot of shots) {
      const rects = await send(
        'Runtime.evaluate',
        {
          expression: `JSON.stringify([...document.querySelectorAll(${JSON.stringify(shot.selector)})].slice(0, ${shot.max ?? 50}).map((e) => { const b = e.getBoundingClientRect(); return { x: b.x + scrollX, y: b.y + scrollY, width: b.width, height: b.height }; }))`,
          returnByValue: true,
        },
        sessionId,
      );
      for (const [k, clip] of (JSON.parse(rects.result.value) as Record<string, number>[]).entries()) {
        if (clip.width <= 0 || clip.height <= 0) continue;
        const { data } = await send(
          'Page.captureScreenshot',
          { format: 'png', clip: { ...clip, scale: 1 }, captureBeyondViewport: true },
          sessionId,
        );
        const name = `${shot.prefix}-${k + 1}.png`;
        writeFileSync(name, Buffer.from(data, 'base64'));
        screenshots.push(name);
      }
    }
    await send('Browser.close').catch(() => undefined);
    return { errors, loadMs, value, screenshots };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
      });
    }
    rmSync(profile, { recursive: true, force: true });
  }
}
