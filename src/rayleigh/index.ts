// Rayleigh quotients of the tangent kernel and Kurdyka–Łojasiewicz rates (THEORY §6, RSL).

export { type SquareLossFlowOptions, type SquareLossFlowResult, squareLossFlow } from './flow.js';
export {
  checkEnvelope,
  checkExponent,
  describeFit,
  type EnvelopeCheck,
  type EnvelopeFormula,
  type FitOptions,
  fitKlExponent,
  type KlExponentFit,
  type KlTrajectory,
  klConstant,
  klEnvelope,
  klRatio,
  type PathMinimum,
  pathMinimum,
} from './kl-rates.js';
export {
  assertOutput,
  assertParameters,
  explicitModelMap,
  jacobian,
  jacobianFromVjp,
  type KernelSource,
  kernelOfJacobian,
  kernelVectorProduct,
  type ModelMap,
  type SquareLossPoint,
  squareLossAt,
  tangentKernel,
} from './model-map.js';
export {
  type DlnModelMap,
  diagonalModelMap,
  dlnModelMap,
  hadamardModelMap,
  packWeights,
  unpackWeights,
} from './models.js';
export { type CurveInput, logSpacedIndices, type RateFigureInput, rateFigure } from './plots.js';
export {
  KERNEL_RTOL,
  type KernelSpectrum,
  kernelSpectrum,
  pseudoInverseBound,
  type RayleighBounds,
  rayleighBounds,
  rayleighQuotient,
  rayleighQuotientOf,
  rkhsNormSquared,
} from './rayleigh.js';
