import { describe, expect, it } from 'vitest';
import { checkIdentity } from '../../src/check/identity.js';
import { checkTaylor } from '../../src/check/taylor.js';
import { CompletionCost, RegressionCost } from '../../src/completion/cost.js';
import { ProductCostField, StochasticGradient } from '../../src/completion/gradients.js';
import { balancedNetwork, plantDeadPerturbation } from '../../src/completion/instances.js';
import {
  fullObservedSet,
  maskMatrix,
  observedSet,
  observedSetFromPattern,
  randomObservedSet,
} from '../../src/completion/mask.js';
import { createOptimizer, normalizeOptimizer } from '../../src/completion/optimizers.js';
import { Trainer, train } from '../../src/completion/train.js';
import { convertDecay, decayCoefficient, decayPenalty } from '../../src/completion/weight-decay.js';
import { GradientDescent } from '../../src/dynamics/gradient-descent.js';
import { allocateState } from '../../src/dynamics/state.js';
import { DomainError, ShapeError } from '../../src/errors.js';
import { frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { svd } from '../../src/linalg/svd.js';
import { balancednessDefects } from '../../src/model/balancedness.js';
import { layerGradientsFromEndToEnd } from '../../src/model/gradients.js';
import { endToEndGradient, endToEndLoss } from '../../src/model/loss.js';
import { endToEnd } from '../../src/model/partial-products.js';
import { matrixWithSpectrum } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

const weightsFor = (rng: Rng, widths: number[], scale = 1): Matrix[] =>
  widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], scale / Math.sqrt(widths[l])));

describe('observed sets', () => {
  it('validate every pair and name the bad one', () => {
    expect(() =>
      observedSet(3, 4, [
        [0, 0],
        [3, 1],
      ]),
    ).toThrow(/mask\[1\]: \(3, 1\) lies outside the 3×4 matrix/);
    expect(() => observedSet(3, 4, [[0, -1]])).toThrow(/mask\[0\]: \(0, -1\) lies outside/);
    expect(() =>
      observedSet(3, 4, [
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/mask\[1\]: \(1, 1\) is listed twice/);
    expect(() => observedSet(3, 4, [[0.5, 1]])).toThrow(/must be integers/);
    expect(() => observedSet(3, 4, [])).toThrow(DomainError);
    expect(() =>
      observedSetFromPattern([
        [1, 0],
        [0, 2],
      ]),
    ).toThrow(/mask\[1\]\[1\]: expected 0 or 1/);
  });

  it('are stored row-major, so the same entries give the same set', () => {
    const a = observedSet(2, 3, [
      [1, 2],
      [0, 1],
      [1, 0],
    ]);
    expect(Array.from(a.row)).toEqual([0, 1, 1]);
    expect(Array.from(a.col)).toEqual([1, 0, 2]);
    expect(maskMatrix(a).toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(
      observedSetFromPattern([
        [0, 1, 0],
        [1, 0, 1],
      ]),
    ).toEqual(a);
  });

  it('random sets are seeded and cover every row and column by default', () => {
    const a = randomObservedSet(new Rng(4), 6, 5, { fraction: 0.3 });
    const b = randomObservedSet(new Rng(4), 6, 5, { fraction: 0.3 });
    expect(a).toEqual(b);
    const m = maskMatrix(a);
    for (let i = 0; i < 6; i++) expect(m.toArray()[i].some((x) => x === 1)).toBe(true);
    expect(randomObservedSet(new Rng(1), 4, 4, { count: 7 }).size).toBe(7);
    expect(() => randomObservedSet(new Rng(1), 4, 4, { fraction: 0 })).toThrow(/mask.fraction/);
  });
});

describe('product-only costs', () => {
  it("the completion cost is WJ's mean over observed entries (no ½) and its gradient passes the Taylor test", () => {
    const rng = new Rng(3);
    const target = gaussianMatrix(rng, 3, 4);
    const mask = randomObservedSet(rng, 3, 4, { fraction: 0.5 });
    const cost = new CompletionCost(target, mask);
    const a = gaussianMatrix(rng, 3, 4);
    let direct = 0;
    for (let k = 0; k < mask.size; k++)
      direct += (a.get(mask.row[k], mask.col[k]) - target.get(mask.row[k], mask.col[k])) ** 2;
    expect(cost.value(a)).toBeCloseTo(direct / mask.size, 14);
    const g = new Matrix(3, 4);
    expect(cost.gradientInto(a, g)).toBeCloseTo(cost.value(a), 14);
    const xi = gaussianMatrix(rng, 3, 4);
    let dir = 0;
    for (let i = 0; i < g.data.length; i++) dir += g.data[i] * xi.data[i];
    expect(checkTaylor((x) => cost.value(x[0]), [a], [xi], { derivative: dir }).status).toBe('pass');
    expect(cost.recoveryError(target)).toBe(0);
    expect(() => new CompletionCost(target, fullObservedSet(4, 3))).toThrow(ShapeError);
  });

  it('the regression cost matches src/model in every scale', () => {
    const rng = new Rng(5);
    const X = gaussianMatrix(rng, 3, 7),
      Y = gaussianMatrix(rng, 2, 7),
      a = gaussianMatrix(rng, 2, 3);
    for (const scale of ['half', 'sum', 'mean'] as const) {
      const cost = new RegressionCost(X, Y, scale);
      expect(cost.value(a)).toBeCloseTo(endToEndLoss(a, { X, Y }, scale), 12);
      const g = new Matrix(2, 3);
      cost.gradientInto(a, g);
      expect(checkIdentity(g, endToEndGradient(a, { X, Y }, scale), { scale: 10 * frobeniusNorm(g) }).status).toBe(
        'pass',
      );
    }
  });

  it('the mean of all per-sample gradients is the full gradient, through the network too', () => {
    const rng = new Rng(8);
    const widths = [4, 3, 5, 3];
    const w = weightsFor(rng, widths);
    for (const cost of [
      new CompletionCost(gaussianMatrix(rng, 3, 4), randomObservedSet(rng, 3, 4, { fraction: 0.6 })),
      new RegressionCost(gaussianMatrix(rng, 4, 6), gaussianMatrix(rng, 3, 6), 'mean'),
    ]) {
      const field = new ProductCostField(widths, cost);
      const full = allocateState(field.shapes),
        mean = allocateState(field.shapes);
      const c = field.dataGradientInto(w, full);
      const all = Int32Array.from({ length: cost.samples }, (_, k) => k);
      const sampled = new StochasticGradient(widths, cost).batchGradientInto(w, all, all.length, mean);
      expect(sampled).toBeCloseTo(c, 12);
      expect(checkIdentity(mean, full, { scale: 50 * Math.max(...full.map(frobeniusNorm), 1) }).status).toBe('pass');
      // and the field agrees with src/model's layer calculus on ∇C(A)
      const ref = layerGradientsFromEndToEnd(w, field.endToEndGradient);
      expect(checkIdentity(full, ref, { scale: 50 * Math.max(...ref.map(frobeniusNorm), 1) }).status).toBe('pass');
    }
  });
});

describe('weight decay conventions', () => {
  it('WJ λ‖θ‖² is canonical (λ/2)‖θ‖² with twice the λ, and the conversion is explicit', () => {
    expect(decayCoefficient({ lambda: 0.01, convention: 'wj' })).toBe(0.02);
    expect(decayCoefficient({ lambda: 0.01, convention: 'canonical' })).toBe(0.01);
    expect(convertDecay({ lambda: 0.01, convention: 'wj' }, 'canonical')).toEqual({
      lambda: 0.02,
      convention: 'canonical',
    });
    expect(convertDecay({ lambda: 0.02, convention: 'canonical' }, 'wj')).toEqual({ lambda: 0.01, convention: 'wj' });
    const w = [Matrix.from([[1, 2]]), Matrix.from([[3]])];
    expect(decayPenalty(w, { lambda: 0.5, convention: 'wj' })).toBeCloseTo(0.5 * 14, 14);
    expect(decayPenalty(w, { lambda: 1, convention: 'canonical' })).toBeCloseTo(7, 14);
    expect(() => decayCoefficient({ lambda: -1, convention: 'wj' })).toThrow(/weightDecay.lambda/);
    expect(() => decayCoefficient({ lambda: 1, convention: 'half' as never })).toThrow(/weightDecay.convention/);
  });

  it('one GD step on C + λ‖θ‖² obeys the drift identity C⁺ = (1 − 2ηλ)²C + η²(G_{ℓ+1}ᵀG_{ℓ+1} − G_ℓG_ℓᵀ)', () => {
    const rng = new Rng(12);
    const widths = [3, 4, 2];
    const cost = new CompletionCost(gaussianMatrix(rng, 2, 3), fullObservedSet(2, 3));
    const field = new ProductCostField(widths, cost);
    const w = weightsFor(rng, widths);
    const g = allocateState(field.shapes);
    field.dataGradientInto(w, g);
    const [eta, lambda] = [0.1, 0.3];
    const before = balancednessDefects(w)[0];
    const trainer = new Trainer(widths, cost, { optimizer: { kind: 'sgd' }, batch: 'full', seed: 1 });
    trainer.step(w, eta, lambda);
    const after = balancednessDefects(w)[0];
    const a = 1 - 2 * eta * lambda;
    const rhs = before.clone();
    const g2 = g[1],
      g1 = g[0];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let r = 0; r < 2; r++) s += g2.get(r, i) * g2.get(r, j);
        for (let c = 0; c < 3; c++) s -= g1.get(i, c) * g1.get(j, c);
        rhs.set(i, j, a * a * before.get(i, j) + eta * eta * s);
      }
    }
    expect(
      checkIdentity(after, rhs, { scale: 20 * (frobeniusNorm(w[0]) ** 2 + frobeniusNorm(w[1]) ** 2) }).status,
    ).toBe('pass');
  });
});

describe('optimizers', () => {
  it('validate their fields by name', () => {
    expect(() => normalizeOptimizer({ kind: 'sgd', momentum: 1 })).toThrow(/optimizer.momentum/);
    expect(() => normalizeOptimizer({ kind: 'adam', beta2: -0.1 })).toThrow(/optimizer.beta2/);
    expect(() => normalizeOptimizer({ kind: 'langevin', temperature: NaN })).toThrow(/optimizer.temperature/);
    expect(() => normalizeOptimizer({ kind: 'lbfgs' } as never)).toThrow(/optimizer.kind/);
  });

  it('the dead-component factor predicts a gradient-free scalar under SGD, heavy ball and Nesterov', () => {
    const [eta, mu] = [0.05, 0.4];
    for (const spec of [
      { kind: 'sgd' as const },
      { kind: 'sgd' as const, momentum: 0.7 },
      { kind: 'sgd' as const, momentum: 0.7, nesterov: true },
    ]) {
      const opt = createOptimizer(spec, [[1, 1]]);
      const x = [Matrix.from([[1]])],
        zero = [new Matrix(1, 1)];
      const values: number[] = [];
      for (let k = 0; k < 400; k++) {
        opt.step(x, zero, eta, mu, new Rng(1));
        values.push(Math.abs(x[0].data[0]));
      }
      const measured = Math.pow(values[399] / values[199], 1 / 200);
      expect(measured).toBeCloseTo(opt.deadComponentFactor(eta, mu)!, 8);
    }
    expect(createOptimizer({ kind: 'adam' }, [[1, 1]]).deadComponentFactor(0.1, 0.1)).toBeUndefined();
  });

  it('entrywise optimizers keep exact zeros (a coordinate-aligned dead direction) but Langevin does not', () => {
    const rng = new Rng(2);
    const widths = [3, 3, 3];
    const net = balancedNetwork(rng, widths, [1.5], { aligned: true });
    const cost = new CompletionCost(matrixWithSpectrum(rng, 3, 3, [3, 2]), fullObservedSet(3, 3));
    for (const [optimizer, keeps] of [
      [{ kind: 'adam' }, true],
      [{ kind: 'rmsprop' }, true],
      [{ kind: 'sign' }, true],
      [{ kind: 'langevin', temperature: 1e-6 }, false],
    ] as const) {
      const r = train({
        cost,
        weights: net.weights,
        optimizer,
        seed: 4,
        phases: [{ steps: 300, learningRate: 0.01, lambda: 0.001 }],
        recorder: false,
      });
      const deadRows = r.weights[0]
        .toArray()
        .slice(1)
        .flat()
        .concat(r.weights[1].toArray().flatMap((row) => row.slice(1)));
      expect(deadRows.every((x) => x === 0)).toBe(keeps);
    }
  });
});

describe('training', () => {
  const rng = new Rng(21);
  const widths = [4, 4, 4, 4];
  const cost = new CompletionCost(
    matrixWithSpectrum(rng, 4, 4, [2, 1]),
    randomObservedSet(rng, 4, 4, { fraction: 0.75 }),
  );
  const start = weightsFor(rng, widths, 0.5);

  it('is deterministic for a seed and different across seeds', () => {
    const run = (seed: number) =>
      train({
        cost,
        weights: start,
        optimizer: { kind: 'sgd' },
        seed,
        phases: [{ steps: 500, learningRate: 0.05, lambda: 0.01 }],
        recorder: false,
      }).weights;
    expect(run(3)).toEqual(run(3));
    expect(run(3)[0].data).not.toEqual(run(4)[0].data);
  });

  it('full-batch steps agree with src/dynamics GradientDescent on the same field', () => {
    const a = start.map((w) => w.clone()),
      b = start.map((w) => w.clone());
    const trainer = new Trainer(widths, cost, { optimizer: { kind: 'sgd' }, batch: 'full', seed: 1 });
    const gd = new GradientDescent(new ProductCostField(widths, cost, { lambda: 0.02, convention: 'wj' }), {
      learningRate: 0.05,
    });
    for (let k = 0; k < 50; k++) {
      trainer.step(a, 0.05, 0.02);
      gd.step(b);
    }
    expect(checkIdentity(a, b, { scale: 100 * Math.max(...a.map(frobeniusNorm)) }).status).toBe('pass');
  });

  it('a step allocates nothing (single entry, minibatch, full batch, momentum, Adam, Langevin)', () => {
    const original = globalThis.Float64Array;
    let count = 0;
    const trainers = [
      new Trainer(widths, cost, { optimizer: { kind: 'sgd' }, seed: 1 }),
      new Trainer(widths, cost, { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true }, batch: 3, seed: 1 }),
      new Trainer(widths, cost, { optimizer: { kind: 'sgd' }, batch: 'full', seed: 1 }),
      new Trainer(widths, cost, { optimizer: { kind: 'adam' }, seed: 1 }),
      new Trainer(widths, cost, { optimizer: { kind: 'langevin', temperature: 1e-6 }, seed: 1 }),
    ];
    const state = start.map((w) => w.clone());
    globalThis.Float64Array = new Proxy(original, {
      construct(target, args) {
        count++;
        return Reflect.construct(target, args);
      },
    });
    try {
      for (let k = 0; k < 20; k++) for (const t of trainers) t.step(state, 0.001, 0.01);
    } finally {
      globalThis.Float64Array = original;
    }
    expect(count).toBe(0);
  });

  it('a diverging run stops at once, names the step and keeps what it recorded', () => {
    const r = train({
      cost,
      weights: start,
      optimizer: { kind: 'sgd' },
      seed: 2,
      phases: [{ steps: 5000, learningRate: 50, lambda: 0 }],
      every: 1,
    });
    expect(r.status).toBe('diverged');
    expect(r.divergence!.reason).toMatch(/not finite|non-finite|divergence limit/);
    expect(r.steps).toBeLessThan(5000);
    const t = r.trajectory!;
    expect(t.step.length).toBeGreaterThan(1);
    expect(t.step[t.step.length - 1]).toBeLessThanOrEqual(r.steps);
    expect(t.cost.every(Number.isFinite)).toBe(true);
    expect(r.weights.every((w) => w.data.every(Number.isFinite))).toBe(true);
  });

  it('rejects bad phases by field', () => {
    const base = { cost, weights: start, optimizer: { kind: 'sgd' } as const, seed: 1 };
    expect(() => train({ ...base, phases: [{ steps: 10, learningRate: -0.1, lambda: 0 }] })).toThrow(
      /phases\[0\].learningRate/,
    );
    expect(() => train({ ...base, phases: [{ steps: 10, learningRate: 0.1, lambda: NaN }] })).toThrow(
      /phases\[0\].lambda/,
    );
    expect(() => train({ ...base, phases: [] })).toThrow(/phases/);
    expect(() => new Trainer([4, 4], cost, { optimizer: { kind: 'sgd' }, batch: 0, seed: 1 })).toThrow(/batch/);
    expect(() => new Trainer([3, 4], cost, { optimizer: { kind: 'sgd' }, seed: 1 })).toThrow(/widths\[0\]/);
  });
});

describe('instances', () => {
  it('balanced networks have the prescribed product spectrum, C_ℓ = 0, and planted perturbations only touch dead blocks', () => {
    const rng = new Rng(6);
    const net = balancedNetwork(rng, [5, 4, 4, 3], [2, 0.5]);
    const s = svd(endToEnd(net.weights)).s;
    expect(s[0]).toBeCloseTo(2, 12);
    expect(s[1]).toBeCloseTo(0.5, 12);
    expect(s[2]).toBeLessThan(1e-14);
    for (const c of balancednessDefects(net.weights)) expect(frobeniusNorm(c)).toBeLessThan(1e-14);
    const before = net.weights.map((w) => w.clone());
    plantDeadPerturbation(rng, net, 1e-3);
    net.weights.forEach((w, l) => {
      const diff = w.clone();
      for (let i = 0; i < diff.data.length; i++) diff.data[i] -= before[l].data[i];
      const ds = svd(diff).s;
      expect(ds[0]).toBeCloseTo(1e-3, 14); // a partial isometry times δ
      expect(svd(w).s[2] ?? 0).toBeCloseTo(1e-3, 6);
    });
    expect(() => balancedNetwork(rng, [3, 1, 3], [1, 1])).toThrow(/rank 2 exceeds the narrowest width 1/);
  });
});
