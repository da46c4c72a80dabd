import { axpyFunction, scaleFunction } from './elementwise.js';
import { type MemoryImport, ModuleBuilder } from './encoder.js';
import { gemmFunction } from './gemm.js';
import { decayFunction, fusedFunction, matVecFunction } from './sgd.js';

/**
 * dlnv's kernel module: gemm (src/wasm/gemm.ts), axpy and scale (src/wasm/elementwise.ts), decay, fused and matVec
 * (src/wasm/sgd.ts), on `env.memory`.
 */
export function buildKernelModule(memory: Omit<MemoryImport, 'module' | 'field'>): Uint8Array<ArrayBuffer> {
  const mod = new ModuleBuilder({ module: 'env', field: 'memory', ...memory });
  mod.add(gemmFunction(), 'gemm');
  mod.add(axpyFunction(), 'axpy');
  mod.add(scaleFunction(), 'scale');
  mod.add(decayFunction(), 'decay');
  mod.add(fusedFunction(), 'fused');
  mod.add(matVecFunction(), 'matVec');
  return mod.build();
}
