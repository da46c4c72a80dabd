import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateCommand } from '../../src/cli/gate.js';
import { checkTrajectory, type Trajectory } from '../../src/gate/offline.js';
import { refGradients, refStep } from '../../src/gate/reference.js';
import { runTrajectory } from '../../src/gate/runner.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { balancedFactorization } from '../../src/model/balanced-init.js';
import { conditionedMatrix } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { EXAMPLES, pythonWith, SKIP_NUMPY } from './python.js';

const conventions = { loss_scale: 'half', weight_decay: 'canonical', layout: 'columns' } as const;

/** A GD run computed by dlnv itself, from a balanced start of rank 1 in widths [3, 4, 4, 2]. */
function run(update: 'gd' | 'sequential' | 'sign', lambda = 0.05, steps = 6): Trajectory {
  const rng = new Rng(11);
  const widths = [3, 4, 4, 2];
  const data = { X: gaussianMatrix(rng, 3, 5), Y: gaussianMatrix(rng, 2, 5) };
  const s = { loss: { scale: 'half' as const, factor: 1 }, lambda };
  let ws = balancedFactorization(conditionedMatrix(rng, 2, 3, { rank: 1 }), widths, rng);
  const lr = 0.02;
  const points = [ws];
  for (let k = 0; k < steps; k++) {
    if (update === 'gd') ws = refStep(ws, refGradients(ws, data, s), lr);
    else if (update === 'sign')
      ws = ws.map(
        (w, j) =>
          new Matrix(
            w.rows,
            w.cols,
            w.data.map((v, i) => v - lr * Math.sign(refGradients(ws, data, s)[j].data[i])),
          ),
      );
    else {
      const next = [...ws];
      for (let j = 0; j < next.length; j++) next[j] = refStep(next, refGradients(next, data, s), lr)[j];
      ws = next;
    }
    points.push(ws);
  }
  return { dtype: 'float64', conventions, optimizer: 'gd', lr, weightDecay: lambda, data, weights: points };
}

const byName = (t: Trajectory) => Object.fromEntries(checkTrajectory(t).map((r) => [r.name, r]));

describe('trajectory checks', () => {
  it('a GD run from a balanced start passes every check', () => {
    const r = byName(run('gd'));
    for (const name of ['drift', 'gd-step', 'loss-monotone', 'rank'])
      expect(r[name].verdict?.status, name).toBe('pass');
    expect(r.losses.skipped).toBe('no losses recorded');
  });

  it('layers updated in sequence break the drift identity (no data needed)', () => {
    const t = run('sequential');
    const r = byName({ ...t, data: undefined });
    expect(r.drift.verdict?.status).toBe('fail');
    expect(r.drift.verdict?.detail).toMatch(/^step 0 → 1: C_\d⁺ − \(1−ηλ\)²C_\d/);
    expect(r['gd-step'].skipped).toBe('needs X, Y and lr');
  });

  it('a sign update from a balanced start raises the rank', () => {
    const r = byName(run('sign'));
    expect(r.rank.verdict?.status).toBe('fail');
    expect(r.rank.verdict?.detail).toMatch(/rose from 1/);
  });

  it('a wrong λ in the record is a drift failure; sgd runs skip the checks that need full batches', () => {
    expect(byName({ ...run('gd'), weightDecay: 0.2 }).drift.verdict?.status).toBe('fail');
    const r = byName({ ...run('gd'), optimizer: 'sgd' });
    expect(r['gd-step'].skipped).toMatch(/samples of each step are not recorded/);
    expect(r['loss-monotone'].skipped).toMatch(/stochastic/);
    expect(r.drift.verdict?.status).toBe('pass');
  });

  it('a rising loss fails loss-monotone; recorded losses are compared with recomputed ones', () => {
    const t = run('gd', 0, 3);
    const losses = [1, 0.5, 0.7, 0.2];
    const r = byName({ ...t, data: undefined, lr: undefined, losses });
    expect(r['loss-monotone'].verdict?.status).toBe('fail');
    expect(r['loss-monotone'].verdict?.detail).toMatch(/step 1 → 2: L went from 0.5 to 0.7/);
    expect(byName({ ...t, losses }).losses.verdict?.status).toBe('fail');
  });
});

describe('dlnv gate --trajectory', () => {
  const { out, err } = captureConsole();
  const dir = tempDir('traj');
  const json = (t: Trajectory): string =>
    JSON.stringify({
      lr: t.lr,
      weight_decay: t.weightDecay,
      X: t.data!.X.toJSON(),
      Y: t.data!.Y.toJSON(),
      weights: t.weights.map((p) => p.map((w) => w.toJSON())),
    });

  it('passes a JSON record of a GD run and fails one with sequential updates (exit 1)', async () => {
    writeFileSync(join(dir, 'gd.json'), json(run('gd')));
    writeFileSync(join(dir, 'seq.json'), json(run('sequential')));
    expect(await gateCommand(['--trajectory', join(dir, 'gd.json')])).toBe(0);
    expect(out.join('\n')).toMatch(/PASS {2}drift/);
    expect(await gateCommand(['--trajectory', join(dir, 'seq.json'), '--junit', join(dir, 'seq.xml')])).toBe(1);
    expect(out.join('\n')).toMatch(/FAIL {2}drift .*\n.*step 0 → 1/);
  });

  it.each([
    ['missing.json', undefined, /cannot read \(ENOENT\)/],
    ['bad.json', '{"weights": 3}', /does not follow the trajectory format: \/weights: expected an array/],
    ['short.json', '{"weights": [[{"shape": [1, 1], "data": [[1]]}]]}', /\/weights: expected at least 2 item/],
    [
      'shapes.json',
      '{"weights": [[{"shape": [2, 1], "data": [[1], [2]]}, {"shape": [1, 1], "data": [[1]]}], [{"shape": [2, 1], "data": [[1], [2]]}, {"shape": [1, 1], "data": [[1]]}]]}',
      /layer 2 is 1×1 but layer 1 has 2 rows/,
    ],
    [
      'decay.json',
      '{"weight_decay": 0.1, "weights": [[{"shape": [1, 1], "data": [[1]]}, {"shape": [1, 1], "data": [[2]]}], [{"shape": [1, 1], "data": [[1]]}, {"shape": [1, 1], "data": [[2]]}]]}',
      /nothing could be checked.*drift: weight_decay > 0 needs lr.*rank: the start is not balanced/,
    ],
  ])('a bad file %s is a one-line error with exit 2', async (name, content, message) => {
    if (content !== undefined) writeFileSync(join(dir, name), content);
    expect(await gateCommand(['--trajectory', join(dir, name)])).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  const python = pythonWith('numpy');
  it.skipIf(!python)(
    'reads .npz and .npy records written by NumPy (float64 and float32), and fails a corrupted run',
    () => {
      const script = `
import sys, numpy as np
sys.path.insert(0, sys.argv[1])
import numpy_dln as m
d, rng = sys.argv[2], np.random.default_rng(0)
widths = [3, 4, 4, 2]
A = rng.standard_normal((2, 1)) @ rng.standard_normal((1, 3))
X, Y = rng.standard_normal((3, 6)), rng.standard_normal((2, 6))
ws = m.balanced_init(A, widths, 1)
points, losses = m.trajectory(ws, X, Y, 0.01, 0.05, 10)
stack = {"W%d" % (j + 1): np.stack([p[j] for p in points]) for j in range(3)}
np.savez(d + "/run.npz", X=X, Y=Y, lr=0.01, weight_decay=0.05, losses=np.array(losses), optimizer=np.array("gd"), **stack)
np.savez_compressed(d + "/run32.npz", **{k: v.astype(np.float32) for k, v in stack.items()}, lr=0.01, weight_decay=0.05)
bad = {k: v.copy() for k, v in stack.items()}
bad["W2"][5:] *= 1.01
np.savez(d + "/bad.npz", **bad, lr=0.01, weight_decay=0.05)
sq = [rng.standard_normal((2, 2)) for _ in range(3)]
run = [sq]
for _ in range(5):
    run.append(m.sgd_step(run[-1], rng.standard_normal((2, 4)), rng.standard_normal((2, 4)), 0.01, 0.0, [0, 2]))
np.save(d + "/sgd.npy", np.stack([np.stack(p) for p in run]))
`;
      const r = spawnSync(python!, ['-c', script, EXAMPLES, dir], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const good = runTrajectory(join(dir, 'run.npz'));
      expect(good.exitCode).toBe(0);
      expect(good.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
        'drift:pass',
        'gd-step:pass',
        'losses:pass',
        'loss-monotone:pass',
        'rank:pass',
      ]);
      const single = runTrajectory(join(dir, 'run32.npz'));
      expect(single.exitCode).toBe(0);
      expect(single.errorModel).toMatch(/ε_float32/);
      const bad = runTrajectory(join(dir, 'bad.npz'));
      expect(bad.exitCode).toBe(1);
      expect(bad.checks.find((c) => c.name === 'drift')?.failure?.verdict.detail).toMatch(/^step 4 → 5/);
      const sgd = runTrajectory(join(dir, 'sgd.npy'));
      expect(sgd.exitCode).toBe(0);
      expect(sgd.checks.find((c) => c.name === 'drift')?.status).toBe('pass');
    },
  );
  it.skipIf(!!python)(SKIP_NUMPY, () => {});
});
