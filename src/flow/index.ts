// Checks of the deep linear network's gradient flow (THEORY §2: BRTW, ACH, ACHL): conservation laws, end-to-end
// dynamics, singular values and rank, monotone loss, convergence of the trajectory and its limit.

export {
  CONSERVATION,
  type ConservationOptions,
  type ConservationRun,
  checkConservation,
  checkConservationBias,
  checkConservationWeightDecay,
  checkGdConservation,
  conservationTime,
  conservationVerdict,
  GD_CONSERVATION_ETA,
  GD_CONSERVATION_STEPS,
} from './conservation.js';
export {
  CRITICAL_FRACTION,
  CRITICAL_STOP,
  CRITICAL_TMAX,
  checkConvergesCritical,
  TAIL_FRACTION,
  TAIL_START,
} from './convergence.js';
export {
  checkEndToEndContinuous,
  checkEndToEndDiscrete,
  defaultMetric,
  E2E_DISCRETE,
  E2E_START_HL,
  E2E_T,
} from './end-to-end.js';
export { checkDriftIdentity, DRIFT_IDENTITY_ULPS, driftIdentityVerdict } from './gd-drift-identity.js';
export { checkLimitGlobal, GLOBAL_CONFIRM_CHUNKS } from './global-limit.js';
export { checkLimitOptimal, LIMIT_TMAX, LIMIT_TOLERANCE, type LimitReading, readLimit } from './limit.js';
export { lipschitzEstimate, stepCount } from './lipschitz.js';
export {
  checkGdMonotone,
  checkLossMonotone,
  LARGE_STEP_STEPS,
  MONOTONE_REFINEMENTS,
  MONOTONE_T,
} from './loss-monotone.js';
export { checkCompleteness, QUADRATURE_TOL, shrinkLength } from './metric-completeness.js';
export {
  type CoefficientFormula,
  explicitMetric,
  type MetricApplication,
  operatorNorm,
  pointOf,
} from './metric-instance.js';
export {
  checkRiemannianGradient,
  euclideanProjection,
  type RiemannianGradientOptions,
} from './metric-riemannian-gradient.js';
export { checkSvdForm, type SvdFormOptions } from './metric-svd-form.js';
export { checkPositiveDefinite, checkTangent, type TangentOptions } from './metric-tangent.js';
export { midpointConservationVerdict } from './midpoint-conservation.js';
export { checkRankConstant, RANK_OBSERVATIONS, RANK_T } from './rank.js';
export { type ConvergenceRun, runFlowUntil } from './run-until.js';
export { checkSaddleStableManifold, SADDLE_STOP, SADDLE_TMAX } from './saddle.js';
export { checkSigmaDynamics, SIGMA_TAU0, type SigmaRate, sigmaRate } from './sigma-dynamics.js';
export { explain, listDistance, maxSquaredNorm, widthSum, withNote } from './state-measures.js';
export {
  conserved,
  type DriftOrderOptions,
  defectsConserved,
  defectsDecaying,
  driftOrderVerdict,
  type FixedStepIntegrator,
  RK4_ORDER_TEST,
  rk4Integrator,
  type TrackedQuantity,
} from './tracked-quantity.js';
