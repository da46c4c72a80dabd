import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.js';
import { layerGradients } from '../../src/model/gradients.js';
import { type LossScale, loss } from '../../src/model/loss.js';

// dlnv's loss and layer gradients against SymPy's exact symbolic derivatives (issue 16). The fixture was written by
// test/fixtures/reference/gradients_sympy.py (regenerate with `python3 test/fixtures/reference/gradients_sympy.py`):
// inputs are multiples of 1/8, exact in float64, and SymPy's values are exact rationals, so the only difference is
// dlnv's round-off. Nothing here needs Python, so nothing skips.

interface Case {
  id: string;
  scale: LossScale;
  weights: number[][][];
  X: number[][];
  Y: number[][];
  loss: { exact: string; float: number };
  gradients: { exact: string[][]; float: number[][] }[];
}
const fixture: { reference: string; cases: Case[] } = JSON.parse(
  readFileSync(new URL('../fixtures/reference/gradients-sympy.json', import.meta.url), 'utf8'),
);

const abs = (m: Matrix): Matrix => new Matrix(m.rows, m.cols, m.data.map(Math.abs));

/**
 * Round-off model of a computed gradient entry: every entry of κ·W_{N:j+1}ᵀ R (W_{j−1:1}X)ᵀ is a sum of products of
 * at most K = (N + 2)·(d_max + s) factors and terms, so it is off by at most about K·ε times the same sum with every
 * factor replaced by its absolute value — which is the gradient at (|W|, |X|, −|Y|) (all terms then add) — plus
 * the rounding of SymPy's exact value to float64 (½ ulp). The loss likewise, from the loss at (|W|, |X|, −|Y|).
 */
function bounds(c: Case, weights: Matrix[], X: Matrix, Y: Matrix): { loss: number; gradients: Matrix[] } {
  const dMax = Math.max(X.rows, ...weights.map((w) => w.rows));
  const K = (weights.length + 2) * (dMax + X.cols);
  const absolute = {
    X: abs(X),
    Y: new Matrix(
      Y.rows,
      Y.cols,
      Y.data.map((v) => -Math.abs(v)),
    ),
  };
  const worst = layerGradients(weights.map(abs), absolute, { scale: c.scale });
  return {
    loss:
      K * Number.EPSILON * loss(weights.map(abs), absolute, { scale: c.scale }) +
      Math.abs(c.loss.float) * Number.EPSILON,
    gradients: worst.map(
      (g, j) =>
        new Matrix(
          g.rows,
          g.cols,
          g.data.map((v, i) => K * Number.EPSILON * v + Math.abs(c.gradients[j].float.flat()[i]) * Number.EPSILON),
        ),
    ),
  };
}

function inputs(c: Case): { weights: Matrix[]; X: Matrix; Y: Matrix } {
  return { weights: c.weights.map((w) => Matrix.from(w)), X: Matrix.from(c.X), Y: Matrix.from(c.Y) };
}

describe('layer gradients against SymPy (exact rational derivatives)', () => {
  it('covers depths 1–4 with both loss scales', () => {
    expect(fixture.cases.length).toBe(16);
    expect(new Set(fixture.cases.map((c) => c.weights.length))).toEqual(new Set([1, 2, 3, 4]));
    expect(new Set(fixture.cases.map((c) => c.scale))).toEqual(new Set(['half', 'mean']));
  });

  for (const c of fixture.cases) {
    it(`${c.id}: loss and every gradient entry within the round-off model`, () => {
      const { weights, X, Y } = inputs(c);
      const L = loss(weights, { X, Y }, { scale: c.scale });
      const { loss: lossBound, gradients: b } = bounds(c, weights, X, Y);
      expect(
        Math.abs(L - c.loss.float),
        `${c.id}: loss ${L} vs SymPy ${c.loss.exact}, bound ${lossBound}`,
      ).toBeLessThanOrEqual(lossBound);
      const grads = layerGradients(weights, { X, Y }, { scale: c.scale });
      grads.forEach((g, j) => {
        const ref = c.gradients[j].float.flat();
        for (let i = 0; i < ref.length; i++) {
          const detail = `${c.id}: ∂L/∂W_${j + 1}[${i}] = ${g.data[i]} vs SymPy ${c.gradients[j].exact.flat()[i]}, bound ${b[j].data[i]}`;
          expect(Math.abs(g.data[i] - ref[i]), detail).toBeLessThanOrEqual(b[j].data[i]);
        }
      });
    });
  }

  it('has teeth: the gradient of the wrong scale (κ doubled) is outside the bound wherever SymPy has a non-zero entry', () => {
    let compared = 0;
    for (const c of fixture.cases) {
      const { weights, X, Y } = inputs(c);
      const b = bounds(c, weights, X, Y).gradients;
      const wrong = layerGradients(weights, { X, Y }, { scale: c.scale }).map((g) => g.data.map((v) => 2 * v));
      wrong.forEach((g, j) => {
        const ref = c.gradients[j].float.flat();
        for (let i = 0; i < ref.length; i++) {
          if (ref[i] === 0) continue;
          compared++;
          expect(Math.abs(g[i] - ref[i])).toBeGreaterThan(b[j].data[i]);
        }
      });
    }
    expect(compared).toBeGreaterThan(50);
  });
});
