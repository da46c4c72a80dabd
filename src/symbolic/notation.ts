/**
 * How both symbolic engines write matrix expressions, in plain text (Unicode: ᵀ, ⟨⟩, tr) or LaTeX: the one copy
 * of the notation for what their trees share (transposes, traces, inner products, powers of a scalar, signed
 * sums, brackets by precedence). Each engine's printer walks its own tree and writes its own leaves with these.
 */

import type { ConstNode, IdentityNode, InnerNode, SumNode, TraceNode, TransposeNode, ZeroNode } from './nodes.js';

/** Plain text with Unicode or LaTeX. */
export type Format = 'text' | 'latex';

/** Binding strength: a sum binds loosest, a product tighter, a leaf (symbol, transpose, trace…) tightest. */
export const PREC = { sum: 1, product: 2, atom: 3 } as const;

/** The precedence of a node: sums (and Σ) and products by kind, a negative or fractional constant as a product. */
export function precedence(e: {
  readonly kind: string;
  readonly value?: { sign(): number; isInteger(): boolean };
}): number {
  if (e.kind === 'sum' || e.kind === 'sigma') return PREC.sum;
  if (e.kind === 'product') return PREC.product;
  if (e.kind === 'const' && e.value && (e.value.sign() < 0 || !e.value.isInteger())) return PREC.product;
  return PREC.atom;
}

export function paren(s: string, f: Format): string {
  return f === 'latex' ? `\\left(${s}\\right)` : `(${s})`;
}

/** Aᵀ, or A^{\top}. */
export function transposed(base: string, f: Format): string {
  return f === 'latex' ? `${base}^{\\top}` : `${base}ᵀ`;
}

export function traceOf(body: string, f: Format): string {
  return f === 'latex' ? `\\operatorname{tr}\\left(${body}\\right)` : `tr(${body})`;
}

export function innerOf(left: string, right: string, f: Format): string {
  return f === 'latex' ? `\\left\\langle ${left}, ${right}\\right\\rangle` : `⟨${left}, ${right}⟩`;
}

/** η², or η^{2}. */
export function power(base: string, k: number, f: Format): string {
  if (f === 'latex') return `${base}^{${k}}`;
  return `${base}${[...String(k)].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[+d]).join('')}`;
}

/**
 * Printed terms joined into a sum: a term that starts with a minus is subtracted ("a − b"), a sum among them is
 * bracketed by the caller. `minus` is the sign the engine writes in text ('-' or '−'); LaTeX always gets '-'.
 */
export function signedSum(terms: readonly string[], f: Format, minus: string): string {
  const sign = f === 'latex' ? '-' : minus;
  return terms.reduce((out, s, i) => {
    if (i === 0) return s;
    return s.startsWith('-') || s.startsWith('−') ? `${out} ${sign} ${s.slice(1)}` : `${out} + ${s}`;
  }, '');
}

/** "… + … (k more terms)" after the terms shown. */
export function moreTerms(k: number, f: Format): string {
  return f === 'latex' ? ` + \\dots\\ (${k}\\text{ more terms})` : ` + … (${k} more terms)`;
}

/** The nodes both trees write alike: all shared kinds but products (each engine groups its scalars its own way). */
export type AlikeNode<E> =
  | ConstNode<unknown>
  | IdentityNode<unknown>
  | ZeroNode<unknown>
  | SumNode<E, unknown>
  | TransposeNode<E, unknown>
  | TraceNode<E, unknown>
  | InnerNode<E, unknown>;

/** What an engine tells printAlike: how to print a child, whether it needs no brackets under ᵀ, its text minus. */
export interface ChildPrinter<E> {
  print(child: E): string;
  bare(child: E): boolean;
  readonly minus: string;
}

export function printAlike<E extends { readonly kind: string }>(
  e: AlikeNode<E>,
  f: Format,
  p: ChildPrinter<E>,
): string {
  switch (e.kind) {
    case 'const':
      return f === 'latex' ? e.value.toLatex() : e.value.toString();
    case 'identity':
      return 'I';
    case 'zero':
      return '0';
    case 'transpose':
      return transposed(p.bare(e.arg) ? p.print(e.arg) : paren(p.print(e.arg), f), f);
    case 'trace':
      return traceOf(p.print(e.arg), f);
    case 'inner':
      return innerOf(p.print(e.left), p.print(e.right), f);
    case 'sum':
      return signedSum(
        e.terms.map((t) => (t.kind === 'sum' ? paren(p.print(t), f) : p.print(t))),
        f,
        p.minus,
      );
  }
}
