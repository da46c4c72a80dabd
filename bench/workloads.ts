// The benchmark workloads of issue 9 (W1–W4): each builds a seeded instance, writes it where the NumPy reference
// (bench/numpy/) reads it, and returns the dlnv run. Both sides start from bitwise identical numbers, run the same
// algorithm for the same number of steps, and report a few results so the harness can check they agree (to
// round-off: the order of floating-point sums differs between dlnv's kernels and BLAS).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTaylor } from '../src/check/taylor.js';
import { CompletionCost, decayCoefficient, randomObservedSet, train } from '../src/completion/index.js';
import { DlnGradientField } from '../src/dynamics/dln-gradient-field.js';
import { runGradientDescent } from '../src/dynamics/gradient-descent.js';
import { integrateImplicitMidpoint } from '../src/dynamics/implicit-midpoint.js';
import { callbackObserver } from '../src/dynamics/observers.js';
import { integrateRk4 } from '../src/dynamics/rk4.js';
import { frobeniusInner } from '../src/linalg/frobenius.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import { maxBalancednessDefect } from '../src/model/balancedness.js';
import { layerGradients } from '../src/model/gradients.js';
import { loss } from '../src/model/loss.js';
import { matrixWithSpectrum } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { Rng } from '../src/random/rng.js';

/** What a workload reports to be compared with the NumPy side. */
export type Results = Record<string, number>;

export interface Workload {
  /** e.g. "W1 d=16". */
  readonly id: string;
  readonly group: 'W1' | 'W2' | 'W3' | 'W4';
  readonly description: string;
  /** Interleaved repeats per side by default (more for short workloads, whose medians are cheap to firm up). */
  readonly repeats: number;
  /** Useful floating-point operations of one run (products only), for GFLOP/s; 0 when not meaningful. */
  readonly flops: number;
  /** Minimum speed-up (NumPy time / dlnv time) the issue asks for, if any. */
  readonly target?: number;
  /** For rate workloads (W3): the count per run and its unit, e.g. 200 checks; and the rate target. */
  readonly rate?: { readonly count: number; readonly unit: string; readonly target?: number };
  /** Results that must agree between the two sides, with the relative tolerance and why. */
  readonly agreement: { readonly keys: readonly string[]; readonly rtol: number; readonly why: string };
  /** Build the instance (files under `dir`) and return the dlnv run and the NumPy request. */
  setup(dir: string): { dlnv: () => Results; numpy: { workload: string; args: object } };
}

function json(m: Matrix): { rows: number; cols: number; data: number[] } {
  return { rows: m.rows, cols: m.cols, data: Array.from(m.data) };
}

function write(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** W_j = I + (0.1/√d)·G_j: a well-conditioned start GD can run from at η = 0.01 for every d here. */
function nearIdentity(rng: Rng, d: number): Matrix {
  const w = gaussianMatrix(rng, d, d, 0.1 / Math.sqrt(d));
  for (let i = 0; i < d; i++) w.data[i * d + i] += 1;
  return w;
}

const W1_STEPS = 2000,
  W1_EVERY = 10,
  W1_DEPTH = 4,
  W1_ETA = 0.01;

/** W1: GD trajectory, N = 4 square layers of width d, X = I, recording the loss and max‖C_j‖ every 10 steps. */
export function w1(d: number, target: number): Workload {
  return {
    id: `W1 d=${d}`,
    group: 'W1',
    description: `GD, N = ${W1_DEPTH}, d = ${d}, X = I, ${W1_STEPS} steps, loss + max‖C_j‖ every ${W1_EVERY}`,
    repeats: d <= 64 ? 15 : 5,
    // Per step 3N − 2 + … products of d³: N − 1 forward, 1 for P·S_xx, 2(N − 1) backward = 3N − 2 = 10 for N = 4;
    // per observation 4 (loss) + 2(N − 1) (defects). Useful FLOPs = 2·d³ per product.
    flops: 2 * d ** 3 * (W1_STEPS * (3 * W1_DEPTH - 2) + (W1_STEPS / W1_EVERY + 1) * (W1_DEPTH + 2 * (W1_DEPTH - 1))),
    target,
    agreement: {
      keys: ['finalLoss', 'finalMaxDefect', 'observations'],
      rtol: 1e-8,
      why: 'the same 2000 GD steps; sums in a different order (round-off, amplified mildly along the trajectory)',
    },
    setup(dir) {
      const rng = new Rng(1000 + d);
      const X = Matrix.identity(d),
        Y = gaussianMatrix(rng, d, d, 1 / Math.sqrt(d));
      const start = Array.from({ length: W1_DEPTH }, () => nearIdentity(rng, d));
      const instance = write(dir, `w1-${d}.json`, {
        X: json(X),
        Y: json(Y),
        weights: start.map(json),
        learningRate: W1_ETA,
        steps: W1_STEPS,
        every: W1_EVERY,
      });
      const data = { X, Y };
      return {
        dlnv: () => {
          const weights = start.map((w) => w.clone());
          const losses: number[] = [],
            defects: number[] = [];
          const field = new DlnGradientField(new Array(W1_DEPTH + 1).fill(d), data);
          const observer = callbackObserver((_s, _t, state) => {
            losses.push(loss(state, data));
            defects.push(maxBalancednessDefect(state));
          });
          runGradientDescent(field, weights, { learningRate: W1_ETA, steps: W1_STEPS, every: W1_EVERY, observer });
          return {
            finalLoss: losses[losses.length - 1],
            finalMaxDefect: defects[defects.length - 1],
            observations: losses.length,
          };
        },
        numpy: { workload: 'w1', args: { instance } },
      };
    },
  };
}

const W2_D = 8,
  W2_DEPTH = 3,
  W2_SAMPLES = 16,
  W2_STEPS = 10_000,
  W2_T1 = 5;

/** W2: gradient flow, N = 3, d = 8, 10 000 steps of the implicit midpoint rule or of RK4. */
export function w2(method: 'implicit-midpoint' | 'rk4'): Workload {
  return {
    id: `W2 ${method}`,
    group: 'W2',
    repeats: 9,
    description: `gradient flow, N = ${W2_DEPTH}, d = ${W2_D}, m = ${W2_SAMPLES}, ${W2_STEPS} steps of ${method === 'rk4' ? 'RK4' : 'implicit midpoint (rtol 1e-13)'} to t = ${W2_T1}`,
    flops: 0,
    agreement: {
      keys: method === 'rk4' ? ['finalNorm', 'finalW1', 'evaluations'] : ['finalNorm', 'finalW1', 'evaluations'],
      rtol: 1e-9,
      why: 'the same steps (and the same fixed-point iteration counts); round-off only',
    },
    setup(dir) {
      const rng = new Rng(2000);
      const X = gaussianMatrix(rng, W2_D, W2_SAMPLES, 1 / Math.sqrt(W2_SAMPLES));
      const Y = gaussianMatrix(rng, W2_D, W2_SAMPLES, 1 / Math.sqrt(W2_SAMPLES));
      const start = Array.from({ length: W2_DEPTH }, () => nearIdentity(rng, W2_D));
      const instance = write(dir, `w2.json`, {
        X: json(X),
        Y: json(Y),
        weights: start.map(json),
        kappa: 1,
        weightDecay: 0,
        t1: W2_T1,
        steps: W2_STEPS,
      });
      const widths = new Array(W2_DEPTH + 1).fill(W2_D);
      return {
        dlnv: () => {
          const state = start.map((w) => w.clone());
          const field = new DlnGradientField(widths, { X, Y });
          let evaluations: number;
          if (method === 'rk4') evaluations = integrateRk4(field, state, { t1: W2_T1, steps: W2_STEPS }).evaluations;
          else evaluations = integrateImplicitMidpoint(field, state, { t1: W2_T1, steps: W2_STEPS }).evaluations;
          let s = 0;
          for (const w of state) s += frobeniusInner(w, w);
          return { finalNorm: Math.sqrt(s), finalW1: state[0].data[0], evaluations };
        },
        numpy: { workload: 'w2', args: { instance, method } },
      };
    },
  };
}

const W3_D = 8,
  W3_DEPTH = 4,
  W3_CHECKS = 200;

/** W3: Taylor-remainder checks of the layer gradients on random N = 4, d = 8 instances (checks per second). */
export function w3(): Workload {
  return {
    id: 'W3 taylor',
    group: 'W3',
    repeats: 9,
    description: `${W3_CHECKS} Taylor-remainder checks (checkTaylor, 33-point grid, both signs, noise probe) of ∇L, N = ${W3_DEPTH}, d = ${W3_D}, m = ${W3_D}`,
    flops: 0,
    rate: { count: W3_CHECKS, unit: 'checks/s', target: 2000 },
    agreement: {
      keys: ['checks', 'sumDerivative'],
      rtol: 1e-10,
      why: 'the same claimed derivatives ⟨∇L, ξ⟩ (round-off only)',
    },
    setup(dir) {
      const rng = new Rng(3000);
      const instances = Array.from({ length: W3_CHECKS }, () => ({
        X: gaussianMatrix(rng, W3_D, W3_D),
        Y: gaussianMatrix(rng, W3_D, W3_D),
        weights: Array.from({ length: W3_DEPTH }, () => gaussianMatrix(rng, W3_D, W3_D, 1 / Math.sqrt(W3_D))),
        direction: Array.from({ length: W3_DEPTH }, () => gaussianMatrix(rng, W3_D, W3_D)),
      }));
      const instance = write(dir, 'w3.json', {
        instances: instances.map((i) => ({
          X: json(i.X),
          Y: json(i.Y),
          weights: i.weights.map(json),
          direction: i.direction.map(json),
        })),
      });
      return {
        dlnv: () => {
          let passed = 0,
            sum = 0;
          for (const { X, Y, weights, direction } of instances) {
            const data = { X, Y };
            const grads = layerGradients(weights, data);
            let derivative = 0;
            for (let j = 0; j < grads.length; j++) derivative += frobeniusInner(grads[j], direction[j]);
            const verdict = checkTaylor((x) => loss(x, data), weights, direction, { derivative });
            if (verdict.status === 'pass') passed++;
            sum += derivative;
          }
          return { checks: instances.length, sumDerivative: sum, passed };
        },
        numpy: { workload: 'w3', args: { instance } },
      };
    },
  };
}

const W4_D = 32,
  W4_DEPTH = 3,
  W4_STEPS = 100_000,
  W4_ETA = 0.02,
  W4_LAMBDA = 1e-3,
  W4_SEED = 7;

/** W4: single-entry SGD with weight decay on matrix completion, d = 32, L = 3, through src/completion's train(). */
export function w4(target: number): Workload {
  return {
    id: 'W4 sgd',
    group: 'W4',
    repeats: 5,
    description: `single-entry SGD (src/completion train(), batch 1), λ = ${W4_LAMBDA} (WJ), η = ${W4_ETA}, completion d = ${W4_D}, L = ${W4_DEPTH}, ${W4_STEPS} steps`,
    flops: 0,
    target,
    agreement: {
      keys: ['finalCost', 'finalNorm'],
      rtol: 1e-6,
      why: 'the same sample stream and updates; round-off in the matrix–vector sums grows slowly over 100 000 SGD steps',
    },
    setup(dir) {
      const rng = new Rng(4000);
      const target = matrixWithSpectrum(rng, W4_D, W4_D, [4, 2, 1]);
      const mask = randomObservedSet(rng, W4_D, W4_D, { fraction: 0.5 });
      const cost = new CompletionCost(target, mask);
      const widths = new Array(W4_DEPTH + 1).fill(W4_D);
      const start = widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], 0.3 / Math.sqrt(widths[l])));
      // The Trainer draws sample s = ⌊u·S⌋ from Rng(seed) once per step: the same stream for NumPy.
      const stream = new Rng(W4_SEED),
        samples = new Int32Array(W4_STEPS);
      for (let k = 0; k < W4_STEPS; k++) samples[k] = Math.floor(stream.uniform() * cost.samples);
      const samplesFile = join(dir, 'w4-samples.i32');
      writeFileSync(samplesFile, new Uint8Array(samples.buffer));
      const values = Array.from(mask.row, (i, k) => target.data[i * W4_D + mask.col[k]]);
      const mu = decayCoefficient({ lambda: W4_LAMBDA, convention: 'wj' });
      const instance = write(dir, 'w4.json', {
        weights: start.map(json),
        row: Array.from(mask.row),
        col: Array.from(mask.col),
        values,
        samplesFile,
        learningRate: W4_ETA,
        mu,
        steps: W4_STEPS,
      });
      return {
        dlnv: () => {
          const result = train({
            cost,
            weights: start,
            optimizer: { kind: 'sgd' },
            batch: 1,
            seed: W4_SEED,
            recorder: false,
            every: W4_STEPS,
            phases: [{ steps: W4_STEPS, learningRate: W4_ETA, lambda: W4_LAMBDA }],
          });
          let product = result.weights[0],
            norm = 0;
          for (const w of result.weights) norm += frobeniusInner(w, w);
          for (let l = 1; l < result.weights.length; l++) product = multiply(result.weights[l], product);
          return { finalCost: cost.value(product), finalNorm: Math.sqrt(norm), steps: result.steps };
        },
        numpy: { workload: 'w4', args: { instance } },
      };
    },
  };
}
