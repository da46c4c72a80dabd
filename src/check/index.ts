/** Checks: every one answers with a Verdict (measured value, bound, margin, error model), never a bare boolean. */

export type { Difference, DifferenceOptions } from './finite-difference.js';
export { centralDifference, centralDifferenceGradient, secondDifference } from './finite-difference.js';
export type { IdentityOptions } from './identity.js';
export { checkIdentity, checkScalarIdentity, productScale } from './identity.js';
export type { LineFit, PowerWindow, WindowCriteria } from './loglog.js';
export { fitLogLog, longestPowerWindow } from './loglog.js';
export { noiseLevel } from './noise.js';
export type { OrderOptions } from './order.js';
export { checkOrder } from './order.js';
export type { Point, ScalarFunction } from './point.js';
export { assertDirection, assertPoint, displaced, pointNorm, stepUnit } from './point.js';
export type { Interval, ProbabilityClaim } from './statistics.js';
export {
  betaQuantile,
  checkProbability,
  clopperPearson,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  wilson,
} from './statistics.js';
export type { TaylorClaim, TaylorData, TaylorOptions } from './taylor.js';
export { checkTaylor, TAYLOR_DEFAULTS } from './taylor.js';
export type { Comparison, Status, Verdict, VerdictInput } from './verdict.js';
export { compare, describe, inconclusive, worstOf } from './verdict.js';
