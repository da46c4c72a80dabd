import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowConservationClaims } from '../../properties/flow-conservation.js';
import { flowConvergenceClaims } from '../../properties/flow-convergence.js';
import { flowEndToEndClaims } from '../../properties/flow-end-to-end.js';
import {
  type BalancedInstance,
  type FlowInstance,
  type RankInstance,
  type StepInstance,
  unbalancedFullRankArb,
} from '../../src/arbitraries/flows.js';
import type { Claim } from '../../src/claims/claim.js';
import { DlnGradientField, type VectorField } from '../../src/dynamics/index.js';
import {
  checkEndToEndDiscrete,
  checkLossMonotone,
  checkRankConstant,
  checkSigmaDynamics,
  type FixedStepIntegrator,
  rk4Integrator,
} from '../../src/flow/index.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { balancedFactorization } from '../../src/model/balanced-init.js';
import { endToEnd } from '../../src/model/partial-products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { wrongExponentMetric } from '../helpers/wrong-metric.js';

const flowClaims = [...flowConservationClaims, ...flowEndToEndClaims, ...flowConvergenceClaims];

/**
 * Teeth tests for the flow claims that had none naming them: each claim's check is fed a deliberately wrong input
 * (a wrong operator, a perturbed instance, a wrong integrator or field) and must say so; a FALSE variant's check must
 * refute a specific instance and not its true neighbour. Instances are drawn with fixed seeds.
 */
const claim = <I>(id: string): Claim<I> => flowClaims.find((c) => c.id === id) as Claim<I>;
const sample = <T>(arb: fc.Arbitrary<T>, n: number, seed = 23): T[] => fc.sample(arb, { seed, numRuns: n });

/** The same network with W_1 moved by 0.1·G (G Gaussian): no longer balanced, so C_1 = W_2ᵀW_2 − W_1W_1ᵀ ≠ 0. */
function unbalanced<I extends FlowInstance>(instance: I, seed: number): I {
  const rng = new Rng(seed);
  const w1 = instance.weights[0].clone();
  const g = gaussianMatrix(rng, w1.rows, w1.cols);
  for (let i = 0; i < w1.data.length; i++) w1.data[i] += 0.1 * g.data[i];
  return { ...instance, weights: [w1, ...instance.weights.slice(1)] };
}

/** The field plus a constant non-gradient term 0.05·B_j on every layer: the factors gain full rank at once. */
function withConstantDrift(field: VectorField, seed: number): VectorField {
  const rng = new Rng(seed);
  const drift = field.shapes.map(([r, c]) => gaussianMatrix(rng, r, c, 0.05));
  return {
    shapes: field.shapes,
    evaluate(t, state, out) {
      field.evaluate(t, state, out);
      out.forEach((o, j) => o.data.forEach((v, i) => (o.data[i] = v + drift[j].data[i])));
    },
  };
}

/** Gradient ascent: the flow reversed. */
function ascent(field: VectorField): VectorField {
  return {
    shapes: field.shapes,
    evaluate(t, state, out) {
      field.evaluate(t, state, out);
      for (const o of out) for (let i = 0; i < o.data.length; i++) o.data[i] = -o.data[i];
    },
  };
}

describe('flow.end-to-end.discrete has teeth', () => {
  const discrete = claim<BalancedInstance>('flow.end-to-end.discrete');
  const instances = sample(discrete.instances, 4);

  it('its check passes a balanced start and fails the wrong operator A_W (exponent j/N) with an O(η) defect', () => {
    for (const inst of instances) {
      expect(discrete.check(inst).status).toBe('pass');
      const v = checkEndToEndDiscrete(inst, { metric: wrongExponentMetric });
      expect(v.status, v.detail).toBe('fail');
      expect(v.measured).toBeLessThan(1.3); // order 1, where 2 is claimed
    }
  });

  it('its check fails the same network with W_1 perturbed off the balanced set (C_j ≠ 0 leaves an O(η) term)', () => {
    for (const [k, inst] of instances.entries()) {
      const v = discrete.check(unbalanced(inst, 100 + k));
      expect(v.status, `${v.detail}`).toBe('fail');
      expect(v.measured).toBeLessThan(1.3);
    }
  });
});

describe('flow.end-to-end.unbalanced (FALSE) has teeth', () => {
  const falseVariant = claim<FlowInstance>('flow.end-to-end.unbalanced');

  it('refutes i.i.d. Gaussian factors, and not their balanced neighbour with the same product and data', () => {
    for (const [k, inst] of sample(unbalancedFullRankArb(), 4).entries()) {
      const refuted = falseVariant.check(inst);
      expect(refuted.status, refuted.detail).toBe('fail');
      const weights = balancedFactorization(endToEnd(inst.weights), inst.widths, new Rng(200 + k));
      const neighbour = { ...inst, weights };
      const kept = falseVariant.check(neighbour);
      expect(kept.status, kept.detail).not.toBe('fail');
    }
  });
});

describe('flow.sigma-dynamics has teeth (named)', () => {
  const sigma = claim<BalancedInstance>('flow.sigma-dynamics');

  it('its check fails the rate −Nσ^{2−2/N}u_iᵀ∇L¹v_i on an unbalanced start (the rate needs C_j = 0)', () => {
    for (const [k, inst] of sample(sigma.instances, 4).entries()) {
      expect(sigma.check(inst).status).toBe('pass');
      const v = checkSigmaDynamics(unbalanced(inst, 300 + k));
      expect(v.status, v.detail).toBe('fail');
      expect(v.measured).toBeLessThan(1.5); // the odd Taylor part falls at order 1, where 3 is claimed
    }
  });
});

describe('flow.rank-constant has teeth', () => {
  const rank = claim<RankInstance>('flow.rank-constant');
  const instances = sample(rank.instances, 4);

  // (Gradient descent in place of the flow keeps the rank too: a balanced rank-k start leaves hidden directions on
  // which every layer's gradient vanishes. Only a term that is not a gradient reaches them.)
  it('RK4 on the flow keeps the rank; a flow with a non-gradient term 0.05·B_j on every layer raises it', () => {
    for (const [k, inst] of instances.entries()) {
      expect(rank.check(inst).status).toBe('pass');
      const drifted: FixedStepIntegrator = (field, state, options) =>
        rk4Integrator(withConstantDrift(field, 400 + k), state, options);
      const v = checkRankConstant(inst, { integrator: drifted });
      expect(v.status, v.detail).toBe('fail');
      expect(v.detail).toContain(`rank ${inst.rank} at t = 0`);
    }
  });
});

describe('flow.rank-constant.unbalanced (FALSE) has teeth', () => {
  const falseVariant = claim<RankInstance>('flow.rank-constant.unbalanced');

  it('refutes W_1(0) = 0 with Gaussian later layers, and not the balanced neighbour W_j(0) = 0 for every j', () => {
    for (const inst of sample(falseVariant.instances, 4)) {
      const refuted = falseVariant.check(inst);
      expect(refuted.status, refuted.detail).toBe('fail');
      // All factors 0: balanced (C_j = 0) and a critical point for N ≥ 2, so the product stays 0.
      const zero: RankInstance = { ...inst, weights: inst.weights.map((w) => new Matrix(w.rows, w.cols)) };
      expect(falseVariant.check(zero).status).toBe('pass');
    }
  });
});

describe('flow.loss-monotone has teeth (named)', () => {
  const monotone = claim<FlowInstance>('flow.loss-monotone');

  it('its check passes the gradient flow and fails gradient ascent, with a positive increment', () => {
    let checked = 0;
    for (const inst of sample(monotone.instances, 8)) {
      const field = new DlnGradientField(inst.widths, inst.data);
      const v = checkLossMonotone(inst, { field: ascent(field) });
      if (v.status === 'pass' && v.measured <= 0) continue; // a critical start: ascent stays put too
      checked++;
      expect(monotone.check(inst).status).toBe('pass');
      expect(v.status, v.detail).toBe('fail');
      expect(v.measured).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});

describe('flow.loss-monotone.large-step (FALSE) has teeth', () => {
  const falseVariant = claim<StepInstance>('flow.loss-monotone.large-step');

  it('refutes η = 16 on a network where the loss then rises, and not the same network with η = 1e-3', () => {
    const large = sample(
      falseVariant.instances.map((i): StepInstance => ({ ...i, eta: 16 })),
      20,
    );
    const found = large.filter((i) => falseVariant.check(i).status === 'fail');
    expect(found.length).toBeGreaterThanOrEqual(10);
    for (const inst of found.slice(0, 4)) {
      const v = falseVariant.check(inst);
      expect(v.measured).toBeGreaterThan(v.bound);
      expect(falseVariant.check({ ...inst, eta: 1e-3 }).status).toBe('pass');
    }
  });
});
