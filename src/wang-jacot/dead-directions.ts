import { compare, EPS, type Verdict, worstOf } from '../check/verdict.js';
import { CompletionCost } from '../completion/cost.js';
import { ProductCostField, StochasticGradient } from '../completion/gradients.js';
import type { OptimizerSpec } from '../completion/optimizers.js';
import { type BatchSize, Trainer } from '../completion/train.js';
import { Rk4 } from '../dynamics/rk4.js';
import { allocateState } from '../dynamics/state.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { endToEnd } from '../model/partial-products.js';
import { deadSubspace } from '../rank/dead-directions.js';
import { describeRank } from '../rank/numerical-rank.js';
import type { DeadInstance } from './instances.js';
import { layerGradientScale, opNorm } from './measures.js';

/** The dynamics the invariant is claimed for. */
export const DEAD_OPTIMIZERS: readonly { name: string; optimizer: OptimizerSpec; batch: BatchSize }[] = [
  { name: 'GD', optimizer: { kind: 'sgd' }, batch: 'full' },
  { name: 'SGD', optimizer: { kind: 'sgd' }, batch: 1 },
  { name: 'minibatch SGD (B = 3)', optimizer: { kind: 'sgd' }, batch: 3 },
  { name: 'heavy ball (β = 0.9)', optimizer: { kind: 'sgd', momentum: 0.9 }, batch: 1 },
  { name: 'Nesterov (β = 0.9)', optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true }, batch: 1 },
];

/** max |entry| of the dead rows of W_ℓ and dead columns of W_{ℓ+1} (coordinate-aligned dead directions). */
function alignedLeak(state: readonly Matrix[], widths: readonly number[], dead: readonly number[]): number {
  let leak = 0;
  for (let l = 1; l < state.length; l++) {
    const d = widths[l],
      below = state[l - 1],
      above = state[l];
    for (let k = d - dead[l - 1]; k < d; k++) {
      for (let c = 0; c < below.cols; c++) leak = Math.max(leak, Math.abs(below.data[k * below.cols + c]));
      for (let r = 0; r < above.rows; r++) leak = Math.max(leak, Math.abs(above.data[r * above.cols + k]));
    }
  }
  return leak;
}

export interface DeadOptions {
  /** Called with every gradient before it is applied (a test breaks the invariant here). */
  readonly gradientHook?: (step: number, state: readonly Matrix[], gradient: readonly Matrix[]) => void;
}

/**
 * (i) In a random (rotated) hidden basis, the per-sample and full gradients have no component along the dead
 * directions Z_ℓ = Q_ℓ[:, dead]: ‖Z_ℓᵀ∇_{W_ℓ}c‖, ‖∇_{W_{ℓ+1}}c·Z_ℓ‖ at round-off of the chain.
 * (ii) In the aligned basis the dead rows/columns are exact zeros; every optimizer of DEAD_OPTIMIZERS (with weight
 * decay) keeps them exactly zero at every step — IEEE arithmetic makes 0·x + 0 exactly 0, so the bound is 0.
 * (iii) Gradient flow (RK4, h = η) keeps them exactly zero and the dead subspace's dimension (read with τ = 1e-10
 * and its gap) does not change.
 */
export function checkDeadDirections(i: DeadInstance, options: DeadOptions = {}): Verdict {
  const L = i.widths.length - 1;
  const cost = new CompletionCost(i.target, i.mask);
  const verdicts: Verdict[] = [];
  // (i) generic basis.
  const rotated = i.weights.map((w) => w.clone());
  for (let l = 1; l < L; l++) {
    rotated[l - 1] = multiply(i.rotations[l - 1], rotated[l - 1]);
    rotated[l] = multiply(rotated[l], i.rotations[l - 1], 'n', 't');
  }
  const field = new ProductCostField(i.widths, cost);
  const sg = new StochasticGradient(i.widths, cost);
  const grads = allocateState(field.shapes);
  const probes: { label: string; g: number; compute: () => void }[] = [
    { label: 'full gradient', g: 0, compute: () => field.dataGradientInto(rotated, grads) },
    ...[0, Math.floor(i.mask.size / 2), i.mask.size - 1].map((s) => ({
      label: `entry ${s}`,
      g: 0,
      compute: () => sg.batchGradientInto(rotated, Int32Array.of(s), 1, grads),
    })),
  ];
  const product = endToEnd(rotated);
  for (const probe of probes) {
    probe.compute();
    const g =
      probe.label === 'full gradient'
        ? frobeniusNorm(field.endToEndGradient)
        : 2 * Math.max(...cost.target.data.map((t, k) => Math.abs(product.data[k] - t)));
    const scale = layerGradientScale(rotated, g) * (L + 1);
    let leak = 0;
    for (let l = 1; l < L; l++) {
      const d = i.widths[l],
        k = i.dead[l - 1];
      if (k === 0) continue;
      const z = new Matrix(d, k);
      for (let a = 0; a < d; a++)
        for (let b = 0; b < k; b++) z.data[a * k + b] = i.rotations[l - 1].data[a * d + (d - k + b)];
      leak = Math.max(leak, frobeniusNorm(multiply(z, grads[l - 1], 't', 'n')), frobeniusNorm(multiply(grads[l], z)));
    }
    verdicts.push(
      compare({
        measured: leak,
        bound: 8 * EPS * scale,
        errorModel: `8ε·(L+1)·(Σd_j)·‖∇C‖·max_j Π_{i≠j}‖W_i‖_F = ${fmt(8 * EPS * scale)}: the rotation leaves ~ε‖W‖ in the dead directions, and the gradient's component there is that leak times the rest of the chain (every factor but the layer's own)`,
        detail: `rotated basis, ${probe.label}: max ‖Z_ℓᵀ∇_{W_ℓ}‖, ‖∇_{W_{ℓ+1}}Z_ℓ‖ = ${fmt(leak)}`,
      }),
    );
  }
  // (ii) every optimizer, exact zeros.
  let worst = 0,
    where = 'none';
  for (const opt of DEAD_OPTIMIZERS) {
    const trainer = new Trainer(i.widths, cost, { optimizer: opt.optimizer, batch: opt.batch, seed: i.seed });
    trainer.gradientHook = options.gradientHook;
    const state = i.weights.map((w) => w.clone());
    for (let k = 1; k <= i.steps; k++) {
      trainer.step(state, i.eta, i.lambda);
      const leak = alignedLeak(state, i.widths, i.dead);
      if (!(leak <= worst)) {
        worst = leak;
        where = `${opt.name}, step ${k}`;
      }
    }
  }
  verdicts.push(
    compare({
      measured: worst,
      bound: 0,
      errorModel:
        'exact: dead rows/columns are exact zeros and 0·x + 0 = 0 in IEEE arithmetic for finite x, so any nonzero entry is a real leak',
      detail: `max |entry| in the dead rows of W_ℓ / columns of W_{ℓ+1} over ${i.steps} steps of GD, SGD, minibatch, heavy ball, Nesterov with λ = ${i.lambda}: ${fmt(worst)}${worst > 0 ? ` (largest at ${where})` : ''}`,
    }),
  );
  // (iii) gradient flow.
  const flowField = new ProductCostField(i.widths, cost, { lambda: i.lambda, convention: 'wj' });
  const rk = new Rk4(flowField);
  const state = i.weights.map((w) => w.clone());
  const ref = (s: readonly Matrix[]) => Math.max(...s.map(opNorm));
  const before = i.widths.slice(1, L).map((_, l) => deadDimension(state, l + 1, ref(state)));
  let flowLeak = 0;
  for (let k = 0; k < i.steps; k++) {
    rk.step(k * i.eta, i.eta, state);
    flowLeak = Math.max(flowLeak, alignedLeak(state, i.widths, i.dead));
  }
  const after = i.widths.slice(1, L).map((_, l) => deadDimension(state, l + 1, ref(state)));
  verdicts.push(
    compare({
      measured: flowLeak,
      bound: 0,
      errorModel:
        'exact (as for the discrete optimizers): RK4 combines field values that are themselves exactly zero there',
      detail: `gradient flow (RK4, h = η, T = ${fmt(i.steps * i.eta)}): max |dead entry| = ${fmt(flowLeak)}`,
    }),
  );
  const change = Math.max(0, ...before.map((b, l) => Math.abs(after[l].dimension - b.dimension)));
  verdicts.push(
    compare({
      measured: change,
      bound: 0,
      errorModel: 'dim D_ℓ read with τ = 1e-10 relative to max_ℓ‖W_ℓ‖_op before and after the flow',
      detail: `gradient flow keeps dim D_ℓ: before ${before.map((b) => b.dimension).join(',')}, after ${after.map((a) => a.dimension).join(',')} (${after.map((a) => a.description).join('; ')})`,
    }),
  );
  return worstOf(verdicts);
}

function deadDimension(
  state: readonly Matrix[],
  layer: number,
  reference: number,
): { dimension: number; description: string } {
  const d = deadSubspace(state, layer, 1e-10, reference);
  return { dimension: d.dimension, description: `ℓ = ${layer}: live ${describeRank(d.reading)}` };
}
