/** How the claims write numbers into error models and details: src/format.ts's sci, three significant digits. */
import { sci } from '../../src/format.js';

/** Unary on purpose: `xs.map(fmt)` must not pass the index as sci's digit count. */
export const fmt = (x: number): string => sci(x);

/** One copy of explain: src/flow's. */
export { explain } from '../../src/flow/state-measures.js';
