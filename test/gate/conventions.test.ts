import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_RUNS, DEFAULT_GATE_SEED } from '../../src/cli/gate.js';
import { runGate } from '../../src/gate/runner.js';
import { FIXTURES, pythonCommand, pythonWith, SKIP_NUMPY } from './python.js';

/**
 * The conventions real code uses (issue 15, item 1): an implementation that computes one convention and DECLARES
 * another fails in the default run, and the hint names the convention it really computes (its correct declaration
 * passes: adapters.test.ts). test/fixtures/conventions.py computes argv[1..3] and declares --declare.
 */

const python = pythonWith('numpy');

const CASES: { computes: string[]; declares: string; check: string; hint: RegExp }[] = [
  {
    computes: ['mean_entries', 'none', 'rows'],
    declares: 'mean',
    check: 'loss',
    hint: /loss with loss_scale 'mean_entries' = \(1\/\(m·d_N\)\)‖R‖² \(the mean over all m·d_N entries, nn\.MSELoss\(\)\)/,
  },
  {
    computes: ['mean_samples', 'canonical', 'columns'],
    declares: 'half',
    check: 'loss',
    hint: /loss with loss_scale 'mean_samples'/,
  },
  {
    computes: ['mean_entries', 'none', 'rows', '--factor', '0.5'],
    declares: 'mean_entries',
    check: 'gradient',
    hint: /received = 0\.5000 × expected: your loss is 0\.5 × the mean over m·d_N = \d+ entries.*declare loss_scale 'mean_entries', loss_factor 0\.5/,
  },
  {
    computes: ['sum', 'canonical', 'columns', '--factor', '0.25'],
    declares: 'sum',
    check: 'loss',
    hint: /received = 0\.2500 × expected: your loss is 0\.25 × ‖WX − Y‖²; declare loss_scale 'sum', loss_factor 0\.25/,
  },
  {
    computes: ['half', 'none', 'columns'],
    declares: 'half:canonical',
    check: 'weight-decay',
    hint: /no weight decay at all/,
  },
  {
    computes: ['half', 'none', 'columns'],
    declares: 'half:canonical',
    check: 'gradient',
    hint: /weight decay ignored \(declare weight_decay 'none'\)/,
  },
];

describe.skipIf(!python)('a convention declared wrongly fails, and the hint names the one computed', () => {
  it.concurrent.each(CASES)(
    'computes $computes, declares $declares → $check',
    async ({ computes, declares, check, hint }) => {
      const r = await runGate({
        command: pythonCommand(python!, join(FIXTURES, 'conventions.py'), ...computes, '--declare', declares),
        checks: [check],
        runs: DEFAULT_GATE_RUNS,
        seed: DEFAULT_GATE_SEED,
        timeoutMs: 20_000,
        startupTimeoutMs: 60_000,
      });
      expect(r.exitCode).toBe(1);
      const f = r.checks[0].failure!;
      expect(f.hint ?? '').toMatch(hint);
      console.log(
        `${computes.join(' ')} declared ${declares}: ${check} fails at instance ${f.instance}; hint: ${f.hint}`,
      );
    },
  );
});
describe.skipIf(!!python)('conventions declared wrongly', () => {
  it.skip(SKIP_NUMPY, () => {});
});
