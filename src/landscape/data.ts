import { DomainError } from '../errors.js';
import { orthonormalComplement } from '../linalg/complement.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import type { Data } from '../model/loss.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import type { Rng } from '../random/rng.js';

/**
 * Landscape data with controlled spectra (THEORY §7): the singular values of Q̃ (σ_i, hence λ_i = σ_i²) are
 * separated by a ratio of at least `gap`, so every index set S is well defined and every strict saddle has
 * curvature far above round-off; X is whitened (XXᵀ = I), conditioned (κ(XXᵀ) ≤ cond²) or rank-deficient.
 */
export type InputKind = 'whitened' | 'conditioned' | 'deficient';

export interface LandscapeDataOptions {
  readonly d0: number;
  readonly dN: number;
  /** Samples m (raised to at least ρ). */
  readonly samples?: number;
  readonly inputs?: InputKind;
  /** σ_1(X)/σ_ρ(X) for 'conditioned' and 'deficient' (default 3). */
  readonly cond?: number;
  /** ρ for 'deficient' (default d_0 − 1). */
  readonly inputRank?: number;
  /** Ratio between consecutive σ_i(Q̃) (default 1.5). */
  readonly gap?: number;
  /** Size of the part of Y that no W can fit (outside the row space of X). */
  readonly unexplained?: number;
}

export function landscapeData(rng: Rng, options: LandscapeDataOptions): Data {
  const { d0, dN } = options;
  const kind = options.inputs ?? 'whitened';
  if (!(Number.isInteger(d0) && d0 >= 1 && Number.isInteger(dN) && dN >= 1))
    throw new DomainError('landscapeData', `d0, dN must be positive integers, received ${d0}, ${dN}`);
  const rho = kind === 'deficient' ? (options.inputRank ?? Math.max(1, d0 - 1)) : d0;
  if (rho < 1 || rho > d0) throw new DomainError('inputRank', `must be in 1..${d0}, received ${rho}`);
  const m = Math.max(options.samples ?? rho + 2, rho);
  const cond = kind === 'whitened' ? 1 : (options.cond ?? 3);
  const gap = options.gap ?? 1.5;
  // X = U_x diag(s) V_xᵀ with V_x ∈ R^{m×ρ} orthonormal.
  const Ux = randomOrthonormal(rng, d0, rho),
    Vx = randomOrthonormal(rng, m, rho);
  const s = Array.from({ length: rho }, (_, i) => (rho === 1 ? 1 : Math.pow(cond, -i / (rho - 1))));
  const X = new Matrix(d0, m);
  for (let i = 0; i < d0; i++)
    for (let j = 0; j < m; j++) {
      let v = 0;
      for (let c = 0; c < rho; c++) v += Ux.data[i * rho + c] * s[c] * Vx.data[j * rho + c];
      X.data[i * m + j] = v;
    }
  // Q̃ = Y V_x = U diag(σ) Vᵀ with separated σ.
  const p = Math.min(dN, rho);
  const sigma = Array.from({ length: p }, (_, i) => Math.pow(gap, -i) * (1 + 0.1 * rng.uniform()));
  const Uq = randomOrthonormal(rng, dN, p),
    Vq = randomOrthonormal(rng, rho, p);
  const Qt = new Matrix(dN, rho);
  for (let i = 0; i < dN; i++)
    for (let j = 0; j < rho; j++) {
      let v = 0;
      for (let c = 0; c < p; c++) v += Uq.data[i * p + c] * sigma[c] * Vq.data[j * p + c];
      Qt.data[i * rho + j] = v;
    }
  const Y = multiply(Qt, Vx, 'n', 't');
  const unexplained = options.unexplained ?? 0.3;
  if (m > rho && unexplained > 0) {
    const perp = orthonormalComplement(Vx); // m×(m−ρ)
    const noise = new Matrix(dN, m - rho);
    rng.fillGaussian(noise.data, unexplained / Math.sqrt(m));
    const extra = multiply(noise, perp, 'n', 't');
    for (let i = 0; i < Y.data.length; i++) Y.data[i] += extra.data[i];
  }
  return { X, Y };
}
