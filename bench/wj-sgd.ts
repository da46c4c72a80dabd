// Benchmark (not a timed test): the 20 000-step single-entry SGD run of THEORY §4 at d = 8, L = 3 (issue 5 asks
// for < 2 s). Run with `npx tsc -p tsconfig.build.json && node dist/bench/wj-sgd.js`.
// Reports the median and spread over repeats of: the bare training loop (Trainer.step, no recording), the same
// through train() with the rank recorder at its default cadence (200 observations with SVDs), and the per-step
// cost in nanoseconds. The loop allocates nothing (test/completion checks that), so the time is arithmetic.
import { CompletionCost } from '../src/completion/cost.js';
import { randomObservedSet } from '../src/completion/mask.js';
import { Trainer, train } from '../src/completion/train.js';
import type { Matrix } from '../src/linalg/matrix.js';
import { matrixWithSpectrum } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { Rng } from '../src/random/rng.js';

const D = 8,
  DEPTH = 3,
  STEPS = 20_000,
  REPEATS = 9;
const ETA = 0.02,
  LAMBDA = 0.01;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

const rng = new Rng(2024);
const widths = new Array(DEPTH + 1).fill(D);
const cost = new CompletionCost(
  matrixWithSpectrum(rng, D, D, [4, 2, 1]),
  randomObservedSet(rng, D, D, { fraction: 0.5 }),
);
const start: Matrix[] = widths.slice(1).map((d, l) => gaussianMatrix(rng, d, widths[l], 0.3 / Math.sqrt(widths[l])));

function bareLoop(): number {
  const trainer = new Trainer(widths, cost, { optimizer: { kind: 'sgd' }, batch: 1, seed: 7 });
  const state = start.map((w) => w.clone());
  const t0 = now();
  for (let k = 0; k < STEPS; k++) trainer.step(state, ETA, LAMBDA);
  return now() - t0;
}

function recorded(): number {
  const t0 = now();
  train({
    cost,
    weights: start,
    optimizer: { kind: 'sgd' },
    batch: 1,
    seed: 7,
    phases: [{ steps: STEPS, learningRate: ETA, lambda: LAMBDA }],
  });
  return now() - t0;
}

// Warm-up for the JIT, then the timed repeats.
bareLoop();
recorded();
const bare = stats(Array.from({ length: REPEATS }, bareLoop));
const withRecorder = stats(Array.from({ length: REPEATS }, recorded));
const row = (label: string, t: { median: number; min: number; max: number }): string =>
  `${label.padEnd(58)} ${t.median.toFixed(3).padStart(7)} s  [${t.min.toFixed(3)} – ${t.max.toFixed(3)}]  ${((t.median / STEPS) * 1e9).toFixed(0).padStart(6)} ns/step`;
console.log(
  `wj-sgd: ${STEPS} single-entry SGD steps, d = ${D}, L = ${DEPTH}, completion of 8×8 from ${cost.samples} entries, η = ${ETA}, λ = ${LAMBDA} (WJ); median of ${REPEATS}`,
);
console.log(row('bare loop (Trainer.step)', bare));
console.log(row('train() with the rank recorder (200 observations, SVDs)', withRecorder));
console.log(
  `issue 5 budget: < 2 s — ${withRecorder.median < 2 ? 'met' : 'NOT met'} (${(2 / withRecorder.median).toFixed(0)}× headroom with recording)`,
);
