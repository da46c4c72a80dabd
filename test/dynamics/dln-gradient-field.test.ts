import { describe, expect, it } from 'vitest';
import { allocateState, DlnGradientField } from '../../src/dynamics/index.js';
import { ShapeError } from '../../src/errors.js';
import { frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { layerGradients } from '../../src/model/gradients.js';
import { endToEndGradient } from '../../src/model/loss.js';
import { prefixSuffixProducts } from '../../src/model/partial-products.js';
import { Rng } from '../../src/random/rng.js';
import { distance, EPS, gaussianData, gaussianWeights, product } from './helpers.js';

describe('DlnGradientField (allocation-free layer gradients)', () => {
  it('equals src/model layerGradients for N = 1..4, every loss scale, with and without weight decay', () => {
    const rng = new Rng(41);
    const widthSets = [
      [3, 2],
      [3, 4, 2],
      [2, 3, 4, 3],
      [4, 3, 2, 3, 2],
    ];
    for (const widths of widthSets) {
      for (const scale of ['half', 'sum', 'mean'] as const) {
        for (const weightDecay of [0, 0.3]) {
          const data = gaussianData(rng, widths[0], widths[widths.length - 1], 7);
          const ws = gaussianWeights(rng, widths, 1.2);
          const field = new DlnGradientField(widths, data, { scale, weightDecay });
          const out = allocateState(field.shapes);
          field.gradientInto(ws, out);
          const ref = layerGradients(ws, data, { scale, weightDecay });
          // Error model: both evaluate W_{N:j+1}ᵀ ∇L¹ W_{j−1:1}ᵀ by different association orders (and ∇L¹ as
          // W·XXᵀ − YXᵀ vs (WX − Y)Xᵀ); each is within ~(Σd + m)·ε of ‖W_{N:j+1}‖‖∇L¹-terms‖‖W_{j−1:1}‖.
          const { below, above } = prefixSuffixProducts(ws);
          const terms =
            (frobeniusNorm(product(ws)) * frobeniusNorm(data.X) + frobeniusNorm(data.Y)) *
            frobeniusNorm(data.X) *
            (scale === 'sum' ? 2 : 1);
          const size = widths.reduce((a, b) => a + b) + 7;
          for (let j = 0; j < ws.length; j++) {
            const bound =
              8 *
              EPS *
              size *
              (frobeniusNorm(above[j + 1]) * terms * frobeniusNorm(below[j]) + weightDecay * frobeniusNorm(ws[j]));
            expect(distance(out[j], ref[j])).toBeLessThanOrEqual(bound);
          }
          // The end-to-end gradient and product buffers are exposed.
          expect(distance(field.endToEndGradient, endToEndGradient(product(ws), data, scale))).toBeLessThanOrEqual(
            8 * EPS * size * terms,
          );
          // evaluate = −gradient.
          const neg = allocateState(field.shapes);
          field.evaluate(0, ws, neg);
          for (let j = 0; j < ws.length; j++)
            for (let i = 0; i < neg[j].data.length; i++) expect(neg[j].data[i]).toBe(-out[j].data[i]);
        }
      }
    }
  });

  it('rejects states of the wrong shape', () => {
    const rng = new Rng(42);
    const field = new DlnGradientField([3, 4, 2], gaussianData(rng, 3, 2, 5));
    expect(() => field.gradientInto([new Matrix(4, 3)], allocateState(field.shapes))).toThrow(ShapeError);
    expect(() => field.gradientInto([new Matrix(4, 3), new Matrix(3, 4)], allocateState(field.shapes))).toThrow(
      ShapeError,
    );
  });
});
