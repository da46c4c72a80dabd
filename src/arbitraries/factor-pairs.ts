import fc from 'fast-check';
import { type FactorPair, nrExampleA, nrExampleB } from '../landscape/instances.js';
import { Matrix } from '../linalg/matrix.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import { dimension, seeded } from './seeded.js';

export type { FactorPair };

/** What factorPairArb draws from. */
export interface FactorPairConstraints {
  /** m, k, n each in [1, maxDimension] (default 3: NR's counterexamples live at 2×1·1×2). */
  readonly maxDimension?: number;
}

/**
 * (X, Y) with rank X = r_x, rank Y = r_y and dim(corange X ∩ range Y) = o chosen up front, so that rank XY = o
 * and both regimes of the rank criterion and both verdicts occur; small overlaps are favoured (they make non-open
 * points). Singular values 1, 1.5, 2 (X) and 1, 1.3, 1.6 (Y) keep the ranks clear of the 1e-9 rank cut.
 */
export function factorPairArb(constraints: FactorPairConstraints = {}): fc.Arbitrary<FactorPair> {
  const top = constraints.maxDimension ?? 3;
  return seeded(
    fc.tuple(dimension(1, top), dimension(1, top), dimension(1, top), fc.nat(), fc.nat(), fc.nat()),
    ([m, k, n, a, b, c], rng) => {
      const rx = a % (Math.min(m, k) + 1),
        ry = b % (Math.min(k, n) + 1);
      const lo = Math.max(0, rx + ry - k),
        hi = Math.min(rx, ry);
      const o = lo + (c % (hi - lo + 1));
      const basis = randomOrthonormal(rng, k, k);
      const col = (i: number) => Array.from({ length: k }, (_, r) => basis.data[r * k + i]);
      const B = Array.from({ length: rx }, (_, i) => col(i));
      const C = [
        ...Array.from({ length: o }, (_, i) => col(i)),
        ...Array.from({ length: ry - o }, (_, i) => col(k - 1 - i)),
      ];
      const U = randomOrthonormal(rng, m, rx),
        V = randomOrthonormal(rng, n, ry);
      const X = new Matrix(m, k),
        Y = new Matrix(k, n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let t = 0; t < rx; t++) s += U.data[i * rx + t] * (1 + 0.5 * t) * B[t][j];
          X.data[i * k + j] = s;
        }
      for (let i = 0; i < k; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let t = 0; t < ry; t++) s += C[t][i] * (1 + 0.3 * t) * V.data[j * ry + t];
          Y.data[i * n + j] = s;
        }
      return { X, Y, name: 'random', seed: rng.integer(0, 0x7fffffff) };
    },
  );
}

/** NR's two counterexamples (weight 1) among random pairs (weight 6). */
export function factorPairWithExamplesArb(constraints: FactorPairConstraints = {}): fc.Arbitrary<FactorPair> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(nrExampleA, nrExampleB), weight: 1 },
    { arbitrary: factorPairArb(constraints), weight: 6 },
  );
}
