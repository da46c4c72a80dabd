import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * A recorded terminal session: the compiled CLI run under `script` (a pseudo-terminal, as a user's shell) and
 * through pipes (as CI runs it). On the terminal the progress line (spinner, counts, time, estimate) is rewritten
 * in place and status words are coloured unless NO_COLOR is set; through pipes the output is plain lines only.
 * DLNV_PROGRESS_AFTER=0 shows the line from the start, so the test does not depend on how fast the machine is.
 * test/global-setup.ts builds dist/ before the tests.
 */
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'dlnv.js');
const script = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
if (!script) console.warn('SKIPPED the recorded terminal session: no script(1) (util-linux)');

const dir = tempDir('tty');
const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...rest } = process.env;
  return { ...rest, DLNV_PROGRESS_AFTER: '0', COLUMNS: '160', TERM: 'xterm', ...extra };
};
/** The session as the terminal received it (stdout and stderr interleaved, as a user sees them). */
const onTerminal = (args: string[], extra: Record<string, string> = {}): string =>
  spawnSync(script!, ['-qec', `stty cols 160; ${[process.execPath, bin, ...args].map(quote).join(' ')}`, '/dev/null'], {
    cwd: dir,
    env: env(extra),
    encoding: 'utf8',
    timeout: 120_000,
  }).stdout;
const throughPipes = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: env({}), encoding: 'utf8', timeout: 120_000 });
const verify = ['verify', '--claims', 'grad.layer', 'nnls.positivity.odd-L', '--runs', '3'];

describe.skipIf(!script)('a recorded terminal session', () => {
  it('verify on a terminal: a live counter of claims with time and estimate, coloured status words', () => {
    const session = onTerminal(verify);
    console.log(
      `recorded session (escape codes shown as \\e, carriage returns as \\r):\n${session.replace(/\x1b/g, '\\e').replace(/\r(?!\n)/g, '\\r')}`,
    );
    expect(session).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] verify {2}[012]\/2 claims {2}\d+\.\d s/);
    expect(session).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] verify {2}1\/2 claims {2}\d+\.\d s, ~\d+\.\d s left/);
    expect(session).toMatch(/\x1b\[1;32mPASS\x1b\[0m {2}grad\.layer/);
    // Each result line first erases the progress line, then takes its place.
    expect(session).toMatch(/\r\x1b\[2K2 passed, 0 failed \(2 claims, [\d.]+ s\)\r?\n/);
  });

  it('NO_COLOR keeps the progress line but drops the colours', () => {
    const session = onTerminal(verify, { NO_COLOR: '1' });
    expect(session).toMatch(/\r\x1b\[2K. verify {2}\d\/2 claims/);
    expect(session).not.toMatch(/\x1b\[1;3\dm/);
    expect(session).toMatch(/\r\x1b\[2KPASS {2}grad\.layer/);
  });

  it('search on a terminal shows its evaluations and phase', () => {
    const session = onTerminal([
      'search',
      'nnls.positivity.odd-L',
      '--evaluations',
      '300',
      '--out',
      join(dir, 'r.json'),
    ]);
    expect(session).toMatch(
      /\r\x1b\[2K. search nnls\.positivity\.odd-L {2}[\d,]+\/300 evaluations {2}[\d.]+ s(, ~[\d.]+ s left)? {2}exploration phase/,
    );
  });

  it('through pipes (CI): plain lines only, no carriage return, no escape code', () => {
    const r = throughPipes(verify);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/[\r\x1b]/);
    expect(
      r.stdout
        .split('\n')
        .filter((l) => /^(PASS|FAIL)/.test(l))
        .map((l) => l.slice(0, 30)),
    ).toEqual(['PASS  grad.layer  [P]  held on', 'PASS  nnls.positivity.odd-L  [']);
  });
});
