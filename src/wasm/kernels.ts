import { ModuleBuilder, type MemoryImport } from './encoder.js';
import { gemmFunction } from './gemm.js';
import { axpyFunction, scaleFunction } from './elementwise.js';

/** dlnv's kernel module: gemm (src/wasm/gemm.ts), axpy and scale (src/wasm/elementwise.ts), on `env.memory`. */
export function buildKernelModule(memory: Omit<MemoryImport, 'module' | 'field'>): Uint8Array<ArrayBuffer> {
  const mod = new ModuleBuilder({ module: 'env', field: 'memory', ...memory });
  mod.add(gemmFunction(), 'gemm');
  mod.add(axpyFunction(), 'axpy');
  mod.add(scaleFunction(), 'scale');
  return mod.build();
}
