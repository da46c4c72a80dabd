import { ShapeError } from '../errors.js';
import { axpy } from '../linalg/elementwise.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { type Data, endToEndGradient, type LossOptions, weightDecayOf } from './loss.js';
import { type Weights, widthsOf } from './network.js';
import { prefixSuffixProducts } from './partial-products.js';

/**
 * Layer gradients of any cost that depends only on the product, from its end-to-end gradient G = ∇L¹(W):
 * ∇_{W_j} = W_{N:j+1}ᵀ G W_{j−1:1}ᵀ (THEORY §1, grad.layer).
 */
export function layerGradientsFromEndToEnd(weights: Weights, g: Matrix): Matrix[] {
  const widths = widthsOf(weights);
  const n = weights.length;
  if (g.rows !== widths[n] || g.cols !== widths[0])
    throw new ShapeError('G', `${widths[n]}×${widths[0]} (d_N×d_0)`, g.shape);
  return gradientsFromProducts(prefixSuffixProducts(weights), g);
}

function gradientsFromProducts({ below, above }: { below: Matrix[]; above: Matrix[] }, g: Matrix): Matrix[] {
  const n = below.length - 1;
  const grads: Matrix[] = [];
  for (let j = 1; j <= n; j++) grads.push(multiply(multiply(above[j], g, 't', 'n'), below[j - 1], 'n', 't'));
  return grads;
}

/** ∇_{W_j} L = W_{N:j+1}ᵀ ∇L¹(W) W_{j−1:1}ᵀ + λW_j for every layer j = 1..N. */
export function layerGradients(weights: Weights, data: Data, options: LossOptions = {}): Matrix[] {
  const lambda = weightDecayOf(options);
  widthsOf(weights);
  const products = prefixSuffixProducts(weights);
  const grads = gradientsFromProducts(
    products,
    endToEndGradient(products.below[weights.length], data, options.scale ?? 'half'),
  );
  if (lambda > 0) grads.forEach((g, j) => axpy(lambda, weights[j], g));
  return grads;
}
