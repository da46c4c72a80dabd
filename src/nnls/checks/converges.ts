import { compare, EPS, inconclusive, type Verdict, worstOf } from '../../check/verdict.js';
import { sci as fmt } from '../../format.js';
import { svd } from '../../linalg/svd.js';
import { rateFigure } from '../../rayleigh/plots.js';
import { bregmanDivergence } from '../bregman.js';
import type { ConvergesInstance } from '../instances.js';
import { kktFromGradient, kktResiduals } from '../kkt.js';
import { columnNorms, LeastSquaresWorkspace, leastSquaresProblem, objectiveScale } from '../problem.js';
import { reparamFlow } from '../reparam-flow.js';
import { distance } from '../vector.js';
import { nnlsReference } from './reference.js';

/** Horizon of the L ≥ 3 runs (their zero coordinates decay only algebraically, like t^{−L/(L−2)}). */
export const CONVERGE_T = 300;

export function checkConverges(inst: ConvergesInstance): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const { L, alpha } = inst;
  const m = inst.A.rows,
    n = inst.A.cols;
  const reference = nnlsReference(problem);
  if ('unavailable' in reference) return reference.unavailable;
  const { star } = reference;
  const fstar = star.objective;
  const x0 = new Float64Array(n).fill(alpha ** L);
  const D = bregmanDivergence(L, star.x, x0);
  // Round-off in a computed f − f*: a few (m+n)ε of the size of the terms ½(‖A‖‖x‖ + ‖b‖)².
  const deltaF = 16 * (m + n) * EPS * Math.max(objectiveScale(problem, star.x), objectiveScale(problem, x0));
  const ws = new LeastSquaresWorkspace(problem);
  let worstRate = -Infinity,
    worstAt = 0,
    tFirst = 0,
    tLast = 0,
    samples = 0;
  // f(x(t)) − f* at every accepted step, for the figure (data.plot) only.
  const tSeries: number[] = [],
    gapSeries: number[] = [];
  const kktStop = 1e-10;
  const norms = columnNorms(problem.A);
  const flow = reparamFlow(inst.A, inst.b, {
    L,
    alpha,
    T: L === 2 ? 1e5 : CONVERGE_T,
    rtol: 1e-10,
    atol: 1e-14,
    maxSteps: 60_000,
    observe: (t, _u, x) => {
      const value = ws.evaluate(x);
      if (t > 0) {
        const gapNow = value - fstar;
        tSeries.push(t);
        gapSeries.push(gapNow);
        const rate = t * gapNow;
        if (rate > worstRate) {
          worstRate = rate;
          worstAt = t;
        }
        if (samples++ === 0) tFirst = t;
        tLast = t;
      }
      // ws holds ∇f(x) from the gap just computed: the same KKT measure as kktResiduals, without its allocations.
      return L === 2 && kktFromGradient(problem, x, ws.gradient, norms).worst <= kktStop;
    },
  });
  const verdicts: Verdict[] = [];
  const rateBound = D * (1 + 1e-6) + tLast * deltaF;
  verdicts.push(
    compare({
      measured: worstRate,
      bound: rateBound,
      errorModel: `D_Φ(x*, x0)(1 + 1e-6) + t·δf, δf = 16(m+n)ε·½(‖A‖‖x‖+‖b‖)² = ${fmt(deltaF)} (the 1e-6 covers the integrator, rtol 1e-10)`,
      detail: `max t·(f(x(t)) − f*) = ${fmt(worstRate)} at t = ${fmt(worstAt)} over the ${samples} accepted steps t ∈ [${fmt(tFirst)}, ${fmt(tLast)}] vs D_Φ(x*, α^L·1) = ${fmt(D)} (L = ${L}, α = ${alpha}, x* from Lawson–Hanson)`,
    }),
  );
  const x = flow.x;
  const gap = ws.evaluate(x) - fstar;
  verdicts.push(
    compare({
      measured: -gap,
      bound: deltaF,
      errorModel: `round-off of f − f*: ${fmt(deltaF)}`,
      detail: `f(x(T)) − f(x_LH) = ${fmt(gap)}: no point of the flow beats the Lawson–Hanson value`,
    }),
  );
  if (m >= n) verdicts.push(strongConvexityVerdict(inst, x, star.x, Math.max(gap, 0) + deltaF, flow.t));
  if (L === 2) {
    const kkt = kktResiduals(problem, x).worst;
    const input = {
      measured: kkt,
      bound: 1e-8,
      errorModel: 'relative KKT ≤ 1e-8 (the flow stops at 1e-10; 1e-8 allows the integrator error, rtol 1e-10)',
      detail: `KKT of x(T) at T = ${fmt(flow.t)} (${flow.steps} steps, ${flow.status}): ${fmt(kkt)}; ‖x(T) − x_LH‖ = ${fmt(distance(x, star.x))}`,
    };
    // A finite horizon cannot refute convergence: not reaching the KKT level is undecided, not false.
    verdicts.push(flow.status === 'stopped' ? compare(input) : inconclusive(input));
  }
  const verdict = worstOf(verdicts);
  const plot = convergenceFigure(inst, tSeries, gapSeries, D, deltaF, samples > 0 ? [tFirst, tLast] : undefined);
  return { ...verdict, data: { ...(verdict.data ?? {}), plot, timeRange: [tFirst, tLast] } };
}

/**
 * f is ½σ_min²-strongly convex when A has full column rank, and ∇f(x*)ᵀ(x − x*) ≥ 0 for x ≥ 0, so
 * ½σ_min²‖x − x*‖² ≤ f(x) − f*: the flow's end point must be that close to the (unique) NNLS solution.
 */
function strongConvexityVerdict(
  inst: ConvergesInstance,
  x: Float64Array,
  star: Float64Array,
  excess: number,
  T: number,
) {
  const sMin = svd(inst.A).s[inst.A.cols - 1];
  const dist = distance(x, star);
  return compare({
    measured: dist,
    bound: Math.sqrt((2 * excess) / (sMin * sMin)),
    errorModel: `√(2(f(x(T)) − f* + δf))/σ_min(A), σ_min = ${fmt(sMin)} (strong convexity, exact)`,
    detail: `‖x(T) − x_LH‖ = ${fmt(dist)} at T = ${fmt(T)} (unique NNLS solution: A has full column rank)`,
  });
}

/** f(x(t)) − f* at every accepted step against the envelope D_Φ/t and the round-off level, for data.plot. */
function convergenceFigure(
  inst: ConvergesInstance,
  tSeries: number[],
  gapSeries: number[],
  D: number,
  deltaF: number,
  checked: [number, number] | undefined,
) {
  return rateFigure({
    title: `nnls.converges: f(x(t)) − f* against t (L = ${inst.L}, α = ${inst.alpha}, ${inst.A.rows}×${inst.A.cols})`,
    yLabel: 'f(x(t)) − f*',
    t: tSeries,
    measured: { name: 'f(x(t)) − f*', y: gapSeries },
    predicted: [
      { name: 'envelope D_Φ(x*, x0)/t', y: tSeries.map((t) => D / t) },
      { name: 'round-off δf of f − f*', y: tSeries.map(() => deltaF) },
    ],
    bands: checked
      ? [
          {
            from: checked[0],
            to: checked[1],
            label: `rate t·(f − f*) ≤ D_Φ checked on t ∈ [${fmt(checked[0])}, ${fmt(checked[1])}]`,
          },
        ]
      : [],
  });
}
