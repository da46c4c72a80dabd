import type { Verdict } from '../check/verdict.js';
import { verdictProblem } from '../check/verdict.js';
import type { Claim } from './claim.js';

/** How a claim's own code broke: its check threw, its generator threw, it returned no Verdict, or it hung. */
export type FaultKind = 'check-threw' | 'generator-threw' | 'invalid-verdict' | 'timeout';

/**
 * A fault of a claim's own code, as opposed to a verdict about the theory: every runner (verify, search, replay)
 * reports it as an error of the claim, never as a counterexample.
 */
export class ClaimCodeFault extends Error {
  constructor(
    readonly kind: FaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'ClaimCodeFault';
  }
}

/** The first line of an exception's message. */
export function faultMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** Run a claim's check on one instance; anything but a Verdict (a throw, a string, a Promise…) is a ClaimCodeFault. */
export function checkInstance<I>(claim: Claim<I>, instance: I): Verdict {
  let value: unknown;
  try {
    value = claim.check(instance);
  } catch (e) {
    throw new ClaimCodeFault('check-threw', `check threw: ${faultMessage(e)}`);
  }
  const problem = verdictProblem(value);
  if (problem) throw new ClaimCodeFault('invalid-verdict', `check ${problem}`);
  return value as Verdict;
}
