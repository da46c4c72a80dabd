import { DomainError } from '../errors.js';
import { orthonormalComplement } from '../linalg/complement.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply, transpose } from '../linalg/products.js';
import { balancedFromFrames } from '../model/balanced-init.js';
import { shapesFor } from '../model/network.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import type { Rng } from '../random/rng.js';

/**
 * Seeded constructions for THEORY §4: balanced networks of a prescribed rank whose live frames are known, so a
 * perturbation can be planted exactly in the dead hidden directions.
 */

/** A balanced network W_ℓ = O_ℓ Σ^{1/L} O_{ℓ−1}ᵀ with its frames O_0 = V, O_1..O_{L−1}, O_L = U (d_ℓ × r). */
export interface BalancedNetwork {
  readonly weights: Matrix[];
  /** Live frames O_0..O_L (orthonormal columns). */
  readonly frames: Matrix[];
  /** Orthonormal bases of their complements (the dead directions of each space; d_ℓ × (d_ℓ − r)). */
  readonly complements: Matrix[];
  /** Singular values of the product (length r). */
  readonly spectrum: number[];
  readonly rank: number;
}

export interface BalancedOptions {
  /**
   * Hidden frames aligned with coordinates (O_ℓ = [I_r; 0], so dead hidden directions are exact zero rows/columns
   * and stay exactly zero in floating point) instead of random rotations (dead directions generic, known to
   * round-off only). Default false.
   */
  readonly aligned?: boolean;
}

/**
 * A balanced network with product U diag(spectrum) Vᵀ (Haar-like U, V): every C_ℓ = 0 up to round-off, rank r =
 * spectrum.length ≤ every width.
 */
export function balancedNetwork(
  rng: Rng,
  widths: readonly number[],
  spectrum: readonly number[],
  options: BalancedOptions = {},
): BalancedNetwork {
  const shapes = shapesFor(widths);
  const L = shapes.length,
    r = spectrum.length;
  const narrowest = Math.min(...widths);
  if (r > narrowest) throw new DomainError('rank', `rank ${r} exceeds the narrowest width ${narrowest}`);
  spectrum.forEach((s, i) => {
    if (!(Number.isFinite(s) && s > 0))
      throw new DomainError(`spectrum[${i}]`, `expected a finite singular value > 0, received ${s}`);
  });
  const frames: Matrix[] = [];
  for (let l = 0; l <= L; l++) {
    const hidden = l > 0 && l < L;
    frames.push(
      hidden && options.aligned
        ? Matrix.diag(new Array(r).fill(1), widths[l], r)
        : randomOrthonormal(rng, widths[l], r),
    );
  }
  return {
    weights: balancedFromFrames(frames, spectrum),
    frames,
    complements: frames.map(orthonormalComplement),
    spectrum: [...spectrum],
    rank: r,
  };
}

/**
 * Plant a perturbation in the dead directions: W_ℓ += N_ℓ M_ℓ N_{ℓ−1}ᵀ with N_ℓ the complement bases (so only the
 * dead-to-dead blocks change). M_ℓ is δ times a random partial isometry (every nonzero singular value exactly δ;
 * default) or has i.i.d. N(0, δ²) entries ('gaussian'). In place; returns the weights. With every M_ℓ nonzero the
 * product gains a new singular value of order δ^L and every layer new ones of order δ: the "rank-raising"
 * perturbation whose absorption wj.rank-never-rises measures.
 */
export function plantDeadPerturbation(
  rng: Rng,
  network: BalancedNetwork,
  delta: number,
  shape: 'isometry' | 'gaussian' = 'isometry',
): Matrix[] {
  if (!(Number.isFinite(delta) && delta >= 0))
    throw new DomainError('delta', `expected a finite δ ≥ 0, received ${delta}`);
  const { weights, complements } = network;
  for (let l = 1; l <= weights.length; l++) {
    const out = complements[l],
      inn = complements[l - 1];
    if (out.cols === 0 || inn.cols === 0) continue;
    let m: Matrix;
    if (shape === 'gaussian') m = gaussianMatrix(rng, out.cols, inn.cols, delta);
    else {
      const [a, b] = [out.cols, inn.cols];
      const q = randomOrthonormal(rng, Math.max(a, b), Math.min(a, b));
      m = a >= b ? q : transpose(q);
      for (let i = 0; i < m.data.length; i++) m.data[i] *= delta;
    }
    const p = multiply(multiply(out, m), inn, 'n', 't');
    const w = weights[l - 1];
    for (let i = 0; i < w.data.length; i++) w.data[i] += p.data[i];
  }
  return weights;
}
