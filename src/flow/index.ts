// Checks of the deep linear network's gradient flow (THEORY §2: BRTW, ACH, ACHL): conservation laws, end-to-end
// dynamics, singular values and rank, monotone loss, convergence of the trajectory and its limit.

export {
  CONSERVATION,
  checkConservation,
  checkConservationBias,
  checkConservationWeightDecay,
  checkGdConservation,
  conservationTime,
} from './conservation.js';
export {
  checkConvergesCritical,
  TAIL_FRACTION,
  TAIL_START,
} from './convergence.js';
export {
  checkEndToEndContinuous,
  checkEndToEndDiscrete,
  E2E_DISCRETE,
  E2E_START_HL,
  E2E_T,
} from './end-to-end.js';
export { checkDriftIdentity, DRIFT_IDENTITY_ULPS } from './gd-drift-identity.js';
export { checkLimitGlobal, GLOBAL_CONFIRM_CHUNKS } from './global-limit.js';
export { checkLimitOptimal, LIMIT_TMAX, LIMIT_TOLERANCE } from './limit.js';
export { lipschitzEstimate } from './lipschitz.js';
export {
  checkGdMonotone,
  checkLossMonotone,
  MONOTONE_T,
} from './loss-monotone.js';
export { checkCompleteness } from './metric-completeness.js';
export type { MetricApplication } from './metric-instance.js';
export {
  checkRiemannianGradient,
  euclideanProjection,
  type RiemannianGradientOptions,
} from './metric-riemannian-gradient.js';
export { checkSvdForm, type SvdFormOptions } from './metric-svd-form.js';
export { checkPositiveDefinite, checkTangent, type TangentOptions } from './metric-tangent.js';
export { midpointConservationVerdict } from './midpoint-conservation.js';
export { checkRankConstant, RANK_OBSERVATIONS, RANK_T } from './rank.js';

export { checkSaddleStableManifold } from './saddle.js';
export { checkSigmaDynamics, SIGMA_TAU0, type SigmaRate } from './sigma-dynamics.js';

export {
  defectsDecaying,
  driftOrderVerdict,
  type FixedStepIntegrator,
  RK4_ORDER_TEST,
  rk4Integrator,
} from './tracked-quantity.js';
