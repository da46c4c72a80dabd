import { type MathNode, parse, simplify } from 'mathjs';
import { DomainError } from '../errors.js';
import { Rational } from './rational.js';
import { Poly } from './scalar-poly.js';

/**
 * Polynomial identities on the scalar side. Two independent routes:
 * - mathjs: simplify(lhs − rhs) with the distributive laws added to its default rules (mathjs's simplify does
 *   not expand products by itself, and its rationalize is exponential in the degree: ~60 s at degree 10 here);
 * - dlnv's own exact polynomial arithmetic (Poly) on the parsed mathjs tree.
 * The identity holds when both reduce lhs − rhs to 0.
 */
const EXPAND_RULES = [
  'n1*(n2+n3) -> n1*n2+n1*n3',
  '(n1+n2)*n3 -> n1*n3+n2*n3',
  'n1*(n2-n3) -> n1*n2-n1*n3',
  '(n1-n2)*n3 -> n1*n3-n2*n3',
];

export interface PolynomialIdentity {
  readonly holds: boolean;
  /** mathjs's simplification of lhs − rhs ("0" when the identity holds). */
  readonly mathjs: string;
  readonly mathjsHolds: boolean;
  /** The exact expansion of lhs − rhs by Poly. */
  readonly expanded: string;
  readonly polyHolds: boolean;
}

/** lhs = rhs as polynomials (texts in mathjs syntax: +, −, *, ^ with non-negative integer exponents, / by constants). */
export function provePolynomialIdentity(lhs: string, rhs: string): PolynomialIdentity {
  const text = `(${lhs}) - (${rhs})`;
  const simplified = simplify(text, [...EXPAND_RULES, ...simplify.rules]).toString();
  const expandedPoly = polyFromMathjs(parse(text));
  const mathjsHolds = simplified === '0';
  const polyHolds = expandedPoly.isZero();
  return {
    holds: mathjsHolds && polyHolds,
    mathjs: simplified,
    mathjsHolds,
    expanded: expandedPoly.toString(),
    polyHolds,
  };
}

/** A mathjs expression tree as an exact polynomial (throws DomainError on anything that is not a polynomial). */
export function polyFromMathjs(node: MathNode | string): Poly {
  const n = typeof node === 'string' ? parse(node) : node;
  return go(n);
}

function go(n: MathNode): Poly {
  switch (n.type) {
    case 'ParenthesisNode':
      return go((n as unknown as { content: MathNode }).content);
    case 'ConstantNode': {
      const v = (n as unknown as { value: unknown }).value;
      if (typeof v !== 'number') throw new DomainError('polynomial', `unsupported constant ${String(v)}`);
      return Poly.constant(Rational.from(v));
    }
    case 'SymbolNode':
      return Poly.symbol((n as unknown as { name: string }).name);
    case 'OperatorNode': {
      const op = n as unknown as { fn: string; args: MathNode[] };
      const a = op.args.map(go);
      switch (op.fn) {
        case 'add':
          return a.reduce((x, y) => x.add(y));
        case 'subtract':
          return a[0].sub(a[1]);
        case 'multiply':
          return a.reduce((x, y) => x.mul(y));
        case 'unaryMinus':
          return a[0].neg();
        case 'unaryPlus':
          return a[0];
        case 'divide': {
          if (!a[1].isConstant() || a[1].isZero())
            throw new DomainError('polynomial', 'division only by a non-zero constant');
          return a[0].scale(Rational.ONE.div(a[1].constantTerm()));
        }
        case 'pow': {
          const e = a[1];
          const k = e.constantTerm();
          if (!e.isConstant() || !k.isInteger() || k.sign() < 0)
            throw new DomainError('polynomial', 'exponents must be non-negative integer constants');
          return a[0].pow(Number(k.num));
        }
        default:
          throw new DomainError('polynomial', `unsupported operator ${op.fn}`);
      }
    }
    default:
      throw new DomainError('polynomial', `unsupported node ${n.type}`);
  }
}
