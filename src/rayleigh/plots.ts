import type { PlotSpec, Series } from '../check/plot-spec.js';

/**
 * Figures of rate claims as plain PlotSpec data (src/check/plot-spec.ts): a quantity against t on log–log axes
 * with predicted envelopes (dashed) and the range a rate was fitted or checked on (a band). Series are thinned to
 * at most `maxPoints` log-spaced observations so a verdict stays small enough for JSON reports.
 */

/** Indices of at most maxPoints observations with x > 0, spread evenly in log x (first and last always kept). */
export function logSpacedIndices(x: readonly number[], maxPoints = 160): number[] {
  const idx = x.flatMap((v, i) => (v > 0 && Number.isFinite(v) ? [i] : []));
  if (idx.length <= maxPoints) return idx;
  const lo = Math.log10(x[idx[0]]),
    hi = Math.log10(x[idx[idx.length - 1]]);
  const keep: number[] = [];
  let bucket = -1;
  for (const i of idx) {
    const b = hi > lo ? Math.floor(((Math.log10(x[i]) - lo) / (hi - lo)) * (maxPoints - 2)) : 0;
    if (b > bucket) {
      keep.push(i);
      bucket = b;
    }
  }
  if (keep[keep.length - 1] !== idx[idx.length - 1]) keep.push(idx[idx.length - 1]);
  return keep;
}

export interface CurveInput {
  readonly name: string;
  readonly y: readonly number[];
  readonly style?: Series['style'];
}

export interface RateFigureInput {
  readonly title: string;
  readonly xLabel?: string;
  readonly yLabel: string;
  readonly t: readonly number[];
  /** The measured curve first, then envelopes and bounds (dashed by default). */
  readonly measured: CurveInput;
  readonly predicted: readonly CurveInput[];
  readonly bands?: PlotSpec['bands'];
  readonly maxPoints?: number;
}

/** A log–log figure of measured and predicted curves over the same t, thinned to log-spaced t. */
export function rateFigure(input: RateFigureInput): PlotSpec {
  const keep = logSpacedIndices(input.t, input.maxPoints);
  const pick = (y: readonly number[]): number[] => keep.map((i) => y[i]);
  const x = keep.map((i) => input.t[i]);
  const round = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);
  return {
    title: input.title,
    x: { label: input.xLabel ?? 't', scale: 'log' },
    y: { label: input.yLabel, scale: 'log' },
    series: [
      {
        name: input.measured.name,
        x: x.map(round),
        y: pick(input.measured.y).map(round),
        style: input.measured.style ?? 'line',
      },
      ...input.predicted.map((c) => ({
        name: c.name,
        x: x.map(round),
        y: pick(c.y).map(round),
        style: c.style ?? ('dashed' as const),
      })),
    ],
    ...(input.bands && input.bands.length > 0 ? { bands: input.bands } : {}),
  };
}
