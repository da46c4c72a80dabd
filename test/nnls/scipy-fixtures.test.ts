import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildNnlsProblem,
  type NnlsProblemSpec,
  nnlsProblemSpecs,
  problemDigest,
} from '../../bench/lib/nnls-problems.js';
import { kktVerdict } from '../../src/nnls/kkt.js';
import { lawsonHanson } from '../../src/nnls/lawson-hanson.js';
import { columnNorms, leastSquaresProblem } from '../../src/nnls/problem.js';
import { excess } from './objective-excess.js';

// dlnv's Lawson–Hanson against scipy.optimize.nnls on the committed problem set (issue 16): the fixture was written by
// test/fixtures/reference/nnls_scipy.py (regenerate with `python3 test/fixtures/reference/nnls_scipy.py write`); the
// problems are rebuilt here from their specifications (bench/lib/nnls-problems.ts) and checked bit for bit against the
// fixture's SHA-256 before anything is compared. Nothing here needs Python, so nothing skips.

interface FixtureProblem {
  spec: NnlsProblemSpec;
  sha256: string;
  columnNorms: { min: number; max: number };
  scipy: { x: number[]; rnorm: number } | { error: string };
}
const fixture: { reference: string; problems: FixtureProblem[] } = JSON.parse(
  readFileSync(new URL('../fixtures/reference/nnls-scipy.json', import.meta.url), 'utf8'),
);

describe('Lawson–Hanson against the committed scipy.optimize.nnls fixtures', () => {
  it('the fixture covers the problem set: 97 problems, 50+ with column norms spread over 1e-6..1e6, four with 500 columns', () => {
    const specs = nnlsProblemSpecs();
    expect(fixture.problems.map((p) => p.spec)).toEqual(specs);
    const spread = fixture.problems.filter((p) => p.columnNorms.min <= 1e-4 && p.columnNorms.max >= 1e4);
    expect(spread.length).toBeGreaterThanOrEqual(50);
    expect(fixture.problems.filter((p) => p.spec.n === 500).length).toBe(4);
    expect(Math.max(...fixture.problems.filter((p) => p.spec.n < 500).map((p) => p.spec.n))).toBe(100);
    for (const p of fixture.problems) expect('x' in p.scipy, `SciPy failed on ${p.spec.id}`).toBe(true);
  });

  for (const entry of fixture.problems) {
    const { spec } = entry;
    it(`${spec.id}: converged, KKT at round-off, objective not above SciPy's beyond round-off`, () => {
      const replay = `replay: buildNnlsProblem(${JSON.stringify(spec)}) from bench/lib/nnls-problems.ts, then lawsonHanson(A, b)`;
      const p = buildNnlsProblem(spec);
      expect(problemDigest(p), `the rebuilt problem differs from the one SciPy solved; ${replay}`).toBe(entry.sha256);
      const xs = (entry.scipy as { x: number[] }).x;
      const problem = leastSquaresProblem(p.A, p.b);
      const s = lawsonHanson(p.A, p.b);
      expect(s.status, replay).toBe('converged');
      const kkt = kktVerdict(problem, s.x);
      expect(kkt.status, `${kkt.detail}; ${kkt.errorModel}; ${replay}`).toBe('pass');
      const e = excess(problem, s.x, xs);
      expect(e.ratio, `${e.text}; ${replay}`).toBeLessThanOrEqual(1);
    });
  }
});

describe('the comparison and the KKT verdict have teeth on badly scaled problems', () => {
  const diag = fixture.problems.find((p) => p.spec.family === 'diag')!;
  const p = buildNnlsProblem(diag.spec);
  const problem = leastSquaresProblem(p.A, p.b);

  it("the issue's case A = diag(1e6, 1e-6), b = (1e6, 1): the solution (1, 1e6) passes, the old answer (1, 0) fails both", () => {
    const s = lawsonHanson(p.A, p.b);
    expect(Array.from(s.x)).toEqual([1, 1e6]);
    expect(kktVerdict(problem, s.x).status).toBe('pass');
    const wrong = kktVerdict(problem, [1, 0]);
    expect(wrong.status).toBe('fail');
    expect(wrong.detail).toMatch(/worst: ∇f ≥ 0 at j = 1/);
    expect(excess(problem, [1, 0], (diag.scipy as { x: number[] }).x).ratio).toBeGreaterThan(1e6);
  });

  it('dropping the smallest-scaled positive coordinate of a 94-column scaled solution fails the KKT verdict', () => {
    const entry = fixture.problems.find((q) => q.spec.family === 'scaled' && q.spec.n > 90)!;
    const q = buildNnlsProblem(entry.spec);
    const prob = leastSquaresProblem(q.A, q.b);
    const s = lawsonHanson(q.A, q.b);
    expect(kktVerdict(prob, s.x).status).toBe('pass');
    const norms = columnNorms(q.A);
    let j = -1;
    for (const i of s.passive) if (j < 0 || norms[i] < norms[j]) j = i;
    expect(norms[j]).toBeLessThan(1e-3);
    const wrong = Float64Array.from(s.x);
    wrong[j] = 0;
    const v = kktVerdict(prob, wrong);
    expect(v.status, v.detail).toBe('fail');
    expect(v.detail).toContain(`at j = ${j}`);
  });
});
