import { ShapeError } from '../errors.js';
import { type Dim, formatShape, sameDim } from './dimension.js';
import type { Rational } from './rational.js';
import { Poly } from './scalar-poly.js';
import { canonicalTraceWord, compareWords, transposeWord, type Word, wordKey } from './word.js';

/**
 * One monomial of the normal form: coef · tr(t_1) ⋯ tr(t_r) · w, with an exact polynomial coefficient in the
 * scalar symbols, a sorted multiset of canonical trace words, and a word (empty = the identity of the form's
 * shape for a matrix, 1 for a scalar).
 */
export interface Term {
  readonly coef: Poly;
  readonly traces: readonly Word[];
  readonly word: Word;
}

function traceKey(w: Word): string {
  return `tr(${wordKey(w)})`;
}

export function termKey(traces: readonly Word[], word: Word): string {
  return `${traces.map(traceKey).join('\u0002')}|${wordKey(word)}`;
}

function mergeTraces(a: readonly Word[], b: readonly Word[]): Word[] {
  if (a.length === 0) return b as Word[];
  if (b.length === 0) return a as Word[];
  return [...a, ...b].sort(compareWords);
}

/**
 * The canonical form of a matrix (or scalar) expression: a linear combination of distinct monomials with non-zero
 * coefficients. Two expressions are equal in the free algebra (with cyclic, transpose-invariant traces) iff their
 * normal forms have the same terms, so an identity lhs = rhs is PROVED by normalizing lhs − rhs to zero terms.
 */
export class NormalForm {
  readonly rows: Dim;
  readonly cols: Dim;
  readonly isScalar: boolean;
  private readonly map: ReadonlyMap<string, Term>;

  private constructor(rows: Dim, cols: Dim, isScalar: boolean, map: ReadonlyMap<string, Term>) {
    this.rows = rows;
    this.cols = cols;
    this.isScalar = isScalar;
    this.map = map;
  }

  /** Collect like terms (exact rational arithmetic) and drop zeros. */
  static build(rows: Dim, cols: Dim, isScalar: boolean, terms: Iterable<Term>): NormalForm {
    const map = new Map<string, Term>();
    for (const t of terms) {
      if (t.coef.isZero()) continue;
      const key = termKey(t.traces, t.word);
      const prev = map.get(key);
      if (!prev) map.set(key, t);
      else {
        const c = prev.coef.add(t.coef);
        if (c.isZero()) map.delete(key);
        else map.set(key, { coef: c, traces: prev.traces, word: prev.word });
      }
    }
    return new NormalForm(rows, cols, isScalar, map);
  }

  static zero(rows: Dim, cols: Dim): NormalForm {
    return new NormalForm(rows, cols, false, new Map());
  }

  static scalar(p: Poly | Rational | number): NormalForm {
    const poly = p instanceof Poly ? p : Poly.constant(p);
    return NormalForm.build(1, 1, true, [{ coef: poly, traces: [], word: [] }]);
  }

  static identity(n: Dim): NormalForm {
    return NormalForm.build(n, n, false, [{ coef: Poly.ONE, traces: [], word: [] }]);
  }

  static word(word: Word, rows: Dim, cols: Dim, coef: Poly = Poly.ONE): NormalForm {
    return NormalForm.build(rows, cols, false, [{ coef, traces: [], word }]);
  }

  get size(): number {
    return this.map.size;
  }

  isZero(): boolean {
    return this.map.size === 0;
  }

  /** The terms in canonical order (by trace words, then by word). */
  terms(): Term[] {
    return [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
  }

  shapeText(): string {
    return this.isScalar ? 'scalar' : formatShape(this.rows, this.cols);
  }

  private sameShape(o: NormalForm, argument: string): void {
    if (this.isScalar !== o.isScalar || !sameDim(this.rows, o.rows) || !sameDim(this.cols, o.cols)) {
      throw new ShapeError(argument, this.shapeText(), o.shapeText());
    }
  }

  add(o: NormalForm): NormalForm {
    this.sameShape(o, 'NormalForm.add');
    if (o.isZero()) return this;
    if (this.isZero()) return o;
    return NormalForm.build(this.rows, this.cols, this.isScalar, [...this.map.values(), ...o.map.values()]);
  }

  neg(): NormalForm {
    return this.scale(Poly.constant(-1));
  }

  sub(o: NormalForm): NormalForm {
    return this.add(o.neg());
  }

  /** c · this for a scalar polynomial c. */
  scale(c: Poly | Rational | number): NormalForm {
    const p = c instanceof Poly ? c : Poly.constant(c);
    return NormalForm.build(
      this.rows,
      this.cols,
      this.isScalar,
      [...this.map.values()].map((t) => ({ ...t, coef: t.coef.mul(p) })),
    );
  }

  /** The product this · o (a scalar on either side scales the other). */
  mul(o: NormalForm): NormalForm {
    let rows: Dim, cols: Dim;
    const isScalar = this.isScalar && o.isScalar;
    if (this.isScalar) [rows, cols] = [o.rows, o.cols];
    else if (o.isScalar) [rows, cols] = [this.rows, this.cols];
    else {
      if (!sameDim(this.cols, o.rows))
        throw new ShapeError(
          'NormalForm.mul right factor',
          `${this.cols}×… after ${formatShape(this.rows, this.cols)}`,
          formatShape(o.rows, o.cols),
        );
      [rows, cols] = [this.rows, o.cols];
    }
    const out: Term[] = [];
    for (const a of this.map.values()) {
      for (const b of o.map.values()) {
        out.push({
          coef: a.coef.mul(b.coef),
          traces: mergeTraces(a.traces, b.traces),
          word: a.word.length === 0 ? b.word : b.word.length === 0 ? a.word : [...a.word, ...b.word],
        });
      }
    }
    return NormalForm.build(rows, cols, isScalar, out);
  }

  /** Transposes pushed to the letters: (c·tr(…)·L_1⋯L_k)ᵀ = c·tr(…)·L_kᵀ⋯L_1ᵀ. */
  transpose(): NormalForm {
    if (this.isScalar) return this;
    return NormalForm.build(
      this.cols,
      this.rows,
      false,
      [...this.map.values()].map((t) => ({ ...t, word: transposeWord(t.word) })),
    );
  }

  /** The trace: each word becomes a canonical trace word; tr(I_n) = n (a scalar symbol when n is a name). */
  trace(): NormalForm {
    if (this.isScalar) return this;
    if (!sameDim(this.rows, this.cols)) throw new ShapeError('trace argument', 'a square matrix', this.shapeText());
    const n = this.rows;
    const dimPoly = typeof n === 'number' ? Poly.constant(n) : Poly.symbol(n);
    const out: Term[] = [];
    for (const t of this.map.values()) {
      if (t.word.length === 0) out.push({ coef: t.coef.mul(dimPoly), traces: t.traces, word: [] });
      else out.push({ coef: t.coef, traces: mergeTraces(t.traces, [canonicalTraceWord(t.word)]), word: [] });
    }
    return NormalForm.build(1, 1, true, out);
  }

  equals(o: NormalForm): boolean {
    try {
      return this.sub(o).isZero();
    } catch (e) {
      if (e instanceof ShapeError) return false;
      throw e;
    }
  }

  /** The names of all matrix symbols in the words and traces. */
  matrixSymbols(): Set<string> {
    const s = new Set<string>();
    for (const t of this.map.values()) {
      for (const l of t.word) s.add(l.sym.name);
      for (const w of t.traces) for (const l of w) s.add(l.sym.name);
    }
    return s;
  }

  /** The names of all scalar symbols in the coefficients. */
  scalarSymbols(): Set<string> {
    const s = new Set<string>();
    for (const t of this.map.values()) for (const n of t.coef.symbols()) s.add(n);
    return s;
  }

  /** Map every term through f (results are re-collected). */
  mapTerms(f: (t: Term) => Term): NormalForm {
    return NormalForm.build(this.rows, this.cols, this.isScalar, [...this.map.values()].map(f));
  }

  /** The coefficient of scalar^power, as a normal form in everything else (Taylor coefficients in t). */
  coefficientOf(scalar: string, power: number): NormalForm {
    return NormalForm.build(
      this.rows,
      this.cols,
      this.isScalar,
      [...this.map.values()].map((t) => ({ ...t, coef: t.coef.coefficientOf(scalar, power) })),
    );
  }

  /** The longest word (or trace word) length: a size measure for reports. */
  maxWordLength(): number {
    let m = 0;
    for (const t of this.map.values()) m = Math.max(m, t.word.length + t.traces.reduce((s, w) => s + w.length, 0));
    return m;
  }
}
