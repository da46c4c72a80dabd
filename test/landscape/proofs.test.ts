import { describe, expect, it } from 'vitest';
import { criticalValueProof } from '../../proofs/critical-value.js';
import { rotationCertificateProof } from '../../proofs/rotation-certificate.js';
import { identity, matrixSymbol, mul, normSquared, scale, sub, trace, transpose } from '../../src/symbolic/expr.js';
import { proveIdentity } from '../../src/symbolic/identity.js';
import { rule } from '../../src/symbolic/rewrite.js';

describe('landscape proofs', () => {
  // test/proofs/all-proofs.test.ts runs every proof once; here only what is particular to these two.
  it('are derived [D]', () => {
    for (const proof of [criticalValueProof, rotationCertificateProof]) expect(proof.provenance, proof.id).toBe('D');
  });

  it('the symbolic critical-value reduction fails without a side relation or with a wrong constant', () => {
    const X = matrixSymbol('X', 'd', 'm'),
      Y = matrixSymbol('Y', 'n', 'm');
    const Ci = matrixSymbol('Ci', 'd', 'd', { symmetric: true });
    const U = matrixSymbol('U', 'n', 'r'),
      Lam = matrixSymbol('Λ', 'r', 'r', { symmetric: true });
    const W = mul(U, transpose(U), Y, transpose(X), Ci);
    const lhs = scale('1/2', normSquared(sub(mul(W, X), Y)));
    const rhs = sub(scale('1/2', trace(mul(Y, transpose(Y)))), scale('1/2', trace(Lam)));
    const rules = [
      rule(mul(X, transpose(X), Ci), identity('d')),
      rule(mul(transpose(U), U), identity('r')),
      rule(mul(Y, transpose(X), Ci, X, transpose(Y), U), mul(U, Lam)),
    ];
    expect(proveIdentity(lhs, rhs, { rules }).holds).toBe(true);
    expect(proveIdentity(lhs, rhs, { rules: rules.slice(1) }).holds).toBe(false);
    expect(proveIdentity(lhs, sub(scale('1/2', trace(mul(Y, transpose(Y)))), trace(Lam)), { rules }).holds).toBe(false);
  });
});
