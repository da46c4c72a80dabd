import { DlnvError } from '../../errors.js';
import { gradient as concreteGradient } from '../differentiate.js';
import { matrixSymbol } from '../expr.js';
import { proveIdentity } from '../identity.js';
import type { Affine } from './affine.js';
import type { IExpr } from './expr.js';
import type { Assumptions } from './inequalities.js';
import { instantiate } from './instantiate.js';
import { candidateIndices, freeIndices } from './numeric.js';

export interface GradientCase {
  readonly indices: Readonly<Record<string, number>>;
  readonly agrees: boolean;
  readonly detail?: string;
}

/**
 * A gradient derived for symbolic indices, checked at small index values (smallest first, within the side
 * conditions): there the concrete engine differentiates the instantiated function itself (the product written out,
 * no intervals), and the instantiated derived gradient must equal it term by term.
 */
export function checkGradientAtInstances(
  f: IExpr,
  family: string,
  index: Affine,
  square: boolean,
  derived: IExpr,
  ctx: Assumptions,
  maxCases = 6,
): GradientCase[] {
  const vars = [
    ...new Set([
      ...freeIndices(f),
      ...freeIndices(derived),
      ...index.variables,
      ...ctx.facts.flatMap((x) => x.variables),
    ]),
  ];
  const cases: GradientCase[] = [];
  for (const indices of candidateIndices(vars.sort(), ctx)) {
    if (cases.length >= maxCases) break;
    const i = index.evaluate(indices);
    if (i < 1 || (indices.N !== undefined && i > indices.N)) continue;
    try {
      const x = square
        ? matrixSymbol(`${family}_${i}`, 'n', 'n')
        : matrixSymbol(`${family}_${i}`, `d_${i}`, `d_${i - 1}`);
      const p = proveIdentity(instantiate(derived, indices), concreteGradient(instantiate(f, indices), x));
      cases.push({
        indices,
        agrees: p.holds,
        detail: p.holds ? undefined : (p.error ?? `${p.residual?.size} terms differ`),
      });
    } catch (e) {
      if (!(e instanceof DlnvError)) throw e;
    }
  }
  return cases;
}
