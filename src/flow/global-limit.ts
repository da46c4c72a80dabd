import { compare, inconclusive, type Verdict } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { rankConstrainedMinimizer, whiten } from '../linalg/whitening.js';
import { endToEnd } from '../model/partial-products.js';
import type { LimitInstance } from './instances.js';
import { LIMIT_TMAX, LIMIT_TOLERANCE, type LimitReading, readLimit } from './limit.js';
import { runFlowUntil } from './run-until.js';
import { listDistance } from './state-measures.js';

/**
 * Chunks of 5 time units the limit reading must stay converged at the same rank before the run stops: near a saddle
 * of L a singular value below the rank cut (1e−6 of the scale) could still be growing; at depth 2 it grows at least
 * like e^{σ_min(Q)·t}, so 50 time units carry any such mode over the cut and restart the wait.
 */
export const GLOBAL_CONFIRM_CHUNKS = 10;

/**
 * The limit of the flow against the global minimizer of L over the whole parameter space: with r̄ = min_j d_j (the
 * largest rank the product can have) and whitened data, W*_r̄ = [Q]_r̄. Runs the flow until readLimit's convergence
 * tolerance at the rank k read is ≤ 1e−7·max(1, ‖W*_k‖) and has stayed so, at the same k, for 50 time units (or
 * T = 600: inconclusive), then measures ‖W(T) − W*_r̄‖_F against that tolerance plus the tail of W beyond rank k.
 * A limit of rank k < r̄ (a critical point of L on M_k that is not a global minimizer) is at distance
 * ≥ σ_r̄(Q) − tolerance from W*_r̄: a counterexample.
 */
export function checkLimitGlobal(instance: LimitInstance): Verdict {
  const rbar = Math.min(...instance.widths);
  let last: LimitReading | undefined;
  let since = -1,
    chunk = 0;
  const run = runFlowUntil(
    instance,
    (state) => {
      chunk++;
      const r = readLimit(instance, state);
      const settled = r.bound <= LIMIT_TOLERANCE * r.scale;
      if (!settled) since = -1;
      else if (since < 0 || last?.k !== r.k) since = chunk;
      last = r;
      return since >= 0 && chunk - since >= GLOBAL_CONFIRM_CHUNKS;
    },
    LIMIT_TMAX,
  );
  const r = last ?? readLimit(instance, run.weights);
  const global = rankConstrainedMinimizer(whiten(instance.data.X, instance.data.Y), rbar).W;
  const distance = listDistance([endToEnd(run.weights)], [global]);
  const input = {
    measured: distance,
    bound: r.bound + r.tail,
    errorModel:
      'convergence tolerance of flow.limit-optimal-on-Mk at the rank read ' +
      `(2‖P_T∇L¹‖/μ + 16·Σd·ε·max(1,‖W*‖) = ${fmt(r.bound)}) + tail ‖W − [W]_k‖ = ${fmt(r.tail)}; ` +
      `converged for ${GLOBAL_CONFIRM_CHUNKS} chunks of 5 time units at one rank`,
    detail:
      `${instance.init} start, T = ${run.t}; limit rank k = ${r.k} of r̄ = min_j d_j = ${rbar} ` +
      `(σ(W) = ${r.sigma.map((x) => fmt(x)).join(', ')}; σ(Q) = ${r.sigmaQ.map((x) => fmt(x)).join(', ')}); ` +
      `‖W(T) − [Q]_r̄(XXᵀ)^{−1/2}‖_F = ${fmt(distance)}`,
  };
  if (!run.converged) return inconclusive({ ...input, detail: `${input.detail} — not settled by T = ${LIMIT_TMAX}` });
  return compare(input);
}
