import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Faults of a claim's own code stay inside that claim, and report files are never lost: through the compiled CLI,
 * because stopping a check that never returns needs its worker thread (test/global-setup.ts builds dist/).
 */
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'dlnv.js');
const broken = join(import.meta.dirname, 'fixtures', 'broken-claims.ts');
const dir = mkdtempSync(join(tmpdir(), 'dlnv-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dlnv = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('claims whose own code breaks', () => {
  it('are ERROR or TIMEOUT with a one-line cause; the others are reported and every report file is complete', () => {
    const r = dlnv(
      'verify',
      '--claims-file',
      broken,
      '--timeout',
      '2',
      '--json',
      'r.json',
      '--junit',
      'r.xml',
      '--html',
      'r.html',
    );
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^ERROR {2}broken\.throws {2}\[D\] {2}check threw: boom on \d/m);
    expect(r.out).toMatch(/^TIMEOUT {2}broken\.hangs {2}\[D\] {2}no verdict after 2 s/m);
    expect(r.out).toMatch(
      /^ERROR {2}broken\.string {2}\[D\] {2}check returned the string "fine" instead of a Verdict/m,
    );
    expect(r.out).toMatch(/^ERROR {2}broken\.promise {2}\[D\] {2}check returned a Promise/m);
    expect(r.out).toMatch(/^ERROR {2}broken\.generator {2}\[D\] {2}instance generator threw: cannot draw/m);
    expect(r.out).toMatch(/^PASS {2}broken\.none/m);
    expect(r.out).toMatch(/1 passed, 0 failed, 5 errored \(6 claims/);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json.summary).toMatchObject({ claims: 6, passed: 1, errors: 5 });
    expect(json.claims.map((c: { observed: string }) => c.observed)).toEqual([
      'error',
      'timeout',
      'error',
      'error',
      'error',
      'holds',
    ]);
    const junit = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(junit.match(/<error /g)).toHaveLength(5);
    expect(junit.trimEnd().endsWith('</testsuites>')).toBe(true);
    expect(readFileSync(join(dir, 'r.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
  });

  it('print a replay line naming the claim file, which reproduces the error when pasted', () => {
    const r = dlnv('verify', '--claims-file', broken, '--claims', 'broken.throws');
    const replay = /replay: npx dlnv (.*)$/m.exec(r.out)![1];
    expect(replay).toContain(`--claims-file ${broken}`);
    const again = dlnv(...replay.split(' '));
    expect(again.code).toBe(3);
    expect(again.out).toMatch(/ERROR {2}broken\.throws/);
  });

  it('--budget bounds a hung check too', () => {
    const r = dlnv('verify', '--claims-file', broken, '--claims', 'broken.hangs', '--budget', '1');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/TIMEOUT {2}broken\.hangs .* no verdict after 11 s/);
  });
});

describe('report files', () => {
  it('--json - writes the report to standard output and the claim lines to standard error', () => {
    const r = dlnv('verify', '--claims', 'grad.layer', '--runs', '3', '--json', '-');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).claims[0]).toMatchObject({ id: 'grad.layer', status: 'pass' });
    expect(r.err).toMatch(/^PASS {2}grad\.layer/m);
  });

  it('a bad --path is a usage error (exit 2), not an internal error', () => {
    const r = dlnv('verify', '--claims', 'grad.layer', '--path', 'x:1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dlnv: --path must be numbers separated by ':'/);
  });

  it('Ctrl-C during a run leaves the previous reports intact and says so in one line', async () => {
    const json = join(dir, 'keep.json'),
      html = join(dir, 'keep.html');
    writeFileSync(json, '{"previous": true}');
    writeFileSync(html, '<p>previous</p>');
    const child = spawn(process.execPath, [bin, 'verify', '--claims', 'flow.*', '--json', json, '--html', html], {
      cwd: dir,
    });
    let out = '',
      err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    // Interrupt once the first claim has finished, i.e. in the middle of the run.
    await new Promise<void>((resolve) => child.stdout.on('data', () => /^(PASS|FAIL)/m.test(out) && resolve()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(err).toMatch(
      /dlnv verify: interrupted after \d+ of \d+ units; no report written \(existing report files are unchanged\)/,
    );
    expect(readFileSync(json, 'utf8')).toBe('{"previous": true}');
    expect(readFileSync(html, 'utf8')).toBe('<p>previous</p>');
  });
});
