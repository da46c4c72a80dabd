import { type DecayInstance, decayInstanceArb } from '../src/arbitraries/weight-decay.js';
import { compare, inconclusive, type Verdict } from '../src/check/verdict.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { lbfgs } from '../src/landscape/descent.js';
import { flatten, unflatten } from '../src/landscape/hessian.js';
import { Matrix } from '../src/linalg/matrix.js';
import { layerGradients } from '../src/model/gradients.js';
import { loss } from '../src/model/loss.js';
import { shapesFor } from '../src/model/network.js';
import { certifyMinimum } from './support/regularized-minimum.js';
import { fmt } from './support/verdict-text.js';

/**
 * K. Kawaguchi, "Deep Learning without Poor Local Minima", NeurIPS 2016, and T. Laurent and J. von Brecht, "Deep
 * linear networks with arbitrary loss: all local minima are global", ICML 2018: their statement with weight decay.
 * The sharpest false neighbour of crit.no-bad-local-min: "every local minimum is global" with weight decay added.
 * For depth N ≥ 3 the data term of F(θ) = ½‖W_{N:1}X − Y‖² + λ‖θ‖² has zero Hessian at the origin (every term of
 * its expansion has ≥ N ≥ 3 factors, or is ≥ 2N-th order), so the Hessian there is 2λI: the origin is a strict local
 * minimum, and F(0) = ½‖Y‖² lies above points that fit the data. (The L = 2 counterpart is false the other way: the
 * origin is a saddle when σ_1(YXᵀ) > 2λ — wj.scalar-separatrix.two-layers.)
 */

const objective = (weights: readonly Matrix[], i: DecayInstance): number =>
  loss(weights, i.data, { weightDecay: 2 * i.lambda });

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
    detail:
      `origin (N = ${i.widths.length - 1}, λ = ${i.lambda}): ${origin.why}; F(0) = ${fmt(f0)}, L-BFGS from a ` +
      `Gaussian start ends at F = ${fmt(r.value)} (‖∇F‖ = ${fmt(r.gradientNorm)})`,
  };
  return origin.certified
    ? compare(input)
    : inconclusive({ ...input, detail: `${input.detail}: the origin is not certified a local minimum` });
}

export const critNoBadLocalMinWeightDecay: Claim<DecayInstance> = defineClaim({
  id: 'crit.no-bad-local-min.weight-decay',
  title: 'FALSE: with weight decay λ‖θ‖² every local minimum of the square loss is still global (depth ≥ 3)',
  statement:
    'crit.no-bad-local-min for F(θ) = ½‖W_{N:1}X − Y‖² + λ‖θ‖², λ > 0, N ≥ 3. FALSE: the origin is a strict local ' +
    'minimum (Hessian 2λI there, the ' +
    'data term being flat to order N ≥ 3), with F(0) = ½‖Y‖² above the values of points that fit the data.',
  source: {
    paper: 'Kawaguchi 2016; Laurent–von Brecht 2018',
    location:
      "FALSE variant of crit.no-bad-local-min (weight decay added); derived, the mechanism of WJ's " +
      'rank-overestimating minima',
    provenance: 'D',
  },
  hypotheses: [
    'depth 3..4, widths 1..3, whitened X, Y = BX with σ(B) ∈ [1, 2]',
    'λ = 0.01 (WJ convention λ‖θ‖²)',
    'L-BFGS on F from a Gaussian start',
  ],
  instances: decayInstanceArb(),
  check: checkDecayLocalMinima,
  expected: 'counterexample',
  tolerance:
    'origin certified a local minimum (gradient at round-off, Hessian eigenvalues > τ); refuted when F_end < F(0) − ' +
    '16(Σd)ε·F(0).',
  runs: 20,
  summarize: (i) => ({ widths: i.widths, lambda: i.lambda }),
});

export const landscapeWeightDecayClaims: Claim<any>[] = [critNoBadLocalMinWeightDecay];
