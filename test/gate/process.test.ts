import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImplementationProcess } from '../../src/gate/process.js';
import { ProtocolError } from '../../src/gate/protocol.js';
import { isRunning } from '../helpers/process-alive.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The child-process layer with plain shell commands (no Python needed). */

describe('ImplementationProcess', () => {
  it('answers in order, and close() kills the whole process group (background children too)', async () => {
    const dir = tempDir('proc');
    const pidFile = join(dir, 'bg');
    const before = process.listenerCount('SIGINT');
    // A background sleep that would outlive its parent, then a loop that answers every line with {"id": n, "ok": 1}.
    const p = new ImplementationProcess(
      `sleep 300 & echo $! > '${pidFile}'; while read -r line; do n=\${line#*\\"id\\":}; echo "{\\"id\\":\${n%%,*},\\"ok\\":1}"; done`,
      { timeoutMs: 5000 },
    );
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(await p.request({ op: 'loss' })).toEqual({ id: 0, ok: 1 });
    expect(await p.request({ op: 'loss' })).toEqual({ id: 1, ok: 1 });
    expect(p.requests).toBe(2);
    const bg = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(bg)).toBe(true);
    await p.close(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(isRunning(bg)).toBe(false);
    expect(isRunning(p.pid!)).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('output with no request pending is a fault, reported with the stderr tail', async () => {
    const p = new ImplementationProcess(`echo 'warming up' >&2; echo '{"id": 0}'; sleep 300`, { timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 300));
    const e = await p.request({ op: 'hello' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProtocolError);
    await p.close(0); // the tail is read when reported: after close, whatever the child wrote has arrived
    expect((e as ProtocolError).line()).toMatch(
      /^unsolicited output on stdout \(no request pending\): "\{\\"id\\": 0\}" — implementation stderr: warming up$/,
    );
  });

  it('a request after the child exited fails at once with the exit status, not at the timeout', async () => {
    // An hour's timeout: a request that waited for it would be stopped by vitest's hang guard and fail the test.
    const p = new ImplementationProcess('exit 4', { timeoutMs: 3_600_000 });
    await new Promise((r) => setTimeout(r, 500));
    await expect(p.request({ op: 'hello' })).rejects.toThrow(/the implementation exited \(exit code 4\)/);
    await p.close(0);
  });
});
