import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureConsole } from '../helpers/console-capture.js';

const { out, err } = captureConsole();

describe('dlnv prove / derive / proofs --only every-n', () => {
  it('PROVED: exit 0, every rewrite named with its side condition', async () => {
    expect(await main(['prove', 'W[N:j+1] W[j:1] == W[N:1]', '--where', '0 <= j <= N'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^PROVED {2}W_\{N:j\+1\} W_\{j:1\} = W_\{N:1\}/);
    expect(text).toContain('merge: W_{N:j+1} W_{j:1} = W_{N:1}   [1 ≤ j+1 ≤ N+1]');
    expect(text).toContain('lhs − rhs = 0');
  });

  it('REFUTED: exit 1 with the counterexample and how to replay it; --json carries the same', async () => {
    expect(await main(['prove', "(A B)' == A' B'", '--square', '--seed', '7'])).toBe(1);
    expect(out.join('\n')).toMatch(/counterexample at sizes n=\d \(seed 7\): ‖lhs − rhs‖_F = \S+ > bound/);
    out.length = 0;
    expect(await main(['prove', "(A B)' == A' B'", '--square', '--seed', '7', '--json'])).toBe(1);
    const r = JSON.parse(out.join('\n'));
    expect(r.answer).toBe('REFUTED');
    expect(r.numeric.seed).toBe(7);
    expect(r.numeric.counterexample.measured).toBeGreaterThan(r.numeric.counterexample.bound);
    expect(r.steps[0]).toMatchObject({ rule: 'statement' });
    expect(typeof r.steps[0].latex).toBe('string');
  });

  it('UNDECIDED: exit 4 with the remainder', async () => {
    expect(await main(['prove', 'W[N:j+1] W[j:1] == W[N:1]'])).toBe(4);
    expect(out.join('\n')).toContain('remainder: lhs − rhs = −W_{N:1} + W_{N:j+1} W_{j:1}');
  });

  it('a syntax error is one line pointing at the column, exit 2', async () => {
    expect(await main(['prove', 'W[N:1] * * X == Y'])).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toBe('dlnv: syntax error at column 10: Value expected (W[N:1] * ▸* X == Y)');
  });

  it('--format md and tex print the derivation', async () => {
    expect(await main(['prove', "(A B)' == B' A'", '--format', 'md'])).toBe(0);
    expect(out.join('\n')).toMatch(/^### PROVED/);
    out.length = 0;
    expect(await main(['prove', "(A B)' == B' A'", '--format', 'tex'])).toBe(0);
    expect(out.join('\n')).toContain('\\begin{enumerate}');
  });

  it('derive prints the gradient and its steps; --json too', async () => {
    expect(await main(['derive', 'grad(1/2*norm2(W[N:1]*X - Y), W_j)'])).toBe(0);
    expect(out.join('\n').split('\n')[0]).toBe('∇ = W_{N:j+1}ᵀ W_{N:1} X Xᵀ W_{j−1:1}ᵀ − W_{N:j+1}ᵀ Y Xᵀ W_{j−1:1}ᵀ');
    expect(out.join('\n')).toMatch(
      /instances: the concrete engine's gradient of the written-out product agrees at N=1, j=1;/,
    );
    out.length = 0;
    expect(await main(['derive', 'grad(tr(W[N:1]), W[j])', '--square', '--json'])).toBe(0);
    const r = JSON.parse(out.join('\n'));
    expect(r.gradient).toBe('W_{N:j+1}ᵀ W_{j−1:1}ᵀ');
    expect(r.steps.map((s: { rule: string }) => s.rule)).toContain('split');
  });

  it('derive without a decidable position of W_j fails with a hint, exit 1', async () => {
    expect(await main(['derive', 'grad(tr(W[k:1]), W_j)', '--square'])).toBe(1);
    expect(err[0]).toMatch(/cannot decide whether W_j is a factor of W_\{k:1\} \(state where j lies/);
  });

  it('proofs --only every-n --format tex prints the every-N derivations as a LaTeX document', async () => {
    expect(await main(['proofs', '--only', 'every-n', '--format', 'tex'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^\\documentclass\{article\}/);
    expect(text.match(/\\subsection\*\{every-n\.[^}]*--- holds\}/g)).toHaveLength(5);
    expect(text).toMatch(/5 passed, 0 failed \(proofs\)\n\\end\{document\}$/);
    expect(await main(['proofs', '--only', 'no-such'])).toBe(2);
  });
});
