import { afterEach, describe, expect, it } from 'vitest';
import { CompletionCost } from '../../src/completion/cost.js';
import { randomObservedSet } from '../../src/completion/mask.js';
import { Trainer, train } from '../../src/completion/train.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';
import { arenaOf, setWasmEnabled, wasmAvailable } from '../../src/wasm/runtime.js';

/**
 * Plain single-entry SGD takes the rank-one path (src/completion/single-entry-sgd.ts): JavaScript loops on any
 * state, WebAssembly kernels (src/wasm/sgd.ts) on the trainer's own state in an arena. The three must agree: the
 * two fast paths bit for bit (Object.is: −0 and NaN count), the fast path and the general (dense) path up to the
 * sign of a zero.
 */

afterEach(() => setWasmEnabled(true));

interface Case {
  readonly widths: number[];
  readonly eta: number;
  readonly lambda: number;
}

/** Depths 1–4, odd and even (non-square) widths; μ = 0, a small μ, and ημ > ½ (decay entries checked). */
const cases: Case[] = [
  ...[
    [5, 3],
    [3, 7, 4],
    [6, 5, 7, 3],
    [4, 9, 2, 5, 3],
    [8, 6, 10, 4],
    [12, 12, 12, 12],
  ].flatMap((widths) => [
    { widths, eta: 0.05, lambda: 0 },
    { widths, eta: 0.05, lambda: 0.01 },
    { widths, eta: 0.3, lambda: 1 },
  ]),
];

function instance(widths: readonly number[], seed: number): { cost: CompletionCost; start: Matrix[] } {
  const rng = new Rng(seed);
  const dOut = widths[widths.length - 1],
    dIn = widths[0];
  const cost = new CompletionCost(
    gaussianMatrix(rng, dOut, dIn, 1),
    randomObservedSet(rng, dOut, dIn, { fraction: 0.6 }),
  );
  const start = widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], 0.8 / Math.sqrt(widths[l])));
  return { cost, start };
}

type Path = 'wasm' | 'javascript' | 'general';

/** `steps` steps from `start` on one path; returns the costs and the final weights. */
function run(
  path: Path,
  widths: readonly number[],
  cost: CompletionCost,
  start: readonly Matrix[],
  c: Case,
  steps: number,
  divergenceLimit?: number,
) {
  setWasmEnabled(path === 'wasm');
  const trainer = new Trainer(widths, cost, { optimizer: { kind: 'sgd' }, seed: 5, divergenceLimit });
  setWasmEnabled(true);
  if (path === 'general') trainer.gradientHook = () => {};
  const own = trainer.stepState();
  expect(own !== undefined).toBe(path === 'wasm');
  const state = own ?? start.map((w) => w.clone());
  state.forEach((w, l) => w.copyFrom(start[l]));
  const costs: number[] = [];
  for (let k = 0; k < steps; k++) costs.push(trainer.step(state, c.eta, c.lambda));
  return { costs, weights: state.map((w) => Array.from(w.data)) };
}

function expectBitwise(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < actual.length; k++)
    if (!Object.is(actual[k], expected[k])) expect.fail(`${what}[${k}]: ${actual[k]} ≠ ${expected[k]} (bitwise)`);
}

describe.runIf(wasmAvailable())('single-entry SGD in WebAssembly', () => {
  it.each(cases)(
    'is bitwise the JavaScript path and the general path for widths $widths, η = $eta, λ = $lambda',
    (c) => {
      const { cost, start } = instance(c.widths, c.widths.length * 100 + c.widths[0]);
      const wasm = run('wasm', c.widths, cost, start, c, 400);
      const js = run('javascript', c.widths, cost, start, c, 400);
      const general = run('general', c.widths, cost, start, c, 400);
      expectBitwise(wasm.costs, js.costs, 'cost');
      wasm.weights.forEach((w, l) => expectBitwise(w, js.weights[l], `W_${l + 1}`));
      // Up to the sign of a zero: === instead of Object.is.
      expect(js.costs.every((v, k) => v === general.costs[k])).toBe(true);
      js.weights.forEach((w, l) => expect(w.every((v, k) => v === general.weights[l][k])).toBe(true));
      expect(wasm.weights[0]).not.toEqual(Array.from(start[0].data));
    },
  );

  it('agrees with the JavaScript path through an overflow (the kernels report the non-finite entries)', () => {
    const c = { widths: [6, 5, 7, 3], eta: 4, lambda: 0 };
    const { cost, start } = instance(c.widths, 77);
    const wasm = run('wasm', c.widths, cost, start, c, 60, Infinity);
    const js = run('javascript', c.widths, cost, start, c, 60, Infinity);
    expect(wasm.weights.flat().some((v) => !Number.isFinite(v))).toBe(true);
    expectBitwise(wasm.costs, js.costs, 'cost');
    wasm.weights.forEach((w, l) => expectBitwise(w, js.weights[l], `W_${l + 1}`));
  });

  it('falls back to the general path on a state with an infinite entry', () => {
    const c = { widths: [4, 5, 3], eta: 0.05, lambda: 0.01 };
    const { cost, start } = instance(c.widths, 31);
    const trainer = new Trainer(c.widths, cost, { optimizer: { kind: 'sgd' }, seed: 5 });
    const state = trainer.stepState()!;
    state.forEach((w, l) => w.copyFrom(start[l]));
    trainer.step(state, c.eta, c.lambda);
    state[0].data[0] = Infinity;
    trainer.invalidate();
    const before = state.map((w) => Array.from(w.data));
    // The dense forward meets 0·∞ or ∞: the cost is not finite and the step is not applied (the rank-one path
    // reads one column of W_1 and would apply every step whose column is not column 0).
    for (let k = 0; k < 20; k++) expect(Number.isFinite(trainer.step(state, c.eta, c.lambda))).toBe(false);
    state.forEach((w, l) => expectBitwise(Array.from(w.data), before[l], `W_${l + 1}`));
  });

  it('train() steps in the arena and hands back plain weights, the same as without WebAssembly', () => {
    const widths = [7, 6, 5];
    const { cost, start } = instance(widths, 9);
    const seen: Float64Array[] = [];
    const go = () =>
      train({
        cost,
        weights: start,
        optimizer: { kind: 'sgd' },
        seed: 3,
        every: 50,
        recorder: {},
        phases: [
          { steps: 300, learningRate: 0.05, lambda: 0.01 },
          { steps: 200, learningRate: 0.02, lambda: 0.001 },
        ],
        // Writing into the state between steps must be seen by the next step (Trainer.invalidate).
        observer: (_step, state) => {
          seen.push(state[0].data);
          state[1].data[0] *= 0.5;
        },
      });
    setWasmEnabled(false);
    const js = go();
    setWasmEnabled(true);
    const fromJs = seen.splice(0);
    const wasm = go();
    expect(fromJs.some((d) => arenaOf(d) !== undefined)).toBe(false);
    expect(seen.every((d) => arenaOf(d) !== undefined)).toBe(true);
    expect(wasm.weights.some((w) => arenaOf(w.data) !== undefined)).toBe(false);
    expect(wasm.steps).toBe(500);
    wasm.weights.forEach((w, l) => expectBitwise(Array.from(w.data), Array.from(js.weights[l].data), `W_${l + 1}`));
    expect(wasm.trajectory).toEqual(js.trajectory);
  });
});
