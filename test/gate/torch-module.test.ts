import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_RUNS, DEFAULT_GATE_SEED } from '../../src/cli/gate.js';
import { runGate } from '../../src/gate/runner.js';
import { EXAMPLES, FIXTURES, pythonCommand, pythonWith, SKIP_TORCH } from './python.js';

/**
 * examples/torch_module_adapter.py (issue 15, item 5) gates a user's PyTorch model given as --model module:factory,
 * with no protocol code: three independently written model styles (test/fixtures/torch_models.py) pass, the loss
 * conventions are measured from the loss given, and a model that is not linear fails.
 */

const torch = pythonWith('numpy', 'torch');
const adapter = (...args: string[]): string =>
  pythonCommand(torch!, join(EXAMPLES, 'torch_module_adapter.py'), ...args);
const gate = (impl: string, runs: number) =>
  runGate({
    command: impl,
    runs,
    seed: DEFAULT_GATE_SEED,
    timeoutMs: 60_000,
    startupTimeoutMs: 120_000,
    cwd: FIXTURES,
  });

describe.skipIf(!torch)('examples/torch_module_adapter.py', () => {
  it.concurrent.each([
    ['torch_models:sequential', []],
    ['torch_models:InOut', ['--float32']],
    ['torch_models:OutIn', ['--weight-decay', 'none']],
  ])('gates %s %s: every check its capabilities allow passes', async (model, extra) => {
    const r = await gate(adapter('--model', model, ...extra), 20);
    const problems = r.checks
      .filter((c) => c.status === 'fail' || c.status === 'error')
      .map((c) => `${c.name}: ${c.failure?.verdict.detail ?? c.error}`);
    expect(problems).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.implementation?.conventions).toMatchObject({
      loss_scale: 'mean_entries',
      layout: 'rows',
      weight_decay: extra.includes('none') ? 'none' : 'canonical',
    });
    expect(
      r.checks
        .filter((c) => c.status === 'skip')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['balanced-init', 'operator', ...(extra.includes('none') ? ['weight-decay'] : [])].sort());
    console.log(`${model} ${extra.join(' ')}: ${r.instances} instances, 0 failures, ${r.seconds.toFixed(1)} s`);
  });

  it.concurrent.each([
    ['torch_models:half_sum', { loss_scale: 'half' }],
    ['torch_models:mse_sum', { loss_scale: 'sum' }],
    ['torch_models:per_sample', { loss_scale: 'mean_samples' }],
    ['torch_models:half_mse', { loss_scale: 'mean_entries', loss_factor: 0.5 }],
  ])('declares the conventions measured from --loss %s', async (loss, declared) => {
    const r = await gate(adapter('--model', 'torch_models:linear_list', '--loss', loss), 4);
    expect(r.implementation?.conventions).toEqual({ ...declared, weight_decay: 'canonical', layout: 'rows' });
    expect(r.exitCode).toBe(0);
  });

  it('fails a model that is not linear (leaky ReLU between layers)', async () => {
    const r = await gate(adapter('--model', 'torch_models:Leaky'), DEFAULT_GATE_RUNS);
    expect(r.exitCode).toBe(1);
    expect(r.checks.find((c) => c.name === 'gradient')!.status).toBe('fail');
  });

  it('the default run of an nn.Sequential model (time reported)', async () => {
    const r = await gate(adapter('--model', 'torch_models:sequential'), DEFAULT_GATE_RUNS);
    expect(r.exitCode).toBe(0);
    console.log(
      `torch_module_adapter.py --model torch_models:sequential, default run: ${r.instances} instances, ${r.requests} requests, ${r.seconds.toFixed(1)} s`,
    );
  });
});
describe.skipIf(!!torch)('examples/torch_module_adapter.py without PyTorch', () => {
  it.skip(SKIP_TORCH, () => {});
});
