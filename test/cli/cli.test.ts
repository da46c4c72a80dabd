import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../properties/index.js';
import { main } from '../../src/cli/main.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';

const { out, err } = captureConsole();

const dir = tempDir('cli');

describe('dlnv CLI', () => {
  it('--help teaches the commands', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(out.join('\n')).toMatch(/verify.*\n.*list.*\n.*proofs/s);
    expect(await main(['verify', '--help'])).toBe(0);
    expect(out.join('\n')).toMatch(/--claims GLOB/);
  });

  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await main(['--version'])).toBe(0);
    expect(out.at(-1)).toBe(version);
  });

  it.each([
    [['frob'], /unknown command 'frob'/],
    [['verify', '--claims', 'no.such.claim'], /no claim matches 'no\.such\.claim'/],
    [['verify', '--budget=-1'], /--budget must be a positive number of seconds, got '-1'/],
    [['verify', '--runs', '0'], /--runs must be a positive integer/],
    [['verify', '--runs', '5', '--budget', '1'], /give one of --runs, --runs-scale and --budget/],
    [['verify', '--json', join(dir, 'missing', 'r.json')], /--json: cannot write/],
    [['verify', '--bogus'], /Unknown option '--bogus'/],
    [['proofs', '--format', 'pdf'], /--format must be 'text', 'md' or 'tex'/],
    [['list', '--format', 'pdf'], /--format must be 'text' or 'md'/],
  ])('bad input %j gives one line and exit code 2', async (argv, message) => {
    expect(await main(argv)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it('verify --json writes the report, and the same seed gives the same verdicts', async () => {
    const file = join(dir, 'r.json');
    expect(await main(['verify', '--claims', 'grad.*', '--runs', '5', '--seed', '3', '--json', file])).toBe(0);
    const first = JSON.parse(readFileSync(file, 'utf8'));
    expect(first.seed).toBe(3);
    expect(first.claims.map((c: { id: string }) => c.id)).toEqual(['grad.layer', 'grad.hessian']);
    expect(first.claims.map((c: { provenance: string }) => c.provenance)).toEqual(['P', 'D']);
    for (const c of first.claims) {
      expect(c).toMatchObject({ expected: 'holds', status: 'pass', runs: 5 });
      expect(c.worst).toHaveProperty('measured');
      expect(c.worst).toHaveProperty('bound');
      expect(c.replay).toContain('--seed 3');
    }
    expect(await main(['verify', '--claims', 'grad.*', '--runs', '5', '--seed', '3', '--json', file])).toBe(0);
    const strip = (r: { claims: { seconds: number }[] }) => r.claims.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(JSON.parse(readFileSync(file, 'utf8')))).toEqual(strip(first));
  });

  it('verify --junit writes JUnit XML', async () => {
    const file = join(dir, 'r.xml');
    expect(await main(['verify', '--claims', 'grad.layer', '--runs', '3', '--junit', file])).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/<testsuite name="dlnv claims" tests="1" failures="0"/);
  });

  it('list names every claim, once, with its expected outcome and provenance tag', async () => {
    expect(await main(['list'])).toBe(0);
    const listed = out
      .join('\n')
      .split('\n')
      .map((line) => line.split(/\s+/).slice(0, 3).join(' '));
    expect(listed).toEqual(catalogue.map((c) => `${c.id} ${c.expected} [${c.source.provenance}]`));
  });

  // One proof: test/proofs/all-proofs.test.ts runs them all, once.
  it('proofs --json writes the proofs it ran, holding', async () => {
    const file = join(dir, 'p.json');
    expect(await main(['proofs', '--only', 'flow.conservation', '--json', file])).toBe(0);
    const { proofs } = JSON.parse(readFileSync(file, 'utf8'));
    expect(proofs.map((p: { id: string }) => p.id)).toEqual(['flow.conservation']);
    for (const p of proofs) {
      expect(p).toMatchObject({ holds: true, symbolic: { holds: true }, numeric: { status: 'pass' } });
      expect(typeof p.numeric.measured).toBe('number');
      expect(typeof p.numeric.bound).toBe('number');
    }
  });
});
