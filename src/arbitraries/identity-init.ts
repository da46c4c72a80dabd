import fc from 'fast-check';
import type { IdentityInitInstance } from '../acgh/instances.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import { dimension, seeded } from './seeded.js';

export type { IdentityInitInstance };

/** The shapes of the instances. */
export interface IdentityInitConstraints {
  /** Dimension d (default [1, 3]). */
  readonly dimension?: [number, number];
  /** Half the (even) depth, N = 2·half (default [1, 2]: N ∈ {2, 4}). */
  readonly halfDepth?: [number, number];
}

/**
 * d ∈ [1, 3], N ∈ {2, 4} (even), Φ symmetric with eigenvalues ±k/2 (k = 1..4; 0 excluded so a slow sublinear
 * approach to a zero eigenvalue is never mistaken for the counterexample). X = √d·I (whitened, m = d), Y = ΦX.
 */
export function identityInitInstanceArb(constraints: IdentityInitConstraints = {}): fc.Arbitrary<IdentityInitInstance> {
  const params = fc.tuple(
    dimension(...(constraints.dimension ?? [1, 3])),
    fc.integer({ min: (constraints.halfDepth ?? [1, 2])[0], max: (constraints.halfDepth ?? [1, 2])[1] }),
    fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 4 })), { minLength: 3, maxLength: 3 }),
  );
  return seeded(params, ([d, half, eig], rng) => {
    // Sorted ascending before truncating to d, so the most negative eigenvalue survives when d shrinks.
    const lambda = eig
      .map(([negative, k]) => (negative ? -k : k) / 2)
      .sort((x, y) => x - y)
      .slice(0, d);
    const Q = randomOrthonormal(rng, d, d);
    const QL = Q.clone();
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) QL.data[r * d + c] *= lambda[c];
    const Phi = multiply(QL, Q, 'n', 't');
    for (let r = 0; r < d; r++) for (let c = 0; c < r; c++) Phi.data[r * d + c] = Phi.data[c * d + r]; // exactly symmetric
    const X = Matrix.identity(d);
    for (let t = 0; t < X.data.length; t++) X.data[t] *= Math.sqrt(d);
    return { d, depth: 2 * half, lambda, Phi, data: { X, Y: multiply(Phi, X) } };
  });
}

const round = (x: number): number => Number(x.toPrecision(4));

export function summarizeIdentityInit(i: IdentityInitInstance): Record<string, unknown> {
  return { d: i.d, N: i.depth, lambda: i.lambda, Phi: i.Phi.toArray().map((r) => r.map(round)) };
}
