import type { Claim } from '../src/claims/claim.js';
import { acghClaims } from './acgh.js';
import { flowConservationClaims } from './flow-conservation.js';
import { flowConvergenceClaims } from './flow-convergence.js';
import { flowEndToEndClaims } from './flow-end-to-end.js';
import { landscapeClaims } from './landscape.js';
import { landscapeWeightDecayClaims } from './landscape-weight-decay.js';
import { layerCalculusClaims } from './layer-calculus.js';
import { metricClaims } from './metric.js';
import { nnlsClaims } from './nnls.js';
import { nrClaims } from './nouiehed-razaviyayn.js';
import { rayleighClaims } from './rayleigh.js';
import { wangJacotClaims } from './wang-jacot.js';
import { wangJacotJumpClaims } from './wang-jacot-jumps.js';
import { wangJacotMinimaClaims } from './wang-jacot-minima.js';
import { woodworthClaims } from './woodworth.js';
import { yeDuClaims } from './ye-du.js';

/**
 * The built-in claim catalogue that `dlnv verify` runs: one file per paper or topic, in THEORY.md's order.
 */
export const catalogue: readonly Claim<any>[] = [
  ...layerCalculusClaims,
  ...flowConservationClaims,
  ...flowEndToEndClaims,
  ...flowConvergenceClaims,
  ...metricClaims,
  ...acghClaims,
  ...yeDuClaims,
  ...landscapeClaims,
  ...landscapeWeightDecayClaims,
  ...nrClaims,
  ...wangJacotClaims,
  ...wangJacotJumpClaims,
  ...wangJacotMinimaClaims,
  ...nnlsClaims,
  ...woodworthClaims,
  ...rayleighClaims,
];
