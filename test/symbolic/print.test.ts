import { describe, expect, test } from 'vitest';
import { gradient } from '../../src/symbolic/differentiate.js';
import { dlnSymbols, halfSquaredLoss, layerGradientClosedForm } from '../../src/symbolic/dln.js';
import { inner, matrixSymbol, mul, scalarSymbol, sub, trace, transpose } from '../../src/symbolic/expr.js';
import { latexName } from '../../src/symbolic/names.js';
import { normalize } from '../../src/symbolic/normalize.js';
import { printExpr, printNormalForm } from '../../src/symbolic/print.js';

describe('printing', () => {
  const s = dlnSymbols(3);

  test('plain text of a tree and of a normal form', () => {
    expect(printExpr(halfSquaredLoss(s))).toBe('1/2 ⟨E, E⟩');
    expect(printExpr(layerGradientClosedForm(s, 2))).toBe('W_3ᵀ E Xᵀ W_1ᵀ');
    expect(printNormalForm(gradient(halfSquaredLoss(s), s.W[1]))).toBe('W_3ᵀ W_3 W_2 W_1 X Xᵀ W_1ᵀ - W_3ᵀ Y Xᵀ W_1ᵀ');
    const eta = scalarSymbol('η');
    const A = matrixSymbol('A', 'n', 'n');
    expect(printExpr(mul(eta, eta, sub(A, transpose(A))))).toBe('η² (A - Aᵀ)');
    expect(printExpr(transpose(mul(A, A)))).toBe('(A A)ᵀ');
    expect(printNormalForm(normalize(mul(-2, trace(A), A)))).toBe('-2 tr(A) A');
  });

  test('LaTeX', () => {
    expect(printExpr(layerGradientClosedForm(s, 2), 'latex')).toBe('W_{3}^{\\top} E X^{\\top} W_{1}^{\\top}');
    expect(printNormalForm(normalize(halfSquaredLoss(dlnSymbols(1))), 'latex')).toBe(
      '\\frac{1}{2} \\operatorname{tr}\\left(W_{1} X X^{\\top} W_{1}^{\\top}\\right) - \\operatorname{tr}\\left(W_{1} X Y^{\\top}\\right) + \\frac{1}{2} \\operatorname{tr}\\left(Y Y^{\\top}\\right)',
    );
    const A = matrixSymbol('A', 'n', 'n');
    expect(printExpr(inner(A, A), 'latex')).toBe('\\left\\langle A, A\\right\\rangle');
    expect(latexName('Ẇ_12')).toBe('\\dot{W}_{12}');
    expect(latexName('η')).toBe('\\eta');
    expect(latexName('U_⊥')).toBe('U_{⊥}');
  });

  test('maxTerms truncates long sums', () => {
    const g = gradient(halfSquaredLoss(s), s.W[0]);
    expect(printNormalForm(g, 'text', { maxTerms: 1 })).toMatch(/… \(1 more terms\)$/);
  });
});

describe('proof rendering helpers', () => {
  test('escapeLatexText and markdownToLatexText', async () => {
    const { escapeLatexText, markdownToLatexText, Derivation } = await import('../../src/symbolic/proof.js');
    expect(escapeLatexText('a_b {c} 50% \\ ~^')).toBe(
      'a\\_b \\{c\\} 50\\% \\textbackslash{} \\textasciitilde{}\\textasciicircum{}',
    );
    expect(markdownToLatexText('see `W_1ᵀ` and **this**')).toBe('see \\texttt{W\\_1ᵀ} and \\textbf{this}');
    const d = new Derivation().step('One', 'text with `x_1`').step('Two', 'md', '$x^2$');
    expect(d.markdown()).toBe('1. **One.** text with `x_1`\n2. **Two.** md');
    expect(d.latex()).toContain('\\item \\textbf{One.} text with \\texttt{x\\_1}');
    expect(d.latex()).toContain('\\item \\textbf{Two.} $x^2$');
  });
});
