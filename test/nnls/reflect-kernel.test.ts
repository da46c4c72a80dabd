import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNnlsProblem, type NnlsProblemSpec } from '../../bench/lib/nnls-problems.js';
import { kktRoundOff } from '../../src/nnls/kkt.js';
import { lawsonHanson } from '../../src/nnls/lawson-hanson.js';
import { leastSquaresProblem } from '../../src/nnls/problem.js';
import { reflectKernel, reflectKernelAvailable, setReflectKernelEnabled } from '../../src/nnls/reflect-kernel.js';
import { Rng } from '../../src/random/rng.js';
import { excess } from './objective-excess.js';

afterAll(() => setReflectKernelEnabled(true));

describe('the WebAssembly reflector kernel', () => {
  it('is available here (Node 20 has WebAssembly SIMD), and switching it off is seen by the solver', () => {
    expect(reflectKernelAvailable()).toBe(true);
    setReflectKernelEnabled(false);
    expect(reflectKernelAvailable()).toBe(false);
    expect(reflectKernel(64)).toBeNull();
    setReflectKernelEnabled(true);
  });

  it('computes what the definition says, for 0 to 9 rows after the head (both parities), and a wrong v0 shows', () => {
    const rng = new Rng(4);
    for (let rows = 0; rows <= 9; rows++) {
      const k = reflectKernel(8 * 256)!;
      const h = new Float64Array(k.memory.buffer, 0, 256);
      for (let i = 0; i < 256; i++) h[i] = rng.gaussian();
      const ref = Float64Array.from(h);
      // Columns start at 0, 32, 64, 96 (head at +2, rows from +3), v at 160, y at 192, out at 224.
      const heads = [2, 34, 66, 98],
        v0 = rng.gaussian(),
        hh = 1 + rng.uniform();
      const want: number[] = [];
      for (const head of heads) {
        let s = v0 * ref[head];
        for (let i = 0; i < rows; i++) s += ref[160 + i] * ref[head + 1 + i];
        s /= hh;
        ref[head] -= s * v0;
        let a = 0;
        for (let i = 0; i < rows; i++) {
          ref[head + 1 + i] -= s * ref[160 + i];
          a += ref[head + 1 + i] * ref[192 + i];
        }
        want.push(a);
      }
      const [c0, c1, c2, c3] = heads.map((x) => 8 * (x + 1));
      k.reflect4(rows, 8 * 160, 8 * 192, c0, c1, c2, c3, v0, 1 / hh, 8 * 224);
      const scale = Math.max(1, ...Array.from(ref.subarray(0, 128), Math.abs));
      for (let i = 0; i < 128; i++)
        expect(Math.abs(h[i] - ref[i]), `rows ${rows}, entry ${i}`).toBeLessThanOrEqual(16 * Number.EPSILON * scale);
      for (let u = 0; u < 4; u++)
        expect(Math.abs(h[224 + u] - want[u])).toBeLessThanOrEqual(64 * Number.EPSILON * scale * scale * (rows + 1));
      if (rows > 0) {
        k.reflect4(rows, 8 * 160, 8 * 192, c0, c1, c2, c3, v0 + 1, 1 / hh, 8 * 224);
        expect(Math.abs(h[heads[0]] - ref[heads[0]])).toBeGreaterThan(1e-6);
      }
    }
  });

  it('the solver with and without it: both converge with KKT at round-off and the same objective on hostile problems', () => {
    const fixture: { problems: { spec: NnlsProblemSpec }[] } = JSON.parse(
      readFileSync(new URL('../fixtures/reference/nnls-scipy.json', import.meta.url), 'utf8'),
    );
    const specs = fixture.problems
      .map((p) => p.spec)
      .filter((s) => s.n >= 60 && s.n <= 100)
      .slice(0, 16);
    for (const spec of specs) {
      const p = buildNnlsProblem(spec);
      const withKernel = lawsonHanson(p.A, p.b);
      setReflectKernelEnabled(false);
      const withoutKernel = lawsonHanson(p.A, p.b);
      setReflectKernelEnabled(true);
      for (const s of [withKernel, withoutKernel]) {
        expect(s.status, spec.id).toBe('converged');
        expect(s.kkt.worst, spec.id).toBeLessThanOrEqual(kktRoundOff(p.A.rows, p.A.cols));
      }
      const problem = leastSquaresProblem(p.A, p.b);
      for (const [x, xs] of [
        [withKernel.x, withoutKernel.x],
        [withoutKernel.x, withKernel.x],
      ]) {
        const e = excess(problem, x, xs);
        expect(e.ratio, `${spec.id}: ${e.text}`).toBeLessThanOrEqual(1);
      }
    }
  });
});
