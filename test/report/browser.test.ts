import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDerivations } from '../../proofs/claim-proofs.js';
import { catalogue } from '../../properties/index.js';
import { type ClaimReport, runClaim } from '../../src/claims/runner.js';
import { figuresFor, trajectoryPlot } from '../../src/report/figures.js';
import { htmlReport } from '../../src/report/html.js';
import { portable } from '../../src/report/json.js';
import { tempDir } from '../helpers/temp-dir.js';
import { findChromium, openInChromium } from './chromium.js';
import { outcomeReports } from './outcome-reports.js';
import { sampleReports } from './sample-reports.js';

const chromium = findChromium();
if (!chromium)
  console.warn(
    'SKIPPED the headless-browser test of the HTML report: no chromium (apt-get install -y chromium, as .ci/run does)',
  );

/** Where the screenshots go: DLNV_SCREENSHOTS to keep them, else a temporary folder removed after the tests. */
const shotsDir = process.env.DLNV_SCREENSHOTS ?? tempDir('shots');

describe.skipIf(!chromium)('the HTML report in headless chromium', () => {
  it('loads without console errors or CSP violations, renders every formula as MathML and shows every plot', async () => {
    // A run with failures, an error, an inconclusive claim, FALSE variants (refuted and not) and many-series plots.
    const ids = [
      'wj.rank-never-rises',
      'wj.rank-never-rises.large-perturbation',
      'wj.rank-never-rises.adam-rotated',
      'flow.conservation.gd',
    ];
    const catalogued = ids.map((id) => portable(runClaim(catalogue.find((c) => c.id === id)!, { seed: 1, runs: 2 })));
    const t = Array.from({ length: 40 }, (_, k) => 100 * k);
    const trials = Object.fromEntries(
      Array.from({ length: 16 }, (_, i) => [`SGD trial ${i + 1}`, t.map((x) => Math.exp(-x / (400 + 150 * i)))]),
    );
    const many: ClaimReport = {
      ...catalogued[0],
      id: 'demo.many-series',
      data: {
        plot: {
          ...trajectoryPlot('demo.many-series: 16 trials', t, trials, { logY: true }),
          bands: [{ from: 0, to: 1500, label: 'exploration: η = 0.08' }],
        },
      },
    };
    // grad.layer of the samples carries its every-N derivation: one MathML line per step beside the verdict.
    const reports = withDerivations([...sampleReports(), ...outcomeReports(), ...catalogued, many]);
    mkdirSync(shotsDir, { recursive: true });
    const file = join(shotsDir, 'report.html');
    writeFileSync(file, htmlReport(reports, { seconds: 1 }));
    const page = await openInChromium(
      chromium!,
      file,
      `(() => {
        const box = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
        const figures = [...document.querySelectorAll('figure')];
        const visible = (el) => { const b = el.getBoundingClientRect(), s = getComputedStyle(el); return b.width > 100 && b.height > 50 && s.display !== 'none' && s.visibility !== 'hidden'; };
        const drawn = [...document.querySelectorAll('figure svg .series')].filter((e) => { const b = e.getBBox(); return b.width > 0 || b.height > 0; });
        const maths = [...document.querySelectorAll('math')];
        return { figures: figures.length, shown: figures.filter((f) => f.querySelector('svg') && visible(f.querySelector('svg'))).length,
                 series: document.querySelectorAll('figure svg .series').length, drawn: drawn.length,
                 maths: maths.length, mathsRendered: maths.filter(box).length, mathML: maths.every((m) => m.namespaceURI === 'http://www.w3.org/1998/Math/MathML'),
                 rows: document.querySelectorAll('table.summary tbody tr').length,
                 steps: document.querySelectorAll('.derivation ol.steps li').length,
                 stepsWithMath: [...document.querySelectorAll('.derivation li')].filter((l) => l.querySelector('math'))
                   .length, scripts: document.scripts.length,
                 first: document.querySelector('main section').className,
                 overflow: document.documentElement.scrollWidth - innerWidth,
                 captions: figures.map((f) => f.querySelector('figcaption b').textContent + ' ' + f.closest('section').id) };
      })()`,
      [
        { selector: 'header', prefix: join(shotsDir, 'top') },
        { selector: 'main section', prefix: join(shotsDir, 'claim') },
      ],
    );
    const expected = reports.reduce((s, r) => s + figuresFor(r).length, 0);
    console.log(
      `HTML report: ${statSync(file).size} bytes, ${expected} figures, load event after ${page.loadMs.toFixed(0)} ms; ${page.screenshots.length} screenshots in ${shotsDir}`,
    );
    expect(page.errors).toEqual([]);
    const v = page.value as { series: number; drawn: number; maths: number; mathsRendered: number; captions: string[] };
    expect(page.value).toMatchObject({
      figures: expected,
      shown: expected,
      rows: reports.length,
      scripts: 0,
      mathML: true,
      first: 'claim fail',
    });
    expect((page.value as { overflow: number }).overflow).toBeLessThanOrEqual(0); // no horizontal scrolling
    expect(v.maths).toBeGreaterThan(20);
    const derived = reports.flatMap((r) => r.derivations ?? []).flatMap((d) => d.steps);
    const withMath = derived.filter((s) => /\$|\\\[/.test(s.latex)).length;
    expect(withMath).toBeGreaterThan(5);
    expect(page.value).toMatchObject({ steps: derived.length, stepsWithMath: withMath });
    expect(v.mathsRendered).toBe(v.maths);
    expect(v.series).toBeGreaterThan(expected);
    expect(v.drawn).toBe(v.series);
    // Every figure's caption names the claim whose section holds it (a FALSE variant's figures are its own).
    for (const c of v.captions) expect(c.split(' ')[1]).toBe(`claim-${c.split(' ')[0]}`);
    expect(page.screenshots.length).toBe(reports.length + 1);
  }, 120_000);

  it('reports a CSP violation (the check can fail)', async () => {
    const file = join(shotsDir, 'violation.html');
    writeFileSync(
      file,
      `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><script>1</script></body></html>`,
    );
    const page = await openInChromium(chromium!, file, '1');
    expect(page.errors.join('\n')).toMatch(/Content Security Policy/);
  }, 60_000);
});
