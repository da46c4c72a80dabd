import type { MatrixSymbol } from './expr.js';

/**
 * A word is a product of matrix symbols, each possibly transposed: the monomials of the free (non-commutative)
 * algebra. Transposes live on the letters only: (AB)ᵀ = BᵀAᵀ is applied when a word is transposed.
 */
export interface Letter {
  readonly sym: MatrixSymbol;
  /** Transposed. Always false for a symmetric symbol. */
  readonly t: boolean;
}

export type Word = readonly Letter[];

export function letter(sym: MatrixSymbol, transposed = false): Letter {
  return { sym, t: transposed && !sym.symmetric };
}

/** Stable text key of a letter: the name, with a ᵀ when transposed. */
export function letterKey(l: Letter): string {
  return l.t ? `${l.sym.name}ᵀ` : l.sym.name;
}

/** Names never contain U+0001, so the joined key is unambiguous. */
export function wordKey(w: Word): string {
  return w.map(letterKey).join('\u0001');
}

export function compareLetters(a: Letter, b: Letter): number {
  if (a.sym.name !== b.sym.name) return a.sym.name < b.sym.name ? -1 : 1;
  return a.t === b.t ? 0 : a.t ? 1 : -1;
}

/** Lexicographic order, shorter first on a common prefix. */
export function compareWords(a: Word, b: Word): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareLetters(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** (L_1 ⋯ L_k)ᵀ = L_kᵀ ⋯ L_1ᵀ. */
export function transposeWord(w: Word): Word {
  const out: Letter[] = new Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const l = w[w.length - 1 - i];
    out[i] = l.sym.symmetric ? l : { sym: l.sym, t: !l.t };
  }
  return out;
}

/** The rotation starting at position p: w_p ⋯ w_{k−1} w_0 ⋯ w_{p−1}. */
export function rotateWord(w: Word, p: number): Word {
  return p === 0 ? w : [...w.slice(p), ...w.slice(0, p)];
}

/**
 * The canonical representative of tr(w): tr is invariant under cyclic rotation and under transposition
 * (tr(w) = tr(wᵀ)), so the representative is the least word, in the order above, among all rotations of w and of wᵀ.
 */
export function canonicalTraceWord(w: Word): Word {
  if (w.length <= 1) return w;
  let best = w;
  for (const cand of [w, transposeWord(w)]) {
    for (let p = 0; p < cand.length; p++) {
      const r = rotateWord(cand, p);
      if (compareWords(r, best) < 0) best = r;
    }
  }
  return best;
}

/** The row dimension of a non-empty word (its first letter's, transposed as needed). */
export function wordRows(w: Word): MatrixSymbol['rows'] {
  const l = w[0];
  return l.t ? l.sym.cols : l.sym.rows;
}
