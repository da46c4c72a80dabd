import { compare, type Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply, transpose } from '../linalg/products.js';
import { layerGradients } from '../model/gradients.js';
import { loss } from '../model/loss.js';
import { lbfgs } from './descent.js';
import { flatten, unflatten } from './hessian.js';
import type { BurerMonteiroInstance } from './instances.js';
import { burerMonteiroDescend, positivePart } from './nr-models.js';

/** nr.burer-monteiro: descent on ½‖XXᵀ − M‖² from X_0 ends with ‖XXᵀ − M_+‖ ≤ 1e-6·‖M‖. */
export function burerMonteiroVerdict(instance: BurerMonteiroInstance): Verdict {
  const r = burerMonteiroDescend(instance.X0, instance.M);
  const rel = r.distance / frobeniusNorm(instance.M);
  return compare({
    measured: rel,
    bound: 1e-6,
    errorModel: 'descent stops at ‖∇f‖ ≤ 1e-10(1 + ‖∇f_0‖); ‖XXᵀ − M_+‖ ~ ‖∇f‖/|λ| ≪ 1e-6',
    detail:
      `n = ${instance.n}, p = ${instance.positive} positive eigenvalues, k = ${instance.k}: ‖XXᵀ − M_+‖/‖M‖ after ` +
      `${r.iterations} steps`,
  });
}

/**
 * The asymmetric factorization XYᵀ (a two-layer DLN [n, k, n] on data X = I) from an independent start (X_0, Y_0),
 * held to M_+. (From Y_0 = X_0 the iterates stay symmetric and this would be nr.burer-monteiro itself.)
 */
export function asymmetricFactorizationVerdict(instance: BurerMonteiroInstance): Verdict {
  const start = [transpose(instance.Y0), instance.X0.clone()];
  const data = { X: Matrix.identity(instance.n), Y: instance.M };
  const r = lbfgs(
    (x) => loss(unflatten(start, x), data),
    (x) => flatten(layerGradients(unflatten(start, x), data)),
    flatten(start),
  );
  const weights = unflatten(start, r.x);
  const product = multiply(weights[1], weights[0]);
  const mPlus = positivePart(instance.M);
  for (let i = 0; i < product.data.length; i++) product.data[i] -= mPlus.data[i];
  return compare({
    measured: frobeniusNorm(product) / frobeniusNorm(instance.M),
    bound: 1e-6,
    errorModel:
      'as nr.burer-monteiro: descent stops at ‖∇f‖ ≤ 1e-10(1 + ‖∇f_0‖), so a converged XYᵀ = M_+ would be within ' +
      '~1e-10',
    detail:
      `n = ${instance.n}, p = ${instance.positive}, k = ${instance.k}: ‖XYᵀ − M_+‖/‖M‖ after ${r.iterations} L-BFGS ` +
      `steps (‖∇f‖ = ${sci(r.gradientNorm)})`,
  });
}
