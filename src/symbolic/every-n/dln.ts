import { Affine, type AffineLike } from './affine.js';
import {
  constant,
  type Dim,
  dim,
  type IExpr,
  interval,
  LAYER_DIM,
  layer,
  mul,
  norm2,
  SQUARE_DIM,
  sub,
  symbol,
  transpose,
} from './expr.js';

/**
 * The deep linear network at symbolic depth N (THEORY §0): layers W_i ∈ R^{d_i×d_{i−1}} for 1 ≤ i ≤ N, data
 * X ∈ R^{d_0×m}, targets Y ∈ R^{d_N×m}; or, with square = true, every dimension n (then a misplaced transpose is
 * well-typed, and only the algebra or the numbers can catch it).
 */
export interface SymbolicDln {
  readonly N: Affine;
  readonly square: boolean;
  /** W_{b:a} (W_{b:a} = I for a > b). */
  W(b: AffineLike, a: AffineLike): IExpr;
  /** The single layer F_i of a family shaped like the layers (W, Ẇ, G…). */
  layer(family: string, i: AffineLike): IExpr;
  readonly X: IExpr;
  readonly Y: IExpr;
  /** E = W_{N:1}X − Y. */
  readonly E: IExpr;
  /** L = ½‖W_{N:1}X − Y‖_F². */
  readonly loss: IExpr;
  /** THEORY §1: ∇_{W_i}L = W_{N:i+1}ᵀ E Xᵀ W_{i−1:1}ᵀ. */
  closedForm(i: AffineLike): IExpr;
  /** An end-to-end gradient ∇L¹ (any cost of the product), d_N × d_0. */
  readonly endToEndGradient: IExpr;
  /** W_{N:i+1}ᵀ ∇L¹ W_{i−1:1}ᵀ: a layer gradient through the product. */
  throughProduct(i: AffineLike): IExpr;
}

export function symbolicDln(options: { square?: boolean } = {}): SymbolicDln {
  const square = options.square ?? false;
  const N = Affine.variable('N');
  const d = (i: AffineLike): Dim => (square ? SQUARE_DIM : dim(LAYER_DIM, i));
  const W = (b: AffineLike, a: AffineLike): IExpr => interval('W', b, a, square);
  const X = symbol('X', d(0), square ? SQUARE_DIM : dim('m'));
  const Y = symbol('Y', d(N), square ? SQUARE_DIM : dim('m'));
  const E = sub(mul(W(N, 1), X), Y);
  const endToEndGradient = symbol('∇L¹', d(N), d(0));
  return {
    N,
    square,
    W,
    layer: (family, i) => layer(family, i, square),
    X,
    Y,
    E,
    loss: mul(constant('1/2'), norm2(E)),
    closedForm: (i) =>
      mul(transpose(W(N, Affine.from(i).add(1))), E, transpose(X), transpose(W(Affine.from(i).add(-1), 1))),
    endToEndGradient,
    throughProduct: (i) =>
      mul(transpose(W(N, Affine.from(i).add(1))), endToEndGradient, transpose(W(Affine.from(i).add(-1), 1))),
  };
}
