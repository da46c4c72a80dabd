import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { gateReportJunit } from '../../src/gate/report.js';
import { junitXml, searchReportJunit, verifyReportJunit } from '../../src/report/junit.js';
import { runSearch } from '../../src/search/search.js';
import { outcomeClaims, outcomeReports, sampleGateReport } from './outcome-reports.js';

/** Jenkins' junit-10.xsd (xunit-plugin), the strictest schema CI JUnit readers apply. */
const XSD = readFileSync(fileURLToPath(new URL('../fixtures/junit-10.xsd', import.meta.url)), 'utf8');

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: XSD }],
  });
  return result.errors.map((e) => e.rawMessage);
}

/** The <testcase> element named `name`, whole. */
function testcase(xml: string, name: string): string {
  const start = xml.indexOf(`name="${name}"`);
  return xml.slice(xml.lastIndexOf('<testcase', start), xml.indexOf('</testcase>', start));
}

describe('the JUnit writer', () => {
  it('the validator rejects what the old writers produced (errors missing on testsuite, skipped on testsuites)', async () => {
    const old =
      '<?xml version="1.0"?><testsuites name="x" tests="1" failures="0" skipped="0"><testsuite name="x" tests="1" failures="0"><testcase name="a"/></testsuite></testsuites>';
    const errors = await schemaErrors(old);
    expect(errors.join('\n')).toMatch(/skipped.*not allowed/);
    expect(errors.join('\n')).toMatch(/errors.*required/);
  });

  it("verify's report (a pass, a refuted claim, FALSE variants refuted and not, a check that throws, an undecided one) is valid junit-10", async () => {
    const xml = verifyReportJunit(outcomeReports(), {
      timestamp: '2026-12-07T20:00:00Z',
      properties: [['tool version', '0.1.0']],
    });
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuite name="dlnv claims" tests="6" failures="2" errors="1" skipped="1" /);
    expect(testcase(xml, 'test.pass')).not.toMatch(/<failure|<error|<skipped/);
    expect(testcase(xml, 'test.pass')).toMatch(
      /<system-out>[\s\S]*measured: 999\nbound: 1000\ncomparison: &lt;=\nmargin: 0.001/,
    );
    expect(testcase(xml, 'test.refuted')).toMatch(
      /<failure type="counterexample" message="counterexample: n ≤ 100: measured [^"]+">[^<]*instance: 101\nreplay: npx dlnv verify --claims test.refuted --seed 1 --path /,
    );
    expect(testcase(xml, 'test.refuted.false-variant')).not.toMatch(/<failure|<error|<skipped/);
    expect(testcase(xml, 'test.unrefuted.false-variant')).toMatch(
      /<failure type="not-refuted" message="no counterexample in 20 runs/,
    );
    expect(testcase(xml, 'test.throws')).toMatch(
      /<error type="check-threw" message="check threw: singular matrix at n = \d+">/,
    );
    expect(testcase(xml, 'test.undecided')).toMatch(
      /<skipped message="inconclusive on 20 of 20 runs: [^"]*no slope-2 window above round-off/,
    );
  });

  it("gate's report (pass, theory failure, missing capability, protocol fault) is valid junit-10", async () => {
    const report = sampleGateReport();
    const xml = gateReportJunit(report);
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toMatch(/tests="4" failures="1" errors="1" skipped="1"/);
    expect(testcase(xml, 'gradient')).toMatch(
      /<failure type="theory" message="instance 0 \(seed 7\): gradient of layer 2: [^"]*">[\s\S]*replay: dlnv gate/,
    );
    expect(testcase(xml, 'taylor')).toMatch(
      /<error type="protocol" message="[^"]*NaN">[\s\S]*implementation stderr: Traceback \(most recent/,
    );
    expect(testcase(xml, 'operator')).toMatch(/<skipped message="capability end_to_end_operator not declared"\/>/);
  });

  it("search's report is valid junit-10 and fails when a claim expected to hold is broken", async () => {
    const report = runSearch(outcomeClaims[1], { seed: 1, budgetSeconds: 5, maxEvaluations: 200 });
    const xml = searchReportJunit(report);
    expect(await schemaErrors(xml)).toEqual([]);
    expect(testcase(xml, 'test.refuted')).toMatch(/<failure type="counterexample" message="counterexample: n ≤ 100: /);
  });

  it('escapes markup and drops characters XML 1.0 cannot carry', async () => {
    const xml = junitXml('a<b', [
      {
        name: '"q"',
        seconds: 1,
        cases: [
          {
            classname: 'c&d',
            name: 'x\u0007y',
            seconds: NaN,
            properties: [['k', '<v>']],
            outcome: { kind: 'failure', type: 't', message: ']]> \u001b[0m', text: '' },
          },
        ],
      },
    ]);
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toContain('name="xy" time="0.000"');
  });
});
