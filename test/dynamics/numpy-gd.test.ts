import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DlnGradientField } from '../../src/dynamics/dln-gradient-field.js';
import { runGradientDescent } from '../../src/dynamics/gradient-descent.js';
import { hessianSpectrum } from '../../src/landscape/hessian.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { layerGradients } from '../../src/model/gradients.js';
import { type LossScale, loss } from '../../src/model/loss.js';

// dlnv's gradient descent against NumPy's (issue 16). The fixture was written by test/fixtures/reference/gd_numpy.py
// (regenerate with `python3 test/fixtures/reference/gd_numpy.py`): the same start, the same update, NumPy's products.
// Nothing here needs Python, so nothing skips.

interface Case {
  id: string;
  scale: LossScale;
  learningRate: number;
  steps: number;
  every: number;
  weights: number[][][];
  X: number[][];
  Y: number[][];
  trajectory: { step: number; loss: number; weights: number[][][] }[];
}
const fixture: { cases: Case[] } = JSON.parse(
  readFileSync(new URL('../fixtures/reference/gd-numpy.json', import.meta.url), 'utf8'),
);

const abs = (m: Matrix): Matrix => new Matrix(m.rows, m.cols, m.data.map(Math.abs));
const frob = (ms: readonly Matrix[]): number => Math.hypot(...ms.flatMap((m) => Array.from(m.data)));

/**
 * Run dlnv's GD on a case and propagate a first-order bound on its distance to any other float64 run of the same
 * update: e_0 = 0, e_{k+1} = ‖I − ηH_k‖₂·e_k + 2δ_k, with H_k = ∇²L(W_k) (symmetric, so ‖I − ηH_k‖₂ =
 * max(|1 − ηλ_max|, |1 − ηλ_min|): how much a step can stretch a difference), where δ_k = K·ε·(‖W_k‖ + η‖G_abs(W_k)‖) is one run's
 * round-off in a step (K = (N + 2)(d_max + s) factors and terms per gradient entry, G_abs the gradient at
 * (|W|, |X|, −|Y|), in which all terms add). Returns
 * the largest ratio ‖W_dlnv − W_NumPy‖_F / e_k over the recorded steps (≤ 1 passes) and the final bound.
 */
function compare(c: Case, eta = c.learningRate): { ratio: number; bound: number; detail: string } {
  const X = Matrix.from(c.X),
    Y = Matrix.from(c.Y);
  const state = c.weights.map((w) => Matrix.from(w));
  const widths = [X.rows, ...state.map((w) => w.rows)];
  const field = new DlnGradientField(widths, { X, Y }, { scale: c.scale });
  const K = (state.length + 2) * (Math.max(...widths) + X.cols);
  const absolute = {
    X: abs(X),
    Y: new Matrix(
      Y.rows,
      Y.cols,
      Y.data.map((v) => -Math.abs(v)),
    ),
  };
  let e = 0,
    ratio = 0,
    detail = '';
  for (let k = 0; k <= c.steps; k++) {
    if (k % c.every === 0) {
      const ref = c.trajectory[k / c.every].weights.map((w) => Matrix.from(w));
      const diff = frob(
        state.map(
          (w, j) =>
            new Matrix(
              w.rows,
              w.cols,
              w.data.map((v, i) => v - ref[j].data[i]),
            ),
        ),
      );
      const r = e > 0 ? diff / e : diff > 0 ? Infinity : 0;
      if (r >= ratio) {
        ratio = r;
        detail = `${c.id}: step ${k}, ‖W_dlnv − W_NumPy‖ = ${diff.toExponential(2)}, bound e_k = ${e.toExponential(2)} (L = ${loss(state, { X, Y }, { scale: c.scale }).toExponential(4)} vs NumPy ${c.trajectory[k / c.every].loss.toExponential(4)})`;
      }
    }
    if (k === c.steps) break;
    const h = hessianSpectrum(state, { X, Y }, c.scale);
    const stretch = Math.max(Math.abs(1 - eta * h.lambdaMax), Math.abs(1 - eta * h.lambdaMin));
    const delta =
      K * Number.EPSILON * (frob(state) + eta * frob(layerGradients(state.map(abs), absolute, { scale: c.scale })));
    e = stretch * e + 2 * delta;
    runGradientDescent(field, state, { learningRate: eta, steps: 1 });
  }
  return { ratio, bound: e, detail };
}

describe('gradient descent against NumPy (committed trajectories)', () => {
  it('covers depths 2–4, both loss scales, 200 steps each', () => {
    expect(fixture.cases.length).toBe(8);
    expect(new Set(fixture.cases.map((c) => c.weights.length))).toEqual(new Set([2, 3, 4]));
    expect(new Set(fixture.cases.map((c) => c.scale))).toEqual(new Set(['half', 'mean']));
  });

  for (const c of fixture.cases) {
    it(`${c.id}: the trajectory stays within the propagated round-off bound`, () => {
      const r = compare(c);
      expect(r.ratio, r.detail).toBeLessThanOrEqual(1);
    });
  }

  it('has teeth: a learning rate off by 1e-6 relative leaves the bound on every case', () => {
    for (const c of fixture.cases) {
      const r = compare(c, c.learningRate * (1 + 1e-6));
      expect(r.ratio, r.detail).toBeGreaterThan(1);
    }
  });
});
