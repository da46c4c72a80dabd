import { gradient } from './calculus.js';
import type { IExpr } from './expr.js';
import { formExpr, printForm } from './form.js';
import { checkGradientAtInstances, type GradientCase } from './gradient-check.js';
import type { Assumptions } from './inequalities.js';
import { freeIndices } from './numeric.js';
import { printIExpr } from './print.js';
import { type DerivationStep, type EveryNResult, proveEveryN, stepsOf } from './prove.js';
import { RuleLog } from './rules.js';
import { parseGradient, parseIdentity, parseWhere, type SyntaxOptions } from './syntax.js';

/**
 * Identities and gradients stated as text (`dlnv prove`, `dlnv derive`, and the library's prove/derive). This
 * module loads mathjs (through syntax.ts); the rest of the engine does not.
 */
export interface StatementOptions extends SyntaxOptions {
  /** Side conditions on the indices, e.g. "1 <= j < N". */
  readonly where?: string;
  /** Seed of the numeric instances (a counterexample replays with the same seed). */
  readonly seed?: number;
  /** How many index assignments the numeric check tries (default 6). */
  readonly instances?: number;
}

/** Single layers W_i with i free must exist: 1 ≤ i ≤ N (added when N occurs). Bound indices are left to their sums. */
function implicitConditions(exprs: readonly IExpr[], ctx: Assumptions): Assumptions {
  const free = new Set(exprs.flatMap((e) => [...freeIndices(e)]));
  let out = ctx;
  if (free.has('N')) out = out.le(1, 'N');
  const visit = (e: IExpr, bound: ReadonlySet<string>): void => {
    switch (e.kind) {
      case 'interval':
        if (e.hi.equals(e.lo) && free.has('N') && !e.hi.variables.some((v) => bound.has(v)))
          out = out.le(1, e.hi).le(e.hi, 'N');
        break;
      case 'product':
        e.factors.forEach((f) => visit(f, bound));
        break;
      case 'sum':
        e.terms.forEach((f) => visit(f, bound));
        break;
      case 'transpose':
      case 'trace':
        visit(e.arg, bound);
        break;
      case 'inner':
        visit(e.left, bound);
        visit(e.right, bound);
        break;
      case 'sigma':
        visit(e.body, new Set([...bound, e.index]));
        break;
      default:
        break;
    }
  };
  exprs.forEach((e) => visit(e, new Set()));
  return out;
}

/** Prove "lhs == rhs": PROVED (with the derivation), REFUTED (with a counterexample) or UNDECIDED (the remainder). */
export function proveStatement(statement: string, options: StatementOptions = {}): EveryNResult {
  const { lhs, rhs } = parseIdentity(statement, options);
  const ctx = implicitConditions([lhs, rhs], parseWhere(options.where));
  return proveEveryN(lhs, rhs, { assumptions: ctx, seed: options.seed, instances: options.instances });
}

export interface DeriveResult {
  readonly expression: string;
  /** The gradient in normal form, as text and LaTeX. */
  readonly gradient: string;
  readonly latex: string;
  readonly assumptions: string;
  readonly steps: readonly DerivationStep[];
  /** The gradient as an engine expression (for further proofs). */
  readonly value: IExpr;
  /** At small index values, the concrete engine's gradient of the written-out product, compared term by term. */
  readonly instances: readonly GradientCase[];
}

/** Derive "grad(f, W_j)" by splitting interval products at j and the trace rule. */
export function deriveGradient(text: string, options: StatementOptions = {}): DeriveResult {
  const { f, family, index } = parseGradient(text, options);
  let ctx = implicitConditions([f], parseWhere(options.where));
  if (freeIndices(f).has('N') || index.variables.includes('N')) ctx = ctx.le(1, index).le(index, 'N');
  const log = new RuleLog();
  const g = gradient(f, family, index, ctx, log);
  const target = `${family}_${index.toText()}`;
  const steps: DerivationStep[] = [
    { rule: 'function', text: `f = ${printIExpr(f)}`, latex: `$f = ${printIExpr(f, 'latex')}$` },
    ...stepsOf(log),
    {
      rule: 'gradient',
      text: `∇_{${target}} f = ${printForm(g)}`,
      latex: `$\\nabla_{${family}_{${index.toString()}}} f = ${printForm(g, 'latex')}$`,
    },
  ];
  const value = formExpr(g);
  return {
    expression: text,
    gradient: printForm(g),
    latex: printForm(g, 'latex'),
    assumptions: ctx.describe(),
    steps,
    value,
    instances: checkGradientAtInstances(f, family, index, options.square ?? false, value, ctx),
  };
}
