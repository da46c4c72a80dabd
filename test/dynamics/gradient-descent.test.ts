import { describe, expect, it } from 'vitest';
import { allocateState, DlnGradientField, GradientDescent, runGradientDescent } from '../../src/dynamics/index.js';
import { DomainError } from '../../src/errors.js';
import { frobeniusNorm } from '../../src/linalg/frobenius.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { balancednessDefects } from '../../src/model/balancedness.js';
import { loss } from '../../src/model/loss.js';
import { cloneWeights } from '../../src/model/network.js';
import { Rng } from '../../src/random/rng.js';
import { defectDrift, EPS, gaussianData, gaussianWeights, weightScale } from './helpers.js';

/** G_{j+1}ᵀG_{j+1} − G_jG_jᵀ (0-based j: layers j+1, j+2 in THEORY's 1-based numbering). */
function gradientDefect(g: readonly Matrix[], j: number): Matrix {
  const a = multiply(g[j + 1], g[j + 1], 't', 'n'),
    b = multiply(g[j], g[j], 'n', 't');
  for (let i = 0; i < a.data.length; i++) a.data[i] -= b.data[i];
  return a;
}

describe('gradient descent', () => {
  it('gd.drift-identity: one step changes C_j by exactly η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ), with weight decay (1 − ηλ)²C_j + …', () => {
    const rng = new Rng(61);
    for (const widths of [
      [3, 4, 2],
      [2, 3, 4, 3, 2],
    ]) {
      for (const lambda of [0, 0.2]) {
        const data = gaussianData(rng, widths[0], widths[widths.length - 1], 9);
        const w = gaussianWeights(rng, widths, 1.1);
        const eta = 0.03;
        const plain = new DlnGradientField(widths, data); // G⁰: the gradient without decay
        const g0 = allocateState(plain.shapes);
        plain.gradientInto(w, g0);
        const before = balancednessDefects(w);
        const gd = new GradientDescent(new DlnGradientField(widths, data, { weightDecay: lambda }), {
          learningRate: eta,
        });
        const after = cloneWeights(w);
        gd.step(after);
        const c1 = balancednessDefects(after);
        // Exact identity; round-off: forming C_j and C_j⁺ costs ~(Σd)·ε·‖W‖² each, the rhs ~(Σd)·ε·η²‖G‖².
        const size = widths.reduce((a, b) => a + b);
        const scale = weightScale(w) + eta * eta * weightScale(g0);
        for (let j = 0; j < before.length; j++) {
          const rhs = gradientDefect(g0, j);
          let err = 0;
          for (let i = 0; i < rhs.data.length; i++) {
            err = Math.max(
              err,
              Math.abs(c1[j].data[i] - ((1 - eta * lambda) ** 2 * before[j].data[i] + eta * eta * rhs.data[i])),
            );
          }
          expect(err).toBeLessThanOrEqual(16 * EPS * size * scale);
          expect(frobeniusNorm(rhs) * eta * eta).toBeGreaterThan(1e6 * 16 * EPS * size * scale); // the identity is not vacuous
        }
      }
    }
  });

  it('FALSE variant "GD conserves C_j": the per-step drift / η² is constant (≠ 0) as η shrinks', () => {
    const rng = new Rng(62);
    const widths = [3, 4, 4, 2];
    const data = gaussianData(rng, 3, 2, 10);
    const w0 = gaussianWeights(rng, widths, 1);
    const field = new DlnGradientField(widths, data);
    const ratios = [1e-2, 1e-3, 1e-4].map((eta) => {
      const w = cloneWeights(w0);
      new GradientDescent(field, { learningRate: eta }).step(w);
      return defectDrift(w, w0) / (eta * eta);
    });
    // Exact model: drift = η²‖G_{j+1}ᵀG_{j+1} − G_jG_jᵀ‖, so the ratios agree to round-off/η² (≈ 1e-7 at η = 1e-4).
    for (const r of ratios) expect(Math.abs(r - ratios[0])).toBeLessThanOrEqual(1e-5 * ratios[0]);
    expect(ratios[0]).toBeGreaterThan(1e-3);
    // Over a fixed time T = 1 the accumulated drift is ~η·T·const: it does not vanish for any fixed η.
    const w = cloneWeights(w0);
    runGradientDescent(field, w, { learningRate: 1e-2, steps: 100 });
    expect(defectDrift(w, w0)).toBeGreaterThan(1e8 * EPS);
  });

  it('plain GD is explicit Euler on the flow field; heavy ball decreases the loss; bad options are typed errors', () => {
    const rng = new Rng(63);
    const widths = [3, 4, 2];
    const data = gaussianData(rng, 3, 2, 10);
    const w0 = gaussianWeights(rng, widths, 1);
    const field = new DlnGradientField(widths, data);
    const euler = cloneWeights(w0),
      k = allocateState(field.shapes);
    field.evaluate(0, euler, k);
    for (let j = 0; j < euler.length; j++)
      for (let i = 0; i < euler[j].data.length; i++) euler[j].data[i] += 0.05 * k[j].data[i];
    const gd = cloneWeights(w0);
    new GradientDescent(field, { learningRate: 0.05 }).step(gd);
    for (let j = 0; j < gd.length; j++) expect(Array.from(gd[j].data)).toEqual(Array.from(euler[j].data));
    const hb = cloneWeights(w0);
    runGradientDescent(field, hb, { learningRate: 0.02, momentum: 0.9, steps: 300 });
    expect(loss(hb, data)).toBeLessThan(loss(w0, data));
    expect(() => new GradientDescent(field, { learningRate: 0 })).toThrow(DomainError);
    expect(() => new GradientDescent(field, { learningRate: 0.1, momentum: 1 })).toThrow(DomainError);
  });
});
