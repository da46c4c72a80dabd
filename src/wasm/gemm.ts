import { FunctionBuilder, type MemoryImport, ModuleBuilder } from './encoder.js';

/**
 * Generator of dlnv's WebAssembly GEMM kernel (128-bit SIMD, f64x2), C ← [C +] op(A)·op(B) on matrices that live
 * in the module's memory. This TypeScript file is the kernel's source: the module bytes are generated from it at
 * run time (src/wasm/runtime.ts) and never stored.
 *
 * Exported function (all arguments i32; addresses and strides in BYTES):
 *   gemm(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work)
 *     op(A)(i, p) = f64 at a + i·ars + p·acs      (m×k; 'n' and 't' are just different strides)
 *     op(B)(p, j) = f64 at b + p·brs + j·bcs      (k×n)
 *     C(i, j)     = f64 at c + i·ldc + j·8        (m×n, rows contiguous)
 *     work: scratch of gemmWorkBytes(m, n, k) bytes (8-byte aligned), disjoint from A, B and C.
 *
 * Method: C is computed in MR×NR register tiles (MR·NR/2 f64x2 accumulators), each accumulated over the whole
 * inner dimension: per p, NR/2 vector loads of a row of the B panel, MR broadcast loads from the A panel, and one
 * f64x2 multiply and one add per accumulator. A "panel" is MR rows of op(A) (NR columns of op(B)) over all p:
 *   - op(B) is used in place when its rows are contiguous (bcs = 8, an 'n' operand), n is a multiple of NR and
 *     k ≤ 32; otherwise it is packed into zero-padded k×NR panels;
 *   - op(A) is used in place when m is a multiple of MR and either its columns are contiguous (ars = 8, a 't'
 *     operand: the MR values of a panel at constant offsets) or its rows are (acs = 8, an 'n' operand: MR row
 *     pointers); otherwise it is packed into zero-padded k×MR panels.
 * Partial tiles at the right and bottom edges go through a scratch tile, so padding never reaches C (a NaN in a
 * padded lane only meets padded outputs). No cache blocking beyond the panels: the rate measured flat from d = 64
 * to d = 384 (about 18 GFLOP/s on a quiet core), the sizes dlnv meets.
 * The 4×4 tile was chosen by measurement on AMD Zen 4 (V8 11): larger tiles spill accumulators (x64 has 16 XMM
 * registers, V8 keeps one as scratch) and unrolling the p loop makes V8 hoist loads and spill.
 *
 * Rounding: every entry is computed as ((c⁰ + a_0b_0) + a_1b_1) + … + a_{k−1}b_{k−1} with separate multiply and add
 * (no FMA), c⁰ = 0 or the old C(i, j) when accumulating: the textbook order, bitwise the result of a plain
 * triple loop with one accumulator per entry — and of the JavaScript kernel (src/linalg/kernels/gemm-js.ts), so
 * results never depend on which kernel ran.
 */

/** Variants, for measurements (the defaults are dlnv's choice). */
export interface GemmOptions {
  /** Read an 'n' op(A) in place through MR row offsets (default true) instead of packing it. */
  readonly rowsInPlace?: boolean;
  /** Largest k for which a row-contiguous op(B) is read in place (default DIRECT_B_MAX_K). */
  readonly directBMaxK?: number;
}

/** Register tile shape (mr rows, nr columns; nr even). */
export interface Tile {
  readonly mr: number;
  readonly nr: number;
}

/**
 * op(B) is read in place only up to this inner dimension: beyond it the k rows of a panel, one row stride apart,
 * compete for the same cache sets (measured: 12 GFLOP/s in place vs 19 packed at k = 64, equal at k = 32).
 */
const DIRECT_B_MAX_K = 32;

/** The tile dlnv uses. */
export const TILE: Tile = { mr: 4, nr: 4 };

/** Bytes of scratch gemm needs for an m×n×k product (an upper bound: packing may not be needed). */
export function gemmWorkBytes(m: number, n: number, k: number, tile: Tile = TILE): number {
  const mp = Math.ceil(m / tile.mr) * tile.mr,
    np = Math.ceil(n / tile.nr) * tile.nr;
  return 8 * (np * k + mp * k + tile.mr * tile.nr);
}

/** A module exporting `gemm` (see above) over an imported memory `env.memory` (for experiments with tiles). */
export function buildGemmModule(
  memory: Omit<MemoryImport, 'module' | 'field'>,
  tile: Tile = TILE,
  options: GemmOptions = {},
): Uint8Array<ArrayBuffer> {
  const mod = new ModuleBuilder({ module: 'env', field: 'memory', ...memory });
  mod.add(gemmFunction(tile, options), 'gemm');
  return mod.build();
}

/** The gemm function (see above) for the given register tile. */
export function gemmFunction(tile: Tile = TILE, options: GemmOptions = {}): FunctionBuilder {
  const { mr: MR, nr: NR } = tile;
  if (!(Number.isInteger(MR) && MR >= 1 && Number.isInteger(NR) && NR >= 2 && NR % 2 === 0)) {
    throw new RangeError(`gemm tile: need mr ≥ 1 and an even nr ≥ 2, received ${MR}×${NR}`);
  }
  const f = new FunctionBuilder(Array(13).fill('i32'));
  const [m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, work] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const local = (): number => f.local('i32');
  const scratch = local(),
    i0 = local(),
    j0 = local(),
    p = local(),
    src = local(),
    dst = local();
  // Panels: the panel of tile row i0 starts at aBase + (i0/MR)·aPanel, and moves by aStep per p (B likewise).
  const aBase = local(),
    aPanel = local(),
    aStep = local(),
    bBase = local(),
    bPanel = local(),
    bStep = local();
  const ap = local(),
    bp = local(),
    cptr = local(),
    cld = local(),
    acc = local(),
    full = local(),
    row = local(),
    q = local();
  const aRows = local(),
    rowOffset = Array.from({ length: MR }, (_, ii) => (ii === 0 ? -1 : local()));
  const VN = NR / 2;
  const accs: number[][] = [];
  for (let ii = 0; ii < MR; ii++) accs.push(Array.from({ length: VN }, () => f.local('v128')));
  const bv = Array.from({ length: VN }, () => f.local('v128'));
  const av = f.local('v128');

  /** for (counter = start; counter < limit; counter += step) body. */
  const forUp = (counter: number, start: () => void, limit: () => void, step: number, body: () => void): void => {
    start();
    f.set(counter);
    f.block().loop();
    f.get(counter);
    limit();
    f.i32GeS().brIf(1);
    body();
    f.get(counter).i32Const(step).i32Add().set(counter);
    f.br(0).end().end();
  };
  /** dst[lane·8] ← src[lane·stride] for lane < lanes, or 0 where guard(lane) fails (edge panels only). */
  const copyLanes = (lanes: number, stride: number, guard?: (lane: number) => void): void => {
    for (let l = 0; l < lanes; l++) {
      if (guard) {
        guard(l);
        f.if();
      }
      f.get(dst).get(src);
      if (l > 0) f.get(stride).i32Const(l).i32Mul().i32Add();
      f.f64Load().f64Store(l * 8);
      if (guard) {
        f.else();
        f.get(dst)
          .f64Const(0)
          .f64Store(l * 8);
        f.end();
      }
    }
  };
  /**
   * Pack `lanes`-wide panels of an operand: panel t (outer index t0 = t·lanes < outer) holds, for each p < k, the
   * values at base + (t0 + l)·laneStride + p·pStride, l < lanes, contiguously; lanes beyond `outer` are zero.
   */
  const pack = (
    outer: number,
    lanes: number,
    base: number,
    laneStride: number,
    pStride: number,
    into: number,
  ): void => {
    f.get(into).set(dst);
    forUp(
      i0,
      () => f.i32Const(0),
      () => f.get(outer),
      lanes,
      () => {
        f.get(base).get(i0).get(laneStride).i32Mul().i32Add().set(src);
        f.get(i0).i32Const(lanes).i32Add().get(outer).i32LeS().if();
        forUp(
          p,
          () => f.i32Const(0),
          () => f.get(k),
          1,
          () => {
            copyLanes(lanes, laneStride);
            f.get(dst)
              .i32Const(lanes * 8)
              .i32Add()
              .set(dst);
            f.get(src).get(pStride).i32Add().set(src);
          },
        );
        f.else();
        forUp(
          p,
          () => f.i32Const(0),
          () => f.get(k),
          1,
          () => {
            copyLanes(lanes, laneStride, (l) => f.get(i0).i32Const(l).i32Add().get(outer).i32LtS());
            f.get(dst)
              .i32Const(lanes * 8)
              .i32Add()
              .set(dst);
            f.get(src).get(pStride).i32Add().set(src);
          },
        );
        f.end();
      },
    );
  };

  // The scratch: packed B (⌈n/NR⌉ panels of k×NR), packed A (⌈m/MR⌉ panels of k×MR), one MR×NR tile.
  // op(B) in place, or packed.
  f.get(bcs)
    .i32Const(8)
    .i32Eq()
    .get(n)
    .i32Const(NR - 1)
    .i32And()
    .i32Eqz()
    .i32And()
    .get(k)
    .i32Const(options.directBMaxK ?? DIRECT_B_MAX_K)
    .i32LeS()
    .i32And()
    .if();
  f.get(b)
    .set(bBase)
    .i32Const(NR * 8)
    .set(bPanel)
    .get(brs)
    .set(bStep);
  f.get(work).set(scratch);
  f.else();
  pack(n, NR, b, bcs, brs, work);
  f.get(work)
    .set(bBase)
    .get(k)
    .i32Const(NR * 8)
    .i32Mul()
    .set(bPanel)
    .i32Const(NR * 8)
    .set(bStep);
  f.get(dst).set(scratch);
  f.end();
  // op(A): its MR rows of a panel at constant offsets ii·8 (packed, or a 't' operand in place: ars = 8), or in
  // place at offsets ii·ars held in locals (an 'n' operand: acs = 8), or packed (after packed B).
  f.i32Const(0).set(aRows);
  f.get(m)
    .i32Const(MR - 1)
    .i32And()
    .i32Eqz()
    .if();
  f.get(ars).i32Const(8).i32Eq().if();
  f.get(a)
    .set(aBase)
    .i32Const(MR * 8)
    .set(aPanel)
    .get(acs)
    .set(aStep);
  f.else();
  if (options.rowsInPlace ?? true) f.get(acs).i32Const(8).i32Eq().set(aRows);
  f.end();
  f.end();
  f.get(aRows).if();
  f.get(a).set(aBase).get(ars).i32Const(MR).i32Mul().set(aPanel).i32Const(8).set(aStep);
  for (let ii = 1; ii < MR; ii++) f.get(ars).i32Const(ii).i32Mul().set(rowOffset[ii]);
  f.else();
  f.get(m)
    .i32Const(MR - 1)
    .i32And()
    .i32Eqz()
    .get(ars)
    .i32Const(8)
    .i32Eq()
    .i32And()
    .i32Eqz()
    .if();
  pack(m, MR, a, ars, acs, scratch);
  f.get(scratch)
    .set(aBase)
    .get(k)
    .i32Const(MR * 8)
    .i32Mul()
    .set(aPanel)
    .i32Const(MR * 8)
    .set(aStep);
  f.get(dst).set(scratch);
  f.end();
  f.end();

  // Tiles: the same loops twice, for A at constant offsets and for A at row offsets (chosen above).
  const tiles = (rows: boolean): void => {
    forUp(
      i0,
      () => f.i32Const(0),
      () => f.get(m),
      MR,
      () => {
        forUp(
          j0,
          () => f.i32Const(0),
          () => f.get(n),
          NR,
          () => {
            // ap = aBase + (i0/MR)·aPanel, bp = bBase + (j0/NR)·bPanel.
            f.get(aBase).get(i0).i32Const(MR).i32DivU().get(aPanel).i32Mul().i32Add().set(ap);
            f.get(bBase).get(j0).i32Const(NR).i32DivU().get(bPanel).i32Mul().i32Add().set(bp);
            // full = i0 + MR ≤ m && j0 + NR ≤ n.
            f.get(i0).i32Const(MR).i32Add().get(m).i32LeS();
            f.get(j0).i32Const(NR).i32Add().get(n).i32LeS().i32And().tee(full).if();
            f.get(c).get(i0).get(ldc).i32Mul().i32Add().get(j0).i32Const(3).i32Shl().i32Add().set(cptr);
            f.get(ldc).set(cld);
            f.get(accumulate).set(acc);
            f.else();
            // Edge tile: scratch ← the valid entries of C (when accumulating) or 0; accumulate into the scratch.
            f.get(scratch).set(cptr);
            f.i32Const(NR * 8).set(cld);
            f.i32Const(1).set(acc);
            for (let ii = 0; ii < MR; ii++) {
              for (let jj = 0; jj < NR; jj++) {
                f.get(accumulate).get(i0).i32Const(ii).i32Add().get(m).i32LtS().i32And();
                f.get(j0).i32Const(jj).i32Add().get(n).i32LtS().i32And().if();
                f.get(scratch);
                f.get(c)
                  .get(i0)
                  .i32Const(ii)
                  .i32Add()
                  .get(ldc)
                  .i32Mul()
                  .i32Add()
                  .get(j0)
                  .i32Const(jj)
                  .i32Add()
                  .i32Const(3)
                  .i32Shl()
                  .i32Add()
                  .f64Load();
                f.f64Store((ii * NR + jj) * 8);
                f.else();
                f.get(scratch)
                  .f64Const(0)
                  .f64Store((ii * NR + jj) * 8);
                f.end();
              }
            }
            f.end();

            // The accumulators start from C or from 0.
            f.get(acc).if();
            f.get(cptr).set(row);
            for (let ii = 0; ii < MR; ii++) {
              for (let v = 0; v < VN; v++)
                f.get(row)
                  .v128Load(v * 16)
                  .set(accs[ii][v]);
              if (ii + 1 < MR) f.get(row).get(cld).i32Add().set(row);
            }
            f.else();
            for (let ii = 0; ii < MR; ii++)
              for (let v = 0; v < VN; v++) f.f64Const(0).simd('f64x2.splat').set(accs[ii][v]);
            f.end();
            // Σ over p, in order.
            f.get(k).set(q);
            f.block();
            f.get(q).i32Eqz().brIf(0);
            f.loop();
            for (let v = 0; v < VN; v++)
              f.get(bp)
                .v128Load(v * 16)
                .set(bv[v]);
            for (let ii = 0; ii < MR; ii++) {
              if (!rows) f.get(ap).v128Load64Splat(ii * 8);
              else if (ii === 0) f.get(ap).v128Load64Splat(0);
              else f.get(ap).get(rowOffset[ii]).i32Add().v128Load64Splat(0);
              f.set(av);
              for (let v = 0; v < VN; v++)
                f.get(accs[ii][v]).get(av).get(bv[v]).simd('f64x2.mul').simd('f64x2.add').set(accs[ii][v]);
            }
            f.get(ap).get(aStep).i32Add().set(ap);
            f.get(bp).get(bStep).i32Add().set(bp);
            f.get(q).i32Const(1).i32Sub().tee(q).brIf(0);
            f.end();
            f.end();
            // Store the tile.
            f.get(cptr).set(row);
            for (let ii = 0; ii < MR; ii++) {
              for (let v = 0; v < VN; v++)
                f.get(row)
                  .get(accs[ii][v])
                  .v128Store(v * 16);
              if (ii + 1 < MR) f.get(row).get(cld).i32Add().set(row);
            }
            // Edge tile: copy the valid entries back.
            f.get(full).i32Eqz().if();
            for (let ii = 0; ii < MR; ii++) {
              for (let jj = 0; jj < NR; jj++) {
                f.get(i0).i32Const(ii).i32Add().get(m).i32LtS();
                f.get(j0).i32Const(jj).i32Add().get(n).i32LtS().i32And().if();
                f.get(c)
                  .get(i0)
                  .i32Const(ii)
                  .i32Add()
                  .get(ldc)
                  .i32Mul()
                  .i32Add()
                  .get(j0)
                  .i32Const(jj)
                  .i32Add()
                  .i32Const(3)
                  .i32Shl()
                  .i32Add();
                f.get(scratch)
                  .f64Load((ii * NR + jj) * 8)
                  .f64Store();
                f.end();
              }
            }
            f.end();
          },
        );
      },
    );
  };
  f.get(aRows).if();
  tiles(true);
  f.else();
  tiles(false);
  f.end();
  return f;
}
