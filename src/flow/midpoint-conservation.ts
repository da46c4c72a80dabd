import { compare, EPS, type Verdict } from '../check/verdict.js';
import { callbackObserver, integrateImplicitMidpoint, type VectorField } from '../dynamics/index.js';
import { sci as fmt } from '../format.js';
import type { Matrix } from '../linalg/matrix.js';
import { balancednessDefects } from '../model/balancedness.js';
import { cloneWeights } from '../model/network.js';
import { listDistance, maxSquaredNorm } from './state-measures.js';

/**
 * The implicit midpoint rule keeps every quadratic invariant Q up to its solve residual: Q(y⁺) − Q(y) = h·DQ(ȳ)[r]
 * exactly for quadratic Q (ȳ the midpoint, r = K − F(ȳ) the measured residual). For C_j,
 * ‖DC_j(ȳ)[r]‖_F ≤ 2(‖r_{j+1}‖_F‖W̄_{j+1}‖ + ‖r_j‖_F‖W̄_j‖) ≤ 4·√(max block size)·‖r‖_∞·max‖W̄‖_F, so over the run
 * (and over the list of invariants) drift ≤ 4·Σ_steps h‖r‖_∞·√(max block·#invariants)·max_t‖W‖_F, plus round-off
 * 8·(steps + Σd)·ε·max_t‖W_j‖_F² (one rounding of each entry per step, and forming C_j; the linear, worst-case count
 * is affordable here because the bound is not a floor below which points are dropped). max_t over the steps.
 * `invariants` maps a state to its quadratic invariants (defaults to the C_j).
 */
export function midpointConservationVerdict(
  field: VectorField,
  state0: readonly Matrix[],
  options: {
    T: number;
    steps: number;
    sizeFactor: number;
    label: string;
    invariants?: (s: readonly Matrix[]) => Matrix[];
  },
): Verdict {
  const invariants = options.invariants ?? ((s: readonly Matrix[]) => balancednessDefects(s));
  // The fixed-point solve contracts only when (h/2)·Lip(F) < 1 along the whole run; the Lipschitz estimate is taken
  // at t = 0, so on divergence the step is halved (at most 4 times) — a solver condition, not a tolerance.
  let state = cloneWeights(state0);
  let stats: ReturnType<typeof integrateImplicitMidpoint> | undefined;
  let scale = 0;
  for (let steps = options.steps, attempt = 0; !stats; steps *= 2, attempt++) {
    state = cloneWeights(state0);
    scale = 0;
    const observer = callbackObserver((_s, _t, st) => {
      scale = Math.max(scale, maxSquaredNorm(st));
    });
    try {
      stats = integrateImplicitMidpoint(field, state, { t1: options.T, steps, rtol: 1e-13, observer });
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  const q0 = invariants(state0);
  const drift = listDistance(invariants(state), q0);
  const block = Math.sqrt(Math.max(...state0.map((m) => m.data.length)) * Math.max(1, q0.length));
  const solvePart = 4 * stats.residualIntegral * block * Math.sqrt(scale);
  const roundPart = 8 * (stats.steps + options.sizeFactor) * EPS * scale;
  const bound = solvePart + roundPart;
  return compare({
    measured: drift,
    bound,
    errorModel:
      `implicit midpoint keeps quadratic invariants to its solve residual: drift ≤ 4·Σh‖r‖_∞ (${fmt(stats.residualIntegral)})·√(max block·#invariants) (${fmt(block)})·max_t‖W‖_F (${fmt(Math.sqrt(scale))}) ` +
      `+ 8·(steps ${stats.steps} + Σd ${options.sizeFactor})·ε·max_t‖W‖_F² = ${fmt(solvePart)} + ${fmt(roundPart)} = ${fmt(bound)}`,
    detail: `${options.label}: implicit midpoint, ${stats.steps} steps to T = ${options.T}: drift of the invariants ${fmt(drift)} (max residual ${fmt(stats.maxResidual)}, ${stats.unconvergedSteps} unconverged steps)`,
  });
}
