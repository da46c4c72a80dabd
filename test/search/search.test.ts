import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../properties/index.js';
import { gaussianMatrixArb } from '../../src/arbitraries/matrices.js';
import { compare } from '../../src/check/verdict.js';
import { defineClaim } from '../../src/claims/claim.js';
import { runClaim } from '../../src/claims/runner.js';
import { claimSeed } from '../../src/claims/seed.js';
import { frobeniusInner, frobeniusNorm } from '../../src/linalg/frobenius.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { InstanceSpace } from '../../src/search/instance-space.js';
import { parseReplayFile, replayFileFor, replayFileJson, replaySearch } from '../../src/search/replay.js';
import { runSearch, type SearchReport } from '../../src/search/search.js';
import { claims as thinClaims } from './thin-claims.js';

const byId = (id: string) => {
  const c = catalogue.find((x) => x.id === id);
  if (!c) throw new Error(`no catalogue claim ${id}`);
  return c;
};
const strip = ({ seconds: _s, ...rest }: SearchReport) => JSON.parse(JSON.stringify(rest));

const trueClaim = defineClaim({
  id: 'test.norm-identity',
  title: 'norm identity',
  statement: '‖A‖_F² = ⟨A, A⟩',
  source: { paper: 'test', location: 'search test', provenance: 'D' as const },
  hypotheses: [],
  instances: gaussianMatrixArb([1, 4], [1, 4]),
  check: (a: Matrix) => {
    const lhs = frobeniusNorm(a) ** 2,
      rhs = frobeniusInner(a, a);
    return compare({
      measured: Math.abs(lhs - rhs),
      bound: 8 * Number.EPSILON * (lhs + rhs + 1),
      errorModel: '8ε(|lhs|+|rhs|+1)',
      detail: 'norm²',
    });
  },
  expected: 'holds',
  tolerance: 'a few ulps',
});

describe('the instance space', () => {
  it("explores exactly fast-check's own sequence for the claim seed", () => {
    const claim = byId('nnls.positivity.odd-L');
    const seed = claimSeed(1, claim.id);
    const seen: string[] = [];
    fc.check(
      fc.property(claim.instances, (i) => {
        seen.push(JSON.stringify(i));
      }),
      { seed, numRuns: 25 },
    );
    const space = new InstanceSpace(claim.instances, seed);
    expect(Array.from({ length: 25 }, () => JSON.stringify(space.next().built.value.value))).toEqual(seen);
    expect(JSON.stringify(space.rebuild({ run: 17, shrinks: [] }, undefined).value.value)).toBe(seen[17]);
  });

  it("finds a counterexample at the run where 'dlnv verify' (fc.check) finds it", () => {
    const claim = byId('yd.asymmetric.sigma1-rate');
    const verify = runClaim(claim, { seed: 4 });
    const search = runSearch(claim, { seed: 4, maxEvaluations: 200, shrink: false });
    expect(search.foundBy).toBe('exploration');
    expect(search.counterexample!.recipe.run).toBe(Number(verify.counterexample!.path.split(':')[0]));
  });
});

describe('runSearch', () => {
  // Counterexamples in thin regions: the targeted phase must reach what fast-check alone misses on the same budget.
  it.each(thinClaims.map((c) => [c.id, c] as const))(
    '%s: the targeted phase finds what fast-check alone misses',
    (_id, claim) => {
      const budget = { seed: 1, maxEvaluations: 3000 };
      const targeted = runSearch(claim, budget);
      const alone = runSearch(claim, { ...budget, targeted: false, shrink: false });
      console.log(
        `${claim.id}: with the targeted phase ${targeted.evaluations.toCounterexample} evaluations (${targeted.localSearches} local searches); fast-check alone: ${alone.found ? alone.evaluations.toCounterexample : `none in ${alone.evaluations.total}`}`,
      );
      expect(targeted.found).toBe(true);
      expect(targeted.foundBy).toBe('targeted');
      expect(targeted.evaluations.toCounterexample!).toBeLessThan(1000);
      expect(targeted.status).toBe('pass');
      expect(targeted.counterexample!.verdict!.status).toBe('fail');
      expect(alone.found).toBe(false);
      expect(alone.evaluations.total).toBe(3000);
    },
  );

  it('is reproducible under an evaluation budget, and its replay file rebuilds the same instance', () => {
    const claim = thinClaims[0];
    const first = runSearch(claim, { seed: 2, maxEvaluations: 1500 });
    expect(strip(runSearch(claim, { seed: 2, maxEvaluations: 1500 }))).toEqual(strip(first));
    const file = parseReplayFile(replayFileJson(replayFileFor(first, 'claims.ts')!), 'r.json');
    expect(file.claim).toEqual({ id: claim.id, file: 'claims.ts' });
    const replayed = replaySearch(claim, file);
    expect(replayed).toMatchObject({ violated: true, reproduced: true, status: 'pass' });
    expect(replayed.instance).toEqual(first.counterexample!.instance);
    expect(replayed.verdict!.measured).toBe(first.counterexample!.verdict!.measured);
  });

  it('shrinks a thin-region counterexample to the smallest dimension', () => {
    const r = runSearch(thinClaims[0], { seed: 1, maxEvaluations: 3000 });
    expect((r.counterexample!.instance as { d: number }).d).toBe(2);
  });

  it('says what it tried when nothing is found: budget, instances, smallest margin, closest instance', () => {
    const r = runSearch(trueClaim, { seed: 1, maxEvaluations: 400 });
    expect(r).toMatchObject({ found: false, status: 'pass', foundBy: null });
    expect(r.evaluations.total).toBe(400);
    expect(r.evaluations.targeted).toBeGreaterThan(0);
    expect(r.smallestMargin).toBeGreaterThan(0);
    expect(r.closest?.verdict?.margin).toBe(r.smallestMargin);
    expect(replaySearch(trueClaim, parseReplayFile(replayFileJson(replayFileFor(r)!), 'r.json'))).toMatchObject({
      violated: false,
      reproduced: true,
      status: 'pass',
    });
  });

  it('rejects a bad budget', () => {
    expect(() => runSearch(trueClaim, { seed: 1, maxEvaluations: 0 })).toThrow(/evaluations/);
    expect(() => runSearch(trueClaim, { seed: 1, budgetSeconds: -1 })).toThrow(/budget/);
  });
});

/** Significant digits of a number as printed in shortest form (0.04 → 1, 3.16 → 3). */
function digits(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  return x.toExponential().split('e')[0].replace(/^-/, '').replace('.', '').replace(/0+$/, '').length;
}
const numbers = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.flatMap(numbers) : []);

const FALSE_VARIANT_EVALUATIONS = 1000;

describe('FALSE variants of the catalogue', () => {
  // [id, the summary fields holding the instance's matrices/data, the fields holding its dimensions]
  const cases: [string, string[], string[]][] = [
    ['nnls.positivity.odd-L', ['A', 'b'], ['A']],
    ['nnls.positivity.large-step', ['A', 'b'], ['A']],
    ['yd.asymmetric.large-step', ['Sigma'], ['m', 'n', 'd']],
    ['yd.asymmetric.sigma1-rate', ['Sigma'], ['m', 'n', 'd']],
    ['acgh.descent.claim5', ['Phi', 'lambda'], ['d']],
  ];
  it.each(cases)('%s: found, shrunk to dimensions ≤ 3 and entries of ≤ 3 significant digits', (id, entries, dims) => {
    // An evaluation budget, not a time budget: the outcome must not depend on how busy the machine is.
    const r = runSearch(byId(id), { seed: 1, maxEvaluations: FALSE_VARIANT_EVALUATIONS });
    console.log(
      `${id}: found after ${r.evaluations.toCounterexample} evaluations (${r.foundBy}), ${r.counterexample?.shrinkSteps} shrink steps: ${JSON.stringify(r.counterexample?.instance)}`,
    );
    expect(r.found).toBe(true);
    const instance = r.counterexample!.instance as Record<string, unknown>;
    for (const key of dims) {
      const v = instance[key];
      const size = Array.isArray(v)
        ? Math.max(v.length, ...v.map((row) => (Array.isArray(row) ? row.length : 1)))
        : (v as number);
      expect(size, key).toBeLessThanOrEqual(3);
    }
    for (const key of entries)
      for (const x of numbers(instance[key])) expect(digits(x), `${key}: ${x}`).toBeLessThanOrEqual(3);
  });
});
