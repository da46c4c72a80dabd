import { multiply } from '../linalg/products.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { checkIdentity } from '../check/identity.js';
import type { Verdict } from '../check/verdict.js';
import { balancednessDefects } from '../model/balancedness.js';
import { layerGradients } from '../model/gradients.js';
import { cloneWeights } from '../model/network.js';
import { DlnGradientField, GradientDescent } from '../dynamics/index.js';
import type { DriftIdentityInstance } from '../arbitraries/flows.js';
import { widthSum, withNote } from './state-measures.js';

/**
 * One GD step W_j⁺ = (1 − ηλ)W_j − ηG_j (G_j the gradient of the data term, from src/model's layerGradients; the
 * step itself from src/dynamics' GradientDescent on the field with weight decay λ). Checks
 *   C_j⁺ − (1 − ηλ)²C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ), all j at once.
 * Scale for checkIdentity (the terms both sides are built from, each with its own rounding):
 *   Σ_j (Σd)·(‖W⁺_{j+1}‖² + ‖W⁺_j‖² + ‖W_{j+1}‖² + ‖W_j‖² + η²(‖G_{j+1}‖² + ‖G_j‖²))
 *   + 2η(δG_j + δG_{j+1} + ‖G_j‖ + ‖G_{j+1}‖ + λ(‖W_j‖ + ‖W_{j+1}‖))(‖W_j‖ + ‖W_{j+1}‖),
 * where δG_j = (Σd + m)·Π_{i≠j}‖W_i‖·(Π‖W_i‖‖X‖ + ‖Y‖)‖X‖ is the a-priori size of the rounding error of G_j per ulp
 * (the cross terms −η(W_{j+1}ᵀG_{j+1} + G_jW_jᵀ + sym) cancel exactly only for the exact G_j).
 */
export function checkDriftIdentity(instance: DriftIdentityInstance, options: { power?: number } = {}): Verdict {
  const { weights, data, eta, lambda } = instance;
  const power = options.power ?? 2;
  const G = layerGradients(weights, data);
  const field = new DlnGradientField(instance.widths, data, { weightDecay: lambda });
  const next = cloneWeights(weights);
  new GradientDescent(field, { learningRate: eta }).step(next);
  const before = balancednessDefects(weights), after = balancednessDefects(next);
  const a2 = (1 - eta * lambda) ** 2;
  const lhs = after.map((c, j) => {
    const out = c.clone();
    for (let i = 0; i < out.data.length; i++) out.data[i] -= a2 * before[j].data[i];
    return out;
  });
  const rhs = before.map((_, j) => {
    const out = multiply(G[j + 1], G[j + 1], 't', 'n');
    const ggt = multiply(G[j], G[j], 'n', 't');
    const f = Math.pow(eta, power);
    for (let i = 0; i < out.data.length; i++) out.data[i] = f * (out.data[i] - ggt.data[i]);
    return out;
  });
  const size = widthSum(instance.widths);
  const m = data.X.cols;
  const norms = weights.map(frobeniusNorm), normsNext = next.map(frobeniusNorm), gn = G.map(frobeniusNorm);
  const prodAll = norms.reduce((p, x) => p * x, 1);
  const nx = frobeniusNorm(data.X), ny = frobeniusNorm(data.Y);
  const deltaG = norms.map((_, j) => (size + m) * norms.reduce((p, x, i) => (i === j ? p : p * x), 1) * (prodAll * nx + ny) * nx);
  let scale = 0;
  for (let j = 0; j + 1 < weights.length; j++) {
    scale += size * (normsNext[j + 1] ** 2 + normsNext[j] ** 2 + norms[j + 1] ** 2 + norms[j] ** 2 + eta * eta * (gn[j + 1] ** 2 + gn[j] ** 2));
    scale += 2 * eta * (deltaG[j] + deltaG[j + 1] + gn[j] + gn[j + 1] + lambda * (norms[j] + norms[j + 1])) * (norms[j] + norms[j + 1]);
  }
  const v = checkIdentity(lhs, rhs, { scale, label: `C⁺ − (1 − ηλ)²C vs η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ), η = ${eta}, λ = ${lambda}` });
  return withNote(v, 'scale = Σ_j (Σd)(‖W±‖² + η²‖G‖²) + 2η(δG + ‖G‖ + λ‖W‖)‖W‖ (gradient rounding δG per ulp)');
}
