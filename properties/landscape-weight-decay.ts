import fc from 'fast-check';
import { dimension, seeded, widths as widthsArb } from '../src/arbitraries/seeded.js';
import { compare, inconclusive, type Verdict } from '../src/check/verdict.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { lbfgs } from '../src/landscape/descent.js';
import { flatten, unflatten } from '../src/landscape/hessian.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import { layerGradients } from '../src/model/gradients.js';
import { loss, type Data } from '../src/model/loss.js';
import { shapesFor } from '../src/model/network.js';
import { matrixWithSpectrum, whitenedInputs } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { certifyMinimum } from './support/regularized-minimum.js';
import { fmt } from './support/verdict-text.js';

/**
 * The sharpest false neighbour of crit.no-bad-local-min: "every local minimum is global" with weight decay added.
 * For depth N ≥ 3 the data term of F(θ) = ½‖W_{N:1}X − Y‖² + λ‖θ‖² has zero Hessian at the origin (every term of
 * its expansion has ≥ N ≥ 3 factors, or is ≥ 2N-th order), so the Hessian there is 2λI: the origin is a strict local
 * minimum, and F(0) = ½‖Y‖² lies above points that fit the data. (The L = 2 counterpart is false the other way: the
 * origin is a saddle when σ_1(YXᵀ) > 2λ — wj.scalar-separatrix.two-layers.)
 */

export interface DecayInstance {
  readonly widths: number[];
  readonly data: Data;
  /** λ of λ‖θ‖² (WJ's convention). */
  readonly lambda: number;
  /** A Gaussian start for the descent that looks for a lower value than F(0). */
  readonly start: Matrix[];
}

/** Depth 3..4, widths 1..3, whitened X (XXᵀ = I), Y = BX with σ(B) in [1, 2], λ = 0.01, Gaussian start. */
export const decayInstanceArb: fc.Arbitrary<DecayInstance> = seeded(
  fc.tuple(widthsArb({ depth: [3, 4], width: [1, 3] }), dimension(0, 2)),
  ([widths, extra], rng) => {
    const N = widths.length - 1, d0 = widths[0], dN = widths[N];
    const X = whitenedInputs(rng, d0, d0 + extra);
    const r = Math.min(d0, dN);
    const B = matrixWithSpectrum(rng, dN, d0, Array.from({ length: r }, (_, k) => (r === 1 ? 2 : 2 - k / (r - 1))));
    const start = shapesFor(widths).map(([a, b]) => gaussianMatrix(rng, a, b, 1 / Math.sqrt(b)));
    return { widths, data: { X, Y: multiply(B, X) }, lambda: 0.01, start };
  },
);

const objective = (weights: readonly Matrix[], i: DecayInstance): number => loss(weights, i.data, { weightDecay: 2 * i.lambda });

/**
 * (1) certify the origin a local minimum of F (certifyMinimum: gradient 0, Hessian 2λI); (2) L-BFGS on F from the
 * Gaussian start; the claim (every local minimum is global) is refuted when the descent ends strictly below F(0):
 * F(0) − F_end must stay within the round-off 16(Σd)ε·F(0) for the claim to hold. An uncertified origin (it always
 * is certified for N ≥ 3) makes the run inconclusive.
 */
export function checkDecayLocalMinima(i: DecayInstance): Verdict {
  const zero = shapesFor(i.widths).map(([a, b]) => new Matrix(a, b));
  const origin = certifyMinimum(zero, i.data, 1, i.lambda);
  const f0 = objective(zero, i);
  const r = lbfgs(
    (x) => objective(unflatten(i.start, x), i),
    (x) => flatten(layerGradients(unflatten(i.start, x), i.data, { weightDecay: 2 * i.lambda })),
    flatten(i.start),
  );
  const bound = 16 * i.widths.reduce((a, d) => a + d, 0) * Number.EPSILON * f0;
  const input = {
    measured: f0 - r.value,
    bound,
    errorModel: `every local minimum global ⇒ F(0) − F_end ≤ round-off 16(Σd)ε·F(0) = ${fmt(bound)}`,
    detail: `origin (N = ${i.widths.length - 1}, λ = ${i.lambda}): ${origin.why}; F(0) = ${fmt(f0)}, L-BFGS from a Gaussian start ends at F = ${fmt(r.value)} (‖∇F‖ = ${fmt(r.gradientNorm)})`,
  };
  return origin.certified ? compare(input) : inconclusive({ ...input, detail: `${input.detail}: the origin is not certified a local minimum` });
}

export const critNoBadLocalMinWeightDecay: Claim<DecayInstance> = defineClaim({
  id: 'crit.no-bad-local-min.weight-decay',
  title: 'FALSE: with weight decay λ‖θ‖² every local minimum of the square loss is still global (depth ≥ 3)',
  statement:
    'crit.no-bad-local-min for F(θ) = ½‖W_{N:1}X − Y‖² + λ‖θ‖², λ > 0, N ≥ 3. FALSE: the origin is a strict local minimum (Hessian 2λI there, the ' +
    'data term being flat to order N ≥ 3), with F(0) = ½‖Y‖² above the values of points that fit the data.',
  source: { paper: 'Kawaguchi 2016; Laurent–von Brecht 2018', location: 'FALSE variant of crit.no-bad-local-min (weight decay added); derived, the mechanism of WJ\'s rank-overestimating minima', provenance: 'D' },
  hypotheses: ['depth 3..4, widths 1..3, whitened X, Y = BX with σ(B) ∈ [1, 2]', 'λ = 0.01 (WJ convention λ‖θ‖²)', 'L-BFGS on F from a Gaussian start'],
  instances: decayInstanceArb,
  check: checkDecayLocalMinima,
  expected: 'counterexample',
  tolerance: 'origin certified a local minimum (gradient at round-off, Hessian eigenvalues > τ); refuted when F_end < F(0) − 16(Σd)ε·F(0).',
  runs: 20,
  summarize: (i) => ({ widths: i.widths, lambda: i.lambda }),
});

export const landscapeWeightDecayClaims: Claim<any>[] = [critNoBadLocalMinWeightDecay];
