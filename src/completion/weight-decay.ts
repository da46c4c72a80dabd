import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';

/**
 * Weight decay in the two conventions THEORY §0 names, never mixed silently:
 *   'wj'        λ‖θ‖² = λ Σ_ℓ ‖W_ℓ‖²_F (Wang–Jacot): gradient 2λW_ℓ, one GD step multiplies W_ℓ by (1 − 2ηλ),
 *               gradient flow gives dC_ℓ/dt = −4λC_ℓ;
 *   'canonical' (λ/2) Σ_ℓ ‖W_ℓ‖²_F: gradient λW_ℓ, factor (1 − ηλ), dC_ℓ/dt = −2λC_ℓ.
 * So λ_canonical = 2λ_wj for the same objective.
 */
export type DecayConvention = 'wj' | 'canonical';

export interface WeightDecay {
  readonly lambda: number;
  readonly convention: DecayConvention;
}

export function assertDecay(decay: WeightDecay, argument = 'weightDecay'): WeightDecay {
  if (!decay || typeof decay !== 'object') throw new DomainError(argument, 'expected { lambda, convention }');
  if (decay.convention !== 'wj' && decay.convention !== 'canonical')
    throw new DomainError(
      `${argument}.convention`,
      `expected 'wj' or 'canonical', received ${JSON.stringify(decay.convention)}`,
    );
  if (!(Number.isFinite(decay.lambda) && decay.lambda >= 0))
    throw new DomainError(`${argument}.lambda`, `expected a finite λ ≥ 0, received ${decay.lambda}`);
  return decay;
}

/** μ with ∇(penalty) = μ·W_ℓ: 2λ for 'wj', λ for 'canonical'. */
export function decayCoefficient(decay: WeightDecay): number {
  assertDecay(decay);
  return decay.convention === 'wj' ? 2 * decay.lambda : decay.lambda;
}

/** The same penalty in the other convention: { λ, 'wj' } ↔ { 2λ, 'canonical' }. */
export function convertDecay(decay: WeightDecay, to: DecayConvention): WeightDecay {
  assertDecay(decay);
  if (decay.convention === to) return decay;
  return { lambda: to === 'canonical' ? 2 * decay.lambda : decay.lambda / 2, convention: to };
}

/** The penalty value: λΣ‖W_ℓ‖² ('wj') or (λ/2)Σ‖W_ℓ‖² ('canonical'). */
export function decayPenalty(weights: readonly Matrix[], decay: WeightDecay): number {
  return 0.5 * decayCoefficient(decay) * parameterNormSquared(weights);
}

/** ‖θ‖² = Σ_ℓ ‖W_ℓ‖²_F. */
export function parameterNormSquared(weights: readonly Matrix[]): number {
  let s = 0;
  for (const w of weights) for (let i = 0; i < w.data.length; i++) s += w.data[i] * w.data[i];
  return s;
}
