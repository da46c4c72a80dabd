// The public API of dlnv (`import … from 'dlnv'`), documented in docs/API.md: what a user needs to write, run and
// report their own claims. Every name is listed on purpose; anything not here is internal and may change.
// Subpaths: 'dlnv/catalogue' (the built-in claims), 'dlnv/vitest' (claims as vitest tests), 'dlnv/symbolic' (the
// non-commutative algebra; loads mathjs, which this entry point does not).

// Claims: the record, the runner, selection by glob
export { defineClaim, citation, type Claim, type Expected, type Provenance, type Source } from './claims/claim.js';
export type { ClaimDerivation, DerivationStep } from './claims/derivation.js';
export { runClaim, type ClaimReport, type Observed, type RunOptions, type VerdictSummary } from './claims/runner.js';
export { selectClaims } from './claims/select.js';

// Checks: every one answers with a Verdict
export { compare, inconclusive, worstOf, describe as describeVerdict } from './check/verdict.js';
export type { Comparison, Status, Verdict, VerdictInput } from './check/verdict.js';
export { checkTaylor, type TaylorClaim, type TaylorOptions } from './check/taylor.js';
export { checkIdentity, checkScalarIdentity, productScale, type IdentityOptions } from './check/identity.js';
export { checkOrder, type OrderOptions } from './check/order.js';
export { checkProbability, clopperPearson, type Interval, type ProbabilityClaim } from './check/statistics.js';
export { centralDifference, centralDifferenceGradient, type Difference, type DifferenceOptions } from './check/finite-difference.js';
export type { Point, ScalarFunction } from './check/point.js';

// Random instances: seeded draws and the fast-check arbitraries built on them
export { Rng } from './random/rng.js';
export { gaussianMatrix } from './random/gaussian-matrix.js';
export { randomOrthonormal } from './random/orthonormal.js';
export { conditionedMatrix, logSpacedSpectrum, matrixWithSpectrum, whitenedInputs } from './random/constructions.js';
export { seeded, dimension, widths, decimals, log10Condition } from './arbitraries/seeded.js';
export { gaussianMatrixArb, conditionedMatrixArb } from './arbitraries/matrices.js';
export { networkInstanceArb, type NetworkInstance, type NetworkOptions } from './arbitraries/networks.js';

// Matrices
export { Matrix } from './linalg/matrix.js';
export { multiply, transpose, chain } from './linalg/products.js';
export { add, subtract, scale } from './linalg/elementwise.js';
export { frobeniusInner, frobeniusNorm, frobeniusDistance, maxAbs } from './linalg/frobenius.js';
export { svd, fullSvd, symmetricEigen, type Svd } from './linalg/svd.js';
export { numericalRank, type NumericalRank } from './linalg/rank.js';
export { pseudoInverse, type PseudoInverse } from './linalg/pinv.js';
export { bestRankK, type LowRankApproximation } from './linalg/low-rank.js';
export { psdPower, type PsdPower, type PsdPowerOptions } from './linalg/psd-power.js';

// The deep linear network
export { widthsOf, cloneWeights, type Weights } from './model/network.js';
export { endToEnd, partialProduct } from './model/partial-products.js';
export { loss, endToEndLoss, endToEndGradient, type Data, type LossOptions, type LossScale } from './model/loss.js';
export { layerGradients } from './model/gradients.js';
export { hessianForm, hessianVectorProduct } from './model/hessian.js';
export { balancednessDefects, maxBalancednessDefect } from './model/balancedness.js';
export { balancedFactorization } from './model/balanced-init.js';

// Geometry of the fixed-rank manifold
export { fixedRankPoint, type FixedRankPoint, type FixedRankOptions } from './geometry/fixed-rank-point.js';
export { tangentProject, normalProject } from './geometry/tangent-space.js';
export { retract } from './geometry/retraction.js';
export { metricOperator, MetricOperator } from './geometry/metric-operator.js';
export { riemannianGradient, type RiemannianGradient } from './geometry/riemannian-gradient.js';

// Dynamics
export { runGradientDescent, type GradientDescentOptions } from './dynamics/gradient-descent.js';
export { dlnGradientField } from './dynamics/dln-gradient-field.js';
export { integrateRk4 } from './dynamics/rk4.js';
export { integrateImplicitMidpoint, type ImplicitMidpointOptions } from './dynamics/implicit-midpoint.js';
export { integrateDormandPrince, type DormandPrinceOptions } from './dynamics/dormand-prince.js';

// Critical points of the landscape
export { classifyPoint, type Classification, type ClassifyOptions, type PointClass } from './landscape/classify.js';

// Identities and gradients for every depth N, stated as text (docs/PROOFS.md); the parser and mathjs load on first call
export { prove, derive, identityClaim, type IdentityClaimOptions } from './symbolic/every-n/api.js';
export type { DeriveResult, EveryNResult, StatementOptions } from './symbolic/every-n/api.js';

// Counterexample search and replay files
export { runSearch, type SearchOptions, type SearchReport } from './search/search.js';
export { replaySearch, parseReplayFile, type ReplayFile, type ReplayResult } from './search/replay.js';

// Figures a check can attach to its verdict
export { trajectoryPlot, singularValuesPlot } from './report/figures.js';
export type { PlotSpec, Series, Axis } from './check/plot-spec.js';
export { renderSvg } from './report/svg-plot.js';

// Gating another implementation (docs/PROTOCOL.md)
export { GateClient, type ConnectOptions } from './gate/client.js';
export { runGate, runTrajectory, type GateOptions, type GateReport } from './gate/runner.js';
export { checkTrajectory, loadTrajectory, type Trajectory } from './gate/offline.js';
export { PROTOCOL_VERSION } from './gate/protocol.js';

// Errors: every bad input throws one of these, with a one-line message
export { DlnvError, DomainError, NonFiniteError, ShapeError, UsageError } from './errors.js';
