import { expect, it } from 'vitest';
import type { Claim } from '../../src/claims/claim.js';
import { type ClaimReport, runClaim } from '../../src/claims/runner.js';

export interface ClaimOutcomeExpectations {
  /** The report of a claim (default: `runClaim(claim, { seed: 1 })`). */
  readonly report?: (claim: Claim<any>) => ClaimReport;
  /** Also expect the observed outcome to be the expected one. */
  readonly observed?: boolean;
  /** Further expectations on a claim expected to hold (its margin), after it ran all its runs. */
  readonly holds: (r: ClaimReport, claim: Claim<any>) => void;
  /** Expectations on a FALSE variant's counterexample (found, and shrunk small). */
  readonly counterexample: (r: ClaimReport, claim: Claim<any>) => void;
}

/**
 * One test per claim, named `<id> (<expected>)`: the claim passes (meets its expected outcome) with no inconclusive
 * run; a claim that holds ran all its runs and meets `holds`, a FALSE variant meets `counterexample`.
 * With DLNV_VERBOSE set, prints one line per claim.
 */
export function itMeetsExpectedOutcomes(claims: readonly Claim<any>[], expectations: ClaimOutcomeExpectations): void {
  const report = expectations.report ?? ((claim: Claim<any>) => runClaim(claim, { seed: 1 }));
  for (const claim of claims) {
    it(`${claim.id} (${claim.expected})`, () => {
      const r = report(claim);
      if (process.env.DLNV_VERBOSE)
        console.log(
          `${claim.id}: ${r.observed}, ${r.runs} runs, ${r.seconds.toFixed(2)} s, worst margin ${r.worst?.margin}`,
        );
      expect(r.status).toBe('pass');
      if (expectations.observed) expect(r.observed).toBe(claim.expected);
      expect(r.inconclusiveRuns).toBe(0);
      if (claim.expected === 'holds') {
        expect(r.runs).toBe(claim.runs);
        expectations.holds(r, claim);
      } else {
        expectations.counterexample(r, claim);
      }
    });
  }
}
