import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_RUNS, DEFAULT_GATE_SEED } from '../../src/cli/gate.js';
import { checkLines, gateReportJson } from '../../src/gate/report.js';
import { runGate } from '../../src/gate/runner.js';
import { reportProblem } from '../../src/report/schema.js';
import { FIXTURES, pythonCommand, pythonWith, SKIP_NUMPY } from './python.js';

/**
 * Partial implementations (issue 15, item 2): an instance answered {"unsupported": …} is skipped and counted with its
 * reason, the run goes on; a check whose instances were all unsupported is skipped; balanced_init without a target
 * ('balanced_init_random') is checked for balancedness and the rank of whatever product comes back.
 */

const python = pythonWith('numpy');
const gate =
  (file: string, ...args: string[]) =>
  (checks?: string[]) =>
    runGate({
      command: pythonCommand(python!, join(FIXTURES, file), ...args),
      checks,
      runs: DEFAULT_GATE_RUNS,
      seed: DEFAULT_GATE_SEED,
      timeoutMs: 20_000,
      startupTimeoutMs: 60_000,
    });

describe.skipIf(!python)('partial implementations', () => {
  it('balanced_init unsupported for some shapes: the run completes, the other checks pass, the skipped instances are counted', async () => {
    const r = await gate('partial_init.py')();
    expect(r.exitCode).toBe(0);
    expect(
      r.checks.every((c) => c.status === 'pass'),
      JSON.stringify(r.checks.map((c) => [c.name, c.status])),
    ).toBe(true);
    for (const name of ['balanced-init', 'end-to-end']) {
      const c = r.checks.find((x) => x.name === name)!;
      expect(c.unsupported!.count).toBeGreaterThan(0);
      expect(c.instances).toBeGreaterThan(0);
      expect(c.instances + c.unsupported!.count).toBe(DEFAULT_GATE_RUNS / 2);
      expect(
        Object.keys(c.unsupported!.reasons).every((reason) => /^balanced_init needs equal widths, got \[/.test(reason)),
      ).toBe(true);
      expect(checkLines(c)[0]).toMatch(
        new RegExp(
          `^PASS  ${name} +${c.instances} instances? \\(${c.unsupported!.count} unsupported, skipped: balanced_init needs equal widths`,
        ),
      );
      console.log(`partial_init.py ${name}: ${c.instances} instances checked, ${c.unsupported!.count} unsupported`);
    }
    for (const c of r.checks.filter((x) => !['balanced-init', 'end-to-end'].includes(x.name)))
      expect(c.unsupported, c.name).toBeUndefined();
    expect(reportProblem(JSON.parse(gateReportJson(r)), 'gateReport')).toBeUndefined();
  });

  it('a check whose instances were all unsupported is skipped with the reason, and the run still passes', async () => {
    const r = await gate('partial_init.py', '--none-supported')(['balanced-init', 'gradient']);
    expect(r.exitCode).toBe(0);
    const [init, gradient] = r.checks;
    expect(init).toMatchObject({ status: 'skip', instances: 0, unsupported: { count: DEFAULT_GATE_RUNS / 2 } });
    expect(init.skipped).toMatch(
      /^the implementation answered 'unsupported' for all 50 instances: balanced_init needs equal widths/,
    );
    expect(gradient.status).toBe('pass');
  });

  it('balanced_init without a target: a balanced random start passes, an unbalanced one fails balanced-init and end-to-end', async () => {
    const good = await gate('random_init.py')(['balanced-init', 'end-to-end']);
    expect(good.checks.map((c) => [c.name, c.status, c.instances])).toEqual([
      ['balanced-init', 'pass', 50],
      ['end-to-end', 'pass', 50],
    ]);
    const bad = await gate('random_init.py', '--unbalanced')(['balanced-init', 'end-to-end']);
    expect(bad.checks.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(bad.checks[0].failure!.verdict.detail).toMatch(/^C_\d: ‖expected − received‖ = .* > bound/);
    expect(bad.checks[0].failure!.summary).toMatchObject({ target: 'none (balanced_init_random)' });
    expect(bad.checks[1].failure!.hint).toMatch(/the start is not balanced/);
  });
});
describe.skipIf(!!python)('partial implementations, without NumPy', () => {
  it.skip(SKIP_NUMPY, () => {});
});
