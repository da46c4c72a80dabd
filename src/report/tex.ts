import temml from 'temml';
import { escapeXml } from './xml.js';

/**
 * Prose with TeX-like fragments (the catalogue writes "C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ", "e^{−2λt}") as HTML whose
 * formulas are MathML, converted here by Temml so the page needs no script and keeps its Content-Security-Policy.
 * A formula is a whitespace-separated word carrying a sub- or superscript, widened over neighbouring words (never
 * over a prose word) until its brackets balance, so "(1 − 2ηλ)^k" is one formula; brackets left unmatched stay
 * text ("(W_1," is a bracket, a formula and a comma). Everything else stays text, and a fragment Temml cannot parse
 * stays as it was written: the conversion can only add rendering, never lose a character.
 */

const SCRIPT = /[_^]/;
const PROSE_WORD = /^[([]*[A-Za-z]{3,}[)\],.;:]*$/;
const OPERATORS = 'max|min|sup|inf|log|ln|exp|det|dim|rank|tr|diag|sign|span|argmin|argmax';

/** Plain-text habits turned into TeX: ᵀ as ⊤, multi-letter subscripts (‖·‖_op, λ_min) and words upright, 7.6e−1 as a number. */
function toTex(fragment: string): string {
  return fragment
    .replace(/\d+(?:\.\d+)?e[−+-]?\d+/g, (n) => `\\text{${n}}`)
    .replace(/ᵀ/g, '^{\\top}')
    .replace(/_([A-Za-z][A-Za-z0-9]+|[0-9]{2,})(?![A-Za-z0-9_^{])/g, (_m, sub: string) =>
      /^[0-9]+$/.test(sub) ? `_{${sub}}` : `_{\\mathrm{${sub}}}`,
    )
    .replace(new RegExp(`(?<![A-Za-z\\\\{])(${OPERATORS})(?![A-Za-z])`, 'g'), '\\operatorname{$1}')
    .replace(/(?<![A-Za-z\\{])([A-Za-z]{3,})(?![A-Za-z])/g, '\\text{$1}');
}

function balance(text: string): number {
  let depth = 0;
  for (const c of text) depth += '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
  return depth;
}

function mathml(tex: string): string | undefined {
  try {
    return temml.renderToString(toTex(tex), { throwOnError: true });
  } catch {
    return undefined;
  }
}

/** A formula candidate: its unmatched brackets and edge punctuation as text, the balanced pieces with scripts as MathML. */
function formulaHtml(text: string): string {
  const unmatched = new Set<number>();
  const open: number[] = [];
  [...text].forEach((c, k) => {
    if ('([{'.includes(c)) open.push(k);
    else if (')]}'.includes(c)) open.length > 0 ? open.pop() : unmatched.add(k);
  });
  for (const k of open) unmatched.add(k);
  const chars = [...text];
  const pieces: string[] = [];
  let piece = '';
  const flush = (): void => {
    const [, body, tail] = /^(.*?)([,.;:]*)$/s.exec(piece)!;
    pieces.push(SCRIPT.test(body) ? (mathml(body) ?? escapeXml(body)) : escapeXml(body), escapeXml(tail));
    piece = '';
  };
  chars.forEach((c, k) => {
    if (unmatched.has(k)) {
      flush();
      pieces.push(escapeXml(c));
    } else piece += c;
  });
  flush();
  return pieces.join('');
}

/** HTML for `text`: escaped prose, formulas as inline MathML. */
export function proseHtml(text: string): string {
  const words = text.split(/(\s+)/); // odd indices are the whitespace between words
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 2) {
    if (!SCRIPT.test(words[i])) {
      out.push(escapeXml(words[i]), escapeXml(words[i + 1] ?? ''));
      continue;
    }
    let first = i,
      last = i;
    const span = (): string => words.slice(first, last + 1).join('');
    while (balance(span()) < 0 && first >= 2 && i - first < 8 && !PROSE_WORD.test(words[first - 2])) first -= 2;
    while (balance(span()) > 0 && last + 2 < words.length && last - i < 8 && !PROSE_WORD.test(words[last + 2]))
      last += 2;
    if (balance(span()) !== 0) [first, last] = [i, i];
    if (first < i) out.splice(out.length - (i - first), i - first); // those words were printed as prose already
    out.push(formulaHtml(span()), escapeXml(words[last + 1] ?? ''));
    i = last;
  }
  return out.join('');
}

/** The math of a LaTeX fragment: $…$, \[…\] or \(…\). */
const LATEX_MATH = /\$([^$]+)\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)/g;
/** Text-mode commands the derivations write, as HTML elements; \text etc. only group. */
const TEXT_STYLES: Record<string, [string, string]> = {
  textbf: ['<b>', '</b>'],
  texttt: ['<code>', '</code>'],
  emph: ['<em>', '</em>'],
  textit: ['<em>', '</em>'],
  text: ['', ''],
};
const TEXT_SYMBOLS: Record<string, string> = {
  textbackslash: '\\',
  textasciitilde: '~',
  textasciicircum: '^',
  quad: ' ',
  qquad: '  ',
};

/** LaTeX text (outside math) as HTML, or undefined when it uses a command not listed above. */
function latexTextHtml(text: string): string | undefined {
  const closing: string[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const name = /^[A-Za-z]+/.exec(text.slice(i + 1))?.[0];
      if (name === undefined) {
        out += escapeXml(text[i + 1] === ' ' || text[i + 1] === ',' ? ' ' : (text[i + 1] ?? ''));
        i++;
      } else if (name in TEXT_SYMBOLS) {
        out += escapeXml(TEXT_SYMBOLS[name]);
        i += name.length;
        if (text.startsWith('{}', i + 1)) i += 2;
      } else if (name in TEXT_STYLES && text[i + 1 + name.length] === '{') {
        out += TEXT_STYLES[name][0];
        closing.push(TEXT_STYLES[name][1]);
        i += name.length + 1;
      } else return undefined;
    } else if (c === '{') closing.push('');
    else if (c === '}') {
      const tag = closing.pop();
      if (tag === undefined) return undefined;
      out += tag;
    } else out += escapeXml(c);
  }
  return closing.length === 0 ? out : undefined;
}

/**
 * A LaTeX fragment (a derivation step: text with $…$ or \[…\] math) as HTML, its math as inline MathML by Temml.
 * Undefined when Temml or the text conversion cannot read all of it: the caller then shows the step's plain text.
 */
export function latexHtml(latex: string): string | undefined {
  let out = '';
  let last = 0;
  for (const m of latex.matchAll(LATEX_MATH)) {
    const text = latexTextHtml(latex.slice(last, m.index));
    let math: string | undefined;
    try {
      math = temml.renderToString(m[1] ?? m[2] ?? m[3], { throwOnError: true });
    } catch {
      math = undefined;
    }
    if (text === undefined || math === undefined) return undefined;
    out += text + math;
    last = m.index + m[0].length;
  }
  const tail = latexTextHtml(latex.slice(last));
  return tail === undefined ? undefined : out + tail;
}
