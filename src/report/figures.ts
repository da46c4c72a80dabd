import type { ClaimReport } from '../claims/runner.js';
import { isPlotSpec, type PlotSpec } from './plot-spec.js';

interface TaylorLike {
  order: 1 | 2;
  t: number[];
  error: number[];
  floor: number[];
  window: [number, number] | null;
  slope: number;
}

function isTaylorData(data: Record<string, unknown>): data is Record<string, unknown> & TaylorLike {
  return Array.isArray(data.t) && Array.isArray(data.error) && Array.isArray(data.floor) && (data.order === 1 || data.order === 2);
}

/** The Taylor-remainder curve e(t) with its round-off floor, a reference slope and the window that decided. */
export function taylorFigure(id: string, data: TaylorLike): PlotSpec {
  const p = data.order + 1;
  const anchor = data.window ? data.t.findIndex((t) => t >= data.window![0]) : -1;
  const reference =
    anchor >= 0
      ? [{ name: `slope ${p}`, x: data.t, y: data.t.map((t) => data.error[anchor] * (t / data.t[anchor]) ** p), style: 'dashed' as const }]
      : [];
  return {
    title: `${id}: Taylor remainder (fitted slope ${data.slope.toFixed(2)})`,
    x: { label: 't', scale: 'log' },
    y: { label: 'e(t) = |f(x + tξ) − model(t)|', scale: 'log' },
    series: [{ name: 'e(t)', x: data.t, y: data.error }, { name: 'round-off floor', x: data.t, y: data.floor, style: 'dashed' }, ...reference],
    ...(data.window ? { bands: [{ from: data.window[0], to: data.window[1], label: `slope-${p} window` }] } : {}),
  };
}

/**
 * The figure that explains a claim's verdict: a PlotSpec the check attached under `data.plot`, or the Taylor
 * curve of a derivative check; undefined when the verdict carries nothing to draw.
 */
export function figureFor(report: ClaimReport): PlotSpec | undefined {
  const data = report.data;
  if (!data) return undefined;
  if (isPlotSpec(data.plot)) return data.plot;
  if (isTaylorData(data)) return taylorFigure(report.id, data);
  return undefined;
}
