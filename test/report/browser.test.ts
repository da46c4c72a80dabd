import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figuresFor } from '../../src/report/figures.js';
import { htmlReport } from '../../src/report/html.js';
import { findChromium, openInChromium } from './chromium.js';
import { sampleReports } from './sample-reports.js';

const chromium = findChromium();
if (!chromium) console.warn('SKIPPED the headless-browser test of the HTML report: no chromium (apt-get install -y chromium, as .ci/run does)');

describe.skipIf(!chromium)('the HTML report in headless chromium', () => {
  it('loads without console errors and shows every plot', async () => {
    const reports = sampleReports();
    const file = join(mkdtempSync(join(tmpdir(), 'dlnv-html-')), 'report.html');
    writeFileSync(file, htmlReport(reports, { seconds: 1 }));
    const page = await openInChromium(
      chromium!,
      file,
      `(() => {
        const figures = [...document.querySelectorAll('figure')];
        const visible = (el) => { const b = el.getBoundingClientRect(), s = getComputedStyle(el); return b.width > 100 && b.height > 50 && s.display !== 'none' && s.visibility !== 'hidden'; };
        const drawn = [...document.querySelectorAll('figure svg .series')].filter((e) => { const b = e.getBBox(); return b.width > 0 || b.height > 0; });
        return { figures: figures.length, shown: figures.filter((f) => f.querySelector('svg') && visible(f.querySelector('svg'))).length,
                 series: document.querySelectorAll('figure svg .series').length, drawn: drawn.length,
                 rows: document.querySelectorAll('table.summary tbody tr').length, scripts: document.scripts.length };
      })()`,
    );
    const expected = reports.reduce((s, r) => s + figuresFor(r).length, 0);
    console.log(`HTML report: ${statSync(file).size} bytes, ${expected} figures, load event after ${page.loadMs.toFixed(0)} ms (${page.wallMs.toFixed(0)} ms wall)`);
    expect(page.errors).toEqual([]);
    expect(page.value).toMatchObject({ figures: expected, shown: expected, rows: reports.length, scripts: 0 });
    const v = page.value as { series: number; drawn: number };
    expect(v.series).toBeGreaterThan(expected);
    expect(v.drawn).toBe(v.series);
  });
});
