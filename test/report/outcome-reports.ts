import fc from 'fast-check';
import { compare, inconclusive } from '../../src/check/verdict.js';
import { defineClaim } from '../../src/claims/claim.js';
import { type ClaimReport, runClaim } from '../../src/claims/runner.js';
import type { GateReport } from '../../src/gate/runner.js';
import { portable } from '../../src/report/json.js';

/**
 * Real runner reports of every outcome a report must render: a pass, a refuted claim, a refuted FALSE variant,
 * a FALSE variant that was not refuted, a check that throws and a check that cannot decide. The claims are
 * trivial (integers against a bound) so the reports cost nothing; the outcomes are what the runner decides.
 */
const source = { paper: 'TEST', location: 'report fixtures', provenance: 'D' as const };
const base = {
  title: 'n ≤ 100',
  statement: 'For every drawn n, n ≤ 100 and e^{−2λt} ≤ 1 (TeX: ∇_{W_j}L)',
  source,
  hypotheses: ['n drawn from [0, 1000]'],
  tolerance: 'exact integers',
  instances: fc.integer({ min: 0, max: 1000 }),
  runs: 20,
};
const atMost = (bound: number) => (n: number) =>
  compare({ measured: n, bound, errorModel: 'integers: exact', detail: `n ≤ ${bound}` });

export const outcomeClaims = [
  defineClaim({ ...base, id: 'test.pass', check: atMost(1000), expected: 'holds' }),
  defineClaim({ ...base, id: 'test.refuted', check: atMost(100), expected: 'holds' }),
  defineClaim({ ...base, id: 'test.refuted.false-variant', check: atMost(100), expected: 'counterexample' }),
  defineClaim({ ...base, id: 'test.unrefuted.false-variant', check: atMost(1000), expected: 'counterexample' }),
  defineClaim({
    ...base,
    id: 'test.throws',
    check: (n: number) => {
      if (n > 10) throw new Error(`singular matrix at n = ${n}`);
      return atMost(1000)(n);
    },
    expected: 'holds',
  }),
  defineClaim({
    ...base,
    id: 'test.undecided',
    check: (n: number) =>
      inconclusive({
        measured: n,
        bound: 1000,
        errorModel: 'integers: exact',
        detail: 'no slope-2 window above round-off',
      }),
    expected: 'holds',
  }),
];

export function outcomeReports(seed = 1): ClaimReport[] {
  return outcomeClaims.map((c) => portable(runClaim(c, { seed })));
}

/** A gate report with one check of each status (pass, theory failure, missing capability, protocol fault). */
export function sampleGateReport(): GateReport {
  const verdict = {
    status: 'fail' as const,
    measured: 3e-3,
    bound: 1e-12,
    comparison: '<=' as const,
    margin: -3e9,
    errorModel: '64·ε·scale',
    detail: 'gradient of layer 2',
  };
  return {
    mode: 'implementation',
    protocol: 1,
    command: 'python3 mine.py',
    seed: 1,
    runs: 4,
    checks: [
      {
        name: 'loss',
        summary: '',
        status: 'pass',
        instances: 4,
        inconclusive: 0,
        seconds: 0.1,
        worst: { ...verdict, status: 'pass', measured: 1e-16, margin: 0.9 },
      },
      {
        name: 'gradient',
        summary: '',
        status: 'fail',
        instances: 1,
        inconclusive: 0,
        seconds: 0.1,
        failure: {
          instance: 0,
          seed: 7,
          summary: { widths: [2, 3] },
          verdict,
          replay: 'dlnv gate --impl "python3 mine.py" --checks gradient --instance 0',
        },
      },
      {
        name: 'operator',
        summary: '',
        status: 'skip',
        instances: 0,
        inconclusive: 0,
        seconds: 0,
        skipped: 'capability end_to_end_operator not declared',
      },
      {
        name: 'taylor',
        summary: '',
        status: 'error',
        instances: 0,
        inconclusive: 0,
        seconds: 0.2,
        error: 'the answer to request #9 (loss) contains NaN',
      },
    ],
    fault: {
      message: 'the answer to request #9 (loss) contains NaN',
      stderr: 'Traceback \u001b[31m(most recent call last)',
    },
    requests: 9,
    msPerRequest: 1,
    instances: 5,
    seconds: 0.4,
    status: 'error',
    exitCode: 2,
  };
}
