import { pairs } from './elementwise.js';
import { FunctionBuilder } from './encoder.js';

/**
 * Generators of the WebAssembly passes of single-entry SGD (src/completion/single-entry-sgd.ts), f64x2 with a
 * scalar step for an odd length. Addresses in BYTES, lengths in entries; W is rows×cols, row-major.
 *
 *   decay(n, eta, mu, p) → finite:                  p ← p − η(μp)
 *   fused(rows, cols, eta, mu, w, a, x, y) → finite: y ← y + Wᵀa from the old entries, row by row, while
 *                                                   W ← W − η(a xᵀ + μW)
 *   matVec(rows, cols, w, x, y):                     y ← W x
 *
 * Every entry gets the operations of the JavaScript loops there, in the same order, each rounded (separate
 * multiplies and adds, no FMA), so the results are bitwise the same. The two lanes hold two columns (decay, fused:
 * the sums over rows of y stay in row order) or two rows (matVec: each sum over columns stays in column order).
 * `finite` is 1 when every entry written is finite: v − v is +0 (all bits zero) for a finite v and NaN otherwise,
 * so the OR of these bit patterns is zero exactly then (an OR, not a sum: its loop-carried chain takes one cycle).
 */

/** The instructions of one lane width: f64x2 (two entries) or f64 (the odd one). */
interface Lanes {
  readonly type: 'v128' | 'f64';
  /** Push f64 parameter `scalar` as a lane value (for f64x2, its local filled by `splat`). */
  value(scalar: number): void;
  /** Address → entries at it. */
  load(): void;
  /** Address → the entry at it, in every lane. */
  loadSplat(): void;
  /** Address, value → (stored). */
  store(): void;
  mul(): void;
  add(): void;
  sub(): void;
  /** Lane value → v128. */
  widen(): void;
}

/**
 * The vector and scalar Lanes of `f`, with a v128 local for each f64 local in `scalars`, filled here; `splat(s)`
 * refills one after its scalar changed.
 */
function lanes(
  f: FunctionBuilder,
  scalars: readonly number[],
): { vector: Lanes; scalar: Lanes; splat(s: number): void } {
  const splatted = new Map(scalars.map((s) => [s, f.local('v128')]));
  const splat = (s: number): void => void f.get(s).simd('f64x2.splat').set(splatted.get(s)!);
  scalars.forEach(splat);
  const vector: Lanes = {
    type: 'v128',
    value: (s) => f.get(splatted.get(s)!),
    load: () => f.v128Load(),
    loadSplat: () => f.v128Load64Splat(),
    store: () => f.v128Store(),
    mul: () => f.simd('f64x2.mul'),
    add: () => f.simd('f64x2.add'),
    sub: () => f.simd('f64x2.sub'),
    widen: () => {},
  };
  const scalar: Lanes = {
    type: 'f64',
    value: (s) => f.get(s),
    load: () => f.f64Load(),
    loadSplat: () => f.f64Load(),
    store: () => f.f64Store(),
    mul: () => f.f64Mul(),
    add: () => f.f64Add(),
    sub: () => f.f64Sub(),
    widen: () => f.simd('f64x2.splat'),
  };
  return { vector, scalar, splat };
}

/** The `finite` result: a v128 local of OR-ed bit patterns (locals start at zero). */
class FiniteFlag {
  private readonly bad: number;

  constructor(private readonly f: FunctionBuilder) {
    this.bad = f.local('v128');
  }

  /** Address, value v → store v and OR v − v into the flag. */
  store(l: Lanes): void {
    const f = this.f,
      v = f.local(l.type);
    f.tee(v);
    l.store();
    f.get(this.bad).get(v).get(v);
    l.sub();
    l.widen();
    f.simd('v128.or').set(this.bad);
  }

  /** Push 1 when every stored value was finite, else 0. */
  result(): void {
    this.f.get(this.bad).simd('v128.any_true').i32Eqz();
  }
}

/** Emit `for (p = start; p < end; p += step) body()` over an i32 local p (start and end already set). */
function forRange(f: FunctionBuilder, p: number, end: number, step: number, body: () => void): void {
  f.block().loop();
  f.get(p).get(end).i32GeS().brIf(1);
  body();
  f.get(p).i32Const(step).i32Add().set(p);
  f.br(0).end().end();
}

/** decay(n: i32, eta: f64, mu: f64, p: i32) → i32: p ← p − η(μp); 1 when every entry written is finite. */
export function decayFunction(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'f64', 'f64', 'i32'], ['i32']);
  const [n, eta, mu, p] = [0, 1, 2, 3];
  const { vector, scalar } = lanes(f, [eta, mu]);
  const flag = new FiniteFlag(f);
  const body =
    (l: Lanes) =>
    (i: number): void => {
      const v = f.local(l.type);
      f.get(p).get(i).i32Add();
      f.get(p).get(i).i32Add();
      l.load();
      f.tee(v);
      l.value(eta);
      l.value(mu);
      f.get(v);
      l.mul();
      l.mul();
      l.sub();
      flag.store(l);
    };
  pairs(f, n, body(vector), body(scalar));
  flag.result();
  return f;
}

/**
 * fused(rows, cols: i32, eta, mu: f64, w, a, x, y: i32) → i32: for each row r in order, with w_rc the old entry,
 * y_c ← y_c + w_rc·a_r and w_rc ← w_rc − η(a_r·x_c + μ·w_rc); 1 when every W entry written is finite.
 */
export function fusedFunction(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'f64', 'f64', 'i32', 'i32', 'i32', 'i32'], ['i32']);
  const [rows, cols, eta, mu, w, a, x, y] = [0, 1, 2, 3, 4, 5, 6, 7];
  const ar = f.local('f64'),
    pa = f.local('i32'),
    aEnd = f.local('i32'),
    row = f.local('i32');
  const { vector, scalar, splat } = lanes(f, [eta, mu, ar]);
  const flag = new FiniteFlag(f);
  const body =
    (l: Lanes) =>
    (i: number): void => {
      // v = w_rc (old)
      const v = f.local(l.type);
      f.get(row).get(i).i32Add();
      l.load();
      f.set(v);
      // y_c ← y_c + w_rc·a_r
      f.get(y).get(i).i32Add();
      f.get(y).get(i).i32Add();
      l.load();
      f.get(v);
      l.value(ar);
      l.mul();
      l.add();
      l.store();
      // w_rc ← w_rc − η(a_r·x_c + μ·w_rc)
      f.get(row).get(i).i32Add();
      f.get(v);
      l.value(eta);
      l.value(ar);
      f.get(x).get(i).i32Add();
      l.load();
      l.mul();
      l.value(mu);
      f.get(v);
      l.mul();
      l.add();
      l.mul();
      l.sub();
      flag.store(l);
    };
  f.get(w).set(row);
  f.get(a).set(pa);
  f.get(a).get(rows).i32Const(3).i32Shl().i32Add().set(aEnd);
  forRange(f, pa, aEnd, 8, () => {
    f.get(pa).f64Load().set(ar);
    splat(ar);
    pairs(f, cols, body(vector), body(scalar));
    f.get(row).get(cols).i32Const(3).i32Shl().i32Add().set(row);
  });
  flag.result();
  return f;
}

/** matVec(rows, cols, w, x, y: i32): y_r ← Σ_c w_rc·x_c, summed from c = 0 up, starting at 0. */
export function matVecFunction(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32']);
  const [rows, cols, w, x, y] = [0, 1, 2, 3, 4];
  const rowBytes = f.local('i32'),
    pw = f.local('i32'),
    px = f.local('i32'),
    xEnd = f.local('i32');
  const { vector, scalar } = lanes(f, []);
  f.get(cols).i32Const(3).i32Shl().set(rowBytes);
  f.get(x).get(rowBytes).i32Add().set(xEnd);
  // i = 8r bytes: rows r (and r + 1) start at w + i·cols.
  const body =
    (l: Lanes) =>
    (i: number): void => {
      const sum = f.local(l.type);
      f.f64Const(0);
      if (l.type === 'v128') f.simd('f64x2.splat');
      f.set(sum);
      f.get(w).get(i).get(cols).i32Mul().i32Add().set(pw);
      f.get(x).set(px);
      forRange(f, px, xEnd, 8, () => {
        f.get(sum);
        // w_rc (and w_{r+1,c} in lane 1)
        f.get(pw);
        l.loadSplat();
        if (l.type === 'v128') f.get(pw).get(rowBytes).i32Add().f64Load().f64x2ReplaceLane(1);
        f.get(px);
        l.loadSplat();
        l.mul();
        l.add();
        f.set(sum);
        f.get(pw).i32Const(8).i32Add().set(pw);
      });
      f.get(y).get(i).i32Add().get(sum);
      l.store();
    };
  pairs(f, rows, body(vector), body(scalar));
  return f;
}
