import { sci } from '../format.js';

/**
 * The one result type of every check: a machine verdict with the number that was measured, the bound it was
 * held to, the margin, and the error model the bound came from. No check answers with a bare boolean.
 */
export type Status = 'pass' | 'fail' | 'inconclusive';

/** Unit roundoff of float64 (2⁻⁵², the gap between 1 and the next double): the unit error models are written in. */
export const EPS = Number.EPSILON;

/** '<=': pass when measured ≤ bound (errors, drifts); '>=': pass when measured ≥ bound (slopes, spans, counts). */
export type Comparison = '<=' | '>=';

export interface Verdict {
  readonly status: Status;
  /** What was measured (a relative error, a slope, a drift…), in the units the error model states. */
  readonly measured: number;
  /** The bound the measurement is held to. */
  readonly bound: number;
  readonly comparison: Comparison;
  /** Relative distance to the bound, positive when passing: (bound − measured)/|bound| for '<=', mirrored for '>='. */
  readonly margin: number;
  /** How the bound was obtained, e.g. "8·ε·(|lhs|+|rhs|+scale) = 3.1e-15" or "RK4 order 4". Printed in failures. */
  readonly errorModel: string;
  /** One human line: what was compared, and why it failed or could not decide. */
  readonly detail: string;
  /** Optional series for reports and plots (e.g. a Taylor-remainder curve). */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface VerdictInput {
  measured: number;
  bound: number;
  comparison?: Comparison;
  errorModel: string;
  detail: string;
  data?: Record<string, unknown>;
}

/** Compare a measurement with its bound. A NaN measurement is a failure, never a silent pass. */
export function compare(input: VerdictInput): Verdict {
  const comparison = input.comparison ?? '<=';
  const { measured, bound } = input;
  const denom = Math.abs(bound) > 0 ? Math.abs(bound) : 1;
  const margin = comparison === '<=' ? (bound - measured) / denom : (measured - bound) / denom;
  const ok = Number.isFinite(measured) || (comparison === '<=' && measured === -Infinity) ? margin >= 0 : false;
  return {
    status: ok ? 'pass' : 'fail',
    measured,
    bound,
    comparison,
    margin: Number.isNaN(margin) ? -Infinity : margin,
    errorModel: input.errorModel,
    detail: Number.isNaN(measured) ? `${input.detail} (measured NaN)` : input.detail,
    ...(input.data ? { data: input.data } : {}),
  };
}

/** A check that could not decide (e.g. no slope-2 window above round-off): neither pass nor fail. */
export function inconclusive(input: VerdictInput): Verdict {
  return { ...compare(input), status: 'inconclusive' };
}

/**
 * A yes/no outcome (a classifier's answer, an exact criterion): measured 1 when the condition holds, 0 when not,
 * held to bound 1. No round-off enters, so the error model is the stated reason; the margin is +1 or −1, so that
 * among several verdicts (worstOf) a condition that holds never looks tighter than a measured one.
 */
export function holdsWhen(
  holds: boolean,
  input: { reason: string; detail: string; data?: Record<string, unknown> },
): Verdict {
  return {
    status: holds ? 'pass' : 'fail',
    measured: holds ? 1 : 0,
    bound: 1,
    comparison: '>=',
    margin: holds ? 1 : -1,
    errorModel: `yes/no, no tolerance: ${input.reason}`,
    detail: input.detail,
    ...(input.data ? { data: input.data } : {}),
  };
}

/**
 * The verdict of several checks that must all pass: the failing (or else inconclusive, or else passing) one
 * with the smallest margin.
 */
export function worstOf(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) throw new Error('worstOf: no verdicts');
  const rank = (v: Verdict): number => (v.status === 'fail' ? 0 : v.status === 'inconclusive' ? 1 : 2);
  return verdicts.reduce((w, v) => (rank(v) < rank(w) || (rank(v) === rank(w) && v.margin < w.margin) ? v : w));
}

const STATUSES: readonly string[] = ['pass', 'fail', 'inconclusive'];

/**
 * Why a value returned by a check is not a Verdict (a string, undefined, a Promise, an unknown status…), or
 * undefined when it is one. A user's check that returns anything else must be an error, never a silent pass.
 */
export function verdictProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object')
    return `returned ${value === null ? 'null' : typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 60))}` : String(value)} instead of a Verdict`;
  if (typeof (value as { then?: unknown }).then === 'function')
    return 'returned a Promise; a check must return its Verdict synchronously';
  const v = value as Record<string, unknown>;
  if (typeof v.status !== 'string' || !STATUSES.includes(v.status))
    return `returned a verdict with status ${JSON.stringify(v.status)} (expected 'pass', 'fail' or 'inconclusive'; build verdicts with compare() or inconclusive())`;
  for (const key of ['measured', 'bound', 'margin'] as const)
    if (typeof v[key] !== 'number') return `returned a verdict whose ${key} is ${typeof v[key]}, not a number`;
  if (v.comparison !== '<=' && v.comparison !== '>=')
    return `returned a verdict with comparison ${JSON.stringify(v.comparison)} (expected '<=' or '>=')`;
  for (const key of ['errorModel', 'detail'] as const)
    if (typeof v[key] !== 'string') return `returned a verdict whose ${key} is ${typeof v[key]}, not a string`;
  return undefined;
}

/** "pass: measured 3.1e-16 ≤ bound 8.9e-15 (margin 0.97) [error model]" */
export function describe(v: Verdict): string {
  return `${v.status}: measured ${sci(v.measured)} ${v.comparison === '<=' ? '≤' : '≥'} bound ${sci(v.bound)} (margin ${v.margin.toFixed(3)}) — ${v.detail} [${v.errorModel}]`;
}
