import type { Verdict } from '../check/verdict.js';
import type { Claim } from '../claims/claim.js';
import { checkInstance } from '../claims/evaluate.js';

/** One check of one instance, reduced to what the search compares. */
export interface Evaluation {
  readonly status: Verdict['status'];
  readonly verdict?: Verdict;
  /** Lower is closer to a counterexample: the verdict's margin (or −claim.violation); −∞ for a counterexample. */
  readonly score: number;
}

export function isCounterexample(e: Evaluation): boolean {
  return e.status === 'fail';
}

/**
 * Check one instance. A check that throws or returns no Verdict raises a ClaimCodeFault: the search then ends in
 * an error of the claim, never in a counterexample.
 */
export function evaluate<I>(claim: Claim<I>, instance: I): Evaluation {
  const verdict = checkInstance(claim, instance);
  if (verdict.status === 'fail') return { status: 'fail', verdict, score: -Infinity };
  let score = verdict.margin;
  if (claim.violation) {
    try {
      score = -claim.violation(instance, verdict);
    } catch {
      score = verdict.margin;
    }
  }
  return { status: verdict.status, verdict, score: Number.isNaN(score) ? Infinity : score };
}

/** Time and evaluation limits, shared by the phases of one search. */
export class Budget {
  private readonly started = performance.now();
  evaluations = 0;

  constructor(
    readonly seconds: number,
    readonly maxEvaluations: number = Infinity,
  ) {}

  get elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** True while both the time and the evaluation budget last. */
  ok(): boolean {
    return this.evaluations < this.maxEvaluations && this.elapsed < this.seconds;
  }
}
