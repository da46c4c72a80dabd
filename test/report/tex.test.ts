import { describe, expect, it } from 'vitest';
import { proseHtml } from '../../src/report/tex.js';

/** The formulas of an HTML fragment, each as its text content ("C j" for C_j). */
const formulas = (html: string): string[] =>
  [...html.matchAll(/<math>(.*?)<\/math>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
/** The prose of an HTML fragment: what is not MathML, with markup removed. */
const prose = (html: string): string => html.replace(/<math>.*?<\/math>/g, '·').replace(/<[^>]+>/g, '');

describe('proseHtml: TeX fragments in prose as MathML', () => {
  it('turns sub- and superscripted words into MathML and leaves the prose as text', () => {
    const html = proseHtml('Along the flow every C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ is constant.');
    expect(formulas(html)).toEqual(['C j', 'W j + 1 ⊤ W j + 1', 'W j W j ⊤']);
    expect(prose(html)).toBe('Along the flow every · = · − · is constant.');
    expect(html).toContain('<msub><mi>C</mi><mi>j</mi></msub>');
  });

  it('widens a formula over its bracket, but never over a prose word, and leaves unmatched brackets as text', () => {
    expect(formulas(proseHtml('decays like (1 − 2ηλ)^k here'))).toEqual(['( 1 − 2 η λ ) k']);
    const html = proseHtml('largest at (W_1, step 200); and 0.993·λ_c(weakest mode)');
    expect(formulas(html)).toEqual(['W 1', '0.993 · λ c']);
    expect(prose(html)).toBe('largest at (·, step 200); and ·(weakest mode)');
  });

  it('writes operator names and multi-letter subscripts upright and keeps numbers in e-notation whole', () => {
    const html = proseHtml('max_ℓ ‖C_ℓ‖_op and λ_min with s_3 = 7.64e−1');
    expect(html).toContain('<mi>max</mi>');
    expect(html).toMatch(/<mi>op<\/mi>/);
    expect(html).toMatch(/<mi>min<\/mi>/);
    expect(formulas(html)).toContain('s 3');
  });

  it('escapes markup, and keeps a fragment Temml cannot parse as written', () => {
    expect(proseHtml('a <b> & "c"')).toBe('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(proseHtml('broken x_{ here')).toBe('broken x_{ here');
    expect(proseHtml('x_\\frac{')).toBe('x_\\frac{');
  });
});
