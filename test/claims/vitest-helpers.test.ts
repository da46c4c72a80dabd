import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dimension, seeded } from '../../src/arbitraries/seeded.js';
import { compare, inconclusive } from '../../src/check/verdict.js';
import { defineClaim } from '../../src/claims/claim.js';
import { frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { instanceText } from '../../src/report/instance-text.js';
import { assertClaim, assertVerdict, ClaimAssertionError } from '../../src/vitest.js';

const normBelow = (bound: number, id = `test.norm-below-${bound}`) =>
  defineClaim({
    id,
    title: `‖W‖_F ≤ ${bound}`,
    statement: `W 2×2 (d = 2) or 3×3 Gaussian: ‖W‖_F ≤ ${bound}`,
    source: { paper: 'test', location: 'none', provenance: 'D' },
    hypotheses: [],
    instances: seeded(dimension(2, 3), (d, rng) => ({ w: gaussianMatrix(rng, d, d) })),
    check: ({ w }: { w: Matrix }) =>
      compare({ measured: frobeniusNorm(w), bound, errorModel: 'exact', detail: `‖W‖_F = ${frobeniusNorm(w)}` }),
    expected: 'holds',
    tolerance: 'none',
    runs: 50,
  });

describe("dlnv/vitest's assertions", () => {
  it('a claim that holds passes; a wrong one throws the verdict line, the instance as matrices and the replay', () => {
    expect(assertClaim(normBelow(100)).status).toBe('pass');
    let error: unknown;
    try {
      assertClaim(normBelow(1), { claimsFile: 'claims/norms.ts', seed: 4 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClaimAssertionError);
    const message = (error as Error).message;
    expect(message).toMatch(/^FAIL {2}test\.norm-below-1 {2}\[D\] {2}COUNTEREXAMPLE/);
    expect(message).toMatch(/‖W‖_F = \S+: measured \S+ ≤ bound 1, margin −\S+ \[exact\]/);
    expect(message).toMatch(/shrunk instance \(\d+ shrinks?\):\n {2}w: Matrix 2×2\n {4}\[ /);
    expect(message).toMatch(
      /\nreplay: npx dlnv verify --claims-file claims\/norms\.ts --claims test\.norm-below-1 --seed 4 --path \S+$/,
    );
  });

  it("the README's example failure is what the assertion says (apart from the time)", () => {
    let message = '';
    try {
      assertClaim(normBelow(1, 'mine.norm-below-one'), { claimsFile: 'claims/wrong.ts' });
    } catch (e) {
      message = `AssertionError: ${(e as Error).message}`;
    }
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const untimed = (text: string): string => text.replace(/\(\d+\.\d+ s\)/, '(… s)');
    const example = readme.slice(readme.indexOf('AssertionError: FAIL  mine.norm-below-one'));
    expect(untimed(example.slice(0, example.indexOf('\n```')))).toBe(untimed(message));
  });

  it('assertVerdict accepts only a pass', () => {
    const input = { measured: 1, bound: 2, errorModel: 'exact', detail: 'one against two' };
    expect(() => assertVerdict(compare(input))).not.toThrow();
    expect(() => assertVerdict(compare({ ...input, measured: 3 }))).toThrow(
      /^fail: measured 3\.00e\+0 ≤ bound 2\.00e\+0/,
    );
    expect(() => assertVerdict(inconclusive(input))).toThrow(/^inconclusive:/);
  });
});

describe('readable instances', () => {
  it('writes matrices as aligned blocks, in lists and records, also from their JSON form', () => {
    const m = Matrix.from([
      [1, -0.5],
      [1 / 3, 100],
    ]);
    expect(m.toString()).toBe('Matrix 2×2\n  [        1  -0.5 ]\n  [ 0.333333   100 ]');
    expect(instanceText({ ws: [m], eta: 0.1 })).toBe(
      `\n  ws:\n    [0]: ${m.toString().split('\n').join('\n    ')}\n  eta: 0.1`,
    );
    expect(instanceText(JSON.parse(JSON.stringify(m)))).toBe(m.toString());
    expect(instanceText({ a: 1, b: [2, 3] })).toBe('{"a":1,"b":[2,3]}');
    expect(Matrix.identity(12).toString().split('\n')[5]).toBe('  [ ⋮  ⋮  ⋮  ⋮  ⋱  ⋮  ⋮  ⋮ ]');
  });
});
