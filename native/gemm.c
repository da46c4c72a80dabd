/*
 * dlnv's native GEMM kernel (optional; built by `npm install` through node-gyp, see binding.gyp), a drop-in for the
 * WebAssembly kernel's gemm export (src/wasm/gemm.ts) on the same memory:
 *
 *   gemm(heap, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work)
 *     heap: a Float64Array over the whole WebAssembly memory (only its base address is used: a shared memory
 *           never moves, so a view made before the memory grew still works);
 *     op(A)(i, p) = f64 at a + i·ars + p·acs,  op(B)(p, j) = f64 at b + p·brs + j·bcs,  C(i, j) at c + i·ldc + 8j
 *     (byte offsets and strides); `work` is ignored (packing uses this thread's own buffer);
 *   gemmArrays(A, B, C, m, n, k, ars, acs, brs, bcs, ldc, accumulate): the same on three Float64Arrays (strides in
 *     elements), for ordinary matrices, which then need no copy into WebAssembly memory;
 *   gemmBatch(heap, args, count): `count` products one after the other, product i given by the twelve int32
 *     args[12i … 12i + 11] = m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate of gemm: one call from
 *     JavaScript for a chain of small products, whose call overhead (about 0.13 µs each) would rival their work.
 *
 * Why: WebAssembly SIMD is 128 bits wide, so a core does at most 8 flops per cycle there; AVX2 doubles that with
 * the same operations. Rounding is the contract of every dlnv kernel (src/linalg/kernels/gemm-js.ts): each entry is
 * ((c⁰ + a_0b_0) + a_1b_1) + … with a separate multiply and add — explicit _mm256_mul_pd/_mm256_add_pd (and their
 * 512-bit forms), compiled with -ffp-contract=off — so the result is bitwise the JavaScript and WebAssembly kernels'.
 *
 * Method: two paths, chosen per product at run time; which one runs never changes a bit.
 *   AVX-512 (when the CPU has AVX-512F; `useAvx512(false)` turns it off): whole blocks of 16 rows in 16×8 tiles,
 *     op(A) read in place (see wideTile); the last m mod 16 rows take the AVX2 path.
 *   AVX2: 4×8 register tiles (eight 4-wide accumulators), op(B) packed per 8-column panel (zero-padded), edge tiles
 *     through a local tile. op(A) is packed too — four rows at a time, contiguous in p (zero-padded) — when the
 *     product has at least PACK_A_PANELS panels to reuse it (measured at 64³ and 128³: 4–8% faster for op(A) as
 *     stored, 15–20% for a transposed op(A), whose rows are strided; copying by vectors where the layout allows,
 *     2–12% more, and op(B) rows that are contiguous by memcpy); narrower products (the helper thread's chunks)
 *     read op(A) in place through four row pointers (broadcast loads).
 * Panels of a transposed op(B) are packed by 4×4 transposes on both paths. The native code only runs when the CPU
 * has AVX2 (`available`); otherwise the module reports false and dlnv keeps WebAssembly.
 */
#include <node_api.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MR 4
#define NR 8

/* Panels of op(B) from which op(A) is packed as well. */
#define PACK_A_PANELS 4

/* This thread's packed op(B) panel (k×NR) and packed op(A) (⌈m/MR⌉·MR×k), grown as needed. */
static _Thread_local double* panel = NULL;
static _Thread_local size_t panelLength = 0;
static _Thread_local double* packedA = NULL;
static _Thread_local size_t packedALength = 0;

static double* grow(double** buffer, size_t* length, size_t values) {
  if (*length < values) {
    free(*buffer);
    *buffer = aligned_alloc(64, ((values * sizeof(double) + 63) / 64) * 64);
    *length = *buffer ? values : 0;
  }
  return *buffer;
}

static double* panelFor(size_t k) {
  return grow(&panel, &panelLength, k * NR);
}

/* One MR×NR tile: rows[ii] + p·rowStep[ii] (bytes) hold op(A)(i0 + ii, p); bp the packed panel; t the output
 * (ldt doubles apart), holding c⁰ when accumulating. */
__attribute__((target("avx2")))
static void tile(int k, const char* const rows[MR], const ptrdiff_t rowStep[MR], const double* bp, double* t, ptrdiff_t ldt, int accumulate) {
  __m256d c00, c01, c10, c11, c20, c21, c30, c31;
  if (accumulate) {
    c00 = _mm256_loadu_pd(t); c01 = _mm256_loadu_pd(t + 4);
    c10 = _mm256_loadu_pd(t + ldt); c11 = _mm256_loadu_pd(t + ldt + 4);
    c20 = _mm256_loadu_pd(t + 2 * ldt); c21 = _mm256_loadu_pd(t + 2 * ldt + 4);
    c30 = _mm256_loadu_pd(t + 3 * ldt); c31 = _mm256_loadu_pd(t + 3 * ldt + 4);
  } else {
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = _mm256_setzero_pd();
  }
  const char *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3];
  const ptrdiff_t s0 = rowStep[0], s1 = rowStep[1], s2 = rowStep[2], s3 = rowStep[3];
  for (int p = 0; p < k; p++, bp += NR, r0 += s0, r1 += s1, r2 += s2, r3 += s3) {
    const __m256d b0 = _mm256_load_pd(bp), b1 = _mm256_load_pd(bp + 4);
    __m256d a = _mm256_broadcast_sd((const double*)r0);
    c00 = _mm256_add_pd(c00, _mm256_mul_pd(a, b0)); c01 = _mm256_add_pd(c01, _mm256_mul_pd(a, b1));
    a = _mm256_broadcast_sd((const double*)r1);
    c10 = _mm256_add_pd(c10, _mm256_mul_pd(a, b0)); c11 = _mm256_add_pd(c11, _mm256_mul_pd(a, b1));
    a = _mm256_broadcast_sd((const double*)r2);
    c20 = _mm256_add_pd(c20, _mm256_mul_pd(a, b0)); c21 = _mm256_add_pd(c21, _mm256_mul_pd(a, b1));
    a = _mm256_broadcast_sd((const double*)r3);
    c30 = _mm256_add_pd(c30, _mm256_mul_pd(a, b0)); c31 = _mm256_add_pd(c31, _mm256_mul_pd(a, b1));
  }
  _mm256_storeu_pd(t, c00); _mm256_storeu_pd(t + 4, c01);
  _mm256_storeu_pd(t + ldt, c10); _mm256_storeu_pd(t + ldt + 4, c11);
  _mm256_storeu_pd(t + 2 * ldt, c20); _mm256_storeu_pd(t + 2 * ldt + 4, c21);
  _mm256_storeu_pd(t + 3 * ldt, c30); _mm256_storeu_pd(t + 3 * ldt + 4, c31);
}

/* One MR×NR tile as `tile`, with op(A)'s MR rows packed: ap[p·MR + ii] = op(A)(i0 + ii, p). */
__attribute__((target("avx2")))
static void packedTile(int k, const double* ap, const double* bp, double* t, ptrdiff_t ldt, int accumulate) {
  __m256d c00, c01, c10, c11, c20, c21, c30, c31;
  if (accumulate) {
    c00 = _mm256_loadu_pd(t); c01 = _mm256_loadu_pd(t + 4);
    c10 = _mm256_loadu_pd(t + ldt); c11 = _mm256_loadu_pd(t + ldt + 4);
    c20 = _mm256_loadu_pd(t + 2 * ldt); c21 = _mm256_loadu_pd(t + 2 * ldt + 4);
    c30 = _mm256_loadu_pd(t + 3 * ldt); c31 = _mm256_loadu_pd(t + 3 * ldt + 4);
  } else {
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = _mm256_setzero_pd();
  }
  for (int p = 0; p < k; p++, bp += NR, ap += MR) {
    const __m256d b0 = _mm256_load_pd(bp), b1 = _mm256_load_pd(bp + 4);
    __m256d a = _mm256_broadcast_sd(ap);
    c00 = _mm256_add_pd(c00, _mm256_mul_pd(a, b0)); c01 = _mm256_add_pd(c01, _mm256_mul_pd(a, b1));
    a = _mm256_broadcast_sd(ap + 1);
    c10 = _mm256_add_pd(c10, _mm256_mul_pd(a, b0)); c11 = _mm256_add_pd(c11, _mm256_mul_pd(a, b1));
    a = _mm256_broadcast_sd(ap + 2);
    c20 = _mm256_add_pd(c20, _mm256_mul_pd(a, b0)); c21 = _mm256_add_pd(c21, _mm256_mul_pd(a, b1));
    a = _mm256_broadcast_sd(ap + 3);
    c30 = _mm256_add_pd(c30, _mm256_mul_pd(a, b0)); c31 = _mm256_add_pd(c31, _mm256_mul_pd(a, b1));
  }
  _mm256_storeu_pd(t, c00); _mm256_storeu_pd(t + 4, c01);
  _mm256_storeu_pd(t + ldt, c10); _mm256_storeu_pd(t + ldt + 4, c11);
  _mm256_storeu_pd(t + 2 * ldt, c20); _mm256_storeu_pd(t + 2 * ldt + 4, c21);
  _mm256_storeu_pd(t + 3 * ldt, c30); _mm256_storeu_pd(t + 3 * ldt + 4, c31);
}

/* dst[r·ldd + q] = x_q[r] for the four vectors x_q at src + q·stride (bytes), r, q < 4: a 4×4 transpose. */
__attribute__((target("avx2")))
static inline void transpose4(const char* src, ptrdiff_t stride, double* dst, ptrdiff_t ldd) {
  const __m256d x0 = _mm256_loadu_pd((const double*)src), x1 = _mm256_loadu_pd((const double*)(src + stride));
  const __m256d x2 = _mm256_loadu_pd((const double*)(src + 2 * stride));
  const __m256d x3 = _mm256_loadu_pd((const double*)(src + 3 * stride));
  const __m256d t0 = _mm256_unpacklo_pd(x0, x1), t1 = _mm256_unpackhi_pd(x0, x1);
  const __m256d t2 = _mm256_unpacklo_pd(x2, x3), t3 = _mm256_unpackhi_pd(x2, x3);
  _mm256_storeu_pd(dst, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(dst + ldd, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(dst + 2 * ldd, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(dst + 3 * ldd, _mm256_permute2f128_pd(t1, t3, 0x31));
}

/*
 * Pack rows i0 … i0 + MR − 1 of op(A) (all present) into dst, p-major: dst[p·MR + ii] = op(A)(i0 + ii, p). The two
 * contiguous layouts are copied by vectors — rows contiguous in p (op(A) as stored: 4×4 transposes), or the MR
 * values of one p contiguous (a transposed op(A)) — anything else entry by entry. Copies only: no arithmetic.
 */
__attribute__((target("avx2")))
static void packRows(const char* src, ptrdiff_t ars, ptrdiff_t acs, int k, double* dst) {
  int p = 0;
  if (acs == (ptrdiff_t)sizeof(double)) {
    for (; p + 4 <= k; p += 4) transpose4(src + (ptrdiff_t)p * acs, ars, dst + (size_t)p * MR, MR);
  } else if (ars == (ptrdiff_t)sizeof(double)) {
    for (; p < k; p++) {
      _mm256_storeu_pd(dst + (size_t)p * MR, _mm256_loadu_pd((const double*)(src + (ptrdiff_t)p * acs)));
    }
  }
  for (; p < k; p++)
    for (int ii = 0; ii < MR; ii++) {
      dst[(size_t)p * MR + ii] = *(const double*)(src + (ptrdiff_t)ii * ars + (ptrdiff_t)p * acs);
    }
}

/*
 * Pack op(B)(p, j0 … j0 + NR − 1) for every p into dst (k×NR, p-major), zero beyond `cols` (padding only ever meets
 * padded outputs); src points at op(B)(0, j0). Rows contiguous in j are copied whole, columns contiguous in p (a
 * transposed op(B)) by 4×4 transposes, anything else entry by entry.
 */
__attribute__((target("avx2")))
static void packPanel(const char* src, ptrdiff_t brs, ptrdiff_t bcs, int k, int cols, double* dst) {
  int p = 0;
  if (cols == NR && bcs == (ptrdiff_t)sizeof(double)) {
    for (; p < k; p++) memcpy(dst + (size_t)p * NR, src + (ptrdiff_t)p * brs, NR * sizeof(double));
  } else if (cols == NR && brs == (ptrdiff_t)sizeof(double)) {
    for (; p + 4 <= k; p += 4)
      for (int jj = 0; jj < NR; jj += 4) transpose4(src + (ptrdiff_t)jj * bcs + (ptrdiff_t)p * brs, bcs, dst + (size_t)p * NR + jj, NR);
  }
  for (; p < k; p++)
    for (int jj = 0; jj < NR; jj++) dst[(size_t)p * NR + jj] = jj < cols ? *(const double*)(src + (ptrdiff_t)p * brs + (ptrdiff_t)jj * bcs) : 0.0;
}

/*
 * The AVX-512 path (chosen at run time when the CPU has AVX-512F): WR×NR = 16×8 register tiles, sixteen 8-wide
 * accumulators of the 32 vector registers, one load of op(B) and sixteen broadcasts of op(A) per p. Measured on
 * Zen 4 (one core, operands in L1): 54–55 GFLOP/s against 50–53 for the 4×8 AVX2 tile, whose 22 instructions per
 * 64 flops leave the front end, not the arithmetic, as the limit (separate 512-bit multiplies and adds reach 58
 * GFLOP/s there, the same as 256-bit ones); an 8×16 tile measured only 37–39 (cause not found). op(A) is read in
 * place whatever its strides (packing it, even by vectors, cost 3–6 % at 64³), op(B) too when its rows are
 * contiguous. The same separate multiply and add per entry in the same p order: the bits do not depend on the path.
 */
#define WR 16

/* Whether gemm takes the AVX-512 path: −1 until the module first loads (then whether the CPU has AVX-512F). */
static int wideEnabled = -1;

#define WIDE_ALL(F) F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15)
#define WIDE_LOAD(i) __m512d c##i = accumulate ? _mm512_loadu_pd(t + (i) * ldt) : _mm512_setzero_pd();
#define WIDE_STORE(i) _mm512_storeu_pd(t + (i) * ldt, c##i);
#define WIDE_STEP(row, offset, i) \
  c##i = _mm512_add_pd(c##i, _mm512_mul_pd(_mm512_set1_pd(*(const double*)((row) + (offset))), b));
#define WIDE_GROUP(row, i0, i1, i2, i3) \
  WIDE_STEP(row, 0, i0) WIDE_STEP(row, s1, i1) WIDE_STEP(row, s2, i2) WIDE_STEP(row, s3, i3)

/*
 * One WR×NR tile: op(A)(i0 + ii, p) at a + ii·ars + p·acs (bytes), bp[p·ldb + jj] = op(B)(p, j0 + jj) (packed or in
 * place), t the output (ldt doubles apart). The sixteen row addresses are four group pointers plus one of three
 * offsets (base + index addressing), so they stay in registers.
 */
__attribute__((target("avx512f")))
static void wideTile(int k, const char* a, ptrdiff_t ars, ptrdiff_t acs, const double* bp, ptrdiff_t ldb, double* t, ptrdiff_t ldt, int accumulate) {
  WIDE_ALL(WIDE_LOAD)
  const ptrdiff_t s1 = ars, s2 = 2 * ars, s3 = 3 * ars, s4 = 4 * ars;
  for (int p = 0; p < k; p++, bp += ldb, a += acs) {
    const __m512d b = _mm512_loadu_pd(bp);
    const char *r0 = a, *r4 = a + s4, *r8 = r4 + s4, *r12 = r8 + s4;
    WIDE_GROUP(r0, 0, 1, 2, 3) WIDE_GROUP(r4, 4, 5, 6, 7) WIDE_GROUP(r8, 8, 9, 10, 11) WIDE_GROUP(r12, 12, 13, 14, 15)
  }
  WIDE_ALL(WIDE_STORE)
}

/* gemm on the AVX-512 path, m a multiple of WR, k ≥ 1: op(B) one panel at a time, packed unless its rows are contiguous. */
__attribute__((target("avx512f")))
static void wideGemm(const char* A, const char* B, char* C, int m, int n, int k, ptrdiff_t a, int ars, int acs, ptrdiff_t b, int brs, int bcs, ptrdiff_t c, int ldc, int accumulate) {
  const int bInPlace = bcs == (int)sizeof(double) && brs % (int)sizeof(double) == 0;
  double* bp = panelFor((size_t)k);
  if (!bp) abort();
  const ptrdiff_t ldt = ldc / (ptrdiff_t)sizeof(double);
  for (int j0 = 0; j0 < n; j0 += NR) {
    const int cols = n - j0 < NR ? n - j0 : NR;
    const double* panelB = bp;
    ptrdiff_t ldb = NR;
    if (bInPlace && cols == NR) {
      panelB = (const double*)(B + b + (ptrdiff_t)j0 * bcs);
      ldb = brs / (int)sizeof(double);
    } else {
      packPanel(B + b + (ptrdiff_t)j0 * bcs, brs, bcs, k, cols, bp);
    }
    for (int i0 = 0; i0 < m; i0 += WR) {
      double* out = (double*)(C + c + (ptrdiff_t)i0 * ldc) + j0;
      const char* rows = A + a + (ptrdiff_t)i0 * ars;
      if (cols == NR) {
        wideTile(k, rows, ars, acs, panelB, ldb, out, ldt, accumulate);
        continue;
      }
      double t[WR * NR] = { 0 };
      for (int ii = 0; ii < WR; ii++)
        for (int jj = 0; jj < cols; jj++) t[ii * NR + jj] = accumulate ? out[ii * ldt + jj] : 0.0;
      wideTile(k, rows, ars, acs, panelB, ldb, t, NR, 1);
      for (int ii = 0; ii < WR; ii++)
        for (int jj = 0; jj < cols; jj++) out[ii * ldt + jj] = t[ii * NR + jj];
    }
  }
}

/* op(A), op(B) and C at byte offsets a, b, c (strides in bytes) from bases A, B and C. */
static void gemm(const char* A, const char* B, char* C, int m, int n, int k, ptrdiff_t a, int ars, int acs, ptrdiff_t b, int brs, int bcs, ptrdiff_t c, int ldc, int accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (int i = 0; i < m; i++) memset(C + c + (ptrdiff_t)i * ldc, 0, (size_t)n * sizeof(double));
    return;
  }
  if (wideEnabled > 0 && m >= WR) {
    // Whole blocks of WR rows on the AVX-512 path, the rest (fewer than WR rows) below.
    const int rows = m / WR * WR;
    wideGemm(A, B, C, rows, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate);
    if (rows == m) return;
    a += (ptrdiff_t)rows * ars;
    c += (ptrdiff_t)rows * ldc;
    m -= rows;
  }
  double* bp = panelFor((size_t)k);
  if (!bp) abort();
  static const double zero = 0;
  // Pack op(A) in blocks of MR rows, p-major, rows beyond m zero (their outputs are discarded).
  double* ap = NULL;
  if ((n + NR - 1) / NR >= PACK_A_PANELS) {
    const int mp = (m + MR - 1) / MR * MR;
    ap = grow(&packedA, &packedALength, (size_t)mp * (size_t)k);
    if (!ap) abort();
    for (int i0 = 0; i0 < mp; i0 += MR) {
      double* dst = ap + (size_t)i0 * (size_t)k;
      if (i0 + MR <= m) {
        packRows(A + a + (ptrdiff_t)i0 * ars, ars, acs, k, dst);
        continue;
      }
      for (int ii = 0; ii < MR; ii++) {
        const char* src = A + a + (ptrdiff_t)(i0 + ii) * ars;
        for (int p = 0; p < k; p++) {
          dst[(size_t)p * MR + ii] = i0 + ii < m ? *(const double*)(src + (ptrdiff_t)p * acs) : 0.0;
        }
      }
    }
  }
  for (int j0 = 0; j0 < n; j0 += NR) {
    const int cols = n - j0 < NR ? n - j0 : NR;
    packPanel(B + b + (ptrdiff_t)j0 * bcs, brs, bcs, k, cols, bp);
    for (int i0 = 0; i0 < m; i0 += MR) {
      const int valid = m - i0 < MR ? m - i0 : MR;
      const char* rows[MR];
      ptrdiff_t rowStep[MR];
      for (int ii = 0; ii < MR; ii++) {
        // Rows beyond m read a zero that never moves (step 0): their outputs are discarded.
        rows[ii] = ii < valid ? A + a + (ptrdiff_t)(i0 + ii) * ars : (const char*)&zero;
        rowStep[ii] = ii < valid ? acs : 0;
      }
      double* out = (double*)(C + c + (ptrdiff_t)i0 * ldc) + j0;
      const double* block = ap ? ap + (size_t)i0 * (size_t)k : NULL;
      if (valid == MR && cols == NR) {
        if (block) packedTile(k, block, bp, out, ldc / (ptrdiff_t)sizeof(double), accumulate);
        else tile(k, rows, rowStep, bp, out, ldc / (ptrdiff_t)sizeof(double), accumulate);
      } else {
        double t[MR * NR] = { 0 };
        for (int ii = 0; ii < valid; ii++)
          for (int jj = 0; jj < cols; jj++) t[ii * NR + jj] = accumulate ? out[ii * (ldc / (ptrdiff_t)sizeof(double)) + jj] : 0.0;
        if (block) packedTile(k, block, bp, t, NR, 1);
        else tile(k, rows, rowStep, bp, t, NR, 1);
        for (int ii = 0; ii < valid; ii++)
          for (int jj = 0; jj < cols; jj++) out[ii * (ldc / (ptrdiff_t)sizeof(double)) + jj] = t[ii * NR + jj];
      }
    }
  }
}

/* A Float64Array's first element (and the view's byte offset into its buffer), or NULL for anything else. */
static char* firstElement(napi_env env, napi_value value, size_t* offset) {
  void* data = NULL;
  napi_typedarray_type type;
  size_t length;
  napi_value buffer;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, offset) != napi_ok || type != napi_float64_array) return NULL;
  return (char*)data;
}

/* The int32 arguments argv[0 … count − 1]. */
static void integers(napi_env env, const napi_value* argv, int count, int* out) {
  for (int i = 0; i < count; i++) napi_get_value_int32(env, argv[i], &out[i]);
}

/* gemm(heap, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate[, work]): the WebAssembly export's interface. */
static napi_value gemmExport(napi_env env, napi_callback_info info) {
  size_t argc = 14, offset;
  napi_value argv[14];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char* first = argc >= 13 ? firstElement(env, argv[0], &offset) : NULL;
  if (!first) {
    napi_throw_type_error(env, NULL, "gemm(heap: Float64Array over the memory, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate)");
    return NULL;
  }
  int v[12];
  integers(env, argv + 1, 12, v);
  char* base = first - offset; // offsets count from the memory's start, not the view's
  gemm(base, base, base, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
  return NULL;
}

/*
 * gemmArrays(A, B, C, m, n, k, ars, acs, brs, bcs, ldc, accumulate): the same product on three Float64Arrays, each
 * operand starting at its view's first element, strides in elements (as src/linalg/products.ts holds them).
 */
static napi_value gemmArraysExport(napi_env env, napi_callback_info info) {
  size_t argc = 12, offset;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char* first[3] = { NULL, NULL, NULL };
  for (int i = 0; i < 3 && argc >= 12; i++) first[i] = firstElement(env, argv[i], &offset);
  if (!first[0] || !first[1] || !first[2]) {
    napi_throw_type_error(env, NULL, "gemmArrays(A, B, C: Float64Array, m, n, k, ars, acs, brs, bcs, ldc, accumulate)");
    return NULL;
  }
  int v[9];
  integers(env, argv + 3, 9, v);
  const int e = (int)sizeof(double);
  gemm(first[0], first[1], first[2], v[0], v[1], v[2], 0, e * v[3], e * v[4], 0, e * v[5], e * v[6], 0, e * v[7], v[8]);
  return NULL;
}

/* gemmBatch(heap, args: Int32Array, count): gemm for each product of the list, in order. */
static napi_value gemmBatchExport(napi_env env, napi_callback_info info) {
  size_t argc = 3, offset, argsOffset, length;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char* first = argc >= 3 ? firstElement(env, argv[0], &offset) : NULL;
  void* data = NULL;
  napi_typedarray_type type;
  napi_value buffer;
  int count = -1;
  if (argc >= 3) napi_get_value_int32(env, argv[2], &count);
  int list = argc >= 3 && napi_get_typedarray_info(env, argv[1], &type, &length, &data, &buffer, &argsOffset) == napi_ok;
  if (!first || !list || type != napi_int32_array || count < 0 || (size_t)count * 12 > length) {
    napi_throw_type_error(env, NULL, "gemmBatch(heap: Float64Array over the memory, args: Int32Array, 12 per product, count)");
    return NULL;
  }
  char* base = first - offset;
  const int32_t* v = (const int32_t*)data;
  for (int i = 0; i < count; i++, v += 12)
    gemm(base, base, base, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
  return NULL;
}

/* useAvx512(on): take the AVX-512 path where the CPU has it (the default) or not; returns whether it is taken. */
static napi_value useAvx512Export(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  bool on = false;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_value_bool(env, argv[0], &on) != napi_ok) {
    napi_throw_type_error(env, NULL, "useAvx512(on: boolean)");
    return NULL;
  }
  wideEnabled = on && __builtin_cpu_supports("avx512f");
  napi_get_boolean(env, wideEnabled, &result);
  return result;
}

NAPI_MODULE_INIT() {
  __builtin_cpu_init();
  if (wideEnabled < 0) wideEnabled = __builtin_cpu_supports("avx512f") != 0; // once: a worker's load keeps the choice
  napi_value fn, arrays, batch, available, avx512;
  // useAvx512 first: the bench's in-process CPU profiles (bench/lib/profile.ts) name the time in any of these
  // functions after the one created last (measured), which should be a product, not the switch.
  napi_create_function(env, "useAvx512", NAPI_AUTO_LENGTH, useAvx512Export, NULL, &avx512);
  napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, gemmExport, NULL, &fn);
  napi_create_function(env, "gemmArrays", NAPI_AUTO_LENGTH, gemmArraysExport, NULL, &arrays);
  napi_create_function(env, "gemmBatch", NAPI_AUTO_LENGTH, gemmBatchExport, NULL, &batch);
  napi_get_boolean(env, __builtin_cpu_supports("avx2"), &available);
  napi_set_named_property(env, exports, "gemm", fn);
  napi_set_named_property(env, exports, "gemmArrays", arrays);
  napi_set_named_property(env, exports, "gemmBatch", batch);
  napi_set_named_property(env, exports, "available", available);
  napi_set_named_property(env, exports, "useAvx512", avx512);
  return exports;
}
