// The public linear-algebra API: dense float64 kernels on flat row-major Float64Array storage.
export { Matrix, assertShape, assertSameShape, assertSquare, assertFinite } from './matrix.js';
export { type Op, multiplyInto, multiply, chain, transposeInto, transpose } from './products.js';
export { type WorkspaceSize, Workspace } from './workspace.js';
export { linearCombinationInto, axpy, add, subtract, scale, symmetrize } from './elementwise.js';
export { frobeniusInner, frobeniusNorm, frobeniusDistance, maxAbs } from './frobenius.js';
export { type Svd, svd, singularValues, fullSvd, symmetricEigen, selectColumns, appendColumns } from './svd.js';
export { orthonormalComplement } from './complement.js';
export { type NumericalRank, defaultRankTolerance, assertTolerance, rankOfSingularValues, numericalRank } from './rank.js';
export {
  type PsdPowerOptions,
  type PsdPower,
  DEFAULT_PSD_RTOL,
  DEFAULT_PSD_TOLERANCE,
  psdPower,
  gramPower,
} from './psd-power.js';
export { type PseudoInverse, pseudoInverse } from './pinv.js';
export { type LowRankApproximation, bestRankK } from './low-rank.js';
export { type Whitening, type RankConstrainedMinimizer, whiten, rankConstrainedMinimizer } from './whitening.js';
