import { describe, expect, it } from 'vitest';
import type { PlotSpec, Series } from '../../src/check/plot-spec.js';
import { taylorFigure } from '../../src/report/figures.js';
import { renderSvg } from '../../src/report/svg-plot.js';

describe('renderSvg', () => {
  it('draws every series, band and label, skipping points a log axis cannot show', () => {
    const svg = renderSvg({
      title: 'f − f* <against> t',
      x: { label: 't', scale: 'log' },
      y: { label: 'gap', scale: 'log' },
      series: [
        { name: 'measured', x: [1, 10, 100], y: [1, 0.1, 0] },
        { name: 'bound', x: [1, 10, 100], y: [2, 0.2, 0.02], style: 'dashed' },
      ],
      bands: [{ from: 10, to: 100, label: 'fit range' }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/class="series"/g)).toHaveLength(2);
    expect(svg).toMatch(/<g class="band"><title>fit range<\/title><rect [^>]*\/><text [^>]*>fit range<\/text><\/g>/);
    expect(svg).toContain('f − f* &lt;against&gt; t');
    // The y = 0 point is dropped on the log axis: the measured polyline has 2 points.
    const measured = svg.match(/<g class="series"><title>measured<\/title><polyline points="([^"]+)"/)![1];
    expect(measured.split(' ')).toHaveLength(2);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  const t = Array.from({ length: 30 }, (_, k) => k);
  const spec = (n: number, extra: Series[] = []): PlotSpec => ({
    title: 'trials',
    x: { label: 'step' },
    y: { label: 's_{r+1}(W_ℓ)', scale: 'log' },
    series: [
      ...Array.from({ length: n }, (_, i) => ({
        name: `trial ${i + 1}`,
        x: t,
        y: t.map((k) => Math.exp((-k * (i + 1)) / 10)),
      })),
      ...extra,
    ],
  });
  /** [colour, dash, marker shape] of each drawn line, from the SVG. */
  const looks = (svg: string): string[] =>
    [
      ...svg.matchAll(
        /<g class="series"><title>[^<]*<\/title><polyline [^>]*stroke="(#\w+)"[^>]*?(?:stroke-dasharray="([^"]+)")?\/>(<\w+)?/g,
      ),
    ].map((m) => `${m[1]}|${m[2] ?? ''}|${m[3] ?? ''}`);

  it('gives 16 series 16 different looks (colour, dash, marker) and labels each at its end instead of a legend', () => {
    const svg = renderSvg(spec(16));
    expect(new Set(looks(svg)).size).toBe(16);
    expect(svg.match(/<g class="label">/g)).toHaveLength(16);
    expect(svg).not.toContain('class="legend"');
  });

  it('puts a short legend inside the frame, in a corner away from the data', () => {
    const svg = renderSvg(spec(3));
    const [x, y, w, h] = /<g class="legend"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/
      .exec(svg)!
      .slice(1)
      .map(Number);
    const [fx, fy, fw, fh] = /<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" fill="none" stroke="#333"\/>/
      .exec(svg)!
      .slice(1)
      .map(Number);
    expect(x).toBeGreaterThanOrEqual(fx);
    expect(y).toBeGreaterThanOrEqual(fy);
    expect(x + w).toBeLessThanOrEqual(fx + fw);
    expect(y + h).toBeLessThanOrEqual(fy + fh);
    expect(x).toBeGreaterThan(fx + fw / 2); // the curves decay from the top left: the legend goes right
  });

  it('labels a reference line on the plot, says when a series coincides with another, and draws points over lines', () => {
    const svg = renderSvg(
      spec(2, [
        { name: 'threshold τ·ref (τ = 0.00001)', x: t, y: t.map(() => 1e-3), style: 'dashed' },
        { name: 'prediction', x: t, y: t.map((k) => Math.exp(-k / 10)), style: 'dashed' },
        { name: 'measured', x: t, y: t.map((k) => Math.exp(-k / 10)), style: 'points' },
      ]),
    );
    expect(svg).toMatch(/<text class="reference" [^>]*>threshold τ·ref \(τ = 0.00001\)<\/text>/);
    expect(svg).toContain('prediction (= trial 1)');
    expect(svg).not.toContain('measured (=');
    expect(svg.indexOf('<title>measured</title>')).toBeGreaterThan(svg.indexOf('<title>trial 2</title>'));
    expect(svg.indexOf('<title>prediction (= trial 1)</title>')).toBeLessThan(svg.indexOf('<title>trial 1</title>'));
    expect(svg).toContain(
      's<tspan baseline-shift="sub" font-size="75%">r+1</tspan>(W<tspan baseline-shift="sub" font-size="75%">ℓ</tspan>)',
    );
  });

  it('taylorFigure shows e(t), the floor, the reference slope and the window', () => {
    const t = [1e-6, 1e-5, 1e-4, 1e-3];
    const figure = taylorFigure('grad.layer', {
      order: 1,
      t,
      error: t.map((x) => x * x),
      floor: t.map(() => 1e-15),
      window: [1e-5, 1e-3],
      slope: 2,
    });
    expect(figure.series.map((s) => s.name)).toEqual(['e(t)', 'round-off floor', 'slope 2']);
    expect(figure.bands).toEqual([{ from: 1e-5, to: 1e-3, label: 'slope-2 window' }]);
  });
});
