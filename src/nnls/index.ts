// Overparametrized NNLS and diagonal networks (THEORY §5): exact NNLS, KKT measures, reparametrized dynamics,
// mirror maps, KL projection, Woodworth's Q_α and reference interpolants.

export {
  type AcceleratedDescentOptions,
  type AcceleratedFlowOptions,
  type AcceleratedFlowResult,
  acceleratedDescent,
  acceleratedFlow,
} from './accelerated.js';
export { bregmanDivergence, klDivergence, mirrorGradient } from './bregman.js';
export {
  type DiagonalDescentOptions,
  type DiagonalFlowOptions,
  type DiagonalInit,
  type DiagonalResult,
  diagonalBetaInto,
  diagonalFlow,
  diagonalGradientDescent,
} from './diagonal-network.js';
export { type DualFunctions, type DualNewtonOptions, type DualNewtonResult, dualNewton } from './dual-newton.js';
export {
  type L1Interpolant,
  type L1Options,
  minL1Interpolant,
  minNormInterpolant,
  type RichLimitPrediction,
  richLimitPrediction,
} from './interpolants.js';
export { type KktResiduals, kkt, kktResiduals, kktRoundOff, kktVerdict } from './kkt.js';
export { type KlProjectionOptions, klProjection } from './kl-projection.js';
export {
  type LawsonHansonOptions,
  type LawsonHansonStatus,
  lawsonHanson,
  type NnlsSolution,
  solveNnls,
} from './lawson-hanson.js';
export {
  columnNorms,
  gradient,
  type LeastSquaresProblem,
  LeastSquaresWorkspace,
  leastSquaresProblem,
  objective,
  objectiveScale,
  termScale,
} from './problem.js';
export {
  type DescentOptions,
  type DescentResult,
  hadamardPowerInto,
  inducedVelocityInto,
  initialU,
  type RiemannianOptions,
  reparamGradient,
  reparamGradientDescent,
  riemannianDescent,
  stepSize,
} from './reparam.js';
export { type FlowOptions, type FlowResult, reparamFlow, uFlowField } from './reparam-flow.js';
export { residualSensitivity } from './sensitivity.js';
export { solveSpd } from './spd-solve.js';
export { independenceThreshold, type SubsetSolution, subsetLeastSquares } from './subset-least-squares.js';
export { qAlpha, qAlphaGradient, qAlphaMinimizer, qPotential } from './woodworth.js';
