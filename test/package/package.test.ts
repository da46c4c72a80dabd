import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumer, ok, pack, root, run, write } from './consumer.js';

/**
 * The packed package as a user installs it: `npm pack`, then an empty project installs the tarball with
 * --ignore-scripts (no native kernel, no build step) and uses the command, the API and the types.
 */
let work: string;
let tarball: string;
let project: string;
const elsewhere = mkdtempSync(join(tmpdir(), 'dlnv-claims-elsewhere-'));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dlnv-pack-'));
  tarball = pack(work);
  project = consumer(tarball, ['typescript', 'vitest']);
}, 600_000);

afterAll(() => {
  for (const dir of [work, project, elsewhere]) if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

const npx = (args: readonly string[], cwd = project) =>
  run('npx', ['--no-install', ...args], cwd, { NO_COLOR: '1', FORCE_COLOR: '0' });

describe('the npm package', () => {
  it('holds the build, the catalogue, the proofs and the documents, and no tests, benchmarks or CI scripts', () => {
    const files = ok(run('tar', ['-tzf', tarball], work), 'tar')
      .split('\n')
      .filter((f) => f.length > 0)
      .map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'dist/properties/index.js',
      'dist/proofs/index.js',
      'bin/dlnv.js',
      'README.md',
      'LICENSE',
      'docs/PROTOCOL.md',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(test|bench|\.ci|dist\/bench|dist\/test)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('examples/'))).toEqual([]);
  });

  it('installed with --ignore-scripts, `npx dlnv verify` runs a catalogue claim and `--version` answers', () => {
    const verify = npx(['dlnv', 'verify', '--claims', 'grad.layer']);
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(/^PASS {2}grad\.layer/m);
    expect(verify.status).toBe(0);
    expect(ok(npx(['dlnv', '--version']), 'dlnv --version').trim()).toBe(
      JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json"))'], root).stdout).version,
    );
  });

  it('imports the API from an ESM script', () => {
    write(
      project,
      'use.mjs',
      `import { defineClaim, runClaim, compare, seeded, dimension, Matrix } from 'dlnv';
const claim = defineClaim({
  id: 'script.bound', title: 't', statement: 's', source: { paper: 'p', location: 'l', provenance: 'D' }, hypotheses: [],
  instances: seeded(dimension(1, 2), (d, rng) => Math.abs(rng.gaussian()) / 10 ** (d + 3)),
  check: (x) => compare({ measured: x, bound: 1, errorModel: 'exact', detail: 'x' }),
  expected: 'holds', tolerance: 'none',
});
const report = runClaim(claim, { seed: 1, runs: 10 });
console.log(report.status, report.runs, Matrix.identity(2).rows);
`,
    );
    expect(ok(run('node', ['use.mjs'], project), 'node use.mjs').trim()).toBe('pass 10 2');
  });

  it('type-checks a TypeScript consumer under moduleResolution node16 and bundler, skipLibCheck off, no @types/node', () => {
    write(
      project,
      'src/use.ts',
      `import { compare, defineClaim, dimension, runClaim, seeded, type Claim, type ClaimReport, type Verdict } from 'dlnv';
import { catalogue } from 'dlnv/catalogue';
import { assertClaim, catalogueTests } from 'dlnv/vitest';
import { normalize } from 'dlnv/symbolic';
export const checks = [catalogue[0].id, assertClaim, catalogueTests, normalize] as const;
const claim: Claim<number> = defineClaim({
  id: 'ts.bound', title: 't', statement: 's', source: { paper: 'p', location: 'l', provenance: 'D' }, hypotheses: [],
  instances: seeded(dimension(1, 2), (d, rng) => d * rng.gaussian()),
  check: (x: number): Verdict => compare({ measured: x, bound: 10, errorModel: 'exact', detail: 'x' }),
  expected: 'holds', tolerance: 'none',
});
const status: ClaimReport['status'] = runClaim(claim, { seed: 1, runs: 3 }).status;
// @ts-expect-error a claim needs a check
defineClaim({ ...claim, check: undefined });
export { status };
`,
    );
    for (const [module, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ]) {
      write(
        project,
        `tsconfig.${resolution}.json`,
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution: resolution,
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: [],
          },
          include: ['src'],
        }),
      );
      const tsc = npx(['tsc', '-p', `tsconfig.${resolution}.json`]);
      expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
      expect(tsc.status).toBe(0);
    }
  });

  it('runs a claim file from a folder with no node_modules, resolving dlnv from the installation that runs it', () => {
    write(
      elsewhere,
      'claims.ts',
      `import { compare, defineClaim, dimension, seeded } from 'dlnv';
export const claims = [defineClaim({
  id: 'mine.small', title: 'a scaled draw stays small', statement: '|x| ≤ 100 for x ~ N(0, d²), d ≤ 3',
  source: { paper: 'test', location: 'none', provenance: 'D' }, hypotheses: [],
  instances: seeded(dimension(1, 3), (d, rng) => d * rng.gaussian()),
  check: (x: number) => compare({ measured: Math.abs(x), bound: 100, errorModel: 'exact', detail: \`x = \${x}\` }),
  expected: 'holds', tolerance: 'none',
})];
`,
    );
    const r = run(join(project, 'node_modules', '.bin', 'dlnv'), ['verify', '--claims-file', 'claims.ts'], elsewhere);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^PASS {2}mine\.small/m);
    expect(r.status).toBe(0);
  });

  it('dlnv/vitest runs catalogue claims and a user claim as vitest tests; a wrong claim fails with a replay that reproduces it', () => {
    const claim = (id: string, bound: number) => `defineClaim({
  id: '${id}', title: 'a 2×2 or 3×3 Gaussian matrix has ‖W‖_F ≤ ${bound}', statement: '‖W‖_F ≤ ${bound}',
  source: { paper: 'test', location: 'none', provenance: 'D' }, hypotheses: [], runs: 50,
  instances: seeded(dimension(2, 3), (d, rng) => ({ w: gaussianMatrix(rng, d, d) })),
  check: ({ w }: { w: Matrix }) => compare({ measured: frobeniusNorm(w), bound: ${bound}, errorModel: 'exact', detail: \`‖W‖_F = \${frobeniusNorm(w)}\` }),
  expected: 'holds', tolerance: 'none',
})`;
    const header =
      "import { compare, defineClaim, dimension, frobeniusNorm, gaussianMatrix, seeded, type Matrix } from 'dlnv';";
    write(project, 'claims/mine.ts', `${header}\nexport const claims = [${claim('mine.norm-bounded', 100)}];\n`);
    write(project, 'claims/wrong.ts', `${header}\nexport const claims = [${claim('mine.norm-below-one', 1)}];\n`);
    write(
      project,
      'test/good.test.ts',
      `import { catalogueTests, claimTests } from 'dlnv/vitest';
import { claims } from '../claims/mine.js';
catalogueTests(['grad.layer', 'grad.hessian', 'flow.conservation'], { runs: 5 });
claimTests(claims, { claimsFile: 'claims/mine.ts' });
`,
    );
    write(
      project,
      'test/wrong.test.ts',
      `import { claimTests } from 'dlnv/vitest';
import { claims } from '../claims/wrong.js';
claimTests(claims, { claimsFile: 'claims/wrong.ts' });
`,
    );
    const good = npx(['vitest', 'run', 'test/good.test.ts']);
    expect(good.stdout).toMatch(/Tests +4 passed \(4\)/);
    expect(good.status).toBe(0);
    const wrong = npx(['vitest', 'run', 'test/wrong.test.ts']);
    expect(wrong.status).toBe(1);
    const output = wrong.stdout + wrong.stderr;
    expect(output).toMatch(/AssertionError: FAIL {2}mine\.norm-below-one {2}\[D\] {2}COUNTEREXAMPLE/);
    expect(output).toMatch(/w: Matrix [23]×[23]\n/);
    const replay = output.match(
      /replay: npx dlnv (verify --claims-file claims\/wrong\.ts --claims mine\.norm-below-one --seed 1 --path \S+)/,
    )?.[1];
    expect(replay).toBeDefined();
    const again = npx(['dlnv', ...replay!.split(' ')]);
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/FAIL {2}mine\.norm-below-one {2}\[D\] {2}COUNTEREXAMPLE/);
    expect(again.stdout.match(/‖W‖_F = \S+/)?.[0]).toBe(output.match(/‖W‖_F = \S+/)?.[0]);
  });

  it('passes publint and arethetypeswrong', () => {
    ok(
      run(
        'npx',
        ['--no-install', 'publint', 'run', join(project, 'node_modules', 'dlnv'), '--pack', 'false', '--strict'],
        root,
      ),
      'publint',
    );
    ok(run('npx', ['--no-install', 'attw', tarball, '--profile', 'esm-only', '--format', 'ascii'], root), 'attw');
  });
});
