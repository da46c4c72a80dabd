import fc from 'fast-check';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd.js';
import { balancedFactorization } from '../model/balanced-init.js';
import { conditionedMatrix } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import type { Rng } from '../random/rng.js';
import { KL_FAMILIES, type KlInstance } from '../rayleigh/instances.js';
import { diagonalModelMap, dlnModelMap, packWeights } from '../rayleigh/models.js';
import { type MarginConstraints, marginParameters, marginStart, quarterDecades } from './deficiency-margin.js';
import { seeded } from './seeded.js';

export type { KlInstance };

/** Square-loss gradient flows with a predicted KL exponent (rsl.kl-rates): three families. */

const round = (x: number): number => Number(x.toPrecision(4));

function gaussianVector(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.gaussian());
}

/**
 * Three families of square-loss gradient flows:
 *  - dln-margin: balanced square DLN, f = W_{N:1}, target Φ of full rank, start with deficiency margin c:
 *    ‖∇L‖² = 2RL ≥ 2N s_min(A)^{2(N−1)/N}L ≥ 2Nc^{2(N−1)/N}L (acgh.dln-pl; ‖A(t) − Φ‖_F is non-increasing), a = 1;
 *  - dln-degenerate: balanced square DLN, target of rank r < d (Φ = 0 allowed), full-rank start = Φ plus
 *    zero-target modes plus a small coupling: on the tail the zero-target block follows Ȧ = −N(AAᵀ)^{(N−1)/N}A, whose
 *    singular values obey ṡ = −N s^{3−2/N}, so ‖∇L‖² ∝ L^{2−1/N}, a = 2 − 1/N [D];
 *  - diagonal: WGL's diagonal network from u = v = α1 on a consistent underdetermined problem: u⊙v = α²1 is
 *    conserved, K = X diag(4(u² + v²))Xᵀ ⪰ 8α²XXᵀ, so ‖∇L‖² ≥ 16α²σ_min(X)²L, a = 1 [D].
 */
export function klInstanceArb(constraints: MarginConstraints = {}): fc.Arbitrary<KlInstance> {
  return seeded(
    fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      marginParameters(constraints),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 7 }),
    ),
    ([k, [d, depth, q, gammaQ, uQ], extra, alphaQ], rng): KlInstance => {
      const family = KL_FAMILIES[k];
      if (family === 'dln-margin') {
        const s = marginStart(rng, d, depth, q, gammaQ, uQ);
        const N = depth;
        return {
          family,
          map: dlnModelMap(new Array(N + 1).fill(d)),
          theta0: packWeights(s.weights),
          target: s.Phi.data.slice(),
          predictedA: 1,
          predictedC: {
            value: 2 * N * Math.pow(s.c, (2 * (N - 1)) / N),
            why: `2N·c^{2(N−1)/N}, deficiency margin c = ${fmt(s.c)}`,
          },
          spread: 'kernel',
          summary: {
            family,
            d,
            N,
            c: round(s.c),
            sigmaMinPhi: round(s.sigmaMinPhi),
            Phi: s.Phi.toArray().map((r) => r.map(round)),
          },
        };
      }
      if (family === 'dln-degenerate') {
        // Φ = Σ_{a<r} σ_a u_a v_aᵀ; A(0) = Φ + Σ_{a≥r} z_a u_a v_aᵀ + E: zero-target modes of size z_a ∈ [0.1, 0.5] (so the
        // algebraic tail dominates early) and a small generic E (‖E‖_F = 0.05·σ_r) that couples all modes.
        const r = Math.min(q, d - 1); // rank of the target, shrinking toward Φ = 0
        const sigma = quarterDecades(r);
        const U = randomOrthonormal(rng, d, d),
          V = randomOrthonormal(rng, d, d);
        const z = Array.from({ length: d - r }, (_, a) => Math.round((0.1 + (0.4 * (uQ - 1 + a)) / 4) * 100) / 100);
        const outer = (values: readonly number[], from: number): Matrix => {
          const M = new Matrix(d, d);
          values.forEach((v, k) => {
            for (let row = 0; row < d; row++)
              for (let col = 0; col < d; col++)
                M.data[row * d + col] += v * U.get(row, from + k) * V.get(col, from + k);
          });
          return M;
        };
        const Phi = outer(sigma, 0);
        const A0 = outer(z, r);
        const E = gaussianMatrix(rng, d, d);
        const e = (0.05 * (r > 0 ? sigma[r - 1] : 1)) / frobeniusNorm(E);
        for (let t = 0; t < A0.data.length; t++) A0.data[t] += Phi.data[t] + e * E.data[t];
        const N = depth;
        const weights = balancedFactorization(A0, new Array(N + 1).fill(d), rng);
        return {
          family,
          map: dlnModelMap(new Array(N + 1).fill(d)),
          theta0: packWeights(weights),
          target: Phi.data.slice(),
          predictedA: 2 - 1 / N,
          spread: { zeroModes: d - r },
          summary: { family, d, N, rankPhi: r, zeroModes: z, Phi: Phi.toArray().map((row) => row.map(round)) },
        };
      }
      const n = d,
        features = d + extra + 1;
      const X = conditionedMatrix(rng, n, features, { cond: Math.pow(10, q / 8) });
      const beta = gaussianVector(rng, features);
      const y = new Float64Array(n);
      for (let r = 0; r < n; r++) for (let j = 0; j < features; j++) y[r] += X.data[r * features + j] * beta[j];
      const alpha = Math.round((0.3 + 0.1 * alphaQ) * 10) / 10;
      const sMin = svd(X).s[n - 1];
      return {
        family,
        map: diagonalModelMap(X),
        theta0: new Float64Array(2 * features).fill(alpha),
        target: y,
        predictedA: 1,
        predictedC: {
          value: 16 * alpha * alpha * sMin * sMin,
          why: `16α²σ_min(X)² (u⊙v = α² conserved ⇒ K ⪰ 8α²XXᵀ), α = ${alpha}`,
        },
        spread: 'kernel',
        summary: { family, alpha, X: X.toArray().map((r) => r.map(round)), y: Array.from(y, round) },
      };
    },
  );
}
