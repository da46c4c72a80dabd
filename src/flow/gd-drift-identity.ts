import { checkIdentity } from '../check/identity.js';
import { type Verdict, worstOf } from '../check/verdict.js';
import { DlnGradientField, GradientDescent } from '../dynamics/index.js';
import type { Matrix } from '../linalg/matrix.js';
import { DRIFT_SCALE_TEXT, driftLhs, driftRhs, driftScales, gradientScales, stepScales } from '../model/gd-drift.js';
import { layerGradients } from '../model/gradients.js';
import { cloneWeights } from '../model/network.js';
import type { DriftIdentityInstance } from './instances.js';
import { explain } from './state-measures.js';

/** Ulps per unit of scale the identity is held to: the gate's float64 safety factor (src/gate/tolerance.ts). */
export const DRIFT_IDENTITY_ULPS = 16;

/**
 * lhs_j = rhs_j block by block, ‖lhs_j − rhs_j‖_F ≤ 16·ε·(‖lhs_j‖ + ‖rhs_j‖ + scales_j) with scales from
 * src/model/gd-drift.ts's driftScales; the worst block decides. Shared by the claim and the proof.
 */
export function driftIdentityVerdict(
  lhs: readonly Matrix[],
  rhs: readonly Matrix[],
  scales: readonly number[],
  label: string,
): Verdict {
  const blocks = lhs.map((l, j) =>
    checkIdentity(l, rhs[j], { scale: scales[j], c: DRIFT_IDENTITY_ULPS, label: `${label}, j = ${j + 1}` }),
  );
  return explain(worstOf(blocks), `scale_j = ${DRIFT_SCALE_TEXT}`);
}

/**
 * One GD step W_j⁺ = (1 − ηλ)W_j − ηG_j (G_j the gradient of the data term, from src/model's layerGradients; the
 * step itself from src/dynamics' GradientDescent on the field with weight decay λ), checked against the exact
 * identity C_j⁺ − (1 − ηλ)²C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) of src/model/gd-drift.ts. The step of layer j carries a
 * rounding error of a few ulps of ‖W_j‖ + η(gradient scale + ‖∇_{W_j}L‖) (stepScales), which driftScales turns into
 * the scale of each block. `power` replaces η² (tests pass 1 to break the identity).
 */
export function checkDriftIdentity(instance: DriftIdentityInstance, options: { power?: number } = {}): Verdict {
  const { weights, data, eta, lambda } = instance;
  const G = layerGradients(weights, data);
  const full = layerGradients(weights, data, { weightDecay: lambda });
  const field = new DlnGradientField(instance.widths, data, { weightDecay: lambda });
  const next = cloneWeights(weights);
  new GradientDescent(field, { learningRate: eta }).step(next);
  const steps = stepScales(weights, full, gradientScales(weights, data, 1, lambda), eta);
  return driftIdentityVerdict(
    driftLhs(weights, next, 1 - eta * lambda),
    driftRhs(G, eta, options.power ?? 2),
    driftScales(weights, next, steps),
    `C_j⁺ − (1 − ηλ)²C_j vs η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ), η = ${eta}, λ = ${lambda}`,
  );
}
