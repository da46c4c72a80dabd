// Overparametrized NNLS and diagonal networks (THEORY §5): exact NNLS, KKT measures, reparametrized dynamics,
// mirror maps, KL projection, Woodworth's Q_α and reference interpolants.
export { type LeastSquaresProblem, LeastSquaresWorkspace, leastSquaresProblem, objective, gradient, columnNorms, termScale, objectiveScale } from './problem.js';
export { type KktResiduals, kktResiduals, kkt, kktRoundOff, kktVerdict } from './kkt.js';
export { type LawsonHansonOptions, type LawsonHansonStatus, type NnlsSolution, lawsonHanson, solveNnls } from './lawson-hanson.js';
export { type SubsetSolution, subsetLeastSquares, independenceThreshold } from './subset-least-squares.js';
export {
  type DescentOptions,
  type DescentResult,
  type RiemannianOptions,
  initialU,
  hadamardPowerInto,
  inducedVelocityInto,
  stepSize,
  reparamGradientDescent,
  riemannianDescent,
  reparamGradient,
} from './reparam.js';
export { type FlowOptions, type FlowResult, uFlowField, reparamFlow } from './reparam-flow.js';
export { type AcceleratedFlowOptions, type AcceleratedFlowResult, type AcceleratedDescentOptions, acceleratedFlow, acceleratedDescent } from './accelerated.js';
export { type DiagonalInit, type DiagonalFlowOptions, type DiagonalDescentOptions, type DiagonalResult, diagonalBetaInto, diagonalFlow, diagonalGradientDescent } from './diagonal-network.js';
export { klDivergence, bregmanDivergence, mirrorGradient } from './bregman.js';
export { type DualFunctions, type DualNewtonOptions, type DualNewtonResult, dualNewton } from './dual-newton.js';
export { type KlProjectionOptions, klProjection } from './kl-projection.js';
export { qPotential, qAlpha, qAlphaGradient, qAlphaMinimizer } from './woodworth.js';
export { type L1Interpolant, type L1Options, type RichLimitPrediction, minNormInterpolant, minL1Interpolant, richLimitPrediction } from './interpolants.js';
export { solveSpd } from './spd-solve.js';
export { residualSensitivity } from './sensitivity.js';
