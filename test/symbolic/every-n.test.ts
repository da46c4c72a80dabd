import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Affine,
  Assumptions,
  add,
  formExpr,
  gradient,
  type IExpr,
  mul,
  normalForm,
  numericCheck,
  printForm,
  proveEveryN,
  RuleLog,
  scalar,
  sigma,
  sub,
  symbolicDln,
  trace,
  transpose,
} from '../../src/symbolic/every-n/index.js';

const N = Affine.variable('N'),
  j = Affine.variable('j'),
  k = Affine.variable('k');
const sq = symbolicDln({ square: true });
const ctxLayer = Assumptions.NONE.le(1, N).le(1, j).le(j, N);
const ctxInner = Assumptions.NONE.le(1, N).le(1, j).le(j, N.add(-1));

describe('side conditions (Fourier–Motzkin over the integers)', () => {
  it('proves what follows and only that', () => {
    expect(ctxLayer.provesLe(j, N)).toBe(true);
    expect(ctxLayer.provesLe(1, N)).toBe(true);
    expect(ctxLayer.provesLe(j, N.add(-1))).toBe(false);
    expect(ctxInner.provesLe(j.add(1), N)).toBe(true);
    expect(Assumptions.NONE.provesLe(0, j)).toBe(false);
  });
  it('uses integrality: 2j ≥ 1 implies j ≥ 1', () => {
    expect(Assumptions.of([j.scale(2).add(-1)]).provesLe(1, j)).toBe(true);
  });
});

describe('normal form of interval products', () => {
  it('merges W_{N:j+1} W_j W_{j−1:1} = W_{N:1} when 1 ≤ j ≤ N, and records the side conditions', () => {
    const log = new RuleLog();
    const f = normalForm(mul(sq.W(N, j.add(1)), sq.W(j, j), sq.W(j.add(-1), 1)), ctxLayer, log);
    expect(printForm(f)).toBe('W_{N:1}');
    expect(log.summary()).toMatch(/merge ×2/);
  });
  it('does not merge when the side condition does not follow (and never calls it PROVED)', () => {
    const r = proveEveryN(mul(sq.W(N, j.add(1)), sq.W(j, 1)), sq.W(N, 1), { assumptions: Assumptions.NONE.le(1, N) });
    expect(r.answer).not.toBe('PROVED');
    const ok = proveEveryN(mul(sq.W(N, j.add(1)), sq.W(j, 1)), sq.W(N, 1), {
      assumptions: Assumptions.NONE.le(1, N).le(0, j).le(j, N),
    });
    expect(ok.answer).toBe('PROVED');
    // a ≤ b + 1 for the lower factor: W_{j−1:N} may be I (N > j), then W_{j+1:j} W_{j−1:N} is not W_{j+1:N}.
    const lower = proveEveryN(mul(sq.W(j.add(1), j), sq.W(j.add(-1), N)), sq.W(j.add(1), N), {
      assumptions: Assumptions.NONE.le(1, N).le(0, j),
    });
    expect(lower.answer).toBe('REFUTED');
    expect(lower.remainder, 'the algebra must not have merged them').toBeDefined();
  });
  it('merges transposed runs: W_{j−1:1}ᵀ W_jᵀ = W_{j:1}ᵀ, and empty intervals are I', () => {
    const log = new RuleLog();
    expect(printForm(normalForm(mul(transpose(sq.W(j.add(-1), 1)), transpose(sq.W(j, j))), ctxLayer, log))).toBe(
      'W_{j:1}ᵀ',
    );
    expect(printForm(normalForm(mul(sq.W(j, j.add(1)), sq.X), ctxLayer, log))).toBe('X');
  });
  it('traces are cyclic and transpose-invariant', () => {
    const [A, B, C] = [sq.X, sq.Y, sq.endToEndGradient];
    expect(proveEveryN(trace(mul(A, B, C)), trace(mul(C, A, B))).answer).toBe('PROVED');
    expect(proveEveryN(trace(mul(A, B, C)), trace(mul(transpose(C), transpose(B), transpose(A)))).answer).toBe(
      'PROVED',
    );
    expect(proveEveryN(trace(mul(A, B, C)), trace(mul(B, A, C))).answer).toBe('REFUTED');
  });
});

describe('sums over a symbolic index', () => {
  const f = (i: Affine): IExpr => mul(sq.W(N, i.add(1)), sq.layer('V', i), sq.W(i.add(-1), 1));
  const ctx = Assumptions.NONE.le(1, N);
  it('index shift: Σ_{k=1}^{N} f(k) = Σ_{k=0}^{N−1} f(k+1)', () => {
    const r = proveEveryN(sigma('k', 1, N, f(k)), sigma('k', 0, N.add(-1), f(k.add(1))), { assumptions: ctx });
    expect(r.answer).toBe('PROVED');
  });
  it('peel the last term: Σ_{k=1}^{N} f(k) = Σ_{k=1}^{N−1} f(k) + f(N)', () => {
    const r = proveEveryN(sigma('k', 1, N, f(k)), add(sigma('k', 1, N.add(-1), f(k)), f(N)), { assumptions: ctx });
    expect(r.answer).toBe('PROVED');
    expect(r.steps.map((s) => s.rule)).toContain('peel first/last terms');
  });
  it('peel the first term after a shift: Σ_{k=1}^{N} f(k) = f(1) + Σ_{k=1}^{N−1} f(k+1)', () => {
    const r = proveEveryN(sigma('k', 1, N, f(k)), add(f(Affine.of(1)), sigma('k', 1, N.add(-1), f(k.add(1)))), {
      assumptions: ctx,
    });
    expect(r.answer).toBe('PROVED');
  });
  it('peeling needs its side condition: without N ≥ 1 the last term may not exist', () => {
    const r = proveEveryN(sigma('k', 1, N, f(k)), add(sigma('k', 1, N.add(-1), f(k)), f(N)), {
      assumptions: Assumptions.NONE,
    });
    expect(r.answer).not.toBe('PROVED');
  });
});

describe('the catalogue derivations for every N', () => {
  // Each derivation's proof and cross-check run once, in test/proofs/all-proofs.test.ts (they are catalogue proofs).
  it('the layer gradient is derived, not typed in: it comes from the trace rule on the split product', () => {
    const log = new RuleLog();
    const g = gradient(symbolicDln().loss, 'W', j, ctxLayer, log);
    expect(log.summary()).toMatch(/split ×3, trace rule ×3/);
    expect(printForm(g)).toBe('W_{N:j+1}ᵀ W_{N:1} X Xᵀ W_{j−1:1}ᵀ − W_{N:j+1}ᵀ Y Xᵀ W_{j−1:1}ᵀ');
  });
  it('the gradient refuses to guess when it cannot tell whether W_j is a factor', () => {
    expect(() => gradient(symbolicDln().loss, 'W', j, Assumptions.NONE, new RuleLog())).toThrow(
      /cannot decide whether W_j is a factor/,
    );
  });
});

/** Deliberately false identities (square shapes: each is well-typed, only the algebra or the numbers catch it). */
const derived = formExpr(gradient(sq.loss, 'W', j, ctxLayer, new RuleLog()));
const eta = scalar('η'),
  lambda = scalar('λ');
const G = (i: Affine): IExpr => sq.closedForm(i);
const Wj = (i: Affine): IExpr => sq.layer('W', i);
const plus = (i: Affine, decay: boolean): IExpr =>
  sub(decay ? mul(sub(1, mul(eta, lambda)), Wj(i)) : Wj(i), mul(eta, G(i)));
const defect = (L: (i: Affine) => IExpr): IExpr =>
  sub(mul(transpose(L(j.add(1))), L(j.add(1))), mul(L(j), transpose(L(j))));
const cross = (): IExpr => sub(mul(transpose(G(j.add(1))), G(j.add(1))), mul(G(j), transpose(G(j))));
const velocity = (i: Affine): IExpr => mul(-1, G(i));
const e2eTerm = (i: Affine): IExpr =>
  mul(
    sq.W(N, i.add(1)),
    transpose(sq.W(N, i.add(1))),
    sq.endToEndGradient,
    transpose(sq.W(i.add(-1), 1)),
    sq.W(i.add(-1), 1),
  );
const e2eLhs = sigma('k', 1, N, mul(sq.W(N, k.add(1)), mul(-1, sq.throughProduct(k)), sq.W(k.add(-1), 1)));

const FALSE_IDENTITIES: ReadonlyArray<{ name: string; lhs: IExpr; rhs: IExpr; ctx: Assumptions }> = [
  {
    name: 'gradient with a dropped transpose (W_{N:j+1} for W_{N:j+1}ᵀ)',
    lhs: derived,
    rhs: mul(sq.W(N, j.add(1)), sq.E, transpose(sq.X), transpose(sq.W(j.add(-1), 1))),
    ctx: ctxLayer,
  },
  {
    name: 'gradient with swapped factors (Xᵀ before E)',
    lhs: derived,
    rhs: mul(transpose(sq.W(N, j.add(1))), transpose(sq.X), sq.E, transpose(sq.W(j.add(-1), 1))),
    ctx: ctxLayer,
  },
  {
    name: 'gradient off by one below (W_{j:1} for W_{j−1:1})',
    lhs: derived,
    rhs: mul(transpose(sq.W(N, j.add(1))), sq.E, transpose(sq.X), transpose(sq.W(j, 1))),
    ctx: ctxLayer,
  },
  {
    name: 'gradient off by one above (W_{N:j} for W_{N:j+1})',
    lhs: derived,
    rhs: mul(transpose(sq.W(N, j)), sq.E, transpose(sq.X), transpose(sq.W(j.add(-1), 1))),
    ctx: ctxLayer,
  },
  { name: 'gradient without the ½ (factor 2)', lhs: derived, rhs: mul(2, sq.closedForm(j)), ctx: ctxLayer },
  {
    name: 'end-to-end identity with the last sum term missing',
    lhs: e2eLhs,
    rhs: mul(-1, sigma('j', 1, N.add(-1), e2eTerm(j))),
    ctx: Assumptions.NONE.le(1, N),
  },
  {
    name: 'end-to-end identity without the Gram factor W_{N:j+1}W_{N:j+1}ᵀ',
    lhs: e2eLhs,
    rhs: mul(-1, sigma('j', 1, N, mul(sq.endToEndGradient, transpose(sq.W(j.add(-1), 1)), sq.W(j.add(-1), 1)))),
    ctx: Assumptions.NONE.le(1, N),
  },
  {
    name: 'GD drift identity with η³ for η²',
    lhs: defect((i) => plus(i, false)),
    rhs: add(defect(Wj), mul(eta, eta, eta, cross())),
    ctx: ctxInner,
  },
  {
    name: 'GD drift with weight decay, (1 − ηλ) for (1 − ηλ)²',
    lhs: defect((i) => plus(i, true)),
    rhs: add(mul(sub(1, mul(eta, lambda)), defect(Wj)), mul(eta, eta, cross())),
    ctx: ctxInner,
  },
  {
    name: 'GD drift with the sign of the η² term flipped',
    lhs: defect((i) => plus(i, false)),
    rhs: sub(defect(Wj), mul(eta, eta, cross())),
    ctx: ctxInner,
  },
  {
    name: 'conservation with the velocity on the wrong side (Ẇ_{j+1}W_{j+1}ᵀ)',
    lhs: mul(velocity(j), transpose(Wj(j))),
    rhs: mul(velocity(j.add(1)), transpose(Wj(j.add(1)))),
    ctx: ctxInner,
  },
  {
    name: 'conservation with transposes swapped (Ẇ_jᵀW_j = W_{j+1}Ẇ_{j+1}ᵀ)',
    lhs: mul(transpose(velocity(j)), Wj(j)),
    rhs: mul(Wj(j.add(1)), transpose(velocity(j.add(1)))),
    ctx: ctxInner,
  },
  {
    name: 'product transposed without reversing ((W_{j+1}W_j)ᵀ = W_{j+1}ᵀW_jᵀ)',
    lhs: transpose(sq.W(j.add(1), j)),
    rhs: mul(transpose(Wj(j.add(1))), transpose(Wj(j))),
    ctx: ctxInner,
  },
  {
    name: 'a merge that skips a layer (W_{N:j+1}W_{j−1:1} = W_{N:1})',
    lhs: mul(sq.W(N, j.add(1)), sq.W(j.add(-1), 1)),
    rhs: sq.W(N, 1),
    ctx: ctxLayer,
  },
  {
    name: 'a sum with shifted bounds but unshifted summand (Σ_{k=1}^{N} W_{k:1} = Σ_{k=0}^{N−1} W_{k:1})',
    lhs: sigma('k', 1, N, sq.W(k, 1)),
    rhs: sigma('k', 0, N.add(-1), sq.W(k, 1)),
    ctx: Assumptions.NONE.le(1, N),
  },
];

describe(`${FALSE_IDENTITIES.length} deliberately false identities are never PROVED`, () => {
  for (const f of FALSE_IDENTITIES) {
    it(f.name, () => {
      const r = proveEveryN(f.lhs, f.rhs, { assumptions: f.ctx, seed: 5 });
      expect(r.answer).not.toBe('PROVED');
      expect(r.answer, `${r.reason ?? ''}`).toBe('REFUTED');
      const c = r.numeric.counterexample!;
      expect(c.measured).toBeGreaterThan(c.bound);
      // The counterexample replays from its seed.
      const again = numericCheck(f.lhs, f.rhs, f.ctx, 5).counterexample!;
      expect(again.indices).toEqual(c.indices);
      expect(again.measured).toBe(c.measured);
    });
  }
});

describe('normalization never changes the value (random products of intervals, fast-check)', () => {
  const bound = fc.constantFrom<Affine>(Affine.of(1), j.add(-1), j, j.add(1), N);
  const factor: fc.Arbitrary<IExpr> = fc.oneof(
    fc.tuple(bound, bound, fc.boolean()).map(([hi, lo, t]) => (t ? transpose(sq.W(hi, lo)) : sq.W(hi, lo))),
    fc.boolean().map((t) => (t ? transpose(sq.X) : sq.X)),
  );
  // Under 1 ≤ j ≤ N − 1 nearly every side condition is decidable; under 0 ≤ j alone many are not.
  for (const [label, ctx] of [
    ['1 ≤ j ≤ N − 1', ctxInner],
    ['0 ≤ j', Assumptions.NONE.le(1, N).le(0, j)],
  ] as const) {
    it(`the normal form of a random word equals it at random instances, under ${label}`, () => {
      fc.assert(
        fc.property(fc.array(factor, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 1000 }), (fs, seed) => {
          const e = mul(...fs);
          const form = normalForm(e, ctx, new RuleLog());
          const check = numericCheck(e, formExpr(form), ctx, seed, 3);
          expect(check.counterexample, `${printForm(form)} (seed ${seed})`).toBeUndefined();
        }),
        { seed: 17, numRuns: 400 },
      );
    });
  }
});
