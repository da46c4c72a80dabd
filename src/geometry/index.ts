// Geometry of the fixed-rank manifold M_k and the metric of the balanced DLN flow (THEORY §2).

export {
  type Curve,
  type CurveLengthOptions,
  type CurveSample,
  curveLength,
  singularValueShrinkCurve,
} from './curve-length.js';
export {
  conditionOnManifold,
  type FixedRankOptions,
  type FixedRankPoint,
  fixedRankPoint,
  fixedRankPointFromFactors,
  tangentDimension,
} from './fixed-rank-point.js';
export {
  assertDepth,
  metricCoefficient,
  metricCoefficientClosedForm,
  metricCoefficientMatrix,
  paddedSingularValues,
} from './metric-coefficients.js';
export { MetricOperator, metricOperator } from './metric-operator.js';
export { applyMetricExplicit, ExplicitMetricOperator, type ExplicitMetricOptions } from './metric-operator-explicit.js';
export { type EndpointAwareIntegrand, type QuadratureOptions, type QuadratureResult, tanhSinh } from './quadrature.js';
export { retract, retractToPoint } from './retraction.js';
export { type RiemannianGradient, riemannianGradient } from './riemannian-gradient.js';
export {
  fromSvdCoordinates,
  normalFactors,
  normalProject,
  type TangentResidual,
  tangentBasis,
  tangentProject,
  tangentResidual,
  thinFactors,
  toSvdCoordinates,
} from './tangent-space.js';
