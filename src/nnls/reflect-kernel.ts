import { FunctionBuilder, ModuleBuilder } from '../wasm/encoder.js';
import { switchedOff } from '../wasm/environment.js';

/**
 * The active-set solver's hot loop in WebAssembly (f64x2, two rows per instruction): one Householder reflector
 * H = I − v vᵀ/h applied to four columns and their new multipliers, i.e. for k = 0..3, with c_k the address of row
 * p+1 of column k (row p, the head, just before it), v and y the rows p+1 … of the reflector and of Qᵀb:
 *
 *   s_k = (v0·head_k + Σ_i v_i c_k[i]) · (1/h);   head_k −= s_k·v0;   c_k[i] −= s_k·v_i;   out[k] = Σ_i c_k[i]·y_i
 *
 * Addresses in bytes, L rows after the head. The JavaScript loop in lawson-hanson.ts computes the same (its sums
 * in another order), and is what runs without WebAssembly SIMD or with DLNV_WASM=0.
 */
export type Reflect4 = (
  rows: number,
  v: number,
  y: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  v0: number,
  hInv: number,
  out: number,
) => void;

function reflect4Function(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64', 'f64', 'i32']);
  const [L, v, y] = [0, 1, 2],
    c = [3, 4, 5, 6],
    [v0, hInv, out] = [7, 8, 9];
  const bytes = f.local('i32'),
    end = f.local('i32');
  const acc = c.map(() => f.local('v128')),
    splat = c.map(() => f.local('v128'));
  const tail = c.map(() => f.local('f64')),
    s = c.map(() => f.local('f64'));
  const vv = f.local('v128'),
    yy = f.local('v128'),
    e = f.local('v128'),
    vs = f.local('f64'),
    ys = f.local('f64');
  const loop = (body: () => void): void => {
    f.i32Const(0).set(bytes);
    f.block().loop();
    f.get(bytes).get(end).i32GeS().brIf(1);
    body();
    f.get(bytes).i32Const(16).i32Add().set(bytes);
    f.br(0).end().end();
  };
  const odd = (body: () => void): void => {
    f.get(L).i32Const(1).i32And().if();
    body();
    f.end();
  };
  const at = (base: number): FunctionBuilder => f.get(base).get(bytes).i32Add();
  const head = (k: number): FunctionBuilder => f.get(c[k]).i32Const(8).i32Sub();
  // end = (L & ~1)·8: the paired rows, in bytes.
  f.get(L).i32Const(-2).i32And().i32Const(3).i32Shl().set(end);
  // Pass 1: s_k.
  loop(() => {
    at(v).v128Load().set(vv);
    for (let k = 0; k < 4; k++)
      f.get(acc[k]).get(vv).get(c[k]).get(bytes).i32Add().v128Load().simd('f64x2.mul').simd('f64x2.add').set(acc[k]);
  });
  odd(() => {
    at(v).f64Load().set(vs);
    for (let k = 0; k < 4; k++) {
      f.get(vs);
      at(c[k]).f64Load().f64Mul().set(tail[k]);
    }
  });
  for (let k = 0; k < 4; k++) {
    f.get(v0);
    head(k).f64Load().f64Mul();
    f.get(acc[k]).f64x2ExtractLane(0).get(acc[k]).f64x2ExtractLane(1).f64Add().f64Add();
    f.get(tail[k]).f64Add().get(hInv).f64Mul().set(s[k]);
    head(k);
    head(k).f64Load().get(s[k]).get(v0).f64Mul().f64Sub().f64Store();
    f.get(s[k]).simd('f64x2.splat').set(splat[k]);
    f.f64Const(0).simd('f64x2.splat').set(acc[k]);
    f.f64Const(0).set(tail[k]);
  }
  // Pass 2: update and multipliers.
  loop(() => {
    at(v).v128Load().set(vv);
    at(y).v128Load().set(yy);
    for (let k = 0; k < 4; k++) {
      at(c[k]).v128Load().get(splat[k]).get(vv).simd('f64x2.mul').simd('f64x2.sub').set(e);
      at(c[k]).get(e).v128Store();
      f.get(acc[k]).get(e).get(yy).simd('f64x2.mul').simd('f64x2.add').set(acc[k]);
    }
  });
  odd(() => {
    at(v).f64Load().set(vs);
    at(y).f64Load().set(ys);
    for (let k = 0; k < 4; k++) {
      at(c[k]);
      at(c[k]).f64Load().get(s[k]).get(vs).f64Mul().f64Sub();
      f.f64Store();
      at(c[k]).f64Load().get(ys).f64Mul().set(tail[k]);
    }
  });
  for (let k = 0; k < 4; k++) {
    f.get(out)
      .i32Const(8 * k)
      .i32Add();
    f.get(acc[k]).f64x2ExtractLane(0).get(acc[k]).f64x2ExtractLane(1).f64Add().get(tail[k]).f64Add();
    f.f64Store();
  }
  return f;
}

let compiled: WebAssembly.Module | null | undefined;
let enabled = true;

/** Use the kernel when available (true, the default) or the JavaScript loop (false): to compare the two. */
export function setReflectKernelEnabled(on: boolean): void {
  enabled = on;
}

/** Whether solves use the kernel. */
export function reflectKernelAvailable(): boolean {
  return enabled && kernelModule() !== null;
}

/** The compiled kernel module, or null without WebAssembly SIMD (or with DLNV_WASM=0). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (switchedOff('DLNV_WASM') || typeof WebAssembly !== 'object') return null;
  try {
    const mod = new ModuleBuilder({ module: 'env', field: 'memory', initialPages: 1 });
    mod.add(reflect4Function(), 'reflect4');
    const bytes = mod.build();
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * A memory of at least `bytes` bytes with the kernel instantiated on it, or null when the kernel is unavailable or the
 * memory cannot be had (the solver then runs its JavaScript loop).
 */
export function reflectKernel(bytes: number): { memory: WebAssembly.Memory; reflect4: Reflect4 } | null {
  const module = reflectKernelAvailable() ? kernelModule() : null;
  // wasm32 addresses 4 GiB at most; a problem beyond 2 GiB of working matrix stays in JavaScript.
  if (module === null || bytes > 2 ** 31) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  } catch {
    return null;
  }
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, reflect4: instance.exports.reflect4 as Reflect4 };
}
