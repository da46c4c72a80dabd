import { DomainError } from '../errors.js';
import type { Dim } from './dimension.js';
import {
  add,
  constant,
  type Definition,
  define,
  type Expr,
  identity,
  inner,
  type MatrixSymbol,
  matrixSymbol,
  mul,
  sub,
  transpose,
  zero,
} from './expr.js';

/**
 * The symbols of a depth-N deep linear network (THEORY §0): W_j ∈ R^{d_j×d_{j−1}}, X ∈ R^{d_0×m}, Y ∈ R^{d_N×m},
 * with named dimensions by default, so every product is shape-checked as for non-square layers.
 */
export interface DlnSymbols {
  readonly N: number;
  /** W[j − 1] is W_j. */
  readonly W: readonly MatrixSymbol[];
  readonly X: MatrixSymbol;
  readonly Y: MatrixSymbol;
  /** dims[j] = d_j. */
  readonly dims: readonly Dim[];
  readonly samples: Dim;
}

export interface DlnOptions {
  /**
   * 'named' (default): d_0 … d_N and m, all distinct, so a misplaced transpose is a shape error;
   * 'square': every dimension is n (a misplaced transpose is then well-typed and must be caught by the algebra);
   * or explicit widths [d_0, …, d_N].
   */
  dims?: 'named' | 'square' | readonly Dim[];
  /** The number of samples m (default 'm', or 'n' for 'square'). */
  samples?: Dim;
  /** Base name of the layers (default "W"). */
  layerName?: string;
}

export function dlnSymbols(N: number, options: DlnOptions = {}): DlnSymbols {
  if (!Number.isInteger(N) || N < 1) throw new DomainError('N', `depth must be an integer ≥ 1, received ${N}`);
  const mode = options.dims ?? 'named';
  let dims: Dim[];
  if (mode === 'named') dims = Array.from({ length: N + 1 }, (_, j) => `d_${j}`);
  else if (mode === 'square') dims = new Array<Dim>(N + 1).fill('n');
  else {
    if (mode.length !== N + 1)
      throw new DomainError('options.dims', `expected N + 1 = ${N + 1} widths, received ${mode.length}`);
    dims = [...mode];
  }
  const samples = options.samples ?? (mode === 'square' ? 'n' : 'm');
  const base = options.layerName ?? 'W';
  const W = Array.from({ length: N }, (_, i) => matrixSymbol(`${base}_${i + 1}`, dims[i + 1], dims[i]));
  return { N, W, X: matrixSymbol('X', dims[0], samples), Y: matrixSymbol('Y', dims[N], samples), dims, samples };
}

/** A family of symbols shaped like the layers: Δ_j, Ẇ_j, G_j… (family[j − 1] is the j-th). */
export function layerFamily(s: DlnSymbols, base: string): MatrixSymbol[] {
  return s.W.map((w, i) => matrixSymbol(`${base}_${i + 1}`, w.rows, w.cols));
}

function checkLayer(s: DlnSymbols, j: number, argument: string): void {
  if (!Number.isInteger(j) || j < 1 || j > s.N)
    throw new DomainError(argument, `layer index must be in 1..${s.N}, received ${j}`);
}

/** W_{b:a} = W_b ⋯ W_a, and I_{d_{a−1}} when a > b (layers may be replaced, e.g. by W_j⁺ expressions). */
export function partialProduct(s: DlnSymbols, b: number, a: number, layers: readonly Expr[] = s.W): Expr {
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b > s.N || a > b + 1) {
    throw new DomainError(
      'partialProduct',
      `indices must satisfy 1 ≤ a ≤ b + 1, b ≤ N = ${s.N}; received b = ${b}, a = ${a}`,
    );
  }
  if (a > b) return identity(s.dims[a - 1]);
  const factors: Expr[] = [];
  for (let j = b; j >= a; j--) factors.push(layers[j - 1]);
  return mul(...factors);
}

/** W = W_{N:1}. */
export function endToEnd(s: DlnSymbols, layers: readonly Expr[] = s.W): Expr {
  return partialProduct(s, s.N, 1, layers);
}

/** E := W_{N:1}X − Y. */
export function residual(s: DlnSymbols, layers: readonly Expr[] = s.W): Definition {
  return define('E', sub(mul(endToEnd(s, layers), s.X), s.Y));
}

/** L = ½⟨E, E⟩ = ½‖W_N⋯W_1X − Y‖_F² (scale "half"). */
export function halfSquaredLoss(s: DlnSymbols, layers: readonly Expr[] = s.W): Expr {
  const e = residual(s, layers);
  return mul(constant('1/2'), inner(e, e));
}

/** The closed form of THEORY §1: ∇_{W_j}L = W_{N:j+1}ᵀ (WX − Y) Xᵀ W_{j−1:1}ᵀ. */
export function layerGradientClosedForm(s: DlnSymbols, j: number): Expr {
  checkLayer(s, j, 'j');
  return mul(
    transpose(partialProduct(s, s.N, j + 1)),
    residual(s),
    transpose(s.X),
    transpose(partialProduct(s, j - 1, 1)),
  );
}

/** The same with the end-to-end gradient left as a symbol G (d_N×d_0): W_{N:j+1}ᵀ G W_{j−1:1}ᵀ. */
export function layerGradientFromEndToEnd(s: DlnSymbols, j: number, g: Expr): Expr {
  checkLayer(s, j, 'j');
  return mul(transpose(partialProduct(s, s.N, j + 1)), g, transpose(partialProduct(s, j - 1, 1)));
}

/** C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ (1 ≤ j ≤ N − 1), for any list of layer expressions. */
export function balancednessDefect(s: DlnSymbols, j: number, layers: readonly Expr[] = s.W): Expr {
  if (!Number.isInteger(j) || j < 1 || j > s.N - 1)
    throw new DomainError('j', `C_j needs 1 ≤ j ≤ N − 1 = ${s.N - 1}, received ${j}`);
  return sub(mul(transpose(layers[j]), layers[j]), mul(layers[j - 1], transpose(layers[j - 1])));
}

/** P1(Δ) = Σ_j W_{N:j+1} Δ_j W_{j−1:1}: the first-order change of the product (THEORY §1). */
export function firstOrderProduct(s: DlnSymbols, delta: readonly Expr[]): Expr {
  return add(...s.W.map((_, k) => mul(partialProduct(s, s.N, k + 2), delta[k], partialProduct(s, k, 1))));
}

/**
 * P2(Δ) = Σ_{i<j} W_{N:j+1} Δ_j W_{j−1:i+1} Δ_i W_{i−1:1} (THEORY §1), or with two directions the symmetric
 * P2(Δ, Γ) = Σ_{i<j} W_{N:j+1}(Δ_j W_{j−1:i+1} Γ_i + Γ_j W_{j−1:i+1} Δ_i)W_{i−1:1} (so P2(Δ, Δ) = 2·P2(Δ)).
 * Zero for N = 1.
 */
export function secondOrderProduct(s: DlnSymbols, delta: readonly Expr[], gamma?: readonly Expr[]): Expr {
  const terms: Expr[] = [];
  for (let j = 2; j <= s.N; j++) {
    for (let i = 1; i < j; i++) {
      const mid = partialProduct(s, j - 1, i + 1);
      const above = partialProduct(s, s.N, j + 1),
        below = partialProduct(s, i - 1, 1);
      if (gamma === undefined) terms.push(mul(above, delta[j - 1], mid, delta[i - 1], below));
      else
        terms.push(mul(above, add(mul(delta[j - 1], mid, gamma[i - 1]), mul(gamma[j - 1], mid, delta[i - 1])), below));
    }
  }
  return terms.length === 0 ? zero(s.dims[s.N], s.dims[0]) : add(...terms);
}
