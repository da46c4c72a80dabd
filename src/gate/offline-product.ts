import { compare, type Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { metricOperator } from '../geometry/metric-operator.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/svd.js';
import { type Data, endToEndLoss } from '../model/loss.js';
import { kappa, lossConvention } from './conventions.js';
import type { Conventions } from './protocol.js';
import { refEndToEndGradient } from './reference.js';
import { compareScalar, type Tolerance } from './tolerance.js';

/**
 * Checks of a recorded run that holds only the end-to-end matrix W(t) = W_{N:1}(t) (research code often logs only
 * that): what can be checked without the layers. `dlnv gate --trajectory` runs them on a record with a `product`
 * (JSON) or a `W` array (.npz); the checks that need the layers are skipped with that reason.
 */

export interface ProductRecord {
  readonly points: Matrix[];
  /** N, needed for the flow law. */
  readonly depth?: number;
  /** The run started from a balanced factorization (declared: it cannot be seen in W(0)). */
  readonly balancedStart: boolean;
}

export interface ProductRun {
  readonly tol: Tolerance;
  readonly conventions: Conventions;
  readonly optimizer: 'gd' | 'sgd';
  readonly lr?: number;
  readonly weightDecay: number;
  readonly data?: Data;
  readonly losses?: number[];
  readonly product: ProductRecord;
}

export interface ProductResult {
  readonly name: string;
  readonly verdict?: Verdict;
  readonly skipped?: string;
}

export const LAYERS_NEEDED = 'the record holds only the end-to-end matrix W(t): this check needs the layers';

const worst = (vs: Verdict[]): Verdict =>
  vs.reduce((a, b) =>
    (b.status === 'fail' && a.status !== 'fail') ||
    (b.status === a.status && b.measured / b.bound > a.measured / a.bound)
      ? b
      : a,
  );

/** L¹(W(t)) under the run's loss convention. */
function dataTerm(w: Matrix, data: Data, conventions: Conventions): number {
  return kappa(lossConvention(conventions), data) * endToEndLoss(w, data);
}

/**
 * [D] The end-to-end flow law of one GD step from (nearly) balanced layers: W(t+1) = W − η·A_W(∇L¹(W)) + R with
 *   ‖R‖_F ≤ (s + ηg)^N − s^N − N·s^{N−1}·ηg                       (the terms with ≥ 2 layer gradients, balanced layers)
 *         + η‖∇L¹‖_F·N²·s^{2N−4}·δ_t                              (layers off balance by δ_t = Σ_{k<t} 2η²g_k², drift identity)
 * where s = σ_1(W)^{1/N} is each balanced layer's norm and g = s^{N−1}‖∇L¹‖_F bounds every ‖G_j‖_F. The check holds
 * the deviation to twice that bound plus round-off 16·N·ε·(‖W(t+1)‖ + ‖W(t)‖ + η‖A_W(∇L¹)‖).
 */
function flowLaw(run: ProductRun, depth: number, lr: number, data: Data): Verdict {
  const { points } = run.product,
    n = depth,
    tol = run.tol;
  const vs: Verdict[] = [];
  let delta = 0;
  for (let t = 0; t + 1 < points.length; t++) {
    const w = points[t];
    const grad = refEndToEndGradient(w, data, lossConvention(run.conventions));
    const move = metricOperator(w, n, { rtol: Math.sqrt(tol.eps) }).apply(grad);
    const next = points[t + 1];
    const dev = new Matrix(w.rows, w.cols);
    for (let i = 0; i < dev.data.length; i++) dev.data[i] = next.data[i] - (w.data[i] - lr * move.data[i]);
    const s = Math.pow(svd(w).s[0] ?? 0, 1 / n),
      gn = frobeniusNorm(grad),
      g = Math.pow(s, n - 1) * gn;
    const second = Math.pow(s + lr * g, n) - Math.pow(s, n) - n * Math.pow(s, n - 1) * lr * g;
    const imbalance = n >= 2 ? lr * gn * n * n * Math.pow(s, 2 * n - 4) * delta : 0;
    const roundoff = 16 * n * tol.eps * (frobeniusNorm(next) + frobeniusNorm(w) + lr * frobeniusNorm(move));
    const bound = 2 * (second + imbalance) + roundoff;
    const d = frobeniusNorm(dev);
    vs.push(
      compare({
        measured: d,
        bound,
        errorModel: `[D] ‖W(t+1) − W(t) + η·A_W(∇L¹)‖ ≤ 2·((s+ηg)^N − s^N − N·s^{N−1}·ηg + η‖∇L¹‖·N²·s^{2N−4}·δ_t) + 16·N·ε·(…), s = σ_1(W)^{1/N}, g = s^{N−1}‖∇L¹‖, δ_t = Σ_{k<t} 2η²g_k²`,
        detail:
          `step ${t} → ${t + 1}: ‖W(t+1) − (W(t) − η·A_W(∇L¹(W(t))))‖ = ${sci(d)} ${d > bound ? '>' : '≤'} bound ${sci(bound)} ` +
          `(first-order move η‖A_W(∇L¹)‖ = ${sci(lr * frobeniusNorm(move))}; second-order ${sci(second)}, imbalance ${sci(imbalance)}, round-off ${sci(roundoff)})`,
      }),
    );
    delta += 2 * lr * lr * g * g;
  }
  return worst(vs);
}

export function checkProductRun(run: ProductRun): ProductResult[] {
  const { points, depth, balancedStart } = run.product,
    data = run.data,
    tol = run.tol;
  const steps = points.length - 1;
  const out: ProductResult[] = [
    { name: 'drift', skipped: LAYERS_NEEDED },
    { name: 'gd-step', skipped: `${LAYERS_NEEDED} (the flow-law check stands in for it)` },
  ];
  const decay = run.weightDecay > 0 ? 'weight decay acts on the layers, which the record does not hold' : undefined;

  if (!run.losses) out.push({ name: 'losses', skipped: 'no losses recorded' });
  else if (!data) out.push({ name: 'losses', skipped: 'needs X and Y' });
  else if (decay) out.push({ name: 'losses', skipped: decay });
  else
    out.push({
      name: 'losses',
      verdict: worst(
        points.map((w, k) =>
          compareScalar(
            tol,
            `L at step ${k}`,
            dataTerm(w, data, run.conventions),
            run.losses![k],
            dataTerm(w, data, run.conventions) * (w.rows + w.cols + data.X.cols),
            'L¹·(d_0 + d_N + m)',
          ),
        ),
      ),
    });

  if (run.optimizer !== 'gd')
    out.push({ name: 'loss-monotone', skipped: "optimizer 'sgd': a stochastic step may increase the full loss" });
  else if (!data && !run.losses) out.push({ name: 'loss-monotone', skipped: 'needs X and Y, or recorded losses' });
  else if (data && decay) out.push({ name: 'loss-monotone', skipped: decay });
  else {
    const values = data ? points.map((w) => dataTerm(w, data, run.conventions)) : run.losses!;
    const vs = values.slice(1).map((v, k) => {
      const bound = tol.c * tol.eps * (points[0].rows + points[0].cols) * (Math.abs(values[k]) + Math.abs(v));
      return compare({
        measured: v - values[k],
        bound,
        errorModel: `L(k+1) − L(k) ≤ ${tol.c}·ε·(d_0 + d_N)·(|L(k)| + |L(k+1)|)`,
        detail: `step ${k} → ${k + 1}: L went from ${values[k]} to ${v}`,
      });
    });
    out.push({ name: 'loss-monotone', verdict: worst(vs) });
  }

  if (!balancedStart)
    out.push({
      name: 'rank',
      skipped:
        'the record does not declare a balanced start (balanced_start: true): the rank may rise from an unbalanced one',
    });
  else {
    const tau = 1e4 * tol.eps;
    const sv0 = svd(points[0]).s;
    const rank = sv0.filter((x) => x > tau * sv0[0]).length;
    let ratio = 0,
      at = 0;
    points.slice(1).forEach((w, k) => {
      const sv = svd(w).s;
      if (rank < sv.length && sv[0] > 0 && sv[rank] / sv[0] > ratio) [ratio, at] = [sv[rank] / sv[0], k + 1];
    });
    out.push({
      name: 'rank',
      verdict: compare({
        measured: ratio,
        bound: tau,
        errorModel: `rank_τ(M) = #{σ_i > τ·σ_1(M)}, τ = 1e4·ε_${tol.dtype} = ${sci(tau)}`,
        detail:
          ratio > tau
            ? `the rank of W(t) rose from ${rank} at step ${at}: σ_${rank + 1}/σ_1 = ${sci(ratio)} > τ`
            : `W(t) keeps rank ${rank} over ${steps} steps (largest σ_${rank + 1}/σ_1 = ${sci(ratio)})`,
      }),
    });
  }

  const missing = [
    !balancedStart && 'a declared balanced start (balanced_start: true)',
    depth === undefined && 'the depth N',
    !data && 'X and Y',
    run.lr === undefined && 'lr',
    run.optimizer !== 'gd' && "optimizer 'gd'",
    decay && `weight_decay 0 (${decay})`,
  ].filter(Boolean);
  if (missing.length > 0) out.push({ name: 'flow-law', skipped: `needs ${missing.join(', ')}` });
  else out.push({ name: 'flow-law', verdict: flowLaw(run, depth!, run.lr!, data!) });
  return out;
}
