import { EPS, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { squareLossFlow } from './flow.js';
import type { KlInstance } from './instances.js';
import {
  checkEnvelope,
  checkExponent,
  describeFit,
  type EnvelopeFormula,
  fitKlExponent,
  type KlTrajectory,
  klConstant,
  klRatio,
  pathMinimum,
} from './kl-rates.js';
import { tangentKernel } from './model-map.js';
import { rateFigure } from './plots.js';
import { kernelSpectrum, rkhsNormSquared } from './rayleigh.js';

/** KL inequalities ‖∇L‖² ≥ cL^a integrated to rate envelopes, checked along simulated flows (rsl.kl-rates). */

/** Horizon and integrator of the KL flows. */
export const KL_FLOW = { T: 500, rtol: 1e-12, atol: 1e-14, maxSteps: 40_000 } as const;
/** Base slack of the fitted exponent against the predicted one (plus 1.5·spread/decades, see KlInstance.spread). */
export const KL_EXPONENT_SLACK = 0.02;

export interface KlRatesOptions {
  /** Replace the family's predicted exponent (tests: a wrong a must fail). */
  readonly predictedA?: number;
  /** The exponent the envelopes are evaluated with, from the exponent their constant was measured for (default identity). */
  readonly envelopeExponent?: (a: number) => number;
  readonly formula?: EnvelopeFormula;
}

interface KlRecord extends KlTrajectory {
  readonly lambdaMin: number[];
  readonly lambdaMax: number[];
  readonly rkhs: number[];
  readonly rangeResidual: number[];
}

/** Run the flow, recording λ_min(K_θ) and ⟨g, K_θ⁺g⟩ at every observation with the loss and gradient. */
function klFlow(i: KlInstance): KlRecord & { status: string; steps: number } {
  const lambdaMin: number[] = [],
    lambdaMax: number[] = [],
    rkhs: number[] = [],
    rangeResidual: number[] = [];
  const r = squareLossFlow(i.map, i.target, i.theta0, {
    T: KL_FLOW.T,
    rtol: KL_FLOW.rtol,
    atol: KL_FLOW.atol,
    maxSteps: KL_FLOW.maxSteps,
    observe: (_t, theta, p) => {
      const s = kernelSpectrum(tangentKernel(i.map, theta, 'vjp'));
      lambdaMin.push(Math.max(s.lambdaMin, 0));
      lambdaMax.push(s.lambdaMax);
      const b = rkhsNormSquared(s, p.g);
      rkhs.push(b.value);
      rangeResidual.push(b.rangeResidual);
    },
  });
  return {
    t: r.t,
    loss: r.loss,
    gradientNormSquared: r.gradientNormSquared,
    lambdaMin,
    lambdaMax,
    rkhs,
    rangeResidual,
    status: r.status,
    steps: r.steps,
  };
}

/**
 * Along the simulated flow, over EVERY recorded observation (t = 0 and every accepted step, until L < 1e2·ε·L_0 or
 * T), the envelope of each KL inequality whose constant is known on the path:
 *   a = 1 with c = 2·inf λ_min(K_θ(t)) (R ≥ λ_min, rsl.bounds);
 *   a = 2 with c = 4/sup ‖g‖²_{H(K)} (the RKHS bound of rsl.bounds);
 *   a = 1 with the family's theoretical constant, when it has one;
 *   a = â (fitted on the tail) with c = inf ‖∇L‖²/L^â.
 * Path infima use pathMinimum's lower estimate. Then |â − a_predicted| ≤ 0.02 + 1.5·S/D (KlInstance.spread).
 */
export function checkKlRates(i: KlInstance, options: KlRatesOptions = {}): Verdict {
  const tr = klFlow(i);
  const L0 = tr.loss[0];
  const floor = 1e3 * EPS * L0;
  const shift = options.envelopeExponent ?? ((a: number) => a);
  const envelopes: { name: string; short: string; a: number; c: number }[] = [];
  const cLambda = pathMinimum(tr.lambdaMin.map((l) => 2 * l)).value;
  envelopes.push({ name: 'a = 1, c = 2·inf λ_min(K)', short: 'envelope a=1, c=2λ_min', a: 1, c: cLambda });
  const inRange = Math.max(...tr.rangeResidual) <= 1e-6;
  if (inRange)
    envelopes.push({
      name: 'a = 2, c = 4/sup ‖g‖²_H(K)',
      short: 'envelope a=2, c=4/B²',
      a: 2,
      c: pathMinimum(tr.rkhs.map((b) => 4 / b)).value,
    });
  if (i.predictedC)
    envelopes.push({
      name: `a = 1, c = ${i.predictedC.why}`,
      short: 'envelope a=1, c theory',
      a: 1,
      c: i.predictedC.value,
    });
  const fit = fitKlExponent(tr);
  if (fit)
    envelopes.push({
      name: `a = â = ${fit.a.toFixed(3)}, c = inf ‖∇L‖²/L^â`,
      short: `envelope a=â=${fit.a.toFixed(2)}`,
      a: fit.a,
      c: klConstant(tr, fit.a).value,
    });
  const checks = envelopes.map((e) => {
    const v = checkEnvelope(tr, {
      name: e.name,
      a: shift(e.a),
      c: e.c,
      relative: 1e-6,
      absolute: floor,
      ...(options.formula ? { formula: options.formula } : {}),
    });
    return { ...e, verdict: v };
  });
  const predicted = options.predictedA ?? i.predictedA;
  let spread = 0,
    spreadModel = '';
  if (fit && i.spread === 'kernel') {
    const lo = Math.min(...tr.lambdaMin.slice(fit.from, fit.to + 1)),
      hi = Math.max(...tr.lambdaMax.slice(fit.from, fit.to + 1));
    spread = Math.log10(hi / lo);
    spreadModel = `${KL_EXPONENT_SLACK} + 1.5·log10(sup λ_max/inf λ_min of K on the fit range = ${fmt(hi / lo)})/${fit.decades.toFixed(2)} decades: 2λ_min ≤ ‖∇L‖²/L ≤ 2λ_max`;
  } else if (fit && i.spread !== 'kernel') {
    spread = (predicted - 1) * Math.log10(i.spread.zeroModes);
    spreadModel = `${KL_EXPONENT_SLACK} + 1.5·(a − 1)·log10(${i.spread.zeroModes} zero-target modes)/${fit.decades.toFixed(2)} decades: power-mean spread of ‖∇L‖²/L^a`;
  }
  const slack = KL_EXPONENT_SLACK + (fit ? (1.5 * spread) / fit.decades : 0);
  const exponent = checkExponent(fit, predicted, slack, `${i.family} tail exponent`, spreadModel);
  const n = tr.t.length;
  const header =
    `${i.map.name}, ${i.family}: ${n} observations over t ∈ [0, ${fmt(tr.t[n - 1])}] (${tr.status}), L from ${fmt(L0)} to ${fmt(tr.loss[n - 1])}; ` +
    (fit ? describeFit(fit) : 'no tail fit');
  const worst = worstOf([...checks.map((c) => c.verdict), exponent]);
  const plot = rateFigure({
    title: `rsl.kl-rates (${i.family}): L(t) and KL envelopes${fit ? `, â = ${fit.a.toFixed(2)} (predicted ${predicted.toFixed(2)})` : ''}`,
    yLabel: 'L(t) = ½‖f_θ(t) − f*‖²',
    t: tr.t,
    measured: { name: 'L(t)', y: tr.loss },
    predicted: [
      ...checks.map((c) => ({ name: c.short, y: c.verdict.envelope })),
      { name: 'floor 1e3·ε·L₀', y: tr.t.map(() => floor) },
    ],
    bands: fit ? [{ from: fit.tRange[0], to: fit.tRange[1], label: `fit range of â = ${fit.a.toFixed(3)}` }] : [],
  });
  const ratio = klRatio(tr, predicted);
  const cRatio = klConstant(tr, predicted).value;
  const ratioPlot = rateFigure({
    title: `rsl.kl-rates (${i.family}): KL ratio ‖∇L‖²/L^a along the flow, predicted a = ${predicted.toFixed(3)}`,
    yLabel: `‖∇L‖²/L^${predicted.toFixed(2)}`,
    t: tr.t,
    measured: { name: `‖∇L‖²/L^a`, y: ratio },
    predicted: [
      { name: 'c = inf over the path', y: tr.t.map(() => cRatio) },
      ...(predicted === 1 ? [{ name: '2λ_min(K_θ(t))', y: tr.lambdaMin.map((l) => 2 * l) }] : []),
    ],
    bands: fit ? [{ from: fit.tRange[0], to: fit.tRange[1], label: 'fit range' }] : [],
  });
  return {
    ...worst,
    detail: `${header}; ${worst.detail}`,
    data: {
      plot,
      ratioPlot,
      fit: fit ?? null,
      predictedA: predicted,
      envelopes: checks.map((c) => ({
        name: c.name,
        a: c.a,
        c: c.c,
        status: c.verdict.status,
        margin: c.verdict.margin,
      })),
      timeRange: [tr.t[0], tr.t[n - 1]],
      observations: n,
    },
  };
}
