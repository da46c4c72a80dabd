import { checkScalarIdentity } from '../check/identity.js';
import { type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import type { Matrix } from '../linalg/matrix.js';
import { layerGradients } from '../model/gradients.js';
import { loss, residual } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import type { ModelInstance } from './instances.js';
import { type ModelMap, tangentKernel } from './model-map.js';
import { packWeights } from './models.js';
import { rayleighQuotient } from './rayleigh.js';

/** The Rayleigh identity ‖∇L‖² = ⟨g, K_θg⟩ = 2R_θ(g)L of the square loss, checked against independent code. */

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/**
 * The loss, functional gradient and parameter gradient of the square loss computed WITHOUT the model map: src/model
 * (loss, residual, layerGradients) for the DLN, the chain rule written out for the diagonal and Hadamard maps.
 */
function independentSquareLoss(i: ModelInstance): { loss: number; g: Float64Array; gradient: Float64Array } {
  if (i.weights && i.data) {
    const g = residual(endToEnd(i.weights), i.data).data.slice();
    return { loss: loss(i.weights, i.data), g, gradient: packWeights(layerGradients(i.weights, i.data)) };
  }
  const A = i.A as Matrix,
    n = A.cols,
    m = A.rows;
  const x = new Float64Array(n);
  if (i.kind === 'diagonal') for (let k = 0; k < n; k++) x[k] = i.theta[k] ** 2 - i.theta[n + k] ** 2;
  else for (let k = 0; k < n; k++) x[k] = i.theta[k] ** (i.L as number);
  const g = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = -i.target[r];
    for (let k = 0; k < n; k++) s += A.data[r * n + k] * x[k];
    g[r] = s;
  }
  const atg = new Float64Array(n);
  for (let r = 0; r < m; r++) for (let k = 0; k < n; k++) atg[k] += A.data[r * n + k] * g[r];
  const gradient = new Float64Array(i.theta.length);
  if (i.kind === 'diagonal') {
    for (let k = 0; k < n; k++) {
      gradient[k] = 2 * i.theta[k] * atg[k];
      gradient[n + k] = -2 * i.theta[n + k] * atg[k];
    }
  } else {
    const L = i.L as number;
    for (let k = 0; k < n; k++) gradient[k] = L * i.theta[k] ** (L - 1) * atg[k];
  }
  return { loss: 0.5 * dot(g, g), g, gradient };
}

/** How a check obtains K_θ (tests inject wrong kernels). Default: the explicit Jacobian from jvps, K = JJᵀ. */
export type KernelOf = (map: ModelMap, theta: Float64Array) => Matrix;
export const defaultKernel: KernelOf = (map, theta) => tangentKernel(map, theta, 'jvp');

export interface IdentityOptions {
  /** The factor in ‖∇L‖² = factor·R·L (2 for the square loss). */
  readonly factor?: number;
  readonly kernel?: KernelOf;
}

/**
 * ‖∇L‖² (from src/model or the written-out chain rule) = ⟨g, K_θg⟩ (K from the explicit Jacobian built by jvps)
 * = 2R_θ(g)L, each at c = 8 ulps of the scale (M + P)·tr(K)·‖g‖² — the size of the terms Σ_k (J_θᵀg)_k² is built
 * from (‖J‖_F² = tr K).
 */
export function checkRayleighIdentity(i: ModelInstance, options: IdentityOptions = {}): Verdict {
  const factor = options.factor ?? 2;
  const K = (options.kernel ?? defaultKernel)(i.map, i.theta);
  const { loss: L, g, gradient } = independentSquareLoss(i);
  const lhs = dot(gradient, gradient);
  const R = rayleighQuotient(K, g);
  const quad = R * dot(g, g);
  let trace = 0;
  for (let k = 0; k < K.rows; k++) trace += K.data[k * K.rows + k];
  const scale = (i.map.outputDim + i.map.parameterDim) * trace * dot(g, g);
  const rel = (a: number, b: number): string => fmt(Math.abs(a - b) / Math.max(Math.abs(a), Number.MIN_VALUE));
  const quadratic = checkScalarIdentity(lhs, quad, { scale, label: `‖∇L‖² = ⟨g, K_θg⟩ (relative ${rel(lhs, quad)})` });
  const square = checkScalarIdentity(lhs, factor * R * L, {
    scale,
    label: `‖∇L‖² = ${factor}·R_θ(g)·L (relative ${rel(lhs, factor * R * L)})`,
  });
  const v = worstOf([quadratic, square]);
  return {
    ...v,
    detail: `${i.map.name}: ‖∇L‖² = ${fmt(lhs)}, ⟨g, Kg⟩ = ${fmt(quad)}, R = ${fmt(R)}, L = ${fmt(L)}; ${v.detail}`,
    data: { lhs, quadratic: quad, R, L, relativeError: Math.abs(lhs - factor * R * L) / lhs },
  };
}
