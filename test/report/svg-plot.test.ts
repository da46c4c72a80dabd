import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/report/svg-plot.js';
import { taylorFigure } from '../../src/report/figures.js';

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
    expect(svg).toContain('class="band"');
    expect(svg).toContain('f − f* &lt;against&gt; t');
    // The y = 0 point is dropped on the log axis: the measured polyline has 2 points.
    const measured = svg.match(/<polyline class="series" points="([^"]+)"/)![1];
    expect(measured.split(' ')).toHaveLength(2);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('taylorFigure shows e(t), the floor, the reference slope and the window', () => {
    const t = [1e-6, 1e-5, 1e-4, 1e-3];
    const figure = taylorFigure('grad.layer', { order: 1, t, error: t.map((x) => x * x), floor: t.map(() => 1e-15), window: [1e-5, 1e-3], slope: 2 });
    expect(figure.series.map((s) => s.name)).toEqual(['e(t)', 'round-off floor', 'slope 2']);
    expect(figure.bands).toEqual([{ from: 1e-5, to: 1e-3, label: 'slope-2 window' }]);
  });
});
