import { describe, expect, it } from 'vitest';
import { citation } from '../../src/claims/claim.js';
import { figuresFor, orderFigure } from '../../src/report/figures.js';
import { anchorOf, htmlReport } from '../../src/report/html.js';
import { sampleReports } from './sample-reports.js';

const reports = sampleReports();
const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('htmlReport', () => {
  const html = htmlReport(reports, { seconds: 1.5 });

  it('is one self-contained page: no script, no external resource, a CSP that forbids both', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\b(src|href)="(https?:|\/\/)/i);
  });

  it('has a summary row per claim linking to its section', () => {
    const rows = html.match(/<tr class="(pass|fail)">/g) ?? [];
    expect(rows).toHaveLength(reports.length);
    for (const r of reports) {
      const anchor = anchorOf(r, false);
      expect(html).toContain(`href="#${anchor}"`);
      expect(html).toContain(`id="${anchor}"`);
    }
  });

  it("shows each claim's statement, provenance, hypotheses, verdict and margin, escaped", () => {
    for (const r of reports) {
      const section = html.slice(html.indexOf(`id="${anchorOf(r, false)}"`));
      const own = section.slice(0, section.indexOf('</section>'));
      expect(own).toContain(esc(r.statement));
      expect(own).toContain(esc(citation(r.source)));
      for (const h of r.hypotheses) expect(own).toContain(esc(h));
      expect(own).toMatch(/measured .* bound .*, margin /);
      expect(own).toContain('<th>tolerance</th>');
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Counterexample (');
  });

  it('draws every figure of every claim as inline SVG: Taylor curve, error against step size, trajectory, singular values', () => {
    const expected = reports.reduce((s, r) => s + figuresFor(r).length, 0);
    expect(expected).toBeGreaterThanOrEqual(4);
    expect(html.match(/<figure /g)).toHaveLength(expected);
    expect(html.match(/<svg /g)).toHaveLength(expected);
    expect(figuresFor(reports[0])[0].title).toMatch(/Taylor remainder/);
    expect(figuresFor(reports[1])[0].title).toMatch(/error against step size/);
    expect(html).not.toMatch(/NaN|Infinity"/);
  });
});

describe('orderFigure', () => {
  it('plots e(h) on log axes with the floor, the fitted slope and the fitted range', () => {
    const h = [0.1, 0.05, 0.025, 0.0125];
    const f = orderFigure('x', { h, error: h.map((v) => v ** 4), floor: 1e-14, slope: 4, used: h.slice().reverse() });
    expect(f.series.map((s) => s.name)).toEqual(['error e(h)', 'round-off floor', 'fitted slope 4.00']);
    expect(f.bands).toEqual([{ from: 0.0125, to: 0.1, label: 'fitted range' }]);
    expect(f.x.scale).toBe('log');
  });
});
