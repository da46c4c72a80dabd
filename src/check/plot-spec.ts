/**
 * A figure as plain data: what checks attach to their verdicts (under `data.plot`) and what every renderer
 * (SVG files, the HTML report) draws. Checks describe what to show; they never render.
 */
export type AxisScale = 'linear' | 'log';

export interface Axis {
  readonly label: string;
  readonly scale?: AxisScale;
}

export interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** 'line' (default), 'points', or 'dashed' for predictions, envelopes and bounds. */
  readonly style?: 'line' | 'points' | 'dashed';
}

export interface PlotSpec {
  readonly title: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series: readonly Series[];
  /** Shaded x-intervals, e.g. the slope-2 window of a Taylor test or the range a rate was fitted on. */
  readonly bands?: readonly { readonly from: number; readonly to: number; readonly label: string }[];
}

export function isPlotSpec(value: unknown): value is PlotSpec {
  const v = value as PlotSpec | undefined;
  return !!v && typeof v.title === 'string' && !!v.x && !!v.y && Array.isArray(v.series);
}
