import { afterEach, describe, expect, it } from 'vitest';
import { frobeniusInner, frobeniusNorm } from '../../src/linalg/frobenius.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { balancednessDefects, maxBalancednessDefect } from '../../src/model/balancedness.js';
import { endToEndLoss, type LossScale, loss } from '../../src/model/loss.js';
import { endToEnd } from '../../src/model/partial-products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { setWasmEnabled } from '../../src/wasm/runtime.js';

/**
 * loss() and maxBalancednessDefect() run at every observation of a trajectory, so they reuse scratch instead of
 * allocating matrices; they must still give bitwise the numbers of the plain formulas they stand for.
 */

afterEach(() => setWasmEnabled(true));

/** Networks with the given widths (N = widths.length − 1) and data with m samples. */
function instance(rng: Rng, widths: readonly number[], m: number): { weights: Matrix[]; X: Matrix; Y: Matrix } {
  const weights = widths.slice(1).map((d, j) => gaussianMatrix(rng, d, widths[j], 1 / Math.sqrt(widths[j])));
  return { weights, X: gaussianMatrix(rng, widths[0], m), Y: gaussianMatrix(rng, widths[widths.length - 1], m) };
}

// Small shapes run the JavaScript kernel, large ones (m·n·k > 4096) WebAssembly; both, and mixed chains.
const shapes: (readonly number[])[] = [
  [5, 1],
  [4, 5],
  [6, 2, 7],
  [8, 8, 8, 8, 8],
  [20, 30, 10, 25],
  [64, 64, 64, 64, 64],
  [70, 3, 70],
];

describe('observation functions in reused scratch', () => {
  it.each([true, false])('loss() is bitwise endToEndLoss(endToEnd(W)) + (λ/2)Σ‖W_j‖² (WebAssembly %s)', (wasm) => {
    setWasmEnabled(wasm);
    const rng = new Rng(4101);
    for (const widths of shapes) {
      const { weights, X, Y } = instance(rng, widths, 9);
      for (const scale of ['half', 'sum', 'mean'] as LossScale[]) {
        for (const weightDecay of [0, 0.3]) {
          const decay = weights.reduce((s, w) => s + frobeniusInner(w, w), 0);
          const expected = endToEndLoss(endToEnd(weights), { X, Y }, scale) + 0.5 * weightDecay * decay;
          // Twice: the second call meets the scratch the first one left.
          for (let call = 0; call < 2; call++)
            expect(Object.is(loss(weights, { X, Y }, { scale, weightDecay }), expected)).toBe(true);
        }
      }
    }
  });

  it('maxBalancednessDefect() is bitwise the largest ‖C_j‖_F of balancednessDefects', () => {
    const rng = new Rng(4102);
    for (const widths of shapes) {
      const { weights } = instance(rng, widths, 1);
      const expected = balancednessDefects(weights).reduce((m, c) => Math.max(m, frobeniusNorm(c)), 0);
      for (let call = 0; call < 2; call++) expect(Object.is(maxBalancednessDefect(weights), expected)).toBe(true);
    }
  });

  it('notices a change of the weights between calls (no stale scratch)', () => {
    const rng = new Rng(4103);
    const { weights, X, Y } = instance(rng, [64, 64, 64], 64);
    const before = [loss(weights, { X, Y }), maxBalancednessDefect(weights)];
    weights[1].data[5] += 1;
    expect(loss(weights, { X, Y })).not.toBe(before[0]);
    expect(maxBalancednessDefect(weights)).not.toBe(before[1]);
    expect(loss(weights, { X, Y })).toBe(endToEndLoss(endToEnd(weights), { X, Y }));
  });
});
