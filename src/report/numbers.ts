/**
 * Kept only for src/landscape, src/rayleigh and properties/support, which are being restructured elsewhere: the
 * formatting module is src/format.ts (below every layer that checks or reports). Remove once they import it.
 */
export { sci } from '../format.js';
