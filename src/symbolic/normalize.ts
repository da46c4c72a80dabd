import { add, constant, type Expr, identity, mul, scalarSymbol, trace, transpose, zero } from './expr.js';
import { NormalForm } from './normal-form.js';
import { Poly } from './scalar-poly.js';
import { type Letter, letter } from './word.js';

/**
 * The normal form of an expression tree: products expanded over sums, transposes pushed to the letters,
 * traces made canonical (cyclic rotation and transposition), like terms collected with exact coefficients.
 */
export function normalize(e: Expr | NormalForm): NormalForm {
  if (e instanceof NormalForm) return e;
  return go(e, new Map());
}

function go(e: Expr, cache: Map<Expr, NormalForm>): NormalForm {
  const hit = cache.get(e);
  if (hit) return hit;
  let out: NormalForm;
  switch (e.kind) {
    case 'symbol':
      out = NormalForm.word([letter(e)], e.rows, e.cols);
      break;
    case 'scalar':
      out = NormalForm.scalar(Poly.symbol(e.name));
      break;
    case 'const':
      out = NormalForm.scalar(e.value);
      break;
    case 'identity':
      out = NormalForm.identity(e.rows);
      break;
    case 'zero':
      out = NormalForm.zero(e.rows, e.cols);
      break;
    case 'product': {
      let acc = go(e.factors[0], cache);
      for (let i = 1; i < e.factors.length; i++) acc = acc.mul(go(e.factors[i], cache));
      out = acc;
      break;
    }
    case 'sum': {
      let acc = go(e.terms[0], cache);
      for (let i = 1; i < e.terms.length; i++) acc = acc.add(go(e.terms[i], cache));
      out = acc;
      break;
    }
    case 'transpose':
      out = go(e.arg, cache).transpose();
      break;
    case 'trace':
      out = go(e.arg, cache).trace();
      break;
    case 'inner':
      out = go(e.left, cache).transpose().mul(go(e.right, cache)).trace();
      break;
    case 'definition':
      out = go(e.body, cache);
      break;
  }
  cache.set(e, out);
  return out;
}

/** A normal form back as an expression tree (a sum of coefficient × traces × word products), e.g. for mathjs. */
export function normalFormToExpr(nf: NormalForm): Expr {
  if (nf.isZero()) return nf.isScalar ? constant(0) : zero(nf.rows, nf.cols);
  const terms: Expr[] = [];
  for (const t of nf.terms()) {
    const factors: Expr[] = [polyToExpr(t.coef)];
    for (const w of t.traces) factors.push(trace(mul(...w.map(letterExpr))));
    if (t.word.length > 0) factors.push(...t.word.map(letterExpr));
    else if (!nf.isScalar) factors.push(identity(nf.rows));
    terms.push(mul(...factors));
  }
  return add(...terms);
}

function letterExpr(l: Letter): Expr {
  return l.t ? transpose(l.sym) : l.sym;
}

function polyToExpr(p: Poly): Expr {
  if (p.isZero()) return constant(0);
  const parts: Expr[] = p.entries().map(({ mono, coef }) => {
    const f: Expr[] = [constant(coef)];
    for (const [name, k] of mono) for (let i = 0; i < k; i++) f.push(scalarSymbol(name));
    return mul(...f);
  });
  return add(...parts);
}
