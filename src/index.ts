// The public API of dlnv (`import … from 'dlnv'`), documented in docs/API.md: what a user needs to write, run and
// report their own claims. Every name is listed on purpose; anything not here is internal and may change.
// Subpaths: 'dlnv/catalogue' (the built-in claims), 'dlnv/vitest' (claims as vitest tests), 'dlnv/symbolic' (the
// non-commutative algebra; loads mathjs, which this entry point does not).

export { conditionedMatrixArb, gaussianMatrixArb } from './arbitraries/matrices.js';
export { type NetworkInstance, type NetworkOptions, networkInstanceArb } from './arbitraries/networks.js';
export { decimals, dimension, log10Condition, seeded, widths } from './arbitraries/seeded.js';
export {
  centralDifference,
  centralDifferenceGradient,
  type Difference,
  type DifferenceOptions,
} from './check/finite-difference.js';
export { checkIdentity, checkScalarIdentity, type IdentityOptions, productScale } from './check/identity.js';
export { checkOrder, type OrderOptions } from './check/order.js';
export type { Axis, PlotSpec, Series } from './check/plot-spec.js';
export type { Point, ScalarFunction } from './check/point.js';
export { checkProbability, clopperPearson, type Interval, type ProbabilityClaim } from './check/statistics.js';
export { checkTaylor, type TaylorClaim, type TaylorOptions } from './check/taylor.js';
export type { Comparison, Status, Verdict, VerdictInput } from './check/verdict.js';
// Checks: every one answers with a Verdict
export { compare, describe as describeVerdict, inconclusive, worstOf } from './check/verdict.js';
// Claims: the record, the runner, selection by glob
export { type Claim, citation, defineClaim, type Expected, type Provenance, type Source } from './claims/claim.js';
export type { ClaimDerivation, DerivationStep } from './claims/derivation.js';
export { type ClaimReport, type Observed, type RunOptions, runClaim, type VerdictSummary } from './claims/runner.js';
export { selectClaims } from './claims/select.js';
export { dlnGradientField } from './dynamics/dln-gradient-field.js';
export { type DormandPrinceOptions, integrateDormandPrince } from './dynamics/dormand-prince.js';
// Dynamics
export { type GradientDescentOptions, runGradientDescent } from './dynamics/gradient-descent.js';
export { type ImplicitMidpointOptions, integrateImplicitMidpoint } from './dynamics/implicit-midpoint.js';
export { integrateRk4 } from './dynamics/rk4.js';
// Errors: every bad input throws one of these, with a one-line message
export { DlnvError, DomainError, NonFiniteError, ShapeError, UsageError } from './errors.js';
// Gating another implementation (docs/PROTOCOL.md)
export { type ConnectOptions, GateClient } from './gate/client.js';
export { checkTrajectory, loadTrajectory, type Trajectory } from './gate/offline.js';
export { PROTOCOL_VERSION } from './gate/protocol.js';
export { type GateOptions, type GateReport, runGate, runTrajectory } from './gate/runner.js';
// Geometry of the fixed-rank manifold
export { type FixedRankOptions, type FixedRankPoint, fixedRankPoint } from './geometry/fixed-rank-point.js';
export { MetricOperator, metricOperator } from './geometry/metric-operator.js';
export { retract } from './geometry/retraction.js';
export { type RiemannianGradient, riemannianGradient } from './geometry/riemannian-gradient.js';
export { normalProject, tangentProject } from './geometry/tangent-space.js';
// Critical points of the landscape
export { type Classification, type ClassifyOptions, classifyPoint, type PointClass } from './landscape/classify.js';
export { add, scale, subtract } from './linalg/elementwise.js';
export { frobeniusDistance, frobeniusInner, frobeniusNorm, maxAbs } from './linalg/frobenius.js';
export { bestRankK, type LowRankApproximation } from './linalg/low-rank.js';
// Matrices
export { Matrix } from './linalg/matrix.js';
export { type PseudoInverse, pseudoInverse } from './linalg/pinv.js';
export { chain, multiply, transpose } from './linalg/products.js';
export { type PsdPower, type PsdPowerOptions, psdPower } from './linalg/psd-power.js';
export { type NumericalRank, numericalRank } from './linalg/rank.js';
export { fullSvd, type Svd, svd, symmetricEigen } from './linalg/svd.js';
export { balancedFactorization } from './model/balanced-init.js';
export { balancednessDefects, maxBalancednessDefect } from './model/balancedness.js';
export { layerGradients } from './model/gradients.js';
export { hessianForm, hessianVectorProduct } from './model/hessian.js';
export { type Data, endToEndGradient, endToEndLoss, type LossOptions, type LossScale, loss } from './model/loss.js';
// The deep linear network
export { cloneWeights, type Weights, widthsOf } from './model/network.js';
export { endToEnd, partialProduct } from './model/partial-products.js';
export { conditionedMatrix, logSpacedSpectrum, matrixWithSpectrum, whitenedInputs } from './random/constructions.js';
export { gaussianMatrix } from './random/gaussian-matrix.js';
export { randomOrthonormal } from './random/orthonormal.js';
// Random instances: seeded draws and the fast-check arbitraries built on them
export { Rng } from './random/rng.js';
// Figures a check can attach to its verdict
export { singularValuesPlot, trajectoryPlot } from './report/figures.js';
export { renderSvg } from './report/svg-plot.js';
export { parseReplayFile, type ReplayFile, type ReplayResult, replaySearch } from './search/replay.js';
// Counterexample search and replay files
export { runSearch, type SearchOptions, type SearchReport } from './search/search.js';
export type { DeriveResult, EveryNResult, StatementOptions } from './symbolic/every-n/api.js';
// Identities and gradients for every depth N, stated as text (docs/PROOFS.md); the parser and mathjs load on first call
export { derive, type IdentityClaimOptions, identityClaim, prove } from './symbolic/every-n/api.js';
