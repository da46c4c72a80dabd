import fc from 'fast-check';
import { compare, inconclusive } from '../../check/verdict.js';
import type { Claim, Provenance } from '../../claims/claim.js';
import type { EveryNResult } from './prove.js';
import { describeInstance } from './render.js';
import type { DeriveResult, StatementOptions } from './user.js';

/**
 * The library's entry points for stated identities. They load the statement parser (and with it mathjs) on first
 * use, so importing dlnv does not pay for it; in a claim file use them with top-level await.
 */
export type { DeriveResult, EveryNResult, StatementOptions };

/** `dlnv prove` as a function: prove("W[N:j+1] W[j:1] == W[N:1]", { where: "0 <= j <= N" }). */
export async function prove(statement: string, options: StatementOptions = {}): Promise<EveryNResult> {
  return (await import('./user.js')).proveStatement(statement, options);
}

/** `dlnv derive` as a function: derive("grad(1/2*norm2(W[N:1]*X - Y), W_j)"). */
export async function derive(expression: string, options: StatementOptions = {}): Promise<DeriveResult> {
  return (await import('./user.js')).deriveGradient(expression, options);
}

export interface IdentityClaimOptions extends StatementOptions {
  readonly id: string;
  readonly title?: string;
  readonly provenance?: Provenance;
  readonly paper?: string;
  readonly location?: string;
}

/**
 * A claim that carries its own symbolic proof: each instance is a seed; the check proves the identity (the
 * derivation is seed-independent) and evaluates it at that seed's random sizes. PROVED passes, REFUTED fails with
 * the counterexample, UNDECIDED is inconclusive.
 */
export async function identityClaim(statement: string, options: IdentityClaimOptions): Promise<Claim<number>> {
  const { proveStatement } = await import('./user.js');
  // Bad syntax or shapes fail here, when the claim file loads, not in the middle of a run.
  proveStatement(statement, { ...options, instances: 1 });
  return {
    id: options.id,
    title: options.title ?? statement,
    statement,
    source: { paper: options.paper ?? 'user', location: options.location ?? '', provenance: options.provenance ?? 'D' },
    hypotheses: options.where ? [options.where] : [],
    instances: fc.integer({ min: 1, max: 0x7fffffff }),
    expected: 'holds',
    tolerance: 'symbolic reduction to 0, then float64 evaluation within the engine’s round-off model',
    runs: 20,
    check(seed) {
      const r = proveStatement(statement, { ...options, seed });
      const c = r.numeric.counterexample;
      const base = { errorModel: r.numeric.errorModel };
      if (c)
        return compare({
          ...base,
          measured: c.measured,
          bound: c.bound,
          detail: `REFUTED at ${describeInstance(c, seed)}`,
        });
      // Instances differ in scale: the measure is the worst ‖lhs − rhs‖ / bound, held to 1.
      const worst = r.numeric.instances.reduce((m, i) => Math.max(m, i.measured / i.bound), 0);
      if (r.answer === 'PROVED')
        return compare({
          ...base,
          measured: worst,
          bound: 1,
          detail: `PROVED for symbolic indices; ${r.numeric.instances.length} instances agree`,
        });
      return inconclusive({
        ...base,
        measured: worst,
        bound: 1,
        detail: `UNDECIDED: ${r.reason ?? ''} ${r.remainder ?? ''}`.trim(),
      });
    },
  };
}
