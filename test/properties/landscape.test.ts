import { describe, expect, it } from 'vitest';
import { landscapeClaims } from '../../properties/landscape.js';
import { nrClaims } from '../../properties/nouiehed-razaviyayn.js';
import { citation } from '../../src/claims/claim.js';
import { runClaim } from '../../src/claims/runner.js';

/** Every landscape claim, run exactly as `dlnv verify` runs it (seed 1, its own run count). */
const all = [...landscapeClaims, ...nrClaims];

// THEORY.md's provenance tags, exactly (FALSE variants share their parent's tag unless derived).
const tags: Record<string, string> = {
  'crit.structure': 'M',
  'crit.strict-saddle-rotation': 'D',
  'crit.nonstrict': 'P',
  'crit.nonstrict.pair-rule': 'D',
  'crit.no-bad-local-min': 'M',
  'nr.local-openness': 'P',
  'nr.two-layer-global': 'P',
  'nr.iclr18-example': 'D',
  'nr.burer-monteiro': 'M',
};

describe('landscape claim catalogue', () => {
  it('has unique ids, THEORY tags, and [M] items never cite a theorem', () => {
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    for (const [id, tag] of Object.entries(tags)) expect(all.find((c) => c.id === id)?.source.provenance, id).toBe(tag);
    for (const c of all.filter((c) => c.source.provenance === 'M')) {
      expect(c.source.location).not.toMatch(/Theorem|Lemma|Proposition/);
      expect(citation(c.source)).toMatch(/^\[M\] recalled, unconfirmed/);
    }
  });

  for (const claim of all) {
    it(`${claim.id} meets its expected outcome (${claim.expected})`, () => {
      const r = runClaim(claim, { seed: 1 });
      if (r.status !== 'pass') console.log(JSON.stringify(r, null, 1).slice(0, 2000));
      expect(r.status).toBe('pass');
      expect(r.observed).toBe(claim.expected);
      if (claim.expected === 'counterexample') {
        expect(r.counterexample?.error).toBeUndefined();
        expect(r.counterexample?.verdict?.status).toBe('fail');
      } else {
        expect(r.inconclusiveRuns * 4).toBeLessThan(r.runs);
        expect(r.worst?.margin).toBeGreaterThan(0);
      }
    });
  }

  it('FALSE variants shrink to small instances', () => {
    const oneSided = runClaim(all.find((c) => c.id === 'crit.strict-saddle-rotation.one-sided')!, { seed: 1 });
    expect((oneSided.counterexample!.instance as { widths: number[] }).widths).toEqual([2, 1, 2]);
    const allStrict = runClaim(all.find((c) => c.id === 'crit.nonstrict.all-strict')!, { seed: 1 });
    expect((allStrict.counterexample!.instance as { widths: number[] }).widths).toEqual([1, 1, 1, 1]);
    const asymmetric = runClaim(all.find((c) => c.id === 'nr.burer-monteiro.asymmetric')!, { seed: 1 });
    expect(asymmetric.counterexample!.instance).toMatchObject({ n: 2 });
  });
});
