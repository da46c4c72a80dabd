import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { MAX_BACKOFF, SHARE_GAIN, ThreadChooser, WINDOW_MILLISECONDS } from '../../src/wasm/thread-chooser.js';

/**
 * The chooser against a simulated machine: each product of WORK multiply-adds takes `one(i)` milliseconds on one
 * thread and `two(i)` on two (i: the product's index). It must end up on the faster way and spend little time on the
 * slower one.
 */

const WORK = 128 ** 3;

interface Run {
  /** Products that went to two threads, among the last `tail`. */
  readonly sharedInTail: number;
  /** Total simulated time. */
  readonly milliseconds: number;
}

function simulate(
  products: number,
  tail: number,
  one: (i: number) => number,
  two: (i: number) => number,
  chooser = new ThreadChooser(),
): Run {
  let sharedInTail = 0,
    milliseconds = 0;
  for (let i = 0; i < products; i++) {
    const shared = chooser.twoThreads(WORK);
    const ms = shared ? two(i) : one(i);
    chooser.record(WORK, ms);
    milliseconds += ms;
    if (shared && i >= products - tail) sharedInTail++;
  }
  return { sharedInTail, milliseconds };
}

describe('choosing one or two threads by measurement (src/wasm/thread-chooser.ts)', () => {
  // 0.1 ms per product on one thread: a window is WINDOW_MILLISECONDS / 0.1 products.
  const perWindow = WINDOW_MILLISECONDS / 0.1,
    products = 400 * perWindow;

  it('leaves the helper out when two threads are slower (a busy second core), at a small cost', () => {
    const run = simulate(
      products,
      products / 2,
      () => 0.1,
      () => 0.2,
    );
    // Backed off: at most one probe window in MAX_BACKOFF + 1, in the second half of the run.
    expect(run.sharedInTail / (products / 2)).toBeLessThanOrEqual(2 / (MAX_BACKOFF + 1));
    const alone = products * 0.1;
    expect(run.milliseconds / alone, 'time against one thread throughout').toBeLessThan(1.05);
  });

  it('keeps the helper when two threads are clearly faster (a free core)', () => {
    const run = simulate(
      products,
      products / 2,
      () => 0.1,
      () => 0.06,
    );
    expect(run.sharedInTail / (products / 2)).toBeGreaterThan(1 - 2 / (MAX_BACKOFF + 1));
  });

  it(`prefers one thread when two save less than ${Math.round(100 * (1 - SHARE_GAIN))} % (a second core is not free)`, () => {
    const run = simulate(
      products,
      products / 2,
      () => 0.1,
      () => 0.095,
    );
    expect(run.sharedInTail / (products / 2)).toBeLessThanOrEqual(2 / (MAX_BACKOFF + 1));
  });

  it('moves to one thread within a few windows when the second core becomes busy, and back when it is free again', () => {
    const chooser = new ThreadChooser();
    const busyFrom = products / 2;
    const busy = simulate(
      products,
      products / 4,
      () => 0.1,
      (i) => (i < busyFrom ? 0.06 : 0.25),
      chooser,
    );
    expect(busy.sharedInTail / (products / 4)).toBeLessThanOrEqual(2 / (MAX_BACKOFF + 1));
    // Free again: the next probe (at most MAX_BACKOFF + 1 windows away) finds two threads faster.
    const free = simulate(
      products,
      products / 4,
      () => 0.1,
      () => 0.06,
      chooser,
    );
    expect(free.sharedInTail / (products / 4)).toBeGreaterThan(1 - 2 / (MAX_BACKOFF + 1));
  });

  it('stays mostly on one thread on a loaded machine whose windows scatter, when two are 15 % slower', () => {
    // Seeded: the scheduler's slices make each stretch of products slower at random (±30 %), and now and then the
    // thread is descheduled for a while (4× slower) — heavy tails.
    const rng = new Rng(2020),
      seed = 'new Rng(2020)';
    let factor = 1;
    const noisy =
      (base: number) =>
      (i: number): number => {
        if (i % (perWindow / 4) === 0) factor = Math.exp(0.3 * rng.gaussian()) * (rng.uniform() < 0.15 ? 4 : 1);
        return base * factor;
      };
    const run = simulate(products, products, noisy(0.1), noisy(0.115));
    expect(run.sharedInTail / products, `shared fraction (${seed})`).toBeLessThan(0.08);
  });

  it('ends a two-thread probe at its first product when the helper is stuck', () => {
    const chooser = new ThreadChooser();
    // One thread 0.1 ms a product; two threads 5 ms (the helper descheduled with a chunk in hand).
    const ways: boolean[] = [];
    for (let i = 0; i < 20 * perWindow; i++) {
      const shared = chooser.twoThreads(WORK);
      chooser.record(WORK, shared ? 5 : 0.1);
      ways.push(shared);
    }
    // Runs of two-thread products after the first switch to one thread: each probe is a single product.
    const runs = ways
      .map((w) => (w ? '2' : '1'))
      .join('')
      .replace(/^2+/, '')
      .split('1')
      .filter((r) => r.length > 0);
    expect(runs.length).toBeGreaterThan(2);
    expect(
      runs.every((r) => r.length === 1),
      `probe lengths ${runs.map((r) => r.length)}`,
    ).toBe(true);
  });

  it('leaves two threads whose rare stalls make them slower on average, though most windows look fast', () => {
    // Two threads: 0.06 ms a product, but every 400th waits 60 ms for a descheduled helper (0.21 ms on average).
    const run = simulate(
      products,
      products / 2,
      () => 0.1,
      (i) => (i % 400 === 399 ? 60 : 0.06),
    );
    expect(run.sharedInTail / (products / 2)).toBeLessThan(0.1);
  });

  it('decides each size class on its own measurements', () => {
    const chooser = new ThreadChooser();
    const small = 40 ** 3;
    // Small products lose on two threads, large ones gain.
    const cost = (work: number, shared: boolean): number =>
      work === small ? (shared ? 0.2 : 0.1) : shared ? 0.06 : 0.1;
    const sharedCount = new Map([
      [small, 0],
      [WORK, 0],
    ]);
    const rounds = 400 * perWindow;
    for (let i = 0; i < rounds; i++) {
      for (const work of [small, WORK]) {
        const shared = chooser.twoThreads(work);
        chooser.record(work, cost(work, shared));
        if (shared && i >= rounds / 2) sharedCount.set(work, sharedCount.get(work)! + 1);
      }
    }
    expect(sharedCount.get(small)! / (rounds / 2)).toBeLessThanOrEqual(2 / (MAX_BACKOFF + 1));
    expect(sharedCount.get(WORK)! / (rounds / 2)).toBeGreaterThan(1 - 2 / (MAX_BACKOFF + 1));
  });
});
