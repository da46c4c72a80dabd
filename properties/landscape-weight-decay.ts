import { type DecayInstance, decayInstanceArb } from '../src/arbitraries/weight-decay.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { checkDecayLocalMinima } from '../src/landscape/weight-decay-verdict.js';

/**
 * K. Kawaguchi, "Deep Learning without Poor Local Minima", NeurIPS 2016, and T. Laurent and J. von Brecht, "Deep
 * linear networks with arbitrary loss: all local minima are global", ICML 2018: their statement with weight decay.
 * The sharpest false neighbour of crit.no-bad-local-min: "every local minimum is global" with weight decay added.
 * For depth N ≥ 3 the data term of F(θ) = ½‖W_{N:1}X − Y‖² + λ‖θ‖² has zero Hessian at the origin (every term of
 * its expansion has ≥ N ≥ 3 factors, or is ≥ 2N-th order), so the Hessian there is 2λI: the origin is a strict local
 * minimum, and F(0) = ½‖Y‖² lies above points that fit the data. (The L = 2 counterpart is false the other way: the
 * origin is a saddle when σ_1(YXᵀ) > 2λ — wj.scalar-separatrix.two-layers.)
 */

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
