import type { Verdict } from '../check/verdict.js';
import type { Claim } from '../claims/claim.js';

/** One check of one instance, reduced to what the search compares. */
export interface Evaluation {
  readonly status: Verdict['status'];
  readonly verdict?: Verdict;
  /** The check threw: the instance breaks it (as in `dlnv verify`, a thrown check is a counterexample). */
  readonly error?: string;
  /** Lower is closer to a counterexample: the verdict's margin (or −claim.violation); −∞ for a counterexample. */
  readonly score: number;
}

export function isCounterexample(e: Evaluation): boolean {
  return e.status === 'fail';
}

export function evaluate<I>(claim: Claim<I>, instance: I): Evaluation {
  let verdict: Verdict;
  try {
    verdict = claim.check(instance);
  } catch (e) {
    return { status: 'fail', error: e instanceof Error ? e.message : String(e), score: -Infinity };
  }
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
