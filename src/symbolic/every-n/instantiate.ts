import { DomainError } from '../../errors.js';
import * as C from '../expr.js';
import type { Dim, IExpr } from './expr.js';

/**
 * An expression at concrete index values (N = 4, j = 2): intervals become products of the layers W_i (named
 * "W_i", d_i × d_{i−1}, as dlnSymbols names them), sums become explicit sums. The result is an expression of the
 * concrete engine (src/symbolic/expr.ts), so it can be proved there term by term or evaluated numerically.
 * Layers exist for 1 ≤ i ≤ N when N is among the values; an instance that needs another layer is no instance.
 */
export class NotAnInstance extends DomainError {
  constructor(detail: string) {
    super('instance', detail);
    this.name = 'NotAnInstance';
  }
}

export function concreteDim(d: Dim, env: Readonly<Record<string, number>>): string {
  return d.index === undefined ? d.base : `${d.base}_${d.index.evaluate(env)}`;
}

export function instantiate(e: IExpr, env: Readonly<Record<string, number>>): C.Expr {
  const depth = env.N;
  const layerSymbol = (family: string, i: number, square: boolean): C.MatrixSymbol => {
    if (i < 1 || (depth !== undefined && i > depth))
      throw new NotAnInstance(`${family}_${i} does not exist at N = ${depth}`);
    return square
      ? C.matrixSymbol(`${family}_${i}`, 'n', 'n')
      : C.matrixSymbol(`${family}_${i}`, `d_${i}`, `d_${i - 1}`);
  };
  const go = (x: IExpr, values: Readonly<Record<string, number>>): C.Expr => {
    switch (x.kind) {
      case 'interval': {
        const hi = x.hi.evaluate(values),
          lo = x.lo.evaluate(values);
        if (lo > hi) {
          // W_{b:a} = I for a > b; with layer shapes only W_{b:b+1} has one (d_b × d_b), square families all do.
          if (lo > hi + 1 && !x.square) {
            throw new NotAnInstance(`${x.family}_{${hi}:${lo}} has no shape (only W_{b:b+1} = I is sized)`);
          }
          return C.identity(x.square ? 'n' : `d_${hi}`);
        }
        const factors: C.Expr[] = [];
        for (let i = hi; i >= lo; i--) factors.push(layerSymbol(x.family, i, x.square));
        return C.mul(...factors);
      }
      case 'symbol':
        return C.matrixSymbol(x.name, concreteDim(x.rows, values), concreteDim(x.cols, values));
      case 'scalar':
        return C.scalarSymbol(x.name);
      case 'const':
        return C.constant(x.value);
      case 'identity':
        return C.identity(concreteDim(x.rows, values));
      case 'zero':
        return C.zero(concreteDim(x.rows, values), concreteDim(x.cols, values));
      case 'product':
        return C.mul(...x.factors.map((f) => go(f, values)));
      case 'sum':
        return C.add(...x.terms.map((f) => go(f, values)));
      case 'transpose':
        return C.transpose(go(x.arg, values));
      case 'trace':
        return C.trace(go(x.arg, values));
      case 'inner':
        return C.inner(go(x.left, values), go(x.right, values));
      case 'sigma': {
        const lo = x.lo.evaluate(values),
          hi = x.hi.evaluate(values);
        const terms: C.Expr[] = [];
        for (let k = lo; k <= hi; k++) terms.push(go(x.body, { ...values, [x.index]: k }));
        if (terms.length > 0) return C.add(...terms);
        return x.isScalar ? C.constant(0) : C.zero(concreteDim(x.rows, values), concreteDim(x.cols, values));
      }
    }
  };
  return go(e, env);
}
