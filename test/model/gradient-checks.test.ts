import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NetworkInstance, networkInstanceArb } from '../../src/arbitraries/networks.js';
import { checkHessian, checkLayerGradient } from '../../src/check/layer-calculus.js';
import type { Verdict } from '../../src/check/verdict.js';
import { axpy, scale } from '../../src/linalg/elementwise.js';
import { frobeniusInner } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import {
  endToEndGradient,
  firstOrderProduct,
  type LossOptions,
  layerGradients,
  partialProduct,
  scaleFactor,
  secondOrderProduct,
} from '../../src/model/index.js';

const OPTIONS: LossOptions = { scale: 'half', weightDecay: 0.1 };
const SEED = 20261122;

/** Non-square layers, N from 1 to 6, condition numbers up to 1e4 (THEORY §7 instances). */
const correctInstances = networkInstanceArb({
  depth: [1, 6],
  width: [1, 6],
  samples: [1, 7],
  init: 'conditioned',
  maxLog10Cond: 4,
});

function sample(arb: fc.Arbitrary<NetworkInstance>, n: number, seed: number): NetworkInstance[] {
  return fc.sample(arb, { seed, numRuns: n });
}

/**
 * Zero failures allowed. An inconclusive verdict (too short a slope window above round-off) is not a false
 * failure, but it is counted: at most 0.5% of the runs (seen: 0 of 1000 for gradients, 1 of 1000 for Hessians).
 */
function expectNoFalseFailures(verdicts: Verdict[], seed: number): void {
  const describeRun = (v: Verdict, i: number) =>
    `instance ${i} (replay: fc.sample(…, { seed: ${seed} })[${i}]): ${v.status} ${v.detail}`;
  expect(verdicts.map(describeRun).filter((_, i) => verdicts[i].status === 'fail')).toEqual([]);
  expect(verdicts.filter((v) => v.status === 'inconclusive').length).toBeLessThanOrEqual(verdicts.length / 200);
}

describe('the correct layer calculus passes on ≥ 1000 random instances with zero false failures', () => {
  it('layer gradients (Taylor, slope 2)', () => {
    expectNoFalseFailures(
      sample(correctInstances, 1000, SEED).map((net) => checkLayerGradient(net)),
      SEED,
    );
  });

  it('Hessian form (Taylor slope 3, symmetry, HVP)', () => {
    expectNoFalseFailures(
      sample(correctInstances, 1000, SEED + 1).map((net) => checkHessian(net)),
      SEED + 1,
    );
  });
});

/** W_{N:j+1}ᵀ G W_{j−1:1}ᵀ + λW_j with a mistake injected into one of its parts. */
function gradientWith(net: NetworkInstance, mistake: 'transpose' | 'factor2' | 'order'): Matrix[] {
  const { weights, data } = net;
  const n = weights.length;
  const g = endToEndGradient(partialProduct(weights, n, 1), data, 'half');
  return weights.map((w, idx) => {
    const j = idx + 1;
    // 'order': the suffix product multiplied in the wrong order, W_{j+1}⋯W_N instead of W_N⋯W_{j+1}.
    const above =
      mistake === 'order'
        ? weights.slice(j).reduce((acc, m) => multiply(acc, m), Matrix.identity(w.rows))
        : partialProduct(weights, n, j + 1);
    const left = mistake === 'transpose' ? multiply(above, g) : multiply(above, g, 't', 'n');
    const grad = multiply(left, partialProduct(weights, j - 1, 1), 'n', 't');
    axpy(OPTIONS.weightDecay!, w, grad);
    return mistake === 'factor2' ? scale(2, grad) : grad;
  });
}

const square = (depth: [number, number]) =>
  networkInstanceArb({ depth, width: [3, 3], samples: [3, 5], init: 'conditioned', maxLog10Cond: 1 });
const nonSquare = networkInstanceArb({
  depth: [1, 5],
  width: [1, 5],
  samples: [1, 5],
  init: 'conditioned',
  maxLog10Cond: 2,
});

describe('deliberately wrong derivatives are reported as failures with their relative error', () => {
  it('a missing transpose (square layers, so the shapes still fit)', () => {
    for (const net of sample(square([2, 4]), 50, 1)) {
      const v = checkLayerGradient(net, (n) => gradientWith(n, 'transpose'));
      expect(v.status, v.detail).toBe('fail');
      expect(v.measured).toBeGreaterThan(1e-3);
    }
  });

  it('a factor-2 error: relative error ≈ 1 (|2g − g|/|g|), on non-square layers', () => {
    for (const net of sample(nonSquare, 100, 2)) {
      const v = checkLayerGradient(net, (n) => gradientWith(n, 'factor2'));
      expect(v.status, v.detail).toBe('fail');
      expect(v.measured).toBeCloseTo(1, 2);
    }
  });

  it('a wrong order of factors in W_{N:j+1} (visible only for N ≥ 3)', () => {
    for (const net of sample(square([3, 5]), 50, 3)) {
      const v = checkLayerGradient(net, (n) => gradientWith(n, 'order'));
      expect(v.status, v.detail).toBe('fail');
      expect(v.detail).toMatch(/relative/);
    }
    // For N ≤ 2 every suffix product has at most one factor, so the same mistake is invisible: the check passes.
    for (const net of sample(square([1, 2]), 20, 4))
      expect(checkLayerGradient(net, (n) => gradientWith(n, 'order')).status).toBe('pass');
  });

  it('a Hessian with the wrong sign in P2', () => {
    const wrongSign: typeof import('../../src/model/hessian.js').hessianForm = (
      weights,
      data,
      delta,
      gamma = delta,
      options = {},
    ) => {
      const k = scaleFactor(options.scale ?? 'half', data.X.cols);
      const g = endToEndGradient(partialProduct(weights, weights.length, 1), data, options.scale ?? 'half');
      const p1 = frobeniusInner(
        multiply(firstOrderProduct(weights, delta), data.X),
        multiply(firstOrderProduct(weights, gamma), data.X),
      );
      const decay = (options.weightDecay ?? 0) * delta.reduce((s, d, j) => s + frobeniusInner(d, gamma[j]), 0);
      return k * p1 - frobeniusInner(g, secondOrderProduct(weights, delta, gamma)) + decay;
    };
    // N ≥ 2 so that P2 exists; unwhitened Gaussian data so that ∇L¹ ≠ 0.
    for (const net of sample(
      networkInstanceArb({ depth: [2, 5], width: [1, 4], samples: [2, 5], init: 'conditioned', maxLog10Cond: 1 }),
      100,
      5,
    )) {
      const v = checkHessian(net, wrongSign);
      expect(v.status, v.detail).toBe('fail');
    }
  });

  it('the unmodified gradient of the model passes on the same instances (the mistakes, not the instances, fail)', () => {
    for (const net of sample(square([3, 5]), 50, 3))
      expect(checkLayerGradient(net, (n) => layerGradients(n.weights, n.data, OPTIONS)).status).toBe('pass');
  });
});
