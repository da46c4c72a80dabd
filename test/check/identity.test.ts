import { describe, expect, it } from 'vitest';
import { checkIdentity, checkScalarIdentity, productScale } from '../../src/check/identity.js';
import { describe as describeVerdict } from '../../src/check/verdict.js';
import { DomainError, ShapeError } from '../../src/errors.js';
import { frobeniusInner, frobeniusNorm } from '../../src/linalg/frobenius.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { Rng } from '../../src/random/rng.js';
import { conditioned } from './instances.js';

function factors(seed: number): [Matrix, Matrix, Matrix] {
  const rng = new Rng(seed);
  const d = Array.from({ length: 4 }, () => rng.integer(1, 9));
  const cond = () => 10 ** (4 * rng.uniform()),
    top = () => 10 ** (4 * rng.uniform() - 2);
  return [
    conditioned(rng, d[0], d[1], cond(), top()),
    conditioned(rng, d[1], d[2], cond(), top()),
    conditioned(rng, d[2], d[3], cond(), top()),
  ];
}

describe('checkIdentity', () => {
  it('passes associativity (AB)C = A(BC) on 1000 seeded instances (condition numbers up to 1e4, scales 1e-2..1e2)', () => {
    const bad: string[] = [];
    for (let seed = 1; seed <= 1000; seed++) {
      const [A, B, C] = factors(seed);
      const v = checkIdentity(multiply(multiply(A, B), C), multiply(A, multiply(B, C)), {
        scale: productScale([A, B, C]),
        label: '(AB)C = A(BC)',
      });
      if (v.status !== 'pass') bad.push(`seed ${seed}: ${describeVerdict(v)}`);
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('fails AB = BA and a 1e-10 relative perturbation', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rng = new Rng(seed);
      const n = rng.integer(2, 6);
      const A = conditioned(rng, n, n, 100),
        B = conditioned(rng, n, n, 100);
      const AB = multiply(A, B);
      expect(checkIdentity(AB, multiply(B, A), { scale: productScale([A, B]) }).status, `seed ${seed}`).toBe('fail');
      const perturbed = AB.clone();
      const size = frobeniusNorm(AB);
      perturbed.data[rng.integer(0, n * n - 1)] += 1e-10 * size;
      expect(checkIdentity(AB, perturbed, { scale: productScale([A, B]) }).status, `seed ${seed}`).toBe('fail');
    }
  });

  it('needs the scale of the operands when both sides are ≈ 0: (A + B) − B − A = 0', () => {
    const rng = new Rng(11);
    const A = conditioned(rng, 4, 5, 10, 3),
      B = conditioned(rng, 4, 5, 10, 7);
    const lhs = new Matrix(
      4,
      5,
      A.data.map((a, i) => a + B.data[i] - B.data[i] - a),
    );
    const zero = new Matrix(4, 5);
    expect(frobeniusNorm(lhs)).toBeGreaterThan(0); // round-off leaves something
    expect(checkIdentity(lhs, zero, { scale: frobeniusNorm(A) + frobeniusNorm(B) }).status).toBe('pass');
    expect(checkIdentity(lhs, zero, { scale: 0 }).status).toBe('fail');
  });

  it('compares lists of matrices as one vector and prints the formula with its value', () => {
    const I = Matrix.identity(2),
      J = Matrix.identity(3);
    const v = checkIdentity([I, J], [I.clone(), J.clone()], { scale: 1 });
    expect(v.status).toBe('pass');
    expect(v.measured).toBe(0);
    expect(v.errorModel).toMatch(
      /^8·ε·\(‖lhs‖\+‖rhs‖\+scale\) = 8·2\.22e-16·\(2\.24e\+0\+2\.24e\+0\+1\.00e\+0\) = 9\.7\de-15$/,
    );
    const w = checkIdentity([I, J], [I, Matrix.zeros(3, 3)], { scale: 1 });
    expect(w.status).toBe('fail');
    expect(w.measured).toBeCloseTo(Math.sqrt(3), 12);
  });

  it('fails on NaN (a broken computation is a failure, not a pass)', () => {
    const A = Matrix.identity(2),
      B = A.clone();
    B.data[1] = NaN;
    expect(checkIdentity(A, B, { scale: 1 }).status).toBe('fail');
  });

  it('rejects mismatched shapes and a bad scale with typed errors', () => {
    expect(() => checkIdentity(Matrix.identity(2), Matrix.identity(3), { scale: 1 })).toThrow(ShapeError);
    expect(() => checkIdentity([Matrix.identity(2)], [], { scale: 1 })).toThrow(ShapeError);
    expect(() => checkIdentity(Matrix.identity(2), Matrix.identity(2), { scale: -1 })).toThrow(DomainError);
    expect(() => checkIdentity(Matrix.identity(2), Matrix.identity(2), { scale: NaN })).toThrow(/scale/);
  });
});

describe('checkScalarIdentity', () => {
  it('passes tr(AB) = tr(BA) and fails tr(AB) = tr(AᵀB)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = new Rng(seed);
      const n = rng.integer(2, 8);
      const A = conditioned(rng, n, n, 1e4),
        B = conditioned(rng, n, n, 1e4);
      const trace = (M: Matrix): number => Array.from({ length: n }, (_, i) => M.get(i, i)).reduce((s, v) => s + v, 0);
      const scale = productScale([A, B]);
      const ok = checkScalarIdentity(trace(multiply(A, B)), trace(multiply(B, A)), { scale });
      expect(ok.status, `seed ${seed}: ${describeVerdict(ok)}`).toBe('pass');
      const bad = checkScalarIdentity(trace(multiply(A, B)), frobeniusInner(A, B), { scale });
      expect(bad.status, `seed ${seed}: ${describeVerdict(bad)}`).toBe('fail');
    }
  });
});

describe('productScale', () => {
  it('is (sum of inner dimensions)·Π‖F_j‖_F and checks conformity', () => {
    const A = Matrix.from([[3, 4]]),
      B = Matrix.from([[1], [0]]);
    expect(productScale([A, B])).toBe(2 * 5 * 1);
    expect(productScale([A])).toBe(5);
    expect(() => productScale([A, A])).toThrow(ShapeError);
  });
});
