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
const PROSE_WORD = /^[(\[]*[A-Za-z]{3,}[)\],.;:]*$/;
const OPERATORS = 'max|min|sup|inf|log|ln|exp|det|dim|rank|tr|diag|sign|span|argmin|argmax';

/** Plain-text habits turned into TeX: ᵀ as ⊤, multi-letter subscripts (‖·‖_op, λ_min) and words upright, 7.6e−1 as a number. */
function toTex(fragment: string): string {
  return fragment
    .replace(/\d+(?:\.\d+)?e[−+-]?\d+/g, (n) => `\\text{${n}}`)
    .replace(/ᵀ/g, '^{\\top}')
    .replace(/_([A-Za-z][A-Za-z0-9]+|[0-9]{2,})(?![A-Za-z0-9_^{])/g, (_m, sub: string) => (/^[0-9]+$/.test(sub) ? `_{${sub}}` : `_{\\mathrm{${sub}}}`))
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
    else if (')]}'.includes(c)) (open.length > 0 ? open.pop() : unmatched.add(k));
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
    let first = i, last = i;
    const span = (): string => words.slice(first, last + 1).join('');
    while (balance(span()) < 0 && first >= 2 && i - first < 8 && !PROSE_WORD.test(words[first - 2])) first -= 2;
    while (balance(span()) > 0 && last + 2 < words.length && last - i < 8 && !PROSE_WORD.test(words[last + 2])) last += 2;
    if (balance(span()) !== 0) [first, last] = [i, i];
    if (first < i) out.splice(out.length - (i - first), i - first); // those words were printed as prose already
    out.push(formulaHtml(span()), escapeXml(words[last + 1] ?? ''));
    i = last;
  }
  return out.join('');
}
