import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_RUNS, DEFAULT_GATE_SEED } from '../../src/cli/gate.js';
import { runGate } from '../../src/gate/runner.js';
import { FIXTURES, pythonCommand, pythonWith, SKIP_NUMPY } from './python.js';

/**
 * Diagnoses that name the defect (issue 15, item 3): each hint is named on a fixture whose defect it describes, in
 * the default run, and is NOT claimed on fixtures with other defects (a hint is a prediction the numbers must fit).
 */

const python = pythonWith('numpy');

const PRECISION = /≈ float32 rounding/;
const FACTOR = /× expected/;
const TRANSPOSE = /transpose/;

const CASES: { fixture: string[]; check: string; names: RegExp; notClaimed: RegExp[]; in?: 'hint' | 'detail' }[] = [
  {
    fixture: ['float32_backward.py'],
    check: 'gradient',
    names: /relative error \d\.\de-8 ≈ float32 rounding .*not float64 as declared/,
    notClaimed: [FACTOR, TRANSPOSE],
  },
  {
    fixture: ['float32_backward.py'],
    check: 'sgd-rank',
    names: /σ_\{r\+1\}\/σ_1 \d\.\de-\d+ ≈ float32 rounding/,
    notClaimed: [/adaptive or sign-based/],
  },
  {
    fixture: ['float32_wire.py'],
    check: 'loss',
    names: /≈ float32 rounding .*every received number is exactly a float32 value/,
    notClaimed: [FACTOR, /loss_scale/],
  },
  {
    fixture: ['missing_transpose.py'],
    check: 'gradient',
    names: /exactly what this defect gives: δ is propagated through W_j instead of W_jᵀ/,
    notClaimed: [PRECISION, FACTOR],
  },
  {
    fixture: ['gradient_factor.py'],
    check: 'gradient',
    names:
      /received = 0\.5000 × expected on every layer; .*your gradient is 0\.5000 × the declared loss's gradient but your loss is not scaled the same way/,
    notClaimed: [TRANSPOSE, PRECISION],
  },
  {
    fixture: ['conventions.py', 'mean_entries', 'none', 'rows', '--declare', 'mean'],
    check: 'gd-step',
    names:
      /the step's gradient \(W − W⁺\)\/η: received = \d\.\d+ × expected: .*declare (loss_scale '\w+' or )?loss_scale 'mean_entries'/,
    notClaimed: [TRANSPOSE, PRECISION],
  },
  {
    fixture: ['product_weight_decay.py'],
    check: 'gradient',
    names: /weight decay applied to the product/,
    notClaimed: [TRANSPOSE, PRECISION, FACTOR],
  },
  {
    fixture: ['operator_zero_power.py'],
    check: 'operator',
    names: /0\^0 = 0 on the null space \(WWᵀ is \d×\d and WᵀW is \d×\d with rank \d\)/,
    notClaimed: [/off by one/, PRECISION],
  },
  {
    fixture: ['wrong_exponent.py'],
    check: 'operator',
    names: /an exponent off by one step: \(WᵀW\)\^\{j\/N\} instead of \(WᵀW\)\^\{\(j−1\)\/N\}/,
    notClaimed: [/null space/, PRECISION],
  },
  {
    fixture: ['unbalanced_init.py'],
    check: 'balanced-init',
    in: 'detail',
    names: /C_\d: .*relative error \(against its scale: the expected value is 0\) \d/,
    notClaimed: [/relative error 1\.00e\+0/],
  },
  {
    fixture: ['missing_transpose.py'],
    check: 'gradient',
    in: 'detail',
    names: /relative error \d/,
    notClaimed: [/against its scale/],
  },
];

describe.skipIf(!python)('diagnoses name the defect the numbers fit, and only that one', () => {
  it.concurrent.each(CASES)('$fixture → $check', async ({ fixture, check, names, notClaimed, in: where = 'hint' }) => {
    const [file, ...args] = fixture;
    const r = await runGate({
      command: pythonCommand(python!, join(FIXTURES, file), ...args),
      checks: [check],
      runs: DEFAULT_GATE_RUNS,
      seed: DEFAULT_GATE_SEED,
      timeoutMs: 20_000,
      startupTimeoutMs: 60_000,
    });
    const f = r.checks[0].failure;
    expect(f, `${file} should fail ${check}`).toBeDefined();
    const text = where === 'hint' ? (f!.hint ?? '') : f!.verdict.detail;
    expect(text).toMatch(names);
    for (const wrong of notClaimed) expect(text).not.toMatch(wrong);
    console.log(`${fixture.join(' ')} → ${check} instance ${f!.instance}: ${text}`);
  });
});
describe.skipIf(!!python)('diagnoses', () => {
  it.skip(SKIP_NUMPY, () => {});
});
