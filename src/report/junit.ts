import type { ClaimReport } from '../claims/runner.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML for CI systems: one testcase per claim, classname = the paper, a <failure> when the expectation was missed. */
export function verifyReportJunit(reports: readonly ClaimReport[]): string {
  const failures = reports.filter((r) => r.status === 'fail').length;
  const time = reports.reduce((s, r) => s + r.seconds, 0);
  const multiSeed = new Set(reports.map((r) => r.seed)).size > 1;
  const cases = reports.map((r) => {
    const attrs = `classname="${escapeXml(r.source.paper)}" name="${escapeXml(multiSeed ? `${r.id}@${r.seed}` : r.id)}" time="${r.seconds.toFixed(3)}"`;
    if (r.status === 'pass') return `    <testcase ${attrs}/>`;
    const message = `expected ${r.expected}, observed ${r.observed}`;
    const body = [r.worst ? `${r.worst.detail} [${r.worst.errorModel}] measured ${r.worst.measured} bound ${r.worst.bound}` : '', `replay: ${r.replay}`].join('\n');
    return `    <testcase ${attrs}>\n      <failure message="${escapeXml(message)}">${escapeXml(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="dlnv verify" tests="${reports.length}" failures="${failures}" time="${time.toFixed(3)}">`,
    `  <testsuite name="dlnv claims" tests="${reports.length}" failures="${failures}" time="${time.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
