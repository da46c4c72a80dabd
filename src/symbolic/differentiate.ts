import { DomainError, ShapeError } from '../errors.js';
import { formatShape, sameDim } from './dimension.js';
import type { Expr, MatrixSymbol } from './expr.js';
import { NormalForm, type Term } from './normal-form.js';
import { normalize } from './normalize.js';
import { Poly } from './scalar-poly.js';
import { canonicalTraceWord, compareWords, rotateWord, transposeWord, type Word } from './word.js';

/**
 * Matrix calculus on normal forms.
 *
 * gradient: for a scalar f = Σ c·tr(w_1)⋯tr(w_r), each occurrence of X in a trace word is rotated to the front
 * (tr is cyclic): tr(X B) contributes Bᵀ and tr(Xᵀ B) contributes B (d tr(XB)/dX = Bᵀ, d tr(XᵀB)/dX = B), times the
 * coefficient and the other traces (product rule). This is the rule d tr(AXB)/dX = AᵀBᵀ: tr(AXB) = tr(XBA).
 *
 * directionalDerivative: the Leibniz rule on words: D(L_1⋯L_k)[Δ] = Σ_p L_1⋯L_{p−1} Δ(L_p) L_{p+1}⋯L_k with
 * Δ(Xᵀ) = Δ_Xᵀ, inside traces as well.
 */

function traceDimOfLetterPosition(w: Word, p: number): MatrixSymbol['rows'] {
  const l = w[p];
  return l.t ? l.sym.cols : l.sym.rows;
}

function dimPoly(d: MatrixSymbol['rows']): Poly {
  return typeof d === 'number' ? Poly.constant(d) : Poly.symbol(d);
}

function withTraces(base: readonly Word[], skip: number, extra: readonly Word[]): Word[] {
  const out = base.filter((_, i) => i !== skip);
  return extra.length === 0 ? out : [...out, ...extra].sort(compareWords);
}

/** The matrix-form gradient ∂f/∂X of a scalar expression (a matrix shaped like X). */
export function gradient(f: Expr | NormalForm, x: MatrixSymbol): NormalForm {
  const nf = normalize(f);
  if (!nf.isScalar) throw new ShapeError('gradient.f', 'a scalar function', nf.shapeText());
  if (x.kind !== 'symbol') throw new DomainError('gradient.X', 'must be a matrix symbol');
  if (x.symmetric)
    throw new DomainError(
      'gradient.X',
      `${x.name} is symmetric; the gradient on symmetric matrices needs the symmetrized rule, which is not implemented`,
    );
  const out: Term[] = [];
  for (const term of nf.terms()) {
    term.traces.forEach((w, i) => {
      for (let p = 0; p < w.length; p++) {
        if (w[p].sym.name !== x.name) continue;
        if (!sameDim(w[p].sym.rows, x.rows) || !sameDim(w[p].sym.cols, x.cols)) {
          throw new ShapeError(
            `gradient: symbol ${x.name} in f`,
            formatShape(x.rows, x.cols),
            formatShape(w[p].sym.rows, w[p].sym.cols),
          );
        }
        const rotated = rotateWord(w, p);
        const rest = rotated.slice(1);
        const word = rotated[0].t ? rest : transposeWord(rest);
        out.push({ coef: term.coef, traces: withTraces(term.traces, i, []), word });
      }
    });
  }
  return NormalForm.build(x.rows, x.cols, false, out);
}

/** Directions Δ_X per symbol name. */
export type Directions =
  | ReadonlyMap<string, Expr | NormalForm>
  | ReadonlyArray<readonly [MatrixSymbol, Expr | NormalForm]>;

function directionTable(dirs: Directions): Map<string, { nf: NormalForm; nfT: NormalForm }> {
  const table = new Map<string, { nf: NormalForm; nfT: NormalForm }>();
  const entries: Array<readonly [string, Expr | NormalForm, MatrixSymbol | undefined]> =
    dirs instanceof Map
      ? [...dirs].map(([k, v]) => [k, v, undefined] as const)
      : (dirs as ReadonlyArray<readonly [MatrixSymbol, Expr | NormalForm]>).map(([s, v]) => [s.name, v, s] as const);
  for (const [name, e, sym] of entries) {
    const nf = normalize(e);
    if (sym && (nf.isScalar || !sameDim(nf.rows, sym.rows) || !sameDim(nf.cols, sym.cols))) {
      throw new ShapeError(`direction for ${name}`, formatShape(sym.rows, sym.cols), nf.shapeText());
    }
    table.set(name, { nf, nfT: nf.transpose() });
  }
  return table;
}

/**
 * The first-order directional derivative Df[Δ] = d/dt f(X + tΔ_X, …)|_{t=0} for every symbol X with a direction.
 * With order = 2 the second derivative D²f[Δ, Δ] (directions must not contain the differentiated symbols).
 */
export function directionalDerivative(e: Expr | NormalForm, directions: Directions, order: 1 | 2 = 1): NormalForm {
  const table = directionTable(directions);
  const nf = normalize(e);
  if (order === 2) {
    for (const [name, d] of table) {
      for (const s of d.nf.matrixSymbols()) {
        if (table.has(s))
          throw new DomainError(
            `direction for ${name}`,
            `contains the differentiated symbol ${s}; the second derivative needs constant directions`,
          );
      }
    }
    return first(first(nf, table), table);
  }
  return first(nf, table);
}

function first(nf: NormalForm, table: Map<string, { nf: NormalForm; nfT: NormalForm }>): NormalForm {
  const out: Term[] = [];
  for (const term of nf.terms()) {
    // Letters of the word.
    const w = term.word;
    for (let p = 0; p < w.length; p++) {
      const d = table.get(w[p].sym.name);
      if (!d) continue;
      const left = w.slice(0, p),
        right = w.slice(p + 1);
      for (const dt of (w[p].t ? d.nfT : d.nf).terms()) {
        out.push({
          coef: term.coef.mul(dt.coef),
          traces: withTraces(term.traces, -1, dt.traces),
          word: [...left, ...dt.word, ...right],
        });
      }
    }
    // Letters inside traces.
    term.traces.forEach((tw, i) => {
      for (let p = 0; p < tw.length; p++) {
        const d = table.get(tw[p].sym.name);
        if (!d) continue;
        const left = tw.slice(0, p),
          right = tw.slice(p + 1);
        for (const dt of (tw[p].t ? d.nfT : d.nf).terms()) {
          const inside = [...left, ...dt.word, ...right];
          if (inside.length === 0) {
            out.push({
              coef: term.coef.mul(dt.coef).mul(dimPoly(traceDimOfLetterPosition(tw, p))),
              traces: withTraces(term.traces, i, dt.traces),
              word: term.word,
            });
          } else {
            out.push({
              coef: term.coef.mul(dt.coef),
              traces: withTraces(term.traces, i, [...dt.traces, canonicalTraceWord(inside)]),
              word: term.word,
            });
          }
        }
      }
    });
  }
  return NormalForm.build(nf.rows, nf.cols, nf.isScalar, out);
}

/** ∂/∂s of the coefficients for a scalar symbol s (η, λ, t). */
export function scalarDerivative(e: Expr | NormalForm, name: string): NormalForm {
  return normalize(e).mapTerms((t) => ({ ...t, coef: t.coef.derivative(name) }));
}
