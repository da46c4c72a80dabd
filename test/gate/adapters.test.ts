import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_RUNS, DEFAULT_GATE_SEED, gateCommand } from '../../src/cli/gate.js';
import { type GateReport, runGate } from '../../src/gate/runner.js';
import { protocolSchema, REQUEST_DEF } from '../../src/gate/schema.js';
import { validate } from '../../src/json/validate.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { EXAMPLES, FIXTURES, pythonCommand, pythonWith, SKIP_NUMPY, SKIP_TORCH } from './python.js';

/**
 * The adapters in examples/ pass the gate with zero false failures — the default run (≥ 500 instances) for NumPy
 * in float64 and float32, ≥ 500 instances for PyTorch in both (the default run's time is printed).
 */

const numpy = pythonWith('numpy');
const torch = pythonWith('numpy', 'torch');

/** The largest measured/bound ratio of the passing '≤' verdicts (how close a correct implementation comes). */
function worstRatio(r: GateReport): number {
  return Math.max(
    ...r.checks.flatMap((c) => (c.worst && c.worst.comparison === '<=' ? [c.worst.measured / c.worst.bound] : [])),
  );
}

function expectClean(r: GateReport, label: string): void {
  const problems = r.checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.name}: ${c.status} ${c.failure?.verdict.detail ?? c.error ?? c.skipped ?? ''}`);
  expect(problems, label).toEqual([]);
  expect(r.exitCode).toBe(0);
  // Only a float32 Taylor test may be inconclusive (noise can hide the slope-2 window); nothing else.
  for (const c of r.checks)
    if (c.name !== 'taylor' || r.implementation?.dtype === 'float64')
      expect(c.inconclusive, `${label} ${c.name}`).toBe(0);
  console.log(
    `${label}: ${r.instances} instances, 0 failures, ${r.seconds.toFixed(1)} s, ${r.requests} requests, ${r.msPerRequest.toFixed(2)} ms per request, ` +
      `worst measured/bound ${worstRatio(r).toExponential(1)}, inconclusive Taylor ${r.checks.find((c) => c.name === 'taylor')?.inconclusive ?? 0}`,
  );
}

describe.skipIf(!numpy)('examples/numpy_dln.py', () => {
  it.concurrent.each(['float64', 'float32'])('passes the default gate run in %s (≥ 500 instances)', async (dtype) => {
    const r = await runGate({
      command: pythonCommand(numpy!, join(EXAMPLES, 'numpy_dln.py'), ...(dtype === 'float32' ? ['--float32'] : [])),
      runs: DEFAULT_GATE_RUNS,
      seed: DEFAULT_GATE_SEED,
      timeoutMs: 20_000,
      startupTimeoutMs: 60_000,
    });
    expect(r.implementation?.dtype).toBe(dtype);
    expect(r.instances).toBeGreaterThanOrEqual(500);
    expect(r.checks.map((c) => c.name)).toHaveLength(12);
    expectClean(r, `numpy ${dtype} default run`); // its time is printed, not asserted (bench/gate-soak.json records it)
  });

  it.concurrent.each([
    ['mean', 'wj', 'rows', 'float64', 1],
    ['sum', 'canonical', 'columns', 'float64', 1],
    ['half', 'wj', 'rows', 'float32', 1],
    ['mean_samples', 'canonical', 'columns', 'float64', 1],
    ['mean_entries', 'none', 'rows', 'float64', 1],
    ['mean_entries', 'wj', 'rows', 'float32', 1],
    ['sum', 'none', 'columns', 'float64', 0.25],
  ])(
    'converts to other declared conventions: loss_scale %s, weight_decay %s, layout %s (%s), loss_factor %s',
    async (scale, decay, layout, dtype, factor) => {
      const r = await runGate({
        command: pythonCommand(
          numpy!,
          join(FIXTURES, 'conventions.py'),
          scale,
          decay,
          layout,
          '--factor',
          String(factor),
          ...(dtype === 'float32' ? ['--float32'] : []),
        ),
        runs: 20,
        seed: 4,
        timeoutMs: 20_000,
        startupTimeoutMs: 60_000,
      });
      expect(r.implementation?.conventions).toEqual({
        loss_scale: scale,
        weight_decay: decay,
        layout,
        ...(factor !== 1 ? { loss_factor: factor } : {}),
      });
      if (decay === 'none') {
        // λ = 0 everywhere, said so: the weight-decay check is skipped with the reason, every instance has weight_decay 0.
        const wd = r.checks.find((c) => c.name === 'weight-decay')!;
        expect([wd.status, wd.skipped]).toEqual([
          'skip',
          expect.stringMatching(/declares weight_decay 'none' \(every check runs with λ = 0\)/),
        ]);
        r.checks = r.checks.filter((c) => c !== wd);
      }
      expectClean(r, `conventions ${scale}/${decay}/${layout} ${dtype} factor ${factor}`);
    },
  );

  it('every request the gate sends follows the schema (recorded with tee), over JSON and base64', async () => {
    const dir = tempDir('req');
    for (const encoding of ['json', 'base64']) {
      const log = join(dir, `${encoding}.jsonl`);
      const r = await runGate({
        command: `tee '${log}' | ${pythonCommand(numpy!, join(EXAMPLES, 'numpy_dln.py'))}`,
        runs: 4,
        seed: 9,
        encoding: encoding as 'json' | 'base64',
        timeoutMs: 20_000,
        startupTimeoutMs: 60_000,
      });
      expect(r.exitCode).toBe(0);
      const lines = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const ops = new Set(lines.map((l) => l.op));
      expect([...ops].sort()).toEqual(Object.keys(REQUEST_DEF).sort());
      for (const l of lines)
        expect(validate(protocolSchema, l, REQUEST_DEF[l.op]), JSON.stringify(l).slice(0, 200)).toBeUndefined();
      expect(JSON.stringify(lines[1])).toContain(encoding === 'base64' ? '"base64"' : '"data"');
    }
  });

  describe('CLI', () => {
    const { out, err } = captureConsole();

    it('prints one line per check, writes JSON and JUnit, and replays one instance', async () => {
      const dir = tempDir('gate-cli');
      const impl = pythonCommand(numpy!, join(EXAMPLES, 'numpy_dln.py'));
      expect(
        await gateCommand([
          '--impl',
          impl,
          '--runs',
          '4',
          '--checks',
          'gradient,operator',
          '--checks',
          'taylor',
          '--json',
          join(dir, 'r.json'),
          '--junit',
          join(dir, 'r.xml'),
        ]),
      ).toBe(0);
      expect(err).toEqual([]);
      expect(out[0]).toMatch(
        /^dlnv gate: numpy_dln.py \(float64\) — protocol 1, float64, loss_scale 'half', weight_decay 'canonical', layout 'columns', encoding base64; seed 1, runs 4$/,
      );
      expect(out.slice(1, 4).map((l) => l.slice(0, 21))).toEqual([
        'PASS  gradient      4',
        'PASS  operator      4',
        'PASS  taylor        4',
      ]);
      expect(out[4]).toMatch(
        /^dlnv gate: PASS — 3 checks run, 12 instances, \d+ requests \([\d.]+ ms per request\), [\d.]+ s$/,
      );
      const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
      expect(json).toMatchObject({
        kind: 'gate',
        tool: 'dlnv',
        protocol: 1,
        status: 'pass',
        exitCode: 0,
        seed: 1,
        instances: 12,
        implementation: { dtype: 'float64' },
      });
      expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toMatch(
        /<testsuite name="dlnv gate: numpy_dln.py \(float64\)" tests="3" failures="0" errors="0" skipped="0"/,
      );
      out.length = 0;
      expect(await gateCommand(['--impl', impl, '--checks', 'sgd-rank', '--seed', '7', '--instance', '3'])).toBe(0);
      expect(out[1]).toMatch(/^PASS {2}sgd-rank {6}1 instance[;( ]/);
    });

    it('a wrong variant exits 1 with the failure, the hint and the replay command', async () => {
      const impl = pythonCommand(numpy!, join(FIXTURES, 'wrong_exponent.py'));
      expect(await gateCommand(['--impl', impl, '--checks', 'operator'])).toBe(1);
      const text = out.join('\n');
      expect(text).toMatch(
        /FAIL {2}operator {6}instance 0 \(seed \d+\): \{"shape":\[\d,\d\],"depth":\d,"rank":\d,"condition":[\d.]+\}/,
      );
      expect(text).toMatch(
        /A_W\(Z\): ‖expected − received‖ = .* > bound .*, relative error .*; largest difference at entry \(\d, \d\): expected -?[\d.]+, received -?[\d.]+/,
      );
      expect(text).toMatch(/hint: .*an exponent off by one step/);
      expect(text).toMatch(/error model: 16·ε_float64/);
      expect(text).toMatch(/replay: dlnv gate --impl '.*wrong_exponent.py' --checks operator --seed 1 --instance 0/);
      expect(text).toMatch(/dlnv gate: FAIL \(operator\)/);
    });

    it('a check the implementation cannot serve is skipped, or a usage error when asked for', async () => {
      const echo = pythonCommand(numpy!, join(FIXTURES, 'echo.py'));
      expect(await gateCommand(['--impl', echo, '--runs', '2', '--checks', 'loss'])).toBe(1); // echo answers 0: a wrong loss
      expect(await gateCommand(['--impl', echo, '--runs', '2'])).toBe(1);
      expect(out.join('\n')).toMatch(/SKIP {2}gradient {6}the implementation does not serve 'gradients'/);
      err.length = 0;
      expect(await gateCommand(['--impl', echo, '--checks', 'operator'])).toBe(2);
      expect(err).toEqual([
        expect.stringMatching(
          /--checks operator: the implementation does not serve 'end_to_end_operator' \(its handshake lists: loss\)/,
        ),
      ]);
    });
  });
});
describe.skipIf(!!numpy)('examples/numpy_dln.py without NumPy', () => {
  it.skip(SKIP_NUMPY, () => {});
});

describe.skipIf(!torch)('examples/torch_dln.py', () => {
  it.concurrent.each(['float64', 'float32'])('passes ≥ 500 instances in %s', async (dtype) => {
    const r = await runGate({
      command: pythonCommand(torch!, join(EXAMPLES, 'torch_dln.py'), ...(dtype === 'float32' ? ['--float32'] : [])),
      runs: 60,
      seed: 2,
      encoding: dtype === 'float32' ? 'json' : 'base64',
      timeoutMs: 20_000,
      startupTimeoutMs: 120_000,
    });
    expect(r.implementation?.conventions.layout).toBe('rows');
    expect(r.instances).toBeGreaterThanOrEqual(500);
    expectClean(r, `torch ${dtype}`);
  });
});
describe.skipIf(!!torch)('examples/torch_dln.py without PyTorch', () => {
  it.skip(SKIP_TORCH, () => {});
});
