import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The compiled CLI (bin/dlnv.js → dist/), as a user runs it: worker threads need compiled JavaScript (the worker
 * loads dist/properties), and a user's claim file goes through the published entry point. test/global-setup.ts
 * builds dist/ afresh before the tests, so this is the build of the sources under test.
 */
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'dlnv.js');

const dir = mkdtempSync(join(tmpdir(), 'dlnv-built-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dlnv = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const withoutTimes = (f: string) => {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const { timestamp: _t, ...rest } = r;
  return { ...rest, claims: r.claims.map(({ seconds: _s, ...claim }: { seconds: number }) => claim) };
};

describe('the compiled dlnv command', () => {
  it('--workers 2 gives the same report as one thread', () => {
    const claims = ['--claims', 'grad.*', 'flow.conservation', 'nnls.positivity.odd-L', '--runs', '3'];
    const two = dlnv('verify', ...claims, '--workers', '2', '--json', 'w2.json');
    expect(two.err).toBe('');
    expect(two.out).toMatch(/^dlnv verify: 4 claims, seed 1, 3 runs each, 2 workers/);
    expect(two.code).toBe(0);
    expect(dlnv('verify', ...claims, '--json', 'w1.json').code).toBe(0);
    expect(withoutTimes('w2.json')).toEqual(withoutTimes('w1.json'));
    // The terminal log lists the claims in plan order either way.
    expect(two.out.match(/^(PASS|FAIL) {2}\S+/gm)).toEqual([
      'PASS  grad.layer',
      'PASS  grad.hessian',
      'PASS  flow.conservation',
      'PASS  nnls.positivity.odd-L',
    ]);
  });

  it("runs the README's user claims through verify, search and replay (TypeScript, no build step)", () => {
    const file = join(root, 'examples', 'my-claims.ts');
    const verify = dlnv('verify', '--claims-file', file, '--html', 'mine.html');
    expect(verify.out).toMatch(/PASS {2}mine\.gradient/);
    expect(verify.out).toMatch(/PASS {2}mine\.product-contracts {2}\[D\] {2}held on 200 runs/);
    expect(verify.out).toMatch(/PASS {2}mine\.gd-conserves-balance {2}\[D\] {2}counterexample found \(expected\)/);
    expect(verify.code).toBe(0);
    expect(readFileSync(join(dir, 'mine.html'), 'utf8')).toContain('mine.product-contracts');
    // The conjecture that random testing lets through: the search breaks it.
    const search = dlnv('search', `${file}#mine.product-contracts`, '--evaluations', '3000');
    expect(search.out).toMatch(
      /FOUND {2}mine\.product-contracts: a counterexample after \d+ evaluations \(targeted phase\)/,
    );
    expect(search.out).toContain('replay:      dlnv replay mine.product-contracts.replay.json');
    expect(search.code).toBe(1); // a counterexample to a claim expected to hold
    const replay = dlnv('replay', 'mine.product-contracts.replay.json');
    expect(replay.out).toMatch(/^VIOLATED {2}mine\.product-contracts {2}\(reproduces the recorded outcome/);
    expect(replay.code).toBe(1);
  });

  it('a failing claim file outside the repository gets dlnv from the running installation and a replay line that reproduces it', () => {
    // A folder with no node_modules: 'dlnv' and 'fast-check' can only come from the installation running the file.
    writeFileSync(
      join(dir, 'wrong.ts'),
      `import { compare, defineClaim, dimension, seeded } from 'dlnv';
import type { Verdict } from 'dlnv';
export const claims = [
  defineClaim({
    id: 'mine.wrong-bound',
    title: 'deliberately wrong: a Gaussian draw stays below 0.5',
    statement: 'x ~ N(0, 1): x ≤ 0.5',
    source: { paper: 'test', location: 'none', provenance: 'D' },
    hypotheses: ['x ~ N(0, 1)'],
    instances: seeded(dimension(1, 3), (d, rng) => d * rng.gaussian()),
    check: (x: number): Verdict => compare({ measured: x, bound: 0.5, errorModel: 'exact', detail: \`x = \${x}\` }),
    expected: 'holds',
    tolerance: 'none',
  }),
];
`,
    );
    const run = dlnv('verify', '--claims-file', 'wrong.ts', '--seed', '3');
    expect(run.err).toBe('');
    expect(run.code).toBe(1);
    const replay = run.out.match(/replay: npx dlnv (.*)/)?.[1];
    expect(replay).toMatch(/^verify --claims-file wrong\.ts --claims mine\.wrong-bound --seed 3 --path \S+$/);
    const again = dlnv(...replay!.split(' '));
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/FAIL {2}mine\.wrong-bound/);
    expect(again.out.match(/x = \S+/)?.[0]).toBe(run.out.match(/x = \S+/)?.[0]);
  });
});
