import { DlnvError } from '../errors.js';
import type { Expr } from './expr.js';
import type { NormalForm } from './normal-form.js';
import { normalize } from './normalize.js';
import { type Format, printNormalForm } from './print.js';
import { type RewriteRule, rewrite } from './rewrite.js';

/** The outcome of proving lhs = rhs by reducing lhs − rhs to its normal form. */
export interface IdentityProof {
  /** True iff lhs − rhs normalizes to zero (and both sides are well-shaped). */
  readonly holds: boolean;
  readonly lhs?: NormalForm;
  readonly rhs?: NormalForm;
  /** lhs − rhs in normal form (zero when the identity holds). */
  readonly residual?: NormalForm;
  /** Terms of lhs and rhs before cancellation: a measure of the work. */
  readonly termsBefore: number;
  /** Why the comparison could not even be formed (a shape error), when it could not. */
  readonly error?: string;
}

/**
 * Prove lhs = rhs: expand both, collect like terms with exact coefficients, optionally apply side relations
 * (rewrite rules such as UᵀU = I), and check that nothing is left. An ill-shaped side (a missing transpose on
 * non-square symbols) does not hold either: the shape error is reported.
 */
export function proveIdentity(
  lhs: Expr | NormalForm,
  rhs: Expr | NormalForm,
  options: { rules?: readonly RewriteRule[] } = {},
): IdentityProof {
  let l: NormalForm, r: NormalForm;
  try {
    l = normalize(lhs);
    r = normalize(rhs);
  } catch (e) {
    if (e instanceof DlnvError) return { holds: false, termsBefore: 0, error: e.message };
    throw e;
  }
  let residual: NormalForm;
  try {
    residual = l.sub(r);
  } catch (e) {
    if (e instanceof DlnvError)
      return {
        holds: false,
        lhs: l,
        rhs: r,
        termsBefore: l.size + r.size,
        error: `the two sides have different shapes: ${e.message}`,
      };
    throw e;
  }
  if (options.rules && options.rules.length > 0) residual = rewrite(residual, options.rules);
  return { holds: residual.isZero(), lhs: l, rhs: r, residual, termsBefore: l.size + r.size };
}

/** One line: "lhs − rhs ≡ 0 (12 terms cancelled)" or the residual; in LaTeX an inline-math fragment ($…$). */
export function describeIdentity(p: IdentityProof, format: Format = 'text', maxTerms = 6): string {
  if (p.error)
    return format === 'latex'
      ? `$\\text{ill-formed: ${p.error.replace(/[\\{}_^#&%$~]/g, ' ')}}$`
      : `ill-formed: ${p.error}`;
  if (p.holds)
    return format === 'latex'
      ? `$\\text{lhs} - \\text{rhs} \\equiv 0\\ (${p.termsBefore}\\text{ terms cancelled})$`
      : `lhs − rhs ≡ 0 (${p.termsBefore} terms cancelled)`;
  const res = printNormalForm(p.residual!, format, { maxTerms });
  return format === 'latex' ? `$\\text{lhs} - \\text{rhs} = ${res} \\neq 0$` : `lhs − rhs = ${res} ≠ 0`;
}
