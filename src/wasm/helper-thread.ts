import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { CONTROL, helperLoop, runChunks } from './helper-loop.js';
import { nativeKernel } from './native-gemm.js';

/**
 * After a job the helper spins this long for the next one before it sleeps: long enough to bridge the gaps between
 * the products of one integrator step (a few microseconds of JavaScript), short enough that an idle helper stops
 * taking a core almost at once.
 */
const SPIN_MILLISECONDS = 1;

/**
 * dlnv's second thread for large products, seen from the calling thread. Arenas whose memory is shared
 * (src/wasm/runtime.ts) register it here; a large product is then cut into column chunks that both threads claim
 * and compute (src/wasm/helper-loop.ts), and `run` returns when all are done. Results are bitwise those of one thread.
 *
 * The helper is a worker started from the source text of helperLoop and runChunks (with the native kernel when it is
 * built, src/wasm/native-gemm.ts); products pass through a control block of shared Int32 slots, memories through a
 * MessagePort the helper reads synchronously. The worker is unreferenced: it never keeps a process alive. Until it
 * runs (`ready`), callers compute products alone.
 */
export class HelperThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
  private readonly port: MessagePort;
  private readonly registrations: FinalizationRegistry<number>;
  private lastJob = 0;
  private lastMemory = 0;
  private broken = false;

  /** Start the helper on `module`, the kernel module compiled for a shared memory import. */
  constructor(module: WebAssembly.Module) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.unref();
    const source = `const t = require('node:worker_threads'), d = t.workerData;
${runChunks.toString()}
(${helperLoop.toString()})(d.control, d.module, d.native === null ? null : require(d.native), d.port, t.receiveMessageOnPort, d.spin);`;
    const worker = new Worker(source, {
      eval: true,
      workerData: {
        control: this.control,
        module,
        native: nativeKernel()?.path ?? null,
        port: port2,
        spin: SPIN_MILLISECONDS,
      },
      transferList: [port2],
    });
    worker.unref();
    worker.on('error', () => {
      this.broken = true;
    });
    this.registrations = new FinalizationRegistry((id) => this.port.postMessage({ forget: id }));
  }

  /** Whether products can be shared: false until the helper runs its loop (and for good if it failed to start). */
  get ready(): boolean {
    return !this.broken && Atomics.load(this.control, CONTROL.ready) === 1;
  }

  /** Whether the worker failed (to start, or later): products then stay on the calling thread. */
  get failed(): boolean {
    return this.broken;
  }

  /** Chunks the helper has computed so far. */
  get chunksHelped(): number {
    return Atomics.load(this.control, CONTROL.helped);
  }

  /** Share `memory` with the helper until `owner` is garbage-collected; returns the id products name it by. */
  register(memory: WebAssembly.Memory, owner: object): number {
    const id = ++this.lastMemory;
    this.port.postMessage({ id, memory });
    this.registrations.register(owner, id);
    return id;
  }

  /**
   * gemm(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, ·) on memory `id` (the kernel's export,
   * src/wasm/gemm.ts), in chunks of units of `width` columns computed by this thread with `kernel` and scratch `work`,
   * and by the helper with scratch `helperWork`. At most MAX_UNITS units; returns when all are done.
   */
  run(
    id: number,
    width: number,
    kernel: (memory: number) => (...args: number[]) => void,
    m: number,
    n: number,
    k: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    ldc: number,
    accumulate: number,
    work: number,
    helperWork: number,
  ): void {
    const s = this.control,
      at = CONTROL.args,
      units = Math.ceil(n / width);
    s[CONTROL.memory] = id;
    s[CONTROL.width] = width;
    s[at] = m;
    s[at + 1] = n;
    s[at + 2] = k;
    s[at + 3] = a;
    s[at + 4] = ars;
    s[at + 5] = acs;
    s[at + 6] = b;
    s[at + 7] = brs;
    s[at + 8] = bcs;
    s[at + 9] = c;
    s[at + 10] = ldc;
    s[at + 11] = accumulate;
    s[at + 12] = work;
    s[at + 13] = helperWork;
    Atomics.store(s, CONTROL.finished, 0);
    // Publishing the claims makes the slots above visible to whoever claims (Atomics are sequentially consistent).
    Atomics.store(s, CONTROL.next, units << 16);
    this.lastJob = (this.lastJob + 1) | 0;
    Atomics.store(s, CONTROL.job, this.lastJob);
    Atomics.notify(s, CONTROL.job);
    runChunks(s, kernel, false);
    // The helper may still hold a chunk: spin (the last chunks are small), then sleep in 1 ms slices.
    for (let spins = 1; Atomics.load(s, CONTROL.finished) !== units; spins++) {
      if ((spins & 0xffff) !== 0) continue;
      const finished = Atomics.load(s, CONTROL.finished);
      if (finished !== units) Atomics.wait(s, CONTROL.finished, finished, 1);
    }
    if (Atomics.load(s, CONTROL.failed) === 1) {
      throw new Error(
        'dlnv: a product failed in the WebAssembly kernel (a bug: please report it; DLNV_THREADS=1 runs without the helper thread)',
      );
    }
  }
}
