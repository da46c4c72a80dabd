import { compare, EPS, type Verdict, worstOf } from '../check/verdict.js';
import { sci as fmt } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';
import { maxBalancednessDefect } from '../model/balancedness.js';
import { endToEnd } from '../model/partial-products.js';
import { squareLossFlow } from '../rayleigh/flow.js';
import { KL_FLOW } from '../rayleigh/kl-rates-check.js';
import { squareLossAt, tangentKernel } from '../rayleigh/model-map.js';
import { dlnModelMap, packWeights, unpackWeights } from '../rayleigh/models.js';
import { rateFigure } from '../rayleigh/plots.js';
import { kernelSpectrum } from '../rayleigh/rayleigh.js';
import type { BottleneckInstance, DlnPlInstance, MarginStart } from './instances.js';

/**
 * ACGH's deficiency-margin argument read as a Rayleigh-quotient bound: for a balanced square deep linear network
 * and ℓ = ½‖A − Φ‖², R_θ(g) ≥ N s_min(A)^{2(N−1)/N}; with a margin c the flow satisfies the PL inequality
 * ‖∇L‖² ≥ 2Nc^{2(N−1)/N}L. And why a bottleneck narrower than rank Φ rules every margin out.
 */

const round = (x: number): number => Number(x.toPrecision(4));

/** GD steps of acgh.dln-pl (stopping earlier once L < 1e3·ε·L_0), checked every DLN_PL_GD_EVERY steps and at the last. */
export const DLN_PL_GD_STEPS = 1500;
export const DLN_PL_GD_EVERY = 5;

/** The claimed lower bound on R (tests inject wrong ones). */
export type PlBound = (N: number, sMin: number) => number;
const dlnPlBound: PlBound = (N, sMin) => N * Math.pow(sMin, (2 * (N - 1)) / N);

/**
 * The tolerance of R ≥ N s_min(A)^{2(N−1)/N} at a point whose layers are only nearly balanced:
 *   drift: 2·κ_N·max_j‖C_j‖_F, κ_N = N(N−1)/2·(s_max/s_min)^{2/N}·s_min^{2(N−2)/N}
 *     [D for N = 2 to first order: K = W_2W_2ᵀ ⊗ I + I ⊗ W_1ᵀW_1 and ‖W_2W_2ᵀ − (AAᵀ)^{1/2}‖ ≤ ‖W_2‖²‖C‖/(σ_min(W_2)² + s_min)
 *     by the square-root perturbation bound, likewise for W_1ᵀW_1; for N ≥ 3 one such term per pair of layers is a
 *     model, validated on 40 000 random and gauge perturbations of balanced networks (largest shortfall/(κ_Nδ) = 1.0);
 *     ×2 for second-order terms];
 *   round-off: R = ‖J*g‖²/‖g‖² with g = A − Φ known to e_g = 4(N + d)ε(Π‖W_j‖_F + ‖Φ‖_F), moving R by ≤ 2Λe_g/‖g‖,
 *     plus 8(P + M)εΛ, Λ = Σ_j Π_{i≠j}‖W_i‖_F² ≥ λ_max(K).
 */
function plTolerance(
  weights: readonly Matrix[],
  Phi: Matrix,
  gNorm: number,
  s: Float64Array,
): { drift: number; roundoff: number; defect: number; kappa: number } {
  const N = weights.length,
    d = Phi.rows;
  const sMin = s[s.length - 1],
    sMax = s[0];
  const defect = maxBalancednessDefect(weights);
  const kappa = ((N * (N - 1)) / 2) * Math.pow(sMax / sMin, 2 / N) * Math.pow(sMin, (2 * (N - 2)) / N);
  const norms = weights.map((w) => frobeniusNorm(w) ** 2);
  let lambda = 0;
  for (let j = 0; j < N; j++) lambda += norms.reduce((p, x, i) => (i === j ? p : p * x), 1);
  const eg = 4 * (N + d) * EPS * (Math.sqrt(norms.reduce((p, x) => p * x, 1)) + frobeniusNorm(Phi));
  const P = N * d * d,
    M = d * d;
  return {
    drift: N > 1 ? 2 * kappa * defect : 0,
    roundoff: (2 * lambda * eg) / gNorm + 8 * (P + M) * EPS * lambda,
    defect,
    kappa,
  };
}

interface PlPoint {
  readonly t: number;
  readonly R: number;
  readonly bound: number;
  readonly tol: number;
  readonly defect: number;
  readonly loss: number;
  readonly rho: number;
  readonly sMin: number;
}

function plPoint(
  i: MarginStart,
  widths: readonly number[],
  theta: Float64Array,
  t: number,
  L: number,
  gradSq: number,
  g: Float64Array,
  bound: PlBound,
  drift: boolean,
): PlPoint {
  const weights = unpackWeights(theta, widths);
  const A = new Matrix(
    i.d,
    i.d,
    Float64Array.from(g, (x, k) => x + i.Phi.data[k]),
  );
  const s = singularValues(A);
  const gNorm = Math.sqrt(2 * L);
  const tol = plTolerance(weights, i.Phi, gNorm, s);
  return {
    t,
    R: gradSq / (2 * L),
    bound: bound(i.depth, s[s.length - 1]),
    tol: (drift ? tol.drift : 0) + tol.roundoff,
    defect: tol.defect,
    loss: L,
    rho: gradSq / L,
    sMin: s[s.length - 1],
  };
}

function plVerdict(points: readonly PlPoint[], label: string): Verdict {
  let worst: PlPoint | undefined,
    worstQ = Infinity;
  for (const p of points) {
    const q = p.R / p.bound - (1 - p.tol / p.bound);
    if (!(q >= worstQ)) {
      worstQ = q;
      worst = p;
    }
  }
  const p = worst as PlPoint;
  return compare({
    measured: p.R / p.bound,
    bound: 1 - p.tol / p.bound,
    comparison: '>=',
    errorModel: `R/(N s_min^{2(N−1)/N}) ≥ 1 − τ/bound, τ = 2κ_N·max‖C_j‖_F (balancedness drift) + round-off of R (plTolerance)`,
    detail:
      `${label}: closest at t = ${fmt(p.t)} (L = ${fmt(p.loss)}): R = ${fmt(p.R)} vs N s_min(A)^{2(N−1)/N} = ${fmt(p.bound)} ` +
      `(ratio ${(p.R / p.bound).toFixed(9)}), τ = ${fmt(p.tol)} with max‖C_j‖_F = ${fmt(p.defect)}; ${points.length} points`,
  });
}

export interface DlnPlOptions {
  /** The claimed lower bound on R (default N s_min^{2(N−1)/N}). */
  readonly bound?: PlBound;
  /** Model the balancedness drift in the tolerance (default true; false keeps only round-off, to show the drift is real). */
  readonly modelDrift?: boolean;
}

/**
 * Along the balanced gradient flow (Dormand–Prince, rtol 1e-12) and along GD with η = etaRel/λ_max(K_θ(0)), at
 * every recorded point until L < 1e3·ε·L_0: R_θ(g) ≥ N s_min(A)^{2(N−1)/N} − τ (τ: plTolerance, which carries the
 * O(η²) balancedness drift of GD, C_j⁺ − C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ)); and along the flow the PL inequality
 * with the deficiency margin, ‖∇L‖²/L ≥ 2N c^{2(N−1)/N}.
 */
export function checkDlnPl(i: DlnPlInstance, options: DlnPlOptions = {}): Verdict {
  const bound = options.bound ?? dlnPlBound;
  const drift = options.modelDrift ?? true;
  const N = i.depth,
    d = i.d;
  const widths = new Array(N + 1).fill(d);
  const map = dlnModelMap(widths);
  const target = i.Phi.data.slice();
  const theta0 = packWeights(i.weights);
  const p0 = squareLossAt(map, theta0, target);
  const floor = 1e3 * EPS * p0.loss;
  const flowPoints: PlPoint[] = [];
  const flow = squareLossFlow(map, target, theta0, {
    T: KL_FLOW.T,
    rtol: KL_FLOW.rtol,
    atol: KL_FLOW.atol,
    maxSteps: KL_FLOW.maxSteps,
    stopBelow: floor,
    observe: (t, theta, p) => {
      if (p.loss >= floor)
        flowPoints.push(plPoint(i, widths, theta, t, p.loss, p.gradientNormSquared, p.g, bound, drift));
    },
  });
  // GD: θ ← θ − η∇L.
  const lambda0 = kernelSpectrum(tangentKernel(map, theta0, 'vjp')).lambdaMax;
  const eta = i.etaRel / lambda0;
  const gdPoints: PlPoint[] = [];
  const theta = theta0.slice();
  let gdSteps = 0;
  for (let k = 0; k <= DLN_PL_GD_STEPS; k++) {
    const p = squareLossAt(map, theta, target);
    if (!(p.loss >= floor)) break;
    gdSteps = k;
    if (k % DLN_PL_GD_EVERY === 0 || k === DLN_PL_GD_STEPS)
      gdPoints.push(plPoint(i, widths, theta, k * eta, p.loss, p.gradientNormSquared, p.g, bound, drift));
    for (let j = 0; j < theta.length; j++) theta[j] -= eta * p.gradient[j];
  }
  const plConstant = 2 * N * Math.pow(i.c, (2 * (N - 1)) / N);
  let minRho = Infinity,
    at = 0;
  for (const p of flowPoints) if (p.rho < minRho) [minRho, at] = [p.rho, p.t];
  const margin = compare({
    measured: minRho / plConstant,
    bound: 1 - 1e-9,
    comparison: '>=',
    errorModel:
      'inf over the flow of ‖∇L‖²/L against 2N·c^{2(N−1)/N} ≥ 1 − 1e-9 (round-off; s_min(A(t)) ≥ c since ‖A(t) − Φ‖_F is non-increasing)',
    detail: `PL with deficiency margin c = ${fmt(i.c)}: min ‖∇L‖²/L = ${fmt(minRho)} at t = ${fmt(at)} vs 2N c^{2(N−1)/N} = ${fmt(plConstant)}`,
  });
  const verdicts = [
    plVerdict(flowPoints, `flow (${flowPoints.length} points, ${flow.status})`),
    plVerdict(gdPoints, `GD η = ${fmt(eta)} (${gdSteps} steps, every ${DLN_PL_GD_EVERY}th checked)`),
    margin,
  ];
  const worst = worstOf(verdicts);
  const tFlow = flowPoints.map((p) => p.t);
  const plot = rateFigure({
    title: `acgh.dln-pl: KL ratio ‖∇L‖²/L along the flow and GD (N = ${N}, d = ${d}, c = ${i.c.toPrecision(3)}, η = ${fmt(eta)})`,
    yLabel: '‖∇L‖²/L = 2R_θ(g)',
    t: tFlow,
    measured: { name: 'flow ‖∇L‖²/L', y: flowPoints.map((p) => p.rho) },
    predicted: [
      { name: 'bound 2N s_min^{2−2/N}', y: flowPoints.map((p) => 2 * p.bound) },
      { name: `margin 2Nc^{2−2/N}`, y: flowPoints.map(() => plConstant) },
    ],
  });
  const keepGd = gdPoints
    .filter((p) => p.t > 0)
    .filter((_, k, all) => k % Math.max(1, Math.ceil(all.length / 80)) === 0);
  const plotWithGd = {
    ...plot,
    series: [
      ...plot.series,
      {
        name: 'GD ‖∇L‖²/L (t = kη)',
        x: keepGd.map((p) => round(p.t)),
        y: keepGd.map((p) => round(p.rho)),
        style: 'points' as const,
      },
    ],
  };
  return {
    ...worst,
    data: {
      plot: plotWithGd,
      checks: verdicts.map((v) => ({
        status: v.status,
        measured: v.measured,
        bound: v.bound,
        margin: v.margin,
        detail: v.detail,
      })),
      eta,
      flowPoints: flowPoints.length,
      gdSteps,
      maxDefectGd: Math.max(0, ...gdPoints.map((p) => p.defect)),
      timeRange: [0, tFlow[tFlow.length - 1]],
    },
  };
}

/**
 * The claim "for any widths, the balanced flow has a deficiency margin c = σ_min(Φ) − ‖A(0) − Φ‖_F > 0 and
 * ‖∇L‖² ≥ 2Nc^{2(N−1)/N}L along it". The best margin any start can have is σ_min(Φ) − min_{rank A ≤ w}‖A − Φ‖_F
 * = σ_min(Φ) − (Σ_{a>w} σ_a²)^{1/2} (Eckart–Young, exact), ≤ 0 when w < rank Φ; the flow from the best rank-w start
 * then sits at a critical point with L > 0 and ‖∇L‖²/L → 0.
 */
export function checkBottleneck(i: BottleneckInstance): Verdict {
  const { d, depth: N, width: w } = i;
  const best = i.sigma[d - 1] - Math.sqrt(i.sigma.slice(Math.min(w, d)).reduce((p, x) => p + x * x, 0));
  const A0 = endToEnd(i.weights);
  let dist = 0;
  for (let t = 0; t < A0.data.length; t++) dist += (A0.data[t] - i.Phi.data[t]) ** 2;
  const c = i.sigma[d - 1] - Math.sqrt(dist);
  const widths = [d, w, ...new Array(N - 1).fill(d)];
  const map = dlnModelMap(widths);
  const tr = squareLossFlow(map, i.Phi.data.slice(), packWeights(i.weights), {
    T: 200,
    rtol: 1e-10,
    atol: 1e-14,
    maxSteps: 20_000,
  });
  const rho = tr.loss.map((l, k) => tr.gradientNormSquared[k] / l);
  const minRho = Math.min(...rho);
  const flowText = `along the flow (t ≤ ${fmt(tr.t[tr.t.length - 1])}) min ‖∇L‖²/L = ${fmt(minRho)}, final L = ${fmt(tr.loss[tr.loss.length - 1])}`;
  const marginVerdict = compare({
    measured: c / i.sigma[d - 1],
    bound: 1e-12,
    comparison: '>=',
    errorModel:
      'c/σ_min(Φ) ≥ 1e-12 (positive beyond round-off) needed; best attainable margin σ_min(Φ) − min_{rank ≤ w}‖A − Φ‖_F by Eckart–Young (exact)',
    detail: `widths ${widths.join('·')} (bottleneck ${Math.min(...widths.slice(1, N))} vs rank Φ = ${d}): margin of the start c = ${fmt(c)}, best attainable ${fmt(best)}; ${flowText}`,
  });
  if (marginVerdict.status === 'fail') return marginVerdict;
  const pl = 2 * N * Math.pow(c, (2 * (N - 1)) / N);
  return worstOf([
    marginVerdict,
    compare({
      measured: minRho / pl,
      bound: 1 - 1e-9,
      comparison: '>=',
      errorModel: 'inf over the flow of ‖∇L‖²/L against 2N·c^{2(N−1)/N}',
      detail: `no bottleneck: ${flowText} vs 2N c^{2(N−1)/N} = ${fmt(pl)}`,
    }),
  ]);
}
