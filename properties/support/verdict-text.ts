import type { Verdict } from '../../src/check/verdict.js';

/** How the claims write numbers into error models and details: three significant digits, ±Infinity and NaN as words. */
/** Measured values and bounds in messages: report/numbers.ts's sci. */
export { sci as fmt } from '../../src/report/numbers.js';

/** Prefix the error model of a verdict with where its scale came from (and its detail with what was compared). */
export function explain(v: Verdict, model: string, detail?: string): Verdict {
  return { ...v, errorModel: `${model}; ${v.errorModel}`, detail: detail ? `${detail}: ${v.detail}` : v.detail };
}
