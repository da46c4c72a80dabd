import { clopperPearson } from '../check/statistics.js';
import { compare, inconclusive, type Verdict } from '../check/verdict.js';
import { CompletionCost } from '../completion/cost.js';
import { maskMatrix } from '../completion/mask.js';
import { train } from '../completion/train.js';
import { decayPenalty } from '../completion/weight-decay.js';
import { sci as fmt } from '../format.js';
import {
  certifyMaskedMinimum,
  GRADIENT_ROUNDOFF,
  HESSIAN_ROUNDOFF,
  type MinimumCertificate,
} from '../landscape/regularized-minimum.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';
import { endToEnd } from '../model/partial-products.js';
import type { FlowLimitInstance } from './instances.js';

/**
 * Where full-batch GD with small weight decay ends on WJ's masked completion loss
 * F(θ) = (1/|I|)Σ_I(A_ij − A*_ij)² + λ‖θ‖²: each run goes until its own convergence test passes (‖∇F‖ at the
 * round-off level of src/landscape/regularized-minimum.ts), then its limit is certified as a local minimum and its
 * rank is read against the rank of the minimal-rank completion.
 */

/** GD steps between two convergence tests. */
const CHUNK = 500;

/** Safety factor on the first-order distance 2‖∇F‖/λ_min to the exact minimum, and the SVD's round-off factor. */
const DISTANCE_SAFETY = 2,
  SVD_ROUNDOFF = 8;

/** The error model of the runs: convergence, certificate and rank reading. */
export const GD_LIMIT_ERROR_MODEL =
  `converged: ‖∇F‖ ≤ ${GRADIENT_ROUNDOFF}ε(Σd)(‖∇C‖Π max(1, ‖W‖) + 2λ‖θ‖) (else inconclusive, never a ` +
  'counterexample); certified minimum: masked-loss Hessian off the gauge orbit > τ = κτ_H + ' +
  `${HESSIAN_ROUNDOFF}n_pε‖H‖ and η·λ_max(H) < 2; ` +
  `rank = #{σ_k(A) > τ_A} with τ_A = L·max‖W_ℓ‖^{L−1}·${DISTANCE_SAFETY}‖∇F‖/λ_min + ${SVD_ROUNDOFF}dε·σ_1 ` +
  '(distance to the exact minimum, Weyl); every σ_k(A) and τ_A printed per run';

export interface GdLimitOptions {
  /** Replace each run's limit before it is certified (tests: a non-critical point must not be counted). */
  readonly limit?: (weights: Matrix[]) => Matrix[];
}

/** One GD run: converged or not, and if so its certificate and the rank of its product. */
interface RunRecord {
  readonly converged: boolean;
  readonly steps: number;
  readonly certificate: MinimumCertificate;
  readonly rank: number;
  /** σ(A) of the limit and the rank threshold τ_A (see readLimitRank). */
  readonly sigma: number[];
  readonly threshold: number;
  /** F at the limit (to compare the minima of different ranks). */
  readonly objective: number;
  /** Why the run diverged ('' if it did not), the step of its last chunk and η·λ_max(H) there. */
  readonly diverged: string;
  readonly eta: number;
  readonly stability: number;
}

/**
 * The rank of the exact minimum next to a computed limit. The certificate bounds ‖∇F‖ and λ_min of the Hessian off
 * the gauge orbit, so (first order, ×2 for safety) an exact critical point lies within ‖Δθ‖ ≤ 2‖∇F‖/λ_min, and its
 * product within ‖ΔA‖ ≤ L·max_ℓ‖W_ℓ‖^{L−1}‖Δθ‖; with the SVD's round-off 8dε·σ_1 this is τ_A, and by Weyl every
 * σ_k(A) > τ_A is a nonzero singular value of the exact minimum's product.
 */
function readLimitRank(
  weights: readonly Matrix[],
  c: MinimumCertificate,
): { rank: number; sigma: number[]; threshold: number } {
  const a = endToEnd(weights);
  const sigma = Array.from(singularValues(a));
  const largest = Math.max(...weights.map(frobeniusNorm));
  const move = (weights.length * largest ** (weights.length - 1) * DISTANCE_SAFETY * c.gradient) / c.lambdaMin;
  const threshold = move + SVD_ROUNDOFF * Math.max(a.rows, a.cols) * Number.EPSILON * sigma[0];
  return { rank: sigma.filter((s) => s > threshold).length, sigma, threshold };
}

/**
 * The step of the next chunk: η, or less while the layers are large. The Gauss–Newton part of the Hessian is at most
 * κL·M^{2(L−1)} (M = max_ℓ‖W_ℓ‖₂), so η_k = min(η, 1/(κLM^{2(L−1)} + 2λ)) keeps a typical start from diverging;
 * near the limits (M ≈ 1) it is η itself.
 */
function chunkStep(i: FlowLimitInstance, weights: readonly Matrix[]): number {
  const m = Math.max(...weights.map((w) => singularValues(w)[0]));
  const kappa = 2 / i.mask.size;
  return Math.min(i.eta, 1 / (kappa * i.depth * m ** (2 * (i.depth - 1)) + 2 * i.lambda));
}

function runToLimit(i: FlowLimitInstance, start: readonly Matrix[], options: GdLimitOptions): RunRecord {
  const cost = new CompletionCost(i.target, i.mask);
  const pattern = maskMatrix(i.mask);
  let weights = start.map((w) => w.clone()),
    steps = 0,
    eta = i.eta,
    diverged = '',
    certificate = certifyMaskedMinimum(weights, i.target, pattern, i.lambda);
  while (!(certificate.gradient <= certificate.gradientBound) && steps < i.budget && !diverged) {
    eta = chunkStep(i, weights);
    const run = train({
      cost,
      weights,
      optimizer: { kind: 'sgd' },
      batch: 'full',
      seed: 1,
      phases: [{ steps: CHUNK, learningRate: eta, lambda: i.lambda }],
      every: CHUNK,
      recorder: false,
    });
    steps += run.steps;
    if (run.status === 'diverged') diverged = run.divergence!.reason;
    else {
      weights = run.weights;
      certificate = certifyMaskedMinimum(weights, i.target, pattern, i.lambda);
    }
  }
  const converged = certificate.gradient <= certificate.gradientBound;
  if (options.limit) {
    weights = options.limit(weights);
    certificate = certifyMaskedMinimum(weights, i.target, pattern, i.lambda);
  }
  return {
    converged,
    steps,
    diverged,
    objective: cost.value(endToEnd(weights)) + decayPenalty(weights, { lambda: i.lambda, convention: 'wj' }),
    certificate,
    ...readLimitRank(weights, certificate),
    eta,
    stability: eta * certificate.lambdaMax,
  };
}

/** The minimal rank of a completion: 1 when the instance's witness fits every observed entry and has rank 1. */
function minimalRank(i: FlowLimitInstance): { rank: number; text: string } {
  const sigma = singularValues(i.completion);
  let misfit = 0;
  for (let k = 0; k < i.mask.size; k++) {
    const at = i.mask.row[k] * i.target.cols + i.mask.col[k];
    misfit = Math.max(misfit, Math.abs(i.completion.data[at] - i.target.data[at]));
  }
  const tol = 8 * Number.EPSILON * sigma[0];
  const ok = misfit <= tol && sigma[1] <= tol && sigma[0] > tol;
  return {
    rank: ok ? 1 : NaN,
    text: ok
      ? 'minimal completion rank 1 (a rank-1 completion fits every observed entry; rank 0 cannot, A* ≠ 0)'
      : `the witness is not a rank-1 completion: misfit ${fmt(misfit)}, ` +
        `σ = (${fmt(sigma[0])}, ${fmt(sigma[1])}), tol ${fmt(tol)}`,
  };
}

function describeRun(r: RunRecord, k: number): string {
  const c = r.certificate;
  const state = r.diverged
    ? `diverged: ${r.diverged}`
    : !r.converged
      ? `not converged in ${r.steps} steps (‖∇F‖ = ${fmt(c.gradient)} > ${fmt(c.gradientBound)})`
      : c.certified
        ? `certified minimum after ${r.steps} steps`
        : `converged in ${r.steps} steps but not certified: ${c.why}`;
  const sigma = r.sigma.map((s) => fmt(s)).join(', ');
  const unstable = r.stability < 2 ? '' : ' ≥ 2 (GD-unstable, not counted)';
  const stable = `η = ${fmt(r.eta)}, η·λ_max(H) = ${r.stability.toFixed(3)}${unstable}`;
  const rank = `σ(A) = (${sigma}), τ_A = ${fmt(r.threshold)} → rank ${r.rank}`;
  return `run ${k + 1}: ${state}; ${rank}; F = ${r.objective.toPrecision(6)}; ${stable}`;
}

/** What the runs of one instance showed. */
interface GdLimitSurvey {
  readonly minimal: { rank: number; text: string };
  readonly runs: RunRecord[];
  /** Certified local minima reached by converged runs, and those of rank above the minimal completion rank. */
  readonly certified: number;
  readonly overestimating: number;
  /** Converged runs whose limit is a critical point and a strict saddle (λ_min < −τ). */
  readonly saddles: number;
  readonly detail: string;
}

function surveyGdLimits(i: FlowLimitInstance, options: GdLimitOptions = {}): GdLimitSurvey {
  const minimal = minimalRank(i);
  const runs = i.starts.map((s) => runToLimit(i, s, options));
  const ok = runs.filter((r) => r.converged && r.certificate.certified && r.stability < 2);
  const overestimating = ok.filter((r) => r.rank > minimal.rank).length;
  const saddles = runs.filter((r) => {
    const c = r.certificate;
    return r.converged && c.gradient <= c.gradientBound && c.lambdaMin < -c.tolerance;
  }).length;
  return {
    minimal,
    runs,
    certified: ok.length,
    overestimating,
    saddles,
    detail:
      `${minimal.text}; L = ${i.depth}, λ = ${i.lambda}, η = ${i.eta}, starts N(0, ${fmt(i.initScale ** 2)}); ` +
      runs.map(describeRun).join('; '),
  };
}

/**
 * wj.gd-limit-overestimates-rank: a positive frequency of GD limits that are certified local minima of rank above
 * the minimal completion rank. Pass: at least one such run (Clopper–Pearson interval reported). Fail: a converged
 * run ends at a strict saddle (the statement says GD ends at a local minimum). Inconclusive: the minimal rank is not
 * confirmed, no run converged and was certified, or every certified limit has the minimal rank (a finite sample
 * cannot refute a positive frequency).
 */
export function checkGdLimitOverestimatesRank(i: FlowLimitInstance, options: GdLimitOptions = {}): Verdict {
  const s = surveyGdLimits(i, options);
  const ci = clopperPearson(s.overestimating, i.starts.length, 0.95);
  const input = {
    measured: s.overestimating,
    bound: 1,
    comparison: '>=' as const,
    errorModel: GD_LIMIT_ERROR_MODEL,
    detail:
      `${s.overestimating}/${i.starts.length} GD limits are certified minima of rank > ${s.minimal.rank} ` +
      `(95% Clopper–Pearson [${ci.lower.toPrecision(3)}, ${ci.upper.toPrecision(3)}]); ${s.detail}`,
    data: { ...ci, successes: s.overestimating, trials: i.starts.length },
  };
  if (s.saddles > 0)
    return compare({ ...input, measured: 0, detail: `${s.saddles} GD limit(s) are strict saddles; ${input.detail}` });
  if (!Number.isFinite(s.minimal.rank)) return inconclusive({ ...input, measured: NaN });
  if (s.overestimating > 0) return compare(input);
  return inconclusive({
    ...input,
    detail:
      s.certified === 0
        ? `no run converged to a certified minimum, so nothing is measured: ${input.detail}`
        : `every certified limit has the minimal rank, which cannot refute a positive frequency: ${input.detail}`,
  });
}

/**
 * FALSE neighbour: every GD limit is a minimal-rank completion. Refuted by a converged run whose certified limit
 * has rank above the minimal completion rank; inconclusive when nothing was certified or the minimal rank is not
 * confirmed.
 */
export function checkGdLimitMinimalRank(i: FlowLimitInstance, options: GdLimitOptions = {}): Verdict {
  const s = surveyGdLimits(i, options);
  const input = {
    measured: s.overestimating,
    bound: 0,
    errorModel: GD_LIMIT_ERROR_MODEL,
    detail: `${s.overestimating} of ${s.certified} certified GD limits have rank > ${s.minimal.rank}; ${s.detail}`,
  };
  if (!Number.isFinite(s.minimal.rank) || s.certified === 0) return inconclusive({ ...input, measured: NaN });
  return compare(input);
}
