import { FunctionBuilder } from './encoder.js';

/**
 * Generators of dlnv's WebAssembly elementwise kernels (f64x2, two entries per instruction, a scalar step for an odd
 * length). Addresses in BYTES (8-byte aligned), lengths in entries; they are the source of the kernels, compiled
 * at run time with the GEMM (src/wasm/kernels.ts).
 *
 *   axpy(n, alpha, x, y):  y ← y + alpha·x
 *   scale(n, alpha, x, y): y ← alpha·x
 *
 * Rounding is the one of the obvious JavaScript loop (one multiply, one add per entry, both rounded), so
 * y − η·g written as axpy(−η, g, y) and −x as scale(−1, x) are bitwise what `y[i] -= eta * g[i]` and `-x[i]` give
 * (negation is exact, and a + (−b) = a − b in IEEE arithmetic).
 */

/** Emit `for (i = 0; i + 2 ≤ n; i += 2) vector(i); if (n odd) scalar(i)` with i counting bytes. */
export function pairs(
  f: FunctionBuilder,
  n: number,
  vector: (offset: number) => void,
  scalar: (offset: number) => void,
): void {
  const bytes = f.local('i32'),
    end = f.local('i32');
  // end = (n & ~1)·8: the byte length of the paired part.
  f.get(n).i32Const(-2).i32And().i32Const(3).i32Shl().set(end);
  f.i32Const(0).set(bytes);
  f.block().loop();
  f.get(bytes).get(end).i32GeS().brIf(1);
  vector(bytes);
  f.get(bytes).i32Const(16).i32Add().set(bytes);
  f.br(0).end().end();
  f.get(n).i32Const(1).i32And().if();
  scalar(bytes);
  f.end();
}

/** axpy(n: i32, alpha: f64, x: i32, y: i32): y ← y + alpha·x. */
export function axpyFunction(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'f64', 'i32', 'i32']);
  const [n, alpha, x, y] = [0, 1, 2, 3];
  const av = f.local('v128');
  f.get(alpha).simd('f64x2.splat').set(av);
  pairs(
    f,
    n,
    (i) => {
      f.get(y).get(i).i32Add();
      f.get(y).get(i).i32Add().v128Load();
      f.get(av).get(x).get(i).i32Add().v128Load().simd('f64x2.mul');
      f.simd('f64x2.add').v128Store();
    },
    (i) => {
      f.get(y).get(i).i32Add();
      f.get(y).get(i).i32Add().f64Load();
      f.get(alpha).get(x).get(i).i32Add().f64Load().f64Mul();
      f.f64Add().f64Store();
    },
  );
  return f;
}

/** scale(n: i32, alpha: f64, x: i32, y: i32): y ← alpha·x (x and y may be the same). */
export function scaleFunction(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'f64', 'i32', 'i32']);
  const [n, alpha, x, y] = [0, 1, 2, 3];
  const av = f.local('v128');
  f.get(alpha).simd('f64x2.splat').set(av);
  pairs(
    f,
    n,
    (i) => {
      f.get(y).get(i).i32Add();
      f.get(av).get(x).get(i).i32Add().v128Load().simd('f64x2.mul');
      f.v128Store();
    },
    (i) => {
      f.get(y).get(i).i32Add();
      f.get(alpha).get(x).get(i).i32Add().f64Load().f64Mul();
      f.f64Store();
    },
  );
  return f;
}
