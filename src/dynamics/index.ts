// Dynamics on lists of matrices: vector fields, gradient descent, gradient-flow integrators, observers.

export { BiasedDlnField } from './biased-dln-field.js';
export { DlnGradientField } from './dln-gradient-field.js';
export {
  DormandPrince,
  integrateDormandPrince,
} from './dormand-prince.js';
export { EndToEndField, type MetricApplication } from './end-to-end-field.js';
export { GradientDescent, runGradientDescent } from './gradient-descent.js';
export {
  ImplicitMidpoint,
  integrateImplicitMidpoint,
} from './implicit-midpoint.js';
export { callbackObserver, DlnObserver } from './observers.js';
export { type FixedStepOptions, integrateRk4, Rk4 } from './rk4.js';

export {
  allocateState,
  stateNorm,
} from './state.js';
export type { VectorField } from './vector-field.js';
