import type { Verdict } from '../../src/check/verdict.js';

/** How the claims write numbers into error models and details: three significant digits, ±Infinity and NaN as words. */
export const fmt = (v: number): string => (Number.isFinite(v) ? v.toExponential(2) : String(v));

/** Prefix the error model of a verdict with where its scale came from (and its detail with what was compared). */
export function explain(v: Verdict, model: string, detail?: string): Verdict {
  return { ...v, errorModel: `${model}; ${v.errorModel}`, detail: detail ? `${detail}: ${v.detail}` : v.detail };
}
