// Rayleigh quotients of the tangent kernel and Kurdyka–Łojasiewicz rates (THEORY §6, RSL).
export {
  type ModelMap,
  type KernelSource,
  type SquareLossPoint,
  assertParameters,
  assertOutput,
  jacobian,
  jacobianFromVjp,
  tangentKernel,
  kernelOfJacobian,
  kernelVectorProduct,
  explicitModelMap,
  squareLossAt,
} from './model-map.js';
export { type DlnModelMap, packWeights, unpackWeights, dlnModelMap, diagonalModelMap, hadamardModelMap } from './models.js';
export {
  type KernelSpectrum,
  type RayleighBounds,
  KERNEL_RTOL,
  rayleighQuotient,
  rayleighQuotientOf,
  kernelSpectrum,
  rkhsNormSquared,
  pseudoInverseBound,
  rayleighBounds,
} from './rayleigh.js';
export {
  type KlTrajectory,
  type EnvelopeFormula,
  type PathMinimum,
  type KlExponentFit,
  type FitOptions,
  type EnvelopeCheck,
  klEnvelope,
  klRatio,
  pathMinimum,
  klConstant,
  fitKlExponent,
  describeFit,
  checkEnvelope,
  checkExponent,
} from './kl-rates.js';
export { type SquareLossFlowOptions, type SquareLossFlowResult, squareLossFlow } from './flow.js';
export { type CurveInput, type RateFigureInput, logSpacedIndices, rateFigure } from './plots.js';
