// Rayleigh quotients of the tangent kernel and Kurdyka–Łojasiewicz rates (THEORY §6, RSL).

export { squareLossFlow } from './flow.js';
export {
  checkEnvelope,
  fitKlExponent,
  klConstant,
  klEnvelope,
  pathMinimum,
} from './kl-rates.js';
export {
  explicitModelMap,
  jacobian,
  jacobianFromVjp,
  type ModelMap,
  squareLossAt,
  tangentKernel,
} from './model-map.js';
export {
  diagonalModelMap,
  dlnModelMap,
  hadamardModelMap,
  packWeights,
  unpackWeights,
} from './models.js';
export { logSpacedIndices, rateFigure } from './plots.js';
export {
  kernelSpectrum,
  pseudoInverseBound,
  rayleighBounds,
  rayleighQuotient,
  rayleighQuotientOf,
  rkhsNormSquared,
} from './rayleigh.js';
