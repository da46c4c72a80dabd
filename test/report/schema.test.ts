import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { ClaimReport } from '../../src/claims/runner.js';
import { main } from '../../src/cli/main.js';
import { gateReportJson } from '../../src/gate/report.js';
import { runTrajectory } from '../../src/gate/runner.js';
import { verifyReportJson } from '../../src/report/json.js';
import { reportProblem, reportSchema, reportSchemaText } from '../../src/report/schema.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { outcomeReports, sampleGateReport } from './outcome-reports.js';

const { err } = captureConsole();
const SCHEMA_FILE = fileURLToPath(new URL('../../docs/report.schema.json', import.meta.url));
const dir = tempDir('schema');
const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

/** Ajv (draft 2020-12, strict) as an independent judge of the published schema; dlnv's own validator is the other. */
const ajv = new Ajv2020({ strict: true, allErrors: true });
const ajvValidate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
function problems(report: unknown): { ajv: string; dlnv: string | undefined } {
  const ok = ajvValidate(report);
  return { ajv: ok ? '' : ajv.errorsText(ajvValidate.errors), dlnv: reportProblem(report) };
}

const step = { rule: 'r', text: 't', latex: 't' };
const derivation = { proof: 'p', statement: 's', proved: true, detail: 'd', steps: [step] };
const spoilDerivation = (r: any, change: object): void => {
  r.claims[0].derivations = [{ ...derivation, ...change }];
};

describe('the JSON report schema', () => {
  it('docs/report.schema.json is the schema the code validates with, byte for byte (regenerate from src/report/schema.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(reportSchemaText());
    const defs = reportSchema.$defs as Record<string, unknown>;
    for (const d of Object.keys(defs)) expect(() => reportProblem({}, d as 'verifyReport')).not.toThrow();
  });

  it('validates real reports of every kind: verify, merge, search, gate (implementation and trajectory)', async () => {
    expect(
      await main([
        'verify',
        '--claims',
        'grad.layer',
        'nnls.positivity.odd-L',
        '--runs',
        '3',
        '--json',
        join(dir, 'v.json'),
        '--shard',
        '1/1',
      ]),
    ).toBe(0);
    expect(await main(['merge', join(dir, 'v.json'), '--json', join(dir, 'm.json')])).toBe(0);
    expect(
      await main([
        'search',
        'nnls.positivity.odd-L',
        '--evaluations',
        '300',
        '--json',
        join(dir, 's.json'),
        '--out',
        join(dir, 's.replay.json'),
      ]),
    ).toBe(0);
    writeFileSync(join(dir, 'v-outcomes.json'), verifyReportJson(1, outcomeReports()));
    const unit = { shape: [1, 1], data: [[1]] };
    writeFileSync(
      join(dir, 't.json'),
      JSON.stringify({
        weights: [
          [unit, unit],
          [unit, unit],
        ],
      }),
    );
    writeFileSync(join(dir, 'g-trajectory.json'), gateReportJson(runTrajectory(join(dir, 't.json'))));
    writeFileSync(join(dir, 'g-impl.json'), gateReportJson(sampleGateReport()));
    const kinds = {
      'v.json': 'verify',
      'm.json': 'merge',
      's.json': 'search',
      'v-outcomes.json': 'verify',
      'g-trajectory.json': 'gate',
      'g-impl.json': 'gate',
    };
    for (const [name, kind] of Object.entries(kinds)) {
      const report = read(name) as Record<string, unknown>;
      expect(problems(report), name).toEqual({ ajv: '', dlnv: undefined });
      expect(report).toMatchObject({
        $schema: 'urn:dlnv:report:1',
        reportVersion: 1,
        kind,
        tool: 'dlnv',
        toolVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
      expect(Date.parse(report.timestamp as string)).not.toBeNaN();
    }
    const outcomes = read('v-outcomes.json') as {
      claims: { id: string; status: string }[];
      summary: Record<string, number>;
    };
    expect(outcomes.summary.claims).toBe(outcomes.claims.length);
    expect((read('m.json') as { mergedFrom: number }).mergedFrom).toBe(1);
    // grad.layer is linked to its every-N derivation, carried by the report and kept by a merge; the NNLS claim is not.
    for (const name of ['v.json', 'm.json']) {
      const [layer, nnls] = (read(name) as { claims: ClaimReport[] }).claims;
      expect(layer.derivations?.map((d) => [d.proof, d.proved])).toEqual([['every-n.grad.layer', true]]);
      const rules = layer.derivations![0].steps.map((s) => s.rule);
      expect(rules).toEqual(expect.arrayContaining(['split', 'trace rule', 'gradient']));
      expect(nnls.derivations).toBeUndefined();
    }
  });

  it.each([
    ['a status outside the model', (r: any) => (r.claims[0].status = 'maybe'), /status/],
    ['no report version', (r: any) => delete r.reportVersion, /reportVersion/],
    ['a margin that is text', (r: any) => (r.claims[0].worst.margin = 'large'), /margin/],
    ['a claim without replay', (r: any) => delete r.claims[0].replay, /replay/],
    ['a derivation step without its rule', (r: any) => spoilDerivation(r, { steps: [{ text: 't' }] }), /rule/],
    ['a derivation whose verdict is text', (r: any) => spoilDerivation(r, { proved: 'yes' }), /proved/],
  ])('both validators reject a report with %s', (_name, spoil, message) => {
    const report = JSON.parse(verifyReportJson(1, outcomeReports()));
    spoil(report);
    const p = problems(report);
    expect(p.ajv).toMatch(message);
    expect(p.dlnv).toMatch(message);
  });

  it('merge refuses a file that breaks the schema, in one line naming the field', async () => {
    const report = JSON.parse(verifyReportJson(1, outcomeReports()));
    report.claims[2].observed = 'perhaps';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(report));
    expect(await main(['merge', join(dir, 'bad.json')])).toBe(2);
    expect(err.at(-1)).toMatch(
      /bad\.json: not a 'dlnv verify --json' report of version 1 .*\/claims\/2\/observed: expected one of/,
    );
  });
});
