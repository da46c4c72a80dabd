// The public linear-algebra API: dense float64 kernels on flat row-major Float64Array storage.

export { orthonormalComplement } from './complement.js';
export { add, axpy, linearCombinationInto, scale, subtract, symmetrize } from './elementwise.js';
export { frobeniusDistance, frobeniusInner, frobeniusNorm, maxAbs } from './frobenius.js';
export { bestRankK, type LowRankApproximation } from './low-rank.js';
export { assertFinite, assertSameShape, assertShape, assertSquare, Matrix } from './matrix.js';
export { type PseudoInverse, pseudoInverse } from './pinv.js';
export { chain, multiply, multiplyInto, type Op, transpose, transposeInto } from './products.js';
export {
  DEFAULT_PSD_RTOL,
  DEFAULT_PSD_TOLERANCE,
  gramPower,
  type PsdPower,
  type PsdPowerOptions,
  psdPower,
} from './psd-power.js';
export {
  assertTolerance,
  defaultRankTolerance,
  type NumericalRank,
  numericalRank,
  rankOfSingularValues,
} from './rank.js';
export { appendColumns, fullSvd, type Svd, selectColumns, singularValues, svd, symmetricEigen } from './svd.js';
export { type RankConstrainedMinimizer, rankConstrainedMinimizer, type Whitening, whiten } from './whitening.js';
export { Workspace, type WorkspaceSize } from './workspace.js';
