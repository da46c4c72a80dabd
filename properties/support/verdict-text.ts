/** How the claims write numbers into error models and details: three significant digits, ±Infinity and NaN as words. */
/** Measured values and bounds in messages: report/numbers.ts's sci. */
export { sci as fmt } from '../../src/report/numbers.js';

/** One copy of explain: src/flow's. */
export { explain } from '../../src/flow/state-measures.js';
