import { sci as fmt } from '../format.js';
import { scale } from '../linalg/elementwise.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { svd, symmetricEigen } from '../linalg/svd.js';
import { layerGradients, layerGradientsFromEndToEnd } from '../model/gradients.js';
import { type Data, endToEndGradient } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import { flatten, fullHessian, hessianMagnitude, maskedHessian } from './hessian.js';
import { gamma } from './tolerances.js';

/**
 * Certified local minima of the L2-regularized square loss: the certificate wj.jumps-down puts on its start and
 * crit.no-bad-local-min.weight-decay on the origin.
 */

/** Tangent vectors of the orthogonal gauge orbit W_ℓ → QW_ℓ, W_{ℓ+1} → W_{ℓ+1}Qᵀ at each hidden layer, flattened. */
function gaugeTangents(weights: readonly Matrix[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (let l = 1; l < weights.length; l++) {
    const d = weights[l - 1].rows;
    for (let a = 0; a < d; a++) {
      for (let b = a + 1; b < d; b++) {
        const k = new Matrix(d, d);
        k.data[a * d + b] = 1;
        k.data[b * d + a] = -1;
        const delta = weights.map((w) => new Matrix(w.rows, w.cols));
        delta[l - 1] = multiply(k, weights[l - 1]);
        delta[l] = multiply(weights[l], k);
        for (let i = 0; i < delta[l].data.length; i++) delta[l].data[i] = -delta[l].data[i];
        out.push(flatten(delta));
      }
    }
  }
  return out;
}

export interface MinimumCertificate {
  readonly certified: boolean;
  /** ‖∇F‖ and the round-off level it is held to. */
  readonly gradient: number;
  readonly gradientBound: number;
  /** Smallest eigenvalue of the Hessian of F on the complement of the gauge orbit, and the round-off level τ. */
  readonly lambdaMin: number;
  readonly lambdaMax: number;
  readonly tolerance: number;
  /** ‖H·T‖_F over an orthonormal basis T of the orbit's tangent space (0 at an exact critical point). */
  readonly orbitResidual: number;
  readonly orbitDimension: number;
  readonly why: string;
}

/** Round-off factors of the certificate: ‖∇F‖ ≤ GRADIENT_ROUNDOFF·ε(Σd)(…), τ = κτ_H + HESSIAN_ROUNDOFF·n_pε‖H‖. */
export const GRADIENT_ROUNDOFF = 64,
  HESSIAN_ROUNDOFF = 8;

/** The unregularized loss's parts at a point: layer gradients and exact Hessian (κ included), ‖∇L¹‖, τ_H. */
interface LossParts {
  readonly grads: readonly Matrix[];
  readonly endToEndNorm: number;
  readonly hessian: Matrix;
  readonly tolerance: number;
}

/**
 * A second-order certificate that `weights` is a local minimum of F(θ) = (κ/2)‖W_{N:1}X − Y‖² + λ‖θ‖² (WJ's decay
 * convention; WJ's completion loss with every entry observed is X = I, Y = A*, κ = 2/(d_0d_N)):
 * (i) ‖∇F‖ at round-off, 64ε(Σd)(‖∇L¹‖Π max(1, ‖W_ℓ‖) + 2λ‖θ‖);
 * (ii) the exact Hessian (src/landscape's block assembly of ½‖WX − Y‖², times κ, plus 2λI) annihilates the orbit of
 *      orthogonal gauge maps up to τ·√dim (F is invariant under them, so at a critical point they are flat);
 * (iii) on the orbit's orthogonal complement its smallest eigenvalue exceeds τ = κτ_H + 8n_pε‖H‖ (τ_H the
 *      classifier's round-off level of the Hessian entries).
 * (ii)+(iii) make the point a minimum of F on a neighbourhood (Morse–Bott: positive definite across an orbit of
 * critical points of equal value).
 */
export function certifyMinimum(
  weights: readonly Matrix[],
  data: Data,
  kappa: number,
  lambda: number,
): MinimumCertificate {
  const hessian = fullHessian(weights, data, 'half').matrix;
  for (let i = 0; i < hessian.data.length; i++) hessian.data[i] *= kappa;
  const magnitude = frobeniusNorm(hessianMagnitude(weights, data, 'half'));
  return certify(weights, lambda, {
    grads: layerGradients(weights, data, { scale: 'half' }).map((g) => scale(kappa, g)),
    endToEndNorm: kappa * frobeniusNorm(endToEndGradient(endToEnd(weights), data, 'half')),
    hessian,
    tolerance: kappa * Math.max(gamma(weights, data) * magnitude, Number.MIN_VALUE),
  });
}

/**
 * The same certificate for WJ's masked completion loss F(θ) = (1/|I|)Σ_{(p,q)∈I}(A_pq − A*_pq)² + λ‖θ‖²
 * (`pattern` the 0/1 matrix of I; κ = 2/|I|), its Hessian from maskedHessian.
 */
export function certifyMaskedMinimum(
  weights: readonly Matrix[],
  target: Matrix,
  pattern: Matrix,
  lambda: number,
): MinimumCertificate {
  const kappa = 2 / pattern.data.reduce((a, x) => a + x, 0);
  const g = endToEnd(weights);
  for (let k = 0; k < g.data.length; k++) g.data[k] = kappa * pattern.data[k] * (g.data[k] - target.data[k]);
  const { hessian, tolerance } = maskedHessian(weights, target, pattern, kappa);
  return certify(weights, lambda, {
    grads: layerGradientsFromEndToEnd(weights, g),
    endToEndNorm: frobeniusNorm(g),
    hessian: hessian.matrix,
    tolerance,
  });
}

function certify(weights: readonly Matrix[], lambda: number, loss: LossParts): MinimumCertificate {
  const widths = [weights[0].cols, ...weights.map((w) => w.rows)];
  let gradient2 = 0;
  for (let l = 0; l < weights.length; l++) {
    const g = loss.grads[l],
      w = weights[l];
    for (let i = 0; i < g.data.length; i++) gradient2 += (g.data[i] + 2 * lambda * w.data[i]) ** 2;
  }
  const gradient = Math.sqrt(gradient2);
  const theta = Math.sqrt(weights.reduce((a, w) => a + frobeniusNorm(w) ** 2, 0));
  const chain = loss.endToEndNorm * weights.reduce((p, w) => p * Math.max(1, frobeniusNorm(w)), 1);
  const gradientBound =
    GRADIENT_ROUNDOFF * Number.EPSILON * widths.reduce((a, x) => a + x, 0) * (chain + 2 * lambda * theta);
  const H = loss.hessian.clone();
  const np = H.rows;
  for (let i = 0; i < np; i++) H.data[i * np + i] += 2 * lambda;
  // An orthonormal basis of the orbit's tangent space (the rank-deficient point has fewer than Σ d(d−1)/2 of them).
  const tangents = gaugeTangents(weights);
  const T = new Matrix(np, tangents.length);
  tangents.forEach((v, j) => v.forEach((x, i) => (T.data[i * tangents.length + j] = x)));
  const ts = svd(T);
  const cut = 1e-10 * (ts.s[0] || 1);
  const basis: Float64Array[] = [];
  for (let j = 0; j < ts.s.length; j++)
    if (ts.s[j] > cut) basis.push(Float64Array.from({ length: np }, (_, i) => ts.U.data[i * ts.U.cols + j]));
  let orbitResidual = 0;
  for (const b of basis) {
    for (let i = 0; i < np; i++) {
      let hb = 0;
      for (let j = 0; j < np; j++) hb += H.data[i * np + j] * b[j];
      orbitResidual += hb * hb;
    }
  }
  orbitResidual = Math.sqrt(orbitResidual);
  // P H P with P = I − BBᵀ: the orbit's directions get eigenvalue 0, the complement keeps the compressed Hessian.
  const P = Matrix.identity(np);
  for (const b of basis) for (let i = 0; i < np; i++) for (let j = 0; j < np; j++) P.data[i * np + j] -= b[i] * b[j];
  const compressed = multiply(multiply(P, H), P);
  for (let i = 0; i < np; i++)
    for (let j = 0; j < i; j++)
      compressed.data[i * np + j] = compressed.data[j * np + i] =
        0.5 * (compressed.data[i * np + j] + compressed.data[j * np + i]);
  // The orbit's directions are the basis.length eigenvalues nearest 0; the rest is the Hessian on the complement.
  const values = Array.from(symmetricEigen(compressed).values)
    .sort((a, b) => Math.abs(a) - Math.abs(b))
    .slice(basis.length);
  const lambdaMax = Math.max(...values);
  const lambdaMin = Math.min(...values);
  const tolerance = loss.tolerance + HESSIAN_ROUNDOFF * np * Number.EPSILON * Math.abs(lambdaMax);
  const problems: string[] = [];
  if (!(gradient <= gradientBound))
    problems.push(`‖∇F‖ = ${fmt(gradient)} > ${fmt(gradientBound)} (not critical to round-off)`);
  if (!(orbitResidual <= tolerance * Math.sqrt(basis.length)))
    problems.push(`the Hessian moves along the gauge orbit (‖HT‖ = ${fmt(orbitResidual)})`);
  if (!(lambdaMin > tolerance))
    problems.push(
      `λ_min of the Hessian off the gauge orbit is ${fmt(lambdaMin)} ≤ τ = ${fmt(tolerance)} (not a certified minimum)`,
    );
  return {
    certified: problems.length === 0,
    gradient,
    gradientBound,
    lambdaMin,
    lambdaMax,
    tolerance,
    orbitResidual,
    orbitDimension: basis.length,
    why: problems.length
      ? problems.join('; ')
      : `‖∇F‖ = ${fmt(gradient)}, Hessian off the ${basis.length}-dim gauge orbit in [${fmt(lambdaMin)}, ${fmt(lambdaMax)}] (τ = ${fmt(tolerance)})`,
  };
}
