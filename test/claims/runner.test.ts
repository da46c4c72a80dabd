import { describe, expect, it } from 'vitest';
import { gaussianMatrixArb } from '../../src/arbitraries/matrices.js';
import { dimension, seeded } from '../../src/arbitraries/seeded.js';
import { compare, inconclusive } from '../../src/check/verdict.js';
import { type Claim, defineClaim } from '../../src/claims/claim.js';
import { runClaim } from '../../src/claims/runner.js';
import { selectClaims } from '../../src/claims/select.js';
import { subtract } from '../../src/linalg/elementwise.js';
import { frobeniusInner, frobeniusNorm } from '../../src/linalg/frobenius.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { transpose } from '../../src/linalg/products.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';

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
    const lhs = frobeniusNorm(a) ** 2,
      rhs = frobeniusInner(a, a);
    return compare({
      measured: Math.abs(lhs - rhs),
      bound: 8 * EPS * (lhs + rhs + 1),
      errorModel: '8ε(|lhs|+|rhs|+1)',
      detail: 'norm²',
    });
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
      return compare({
        measured: d,
        bound: 4 * EPS * (frobeniusNorm(a) + 1),
        errorModel: '4ε(‖A‖+1)',
        detail: '‖A − Aᵀ‖',
      });
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
    expect(strip(runClaim(symmetricClaim('holds'), { seed: 11 }))).toEqual(
      strip(runClaim(symmetricClaim('holds'), { seed: 11 })),
    );
  });

  it('reports a check that throws as an error of the claim, with its instance and a replay path, never a counterexample', () => {
    const throwing = {
      ...trueClaim,
      check: () => {
        throw new Error('boom');
      },
    };
    const r = runClaim(throwing, { seed: 1 });
    expect(r).toMatchObject({ status: 'error', observed: 'error', error: { kind: 'check-threw', path: '0' } });
    expect(r.error?.message).toBe('check threw: boom');
    expect(r.error?.instance).toBeDefined();
    expect(r.counterexample).toBeUndefined();
    expect(r.replay).toBe('npx dlnv verify --claims test.norm-identity --seed 1 --path 0');
  });

  it('the replay path of an error reproduces it', () => {
    let calls = 0;
    const late = {
      ...trueClaim,
      check: (a: Matrix) =>
        ++calls === 7
          ? (() => {
              throw new Error('late');
            })()
          : trueClaim.check(a),
    };
    const r = runClaim(late, { seed: 4 });
    expect(r.error).toMatchObject({ kind: 'check-threw', path: '6' });
    // Replaying path 6 checks that very instance first: a check that throws on it again is found at once.
    const seen: unknown[] = [];
    runClaim(
      {
        ...trueClaim,
        check: (a: Matrix) => {
          seen.push(a);
          return trueClaim.check(a);
        },
      },
      { seed: 4, path: '6', runs: 1 },
    );
    expect(JSON.stringify(seen[0])).toBe(JSON.stringify(r.error?.instance));
  });

  it.each([
    ['a string', () => 'fine', /returned the string "fine" instead of a Verdict/],
    ['undefined', () => undefined, /returned undefined instead of a Verdict/],
    ['a Promise', () => new Promise(() => {}), /returned a Promise/],
    [
      'an unknown status',
      () => ({ ...compare({ measured: 0, bound: 1, errorModel: 'e', detail: 'd' }), status: 'ok' }),
      /status "ok"/,
    ],
    [
      'a NaN-free object without numbers',
      () => ({ status: 'pass', measured: '0', bound: 1, margin: 1, comparison: '<=', errorModel: '', detail: '' }),
      /measured is string/,
    ],
  ])('a check that returns %s is an error naming what it returned, never a pass', (_what, check, message) => {
    const r = runClaim({ ...trueClaim, check: check as unknown as Claim<Matrix>['check'] }, { seed: 1 });
    expect(r.status).toBe('error');
    expect(r.error?.kind).toBe('invalid-verdict');
    expect(r.error?.message).toMatch(message);
  });

  it('a generator that throws is an error of the claim, with the replay path of the draw', () => {
    const broken = {
      ...trueClaim,
      instances: trueClaim.instances.map((a) =>
        a.rows > 3
          ? (() => {
              throw new Error('cannot build');
            })()
          : a,
      ),
    };
    const r = runClaim(broken, { seed: 1 });
    expect(r).toMatchObject({ status: 'error', observed: 'error', error: { kind: 'generator-threw' } });
    expect(r.error?.message).toBe('instance generator threw: cannot build');
    expect(r.replay).toMatch(/--path \d+$/);
  });

  it('a FALSE variant whose check throws is an error, not a found counterexample', () => {
    const r = runClaim(
      {
        ...symmetricClaim('counterexample'),
        check: () => {
          throw new Error('boom');
        },
      },
      { seed: 1 },
    );
    expect(r.status).toBe('error');
  });

  it('a claim whose runs are mostly inconclusive is undecided, neither pass nor fail, with the reasons counted', () => {
    const undecided = defineClaim({
      ...trueClaim,
      check: (a: Matrix) =>
        a.rows > 1
          ? inconclusive({
              measured: a.rows,
              bound: 1,
              errorModel: 'test',
              detail: `no convergence after ${a.rows * 100} steps`,
            })
          : trueClaim.check(a),
    });
    const r = runClaim(undecided, { seed: 2 });
    expect(r.status).toBe('inconclusive');
    expect(r.observed).toBe('inconclusive');
    expect(r.inconclusiveOverBudget).toBe(true);
    expect(r.inconclusiveReasons).toHaveLength(1);
    expect(r.inconclusiveReasons[0]).toMatchObject({
      reason: 'no convergence after # steps',
      count: r.inconclusiveRuns,
    });
    // The same as a FALSE variant: an undecided check finds no counterexample, and says so instead of failing.
    expect(runClaim({ ...undecided, expected: 'counterexample' }, { seed: 2 }).status).toBe('inconclusive');
  });

  it('flags a claim whose inconclusive share is over the budget even when it holds', () => {
    let k = 0;
    const rare = defineClaim({
      ...trueClaim,
      check: (a: Matrix) =>
        ++k % 20 === 0 ? inconclusive({ measured: 1, bound: 0, errorModel: 't', detail: 'rare' }) : trueClaim.check(a),
    });
    const r = runClaim(rare, { seed: 1, runs: 100 });
    expect(r).toMatchObject({ status: 'pass', observed: 'holds', inconclusiveRuns: 5, inconclusiveOverBudget: true });
    k = 1; // one inconclusive run in 100 is within the 1 % budget
    expect(
      runClaim(
        {
          ...rare,
          check: (a: Matrix) =>
            ++k === 50 ? inconclusive({ measured: 1, bound: 0, errorModel: 't', detail: 'rare' }) : trueClaim.check(a),
        },
        { seed: 1, runs: 100 },
      ).inconclusiveOverBudget,
    ).toBe(false);
  });

  it('refuses a --path that is malformed or leads to no instance of the claim', () => {
    expect(() => runClaim(trueClaim, { seed: 1, path: 'xyz' })).toThrow(/--path must be numbers separated by ':'/);
    expect(() => runClaim(trueClaim, { seed: 1, path: '3:99:99' })).toThrow(
      /does not lead to an instance of test\.norm-identity/,
    );
  });

  it('names the claim file in the replay line of a user claim', () => {
    const r = runClaim(symmetricClaim('holds'), { seed: 1, claimsFile: 'my-claims.ts' });
    expect(r.replay).toMatch(/^npx dlnv verify --claims-file my-claims\.ts --claims test\.symmetric --seed 1 --path /);
  });

  it('counts inconclusive runs and takes the worst margin over the runs that passed', () => {
    const sometimes = defineClaim({
      ...trueClaim,
      check: (a: Matrix) =>
        a.rows === 1
          ? inconclusive({ measured: 1, bound: 2, errorModel: 'test', detail: 'undecided' })
          : trueClaim.check(a),
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
