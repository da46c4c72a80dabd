import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateCommand, simulateHelp } from '../../src/cli/simulate.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';

const { out, err } = captureConsole();

const dir = tempDir('simulate');
let files = 0;
function config(value: unknown, raw?: string): string {
  const file = join(dir, `config-${files++}.json`);
  writeFileSync(file, raw ?? JSON.stringify(value));
  return file;
}

/** A small, fast run: 4×4 completion of a rank-1 target from a balanced rank-2 start (the extra mode is absorbed). */
const small = {
  seed: 3,
  network: { depth: 3, width: 4 },
  task: { kind: 'completion', target: { spectrum: [2] }, mask: 'all' },
  init: { kind: 'balanced', spectrum: [1, 0.05] },
  batch: 'full',
  phases: [{ steps: 1500, lr: 0.5, lambda: 0.02 }],
  every: 50,
};

describe('dlnv simulate', () => {
  it('--help teaches the config and the flags', () => {
    expect(simulateCommand(['--help'])).toBe(0);
    expect(out.join('\n')).toBe(simulateHelp);
    expect(simulateHelp).toMatch(/CONFIG\.json/);
    expect(simulateHelp).toMatch(/--plot FILE\.svg/);
    expect(simulateHelp).toMatch(/λ‖θ‖²/);
  });

  it.each([
    ['a negative η (flag)', ['--lr=-0.1'], /--lr must be a finite number > 0, got '-0\.1'/],
    ['a negative η (config)', [config({ lr: -0.1 })], /config\.lr: expected a number > 0, found -0\.1/],
    [
      'a negative η in a phase',
      [
        config({
          phases: [
            { steps: 10, lr: 0.1 },
            { steps: 10, lr: -1 },
          ],
        }),
      ],
      /config\.phases\[1\]\.lr: expected a number > 0, found -1/,
    ],
    [
      'a mask entry outside the matrix',
      [
        config({
          network: { depth: 2, width: 3 },
          task: {
            kind: 'completion',
            mask: [
              [0, 0],
              [3, 1],
            ],
          },
        }),
      ],
      /config\.task\.mask\[1\]: \(3, 1\) lies outside the 3×3 matrix/,
    ],
    [
      'a negative mask index',
      [config({ network: { depth: 2, width: 3 }, task: { mask: [[0, -1]] } })],
      /config\.task\.mask\[0\]: \(0, -1\) lies outside/,
    ],
    ['depth 0 (flag)', ['--depth', '0'], /--depth must be an integer ≥ 1, got '0'/],
    [
      'depth 0 (config)',
      [config({ network: { depth: 0 } })],
      /config\.network\.depth: expected an integer in \[1, 64\], found 0/,
    ],
    [
      'a single width',
      [config({ network: { widths: [8] } })],
      /config\.network\.widths: expected at least 2 item\(s\), found 1/,
    ],
    [
      'an overflowing literal',
      [config(null, '{"lambda": 1e999}')],
      /config\.lambda: expected a number ≥ 0, found Infinity/,
    ],
    ['a bare NaN', [config(null, '{"lr": NaN}')], /config\.lr: expected a number > 0, found NaN/],
    [
      'a NaN in the target',
      [config(null, '{"network": {"depth": 1, "width": 2}, "task": {"target": [[1, NaN], [0, 1]]}}')],
      /config\.task\.target\[0\]\[1\]: expected a number, found NaN/,
    ],
    ['an infinite λ flag', ['--lambda', 'Infinity'], /--lambda must be a finite number ≥ 0, got 'Infinity'/],
    [
      'a misspelled field',
      [config({ learning_rate: 0.1 })],
      /config\.learning_rate: unexpected field 'learning_rate' \(expected one of seed, network/,
    ],
    ['a bad optimizer field', [config({ optimizer: { kind: 'adam', beta1: 1.5 } })], /config\.optimizer\.beta1/],
    ['an unknown optimizer', ['--optimizer', 'lbfgs'], /--optimizer must be one of/],
    [
      'a weights list of the wrong shape',
      [config({ network: { widths: [2, 3, 2] }, init: { kind: 'weights', weights: [[[1, 2]], [[1], [2]]] } })],
      /config\.init\.weights\[0\]: expected 3×2/,
    ],
    ['invalid JSON', [config(null, '{"lr": 0.1,}')], /not valid JSON/],
    [
      'an unknown task kind',
      [config({ task: { kind: 'ranking' } })],
      /config\.task\.kind: expected "completion" or "regression", found "ranking"/,
    ],
    [
      'an unknown mask form',
      [config({ task: { mask: 'none' } })],
      /config\.task\.mask: expected "all" or an array or an object, found string "none"/,
    ],
    [
      'a bad balanced spectrum',
      [config({ init: { kind: 'balanced', spectrum: [1, -1] } })],
      /config\.init\.spectrum\[1\]: expected a number > 0, found -1/,
    ],
    [
      'a tolerance of 1',
      [config({ rankTolerance: 1 })],
      /config\.rankTolerance: expected a number in \(0, 1\), found 1/,
    ],
    [
      'a target matrix of the wrong size',
      [config({ network: { depth: 1, width: 2 }, task: { target: { shape: [1, 2], data: [1, 2] } } })],
      /config\.task\.target: expected 2×2 \(d_L×d_0 of the network\), received 1×2/,
    ],
    ['a missing file', [join(dir, 'nope.json')], /cannot read/],
    ['an unwritable output', ['--json', join(dir, 'missing', 'x.json')], /--json: cannot write/],
  ])('rejects %s with one line naming the field (exit 2)', (_what, argv, message) => {
    expect(simulateCommand(argv as string[])).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(err[0]).not.toMatch(/\n|at .*\.ts:\d+/);
  });

  it('writes the trajectory and the singular-value figure, with rank events carrying threshold and gap', () => {
    const json = join(dir, 'run.json'),
      svg = join(dir, 'run.svg');
    expect(simulateCommand([config(small), '--json', json, '--plot', svg])).toBe(0);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r).toMatchObject({ dlnv: 'simulate', status: 'completed', steps: 1500, divergence: null });
    expect(r.config).toMatchObject({
      seed: 3,
      network: { widths: [4, 4, 4, 4] },
      decay: 'wj',
      phases: [{ steps: 1500, lr: 0.5, lambda: 0.02 }],
    });
    expect(r.conventions.decay[0]).toMatch(
      /WJ: λ‖θ‖² with λ = 0\.02 \(gradient 2λW; = canonical \(λ\/2\)‖θ‖² with λ = 0\.04\)/,
    );
    const t = r.trajectory;
    expect(t.step).toHaveLength(31);
    for (const key of [
      'cost',
      'penalty',
      'objective',
      'parameterNormSquared',
      'productSingularValues',
      'layerSingularValues',
      'productRank',
      'layerRanks',
      'balancedness',
      'deadDimensions',
    ])
      expect(t[key], key).toHaveLength(31);
    expect(t.productRank[0]).toBe(2);
    expect(t.productRank[30]).toBe(1);
    const event = t.events.find((e: { matrix: string }) => e.matrix === 'product');
    expect(event).toMatchObject({ from: 2, to: 1, direction: 'down' });
    expect(typeof event.threshold).toBe('number');
    expect(event.above).toBeGreaterThan(event.threshold);
    expect(event.below).toBeLessThan(event.threshold);
    expect(r.finalRank.text).toMatch(/rank 1 \(τ = 1\.0e-6 × .*gap σ_1 = .* \| σ_2 = /);
    expect(r.finalWeights).toHaveLength(3);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg/);
    expect(text).toMatch(/σ_1/);
    expect(text).toMatch(/threshold/);
    expect(text).toMatch(/class="band"[^>]*><title>rank 2 → 1/);
    const summary = out.join('\n');
    expect(summary).toMatch(/status\s+completed 1500 steps/);
    expect(summary).toMatch(/product rank 2 → 1 \(threshold/);
    expect(summary).toMatch(/wrote .*run\.json, .*run\.svg/);
  });

  it('is reproducible from its seed; --json - prints only the JSON', () => {
    expect(simulateCommand([config(small), '--steps', '300', '--json', '-'])).toBe(0);
    const first = JSON.parse(out.join('\n'));
    out.length = 0;
    expect(simulateCommand([config(small), '--steps', '300', '--json', '-'])).toBe(0);
    const second = JSON.parse(out.join('\n'));
    const strip = ({ seconds: _s, ...rest }: { seconds: number }) => rest;
    expect(strip(second)).toEqual(strip(first));
    expect(first.config.phases).toEqual([{ steps: 300, lr: 0.5, lambda: 0.02 }]);
  });

  it('a diverging run stops with a clear message, keeps what it recorded and exits 1', () => {
    const json = join(dir, 'diverged.json');
    const code = simulateCommand([
      config({
        ...small,
        init: { kind: 'gaussian', scale: 1 },
        batch: 1,
        phases: [{ steps: 5000, lr: 40, lambda: 0 }],
        every: 1,
      }),
      '--json',
      json,
    ]);
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^dlnv: simulate diverged at step \d+: .*; kept \d+ observations \(steps 0–\d+\) in .*diverged\.json\. Lower --lr/,
    );
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r.status).toBe('diverged');
    expect(r.divergence.step).toBeGreaterThan(0);
    expect(r.steps).toBeLessThan(5000);
    expect(r.trajectory.step.length).toBeGreaterThan(0);
    expect(r.trajectory.cost.every((c: unknown) => typeof c === 'number' && Number.isFinite(c))).toBe(true);
    expect(out.join('\n')).toMatch(/DIVERGED at step/);
  });

  it('runs regression data and flags override the config', () => {
    const X = [
        [1, 0, 2],
        [0, 1, 1],
      ],
      Y = [[1, 2, 4]];
    const file = config({
      network: { widths: [2, 3, 1] },
      task: { kind: 'regression', X, Y, scale: 'mean' },
      init: { kind: 'gaussian', scale: 0.5 },
      steps: 200,
      lr: 0.05,
      lambda: 0,
    });
    expect(simulateCommand([file, '--optimizer', 'gd', '--lambda', '0.001', '--json', '-'])).toBe(0);
    const r = JSON.parse(out.join('\n'));
    expect(r.config).toMatchObject({
      batch: 'full',
      phases: [{ steps: 200, lr: 0.05, lambda: 0.001 }],
      task: { kind: 'regression', scale: 'mean' },
    });
    expect(r.conventions.cost).toMatch(/scale 'mean'/);
    expect(r.trajectory.cost[r.trajectory.cost.length - 1]).toBeLessThan(r.trajectory.cost[0]);
  });
});
