import type { AxisScale, PlotSpec, Series } from '../check/plot-spec.js';
import { escapeXml } from './xml.js';

/**
 * Render a PlotSpec as a self-contained SVG (no browser, no dependencies): axes with ticks, bands, series, legend.
 * Readable in grey print and with many series: each series has its own colour, dash pattern and marker shape;
 * a series that coincides with an earlier one says so; with more than LEGEND_MAX series every line is labelled
 * directly at its end instead of a legend; the legend sits inside the frame in the emptiest corner; every band
 * and every horizontal reference line carries its label in the plot; measured points are drawn over the fitted
 * and reference lines.
 */

const WIDTH = 640,
  HEIGHT = 400;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
/** Line dashes by palette round: the 9th series differs from the 1st by its dash. */
const DASHES = ['', '7 3', '2 2', '9 3 2 3'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus'] as const;
const LEGEND_MAX = 6;
/** Average advance of an 11 px sans-serif character, for sizing boxes around text. */
const CHAR = 6.2;

interface Scale {
  map: (v: number) => number;
  ticks: number[];
  format: (v: number) => string;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  0: '⁰',
  1: '¹',
  2: '²',
  3: '³',
  4: '⁴',
  5: '⁵',
  6: '⁶',
  7: '⁷',
  8: '⁸',
  9: '⁹',
};
const power = (e: number): string => `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;

function extent(values: number[], scale: AxisScale): [number, number] {
  const usable = values.filter((v) => Number.isFinite(v) && (scale === 'linear' || v > 0));
  if (usable.length === 0) return scale === 'log' ? [1, 10] : [0, 1];
  let lo = Math.min(...usable),
    hi = Math.max(...usable);
  if (lo === hi) [lo, hi] = scale === 'log' ? [lo / 10, hi * 10] : [lo - 1, hi + 1];
  return [lo, hi];
}

function makeScale(values: number[], scale: AxisScale, from: number, to: number): Scale {
  const [lo, hi] = extent(values, scale);
  if (scale === 'log') {
    const a = Math.floor(Math.log10(lo)),
      b = Math.ceil(Math.log10(hi));
    const step = Math.max(1, Math.ceil((b - a) / 8));
    const ticks: number[] = [];
    for (let e = a; e <= b; e += step) ticks.push(10 ** e);
    return {
      map: (v) => from + ((Math.log10(v) - a) / (b - a || 1)) * (to - from),
      ticks,
      format: (v) => power(Math.round(Math.log10(v))),
    };
  }
  const raw = (hi - lo) / 6,
    mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const a = Math.floor(lo / step) * step,
    b = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = a; t <= b + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return {
    map: (v) => from + ((v - a) / (b - a || 1)) * (to - from),
    ticks,
    format: (v) => String(Number(v.toPrecision(4))),
  };
}

/** Text for an SVG <text>: TeX-style sub- and superscripts (s_{r+1}, W_ℓ, ρ^k) as shifted, smaller tspans. */
export function svgText(text: string): string {
  let out = '',
    last = 0;
  for (const m of text.matchAll(/([_^])(?:\{([^{}]*)\}|([A-Za-z0-9]{2,})(?![_^{A-Za-z0-9])|(.))/gu)) {
    out += escapeXml(text.slice(last, m.index));
    out += `<tspan baseline-shift="${m[1] === '_' ? 'sub' : 'super'}" font-size="75%">${escapeXml(m[2] ?? m[3] ?? m[4])}</tspan>`;
    last = m.index! + m[0].length;
  }
  return out + escapeXml(text.slice(last));
}

/** `text` cut to `chars` characters with an ellipsis (the full text goes in a <title>). */
const fit = (text: string, chars: number): string =>
  text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;

function marker(shape: (typeof MARKERS)[number], x: number, y: number, color: string): string {
  const r = 3.2,
    p = (v: number): string => v.toFixed(1);
  const paint = `fill="${color}" stroke="white" stroke-width="0.8"`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${p(x)}" cy="${p(y)}" r="${r}" ${paint}/>`;
    case 'square':
      return `<rect x="${p(x - r)}" y="${p(y - r)}" width="${2 * r}" height="${2 * r}" ${paint}/>`;
    case 'triangle':
      return `<path d="M${p(x)} ${p(y - r - 0.6)}L${p(x + r + 0.4)} ${p(y + r)}H${p(x - r - 0.4)}Z" ${paint}/>`;
    case 'diamond':
      return `<path d="M${p(x)} ${p(y - r - 0.8)}L${p(x + r)} ${p(y)}L${p(x)} ${p(y + r + 0.8)}L${p(x - r)} ${p(y)}Z" ${paint}/>`;
    case 'cross':
      return `<path d="M${p(x - r)} ${p(y - r)}L${p(x + r)} ${p(y + r)}M${p(x - r)} ${p(y + r)}L${p(x + r)} ${p(y - r)}" stroke="${color}" stroke-width="1.8"/>`;
    case 'plus':
      return `<path d="M${p(x - r - 0.6)} ${p(y)}H${p(x + r + 0.6)}M${p(x)} ${p(y - r - 0.6)}V${p(y + r + 0.6)}" stroke="${color}" stroke-width="1.8"/>`;
  }
}

interface Styled {
  readonly series: Series;
  readonly index: number;
  readonly label: string;
  readonly color: string;
  readonly dash: string;
  readonly shape: (typeof MARKERS)[number];
  /** Pixel coordinates of the points the axes can show. */
  readonly points: readonly (readonly [number, number])[];
  /** A dashed series with one y value: a reference line, labelled on the plot. */
  readonly reference: boolean;
}

/** The earlier line this one coincides with (every shown value within 0.1 %), if any. */
function twinOf(s: Series, earlier: readonly Series[]): Series | undefined {
  const close = (a: number, b: number): boolean =>
    (!Number.isFinite(a) && !Number.isFinite(b)) || Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b));
  return earlier.find(
    (e) => e.y.length === s.y.length && e.x.every((x, k) => x === s.x[k]) && e.y.every((y, k) => close(y, s.y[k])),
  );
}

/** Labels at heights `wanted`, moved apart to at least `gap` pixels and kept within [lo, hi]. */
function spread(wanted: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = wanted.map((y, k) => [y, k] as const).sort((a, b) => a[0] - b[0]);
  const placed = order.map(([y]) => y);
  for (let k = 0; k < placed.length; k++) placed[k] = Math.max(placed[k], k === 0 ? lo : placed[k - 1] + gap);
  const overflow = placed.length > 0 ? placed[placed.length - 1] - hi : 0;
  if (overflow > 0)
    for (let k = placed.length - 1; k >= 0; k--)
      placed[k] = Math.min(placed[k] - overflow, k === placed.length - 1 ? hi : placed[k + 1] - gap);
  const out = new Array<number>(wanted.length);
  order.forEach(([, k], j) => (out[k] = placed[j]));
  return out;
}

export function renderSvg(spec: PlotSpec): string {
  const direct = spec.series.length > LEGEND_MAX;
  const longest = Math.max(0, ...spec.series.map((s) => s.name.length));
  const titleLines =
    spec.title.length > 92
      ? [spec.title.slice(0, spec.title.lastIndexOf(' ', 92)), spec.title.slice(spec.title.lastIndexOf(' ', 92) + 1)]
      : [spec.title];
  const margin = {
    left: 78,
    right: direct ? Math.min(190, 18 + CHAR * Math.min(longest, 28)) : 20,
    top: 22 + 16 * titleLines.length,
    bottom: 52,
  };
  const [left, right, top, bottom] = [margin.left, WIDTH - margin.right, margin.top, HEIGHT - margin.bottom];
  const xs = makeScale(
    spec.series.flatMap((s) => [...s.x]),
    spec.x.scale ?? 'linear',
    left,
    right,
  );
  const ys = makeScale(
    spec.series.flatMap((s) => [...s.y]),
    spec.y.scale ?? 'linear',
    bottom,
    top,
  );
  const ok = (v: number, scale: AxisScale | undefined): boolean => Number.isFinite(v) && (scale !== 'log' || v > 0);

  const styled: Styled[] = spec.series.map((s, i) => {
    const twin =
      s.style === 'points'
        ? undefined
        : twinOf(
            s,
            spec.series.slice(0, i).filter((e) => e.style !== 'points'),
          );
    const shown = s.x
      .map((x, k) => [x, s.y[k]] as const)
      .filter(([x, y]) => ok(x, spec.x.scale) && ok(y, spec.y.scale));
    const constant = shown.length > 1 && shown.every(([, y]) => y === shown[0][1]);
    return {
      series: s,
      index: i,
      label: twin ? `${s.name} (= ${twin.name})` : s.name,
      color: COLORS[i % COLORS.length],
      dash:
        s.style === 'dashed'
          ? i < COLORS.length
            ? '6 4'
            : '3 3'
          : DASHES[Math.floor(i / COLORS.length) % DASHES.length],
      shape: MARKERS[i % MARKERS.length],
      points: shown.map(([x, y]) => [xs.map(x), ys.map(y)] as const),
      reference: s.style === 'dashed' && constant,
    };
  });

  const references = styled.filter((s) => s.reference && s.points.length > 0);
  const keyed = styled.filter((s) => !s.reference && s.points.length > 0);
  const markEvery = styled.length >= 3;
  const pointsIn = (x: number, y: number, w: number, h: number): number =>
    styled.reduce(
      (sum, s) =>
        sum + s.points.filter(([px, py]) => px >= x - 4 && px <= x + w + 4 && py >= y - 4 && py <= y + h + 4).length,
      0,
    );

  // The legend inside the frame, in the corner that covers the fewest data points.
  const legendChars = Math.floor(((right - left) * 0.55) / CHAR);
  const legend =
    !direct && keyed.length > 0
      ? (() => {
          const w = 40 + CHAR * Math.min(legendChars, Math.max(...keyed.map((s) => s.label.length))),
            h = 8 + 14 * keyed.length;
          const corners = [
            [right - w - 6, top + 6],
            [left + 6, top + 6],
            [right - w - 6, bottom - h - 6],
            [left + 6, bottom - h - 6],
          ] as const;
          const [x, y] = corners.reduce((best, c) =>
            pointsIn(c[0], c[1], w, h) < pointsIn(best[0], best[1], w, h) ? c : best,
          );
          return { x, y, w, h };
        })()
      : undefined;
  const overlapsLegend = (x: number, y: number, w: number, h: number): boolean =>
    !!legend && x < legend.x + legend.w && x + w > legend.x && y < legend.y + legend.h && y + h > legend.y;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    ...titleLines.map(
      (line, k) =>
        `<text x="${WIDTH / 2}" y="${20 + 16 * k}" text-anchor="middle" font-size="13">${svgText(line)}</text>`,
    ),
  ];

  // Bands, each with its label written inside it: across a wide band, at the top or the bottom (wherever fewer
  // points and no legend are); up along a narrow one (a label too close to the previous one stays in the tooltip).
  let lastUpright = -Infinity;
  (spec.bands ?? []).forEach((band, k) => {
    const x0 = Math.max(left, Math.min(xs.map(band.from), xs.map(band.to))),
      x1 = Math.min(right, Math.max(xs.map(band.from), xs.map(band.to)));
    if (!Number.isFinite(x0) || !Number.isFinite(x1) || x1 <= x0) return;
    const paint = 'font-size="10" fill="#17561a" stroke="white" stroke-width="2.5" paint-order="stroke"';
    let text = '';
    if (band.label.length * CHAR * 0.9 <= x1 - x0 - 6 || x1 - x0 >= 120) {
      const label = fit(band.label, Math.floor((x1 - x0 - 6) / (CHAR * 0.9)));
      const w = label.length * CHAR * 0.9,
        offset = 12 * (k % 3);
      const cost = (y: number): number =>
        pointsIn(x0 + 2, y - 10, w, 12) + (overlapsLegend(x0 + 2, y - 10, w, 12) ? 1000 : 0);
      const y = cost(top + 13 + offset) <= cost(bottom - 5 - offset) ? top + 13 + offset : bottom - 5 - offset;
      text = `<text x="${(x0 + 4).toFixed(1)}" y="${y}" ${paint}>${svgText(label)}</text>`;
    } else if (x0 - lastUpright >= 12) {
      lastUpright = x0;
      const label = fit(band.label, Math.floor((bottom - top - 10) / (CHAR * 0.9)));
      text = `<text transform="translate(${(x0 + 9).toFixed(1)} ${bottom - 5}) rotate(-90)" ${paint}>${svgText(label)}</text>`;
    }
    parts.push(
      `<g class="band"><title>${escapeXml(band.label)}</title><rect x="${x0.toFixed(1)}" y="${top}" width="${(x1 - x0).toFixed(1)}" height="${bottom - top}" fill="#2ca02c" fill-opacity="0.1"/>${text}</g>`,
    );
  });

  parts.push(
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`,
  );
  for (const t of xs.ticks) {
    const x = xs.map(t).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 4}" stroke="#333"/><text x="${x}" y="${bottom + 16}" text-anchor="middle">${xs.format(t)}</text>`,
    );
  }
  for (const t of ys.ticks) {
    const y = ys.map(t).toFixed(1);
    parts.push(
      `<line x1="${left - 4}" y1="${y}" x2="${left}" y2="${y}" stroke="#333"/><line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eee"/><text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${ys.format(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${(left + right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">${svgText(fit(spec.x.label, Math.floor((right - left) / CHAR)))}</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle"><title>${escapeXml(spec.y.label)}</title>${svgText(fit(spec.y.label, Math.floor((bottom - top) / CHAR)))}</text>`,
  );

  // References and fits first, then measured lines, then measured points: what was measured is never hidden.
  const layer = (s: Styled): number => (s.series.style === 'dashed' ? 0 : s.series.style === 'points' ? 2 : 1);
  for (const s of [...styled].sort((a, b) => layer(a) - layer(b) || a.index - b.index)) {
    if (s.points.length === 0) continue;
    const title = `<title>${escapeXml(s.label)}</title>`;
    if (s.series.style === 'points') {
      parts.push(`<g class="series">${title}${s.points.map(([x, y]) => marker(s.shape, x, y, s.color)).join('')}</g>`);
      continue;
    }
    const coords = s.points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
    // A few markers per line (shifted per series so coinciding lines show all of theirs).
    const n = s.points.length,
      count = Math.min(n, 6);
    const marks =
      markEvery && !s.reference
        ? Array.from(
            { length: count },
            (_, k) => s.points[Math.min(n - 1, Math.floor(((k + ((s.index % 3) + 1) / 4) * n) / count))],
          )
        : [];
    parts.push(
      `<g class="series">${title}<polyline points="${coords}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>` +
        `${marks.map(([x, y]) => marker(s.shape, x, y, s.color)).join('')}</g>`,
    );
  }

  // Horizontal reference lines: their name on the line, at the right end.
  for (const s of references) {
    const [x, y] = s.points[s.points.length - 1];
    parts.push(
      `<text class="reference" x="${(x - 2).toFixed(1)}" y="${(y > top + 14 ? y - 4 : y + 12).toFixed(1)}" text-anchor="end" font-size="10" fill="${s.color}" stroke="white" stroke-width="3" paint-order="stroke">${svgText(s.label)}</text>`,
    );
  }
  if (direct) {
    // Many series: each labelled at its last point, labels spread apart in the right margin.
    const ends = keyed.map((s) => s.points[s.points.length - 1]);
    const heights = spread(
      ends.map(([, y]) => y),
      10.5,
      top + 4,
      bottom - 2,
    );
    const chars = Math.floor((margin.right - 16) / (CHAR * 0.9));
    keyed.forEach((s, k) => {
      const [x, y] = ends[k];
      parts.push(
        `<g class="label"><title>${escapeXml(s.label)}</title><path d="M${x.toFixed(1)} ${y.toFixed(1)}L${(right + 6).toFixed(1)} ${heights[k].toFixed(1)}" stroke="${s.color}" stroke-width="0.6"/>` +
          `<text x="${right + 8}" y="${heights[k].toFixed(1)}" font-size="10" dominant-baseline="middle" fill="${s.color}">${svgText(fit(s.label, chars))}</text></g>`,
      );
    });
  } else if (legend) {
    const { x: lx, y: ly, w, h } = legend;
    const chars = legendChars;
    parts.push(
      `<g class="legend"><rect x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" width="${w.toFixed(1)}" height="${h}" fill="white" fill-opacity="0.88" stroke="#bbb"/>`,
    );
    keyed.forEach((s, k) => {
      const y = ly + 11 + 14 * k;
      const sample =
        s.series.style === 'points'
          ? marker(s.shape, lx + 18, y, s.color)
          : `<line x1="${lx + 6}" y1="${y}" x2="${lx + 30}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>${markEvery ? marker(s.shape, lx + 18, y, s.color) : ''}`;
      parts.push(
        `${sample}<text x="${lx + 36}" y="${y}" dominant-baseline="middle"><title>${escapeXml(s.label)}</title>${svgText(fit(s.label, chars))}</text>`,
      );
    });
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}
