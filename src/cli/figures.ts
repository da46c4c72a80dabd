import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimReport } from '../claims/runner.js';
import { figuresFor } from '../report/figures.js';
import { renderSvg } from '../report/svg-plot.js';

/**
 * Write the figures of every claim that has one: DIR/<claim-id>.svg (further figures of the same claim as
 * <claim-id>-2.svg, …; with several seeds, <claim-id>@<seed>.svg); print where they went.
 */
export function writeFigures(directory: string, reports: readonly ClaimReport[]): void {
  const multiSeed = new Set(reports.map((r) => r.seed)).size > 1;
  let written = 0;
  for (const report of reports) {
    const base = multiSeed ? `${report.id}@${report.seed}` : report.id;
    figuresFor(report).forEach((figure, k) => {
      writeFileSync(join(directory, `${base}${k === 0 ? '' : `-${k + 1}`}.svg`), renderSvg(figure));
      written++;
    });
  }
  console.log(`wrote ${written} figure${written === 1 ? '' : 's'} to ${directory}`);
}
