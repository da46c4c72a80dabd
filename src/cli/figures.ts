import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimReport } from '../claims/runner.js';
import { figureFor } from '../report/figures.js';
import { renderSvg } from '../report/svg-plot.js';

/** Write one SVG per claim that has a figure; print where they went. */
export function writeFigures(directory: string, reports: readonly ClaimReport[]): void {
  let written = 0;
  for (const report of reports) {
    const figure = figureFor(report);
    if (!figure) continue;
    writeFileSync(join(directory, `${report.id}.svg`), renderSvg(figure));
    written++;
  }
  console.log(`wrote ${written} figure${written === 1 ? '' : 's'} to ${directory}`);
}
