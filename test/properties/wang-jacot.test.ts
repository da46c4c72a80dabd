import { describe, expect, it } from 'vitest';
import { wangJacotClaims as paperClaims } from '../../properties/wang-jacot.js';
import { wangJacotJumpClaims } from '../../properties/wang-jacot-jumps.js';
import { citation } from '../../src/claims/claim.js';

const wangJacotClaims = [...paperClaims, ...wangJacotJumpClaims];

import { itMeetsExpectedOutcomes } from '../helpers/claim-outcomes.js';

/** How small each FALSE variant's shrunk counterexample must be. */
const shrunk: Record<string, (instance: any) => void> = {
  'wj.balanced-at-critical.no-decay': (i) => {
    expect(i.widths).toHaveLength(3);
    expect(Math.max(...i.widths)).toBeLessThanOrEqual(2);
  },
  'wj.schatten-cost.nuclear': (i) => {
    expect(i.widths).toHaveLength(4);
    expect(i.spectrum).toHaveLength(2);
  },
  'wj.scalar-separatrix.two-layers': (i) => expect(i).toMatchObject({ depth: 2, y: 0.5 }),
  'wj.rank-never-rises.unbalanced-zeros': (i) => expect(i.widths).toEqual([1, 1, 1]),
  'wj.rank-never-rises.adam-rotated': (i) => expect(i).toMatchObject({ widths: [2, 2, 2], rank: 1 }),
  'wj.rank-never-rises.langevin': (i) => expect(i).toMatchObject({ widths: [2, 2, 2], rank: 1 }),
  'wj.rank-never-rises.two-layers': (i) => expect(i).toMatchObject({ widths: [2, 2, 2], rank: 1 }),
  'wj.rank-never-rises.large-perturbation': (i) => {
    expect(i.widths).toHaveLength(4);
    expect(i.widths[0]).toBeLessThanOrEqual(3);
  },
  'wj.jumps-down.gd': (i) => expect(i).toMatchObject({ depth: 3, r: 2 }),
};

describe('Wang–Jacot claims (THEORY §4): every claim meets its expected outcome at seed 1', () => {
  itMeetsExpectedOutcomes(wangJacotClaims, {
    // Exact structural checks (zeros that must stay exactly zero) sit at margin 0; every other check has room.
    // jumps-down's margin is the Clopper–Pearson lower end of the jump frequency: positive is all the claim says.
    holds: (r, claim) => {
      if (claim.id === 'wj.jumps-down') expect(r.worst!.margin).toBeGreaterThan(0);
      else expect(r.worst!.margin).toBeGreaterThanOrEqual(claim.id === 'wj.dead-direction-invariant' ? 0 : 0.1);
    },
    counterexample: (r, claim) => {
      expect(r.counterexample!.verdict).not.toBeNull();
      const check = shrunk[claim.id];
      expect(check, `a shrink expectation for ${claim.id}`).toBeDefined();
      check(r.counterexample!.instance);
    },
  });
});

describe('Wang–Jacot claim metadata', () => {
  it("uses THEORY §4's provenance tags exactly, and only jumps-down is the paper's statement", () => {
    const tags = Object.fromEntries(wangJacotClaims.map((c) => [c.id, c.source.provenance]));
    expect(tags['wj.jumps-down']).toBe('P');
    for (const [id, tag] of Object.entries(tags)) if (id !== 'wj.jumps-down') expect(tag, id).toBe('D');
    for (const c of wangJacotClaims) {
      expect(citation(c.source)).toMatch(/^\[(P|D)\] /);
      if (c.source.provenance === 'D') {
        expect(c.source.location, c.id).toMatch(/derived/);
        expect(c.source.location, c.id).not.toMatch(/^Theorem|Lemma \d/);
      }
    }
  });

  it('every FALSE variant is a separate claim next to the statement it breaks, and ids are unique', () => {
    const ids = wangJacotClaims.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'wj.balanced-at-critical',
        'wj.schatten-cost',
        'wj.schatten-cost.nuclear',
        'wj.scalar-separatrix',
        'wj.dead-direction-invariant',
        'wj.rank-never-rises',
        'wj.rank-never-rises.unbalanced-zeros',
        'wj.rank-never-rises.adam-rotated',
        'wj.rank-never-rises.langevin',
        'wj.rank-never-rises.two-layers',
        'wj.rank-never-rises.large-perturbation',
        'wj.jumps-down',
        'wj.jumps-down.gd',
      ]),
    );
    for (const c of wangJacotClaims.filter((c) => c.expected === 'counterexample')) expect(c.title).toMatch(/^FALSE/);
  });

  it('the B_r surrogate is labelled as a surrogate wherever it appears', () => {
    const jumps = wangJacotClaims.find((c) => c.id === 'wj.jumps-down')!;
    expect(jumps.hypotheses.join(' ')).toMatch(
      /surrogate for Wang–Jacot's B_r \(derived, NOT the paper's definition\)/,
    );
  });
});
