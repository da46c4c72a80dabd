import { Affine, type AffineLike } from './affine.js';

/**
 * Side conditions on symbolic indices: a list of facts e ≥ 0 (e affine, variables integer). implies() proves a
 * new fact by refuting its negation e ≤ −1 with Fourier–Motzkin elimination, tightening every constraint to
 * integers (divide by the gcd of the coefficients, round the constant down). This is sound — a fact it proves
 * holds for every integer assignment satisfying the assumptions — and it may fail to prove a true fact, in which
 * case the caller leaves the rewrite undone (and the final answer can only be UNDECIDED, never a false PROVED).
 */
export class Assumptions {
  private constructor(readonly facts: readonly Affine[]) {}

  static readonly NONE = new Assumptions([]);

  static of(facts: readonly Affine[]): Assumptions {
    return new Assumptions(facts);
  }

  /** Add a ≤ b. */
  le(a: AffineLike, b: AffineLike): Assumptions {
    return new Assumptions([...this.facts, Affine.from(b).sub(a)]);
  }

  /** Add lo ≤ k ≤ hi (a summation range). */
  within(k: string, lo: Affine, hi: Affine): Assumptions {
    return this.le(lo, k).le(k, hi);
  }

  /** Does a ≤ b follow? */
  provesLe(a: AffineLike, b: AffineLike): boolean {
    return this.implies(Affine.from(b).sub(a));
  }

  provesEq(a: AffineLike, b: AffineLike): boolean {
    return Affine.from(a).equals(b) || (this.provesLe(a, b) && this.provesLe(b, a));
  }

  /** Does e ≥ 0 follow from the facts (over the integers)? */
  implies(e: Affine): boolean {
    if (e.isConstant()) return e.constant >= 0;
    return infeasible([...this.facts, e.scale(-1).add(-1)]);
  }

  /** "1 ≤ N, 1 ≤ j, j+1 ≤ N" (each fact with its negative terms moved to the left). */
  describe(): string {
    const seen = new Set<string>();
    return this.facts
      .map((f) => {
        const neg = f.variables.filter((v) => f.coefficient(v) < 0).map((v) => [v, -f.coefficient(v)] as const);
        const pos = f.variables.filter((v) => f.coefficient(v) > 0).map((v) => [v, f.coefficient(v)] as const);
        const left = Affine.of(f.constant < 0 ? -f.constant : 0, neg),
          right = Affine.of(Math.max(f.constant, 0), pos);
        return `${left.toText()} ≤ ${right.toText()}`;
      })
      .filter((t) => !seen.has(t) && seen.add(t))
      .join(', ');
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/** Integer tightening of e ≥ 0: divide by the gcd g of the coefficients, constant → ⌊c/g⌋. */
function tighten(e: Affine): Affine {
  const vs = e.variables;
  if (vs.length === 0) return e;
  const g = vs.reduce((acc, v) => gcd(acc, e.coefficient(v)), 0);
  if (g <= 1) return e;
  return Affine.of(
    Math.floor(e.constant / g),
    vs.map((v) => [v, e.coefficient(v) / g] as const),
  );
}

/** Keeps elimination bounded; beyond it the answer is "not proved" (sound). */
const MAX_CONSTRAINTS = 400;

function infeasible(start: Affine[]): boolean {
  let cs = start.map(tighten);
  for (;;) {
    if (cs.some((c) => c.isConstant() && c.constant < 0)) return true;
    cs = cs.filter((c) => !c.isConstant());
    if (cs.length === 0) return false;
    const v = cs[0].variables[0];
    const pos = cs.filter((c) => c.coefficient(v) > 0),
      negs = cs.filter((c) => c.coefficient(v) < 0);
    const next = cs.filter((c) => c.coefficient(v) === 0);
    for (const p of pos) {
      for (const n of negs) {
        const a = p.coefficient(v),
          b = -n.coefficient(v);
        next.push(tighten(p.scale(b).add(n.scale(a))));
      }
    }
    if (next.length > MAX_CONSTRAINTS) return false;
    cs = next;
  }
}
