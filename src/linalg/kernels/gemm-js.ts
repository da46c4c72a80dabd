/**
 * The JavaScript GEMM kernel: C ← [C +] op(A)·op(B) on flat float64 storage given by offsets and strides (in
 * elements), so one routine serves every op ('n'/'t' are strides) and any Float64Array (a Matrix's own storage
 * or a view of WebAssembly memory).
 *
 *   op(A)(i, p) = A[a + i·ars + p·acs],  op(B)(p, j) = B[b + p·brs + j·bcs],  C(i, j) = C[c + i·ldc + j].
 *
 * Order of operations (the contract shared with the WebAssembly kernel, src/wasm/gemm.ts): every entry is
 * ((c⁰ + a_0b_0) + a_1b_1) + … + a_{k−1}b_{k−1}, one accumulator per entry, separate multiply and add, c⁰ = 0 or
 * the old C(i, j) when accumulating. Both kernels therefore return bitwise identical results, and which one runs
 * (a size threshold, or whether WebAssembly is available) never changes a number. No entry is ever skipped:
 * 0·NaN stays NaN. C must not overlap A or B. Allocates nothing.
 */
export function gemmJs(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  a: number,
  ars: number,
  acs: number,
  B: Float64Array,
  b: number,
  brs: number,
  bcs: number,
  C: Float64Array,
  c: number,
  ldc: number,
  accumulate: boolean,
): void {
  // Tiles of 2 rows × 4 columns: eight accumulators held in registers across the whole inner loop.
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = a + i * ars,
      a1 = a0 + ars,
      c0 = c + i * ldc,
      c1 = c0 + ldc;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      if (accumulate) {
        s00 = C[c0 + j];
        s01 = C[c0 + j + 1];
        s02 = C[c0 + j + 2];
        s03 = C[c0 + j + 3];
        s10 = C[c1 + j];
        s11 = C[c1 + j + 1];
        s12 = C[c1 + j + 2];
        s13 = C[c1 + j + 3];
      }
      let pb = b + j * bcs,
        pa0 = a0,
        pa1 = a1;
      for (let p = 0; p < k; p++) {
        const x0 = A[pa0],
          x1 = A[pa1];
        const y0 = B[pb],
          y1 = B[pb + bcs],
          y2 = B[pb + 2 * bcs],
          y3 = B[pb + 3 * bcs];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        pa0 += acs;
        pa1 += acs;
        pb += brs;
      }
      C[c0 + j] = s00;
      C[c0 + j + 1] = s01;
      C[c0 + j + 2] = s02;
      C[c0 + j + 3] = s03;
      C[c1 + j] = s10;
      C[c1 + j + 1] = s11;
      C[c1 + j + 2] = s12;
      C[c1 + j + 3] = s13;
    }
    for (; j < n; j++) {
      let s0 = accumulate ? C[c0 + j] : 0,
        s1 = accumulate ? C[c1 + j] : 0;
      let pb = b + j * bcs,
        pa0 = a0,
        pa1 = a1;
      for (let p = 0; p < k; p++) {
        const y = B[pb];
        s0 += A[pa0] * y;
        s1 += A[pa1] * y;
        pa0 += acs;
        pa1 += acs;
        pb += brs;
      }
      C[c0 + j] = s0;
      C[c1 + j] = s1;
    }
  }
  for (; i < m; i++) {
    const a0 = a + i * ars,
      c0 = c + i * ldc;
    for (let j = 0; j < n; j++) {
      let s = accumulate ? C[c0 + j] : 0;
      let pb = b + j * bcs,
        pa = a0;
      for (let p = 0; p < k; p++) {
        s += A[pa] * B[pb];
        pa += acs;
        pb += brs;
      }
      C[c0 + j] = s;
    }
  }
}
