import { describe, expect, it } from 'vitest';
import { withDerivations } from '../../proofs/claim-proofs.js';
import { everyNProof } from '../../proofs/every-n.js';
import { citation } from '../../src/claims/claim.js';
import type { ClaimReport } from '../../src/claims/runner.js';
import { figuresFor, orderFigure, trajectoryPlot } from '../../src/report/figures.js';
import { anchorOf, htmlReport, marginBar, readableJson } from '../../src/report/html.js';
import { proseHtml } from '../../src/report/tex.js';
import { proveStatement } from '../../src/symbolic/every-n/user.js';
import type { Proof } from '../../src/symbolic/proof.js';
import { outcomeReports } from './outcome-reports.js';
import { sampleReports } from './sample-reports.js';

const reports = sampleReports();
const esc = (t: string): string =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('htmlReport', () => {
  const html = htmlReport(reports, { seconds: 1.5 });

  it('is one self-contained page: no script, no external resource, a CSP that forbids both', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\b(src|href)="(https?:|\/\/)/i);
  });

  it('has a summary row per claim linking to its section', () => {
    const rows = html.match(/<tr class="(pass|fail|error|inconclusive)">/g) ?? [];
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
      expect(own).toContain(proseHtml(r.statement));
      expect(own).toContain(esc(citation(r.source)));
      for (const h of r.hypotheses) expect(own).toContain(proseHtml(h));
      expect(own).toMatch(/measured .* bound [^<]*<\/td><\/tr>\n<tr><th>margin<\/th><td><span class="margin"><svg/);
      expect(own).toContain('<th>tolerance</th>');
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Counterexample (');
    expect(html).toMatch(/<math>/);
  });

  it('lists failures, errors and inconclusive claims first, in the table of contents, the summary and the sections', () => {
    const mixed = [...reports.slice(0, 2), ...outcomeReports()];
    const page = htmlReport(mixed);
    const order = (pattern: RegExp): string[] => [...page.matchAll(pattern)].map((m) => m[1]);
    const sections = order(/<section class="claim (\w+)"/g);
    const rank = (s: string): number => ['fail', 'error', 'inconclusive', 'pass'].indexOf(s);
    expect(sections).toHaveLength(mixed.length);
    expect(sections.map(rank)).toEqual([...sections.map(rank)].sort((a, b) => a - b));
    expect(sections[0]).toBe('fail');
    expect(sections).toContain('inconclusive');
    expect(order(/<tr class="(\w+)"><td><span class="badge/g)).toEqual(sections);
    expect(page).toMatch(
      /<nav class="toc"><h2>Contents by paper<\/h2><ul><li><b>TEST<\/b> <small>\(6 claims\)<\/small>: <a class="fail"/,
    );
  });

  it('shows a counterexample matrix as a table with 4 significant digits and the full JSON in a details element', () => {
    const [base] = reports;
    const page = htmlReport([
      {
        ...base,
        counterexample: {
          instance: {
            W: [
              [1.23456789, -2],
              [3e-7, 4],
            ],
            eta: 0.123456,
          },
          verdict: base.worst,
          path: '1:2',
          shrinks: 1,
        },
      },
    ]);
    expect(page).toContain(
      '<table class="matrix"><tr><td>1.235</td><td>-2</td></tr><tr><td>3e-7</td><td>4</td></tr></table>',
    );
    expect(page).toContain('<th>eta</th><td>0.1235</td>');
    expect(page).toMatch(
      /<details><summary>full JSON<\/summary><pre>\{\n &quot;W&quot;: \[\n {2}\[1.23456789, -2\],\n {2}\[3e-7, 4\]\n \],/,
    );
    expect(page).toContain('(1 shrink, path 1:2)');
  });

  it('draws every figure of every claim as inline SVG: Taylor curve, error against step size, trajectory, singular values', () => {
    const expected = reports.reduce((s, r) => s + figuresFor(r).length, 0);
    expect(expected).toBeGreaterThanOrEqual(4);
    expect(html.match(/<figure /g)).toHaveLength(expected);
    expect(html.match(/<figure id=[^>]*><svg /g)).toHaveLength(expected);
    expect(figuresFor(reports[0])[0].title).toMatch(/Taylor remainder/);
    expect(figuresFor(reports[1])[0].title).toMatch(/error against step size/);
    expect(html).not.toMatch(/NaN|Infinity"/);
  });
});

describe('marginBar', () => {
  const width = (svg: string): number =>
    Number(/<rect x="[\d.]+" y="2" width="([\d.]+)" height="8" fill="#(?:2a7d2e|b3261e)"/.exec(svg)?.[1] ?? 0);
  it('grows with log10 |margin|, right and green when held, left and red when failed; 0 is said in words', () => {
    expect(width(marginBar(0.7))).toBeGreaterThan(width(marginBar(0.01)));
    expect(width(marginBar(-1.95e10))).toBe(60);
    expect(marginBar(-1.95e10)).toContain('fill="#b3261e"');
    expect(marginBar(0.7)).toContain('fill="#2a7d2e"');
    expect(marginBar(-1.95e10)).toContain('−1.95e+10');
    expect(marginBar(0)).toContain('exactly at the bound');
    expect(width(marginBar(0))).toBe(0);
  });
});

describe('readableJson', () => {
  it('keeps rows of numbers on one line', () => {
    expect(
      readableJson({
        a: [
          [1, 2],
          [3, 4],
        ],
        b: 'x',
      }),
    ).toBe('{\n "a": [\n  [1, 2],\n  [3, 4]\n ],\n "b": "x"\n}');
  });
});

describe('figuresFor', () => {
  it("titles a FALSE variant's figures with its own id, not its parent's", () => {
    const plot = trajectoryPlot('wj.rank-never-rises: absorption', [0, 1], { s: [1, 2] });
    const [base] = reports;
    expect(figuresFor({ ...base, id: 'wj.rank-never-rises.large-perturbation', data: { plot } })[0].title).toBe(
      'wj.rank-never-rises.large-perturbation: absorption',
    );
    expect(figuresFor({ ...base, id: 'wj.rank-never-rises', data: { plot } })[0].title).toBe(
      'wj.rank-never-rises: absorption',
    );
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

describe('the symbolic derivations beside a claim', () => {
  const statementProof = (id: string, statement: string): Proof =>
    everyNProof({
      id,
      statement,
      source: 'test',
      prove: (seed) => proveStatement(statement, { where: '1 <= j <= N', seed }),
      crossCheck: () => ({ cases: 0, failures: [], msPerDepth: [] }),
    });
  const sectionOf = (html: string, r: ClaimReport): string => {
    const section = html.slice(html.indexOf(`id="${anchorOf(r, false)}"`));
    return section.slice(0, section.indexOf('</section>'));
  };
  const [withProof, without] = reports;

  it('shows the linked derivation in the claim that has one, one line per step with its rule, as MathML', () => {
    const linked = withDerivations([withProof, without], { [withProof.id]: ['every-n.grad.layer'] });
    const html = htmlReport(linked);
    const own = sectionOf(html, withProof);
    const steps = linked[0].derivations![0].steps;
    expect(steps.length).toBeGreaterThan(3);
    expect(own).toContain('Symbolic derivation <code>every-n.grad.layer</code>: <span class="v-pass">proved</span>');
    expect(own.match(/<li><div><b>/g)).toHaveLength(steps.length);
    for (const s of steps) expect(own).toContain(`<b>${esc(s.rule)}.</b> ${s.latex.startsWith('$') ? '<math>' : ''}`);
    expect(steps.filter((s) => s.latex.startsWith('$')).length).toBeGreaterThan(3);
    expect(own.indexOf('<table class="verdict">')).toBeLessThan(own.indexOf('class="derivation proved"'));
    expect(sectionOf(html, without)).not.toContain('Symbolic derivation');
  });

  it('shows a derivation of a false identity (a sign error) as not proved, and the true one as proved', () => {
    const proofs = [
      statementProof('test.sign', 'W[N:j+1] W[j:1] == -W[N:1]'),
      statementProof('test.merge', 'W[N:j+1] W[j:1] == W[N:1]'),
    ];
    const html = (proof: string): string =>
      sectionOf(htmlReport(withDerivations([withProof], { [withProof.id]: [proof] }, proofs)), withProof);
    const broken = html('test.sign');
    expect(broken).toContain('<div class="derivation unproved">');
    expect(broken).toContain('<span class="v-fail">not proved</span>');
    expect(broken).toMatch(/REFUTED/);
    expect(html('test.merge')).toContain('<span class="v-pass">proved</span>');
  });

  it('refuses a link to a proof that does not exist', () => {
    const link = { [withProof.id]: ['no.such-proof'] };
    expect(() => withDerivations([withProof], link)).toThrow(/'no\.such-proof', which is not a proof/);
  });
});
