import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { derive, identityClaim, prove } from '../../src/symbolic/every-n/api.js';
import { checkGradientAtInstances } from '../../src/symbolic/every-n/gradient-check.js';
import { Affine, Assumptions, mul, symbolicDln, transpose } from '../../src/symbolic/every-n/index.js';
import { proveStatement } from '../../src/symbolic/every-n/user.js';

/** The table of user-style identities in docs/PROOFS.md, with the answers it documents. */
function documented(): Array<{ row: string; statement: string; where?: string; square: boolean; answer: string }> {
  const text = readFileSync(new URL('../../docs/PROOFS.md', import.meta.url), 'utf8');
  const rows: Array<{ row: string; statement: string; where?: string; square: boolean; answer: string }> = [];
  for (const line of text.split('\n')) {
    const m = /^\| (\d+) \| `(.+)` \|\s*(.*?)\s*\| (PROVED|REFUTED|UNDECIDED) \|$/.exec(line);
    if (!m) continue;
    rows.push({
      row: m[1],
      statement: m[2],
      where: /--where "([^"]+)"/.exec(m[3])?.[1],
      square: m[3].includes('--square'),
      answer: m[4],
    });
  }
  return rows;
}

describe('the user-style identities of docs/PROOFS.md give their documented answers', () => {
  const rows = documented();
  it('the table has at least ten rows, true and false ones', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(new Set(rows.map((r) => r.answer))).toEqual(new Set(['PROVED', 'REFUTED', 'UNDECIDED']));
  });
  for (const r of rows) {
    it(`${r.row}: ${r.statement} → ${r.answer}`, async () => {
      const res = await prove(r.statement, { where: r.where, square: r.square });
      expect(res.answer, `${res.reason ?? ''} ${res.remainder ?? ''}`).toBe(r.answer);
      if (r.answer === 'REFUTED')
        expect(res.numeric.counterexample!.measured).toBeGreaterThan(res.numeric.counterexample!.bound);
      if (r.answer === 'UNDECIDED') expect(res.remainder).toBeTruthy();
      if (r.answer === 'PROVED') expect(res.steps.at(-1)!.text).toMatch(/= 0$/);
    });
  }
});

describe('statement syntax', () => {
  const error = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('a syntax error is one line naming the column', () => {
    const m = error(() => proveStatement('W[N:1] * * X == Y'));
    expect(m).toMatch(/^syntax error at column 10: /);
    expect(m).toContain('W[N:1] * ▸* X == Y');
    expect(m).not.toContain('\n');
  });
  it('columns are those of the text as typed, after the rewritten `..` and <A, B>', () => {
    expect(error(() => proveStatement('sum(k=1..N, <A, B>) == ) A'))).toMatch(/^syntax error at column 24: /);
  });
  it('non-affine indices, unknown functions, a missing == and bad side conditions are one-line errors', () => {
    expect(error(() => proveStatement('W[N*j:1] == W[N:1]'))).toMatch(/affine/);
    expect(error(() => proveStatement('foo(A) == A'))).toMatch(/unknown function foo/);
    expect(error(() => proveStatement('A B'))).toMatch(/expected "lhs == rhs"/);
    expect(error(() => proveStatement('A == A', { where: 'j < ' }))).toMatch(/^syntax error at column/);
  });
  it("transposes: A' and A^T are the same", () => {
    expect(proveStatement("A^T B == A' B").answer).toBe('PROVED');
  });
  it('shapes are inferred, and an ill-shaped statement says so instead of guessing', () => {
    expect(() => proveStatement('W[N:1] X == X')).toThrow(/d_N|d_0/);
    expect(proveStatement('W[N:1] X == Y').answer).toBe('REFUTED');
  });
  it('--shapes fixes sizes by hand', () => {
    expect(() => proveStatement('A B == C', { shapes: 'A: p x q, B: r x s' })).toThrow(/q|r/);
  });
});

describe('derive', () => {
  it('derives the layer gradient of the squared loss, which equals the closed form', async () => {
    const g = await derive('grad(1/2*norm2(W[N:1]*X - Y), W_j)');
    expect(g.gradient).toBe('W_{N:j+1}ᵀ W_{N:1} X Xᵀ W_{j−1:1}ᵀ − W_{N:j+1}ᵀ Y Xᵀ W_{j−1:1}ᵀ');
    expect(g.steps.map((s) => s.rule)).toEqual(expect.arrayContaining(['split', 'trace rule']));
    const closed = await prove(
      "W[N:j+1]' (W[N:1] X - Y) X' W[j-1:1]' == W[N:j+1]' W[N:1] X X' W[j-1:1]' - W[N:j+1]' Y X' W[j-1:1]'",
      { where: '1 <= j <= N' },
    );
    expect(closed.answer).toBe('PROVED');
  });
  it('is checked at small N, j against the concrete engine differentiating the written-out product', async () => {
    const g = await derive('grad(1/2*norm2(W[N:1]*X - Y), W_j)');
    expect(g.instances.length).toBeGreaterThanOrEqual(4);
    expect(g.instances.every((c) => c.agrees)).toBe(true);
    // The check has teeth: an off-by-one "gradient" disagrees.
    const sq = symbolicDln({ square: true });
    const j = Affine.variable('j');
    const wrong = mul(transpose(sq.W(sq.N, j.add(1))), sq.E, transpose(sq.X), transpose(sq.W(j, 1)));
    const ctx = Assumptions.NONE.le(1, 'N').le(1, j).le(j, 'N');
    expect(checkGradientAtInstances(sq.loss, 'W', j, true, wrong, ctx).some((c) => !c.agrees)).toBe(true);
  });
  it('says when it cannot tell whether the layer is a factor', async () => {
    await expect(derive('grad(tr(W[k:1]), W_j)', { square: true })).rejects.toThrow(
      /cannot decide whether W_j is a factor/,
    );
  });
  it('a layer outside every interval has gradient 0', async () => {
    expect((await derive('grad(tr(W[j-1:1]), W_j)', { square: true, where: '2 <= j' })).gradient).toBe('0');
  });
});

describe('identityClaim: a claim that carries its own proof', () => {
  it('passes for a true identity and fails, with the counterexample, for a false one', async () => {
    const good = await identityClaim("W[N:j+1]' G W[j-1:1]' W_j' == W[j+1]' W[N:j+2]' G W[j:1]'", {
      id: 'i1',
      where: '1 <= j < N',
    });
    expect(good.check(3).status).toBe('pass');
    const bad = await identityClaim('norm2(A + B) == norm2(A) + norm2(B)', { id: 'bad' });
    const v = bad.check(3);
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/REFUTED/);
    const undecided = await identityClaim('W[N:j+1] W[j:1] == W[N:1]', { id: 'u' });
    expect(undecided.check(3).status).toBe('inconclusive');
  });
});
