import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeMatrix } from '../../src/gate/codec.js';
import { refEndToEndGradient, refGradients, refStep } from '../../src/gate/reference.js';
import { runTrajectory } from '../../src/gate/runner.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { balancedFactorization } from '../../src/model/balanced-init.js';
import { endToEnd } from '../../src/model/partial-products.js';
import { conditionedMatrix } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * `--trajectory` with only the end-to-end matrix W(t) (issue 15, item 6): a GD run of a balanced deep linear network
 * recorded as products passes monotone loss, rank and the end-to-end flow law; an unbalanced start declared balanced,
 * and plain GD on the product (depth 1 dynamics declared depth 3), fail the flow law; the layer checks are skipped.
 */

const dir = tempDir('product');
const s = { loss: { scale: 'half' as const, factor: 1 }, lambda: 0 };

function record(
  kind: 'balanced' | 'unbalanced' | 'product-gd',
  extra: Record<string, unknown> = {},
  steps = 20,
): string {
  const rng = new Rng(5);
  const widths = [4, 5, 5, 3];
  const data = { X: gaussianMatrix(rng, 4, 6), Y: gaussianMatrix(rng, 3, 6) };
  let ws = balancedFactorization(conditionedMatrix(rng, 3, 4, { rank: 2, cond: 3 }), widths, rng);
  if (kind === 'unbalanced')
    ws = [ws[0].clone(), ws[1], ws[2]].map(
      (w, j) =>
        new Matrix(
          w.rows,
          w.cols,
          w.data.map((x) => x * [2, 1, 0.5][j]),
        ),
    );
  const lr = 0.01;
  const points = [endToEnd(ws)];
  for (let k = 0; k < steps; k++) {
    if (kind === 'product-gd') {
      const w = points[points.length - 1],
        g = refEndToEndGradient(w, data, s.loss);
      points.push(
        new Matrix(
          w.rows,
          w.cols,
          w.data.map((x, i) => x - lr * g.data[i]),
        ),
      );
    } else {
      ws = refStep(ws, refGradients(ws, data, s), lr);
      points.push(endToEnd(ws));
    }
  }
  const file = join(dir, `${kind}-${Object.keys(extra).join('-')}.json`);
  const m = (a: Matrix) => encodeMatrix(a, 'json');
  writeFileSync(
    file,
    JSON.stringify({
      product: points.map(m),
      depth: 3,
      balanced_start: true,
      lr,
      X: m(data.X),
      Y: m(data.Y),
      ...extra,
    }),
  );
  return file;
}

const statuses = (file: string) => Object.fromEntries(runTrajectory(file).checks.map((c) => [c.name, c.status]));

describe('--trajectory with only the end-to-end matrix W(t)', () => {
  it('a balanced GD run passes loss-monotone, rank and the flow law; the layer checks are skipped with the reason', () => {
    const r = runTrajectory(record('balanced'));
    expect(r.exitCode).toBe(0);
    expect(Object.fromEntries(r.checks.map((c) => [c.name, c.status]))).toEqual({
      drift: 'skip',
      'gd-step': 'skip',
      losses: 'skip',
      'loss-monotone': 'pass',
      rank: 'pass',
      'flow-law': 'pass',
    });
    expect(r.checks[0].skipped).toMatch(/only the end-to-end matrix W\(t\): this check needs the layers/);
    const law = r.checks.find((c) => c.name === 'flow-law')!;
    console.log(`balanced product record: flow law worst ${law.worst!.detail}`);
  });

  it('fails the flow law for an unbalanced start declared balanced, and for plain GD on the product', () => {
    for (const kind of ['unbalanced', 'product-gd'] as const) {
      const r = runTrajectory(record(kind));
      const law = r.checks.find((c) => c.name === 'flow-law')!;
      expect(law.status, kind).toBe('fail');
      expect(law.failure!.verdict.detail).toMatch(
        /^step \d+ → \d+: ‖W\(t\+1\) − \(W\(t\) − η·A_W\(∇L¹\(W\(t\)\)\)\)‖ = .* > bound/,
      );
      expect(r.exitCode).toBe(1);
    }
  });

  it('skips what the record cannot support, with the reason', () => {
    const noDepth = runTrajectory(record('balanced', { depth: undefined, balanced_start: false }));
    expect(noDepth.checks.find((c) => c.name === 'flow-law')!.skipped).toBe(
      'needs a declared balanced start (balanced_start: true), the depth N',
    );
    expect(noDepth.checks.find((c) => c.name === 'rank')!.skipped).toMatch(/does not declare a balanced start/);
    expect(statuses(record('balanced', { weight_decay: 0.1 }))['flow-law']).toBe('skip');
    const bad = join(dir, 'both.json');
    const one = encodeMatrix(Matrix.from([[1]]), 'json');
    writeFileSync(bad, JSON.stringify({ product: [one, one], weights: [[one], [one]] }));
    expect(runTrajectory(bad).fault?.message).toMatch(
      /give the layers \('weights'\) or only the end-to-end matrix \('product'\), one of the two/,
    );
  });
});
