import { checkIdentity } from '../check/identity.js';
import type { PlotSpec } from '../check/plot-spec.js';
import { compare, inconclusive, type Verdict, worstOf } from '../check/verdict.js';
import { CompletionCost } from '../completion/cost.js';
import { ProductCostField, StochasticGradient } from '../completion/gradients.js';
import { GradientDescent } from '../dynamics/gradient-descent.js';
import { allocateState } from '../dynamics/state.js';
import { explain } from '../flow/state-measures.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { balancednessDefects } from '../model/balancedness.js';
import { endToEnd } from '../model/partial-products.js';
import type { CriticalInstance } from './instances.js';
import { chainScale, opNorm } from './measures.js';

/** Identity I1 for every hidden layer: W_{ℓ+1}ᵀ∇_{W_{ℓ+1}}C = ∇_{W_ℓ}C·W_ℓᵀ. */
function identityI1(weights: readonly Matrix[], grads: readonly Matrix[], g: number, label: string): Verdict[] {
  const scale = chainScale(weights, g);
  const out: Verdict[] = [];
  for (let l = 1; l < weights.length; l++) {
    const lhs = multiply(weights[l], grads[l], 't', 'n');
    const rhs = multiply(grads[l - 1], weights[l - 1], 'n', 't');
    out.push(
      explain(
        checkIdentity(lhs, rhs, { scale, c: 8, label: `${label}, ℓ = ${l}: W_{ℓ+1}ᵀ∇_{W_{ℓ+1}}C = ∇_{W_ℓ}C·W_ℓᵀ` }),
        `scale = (Σd_j)·‖∇C(A)‖·Π‖W_j‖_F = ${fmt(scale)}`,
      ),
    );
  }
  return out;
}

export interface CriticalOptions {
  /** The claimed penalty coefficient μ(λ) in μC_ℓ = W_{ℓ+1}ᵀΓ_{ℓ+1} − Γ_ℓW_ℓᵀ (default WJ's 2λ; tests pass a wrong one). */
  readonly claimedMu?: (lambda: number) => number;
  /** Most GD steps (default 12000; stops early once ‖Γ‖ ≤ 1e-10·‖Γ(0)‖). */
  readonly steps?: number;
}

/** Relative ‖Γ‖ below which GD is taken to have reached a critical point. */
export const CRITICAL_GRADIENT = 1e-10;

/** Relative defect max_ℓ‖C_ℓ‖_F/max(‖W_ℓ‖² + ‖W_{ℓ+1}‖², the same at the start) counted as balanced. */
export const BALANCED_DEFECT = 1e-6;

/** What the defect identity measured at one state. */
interface DefectReading {
  readonly verdicts: Verdict[];
  /** ‖Γ‖ (all layers). */
  readonly gamma: number;
  /** max_ℓ‖C_ℓ‖_F, the same relative to the layer sizes, and the identity's bound on it (∞ when μ = 0). */
  readonly defect: number;
  readonly relative: number;
  readonly bound: number;
}

/**
 * μC_ℓ = W_{ℓ+1}ᵀΓ_{ℓ+1} − Γ_ℓW_ℓᵀ at `state` (grads receives Γ). Defects are measured relative to
 * max(‖W_ℓ‖² + ‖W_{ℓ+1}‖², the same at the start), so a run that converges to the origin (a critical point for
 * L ≥ 3) is judged on the problem's scale.
 */
function readDefects(
  field: ProductCostField,
  state: readonly Matrix[],
  grads: readonly Matrix[],
  o: { mu: number; claimedMu: number; startSizes: readonly number[]; label: string },
): DefectReading {
  const { mu, claimedMu, startSizes, label } = o;
  const L = state.length;
  field.gradientInto(state, grads);
  const g = frobeniusNorm(field.endToEndGradient);
  const defects = balancednessDefects(state);
  const out: Verdict[] = [];
  let defect = 0,
    bound = 0,
    relative = 0;
  for (let l = 1; l < L; l++) {
    const lhs = defects[l - 1].clone();
    for (let t = 0; t < lhs.data.length; t++) lhs.data[t] *= claimedMu;
    const rhs = multiply(state[l], grads[l], 't', 'n');
    const b = multiply(grads[l - 1], state[l - 1], 'n', 't');
    for (let t = 0; t < rhs.data.length; t++) rhs.data[t] -= b.data[t];
    const w2 = frobeniusNorm(state[l - 1]) ** 2 + frobeniusNorm(state[l]) ** 2;
    const size = Math.max(w2, startSizes[l - 1] ?? 0);
    const scale = chainScale(state, g) + 4 * (state[l].rows + state[l].cols) * mu * w2;
    out.push(
      explain(
        checkIdentity(lhs, rhs, {
          scale,
          c: 8,
          label: `${label}, ℓ = ${l}: ${claimedMu === mu ? '2λ' : `μ = ${fmt(claimedMu)}`}·C_ℓ = W_{ℓ+1}ᵀΓ_{ℓ+1} − Γ_ℓW_ℓᵀ`,
        }),
        `scale = (Σd_j)‖∇C‖Π‖W_j‖_F + 4(d_ℓ + d_{ℓ+1})·2λ(‖W_ℓ‖² + ‖W_{ℓ+1}‖²) = ${fmt(scale)}`,
      ),
    );
    const cn = frobeniusNorm(defects[l - 1]);
    defect = Math.max(defect, cn);
    relative = Math.max(relative, size > 0 ? cn / size : 0);
    if (mu > 0)
      bound = Math.max(
        bound,
        (opNorm(state[l]) * frobeniusNorm(grads[l]) + frobeniusNorm(grads[l - 1]) * opNorm(state[l - 1])) / mu,
      );
  }
  let gamma2 = 0;
  for (const x of grads) gamma2 += frobeniusNorm(x) ** 2;
  return { verdicts: out, gamma: Math.sqrt(gamma2), defect, bound: mu > 0 ? bound : Infinity, relative };
}

/**
 * (i) I1 at the start for the full completion cost and for one single-entry cost (exact, any product-only cost);
 * (ii) with Γ_ℓ = ∇_{W_ℓ}(C + λ‖θ‖²) = ∇_{W_ℓ}C + μW_ℓ, I1 becomes μC_ℓ = W_{ℓ+1}ᵀΓ_{ℓ+1} − Γ_ℓW_ℓᵀ (C_ℓ the
 * balancedness defect) — checked at the start (unbalanced) and after gradient descent; so Γ = 0 ⇒ C_ℓ = 0 when μ > 0;
 * (iii) when GD reached a critical point (‖Γ‖ ≤ 1e-10 relative), the defect itself is ≤ 1e-6 relative.
 * Attaches the figure max‖C_ℓ‖ and the bound (‖W_{ℓ+1}‖‖Γ_{ℓ+1}‖ + ‖Γ_ℓ‖‖W_ℓ‖)/μ along GD.
 */
export function checkBalancedAtCritical(i: CriticalInstance, options: CriticalOptions = {}): Verdict {
  const mu = 2 * i.lambda;
  const claimedMu = options.claimedMu ? options.claimedMu(i.lambda) : mu;
  const cost = new CompletionCost(i.target, i.mask);
  const field = new ProductCostField(i.widths, cost, { lambda: i.lambda, convention: 'wj' });
  const grads = allocateState(field.shapes);
  const state = i.weights.map((w) => w.clone());
  const verdicts: Verdict[] = [];
  // (i) I1, full batch and one sample.
  field.dataGradientInto(state, grads);
  verdicts.push(...identityI1(state, grads, frobeniusNorm(field.endToEndGradient), 'full cost'));
  const single = new StochasticGradient(i.widths, cost);
  single.batchGradientInto(state, Int32Array.of(i.sample), 1, grads);
  const [r, c] = [i.mask.row[i.sample], i.mask.col[i.sample]];
  const aij = endToEnd(state).get(r, c);
  verdicts.push(...identityI1(state, grads, 2 * Math.abs(aij - i.target.get(r, c)), `single entry (${r}, ${c})`));
  // (ii) μC_ℓ = W_{ℓ+1}ᵀΓ_{ℓ+1} − Γ_ℓW_ℓᵀ at the start and after GD (readDefects).
  const startSizes = i.weights.slice(1).map((w, l) => frobeniusNorm(i.weights[l]) ** 2 + frobeniusNorm(w) ** 2);
  const defectIdentity = (label: string): DefectReading =>
    readDefects(field, state, grads, { mu, claimedMu, startSizes, label });
  const start = defectIdentity('start');
  verdicts.push(...start.verdicts);
  // Gradient descent on C + λ‖θ‖² toward a critical point.
  const gd = new GradientDescent(field, { learningRate: i.eta });
  const maxSteps = options.steps ?? 12000;
  const gradientScale = Math.max(start.gamma, 1e-300);
  const steps: number[] = [0],
    defectSeries: number[] = [start.defect],
    boundSeries: number[] = [start.bound];
  let k = 0,
    gamma = start.gamma;
  while (k < maxSteps && gamma > CRITICAL_GRADIENT * gradientScale) {
    gd.step(state);
    k++;
    let g2 = 0;
    for (const x of gd.gradient) g2 += frobeniusNorm(x) ** 2;
    gamma = Math.sqrt(g2);
    if (!Number.isFinite(gamma)) break;
    if (k % 50 === 0) {
      const defects = balancednessDefects(state);
      steps.push(k);
      defectSeries.push(Math.max(...defects.map(frobeniusNorm)));
      boundSeries.push(mu > 0 ? (2 * Math.max(...state.map(frobeniusNorm)) * gamma) / mu : Infinity);
    }
  }
  if (!Number.isFinite(gamma)) {
    return inconclusive({
      measured: NaN,
      bound: i.eta,
      errorModel: 'GD step from criticalInstanceArb',
      detail: `gradient descent diverged at step ${k} (η = ${fmt(i.eta)}); the instance's step size is too large`,
    });
  }
  const end = defectIdentity(`after ${k} GD steps`);
  verdicts.push(...end.verdicts);
  const critical = end.gamma <= CRITICAL_GRADIENT * gradientScale;
  const summary = `GD reached ‖Γ‖ = ${fmt(end.gamma)} (from ${fmt(start.gamma)}) in ${k} steps; max‖C_ℓ‖_F fell from ${fmt(start.defect)} to ${fmt(end.defect)}`;
  if (critical) {
    verdicts.push(
      compare({
        measured: end.relative,
        bound: BALANCED_DEFECT,
        errorModel: `critical: ‖Γ‖ ≤ ${CRITICAL_GRADIENT}·‖Γ(0)‖; balanced: max_ℓ ‖C_ℓ‖_F/max(‖W_ℓ‖² + ‖W_{ℓ+1}‖², same at the start) ≤ ${BALANCED_DEFECT} ${Number.isFinite(end.bound) ? ` (the identity predicts ≤ ${fmt(end.bound)} absolute)` : ' (the identity gives no finite bound here: μ = 0)'}`,
        detail: `${summary}: relative defect ${fmt(end.relative)} at the critical point`,
      }),
    );
  }
  const plot: PlotSpec = {
    title: `wj.balanced-at-critical: defect along GD (λ = ${i.lambda}, widths ${i.widths.join('-')})`,
    x: { label: 'GD step', scale: 'linear' },
    y: { label: 'norm', scale: 'log' },
    series: [
      { name: 'max‖C_ℓ‖_F', x: steps, y: defectSeries },
      ...(mu > 0 ? [{ name: 'bound 2max‖W_ℓ‖‖Γ‖/(2λ)', x: steps, y: boundSeries, style: 'dashed' as const }] : []),
    ],
  };
  const worst = worstOf(verdicts);
  return {
    ...worst,
    detail: critical
      ? worst.detail
      : `${worst.detail} (${summary}; not yet critical, so only the identities were judged)`,
    data: { plot },
  };
}
