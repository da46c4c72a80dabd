import { escapeLatexText } from '../proof.js';
import { type IExpr, mul } from './expr.js';
import { printIExpr } from './print.js';

/** One named rewrite as used in a derivation: the rule, the instance, and the side condition it needed. */
export interface RuleUse {
  readonly rule: string;
  readonly text: string;
  readonly latex: string;
  readonly condition?: string;
  /** How many times this instance was applied. */
  readonly count: number;
}

/**
 * The rewrites applied while normalizing, each distinct instance once with a count, in first-use order, so a
 * derivation can list "merge: W_{N:j+2} W_{j+1} = W_{N:j+1} (needs j+1 ≤ j+2 ≤ N+1)".
 */
export class RuleLog {
  private readonly seen = new Map<
    string,
    { rule: string; text: string; latex: string; condition?: string; count: number }
  >();

  /**
   * A rewrite before → after that needed `condition`; or, without before and after, a rule stated by `condition`
   * itself (`latexCondition`: the same in LaTeX, else the text is escaped).
   */
  note(
    rule: string,
    before: readonly IExpr[],
    after: IExpr | undefined,
    condition?: string,
    latexCondition?: string,
  ): void {
    const lhs = before.length === 0 ? undefined : before.length === 1 ? before[0] : mul(...before);
    const text = lhs && after ? `${printIExpr(lhs)} = ${printIExpr(after)}` : (condition ?? '');
    const latex =
      lhs && after
        ? `$${printIExpr(lhs, 'latex')} = ${printIExpr(after, 'latex')}$`
        : (latexCondition ?? escapeLatexText(condition ?? ''));
    const key = `${rule}|${text}`;
    const prev = this.seen.get(key);
    if (prev) prev.count++;
    else this.seen.set(key, { rule, text, latex, condition: lhs && after ? condition : undefined, count: 1 });
  }

  uses(): RuleUse[] {
    return [...this.seen.values()];
  }

  /** Names of the rules used, with counts: "merge ×12, empty product ×2". */
  summary(): string {
    const byRule = new Map<string, number>();
    for (const u of this.seen.values()) byRule.set(u.rule, (byRule.get(u.rule) ?? 0) + u.count);
    return [...byRule].map(([r, n]) => `${r} ×${n}`).join(', ');
  }
}
