import { compare, inconclusive, type Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { Matrix } from '../linalg/matrix.js';
import { layerGradients } from '../model/gradients.js';
import { loss } from '../model/loss.js';
import { shapesFor } from '../model/network.js';
import { lbfgs } from './descent.js';
import { flatten, unflatten } from './hessian.js';
import type { DecayInstance } from './instances.js';
import { certifyMinimum } from './regularized-minimum.js';

const objective = (weights: readonly Matrix[], i: DecayInstance): number =>
  loss(weights, i.data, { weightDecay: 2 * i.lambda });

/**
 * Whether the origin is a bad local minimum of F(θ) = ½‖W_{N:1}X − Y‖² + λ‖θ‖²: (1) certify the origin a local
 * minimum of F (certifyMinimum: gradient 0, Hessian 2λI); (2) L-BFGS on F from the Gaussian start. "Every local
 * minimum is global" is refuted when the descent ends strictly below F(0): F(0) − F_end must stay within the
 * round-off 16(Σd)ε·F(0) for it to hold. An uncertified origin (it always is certified for N ≥ 3) makes the run
 * inconclusive.
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
    errorModel: `every local minimum global ⇒ F(0) − F_end ≤ round-off 16(Σd)ε·F(0) = ${sci(bound)}`,
    detail:
      `origin (N = ${i.widths.length - 1}, λ = ${i.lambda}): ${origin.why}; F(0) = ${sci(f0)}, L-BFGS from a ` +
      `Gaussian start ends at F = ${sci(r.value)} (‖∇F‖ = ${sci(r.gradientNorm)})`,
  };
  return origin.certified
    ? compare(input)
    : inconclusive({ ...input, detail: `${input.detail}: the origin is not certified a local minimum` });
}
