import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runClaim } from '../../src/claims/runner.js';
import type { Claim } from '../../src/claims/claim.js';
import {
  checkAccelerated,
  checkImplicitBias,
  checkNegativePerturbation,
  checkReparamFlow,
  nnlsClaims,
  smallAlphaLimit,
  type AcceleratedInstance,
  type ImplicitBiasInstance,
  type PerturbationInstance,
  type ReparamFlowInstance,
} from '../../properties/nnls.js';
import { checkQAlpha, woodworthClaims, type DiagonalInstance } from '../../properties/woodworth.js';
import { nnlsReparamFlow } from '../../proofs/nnls-reparam-flow.js';
import { lawsonHanson } from '../../src/nnls/lawson-hanson.js';
import { kktVerdict } from '../../src/nnls/kkt.js';
import { leastSquaresProblem, LeastSquaresWorkspace } from '../../src/nnls/problem.js';
import { minNormInterpolant } from '../../src/nnls/interpolants.js';
import { distance, matVecInto, norm2 } from '../../src/nnls/vector.js';
import { Rng } from '../../src/random/rng.js';
import { pseudoInverse } from '../../src/linalg/pinv.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';

const claims: Claim<any>[] = [...nnlsClaims, ...woodworthClaims];
const byId = (id: string): Claim<any> => claims.find((c) => c.id === id)!;

describe('NNLS and diagonal-network claims (THEORY §5)', () => {
  it('covers the issue’s claim ids with provenance tags', () => {
    expect(claims.map((c) => c.id)).toEqual([
      'nnls.reparam-flow',
      'nnls.converges',
      'nnls.implicit-bias',
      'nnls.positivity',
      'nnls.positivity.odd-L',
      'nnls.positivity.large-step',
      'nnls.accelerated',
      'nnls.negative-perturbation',
      'wgl.q-alpha',
    ]);
    expect(byId('nnls.negative-perturbation').source.provenance).toBe('P/M');
    expect(byId('nnls.accelerated').source.provenance).toBe('P/D');
    expect(byId('wgl.q-alpha').source.provenance).toBe('P');
    expect(byId('nnls.reparam-flow').source.provenance).toBe('D');
  });

  for (const claim of claims) {
    it(`${claim.id} meets its expected outcome (${claim.expected}) with seed 1`, () => {
      const r = runClaim(claim, { seed: 1 });
      expect(r.status, `${claim.id}: ${r.worst?.detail}`).toBe('pass');
      if (claim.expected === 'counterexample') {
        // Shrunk to the smallest problem: one row, one column.
        const inst = r.counterexample!.instance as { A: number[][] };
        expect([inst.A.length, inst.A[0].length]).toEqual([1, 1]);
      } else {
        expect(r.inconclusiveRuns * 4).toBeLessThan(r.runs);
      }
    });
  }
});

describe('the checks have teeth', () => {
  it('a wrong induced flow (exponent 1 − 2/L instead of 2 − 2/L) is refuted and shrunk', () => {
    const wrong = { ...byId('nnls.reparam-flow'), check: (i: ReparamFlowInstance) => checkReparamFlow(i, 1 - 2 / i.L) };
    const r = runClaim(wrong, { seed: 1, runs: 50 });
    expect(r.status).toBe('fail');
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toMatch(/defect|slope/);
  });

  it('a wrong NNLS answer fails the KKT check', () => {
    const rng = new Rng(2);
    const A = gaussianMatrix(rng, 7, 4);
    const b = Float64Array.from({ length: 7 }, () => rng.gaussian());
    const p = leastSquaresProblem(A, b);
    const s = lawsonHanson(A, b);
    expect(kktVerdict(p, s.x).status).toBe('pass');
    expect(kktVerdict(p, s.x.map((v) => v * (1 + 1e-6))).status).toBe('fail');
    // The unconstrained least-squares solution A⁺b has a negative entry on this instance: it fails x ≥ 0.
    const ls = matVecInto(new Float64Array(4), pseudoInverse(A).matrix, b);
    expect(Math.min(...ls)).toBeLessThan(0);
    const v = kktVerdict(p, ls);
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('x ≥ 0');
  });

  it('Euclidean (projected GD) dynamics do not have the KL implicit bias', () => {
    const euclidean = (inst: ImplicitBiasInstance) => {
      const ws = new LeastSquaresWorkspace(leastSquaresProblem(inst.A, inst.b));
      const x = new Float64Array(inst.A.cols).fill(inst.alpha ** 2);
      for (let k = 0; k < 20_000; k++) {
        ws.evaluate(x);
        for (let i = 0; i < x.length; i++) x[i] = Math.max(0, x[i] - 0.9 * ws.gradient[i]);
      }
      return { x, reached: true, detail: 'projected GD in x' };
    };
    const wrong = { ...byId('nnls.implicit-bias'), check: (i: ImplicitBiasInstance) => checkImplicitBias(i, euclidean) };
    const r = runClaim(wrong, { seed: 1, runs: 20 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toContain('projected GD');
  });

  it('a kernel-regime (minimum-norm) limit is not the diagonal network’s limit at α ≤ 1', () => {
    const wrong = {
      ...byId('wgl.q-alpha'),
      check: (i: DiagonalInstance) => checkQAlpha(i, (X, y) => ({ beta: minNormInterpolant(X, y), reached: true, detail: 'X⁺y' })),
    };
    const r = runClaim(wrong, { seed: 1, runs: 10 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toContain('argmin_{Xβ=y} Q_α');
  });

  it('the accelerated bound without its factor 4 is refuted', () => {
    const wrong = { ...byId('nnls.accelerated'), check: (i: AcceleratedInstance) => checkAccelerated(i, 1) };
    const r = runClaim(wrong, { seed: 1, runs: 30 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.detail).toContain('max t²(f(x(t)) − f*)');
  });

  it('a √‖n‖ error law fails the linear-scaling check', () => {
    const wrong = {
      ...byId('nnls.negative-perturbation'),
      check: (inst: PerturbationInstance) =>
        checkNegativePerturbation(inst, (a, b) => {
          const x = smallAlphaLimit(a, b);
          x[0] += Math.sqrt(distance(b, inst.b));
          return x;
        }),
    };
    const r = runClaim(wrong, { seed: 1, runs: 30 });
    expect(r.observed).toBe('counterexample');
    expect(r.counterexample!.verdict!.measured).toBeLessThan(0.85);
  });

  it('the instances are seeded and shrinkable (dimensions first)', () => {
    const claim = byId('nnls.converges');
    const [a] = fc.sample(claim.instances, { seed: 5, numRuns: 1 });
    const [b] = fc.sample(claim.instances, { seed: 5, numRuns: 1 });
    expect(JSON.stringify(claim.summarize!(a))).toEqual(JSON.stringify(claim.summarize!(b)));
    expect(norm2(matVecInto(new Float64Array(a.A.rows), a.A, new Float64Array(a.A.cols).fill(1)))).toBeGreaterThan(0);
  });
});

describe('proof nnls.reparam-flow', () => {
  it('holds symbolically and numerically', () => {
    const r = nnlsReparamFlow.run(1);
    expect(r.symbolic.holds, r.symbolic.detail).toBe(true);
    expect(r.numeric.status, r.numeric.detail).toBe('pass');
    expect(r.holds).toBe(true);
    expect(nnlsReparamFlow.render('md')).toContain('Chain rule');
  });
});
