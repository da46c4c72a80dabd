// Geometry of the fixed-rank manifold M_k and the metric of the balanced DLN flow (THEORY §2).

export {
  curveLength,
  singularValueShrinkCurve,
} from './curve-length.js';
export {
  fixedRankPoint,
  fixedRankPointFromFactors,
  tangentDimension,
} from './fixed-rank-point.js';
export {
  metricCoefficient,
  metricCoefficientClosedForm,
} from './metric-coefficients.js';
export { MetricOperator } from './metric-operator.js';
export { ExplicitMetricOperator } from './metric-operator-explicit.js';
export { tanhSinh } from './quadrature.js';
export { retract } from './retraction.js';
export { riemannianGradient } from './riemannian-gradient.js';
export {
  fromSvdCoordinates,
  normalProject,
  tangentBasis,
  tangentProject,
  tangentResidual,
  toSvdCoordinates,
} from './tangent-space.js';
