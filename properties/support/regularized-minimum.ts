// Moved to src/landscape/regularized-minimum.ts; this re-export keeps landscape-weight-decay.ts (another helper's
// file, being restructured) compiling until it imports from src/ directly.
export { certifyMinimum, type MinimumCertificate } from '../../src/landscape/regularized-minimum.js';
