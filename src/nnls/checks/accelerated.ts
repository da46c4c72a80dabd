import { compare, EPS, inconclusive, type Verdict } from '../../check/verdict.js';
import { sci as fmt } from '../../format.js';
import { rateFigure } from '../../rayleigh/plots.js';
import { acceleratedFlow } from '../accelerated.js';
import { klDivergence } from '../bregman.js';
import type { AcceleratedInstance } from '../instances.js';
import { LeastSquaresWorkspace, leastSquaresProblem, objectiveScale } from '../problem.js';
import { nnlsReference } from './reference.js';

export const ACCEL_T0 = 1e-3;
export const ACCEL_T = 40;

export function checkAccelerated(inst: AcceleratedInstance, factor = 4): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const m = inst.A.rows,
    n = inst.A.cols;
  const reference = nnlsReference(problem);
  if ('unavailable' in reference) return reference.unavailable;
  const { star } = reference;
  const fstar = star.objective;
  const y0 = new Float64Array(n).fill(inst.alpha ** 2);
  const ws = new LeastSquaresWorkspace(problem);
  const f0 = ws.evaluate(y0);
  const kl = klDivergence(star.x, y0);
  // Energy E(t) = t²(f(x) − f*) + 4KL(x*‖y) is non-increasing [D], so t²(f − f*) ≤ E(t0).
  const energy0 = factor * kl + ACCEL_T0 * ACCEL_T0 * (f0 - fstar);
  const deltaF = 16 * (m + n) * EPS * Math.max(objectiveScale(problem, star.x), objectiveScale(problem, y0));
  let worst = -Infinity,
    at = 0,
    steps = 0;
  // f(x(t)) − f* at every recorded time, for the figure (data.plot) only.
  const tSeries: number[] = [],
    gapSeries: number[] = [];
  const r = acceleratedFlow(inst.A, inst.b, {
    alpha: inst.alpha,
    t0: ACCEL_T0,
    T: ACCEL_T,
    rtol: 1e-10,
    observe: (t, x) => {
      steps++;
      const gapNow = ws.evaluate(x) - fstar;
      tSeries.push(t);
      gapSeries.push(gapNow);
      const v = t * t * gapNow;
      if (v > worst) {
        worst = v;
        at = t;
      }
    },
  });
  const bound = energy0 * (1 + 1e-6) + ACCEL_T * ACCEL_T * deltaF;
  const input = {
    measured: worst,
    bound,
    errorModel: `(${factor}·KL(x*‖α²1) + t0²(f(x0) − f*))(1 + 1e-6) + T²·δf, δf = ${fmt(deltaF)} (1e-6: integrator, rtol 1e-10)`,
    detail: `max t²(f(x(t)) − f*) = ${fmt(worst)} at t = ${fmt(at)} over ${steps} recorded times in [${ACCEL_T0}, ${ACCEL_T}] vs ${factor}·KL = ${fmt(factor * kl)} (α = ${inst.alpha}, t0² term ${fmt(ACCEL_T0 * ACCEL_T0 * (f0 - fstar))})`,
  };
  const verdict =
    r.status === 'done'
      ? compare(input)
      : inconclusive({ ...input, detail: `${input.detail}; integration ended with ${r.status}` });
  const plot = rateFigure({
    title: `nnls.accelerated: f(x(t)) − f* against t (α = ${inst.alpha}, ${m}×${n})`,
    yLabel: 'f(x(t)) − f*',
    t: tSeries,
    measured: { name: 'f(x(t)) − f*', y: gapSeries },
    predicted: [
      { name: `envelope ${factor}·KL/t² (+t0² term)`, y: tSeries.map((t) => energy0 / (t * t)) },
      { name: 'round-off δf of f − f*', y: tSeries.map(() => deltaF) },
    ],
    bands: [
      {
        from: ACCEL_T0,
        to: ACCEL_T,
        label: `t²(f − f*) ≤ bound checked at every recorded time in [${ACCEL_T0}, ${ACCEL_T}]`,
      },
    ],
  });
  return { ...verdict, data: { ...(verdict.data ?? {}), plot, timeRange: [ACCEL_T0, ACCEL_T] } };
}
