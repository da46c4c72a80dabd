// Checks of the deep linear network's gradient flow (THEORY §2: BRTW, ACH, ACHL): conservation laws, end-to-end
// dynamics, singular values and rank, monotone loss, convergence of the trajectory and its limit.
export { widthSum, maxSquaredNorm, listDistance, withNote, explain } from './state-measures.js';
export { lipschitzEstimate, stepCount } from './lipschitz.js';
export {
  type FixedStepIntegrator,
  type TrackedQuantity,
  type DriftOrderOptions,
  RK4_ORDER_TEST,
  rk4Integrator,
  driftOrderVerdict,
  conserved,
  defectsConserved,
  defectsDecaying,
} from './tracked-quantity.js';
export { midpointConservationVerdict } from './midpoint-conservation.js';
export {
  type ConservationOptions,
  type ConservationRun,
  CONSERVATION,
  GD_CONSERVATION_ETA,
  GD_CONSERVATION_STEPS,
  conservationTime,
  conservationVerdict,
  checkConservation,
  checkConservationBias,
  checkConservationWeightDecay,
  checkGdConservation,
} from './conservation.js';
export { DRIFT_IDENTITY_ULPS, checkDriftIdentity, driftIdentityVerdict } from './gd-drift-identity.js';
export {
  E2E_DISCRETE,
  E2E_START_HL,
  E2E_T,
  defaultMetric,
  checkEndToEndContinuous,
  checkEndToEndDiscrete,
} from './end-to-end.js';
export { type SigmaRate, SIGMA_TAU0, sigmaRate, checkSigmaDynamics } from './sigma-dynamics.js';
export { RANK_OBSERVATIONS, RANK_T, checkRankConstant } from './rank.js';
export {
  LARGE_STEP_STEPS,
  MONOTONE_REFINEMENTS,
  MONOTONE_T,
  checkGdMonotone,
  checkLossMonotone,
} from './loss-monotone.js';
export { type ConvergenceRun, runFlowUntil } from './run-until.js';
export {
  CRITICAL_FRACTION,
  CRITICAL_STOP,
  CRITICAL_TMAX,
  TAIL_FRACTION,
  TAIL_START,
  checkConvergesCritical,
} from './convergence.js';
export { type LimitReading, LIMIT_TMAX, LIMIT_TOLERANCE, checkLimitOptimal, readLimit } from './limit.js';
export { SADDLE_STOP, SADDLE_TMAX, checkSaddleStableManifold } from './saddle.js';
export {
  type CoefficientFormula,
  type MetricApplication,
  explicitMetric,
  operatorNorm,
  pointOf,
} from './metric-instance.js';
export { type SvdFormOptions, checkSvdForm } from './metric-svd-form.js';
export { type TangentOptions, checkPositiveDefinite, checkTangent } from './metric-tangent.js';
export {
  type RiemannianGradientOptions,
  checkRiemannianGradient,
  euclideanProjection,
} from './metric-riemannian-gradient.js';
export { QUADRATURE_TOL, checkCompleteness, shrinkLength } from './metric-completeness.js';
export { GLOBAL_CONFIRM_CHUNKS, checkLimitGlobal } from './global-limit.js';
