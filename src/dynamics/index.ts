// Dynamics on lists of matrices: vector fields, gradient descent, gradient-flow integrators, observers.
export {
  type State,
  type Shape,
  shapesOf,
  allocateState,
  assertStateShapes,
  copyStateInto,
  stateAxpyInto,
  stateMaxAbs,
  stateNorm,
} from './state.js';
export { type VectorField, type GradientOracle, type Observer, type ObserveOptions } from './vector-field.js';
export { ObservationSchedule } from './schedule.js';
export { DlnGradientField, dlnGradientField } from './dln-gradient-field.js';
export { BiasedDlnField } from './biased-dln-field.js';
export { type MetricApplication, type EndToEndFieldOptions, EndToEndField } from './end-to-end-field.js';
export { type GradientDescentOptions, GradientDescent, runGradientDescent } from './gradient-descent.js';
export { type FixedStepOptions, Rk4, integrateRk4 } from './rk4.js';
export {
  type DormandPrinceOptions,
  type DormandPrinceStats,
  type IntegrationStatus,
  DormandPrince,
  integrateDormandPrince,
} from './dormand-prince.js';
export {
  type VectorOdeField,
  type VectorOdeObserver,
  type VectorOdeOptions,
  type VectorOdeResult,
  dormandPrinceVector,
  rk4Vector,
} from './vector-ode.js';
export {
  type ImplicitMidpointOptions,
  type MidpointSolve,
  type ImplicitMidpointStats,
  ImplicitMidpoint,
  integrateImplicitMidpoint,
} from './implicit-midpoint.js';
export { type TrajectoryRecord, type DlnObserverOptions, DlnObserver, callbackObserver } from './observers.js';
