/**
 * Display names. A symbol is identified by its plain-text name ("W_3", "η", "Ẇ_2", "d_0"); LaTeX is derived from it
 * unless the symbol gives its own: Greek letters become commands, a dot accent becomes \dot{…}, and everything
 * after the first underscore becomes a braced subscript.
 */
const GREEK: Record<string, string> = {
  α: '\\alpha',
  β: '\\beta',
  γ: '\\gamma',
  δ: '\\delta',
  ε: '\\varepsilon',
  ζ: '\\zeta',
  η: '\\eta',
  θ: '\\theta',
  κ: '\\kappa',
  λ: '\\lambda',
  μ: '\\mu',
  ν: '\\nu',
  ξ: '\\xi',
  π: '\\pi',
  ρ: '\\rho',
  σ: '\\sigma',
  τ: '\\tau',
  φ: '\\varphi',
  χ: '\\chi',
  ψ: '\\psi',
  ω: '\\omega',
  Γ: '\\Gamma',
  Δ: '\\Delta',
  Θ: '\\Theta',
  Λ: '\\Lambda',
  Ξ: '\\Xi',
  Σ: '\\Sigma',
  Φ: '\\Phi',
  Ψ: '\\Psi',
  Ω: '\\Omega',
};

/** Combining dot above (U+0307) or precomposed dotted capitals used for time derivatives, e.g. "Ẇ". */
const DOTTED: Record<string, string> = {
  Ẇ: 'W',
  Ẋ: 'X',
  Ẏ: 'Y',
  Ż: 'Z',
  Ȧ: 'A',
  Ḃ: 'B',
  Ċ: 'C',
  Ġ: 'G',
  Ṡ: 'S',
  Ṫ: 'T',
};

function latexBase(base: string): string {
  let out = '';
  for (const ch of base.normalize('NFC')) {
    if (GREEK[ch]) out += GREEK[ch] + ' ';
    else if (DOTTED[ch]) out += `\\dot{${DOTTED[ch]}}`;
    else if (ch === '\u0307') out = `\\dot{${out}}`;
    else if (ch === '~') out = `\\tilde{${out}}`;
    else out += ch;
  }
  return out.trimEnd();
}

/** LaTeX for a plain-text name: "W_12" → "W_{12}", "η" → "\eta", "Ẇ_3" → "\dot{W}_{3}", "d_j+1" → "d_{j+1}". */
export function latexName(name: string): string {
  const k = name.indexOf('_');
  if (k < 0) return latexBase(name);
  const sub = name.slice(k + 1);
  return `${latexBase(name.slice(0, k))}_{${sub
    .split('')
    .map((c) => GREEK[c] ?? c)
    .join('')}}`;
}

/** A name mathjs accepts as a plain identifier: letters, digits and underscores, not starting with a digit. */
export function identifierName(name: string): string {
  let out = '';
  for (const ch of name.normalize('NFC')) {
    if (/[A-Za-z0-9_]/.test(ch)) out += ch;
    else if (DOTTED[ch]) out += `${DOTTED[ch]}dot`;
    else if (GREEK[ch]) out += GREEK[ch].slice(1);
    else out += `u${ch.codePointAt(0)!.toString(16)}`;
  }
  return /^[0-9]/.test(out) ? `s${out}` : out;
}
