// Dynamics on lists of matrices: vector fields, gradient descent, gradient-flow integrators, observers.

export { BiasedDlnField } from './biased-dln-field.js';
export { DlnGradientField, dlnGradientField } from './dln-gradient-field.js';
export {
  DormandPrince,
  type DormandPrinceOptions,
  type DormandPrinceStats,
  type IntegrationStatus,
  integrateDormandPrince,
} from './dormand-prince.js';
export { EndToEndField, type EndToEndFieldOptions, type MetricApplication } from './end-to-end-field.js';
export { GradientDescent, type GradientDescentOptions, runGradientDescent } from './gradient-descent.js';
export {
  ImplicitMidpoint,
  type ImplicitMidpointOptions,
  type ImplicitMidpointStats,
  integrateImplicitMidpoint,
  type MidpointSolve,
} from './implicit-midpoint.js';
export { callbackObserver, DlnObserver, type DlnObserverOptions, type TrajectoryRecord } from './observers.js';
export { type FixedStepOptions, integrateRk4, Rk4 } from './rk4.js';
export { ObservationSchedule } from './schedule.js';
export {
  allocateState,
  assertStateShapes,
  copyStateInto,
  type Shape,
  type State,
  shapesOf,
  stateAxpyInto,
  stateMaxAbs,
  stateNorm,
} from './state.js';
export type { GradientOracle, ObserveOptions, Observer, VectorField } from './vector-field.js';
export {
  dormandPrinceVector,
  rk4Vector,
  type VectorOdeField,
  type VectorOdeObserver,
  type VectorOdeOptions,
  type VectorOdeResult,
} from './vector-ode.js';
