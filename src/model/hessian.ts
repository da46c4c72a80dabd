import { ShapeError } from '../errors.js';
import { axpy } from '../linalg/elementwise.js';
import { frobeniusInner } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { type Data, endToEndGradient, type LossOptions, scaleFactor, weightDecayOf } from './loss.js';
import { type Weights, widthsOf } from './network.js';
import { partialProduct, prefixSuffixProducts } from './partial-products.js';

/** A perturbation of every layer, shaped like the weights. */
export type Direction = readonly Matrix[];

function checkDirection(weights: Weights, d: Direction, argument: string): void {
  if (d.length !== weights.length)
    throw new ShapeError(argument, `${weights.length} matrices (one per layer)`, `${d.length}`);
  d.forEach((m, j) => {
    if (m.rows !== weights[j].rows || m.cols !== weights[j].cols)
      throw new ShapeError(`${argument}[${j}]`, weights[j].shape, m.shape);
  });
}

/** P1(Δ) = Σ_j W_{N:j+1} Δ_j W_{j−1:1}: the first-order change of the product (THEORY §1). */
export function firstOrderProduct(weights: Weights, delta: Direction): Matrix {
  widthsOf(weights);
  checkDirection(weights, delta, 'Δ');
  const { below, above } = prefixSuffixProducts(weights);
  const n = weights.length;
  const out = new Matrix(above[0].rows, below[0].cols);
  for (let j = 1; j <= n; j++) axpy(1, multiply(multiply(above[j], delta[j - 1]), below[j - 1]), out);
  return out;
}

/**
 * The symmetric second-order change of the product,
 * P2(Δ, Γ) = Σ_{i<j} W_{N:j+1}(Δ_j W_{j−1:i+1} Γ_i + Γ_j W_{j−1:i+1} Δ_i)W_{i−1:1}, so that P2(Δ, Δ) = 2·P2(Δ)
 * in THEORY's notation.
 */
export function secondOrderProduct(weights: Weights, delta: Direction, gamma: Direction): Matrix {
  widthsOf(weights);
  checkDirection(weights, delta, 'Δ');
  checkDirection(weights, gamma, 'Γ');
  const { below, above } = prefixSuffixProducts(weights);
  const n = weights.length;
  const out = new Matrix(above[0].rows, below[0].cols);
  for (let j = 2; j <= n; j++) {
    for (let i = 1; i < j; i++) {
      const middle = partialProduct(weights, j - 1, i + 1);
      const term = multiply(delta[j - 1], multiply(middle, gamma[i - 1]));
      axpy(1, multiply(gamma[j - 1], multiply(middle, delta[i - 1])), term);
      axpy(1, multiply(multiply(above[j], term), below[i - 1]), out);
    }
  }
  return out;
}

/**
 * The Hessian bilinear form ∇²L[Δ, Γ] = κ(⟨P1(Δ)X, P1(Γ)X⟩ + ⟨(WX − Y)Xᵀ, P2(Δ, Γ)⟩) + λ⟨Δ, Γ⟩.
 * With Δ = Γ and κ = 1 this is THEORY's ‖P1(Δ)X‖² + 2⟨∇L¹(W), P2(Δ)⟩.
 */
export function hessianForm(
  weights: Weights,
  data: Data,
  delta: Direction,
  gamma: Direction = delta,
  options: LossOptions = {},
): number {
  const lambda = weightDecayOf(options);
  const scale = options.scale ?? 'half';
  const { below } = prefixSuffixProducts(weights);
  const w = below[weights.length];
  const g = endToEndGradient(w, data, scale);
  const p1x = multiply(firstOrderProduct(weights, delta), data.X);
  const q1x = gamma === delta ? p1x : multiply(firstOrderProduct(weights, gamma), data.X);
  let value =
    scaleFactor(scale, data.X.cols) * frobeniusInner(p1x, q1x) +
    frobeniusInner(g, secondOrderProduct(weights, delta, gamma));
  if (lambda > 0) delta.forEach((d, j) => (value += lambda * frobeniusInner(d, gamma[j])));
  return value;
}

/**
 * The Hessian-vector product ∇²L[Δ] as one matrix per layer: the gradient of Γ ↦ ∇²L[Δ, Γ].
 * Layer k collects W_{N:k+1}ᵀ(κ P1(Δ)XXᵀ)W_{k−1:1}ᵀ and, for every other layer i, the cross term of P2.
 */
export function hessianVectorProduct(
  weights: Weights,
  data: Data,
  delta: Direction,
  options: LossOptions = {},
): Matrix[] {
  const lambda = weightDecayOf(options);
  const scale = options.scale ?? 'half';
  widthsOf(weights);
  checkDirection(weights, delta, 'Δ');
  const { below, above } = prefixSuffixProducts(weights);
  const n = weights.length;
  const g = endToEndGradient(below[n], data, scale);
  const k = scaleFactor(scale, data.X.cols);
  const p1xxT = multiply(multiply(firstOrderProduct(weights, delta), data.X), data.X, 'n', 't');
  const out: Matrix[] = [];
  for (let layer = 1; layer <= n; layer++) {
    const h = multiply(multiply(above[layer], p1xxT, 't', 'n'), below[layer - 1], 'n', 't');
    if (k !== 1) for (let t = 0; t < h.data.length; t++) h.data[t] *= k;
    for (let other = 1; other <= n; other++) {
      if (other === layer) continue;
      if (other > layer) {
        // Γ sits below Δ_other: term W_{N:other+1} Δ_other W_{other−1:layer+1} Γ_layer W_{layer−1:1}.
        const left = multiply(multiply(above[other], delta[other - 1]), partialProduct(weights, other - 1, layer + 1));
        axpy(1, multiply(multiply(left, g, 't', 'n'), below[layer - 1], 'n', 't'), h);
      } else {
        // Γ sits above Δ_other: term W_{N:layer+1} Γ_layer W_{layer−1:other+1} Δ_other W_{other−1:1}.
        const right = multiply(
          multiply(partialProduct(weights, layer - 1, other + 1), delta[other - 1]),
          below[other - 1],
        );
        axpy(1, multiply(multiply(above[layer], g, 't', 'n'), right, 'n', 't'), h);
      }
    }
    if (lambda > 0) axpy(lambda, delta[layer - 1], h);
    out.push(h);
  }
  return out;
}
