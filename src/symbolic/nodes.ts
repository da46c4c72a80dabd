import type { Rational } from './rational.js';

/**
 * The node kinds both symbolic engines share: constants, I, 0, products, sums, transposes, traces and inner
 * products, each carrying its shape. The concrete engine (expr.ts, sizes are numbers or names) and the every-N
 * engine (every-n/expr.ts, sizes are affine in N and j) instantiate them with their own expression and dimension
 * types and add their own leaves (symbols with LaTeX and symmetry, definitions; interval products, sums Σ over an
 * index). Building and simplifying stay each engine's own: their algebras differ.
 */
export interface Shaped<D> {
  readonly rows: D;
  readonly cols: D;
  readonly isScalar: boolean;
}

export interface ConstNode<D> extends Shaped<D> {
  readonly kind: 'const';
  readonly value: Rational;
}

export interface IdentityNode<D> extends Shaped<D> {
  readonly kind: 'identity';
}

export interface ZeroNode<D> extends Shaped<D> {
  readonly kind: 'zero';
}

export interface ProductNode<E, D> extends Shaped<D> {
  readonly kind: 'product';
  readonly factors: readonly E[];
}

export interface SumNode<E, D> extends Shaped<D> {
  readonly kind: 'sum';
  readonly terms: readonly E[];
}

export interface TransposeNode<E, D> extends Shaped<D> {
  readonly kind: 'transpose';
  readonly arg: E;
}

export interface TraceNode<E, D> extends Shaped<D> {
  readonly kind: 'trace';
  readonly arg: E;
}

/** ⟨A, B⟩ = tr(AᵀB). */
export interface InnerNode<E, D> extends Shaped<D> {
  readonly kind: 'inner';
  readonly left: E;
  readonly right: E;
}
