import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { switchedOff } from './environment.js';

/**
 * The optional native GEMM kernel (native/gemm.c, built on request by `npm run build:native` through node-gyp into
 * build/Release/dlnv_native.node): a drop-in for the WebAssembly kernel's gemm export on the same memory, with AVX2
 * (and AVX-512 where the CPU has it) instead of 128-bit SIMD and bitwise the same results. Arenas
 * (src/wasm/runtime.ts) and the helper thread use it, and so does multiplyInto on ordinary matrices (no copy into
 * WebAssembly memory), when it loaded and the CPU has AVX2; otherwise, or with DLNV_NATIVE=0, products stay in
 * WebAssembly.
 */
export interface NativeKernel {
  /** gemm(heap, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work): see native/gemm.c. */
  gemm(heap: Float64Array, ...args: number[]): void;
  /** The same product on three arrays, strides in elements: see native/gemm.c. */
  gemmArrays(
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
    m: number,
    n: number,
    k: number,
    ars: number,
    acs: number,
    brs: number,
    bcs: number,
    ldc: number,
    accumulate: number,
  ): void;
  /** gemmBatch(heap, args, count): `count` products of twelve int32 arguments each (gemm's), in order. */
  gemmBatch?(heap: Float64Array, args: Int32Array, count: number): void;
  /** Take the AVX-512 path where the CPU has it (the default) or not; whether it is taken (absent in old builds). */
  useAvx512?(on: boolean): boolean;
  readonly available: boolean;
}

/** The native kernel's register tile (MR, NR in native/gemm.c): two-thread products cut columns in multiples of nr. */
export const NATIVE_TILE = { mr: 4, nr: 8 } as const;

/** Where the built module is, from this file in src/wasm/ (vitest) or in dist/src/wasm/ (the compiled package). */
const candidates = ['../../build/Release/dlnv_native.node', '../../../build/Release/dlnv_native.node'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

let loaded: { kernel: NativeKernel; path: string } | null | undefined;
let enabled = true;

/** Switch the native kernel off (or back on) for arenas made from now on; results are the same either way. */
export function setNativeEnabled(on: boolean): void {
  enabled = on;
}

/** The native kernel and its path, or null when it is not built, cannot load, lacks AVX2 or DLNV_NATIVE=0. */
export function nativeKernel(): { kernel: NativeKernel; path: string } | null {
  if (!enabled) return null;
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (switchedOff('DLNV_NATIVE')) return loaded;
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) return loaded;
  try {
    const kernel = createRequire(import.meta.url)(path) as NativeKernel;
    if (kernel.available && typeof kernel.gemm === 'function' && typeof kernel.gemmArrays === 'function')
      loaded = { kernel, path };
  } catch {
    loaded = null;
  }
  return loaded;
}
