import { frobeniusNorm } from '../../src/linalg/frobenius.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { balancedFactorization } from '../../src/model/balanced-init.js';
import { matrixWithSpectrum } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import type { Rng } from '../../src/random/rng.js';

/** A square deep linear network whose product starts inside ACGH's deficiency margin around a target Φ. */
export interface MarginStart {
  readonly d: number;
  readonly depth: number;
  readonly Phi: Matrix;
  readonly sigmaMinPhi: number;
  /** Deficiency margin c: ‖A(0) − Φ‖_F = σ_min(Φ) − c·(…) ≤ σ_min(Φ) − c. */
  readonly c: number;
  readonly weights: Matrix[];
}

/**
 * Square layers d×d (no bottleneck); Φ with σ_max = 1, σ_min = 10^{−q/4}; A(0) = Φ + Δ with ‖Δ‖_F = u(σ_min − c),
 * u = uQ/4, c = γσ_min, γ = gammaQ/4; layers from ACGH Procedure 1 (balanced, random frames).
 */
export function marginStart(rng: Rng, d: number, depth: number, q: number, gammaQ: number, uQ: number): MarginStart {
  const cond = Math.pow(10, q / 4);
  const spectrum = Array.from({ length: d }, (_, a) => (d === 1 ? 1 : Math.pow(cond, -a / (d - 1))));
  const Phi = matrixWithSpectrum(rng, d, d, spectrum);
  const sigmaMinPhi = spectrum[d - 1];
  const c = (gammaQ / 4) * sigmaMinPhi;
  const delta = gaussianMatrix(rng, d, d);
  const s = ((uQ / 4) * (sigmaMinPhi - c)) / frobeniusNorm(delta);
  const A0 = Phi.clone();
  for (let t = 0; t < A0.data.length; t++) A0.data[t] += s * delta.data[t];
  return { d, depth, Phi, sigmaMinPhi, c, weights: balancedFactorization(A0, new Array(depth + 1).fill(d), rng) };
}
