import type { MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { NativeKernel } from './native-gemm.js';

/**
 * The shared half of dlnv's two-thread products (src/wasm/helper-thread.ts): the control block both threads read,
 * the chunk loop both threads run, and the helper thread's whole program.
 *
 * A product C ← [C +] op(A)·op(B) is cut into chunks of columns of C (each a gemm call of its own, with its own
 * packing of its columns of op(B)), and both threads claim chunks until none is left: if the helper is slow or
 * descheduled, the calling thread simply computes more of them, so a product never waits on a helper that has not
 * started. Chunks shrink as the product is used up (guided scheduling: a third of what is left, in units of `width`
 * columns), so the first claims are large — few calls — and the last ones small — little waiting at the end. Each
 * entry of C is computed by one thread in the kernel's fixed order, so the result is bitwise the same however the
 * chunks fall.
 */

/**
 * Slots of the control block, an Int32Array over a SharedArrayBuffer. The numbers are repeated as literals inside
 * runChunks and helperLoop, which run from their source text and cannot import them; test/wasm/helper-thread.test.ts
 * checks that the two agree.
 */
export const CONTROL = {
  /** Doorbell: bumped by the calling thread when a product is posted (the helper sleeps on it when idle). */
  job: 0,
  /** Claims: (units in the product) << 16 | next unclaimed unit. Posting a product sets it to units << 16. */
  next: 1,
  /** Units finished in the current product. */
  finished: 2,
  /** 1 once the helper runs its loop. */
  ready: 3,
  /** 1 when a chunk threw (a bug: the kernel only traps out of bounds). */
  failed: 4,
  /** Which registered memory the product runs on. */
  memory: 5,
  /** Columns per unit (the smallest chunk). */
  width: 6,
  /**
   * The arguments of the kernel's gemm export (src/wasm/gemm.ts) for the whole product, from this slot on: 12, then
   * the calling thread's scratch offset (the export's 13th) and the helper's.
   */
  args: 7,
  /** Chunks the helper has computed since it started (for reports). */
  helped: 21,
  /** Slots in all. */
  size: 22,
} as const;

/** Most units one product is cut into (the claim slot keeps them in 16 bits, and stays a positive Int32). */
export const MAX_UNITS = 32767;

type Gemm = (...args: number[]) => void;

/**
 * Claim and compute chunks of the posted product until none is left, as the calling thread or as the helper (which
 * decides the scratch used); `kernel(id)` is this thread's gemm export on memory `id`.
 *
 * A claim is a compare-and-swap of the claim slot from (units, u) to (units, u + size) with u < units and size a
 * third of what is left (rounded up): it can only succeed while units u … u + size − 1 of the live product are
 * unclaimed, and the product's arguments cannot change until every claimed unit is finished (the poster waits for
 * that), so the arguments are read after the claim. A thread that read the slot during an earlier product simply
 * fails its swap.
 */
export function runChunks(control: Int32Array, kernel: (memory: number) => Gemm, helper: boolean): void {
  for (;;) {
    const claim = Atomics.load(control, 1);
    const next = claim & 0xffff,
      units = claim >>> 16;
    if (next >= units) return;
    const size = Math.ceil((units - next) / 3);
    if (Atomics.compareExchange(control, 1, claim, claim + size) !== claim) continue;
    const s = control,
      first = next * s[6];
    try {
      // gemm(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work) on columns first … first + cols − 1.
      kernel(s[5])(
        s[7],
        Math.min(size * s[6], s[8] - first),
        s[9],
        s[10],
        s[11],
        s[12],
        s[13] + first * s[15],
        s[14],
        s[15],
        s[16] + 8 * first,
        s[17],
        s[18],
        s[helper ? 20 : 19],
      );
    } catch {
      Atomics.store(control, 4, 1);
    }
    if (helper) Atomics.add(control, 21, 1);
    Atomics.add(control, 2, size);
  }
}

/**
 * The helper thread's program: wait for the doorbell, run the chunk loop on the memory the product names, repeat.
 * Memories arrive as messages on `port` ({ id, memory } to register, { forget: id } when the arena is gone), read
 * synchronously when a product names a memory not yet seen, so the loop never returns to an event loop. Products
 * run in the native kernel when the caller passed it (bitwise the WebAssembly one), else in WebAssembly.
 *
 * Waiting: after a product the helper spins on the doorbell for `spinMilliseconds` — products come back to back
 * inside an integrator step, and waking a sleeping thread costs tens of microseconds — then sleeps in Atomics.wait,
 * so an idle helper costs no CPU.
 *
 * Started from its source text (with runChunks' beside it) in a worker with `eval`, so it refers to nothing else.
 */
export function helperLoop(
  control: Int32Array,
  module: WebAssembly.Module,
  native: NativeKernel | null,
  port: MessagePort,
  receive: typeof receiveMessageOnPort,
  spinMilliseconds: number,
): void {
  const kernels = new Map<number, Gemm>();
  const kernel = (id: number): Gemm => {
    // The poster sent the memory before the first product on it: read messages until it is here.
    for (let gemm = kernels.get(id); ; gemm = kernels.get(id)) {
      if (gemm !== undefined) return gemm;
      const received = receive(port);
      if (received === undefined) continue;
      const message = received.message as { id: number; memory: WebAssembly.Memory } | { forget: number };
      if ('forget' in message) kernels.delete(message.forget);
      else if (native === null)
        kernels.set(
          message.id,
          new WebAssembly.Instance(module, { env: { memory: message.memory } }).exports.gemm as Gemm,
        );
      else {
        // The native kernel reads the memory through a view of it (its base never moves: the memory is shared).
        const heap = new Float64Array(message.memory.buffer);
        kernels.set(message.id, (m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work) =>
          native.gemm(heap, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work),
        );
      }
    }
  };
  Atomics.store(control, 3, 1);
  let seen = 0;
  for (;;) {
    let job = Atomics.load(control, 0);
    if (job === seen) {
      const until = performance.now() + spinMilliseconds;
      for (let spins = 1; (job = Atomics.load(control, 0)) === seen; spins++) {
        if ((spins & 1023) === 0 && performance.now() > until) Atomics.wait(control, 0, seen);
      }
    }
    seen = job;
    runChunks(control, kernel, true);
  }
}
