// Geometry of the fixed-rank manifold M_k and the metric of the balanced DLN flow (THEORY §2).
export {
  type FixedRankPoint,
  type FixedRankOptions,
  fixedRankPoint,
  fixedRankPointFromFactors,
  tangentDimension,
  conditionOnManifold,
} from './fixed-rank-point.js';
export {
  type TangentResidual,
  thinFactors,
  normalFactors,
  tangentProject,
  normalProject,
  tangentBasis,
  toSvdCoordinates,
  fromSvdCoordinates,
  tangentResidual,
} from './tangent-space.js';
export { retract, retractToPoint } from './retraction.js';
export {
  assertDepth,
  metricCoefficient,
  metricCoefficientClosedForm,
  metricCoefficientMatrix,
  paddedSingularValues,
} from './metric-coefficients.js';
export { MetricOperator, metricOperator } from './metric-operator.js';
export { type ExplicitMetricOptions, ExplicitMetricOperator, applyMetricExplicit } from './metric-operator-explicit.js';
export { type RiemannianGradient, riemannianGradient } from './riemannian-gradient.js';
export { type EndpointAwareIntegrand, type QuadratureOptions, type QuadratureResult, tanhSinh } from './quadrature.js';
export { type CurveSample, type Curve, type CurveLengthOptions, curveLength, singularValueShrinkCurve } from './curve-length.js';
