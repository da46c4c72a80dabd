import fc from 'fast-check';
import { checkOrderAdaptive, describeOrderTest } from '../src/check/order.js';
import { checkTaylor } from '../src/check/taylor.js';
import { EPS, compare, inconclusive, worstOf, type Verdict } from '../src/check/verdict.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { decimals, dimension, seeded } from '../src/arbitraries/seeded.js';
import { Matrix } from '../src/linalg/matrix.js';
import { svd } from '../src/linalg/svd.js';
import { conditionedMatrix, roundEntries } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import type { Rng } from '../src/random/rng.js';
import { acceleratedFlow } from '../src/nnls/accelerated.js';
import { bregmanDivergence, klDivergence } from '../src/nnls/bregman.js';
import { minL1Interpolant, richLimitPrediction, type L1Interpolant } from '../src/nnls/interpolants.js';
import { klProjection } from '../src/nnls/kl-projection.js';
import { kktResiduals } from '../src/nnls/kkt.js';
import { solveNnls } from '../src/nnls/lawson-hanson.js';
import { rk4 } from '../src/nnls/ode.js';
import { LeastSquaresWorkspace, leastSquaresProblem, objectiveScale, type LeastSquaresProblem } from '../src/nnls/problem.js';
import { hadamardPowerInto, inducedVelocityInto, reparamGradientDescent, riemannianDescent } from '../src/nnls/reparam.js';
import { reparamFlow, uFlowField } from '../src/nnls/reparam-flow.js';
import { residualSensitivity } from '../src/nnls/sensitivity.js';
import { distance, dot, matVecInto, norm1, norm2 } from '../src/nnls/vector.js';
import { rateFigure } from '../src/rayleigh/plots.js';
import { explain, fmt } from './support/verdict-text.js';

/**
 * THEORY §5: overparametrized NNLS, min_{x ≥ 0} f(x) = ½‖Ax − b‖², through the Hadamard reparametrization
 * x = u^{⊙L} (CMV). Every claim draws small seeded instances (dimensions ≤ 8, Gaussian entries, controlled
 * condition numbers) that shrink through their dimensions.
 */

const CMV = 'CMV (Chou, Maly, Verdun et al., arXiv 2207.08437)';

export interface NnlsInstance {
  readonly A: Matrix;
  readonly b: Float64Array;
}

function summarizeProblem(p: NnlsInstance): Record<string, unknown> {
  return { A: p.A.toArray(), b: Array.from(p.b) };
}

function gaussianVector(rng: Rng, n: number, dec = 17): Float64Array {
  const v = Float64Array.from({ length: n }, () => rng.gaussian());
  if (dec < 17) {
    const f = 10 ** dec;
    for (let i = 0; i < n; i++) v[i] = Math.round(v[i] * f) / f;
  }
  return v;
}

/** ‖Ax − b‖/‖b‖ (‖Ax − b‖ when b = 0). */
function relativeResidual(problem: LeastSquaresProblem, x: Float64Array, out: Float64Array): number {
  matVecInto(out, problem.A, x);
  let s = 0;
  for (let i = 0; i < out.length; i++) s += (out[i] - problem.b[i]) ** 2;
  return Math.sqrt(s) / (norm2(problem.b) || 1);
}

/** α from a shrinkable index: α = 0.3 + 0.1·k, k ∈ [0, 7] (shrinks toward 0.3). */
const alphaArb = fc.integer({ min: 0, max: 7 }).map((k) => Math.round((0.3 + 0.1 * k) * 10) / 10);

// ---------------------------------------------------------------------------------------------------------------
// nnls.reparam-flow

export interface ReparamFlowInstance extends NnlsInstance {
  readonly L: number;
  /** u(0) > 0. */
  readonly u0: Float64Array;
  /** Direction of the scalar projection ⟨c, x(t)⟩ the Taylor test differentiates. */
  readonly c: Float64Array;
}

export const reparamFlowInstances: fc.Arbitrary<ReparamFlowInstance> = seeded(
  fc.tuple(dimension(1, 6), dimension(1, 6), fc.integer({ min: 1, max: 5 }), decimals()),
  ([m, n, L, dec], rng) => ({
    A: roundEntries(gaussianMatrix(rng, m, n), dec),
    b: gaussianVector(rng, m, dec),
    L,
    u0: Float64Array.from({ length: n }, () => Math.round(Math.exp(0.5 * rng.gaussian()) * 1e4) / 1e4),
    c: gaussianVector(rng, n),
  }),
);

/**
 * Taylor-remainder test (THEORY §7) of t ↦ ⟨c, x(t)⟩, x(t) = u(t)^{⊙L} with u(t) the gradient flow of
 * g(u) = f(u^{⊙L}) from u0 (RK4, 8 steps over [0, t]: local error O(t⁵), below the t² term the test fits), against
 * the claimed derivative ⟨c, −L² x^{⊙p} ⊙ ∇f(x)⟩ at t = 0 with p = 2 − 2/L (or a deliberately wrong exponent).
 */
export function checkReparamFlow(inst: ReparamFlowInstance, exponent = 2 - 2 / inst.L): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const n = inst.A.cols, L = inst.L;
  const x0 = hadamardPowerInto(new Float64Array(n), inst.u0, L);
  const ws = new LeastSquaresWorkspace(problem);
  ws.evaluate(x0);
  const v = inducedVelocityInto(new Float64Array(n), x0, ws.gradient, L, exponent);
  const field = uFlowField(problem, L);
  const xt = new Float64Array(n);
  const along = (t: number): number => {
    if (t === 0) return dot(inst.c, x0);
    const u = rk4(field, 0, inst.u0, t, 8).y;
    return dot(inst.c, hadamardPowerInto(xt, u, L));
  };
  const speed = norm2(v);
  // t = unit moves x by about ‖x(0)‖: the scale on which the flow bends.
  const unit = speed > 0 ? Math.max(norm2(x0), 1e-3) / speed : 1;
  const one = (value: number): Matrix[] => [new Matrix(1, 1, Float64Array.of(value))];
  const verdict = checkTaylor((p) => along(p[0].data[0]), one(0), one(1), { derivative: dot(inst.c, v) }, { unit, scale: norm1(inst.c) * norm2(x0) });
  return { ...verdict, detail: `d/dt ⟨c, u(t)^L⟩ at t = 0 vs ⟨c, −L²x^{${exponent.toFixed(3)}}⊙∇f(x)⟩ (L = ${L}): ${verdict.detail}` };
}

// ---------------------------------------------------------------------------------------------------------------
// nnls.converges

export interface ConvergesInstance extends NnlsInstance {
  readonly L: number;
  readonly alpha: number;
}

export const convergesInstances: fc.Arbitrary<ConvergesInstance> = seeded(
  fc.tuple(dimension(1, 8), dimension(1, 8), fc.integer({ min: 2, max: 4 }), alphaArb, fc.integer({ min: 0, max: 4 })),
  ([m, n, L, alpha, logCond4], rng) => ({
    // σ_1 = 1, σ_min = 1/cond with cond ≤ 10^{1/2}: keeps the explicit integrator's stiffness ratio small.
    A: conditionedMatrix(rng, m, n, { cond: 10 ** (logCond4 / 8) }),
    b: gaussianVector(rng, m),
    L,
    alpha,
  }),
);

/** Horizon of the L ≥ 3 runs (their zero coordinates decay only algebraically, like t^{−L/(L−2)}). */
const CONVERGE_T = 300;

export function checkConverges(inst: ConvergesInstance): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const { L, alpha } = inst;
  const m = inst.A.rows, n = inst.A.cols;
  const star = solveNnls(problem);
  if (!star.converged) return inconclusive({ measured: NaN, bound: 0, errorModel: 'Lawson–Hanson reference', detail: 'Lawson–Hanson hit its iteration cap' });
  const fstar = star.objective;
  const x0 = new Float64Array(n).fill(alpha ** L);
  const D = bregmanDivergence(L, star.x, x0);
  // Round-off in a computed f − f*: a few (m+n)ε of the size of the terms ½(‖A‖‖x‖ + ‖b‖)².
  const deltaF = 16 * (m + n) * EPS * Math.max(objectiveScale(problem, star.x), objectiveScale(problem, x0));
  const ws = new LeastSquaresWorkspace(problem);
  let worstRate = -Infinity, worstAt = 0, tFirst = 0, tLast = 0, samples = 0;
  // f(x(t)) − f* at every accepted step, for the figure (data.plot) only.
  const tSeries: number[] = [], gapSeries: number[] = [];
  const kktStop = 1e-10;
  const flow = reparamFlow(inst.A, inst.b, {
    L,
    alpha,
    T: L === 2 ? 1e5 : CONVERGE_T,
    rtol: 1e-10,
    atol: 1e-14,
    maxSteps: 60_000,
    observe: (t, _u, x) => {
      if (t > 0) {
        const gapNow = ws.evaluate(x) - fstar;
        tSeries.push(t);
        gapSeries.push(gapNow);
        const rate = t * gapNow;
        if (rate > worstRate) {
          worstRate = rate;
          worstAt = t;
        }
        if (samples++ === 0) tFirst = t;
        tLast = t;
      }
      return L === 2 && kktResiduals(problem, x).worst <= kktStop;
    },
  });
  const verdicts: Verdict[] = [];
  const rateBound = D * (1 + 1e-6) + tLast * deltaF;
  verdicts.push(
    compare({
      measured: worstRate,
      bound: rateBound,
      errorModel: `D_Φ(x*, x0)(1 + 1e-6) + t·δf, δf = 16(m+n)ε·½(‖A‖‖x‖+‖b‖)² = ${fmt(deltaF)} (the 1e-6 covers the integrator, rtol 1e-10)`,
      detail: `max t·(f(x(t)) − f*) = ${fmt(worstRate)} at t = ${fmt(worstAt)} over the ${samples} accepted steps t ∈ [${fmt(tFirst)}, ${fmt(tLast)}] vs D_Φ(x*, α^L·1) = ${fmt(D)} (L = ${L}, α = ${alpha}, x* from Lawson–Hanson)`,
    }),
  );
  const x = flow.x;
  const gap = ws.evaluate(x) - fstar;
  verdicts.push(
    compare({
      measured: -gap,
      bound: deltaF,
      errorModel: `round-off of f − f*: ${fmt(deltaF)}`,
      detail: `f(x(T)) − f(x_LH) = ${fmt(gap)}: no point of the flow beats the Lawson–Hanson value`,
    }),
  );
  if (m >= n) {
    // f is ½σ_min²-strongly convex and ∇f(x*)ᵀ(x − x*) ≥ 0 for x ≥ 0, so ½σ_min²‖x − x*‖² ≤ f(x) − f*.
    const sMin = svd(inst.A).s[n - 1];
    const dist = distance(x, star.x);
    const bound = Math.sqrt((2 * (Math.max(gap, 0) + deltaF)) / (sMin * sMin));
    verdicts.push(
      compare({
        measured: dist,
        bound,
        errorModel: `√(2(f(x(T)) − f* + δf))/σ_min(A), σ_min = ${fmt(sMin)} (strong convexity, exact)`,
        detail: `‖x(T) − x_LH‖ = ${fmt(dist)} at T = ${fmt(flow.t)} (unique NNLS solution: A has full column rank)`,
      }),
    );
  }
  if (L === 2) {
    const kkt = kktResiduals(problem, x).worst;
    const input = {
      measured: kkt,
      bound: 1e-8,
      errorModel: 'relative KKT ≤ 1e-8 (the flow stops at 1e-10; 1e-8 allows the integrator error, rtol 1e-10)',
      detail: `KKT of x(T) at T = ${fmt(flow.t)} (${flow.steps} steps, ${flow.status}): ${fmt(kkt)}; ‖x(T) − x_LH‖ = ${fmt(distance(x, star.x))}`,
    };
    // A finite horizon cannot refute convergence: not reaching the KKT level is undecided, not false.
    verdicts.push(flow.status === 'stopped' ? compare(input) : inconclusive(input));
  }
  const verdict = worstOf(verdicts);
  const plot = rateFigure({
    title: `nnls.converges: f(x(t)) − f* against t (L = ${L}, α = ${alpha}, ${m}×${n})`,
    yLabel: 'f(x(t)) − f*',
    t: tSeries,
    measured: { name: 'f(x(t)) − f*', y: gapSeries },
    predicted: [
      { name: 'envelope D_Φ(x*, x0)/t', y: tSeries.map((t) => D / t) },
      { name: 'round-off δf of f − f*', y: tSeries.map(() => deltaF) },
    ],
    bands: samples > 0 ? [{ from: tFirst, to: tLast, label: `rate t·(f − f*) ≤ D_Φ checked on t ∈ [${fmt(tFirst)}, ${fmt(tLast)}]` }] : [],
  });
  return { ...verdict, data: { ...(verdict.data ?? {}), plot, timeRange: [tFirst, tLast] } };
}

// ---------------------------------------------------------------------------------------------------------------
// nnls.implicit-bias

export interface ImplicitBiasInstance extends NnlsInstance {
  readonly alpha: number;
  readonly xTrue: Float64Array;
}

export const implicitBiasInstances: fc.Arbitrary<ImplicitBiasInstance> = seeded(
  fc.tuple(dimension(1, 4), dimension(1, 4), alphaArb, fc.integer({ min: 0, max: 4 })),
  ([m, extra, alpha, logCond4], rng) => {
    const n = Math.min(8, m + extra);
    const A = conditionedMatrix(rng, m, n, { cond: 10 ** (logCond4 / 8) });
    // x_true > 0 puts b strictly inside cone(A): {x > 0, Ax = b} ≠ ∅, the KL projection exists and the flow interpolates.
    const xTrue = Float64Array.from({ length: n }, () => Math.round((0.5 + 1.5 * rng.uniform()) * 100) / 100);
    return { A, b: matVecInto(new Float64Array(m), A, xTrue), alpha, xTrue };
  },
);

/** α² of the rich-limit comparisons (log(1/α²) ≈ 37 and 589). */
const RICH_ALPHA2 = [1e-16, 1e-256];

/**
 * Run the flow (or an injected dynamics) to interpolation and compare its end point with the KL projection; then
 * the KL projection at α² = 1e-16 and 1e-256 against the LP min {1ᵀx : x ≥ 0, Ax = b}.
 */
export function checkImplicitBias(inst: ImplicitBiasInstance, limit?: (inst: ImplicitBiasInstance) => { x: Float64Array; reached: boolean; detail: string }): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const { alpha } = inst;
  const kl = klProjection(inst.A, inst.b, { reference: alpha * alpha });
  if (kl.residual > 1e-12) return inconclusive({ measured: NaN, bound: 0, errorModel: 'dual Newton', detail: `KL projection did not converge (residual ${fmt(kl.residual)})` });
  const run =
    limit?.(inst) ??
    (() => {
      const buf = new Float64Array(inst.A.rows);
      const f = reparamFlow(inst.A, inst.b, { L: 2, alpha, T: 1e6, rtol: 1e-12, atol: 1e-15, maxSteps: 100_000, observe: (_t, _u, x) => relativeResidual(problem, x, buf) <= 1e-10 });
      return { x: f.x, reached: f.status === 'stopped', detail: `u-flow (L = 2) stopped at t = ${fmt(f.t)} after ${f.steps} steps` };
    })();
  const rho = relativeResidual(problem, run.x, new Float64Array(inst.A.rows));
  const kappa = (residualSensitivity(inst.A, kl.x) * norm2(inst.b)) / norm2(kl.x);
  const measured = distance(run.x, kl.x) / norm2(kl.x);
  const input = {
    measured,
    bound: kappa * rho + 1e-8,
    errorModel: `κ·ρ + 1e-8: ρ = ‖Ax − b‖/‖b‖ = ${fmt(rho)} left at the stop, κ = ‖XAᵀ(AXAᵀ)⁻¹‖_F‖b‖/‖x*‖ = ${fmt(kappa)} its first-order effect on x; 1e-8 for the integrator (local rtol 1e-12, ≤ 1e5 steps)`,
    detail: `‖x_∞ − argmin_{x≥0,Ax=b} KL(x‖α²1)‖/‖x*‖ = ${fmt(measured)} (α = ${alpha}; ${run.detail})`,
  };
  const limitVerdict = run.reached ? compare(input) : inconclusive({ ...input, detail: `${input.detail}; did not reach ρ ≤ 1e-10` });
  // Rich limit: KL(x‖α²1) = log(1/α²)·1ᵀx + O(1), so the projection tends to the LP solution; the off-support
  // entries are predicted to first order by richLimitPrediction [D].
  const lp = minL1Interpolant(inst.A, inst.b, { nonnegative: true });
  if (!lp) return worstOf([limitVerdict, inconclusive({ measured: NaN, bound: 0, errorModel: 'LP', detail: 'no basic nonnegative solution found' })]);
  const richVerdicts = RICH_ALPHA2.map((a2, k) => richVerdict(inst.A, inst.b, lp, klProjection(inst.A, inst.b, { reference: a2 }).x, a2, true, 'x_KL', 'argmin{1ᵀx : x ≥ 0, Ax = b}', k === RICH_ALPHA2.length - 1));
  return worstOf([limitVerdict, ...richVerdicts]);
}

/**
 * The α-regularized solution against the ℓ1 / LP vertex at α², held to twice the first-order prediction
 * (1 + ‖X_S⁻¹X_off‖)·‖(α²)^{1−σs}e^{σx_iᵀν₀}‖/‖β_ℓ1‖ plus the first-order effect κ·(ρ + 8nε) of the residual the dual
 * solve left (ρ = ‖Xβ − y‖/‖y‖, floored at round-off; κ = ‖XH(XHXᵀ)⁻¹‖‖y‖/‖β‖ with H = diag(|β| + α²) ≈ 1/Q''(β) in
 * the rich regime); inconclusive when the vertex is degenerate or not unique (the prediction needs a strict
 * certificate). The theorem is a statement about the limit α → 0 and the first-order rate is ours [D]: only the
 * deepest α² may refute; above it, a miss of the prediction is pre-asymptotic and inconclusive.
 */
export function richVerdict(x: Matrix, y: Float64Array, l1: L1Interpolant, computed: Float64Array, alpha2: number, nonnegative: boolean, name: string, target: string, deepest: boolean): Verdict {
  const err = distance(computed, l1.beta) / (norm2(l1.beta) || 1);
  const p = richLimitPrediction(x, l1, alpha2, nonnegative);
  const ny = norm2(y) || 1;
  const rho = distance(matVecInto(new Float64Array(x.rows), x, computed), y) / ny;
  const kappa = (residualSensitivity(x, computed.map((b) => Math.abs(b) + alpha2)) * ny) / (norm2(computed) || 1);
  const solve = kappa * (rho + 8 * x.cols * EPS);
  const input = {
    measured: err,
    bound: 2 * (p?.relative ?? 0) + solve,
    errorModel: `2·(1 + ‖X_S⁻¹X_off‖)·‖(α²)^{1−σ_i s_i}e^{σ_i x_iᵀν₀}‖/‖β_ℓ1‖ + κ·(ρ + 8nε) = 2·${fmt(p?.relative ?? NaN)} + ${fmt(kappa)}·(${fmt(rho)} + ${fmt(8 * x.cols * EPS)}) (first-order off-support prediction from the LP certificate, derived; the dual solve's residual ρ and its first-order effect κ)`,
    detail: `α² = ${alpha2.toExponential(0)}: ‖${name} − ${target}‖/‖·‖ = ${fmt(err)} (certificate margin ${fmt(l1.margin)})`,
  };
  if (!p || !(l1.margin > 0) || !(l1.gap > 1e-9)) return inconclusive({ ...input, detail: `${input.detail}; vertex degenerate or not unique (gap ${fmt(l1.gap)})` });
  const verdict = compare(input);
  if (verdict.status === 'fail' && !deepest) return inconclusive({ ...input, detail: `${input.detail}; above the first-order prediction [D] at this α², not yet asymptotic (the deepest α² decides)` });
  return verdict;
}

// ---------------------------------------------------------------------------------------------------------------
// nnls.positivity and its FALSE variants

export interface PositivityInstance extends NnlsInstance {
  readonly L: number;
  readonly eta: number;
  readonly gamma: number;
  readonly alpha: number;
  /** Coordinates started at u_i = 0 (x_i = 0). */
  readonly frozen: number[];
  readonly iterations: number;
}

// fast-check maps keep shrinking intact; the instance is built from (parameters, rng) in one place.
function positivityArb(depths: readonly number[]): fc.Arbitrary<PositivityInstance> {
  return seeded(
    fc.tuple(dimension(1, 8), dimension(1, 8), fc.constantFrom(...depths), fc.integer({ min: -12, max: 8 }), fc.constantFrom(0, 0.5, 1), alphaArb, fc.integer({ min: 0, max: 255 }), decimals()),
    ([m, n, L, eta4, gamma, alpha, mask, dec], rng) => ({
      A: roundEntries(gaussianMatrix(rng, m, n), dec),
      b: gaussianVector(rng, m, dec),
      L,
      eta: 10 ** (eta4 / 4),
      gamma,
      alpha,
      // Freeze coordinate i when bit i of the mask is set, but never all of them.
      frozen: Array.from({ length: n }, (_, i) => i).filter((i) => (mask >> i) & 1 && i < n - 1),
      iterations: 60,
    }),
  );
}

/** GD on u (x = u^{⊙L}): the most negative entry of any finite iterate, and any motion of a frozen coordinate. */
export function checkPositivity(inst: PositivityInstance): Verdict {
  const n = inst.A.cols;
  const u0 = new Float64Array(n).fill(inst.alpha);
  for (const i of inst.frozen) u0[i] = 0;
  let worst = -Infinity, at = -1, moved = 0, diverged = -1;
  reparamGradientDescent(inst.A, inst.b, {
    L: inst.L,
    u0,
    eta: inst.eta,
    gamma: inst.gamma,
    iterations: inst.iterations,
    observe: (k, _u, x) => {
      // Only finite iterates are in scope: once an entry overflows, ∇f is ±∞/NaN and 0·∞ poisons even frozen u_i.
      if (!x.every(Number.isFinite)) {
        diverged = k;
        return true;
      }
      for (let i = 0; i < n; i++)
        if (-x[i] > worst) {
          worst = -x[i];
          at = k;
        }
      for (const i of inst.frozen) moved = Math.max(moved, Math.abs(x[i]));
      // The first violation is the counterexample; running on only inflates it.
      if (worst > 0 || moved > 0) return true;
    },
  });
  const measured = Math.max(worst, moved);
  return compare({
    measured,
    bound: 0,
    errorModel: 'exact: u^L of a finite u is ≥ 0 for even L in floating point too; a frozen u_i = 0 gets gradient L·0^{L−1}·g_i = 0',
    detail: `GD on u, L = ${inst.L}, η = ${fmt(inst.eta)}, γ = ${inst.gamma}: most negative x_i = ${fmt(-worst)} (step ${at}), frozen coordinates ${JSON.stringify(inst.frozen)} moved by ${fmt(moved)}${diverged >= 0 ? `; diverged (non-finite) at step ${diverged}, checked up to there` : ''}`,
  });
}

/** CMV's x-space step x ← x − Lη_k ∇f ⊙ x^{2−2/L}: the most negative entry of any finite iterate. */
export function checkRiemannianPositivity(inst: PositivityInstance): Verdict {
  let worst = -Infinity, at = -1;
  riemannianDescent(inst.A, inst.b, {
    L: inst.L,
    alpha: inst.alpha,
    eta: inst.eta,
    gamma: inst.gamma,
    iterations: inst.iterations,
    observe: (k, x) => {
      for (let i = 0; i < x.length; i++)
        if (Number.isFinite(x[i]) && -x[i] > worst) {
          worst = -x[i];
          at = k;
        }
      return worst > 0 || !x.every(Number.isFinite);
    },
  });
  return compare({
    measured: worst,
    bound: 0,
    errorModel: 'exact sign test (no tolerance: a negative entry is a counterexample)',
    detail: `x-space step, L = ${inst.L}, η = ${fmt(inst.eta)}, γ = ${inst.gamma}: most negative x_i = ${fmt(-worst)} (step ${at})`,
  });
}

function summarizePositivity(p: PositivityInstance): unknown {
  return { ...summarizeProblem(p), L: p.L, eta: p.eta, gamma: p.gamma, alpha: p.alpha, frozen: p.frozen, iterations: p.iterations };
}

// ---------------------------------------------------------------------------------------------------------------
// nnls.accelerated

export interface AcceleratedInstance extends NnlsInstance {
  readonly alpha: number;
}

export const acceleratedInstances: fc.Arbitrary<AcceleratedInstance> = seeded(
  fc.tuple(dimension(1, 8), dimension(1, 8), alphaArb, fc.integer({ min: 0, max: 4 })),
  ([m, n, alpha, logCond4], rng) => ({ A: conditionedMatrix(rng, m, n, { cond: 10 ** (logCond4 / 8) }), b: gaussianVector(rng, m), alpha }),
);

const ACCEL_T0 = 1e-3;
const ACCEL_T = 40;

export function checkAccelerated(inst: AcceleratedInstance, factor = 4): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const m = inst.A.rows, n = inst.A.cols;
  const star = solveNnls(problem);
  const fstar = star.objective;
  const y0 = new Float64Array(n).fill(inst.alpha ** 2);
  const ws = new LeastSquaresWorkspace(problem);
  const f0 = ws.evaluate(y0);
  const kl = klDivergence(star.x, y0);
  // Energy E(t) = t²(f(x) − f*) + 4KL(x*‖y) is non-increasing [D], so t²(f − f*) ≤ E(t0).
  const energy0 = factor * kl + ACCEL_T0 * ACCEL_T0 * (f0 - fstar);
  const deltaF = 16 * (m + n) * EPS * Math.max(objectiveScale(problem, star.x), objectiveScale(problem, y0));
  let worst = -Infinity, at = 0, steps = 0;
  // f(x(t)) − f* at every recorded time, for the figure (data.plot) only.
  const tSeries: number[] = [], gapSeries: number[] = [];
  const r = acceleratedFlow(inst.A, inst.b, {
    alpha: inst.alpha,
    t0: ACCEL_T0,
    T: ACCEL_T,
    rtol: 1e-10,
    observe: (t, x) => {
      steps++;
      const gapNow = ws.evaluate(x) - fstar;
      tSeries.push(t);
      gapSeries.push(gapNow);
      const v = t * t * gapNow;
      if (v > worst) {
        worst = v;
        at = t;
      }
    },
  });
  const bound = energy0 * (1 + 1e-6) + ACCEL_T * ACCEL_T * deltaF;
  const input = {
    measured: worst,
    bound,
    errorModel: `(${factor}·KL(x*‖α²1) + t0²(f(x0) − f*))(1 + 1e-6) + T²·δf, δf = ${fmt(deltaF)} (1e-6: integrator, rtol 1e-10)`,
    detail: `max t²(f(x(t)) − f*) = ${fmt(worst)} at t = ${fmt(at)} over ${steps} recorded times in [${ACCEL_T0}, ${ACCEL_T}] vs ${factor}·KL = ${fmt(factor * kl)} (α = ${inst.alpha}, t0² term ${fmt(ACCEL_T0 * ACCEL_T0 * (f0 - fstar))})`,
  };
  const verdict = r.status === 'done' ? compare(input) : inconclusive({ ...input, detail: `${input.detail}; integration ended with ${r.status}` });
  const plot = rateFigure({
    title: `nnls.accelerated: f(x(t)) − f* against t (α = ${inst.alpha}, ${m}×${n})`,
    yLabel: 'f(x(t)) − f*',
    t: tSeries,
    measured: { name: 'f(x(t)) − f*', y: gapSeries },
    predicted: [
      { name: `envelope ${factor}·KL/t² (+t0² term)`, y: tSeries.map((t) => energy0 / (t * t)) },
      { name: 'round-off δf of f − f*', y: tSeries.map(() => deltaF) },
    ],
    bands: [{ from: ACCEL_T0, to: ACCEL_T, label: `t²(f − f*) ≤ bound checked at every recorded time in [${ACCEL_T0}, ${ACCEL_T}]` }],
  });
  return { ...verdict, data: { ...(verdict.data ?? {}), plot, timeRange: [ACCEL_T0, ACCEL_T] } };
}

// ---------------------------------------------------------------------------------------------------------------
// nnls.negative-perturbation

export interface PerturbationInstance extends NnlsInstance {
  /** Nonnegative sparse part x₊ of the ground truth. */
  readonly xPlus: Float64Array;
  /** Direction of the negative part, w ≥ 0 with ‖w‖₁ = 1; the ground truth is x₊ − s·w. */
  readonly w: Float64Array;
}

/** Draws of (A, x₊, w) before an instance whose x₊ is not identifiable is kept (and reported inconclusive). */
const PERTURBATION_DRAWS = 50;

/**
 * A m×n (m < n) Gaussian with a positive first row, x₊ ≥ 0 on a random support of ≤ max(1, m − 2) entries and a
 * direction w ≥ 0, ‖w‖₁ = 1; redrawn (same dimensions) until x₊ is what the small-α limit returns at n = 0, the
 * claim's hypothesis that x₊ is identifiable (about one draw in eight is not).
 */
export const perturbationInstances: fc.Arbitrary<PerturbationInstance> = seeded(
  fc.tuple(dimension(2, 5), dimension(1, 3), dimension(1, 4)),
  ([m, extra, k], rng) => {
    const n = Math.min(8, m + extra);
    const draw = (): PerturbationInstance => {
      const A = gaussianMatrix(rng, m, n);
      // M₊: the first row is positive, so t = e₁ gives Aᵀt > 0.
      for (let j = 0; j < n; j++) A.data[j] = Math.abs(A.data[j]) + 0.5;
      const support = Math.min(k, Math.max(1, m - 2));
      const order = Array.from({ length: n }, (_, i) => i).sort(() => rng.uniform() - 0.5);
      const xPlus = new Float64Array(n);
      for (let i = 0; i < support; i++) xPlus[order[i]] = Math.round((0.5 + rng.uniform()) * 100) / 100;
      const w = Float64Array.from({ length: n }, () => Math.abs(rng.gaussian()));
      const s1 = norm1(w);
      for (let i = 0; i < n; i++) w[i] /= s1;
      return { A, b: matVecInto(new Float64Array(m), A, xPlus), xPlus, w };
    };
    let inst = draw();
    for (let attempt = 1; attempt < PERTURBATION_DRAWS && recoveryError(inst) > RECOVERY_RTOL * norm1(inst.xPlus); attempt++) inst = draw();
    return inst;
  },
);

/**
 * The α → 0 limit of the L = 2 flow from α·1, through its characterization [D; nnls.implicit-bias, nnls.converges]:
 * argmin{1ᵀx : x ≥ 0, Ax = b} when b ∈ cone(A) (KL(x‖α²1)/log(1/α²) → 1ᵀx), else the NNLS solution (unique here).
 */
export function smallAlphaLimit(a: Matrix, b: Float64Array): Float64Array {
  const lp = minL1Interpolant(a, b, { nonnegative: true });
  return lp ? lp.beta : solveNnls(leastSquaresProblem(a, b)).x;
}

/** The limit map applied to b for the ground truth x₊ − s·w: a function of b alone, as the flow's limit is. */
export type LimitMap = (a: Matrix, b: Float64Array) => Float64Array;

/** ‖x₀ − x₊‖₁ for the ground truth x₊ − s·w (‖n‖₁ = s, since ‖w‖₁ = 1). */
function perturbationError(inst: PerturbationInstance, s: number, limit: LimitMap): number {
  const b = matVecInto(new Float64Array(inst.A.rows), inst.A, inst.xPlus.map((v, i) => v - s * inst.w[i]));
  return norm1(limit(inst.A, b).map((v, i) => v - inst.xPlus[i]));
}

/** ‖x₀ − x₊‖₁ at n = 0: within RECOVERY_RTOL·‖x₊‖₁ of 0 when x₊ is identifiable. */
function recoveryError(inst: PerturbationInstance, limit: LimitMap = smallAlphaLimit): number {
  return perturbationError(inst, 0, limit);
}

const RECOVERY_RTOL = 1e-9;
/** The perturbation sizes s = ‖n‖₁: from 1e-1, divided by 10 at most 6 times (to 1e-7). */
const PERTURBATION = { h0: 1e-1, ratio: 10, refinements: 6 } as const;
/** Round-off floor of ‖x₀ − x₊‖₁ in units of ‖x₊‖₁ + 1: the feasibility tolerance of the exact LP/NNLS solves. */
const PERTURBATION_FLOOR = 1e-12;

/**
 * The claim is ‖x₀ − x₊‖₁ ≤ C‖n‖₁ for small n: the error is O(‖n‖₁), order 1 in s. The limit map is piecewise
 * linear in b (one optimal basis of the LP, or one active set of the NNLS, per piece), so below its last
 * breakpoint e(s) = C·s exactly: the order test shrinks s until the order estimates stabilize (past every
 * breakpoint, where they are 1 to round-off), then holds them to 1 − slack; a √s law stabilizes at 0.5.
 */
export function checkNegativePerturbation(inst: PerturbationInstance, limit: LimitMap = smallAlphaLimit): Verdict {
  const scale = norm1(inst.xPlus);
  const e0 = recoveryError(inst, limit);
  if (e0 > RECOVERY_RTOL * scale) {
    return inconclusive({ measured: e0, bound: RECOVERY_RTOL * scale, errorModel: 'hypothesis check', detail: `x₊ is not recovered at s = 0 (‖x₀ − x₊‖₁ = ${fmt(e0)}): outside the claim's hypothesis (sparse x₊ identifiable)` });
  }
  const ratios: string[] = [];
  const v = checkOrderAdaptive(
    (s) => {
      const e = perturbationError(inst, s, limit);
      ratios.push(`${fmt(e / s)} at ${fmt(s)}`);
      return { error: e, floor: PERTURBATION_FLOOR * (scale + 1) };
    },
    { order: 1, ...PERTURBATION, label: '‖x₀(s) − x₊‖₁ against ‖n‖₁ = s' },
  );
  return explain(v, `exact LP/NNLS solves (floor ${PERTURBATION_FLOOR}·(‖x₊‖₁ + 1))`, `‖x₀ − x₊‖₁/‖n‖₁ = ${ratios.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The catalogue

const positivityClaim = defineClaim({
  id: 'nnls.positivity',
  title: 'Even L keeps x = u^{⊙L} ≥ 0 for any step; u_i = 0 freezes coordinate i',
  statement: 'Gradient descent on u with x = u^{⊙L}, L even, any step schedule η/(k+2)^γ: every iterate has x ≥ 0, and a coordinate with u_i(0) = 0 stays 0 forever',
  source: { paper: CMV, location: 'positivity of the reparametrization (THEORY §5 nnls.positivity)', provenance: 'D' },
  hypotheses: ['L ∈ {2, 4, 6}', 'η ∈ [1e-3, 1e2] (log grid), γ ∈ {0, ½, 1}, 60 steps', 'finite iterates only (a diverged run is checked up to divergence)'],
  instances: positivityArb([2, 4, 6]),
  check: (inst: PositivityInstance) => checkPositivity(inst),
  expected: 'holds',
  tolerance: 'none: the sign test is exact',
  runs: 200,
  summarize: summarizePositivity,
});

export const nnlsClaims: Claim<any>[] = [
  defineClaim({
    id: 'nnls.reparam-flow',
    title: 'Hadamard reparametrization induces ẋ = −L² x^{2−2/L} ⊙ ∇f(x)',
    statement: 'If u solves u̇ = −∇_u f(u^{⊙L}) with u > 0, then x = u^{⊙L} satisfies ẋ = −L² x^{⊙(2−2/L)} ⊙ ∇f(x), f(x) = ½‖Ax − b‖² (L = 2: ẋ = −4x ⊙ ∇f(x))',
    source: { paper: CMV, location: 'derived by the chain rule; the reparametrized flow of CMV\'s code (THEORY §5 nnls.reparam-flow)', provenance: 'D' },
    hypotheses: ['depth L ∈ {1, …, 5}', 'u(0) > 0 entrywise (log-normal)', 'A, b Gaussian, m, n ≤ 6, entries rounded to a shrinkable number of decimals'],
    instances: reparamFlowInstances,
    check: (inst: ReparamFlowInstance) => checkReparamFlow(inst),
    expected: 'holds',
    tolerance: 'Taylor-remainder test on t ↦ ⟨c, x(t)⟩ (x(t) by RK4, local error O(t⁵)): slope 2 over ≥ 2 decades above the round-off floor; a slope-1 defect of relative size ≥ 1e-9 fails',
    runs: 100,
    summarize: (i: ReparamFlowInstance) => ({ ...summarizeProblem(i), L: i.L, u0: Array.from(i.u0) }),
  }),
  defineClaim({
    id: 'nnls.converges',
    title: 'The reparametrized gradient flow solves NNLS, with f(x(t)) − f* ≤ D_Φ(x*, x0)/t',
    statement: 'The gradient flow of u ↦ ½‖Au^{⊙L} − b‖² from u(0) = α1 converges to an NNLS solution (KKT; agrees with Lawson–Hanson), and f(x(t)) − f* ≤ D_Φ(x*, x(0))/t for the mirror map Φ of the reparametrization (L = 2: D_Φ = ¼KL(x*‖α²1))',
    source: { paper: CMV, location: 'convergence of the reparametrized flow to an NNLS solution (stated); the constant of the D_Φ/t rate is derived (mirror-flow Lyapunov argument, THEORY §5)', provenance: 'P/D' },
    hypotheses: [
      'L ∈ {2, 3, 4}, α ∈ [0.3, 1]',
      'A m×n with m, n ≤ 8 (over- and underdetermined), singular values log-spaced in [1/√10, 1], b Gaussian',
      `rate checked at every accepted integrator step over t ∈ [first step, T]: T is the KKT ≤ 1e-10 stop for L = 2, T = ${CONVERGE_T} for L ≥ 3 (zero coordinates decay only like t^{−L/(L−2)})`,
      'agreement with Lawson–Hanson in x only when A has full column rank (the solution is unique); in value always',
    ],
    instances: convergesInstances,
    check: (inst: ConvergesInstance) => checkConverges(inst),
    expected: 'holds',
    tolerance: 'rate: D_Φ(1 + 1e-6) + t·16(m+n)ε·scale(f); distance to x_LH: √(2 gap)/σ_min (strong convexity, exact); L = 2: relative KKT ≤ 1e-8 at the stop',
    runs: 40,
    summarize: (i: ConvergesInstance) => ({ ...summarizeProblem(i), L: i.L, alpha: i.alpha }),
  }),
  defineClaim({
    id: 'nnls.implicit-bias',
    title: 'Implicit bias: the L = 2 flow converges to the KL projection of α²1; ℓ1 as α → 0',
    statement: 'For consistent underdetermined Ax = b with a positive solution, the flow of x = u⊙u from u(0) = α1 converges to argmin_{x ≥ 0, Ax = b} KL(x ‖ α²1); as α → 0 this tends to argmin{‖x‖₁ : x ≥ 0, Ax = b}',
    source: { paper: CMV, location: 'implicit bias of the reparametrized flow, derived via the mirror-flow invariant log(x/α²) ∈ range(Aᵀ) (THEORY §5 nnls.implicit-bias)', provenance: 'D' },
    hypotheses: ['L = 2, α ∈ [0.3, 1]', 'A m×n, m ≤ 4 < n ≤ 8 (full row rank, σ ∈ [1/√10, 1])', 'b = A x_true with x_true ∈ [0.5, 2]ⁿ (b strictly inside cone(A))', 'rich limit at α² = 1e-16 and 1e-256 against the LP solution (exact, by basis enumeration)'],
    instances: implicitBiasInstances,
    check: (inst: ImplicitBiasInstance) => checkImplicitBias(inst),
    expected: 'holds',
    tolerance: 'flow vs KL projection: κ·ρ + 1e-8 (κ the projection\'s sensitivity to the residual ρ left at the stop, 1e-8 for the integrator); rich limit: twice the first-order off-support prediction from the LP certificate + κ·(ρ + 8nε), the first-order effect of the residual of the dual solve (inconclusive for a degenerate or non-unique vertex)',
    runs: 100,
    summarize: (i: ImplicitBiasInstance) => ({ ...summarizeProblem(i), alpha: i.alpha, xTrue: Array.from(i.xTrue) }),
  }),
  positivityClaim,
  defineClaim({
    ...positivityClaim,
    id: 'nnls.positivity.odd-L',
    title: 'FALSE variant: odd L keeps x ≥ 0',
    statement: 'Gradient descent on u with x = u^{⊙L}, L odd, keeps x ≥ 0 (FALSE: a large step overshoots u_i below 0, and then x_i = u_i^L < 0)',
    source: { paper: CMV, location: 'FALSE variant of nnls.positivity (THEORY §5)', provenance: 'D' },
    hypotheses: ['L ∈ {3, 5}', 'η ∈ [1e-3, 1e2], γ ∈ {0, ½, 1}, 60 steps'],
    instances: positivityArb([3, 5]),
    expected: 'counterexample',
  }),
  defineClaim({
    ...positivityClaim,
    id: 'nnls.positivity.large-step',
    title: 'FALSE variant: the x-space step keeps x ≥ 0 for any step',
    statement: "CMV's x-space step x ← x − Lη_k ∇f(x) ⊙ x^{⊙(2−2/L)} keeps x ≥ 0 for every η (FALSE: for L = 2 it multiplies x_i by 1 − 2η_k ∇f_i, negative once 2η_k∇f_i > 1)",
    source: { paper: CMV, location: 'FALSE variant of nnls.positivity (THEORY §5)', provenance: 'D' },
    hypotheses: ['L ∈ {2, 3, 4}', 'η ∈ [1e-3, 1e2], γ ∈ {0, ½, 1}, 60 steps, x(0) = α^L·1'],
    instances: positivityArb([2, 3, 4]),
    check: (inst: PositivityInstance) => checkRiemannianPositivity(inst),
    expected: 'counterexample',
  }),
  defineClaim({
    id: 'nnls.accelerated',
    title: 'Accelerated second-order flow: f(x(t)) − f* ≤ 4KL(x*‖y0)/t²',
    statement: "CMV's ODE ẋ = (2/t)(y − x), ẏ = −(t/2) y ⊙ ∇f(x), x(t0) = y(t0) = α²1 satisfies t²(f(x(t)) − f*) ≤ 4KL(x* ‖ α²1) + t0²(f(x0) − f*) for all t ≥ t0",
    source: { paper: CMV, location: 'accelerated flow (existence stated); the bound is derived from the energy t²(f − f*) + 4KL(x*‖y) (THEORY §5 nnls.accelerated)', provenance: 'P/D' },
    hypotheses: ['α ∈ [0.3, 1], t0 = 1e-3, T = 40', 'A m×n, m, n ≤ 8, σ ∈ [1/√10, 1], b Gaussian', 'x* = Lawson–Hanson solution (any minimizer gives a valid bound)'],
    instances: acceleratedInstances,
    check: (inst: AcceleratedInstance) => checkAccelerated(inst),
    expected: 'holds',
    tolerance: 'bound·(1 + 1e-6) + T²·16(m+n)ε·scale(f): integrator (rtol 1e-10) and round-off of f − f*',
    runs: 100,
    summarize: (i: AcceleratedInstance) => ({ ...summarizeProblem(i), alpha: i.alpha }),
  }),
  defineClaim({
    id: 'nnls.negative-perturbation',
    title: 'A small negative part of the ground truth costs linearly in ℓ1',
    statement: 'Under M₊ (∃t: Aᵀt > 0), if b = A(x₊ − n) with x₊ ≥ 0 sparse and n ≥ 0 small, the small-α limit x₀ of the reparametrized flow satisfies ‖x₀ − x₊‖₁ ≤ C‖n‖₁ (linear in ‖n‖₁)',
    source: {
      paper: CMV,
      location: '[M] robustness to a negative perturbation: existence stated in the paper; the shape of the bound (linear in ‖n‖₁, constant unspecified) is recalled, not confirmed against the text',
      provenance: 'P/M',
    },
    hypotheses: [
      'A m×n, 2 ≤ m < n ≤ 8, Gaussian with a positive first row (M₊ with t = e₁)',
      `x₊ with ≤ max(1, m − 2) nonzeros in [0.5, 1.5], identifiable: x₀ = x₊ at n = 0 (A, x₊, w redrawn until so, at most ${PERTURBATION_DRAWS} times; else inconclusive)`,
      `n = s·w, w ≥ 0, ‖w‖₁ = 1, s = ${PERTURBATION.h0}, divided by ${PERTURBATION.ratio} up to ${PERTURBATION.refinements} times`,
      'small-α limit through its characterization (min 1ᵀx over {x ≥ 0, Ax = b} if feasible, else the NNLS solution) [D], not by simulating the flow',
    ],
    instances: perturbationInstances,
    check: (inst: PerturbationInstance) => checkNegativePerturbation(inst),
    expected: 'holds',
    tolerance: `order test of the ℓ1 error in s = ‖n‖₁ (linear scaling: order 1 once past the last breakpoint of the piecewise-linear limit map; a √ law: 0.5): ${describeOrderTest({ order: 1, ...PERTURBATION })}; round-off floor ${PERTURBATION_FLOOR}·(‖x₊‖₁ + 1) (the limit is computed by exact LP/NNLS solves)`,
    runs: 150,
    summarize: (i: PerturbationInstance) => ({ ...summarizeProblem(i), xPlus: Array.from(i.xPlus), w: Array.from(i.w) }),
  }),
];
