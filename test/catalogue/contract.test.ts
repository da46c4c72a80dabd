import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { xorshift128plus } from 'pure-rand/generator/xorshift128plus';
import { describe, expect, it } from 'vitest';
import { acghClaims } from '../../properties/acgh.js';
import { flowConservationClaims } from '../../properties/flow-conservation.js';
import { flowConvergenceClaims } from '../../properties/flow-convergence.js';
import { flowEndToEndClaims } from '../../properties/flow-end-to-end.js';
import { catalogue } from '../../properties/index.js';
import { landscapeClaims } from '../../properties/landscape.js';
import { landscapeWeightDecayClaims } from '../../properties/landscape-weight-decay.js';
import { layerCalculusClaims } from '../../properties/layer-calculus.js';
import { metricClaims } from '../../properties/metric.js';
import { nnlsClaims } from '../../properties/nnls.js';
import { nrClaims } from '../../properties/nouiehed-razaviyayn.js';
import { rayleighClaims } from '../../properties/rayleigh.js';
import { wangJacotClaims } from '../../properties/wang-jacot.js';
import { wangJacotJumpClaims } from '../../properties/wang-jacot-jumps.js';
import { wangJacotMinimaClaims } from '../../properties/wang-jacot-minima.js';
import { woodworthClaims } from '../../properties/woodworth.js';
import { yeDuClaims } from '../../properties/ye-du.js';
import type { Claim } from '../../src/claims/claim.js';
import { checkInstance } from '../../src/claims/evaluate.js';
import { finiteReplacer, finiteReviver } from '../../src/report/json.js';

/**
 * The contract every catalogue claim keeps, checked for all of them at once (in the spirit of fast-check's own
 * arbitrary assertions): a unique id prefixed by its file's key, legal provenance, a generator that is
 * deterministic per seed and whose shrinking ends in an instance the check still accepts, a JSON-safe summary,
 * and a test that names it in quotes (its teeth test: the claim's check fed a deliberately wrong input).
 */
const files: readonly { file: string; prefixes: readonly string[]; claims: readonly Claim<any>[] }[] = [
  { file: 'layer-calculus', prefixes: ['grad'], claims: layerCalculusClaims },
  { file: 'flow-conservation', prefixes: ['flow', 'gd'], claims: flowConservationClaims },
  { file: 'flow-end-to-end', prefixes: ['flow'], claims: flowEndToEndClaims },
  { file: 'flow-convergence', prefixes: ['flow'], claims: flowConvergenceClaims },
  { file: 'metric', prefixes: ['metric'], claims: metricClaims },
  { file: 'acgh', prefixes: ['acgh'], claims: acghClaims },
  { file: 'ye-du', prefixes: ['yd'], claims: yeDuClaims },
  { file: 'landscape', prefixes: ['crit'], claims: landscapeClaims },
  { file: 'landscape-weight-decay', prefixes: ['crit'], claims: landscapeWeightDecayClaims },
  { file: 'nouiehed-razaviyayn', prefixes: ['nr'], claims: nrClaims },
  { file: 'wang-jacot', prefixes: ['wj'], claims: wangJacotClaims },
  { file: 'wang-jacot-jumps', prefixes: ['wj'], claims: wangJacotJumpClaims },
  { file: 'wang-jacot-minima', prefixes: ['wj'], claims: wangJacotMinimaClaims },
  { file: 'nnls', prefixes: ['nnls'], claims: nnlsClaims },
  { file: 'woodworth', prefixes: ['wgl'], claims: woodworthClaims },
  { file: 'rayleigh', prefixes: ['rsl'], claims: rayleighClaims },
];

/** Every test file's text, to find the tests that name a claim. */
function testTexts(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? testTexts(join(directory, e.name))
      : e.name.endsWith('.test.ts') && e.name !== 'contract.test.ts'
        ? [readFileSync(join(directory, e.name), 'utf8')]
        : [],
  );
}
const tests = testTexts(join(import.meta.dirname, '..'));
const namedByATest = (id: string): boolean =>
  tests.some((t) => [`'${id}'`, `"${id}"`, `\`${id}\``].some((q) => t.includes(q)));

const summaryOf = (claim: Claim<any>, instance: unknown): unknown =>
  claim.summarize ? claim.summarize(instance) : instance;
const json = (value: unknown): string => JSON.stringify(value, finiteReplacer);
/** Following the first shrink of each step, a generator must reach a smallest instance within this many steps. */
const SHRINK_LIMIT = 2000;

describe('the catalogue', () => {
  it('lists every claim of every file exactly once, and nothing else', () => {
    const ids = catalogue.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(files.flatMap((f) => f.claims.map((c) => c.id)).sort());
  });
});

for (const { file, prefixes, claims } of files) {
  describe(`properties/${file}.ts`, () => {
    for (const claim of claims) {
      describe(claim.id, () => {
        it(`is prefixed by its file's key (${prefixes.join(' or ')})`, () => {
          expect(prefixes).toContain(claim.id.split('.')[0]);
        });

        it('carries a legal provenance: a FALSE variant is never [P], and every claim says where it comes from', () => {
          expect(['P', 'D', 'M', 'P/D', 'P/M']).toContain(claim.source.provenance);
          if (claim.expected === 'counterexample') expect(claim.source.provenance).not.toBe('P');
          expect(claim.source.paper.length).toBeGreaterThan(0);
          expect(claim.statement.length).toBeGreaterThan(0);
          expect(claim.tolerance.length).toBeGreaterThan(0);
        });

        it('draws the same instances for the same seed, with a JSON-safe summary', () => {
          const draw = (): string[] =>
            fc.sample(claim.instances, { seed: 7, numRuns: 2 }).map((i) => json(summaryOf(claim, i)));
          const first = draw();
          expect(draw()).toEqual(first);
          for (const text of first) expect(json(JSON.parse(text, finiteReviver))).toBe(text);
          for (const text of first) expect(text).not.toMatch(/Float64Array|"\d+":\s*-?\d/);
        });

        it('shrinks in finitely many steps to an instance its check still accepts (a Verdict, not an exception)', () => {
          let value = claim.instances.generate(new fc.Random(xorshift128plus(7)), undefined);
          let steps = 0;
          for (; steps < SHRINK_LIMIT; steps++) {
            const smaller = claim.instances.shrink(value.value_, value.context).getNthOrLast(0);
            if (smaller === null) break;
            value = smaller;
          }
          expect(steps).toBeLessThan(SHRINK_LIMIT);
          expect(() => checkInstance(claim, value.value)).not.toThrow();
        });

        it('has a test that names it (its teeth test)', () => {
          expect(namedByATest(claim.id)).toBe(true);
        });
      });
    }
  });
}
