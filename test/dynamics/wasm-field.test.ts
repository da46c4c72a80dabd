import { afterEach, describe, expect, it } from 'vitest';
import {
  allocateState,
  DlnGradientField,
  GradientDescent,
  ImplicitMidpoint,
  Rk4,
  runGradientDescent,
} from '../../src/dynamics/index.js';
import { callbackObserver } from '../../src/dynamics/observers.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { cloneWeights } from '../../src/model/network.js';
import { Rng } from '../../src/random/rng.js';
import { setWasmEnabled, wasmAvailable } from '../../src/wasm/runtime.js';
import { gaussianData, gaussianWeights } from './helpers.js';

/**
 * DlnGradientField runs its products in WebAssembly memory when the network is large enough; the JavaScript path
 * (small networks, or WebAssembly off) must give the same bits, and so must the fused gradient-descent step.
 */

function expectSameBits(a: readonly Matrix[], b: readonly Matrix[]): void {
  expect(a.length).toBe(b.length);
  for (let j = 0; j < a.length; j++) {
    for (let i = 0; i < a[j].data.length; i++) {
      if (!Object.is(a[j].data[i], b[j].data[i]))
        expect.fail(`layer ${j}, entry ${i}: ${a[j].data[i]} ≠ ${b[j].data[i]}`);
    }
  }
}

const original = globalThis.Float64Array;
function countFloat64Arrays(fn: () => void): number {
  let count = 0;
  globalThis.Float64Array = new Proxy(original, {
    construct(target, args) {
      count++;
      return Reflect.construct(target, args);
    },
  });
  try {
    fn();
  } finally {
    globalThis.Float64Array = original;
  }
  return count;
}

afterEach(() => {
  setWasmEnabled(true);
  globalThis.Float64Array = original;
});

const cases: { widths: number[]; weightDecay: number; scale: 'half' | 'sum' | 'mean' }[] = [
  { widths: [8, 8, 8, 8, 8], weightDecay: 0, scale: 'half' },
  { widths: [9, 12, 7, 10], weightDecay: 0.2, scale: 'mean' },
  { widths: [16, 5], weightDecay: 0.1, scale: 'sum' },
  { widths: [20, 24, 16, 24, 12], weightDecay: 0, scale: 'half' },
];

describe.runIf(wasmAvailable())('DlnGradientField in WebAssembly memory', () => {
  it.each(cases)(
    'gives bitwise the JavaScript path for widths $widths (λ = $weightDecay, $scale)',
    ({ widths, weightDecay, scale }) => {
      const rng = new Rng(77);
      const data = gaussianData(rng, widths[0], widths[widths.length - 1], 11);
      const ws = gaussianWeights(rng, widths, 1.1);
      const wasm = new DlnGradientField(widths, data, { weightDecay, scale });
      setWasmEnabled(false);
      const js = new DlnGradientField(widths, data, { weightDecay, scale });
      setWasmEnabled(true);
      // The fast field keeps its buffers in WebAssembly memory; the reference does not.
      expect(wasm.kernel).toBe('webassembly');
      expect(js.kernel).toBe('javascript');
      const [g1, g2, f1, f2] = [0, 1, 2, 3].map(() => allocateState(wasm.shapes));
      wasm.gradientInto(ws, g1);
      js.gradientInto(ws, g2);
      expectSameBits(g1, g2);
      expectSameBits([wasm.endToEndGradient, wasm.product], [js.endToEndGradient, js.product]);
      wasm.evaluate(0, ws, f1);
      js.evaluate(0, ws, f2);
      expectSameBits(f1, f2);
      for (let j = 0; j < ws.length; j++)
        for (let i = 0; i < f1[j].data.length; i++) expect(Object.is(f1[j].data[i], -g1[j].data[i])).toBe(true);
    },
  );

  it('takes gradient-descent steps (fused in the arena) bitwise like gradient-then-update, RK4 and midpoint likewise', () => {
    const rng = new Rng(78);
    const widths = [12, 10, 14, 12];
    const data = gaussianData(rng, 12, 12, 20);
    const start = gaussianWeights(rng, widths, 1);
    for (const weightDecay of [0, 0.05]) {
      const wasm = new DlnGradientField(widths, data, { weightDecay });
      setWasmEnabled(false);
      const js = new DlnGradientField(widths, data, { weightDecay });
      setWasmEnabled(true);
      // GradientDescent uses the fused step when the oracle has one; a momentum run (β > 0) never does.
      const a = cloneWeights(start),
        b = cloneWeights(start),
        c = cloneWeights(start);
      const gdFused = new GradientDescent(wasm, { learningRate: 0.02 });
      const gdJs = new GradientDescent(js, { learningRate: 0.02 });
      const manual = allocateState(wasm.shapes);
      for (let s = 0; s < 25; s++) {
        gdFused.step(a);
        gdJs.step(b);
        js.gradientInto(c, manual);
        for (let j = 0; j < c.length; j++)
          for (let i = 0; i < c[j].data.length; i++) c[j].data[i] -= 0.02 * manual[j].data[i];
      }
      expectSameBits(a, b);
      expectSameBits(a, c);
      expectSameBits(gdFused.gradient, gdJs.gradient);
      const r1 = cloneWeights(start),
        r2 = cloneWeights(start);
      const rk1 = new Rk4(wasm),
        rk2 = new Rk4(js);
      const im1 = new ImplicitMidpoint(wasm),
        im2 = new ImplicitMidpoint(js);
      for (let s = 0; s < 10; s++) {
        rk1.step(0, 0.01, r1);
        rk2.step(0, 0.01, r2);
        im1.step(0, 0.01, r1);
        im2.step(0, 0.01, r2);
      }
      expectSameBits(r1, r2);
    }
  });

  it('allocates no Float64Array in gradient, field or fused-step evaluations', () => {
    const rng = new Rng(79);
    const widths = [16, 16, 16, 16];
    const data = gaussianData(rng, 16, 16, 16);
    const ws = gaussianWeights(rng, widths, 1);
    const field = new DlnGradientField(widths, data, { weightDecay: 0.1 });
    expect(field.kernel).toBe('webassembly');
    const out = allocateState(field.shapes);
    const gd = new GradientDescent(field, { learningRate: 0.01 });
    const rk = new Rk4(field);
    const im = new ImplicitMidpoint(field);
    const state = cloneWeights(ws);
    // Warm everything up first (lazy compilation must not count), then count.
    field.gradientInto(state, out);
    gd.step(state);
    expect(
      countFloat64Arrays(() => {
        for (let i = 0; i < 5; i++) {
          field.gradientInto(state, out);
          field.evaluate(0, state, out);
          gd.step(state);
          rk.step(0, 0.01, state);
          im.step(0, 0.01, state);
        }
      }),
    ).toBe(0);
  });

  it('runs runGradientDescent in the arena (a parallel one from d = 48) with the same bits, observations and in-place result', () => {
    const rng = new Rng(80);
    for (const d of [12, 48]) {
      const widths = [d, d, d, d];
      const data = gaussianData(rng, d, d, d);
      const start = gaussianWeights(rng, widths, 1);
      const wasm = new DlnGradientField(widths, data);
      setWasmEnabled(false);
      const js = new DlnGradientField(widths, data);
      setWasmEnabled(true);
      expect([wasm.kernel, js.kernel]).toEqual(['webassembly', 'javascript']);
      const seen: Matrix[][][] = [[], []];
      const runs = [wasm, js].map((field, r) => {
        const state = cloneWeights(start);
        const observer = callbackObserver((_s, _t, ws) => void seen[r].push(cloneWeights(ws)));
        runGradientDescent(field, state, { learningRate: 0.01, steps: 12, every: 4, observer });
        return state;
      });
      expectSameBits(runs[0], runs[1]);
      expect(seen[0].length).toBe(4);
      seen[0].forEach((ws, i) => expectSameBits(ws, seen[1][i]));
      // An observer that throws leaves the caller's state at the step it saw (the steps run in place).
      const state = cloneWeights(start);
      let last: Matrix[] = [];
      const failing = callbackObserver((s, _t, ws) => {
        last = cloneWeights(ws);
        if (s === 8) throw new Error('stop');
      });
      expect(() =>
        runGradientDescent(wasm, state, { learningRate: 0.01, steps: 12, every: 4, observer: failing }),
      ).toThrow('stop');
      expectSameBits(state, last);
      expectSameBits(state, seen[1][2]);
    }
  });
});
