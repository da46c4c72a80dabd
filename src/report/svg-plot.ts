import type { AxisScale, PlotSpec } from './plot-spec.js';
import { escapeXml } from './xml.js';

/** Render a PlotSpec as a self-contained SVG (no browser, no dependencies): axes with ticks, series, bands, legend. */

const WIDTH = 640, HEIGHT = 400;
const MARGIN = { left: 78, right: 160, top: 36, bottom: 52 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

interface Scale {
  map: (v: number) => number;
  ticks: number[];
  format: (v: number) => string;
}

function extent(values: number[], scale: AxisScale): [number, number] {
  const usable = values.filter((v) => Number.isFinite(v) && (scale === 'linear' || v > 0));
  if (usable.length === 0) return scale === 'log' ? [1, 10] : [0, 1];
  let lo = Math.min(...usable), hi = Math.max(...usable);
  if (lo === hi) [lo, hi] = scale === 'log' ? [lo / 10, hi * 10] : [lo - 1, hi + 1];
  return [lo, hi];
}

function makeScale(values: number[], scale: AxisScale, from: number, to: number): Scale {
  const [lo, hi] = extent(values, scale);
  if (scale === 'log') {
    const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    const step = Math.max(1, Math.ceil((b - a) / 8));
    const ticks: number[] = [];
    for (let e = a; e <= b; e += step) ticks.push(10 ** e);
    return { map: (v) => from + ((Math.log10(v) - a) / (b - a || 1)) * (to - from), ticks, format: (v) => `1e${Math.round(Math.log10(v))}` };
  }
  const raw = (hi - lo) / 6, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const a = Math.floor(lo / step) * step, b = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = a; t <= b + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { map: (v) => from + ((v - a) / (b - a || 1)) * (to - from), ticks, format: (v) => String(Number(v.toPrecision(4))) };
}

export function renderSvg(spec: PlotSpec): string {
  const xs = makeScale(spec.series.flatMap((s) => [...s.x]), spec.x.scale ?? 'linear', MARGIN.left, WIDTH - MARGIN.right);
  const ys = makeScale(spec.series.flatMap((s) => [...s.y]), spec.y.scale ?? 'linear', HEIGHT - MARGIN.bottom, MARGIN.top);
  const ok = (v: number, scale: AxisScale | undefined) => Number.isFinite(v) && (scale !== 'log' || v > 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="13">${escapeXml(spec.title)}</text>`,
  ];
  for (const band of spec.bands ?? []) {
    const x0 = xs.map(band.from), x1 = xs.map(band.to);
    if (!Number.isFinite(x0) || !Number.isFinite(x1)) continue;
    parts.push(`<rect class="band" x="${Math.min(x0, x1).toFixed(1)}" y="${MARGIN.top}" width="${Math.abs(x1 - x0).toFixed(1)}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="#2ca02c" fill-opacity="0.12"><title>${escapeXml(band.label)}</title></rect>`);
  }
  const [left, right, top, bottom] = [MARGIN.left, WIDTH - MARGIN.right, MARGIN.top, HEIGHT - MARGIN.bottom];
  parts.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`);
  for (const t of xs.ticks) {
    const x = xs.map(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 4}" stroke="#333"/><text x="${x}" y="${bottom + 16}" text-anchor="middle">${xs.format(t)}</text>`);
  }
  for (const t of ys.ticks) {
    const y = ys.map(t).toFixed(1);
    parts.push(`<line x1="${left - 4}" y1="${y}" x2="${left}" y2="${y}" stroke="#333"/><line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eee"/><text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${ys.format(t)}</text>`);
  }
  parts.push(`<text x="${(left + right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(spec.x.label)}</text>`);
  parts.push(`<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.y.label)}</text>`);
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.x.map((x, k) => [x, s.y[k]] as const).filter(([x, y]) => ok(x, spec.x.scale) && ok(y, spec.y.scale));
    const coords = points.map(([x, y]) => `${xs.map(x).toFixed(1)},${ys.map(y).toFixed(1)}`);
    if (s.style === 'points') {
      for (const c of coords) {
        const [cx, cy] = c.split(',');
        parts.push(`<circle class="series" cx="${cx}" cy="${cy}" r="2.5" fill="${color}"/>`);
      }
    } else if (coords.length > 0) {
      parts.push(`<polyline class="series" points="${coords.join(' ')}" fill="none" stroke="${color}" stroke-width="1.6"${s.style === 'dashed' ? ' stroke-dasharray="5 4"' : ''}/>`);
    }
    const ly = top + 14 * i + 6;
    parts.push(`<line x1="${right + 10}" y1="${ly}" x2="${right + 30}" y2="${ly}" stroke="${color}" stroke-width="2"${s.style === 'dashed' ? ' stroke-dasharray="5 4"' : ''}/><text x="${right + 34}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
