import { compare, EPS, inconclusive, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { defaultKernel, type KernelOf } from './identity-check.js';
import type { ModelInstance } from './instances.js';
import { kernelSpectrum, rayleighQuotient, rkhsNormSquared } from './rayleigh.js';

/** Courant–Fischer and the pseudo-inverse (RKHS-norm) lower bound on the Rayleigh quotient of K_θ. */

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/**
 * At a random θ: (1) λ_min(K) ≤ R(h) ≤ λ_max(K) for a generic h, with c·M·ε·λ_max for the eigenvalue error of a
 * symmetric eigensolver (backward stable: |Δλ| ≤ c·M·ε·‖K‖); (2) for g = J_θv ∈ range(K) the pseudo-inverse bound
 * R(g)·⟨g, K⁺g⟩/‖g‖² ≥ 1 (Cauchy–Schwarz), held to 64·M·ε·κ (κ = the condition number of K on its range: the
 * relative error of ⟨g, K⁺g⟩); (3) its square-loss reading at f* = f_θ − J_θv: ‖∇L‖² ≥ (4/B²)L² with
 * B² = ‖f_θ − f*‖²_{H(K)} = ⟨g, K⁺g⟩. Inconclusive when the range of K is not numerically separated (an eigenvalue
 * between 1e3·M·ε·λ_max and the 1e-10·λ_max cutoff).
 */
export function checkRayleighBounds(i: ModelInstance, kernel: KernelOf = defaultKernel): Verdict {
  const K = kernel(i.map, i.theta);
  const M = K.rows;
  const spectrum = kernelSpectrum(K);
  const { lambdaMin, lambdaMax } = spectrum;
  const Rh = rayleighQuotient(K, i.h);
  const position = lambdaMax > lambdaMin ? (Rh - lambdaMin) / (lambdaMax - lambdaMin) : 0.5;
  const scale = lambdaMax > 0 ? lambdaMax : 1;
  const spectral = [
    compare({
      measured: (lambdaMin - Rh) / scale,
      bound: 16 * M * EPS,
      errorModel: `(λ_min − R)/λ_max ≤ 16·M·ε = ${fmt(16 * M * EPS)} (eigenvalue error of a backward-stable symmetric eigensolver)`,
      detail: `λ_min ≤ R(h): λ_min = ${fmt(lambdaMin)}, R(h) = ${fmt(Rh)}, λ_max = ${fmt(lambdaMax)} (R at ${position.toFixed(3)} of [λ_min, λ_max])`,
    }),
    compare({
      measured: (Rh - lambdaMax) / scale,
      bound: 16 * M * EPS,
      errorModel: `(R − λ_max)/λ_max ≤ 16·M·ε = ${fmt(16 * M * EPS)}`,
      detail: `R(h) ≤ λ_max: λ_min = ${fmt(lambdaMin)}, R(h) = ${fmt(Rh)}, λ_max = ${fmt(lambdaMax)} (R at ${position.toFixed(3)} of [λ_min, λ_max])`,
    }),
  ];
  const g = i.map.jvp(i.theta, i.v);
  if (!(dot(g, g) > 0) || spectrum.rank === 0) return worstOf(spectral);
  const R = rayleighQuotient(K, g);
  const { value: B2, rangeResidual } = rkhsNormSquared(spectrum, g);
  const ratio = (R * B2) / dot(g, g);
  const tol = 64 * M * EPS * spectrum.rangeCondition + rangeResidual;
  // Square-loss reading: L = ½‖g‖², ‖∇L‖² = ‖J*g‖² (one vjp), B² = ⟨g, K⁺g⟩.
  const gradSq = dot(i.map.vjp(i.theta, g), i.map.vjp(i.theta, g));
  const L = 0.5 * dot(g, g);
  const klRatio2 = (gradSq * B2) / (4 * L * L);
  const input = {
    measured: Math.min(ratio, klRatio2),
    bound: 1 - tol,
    comparison: '>=' as const,
    errorModel: `R·⟨g, K⁺g⟩/‖g‖² ≥ 1 − (64·M·ε·κ + ‖g − Πg‖/‖g‖) = 1 − ${fmt(tol)}, κ = λ_max/λ_r = ${fmt(spectrum.rangeCondition)} on the range (rank ${spectrum.rank} of ${M})`,
    detail:
      `g = J_θv ∈ range(K): R(g) = ${fmt(R)} ≥ ‖g‖²/⟨g, K⁺g⟩ = ${fmt(dot(g, g) / B2)} (ratio ${ratio.toFixed(6)}); ` +
      `square loss with f* = f_θ − g: ‖∇L‖² = ${fmt(gradSq)} ≥ 4L²/B² = ${fmt((4 * L * L) / B2)} (ratio ${klRatio2.toFixed(6)})`,
  };
  const separated = spectrum.gap[0] <= 1e3 * M * EPS * lambdaMax;
  const pinv = separated
    ? compare(input)
    : inconclusive({
        ...input,
        detail: `${input.detail}; the range of K is not numerically separated (eigenvalue ${fmt(spectrum.gap[0])} below the cutoff)`,
      });
  return worstOf([...spectral, pinv]);
}
