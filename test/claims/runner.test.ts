import { describe, expect, it } from 'vitest';
import { compare, inconclusive } from '../../src/check/verdict.js';
import { defineClaim, type Claim } from '../../src/claims/claim.js';
import { runClaim } from '../../src/claims/runner.js';
import { selectClaims } from '../../src/claims/select.js';
import { gaussianMatrixArb } from '../../src/arbitraries/matrices.js';
import { dimension, seeded } from '../../src/arbitraries/seeded.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { frobeniusInner, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { transpose } from '../../src/linalg/products.js';
import { subtract } from '../../src/linalg/elementwise.js';

const EPS = Number.EPSILON;
const source = { paper: 'test', location: 'runner test', provenance: 'D' as const };

/** ‖A‖² = ⟨A, A⟩ computed two ways: true on every instance. */
const trueClaim = defineClaim({
  id: 'test.norm-identity',
  title: 'norm identity',
  statement: '‖A‖_F² = ⟨A, A⟩',
  source,
  hypotheses: [],
  instances: gaussianMatrixArb([1, 5], [1, 5]),
  check: (a: Matrix) => {
    const lhs = frobeniusNorm(a) ** 2, rhs = frobeniusInner(a, a);
    return compare({ measured: Math.abs(lhs - rhs), bound: 8 * EPS * (lhs + rhs + 1), errorModel: '8ε(|lhs|+|rhs|+1)', detail: 'norm²' });
  },
  expected: 'holds',
  tolerance: 'a few ulps',
  runs: 50,
});

/** "Every square matrix is symmetric": false; the smallest counterexample is 2×2. */
function symmetricClaim(expected: 'holds' | 'counterexample'): Claim<Matrix> {
  return defineClaim({
    ...trueClaim,
    id: 'test.symmetric',
    statement: 'A = Aᵀ',
    instances: seeded(dimension(1, 5), (n, rng) => gaussianMatrix(rng, n, n)),
    check: (a: Matrix) => {
      const d = frobeniusNorm(subtract(a, transpose(a)));
      return compare({ measured: d, bound: 4 * EPS * (frobeniusNorm(a) + 1), errorModel: '4ε(‖A‖+1)', detail: '‖A − Aᵀ‖' });
    },
    expected,
  });
}

describe('runClaim', () => {
  it('reports a true claim as holding, with its worst margin', () => {
    const r = runClaim(trueClaim, { seed: 7 });
    expect(r.status).toBe('pass');
    expect(r.observed).toBe('holds');
    expect(r.runs).toBe(50);
    expect(r.worst?.margin).toBeGreaterThan(0);
    expect(r.replay).toContain('--claims test.norm-identity --seed 7');
  });

  it('finds, shrinks and replays a counterexample to a false claim', () => {
    const r = runClaim(symmetricClaim('holds'), { seed: 3, runs: 100 });
    expect(r.status).toBe('fail');
    expect(r.observed).toBe('counterexample');
    const instance = r.counterexample!.instance as Matrix;
    expect([instance.rows, instance.cols]).toEqual([2, 2]);
    expect(r.counterexample!.verdict!.status).toBe('fail');
    expect(r.replay).toMatch(/--path \S+/);
    const replayed = runClaim(symmetricClaim('holds'), { seed: 3, path: r.counterexample!.path });
    expect((replayed.counterexample!.instance as Matrix).toArray()).toEqual(instance.toArray());
  });

  it('passes an expected-counterexample claim only when one is found', () => {
    expect(runClaim(symmetricClaim('counterexample'), { seed: 3 }).status).toBe('pass');
    const impossible = runClaim({ ...trueClaim, expected: 'counterexample' }, { seed: 3 });
    expect(impossible.status).toBe('fail');
    expect(impossible.observed).toBe('holds');
  });

  it('is deterministic for a seed', () => {
    const strip = ({ seconds: _s, ...rest }: ReturnType<typeof runClaim>) => JSON.parse(JSON.stringify(rest));
    expect(strip(runClaim(symmetricClaim('holds'), { seed: 11 }))).toEqual(strip(runClaim(symmetricClaim('holds'), { seed: 11 })));
  });

  it('reports a check that throws as a counterexample carrying the error', () => {
    const throwing = { ...trueClaim, check: () => { throw new Error('boom'); } };
    const r = runClaim(throwing, { seed: 1 });
    expect(r.status).toBe('fail');
    expect(r.counterexample?.error).toContain('boom');
  });

  it('counts inconclusive runs and takes the worst margin over the runs that passed', () => {
    const sometimes = defineClaim({
      ...trueClaim,
      check: (a: Matrix) => (a.rows === 1 ? inconclusive({ measured: 1, bound: 2, errorModel: 'test', detail: 'undecided' }) : trueClaim.check(a)),
    });
    const r = runClaim(sometimes, { seed: 2 });
    expect(r.inconclusiveRuns).toBeGreaterThan(0);
    expect(r.observed).toBe('holds');
    expect(r.worst?.status).toBe('pass');
  });

  it('rejects bad options with typed errors', () => {
    expect(() => runClaim(trueClaim, { seed: 1, runs: 0 })).toThrow(/runs/);
    expect(() => runClaim(trueClaim, { seed: 1, budgetSeconds: -1 })).toThrow(/budget/);
  });
});

describe('selectClaims', () => {
  const all = [trueClaim, symmetricClaim('holds')];
  it('matches globs and rejects a glob that matches nothing', () => {
    expect(selectClaims(all, ['test.sym*']).map((c) => c.id)).toEqual(['test.symmetric']);
    expect(selectClaims(all, []).length).toBe(2);
    expect(() => selectClaims(all, ['nope.*'])).toThrow(/no claim matches 'nope\.\*'/);
  });
});
