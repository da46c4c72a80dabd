import { isPlotSpec, type PlotSpec, type Series } from '../check/plot-spec.js';
import type { ClaimReport } from '../claims/runner.js';

interface TaylorLike {
  order: 1 | 2;
  t: number[];
  error: number[];
  floor: number[];
  window: [number, number] | null;
  slope: number;
}

function isTaylorData(data: Record<string, unknown>): data is Record<string, unknown> & TaylorLike {
  return (
    Array.isArray(data.t) &&
    Array.isArray(data.error) &&
    Array.isArray(data.floor) &&
    (data.order === 1 || data.order === 2)
  );
}

/** The Taylor-remainder curve e(t) with its round-off floor, a reference slope and the window that decided. */
export function taylorFigure(id: string, data: TaylorLike): PlotSpec {
  const p = data.order + 1;
  const anchor = data.window ? data.t.findIndex((t) => t >= data.window![0]) : -1;
  const reference =
    anchor >= 0
      ? [
          {
            name: `slope ${p}`,
            x: data.t,
            y: data.t.map((t) => data.error[anchor] * (t / data.t[anchor]) ** p),
            style: 'dashed' as const,
          },
        ]
      : [];
  return {
    title: `${id}: Taylor remainder (fitted slope ${data.slope.toFixed(2)})`,
    x: { label: 't', scale: 'log' },
    y: { label: 'e(t) = |f(x + tξ) − model(t)|', scale: 'log' },
    series: [
      { name: 'e(t)', x: data.t, y: data.error },
      { name: 'round-off floor', x: data.t, y: data.floor, style: 'dashed' },
      ...reference,
    ],
    ...(data.window ? { bands: [{ from: data.window[0], to: data.window[1], label: `slope-${p} window` }] } : {}),
  };
}

/** The data checkOrder attaches: errors e(h) at step sizes h, the round-off floor, the fitted slope and the steps used. */
interface OrderLike {
  h: number[];
  error: number[];
  floor: number;
  slope?: number;
  used?: number[];
}

function isOrderData(data: Record<string, unknown>): data is Record<string, unknown> & OrderLike {
  return (
    Array.isArray(data.h) &&
    Array.isArray(data.error) &&
    typeof data.floor === 'number' &&
    (data.h as unknown[]).length === (data.error as unknown[]).length
  );
}

/** Drift (or error) against step size on log–log axes, with the fitted slope over the steps the fit used. */
export function orderFigure(id: string, data: OrderLike): PlotSpec {
  const used = data.used && data.used.length > 0 ? data.used : undefined;
  const series: Series[] = [
    { name: 'error e(h)', x: data.h, y: data.error, style: 'points' },
    { name: 'round-off floor', x: data.h, y: data.h.map(() => data.floor), style: 'dashed' },
  ];
  if (used && typeof data.slope === 'number' && Number.isFinite(data.slope)) {
    const h0 = used[0],
      e0 = data.error[data.h.indexOf(h0)];
    if (e0 > 0)
      series.push({
        name: `fitted slope ${data.slope.toFixed(2)}`,
        x: used,
        y: used.map((h) => e0 * (h / h0) ** data.slope!),
        style: 'dashed',
      });
  }
  return {
    title: `${id}: error against step size${typeof data.slope === 'number' ? ` (order ${data.slope.toFixed(2)})` : ''}`,
    x: { label: 'step size h', scale: 'log' },
    y: { label: 'e(h)', scale: 'log' },
    series,
    ...(used ? { bands: [{ from: Math.min(...used), to: Math.max(...used), label: 'fitted range' }] } : {}),
  };
}

/**
 * A trajectory figure a flow claim can attach as `data.plot`: quantities against time (a loss, a drift, a
 * balancedness defect…), each with an optional predicted envelope drawn dashed.
 */
export function trajectoryPlot(
  title: string,
  t: readonly number[],
  series: Readonly<Record<string, readonly number[]>>,
  options: { logY?: boolean; predicted?: Readonly<Record<string, readonly number[]>> } = {},
): PlotSpec {
  return {
    title,
    x: { label: 't' },
    y: {
      label:
        Object.keys(series).length <= 3
          ? Object.keys(series).join(', ')
          : `${Object.keys(series)[0]}, … (${Object.keys(series).length} series)`,
      scale: options.logY ? 'log' : 'linear',
    },
    series: [
      ...Object.entries(series).map(([name, y]) => ({ name, x: t, y })),
      ...Object.entries(options.predicted ?? {}).map(([name, y]) => ({ name, x: t, y, style: 'dashed' as const })),
    ],
  };
}

/** Singular values of the end-to-end matrix over time (σ_i(t) as one series each), for rank claims. */
export function singularValuesPlot(
  title: string,
  t: readonly number[],
  sigmas: readonly (readonly number[])[],
  options: { logY?: boolean } = {},
): PlotSpec {
  const k = Math.max(0, ...sigmas.map((s) => s.length));
  return {
    title,
    x: { label: 't' },
    y: { label: 'σ_i(W(t))', scale: options.logY === false ? 'linear' : 'log' },
    series: Array.from({ length: k }, (_, i) => ({ name: `σ_${i + 1}`, x: t, y: sigmas.map((s) => s[i] ?? NaN) })),
  };
}

/**
 * Every figure that explains a claim's verdict, in this order: PlotSpecs the check attached (`data.plots`, then
 * `data.plot`), the Taylor curve of a derivative check, the error-against-step-size plot of an order test.
 */
export function figuresFor(report: Pick<ClaimReport, 'id' | 'data'>): PlotSpec[] {
  const data = report.data;
  if (!data) return [];
  const figures: PlotSpec[] = [];
  if (Array.isArray(data.plots)) figures.push(...data.plots.filter(isPlotSpec));
  if (isPlotSpec(data.plot)) figures.push(data.plot);
  if (isTaylorData(data)) figures.push(taylorFigure(report.id, data));
  else if (isOrderData(data)) figures.push(orderFigure(report.id, data));
  return figures.map((f) => ownTitle(f, report.id));
}

/**
 * A FALSE variant runs its parent's check, whose figure titles start with the parent's id
 * ("wj.rank-never-rises: …" on wj.rank-never-rises.adam-rotated): the figure is retitled with the claim it belongs to.
 */
function ownTitle(figure: PlotSpec, id: string): PlotSpec {
  const m = /^([a-z0-9-]+(?:\.[A-Za-z0-9-]+)+): /.exec(figure.title);
  return m && m[1] !== id ? { ...figure, title: `${id}: ${figure.title.slice(m[0].length)}` } : figure;
}

/**
 * The figure that explains a claim's verdict: a PlotSpec the check attached under `data.plot`, or the Taylor
 * curve of a derivative check (or the plot of an order test); undefined when the verdict carries nothing to draw.
 */
export function figureFor(report: Pick<ClaimReport, 'id' | 'data'>): PlotSpec | undefined {
  const data = report.data;
  if (data && isPlotSpec(data.plot)) return ownTitle(data.plot, report.id);
  return figuresFor(report)[0];
}
