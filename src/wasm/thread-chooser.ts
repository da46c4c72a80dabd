/**
 * Whether a large product should use the helper thread (src/wasm/helper-thread.ts), decided by measuring: the second
 * thread pays only while a core is free for it. When another process holds that core, the helper is descheduled with
 * chunks in hand, the calling thread waits for them, and both threads' spinning takes time from each other — measured
 * at W1 d = 128 on the 2-core machine under load: 1.6 s alone against 4.3 s with two threads (0.54 s on one).
 *
 * So products are timed, and the calling thread compares the two ways online: per size class (m·n·k within a power
 * of two), products run in windows of WINDOW_MILLISECONDS in the preferred way, and now and then one window in the
 * other way (a probe). Two threads are preferred only when they take at most SHARE_GAIN of one thread's time per
 * multiply-add (they cost a second core). Both estimates are averaged over windows (the preferred way's over its
 * windows, the other's over its probes), because on a loaded machine single windows scatter by tens of per cent. A
 * switch to one thread takes one probe that wins; a switch to two takes WINS_TO_SHARE probes in a row (the next one
 * right after a win): when in doubt, one thread, which is never slower than a busy second core. A probe that loses
 * doubles the number of windows before the next one (up to MAX_BACKOFF), so on a machine whose state does not change
 * the probes cost a small fraction of the time: with two threads 2× slower, about 1/(MAX_BACKOFF + 1) once backed
 * off. A two-thread window SLOWDOWN_ALARM times slower than its estimate (the machine got busier) brings the probe
 * forward, and a two-thread window that far behind one thread's estimate ends early and calls a probe. A new size class starts with the way the last decision preferred.
 *
 * Results do not depend on the choice: both ways give the same bits (src/wasm/helper-loop.ts). Times are passed in,
 * so the decisions are reproducible in tests.
 */

/** Wall time of products that make one window of measurement. */
export const WINDOW_MILLISECONDS = 20;
/** Most windows between two probes. */
export const MAX_BACKOFF = 64;
/** Two threads are preferred only when their time per multiply-add is at most this fraction of one thread's. */
export const SHARE_GAIN = 0.85;
/** Probes in a row that two threads must win before they are preferred. */
export const WINS_TO_SHARE = 2;
/** A two-thread window (the preferred way) this many times slower than its estimate triggers a probe at once. */
export const SLOWDOWN_ALARM = 1.5;

type Threads = 1 | 2;

interface SizeClass {
  /** The way products go outside probes. */
  preferred: Threads;
  /** The way products go in the current window. */
  current: Threads;
  /** Milliseconds per multiply-add of each way, averaged over its windows (exponentially, weight ½). */
  readonly estimate: [number, number];
  /** Time and multiply-adds in the current window. */
  milliseconds: number;
  work: number;
  /** Windows of the preferred way left before the next probe, and the count it restarts from. */
  untilProbe: number;
  backoff: number;
  /** Probes in a row the other way has won. */
  wins: number;
}

export class ThreadChooser {
  private readonly classes = new Map<number, SizeClass>();
  private lastPreferred: Threads = 2;
  /** Products timed so far on one thread and on two. */
  readonly products: [number, number] = [0, 0];

  /** Whether the next product of m·n·k = `work` multiply-adds should use the helper thread. */
  twoThreads(work: number): boolean {
    return this.sizeClass(work).current === 2;
  }

  /** Record that a product of `work` multiply-adds took `milliseconds` the way twoThreads(work) said. */
  record(work: number, milliseconds: number): void {
    const c = this.sizeClass(work);
    this.products[c.current - 1]++;
    c.milliseconds += milliseconds;
    c.work += work;
    // A two-thread window already SLOWDOWN_ALARM times slower than one thread ends at once (and a preferred one calls
    // the probe): a helper descheduled with a chunk in hand costs the caller a scheduler's time slice per product,
    // which a whole window would multiply, and a window that happened to miss such a stall would hide it.
    const losing = c.current === 2 && c.milliseconds > SLOWDOWN_ALARM * c.work * c.estimate[0];
    if (c.milliseconds < WINDOW_MILLISECONDS && !losing) return;
    const rate = c.milliseconds / c.work,
      way = c.current;
    c.milliseconds = 0;
    c.work = 0;
    const before = c.estimate[way - 1];
    c.estimate[way - 1] = Number.isNaN(before) ? rate : (before + rate) / 2;
    if (way === c.preferred) {
      c.untilProbe = way === 2 && (losing || rate > SLOWDOWN_ALARM * before) ? 0 : c.untilProbe - 1;
      if (c.untilProbe <= 0) c.current = way === 1 ? 2 : 1;
      return;
    }
    const better: Threads = c.estimate[1] <= SHARE_GAIN * c.estimate[0] ? 2 : 1;
    if (better === c.preferred) {
      c.wins = 0;
      c.backoff = Math.min(2 * c.backoff, MAX_BACKOFF);
    } else if (++c.wins >= (better === 2 ? WINS_TO_SHARE : 1)) {
      c.preferred = this.lastPreferred = better;
      c.wins = 0;
      c.backoff = 1;
    }
    c.current = c.preferred;
    c.untilProbe = c.wins > 0 ? 1 : c.backoff;
  }

  private sizeClass(work: number): SizeClass {
    const key = Math.floor(Math.log2(work));
    let c = this.classes.get(key);
    if (c === undefined) {
      const way = this.lastPreferred;
      c = {
        preferred: way,
        current: way,
        estimate: [NaN, NaN],
        milliseconds: 0,
        work: 0,
        untilProbe: 1,
        backoff: 1,
        wins: 0,
      };
      this.classes.set(key, c);
    }
    return c;
  }
}
