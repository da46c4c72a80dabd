import type fc from 'fast-check';
import type { Verdict } from '../check/verdict.js';

/**
 * THEORY.md's provenance tags: [P] stated in the paper, [D] derived, [M] recalled (not confirmed in the text).
 * Mixed tags are kept as THEORY writes them: 'P/D' (stated in part, the rest derived — e.g. metric.tangent) and
 * 'P/M' (existence stated, the quantitative shape recalled — e.g. nnls.negative-perturbation).
 */
export type Provenance = 'P' | 'D' | 'M' | 'P/D' | 'P/M';

export interface Source {
  /** Short paper key as THEORY.md names it (BRTW, ACH, ACGH, YD, …). */
  readonly paper: string;
  /** Where in the paper (theorem, lemma, section) — or, for [D]/[M], what the statement is derived from. */
  readonly location: string;
  readonly provenance: Provenance;
}

/** 'holds': no instance may fail; 'counterexample': a FALSE variant, met only when a failing instance is found. */
export type Expected = 'holds' | 'counterexample';

/**
 * A theory claim as plain data plus two functions: how to draw an instance and how to check it. A user writes
 * one of these in their own file and runs it with `dlnv verify --claims-file FILE` or `dlnv search FILE#id`.
 */
export interface Claim<I = unknown> {
  /** THEORY.md's id, e.g. 'flow.conservation'; FALSE variants add a suffix, e.g. 'flow.conservation.gd'. */
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  readonly source: Source;
  readonly hypotheses: readonly string[];
  readonly instances: fc.Arbitrary<I>;
  readonly check: (instance: I) => Verdict;
  readonly expected: Expected;
  /** The tolerance and why it is what it is (error model, integrator order…). */
  readonly tolerance: string;
  /** Runs in the default budget (defaults to the runner's). Expensive claims lower it. */
  readonly runs?: number;
  /** A small JSON-able summary of an instance for reports (defaults to the instance itself). */
  readonly summarize?: (instance: I) => unknown;
  /**
   * Optional, for `dlnv search`: how badly an instance breaks the claim, as a continuous number that grows toward
   * (and past) a violation. The targeted phase maximizes it over the instance's latent draws. Default: −margin of
   * the verdict, which works whenever the verdict's measured value moves continuously with the instance; give
   * this when the margin is flat (e.g. a step count) and a smoother quantity is at hand.
   */
  readonly violation?: (instance: I, verdict: Verdict) => number;
}

/** Identity helper that keeps the instance type of a claim literal. */
export function defineClaim<I>(claim: Claim<I>): Claim<I> {
  return claim;
}

/** "[P] ACH, Theorem 1" — the provenance tag always comes first, so a derived statement is never read as a theorem. */
export function citation(source: Source): string {
  const labels: Record<Provenance, string> = {
    P: 'stated in',
    D: 'derived; context',
    M: 'recalled, unconfirmed; attributed to',
    'P/D': 'partly stated in, partly derived from',
    'P/M': 'existence stated in, shape recalled from',
  };
  const label = labels[source.provenance];
  return `[${source.provenance}] ${label} ${source.paper}${source.location ? `, ${source.location}` : ''}`;
}
