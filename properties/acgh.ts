import fc from 'fast-check';
import { dimension, seeded } from '../src/arbitraries/seeded.js';
import { EPS, compare, worstOf, type Verdict } from '../src/check/verdict.js';
import { defineClaim, type Claim } from '../src/claims/claim.js';
import { DlnGradientField } from '../src/dynamics/dln-gradient-field.js';
import { GradientDescent } from '../src/dynamics/gradient-descent.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply } from '../src/linalg/products.js';
import { svd, symmetricEigen } from '../src/linalg/svd.js';
import { maxBalancednessDefect } from '../src/model/balancedness.js';
import { loss, type Data } from '../src/model/loss.js';
import { endToEnd } from '../src/model/partial-products.js';
import { whitenedInputs } from '../src/random/constructions.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { randomOrthonormal } from '../src/random/orthonormal.js';
import type { Rng } from '../src/random/rng.js';
import { marginStart, type MarginStart } from './support/deficiency-margin.js';
import { fmt } from './support/verdict-text.js';

/**
 * ACGH (Arora, Cohen, Golowich, Hu 2019): the descent inequality of gradient descent on a deep linear network with
 * whitened data, and the identity-initialization counterexample of their Claims 4/5. Loss scale "mean"
 * (L = 1/(2m)·Σ_i ‖W x_i − y_i‖²) with Λ_xx = XXᵀ/m = I, so L¹(W) = ½‖W − Φ‖² + const, Φ = Λ_yx = YXᵀ/m.
 */

const round = (x: number): number => Number(x.toPrecision(4));

/** Whitened data for the "mean" scale: X = √m·(orthonormal rows), so XXᵀ/m = I, and Y with YXᵀ/m = Φ exactly in exact arithmetic. */
function whitenedData(rng: Rng, phi: Matrix, samples: number): Data {
  const d = phi.cols, m = samples;
  const X = whitenedInputs(rng, d, m);
  for (let t = 0; t < X.data.length; t++) X.data[t] *= Math.sqrt(m);
  // Y = ΦX + R with R ⟂ the rows of X (R = G(I − XᵀX/m)): it only adds a constant to L.
  const Y = multiply(phi, X);
  const G = gaussianMatrix(rng, phi.rows, m);
  const GXt = multiply(G, X, 'n', 't');
  const proj = multiply(GXt, X);
  for (let t = 0; t < Y.data.length; t++) Y.data[t] += G.data[t] - proj.data[t] / m;
  return { X, Y };
}

// ---------------------------------------------------------------------------------------------------------------
// acgh.descent
// ---------------------------------------------------------------------------------------------------------------

/** A deficiency-margin start (W(0) = the weights, ‖W(0) − Φ‖_F ≤ σ_min(Φ) − c), possibly only δ-balanced, with its data. */
export interface DescentInstance extends MarginStart {
  /** Measured ‖W(0) − Φ‖_F. */
  readonly distance: number;
  /** ACGH's δ bound c²/(256 N³ ‖Φ‖_F^{2(N−1)/N}) and the measured max_j ‖C_j(0)‖_F (0 for a balanced start). */
  readonly deltaBound: number;
  readonly delta: number;
  readonly balanced: boolean;
  /** η = c^{(4N−2)/N} / (6144 N³ ‖Φ‖_F^{(6N−4)/N}), ACGH's largest allowed step. */
  readonly eta: number;
  readonly data: Data;
}

/** ACGH Theorem 1's step-size bound. */
export function acghStepBound(c: number, phiNorm: number, depth: number): number {
  const N = depth;
  return Math.pow(c, (4 * N - 2) / N) / (6144 * N ** 3 * Math.pow(phiNorm, (6 * N - 4) / N));
}

/** ACGH Theorem 1's balancedness bound. */
export function acghDeltaBound(c: number, phiNorm: number, depth: number): number {
  const N = depth;
  return (c * c) / (256 * N ** 3 * Math.pow(phiNorm, (2 * (N - 1)) / N));
}

/**
 * Square layers d×d (no bottleneck), Φ with σ_max = 1, σ_min = 10^{−q/4}; W(0) = Φ + Δ at distance u(σ_min − c) with
 * c = γσ_min; layers from ACGH Procedure 1 (balanced), optionally perturbed to be δ-balanced with δ ≤ ACGH's bound.
 * Shrinks toward d = 1, N = 1, a well-conditioned Φ, c = σ_min/4, a close start, exact balance.
 */
export function descentInstanceArb(): fc.Arbitrary<DescentInstance> {
  const params = fc.tuple(
    dimension(1, 4),
    dimension(1, 4),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 3 }),
  );
  return seeded(params, ([d, depth, q, gammaQ, uQ, perturb, extra], rng) => {
    const { Phi, sigmaMinPhi, c, weights } = marginStart(rng, d, depth, q, gammaQ, uQ);
    const phiNorm = frobeniusNorm(Phi);
    const deltaBound = acghDeltaBound(c, phiNorm, depth);
    let balanced = !(perturb && depth >= 2);
    if (!balanced) {
      // δ-balanced start: perturb every layer by E_j (‖E_j‖_F ≤ ρ), halving ρ until max‖C_j‖_F ≤ δ-bound/2 and the
      // deficiency margin still holds with c.
      const E = weights.map(() => gaussianMatrix(rng, d, d));
      const base = weights.map((w) => w.clone());
      let rho = deltaBound, ok = false;
      for (let tries = 0; tries < 80 && !ok; tries++) {
        weights.forEach((w, j) => {
          // ‖E_j‖_F = ρ(j+1)/N: different sizes per layer, so a 1×1 network cannot stay balanced by symmetry.
          const s = (rho * (j + 1)) / (depth * frobeniusNorm(E[j]));
          for (let t = 0; t < w.data.length; t++) w.data[t] = base[j].data[t] + s * E[j].data[t];
        });
        ok = maxBalancednessDefect(weights) <= deltaBound / 2 && distanceTo(endToEnd(weights), Phi) <= sigmaMinPhi - c;
        rho /= 2;
      }
      if (!ok) {
        weights.forEach((w, j) => w.data.set(base[j].data)); // never leave the hypotheses: fall back to balanced
        balanced = true;
      }
    }
    const data = whitenedData(rng, Phi, d + extra);
    return {
      d, depth, Phi, sigmaMinPhi, c,
      distance: distanceTo(endToEnd(weights), Phi),
      deltaBound, delta: maxBalancednessDefect(weights), balanced,
      eta: acghStepBound(c, phiNorm, depth),
      weights, data,
    };
  });
}

function distanceTo(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let t = 0; t < a.data.length; t++) s += (a.data[t] - b.data[t]) ** 2;
  return Math.sqrt(s);
}

export function summarizeDescentInstance(i: DescentInstance): unknown {
  return {
    d: i.d, N: i.depth, sigmaMinPhi: round(i.sigmaMinPhi), c: round(i.c), distance: round(i.distance),
    balanced: i.balanced, delta: round(i.delta), deltaBound: round(i.deltaBound), eta: round(i.eta), samples: i.data.X.cols,
    Phi: i.Phi.toArray().map((r) => r.map(round)),
  };
}

/** GD steps checked per instance: each one must satisfy the inequality. */
export const DESCENT_STEPS = 8;

/**
 * For each of DESCENT_STEPS GD steps: the achieved decrease L(t) − L(t+1) against the promised one
 * P = (η/2)σ_min(W(t))^{2(N−1)/N}‖∇L¹(W(t))‖². measured = the ratio (≥ 1 claimed), bound = 1 − (round-off allowance)/P.
 * Round-off allowance of one loss value (mean scale, κ = 1/m): 4ε(N + m + 2)·κ/2·(Π_j‖W_j‖_F‖X‖_F + ‖Y‖_F)²
 * (forming the product, the residual WX − Y and the sum of squares), two of them in the difference.
 */
export function checkDescent(i: DescentInstance, options: { eta?: number } = {}): Verdict {
  const eta = options.eta ?? i.eta, N = i.depth, m = i.data.X.cols;
  const widths = new Array(N + 1).fill(i.d);
  const field = new DlnGradientField(widths, i.data, { scale: 'mean' });
  const gd = new GradientDescent(field, { learningRate: eta });
  const state = i.weights.map((w) => w.clone());
  const xNorm = frobeniusNorm(i.data.X), yNorm = frobeniusNorm(i.data.Y);
  const allowance = (ws: readonly Matrix[]): number =>
    (4 * EPS * (N + m + 2) * (ws.reduce((p, w) => p * frobeniusNorm(w), 1) * xNorm + yNorm) ** 2) / (2 * m);
  const verdicts: Verdict[] = [];
  let before = loss(state, i.data, { scale: 'mean' });
  for (let t = 0; t < DESCENT_STEPS; t++) {
    const W = endToEnd(state);
    const s = svd(W).s;
    const sigmaMin = s[s.length - 1];
    const allowBefore = allowance(state);
    gd.step(state);
    const grad = frobeniusNorm(field.endToEndGradient); // ∇L¹ at W(t) (mean scale: W(t) − Φ)
    const after = loss(state, i.data, { scale: 'mean' });
    const promised = (eta / 2) * Math.pow(sigmaMin, (2 * (N - 1)) / N) * grad * grad;
    const allow = allowBefore + allowance(state);
    if (!(promised > 0)) {
      before = after;
      continue; // ∇L¹ = 0: nothing is promised
    }
    const v = compare({
      measured: (before - after) / promised,
      bound: 1 - allow / promised,
      comparison: '>=',
      errorModel: `ratio ≥ 1 − 2·allowance/P; allowance = 4ε(N+m+2)/(2m)·(Π‖W_j‖‖X‖ + ‖Y‖)² = ${fmt(allow / 2)} per loss value`,
      detail:
        `step ${t}: L(t) − L(t+1) = ${fmt(before - after)} vs (η/2)σ_min^{2(N−1)/N}‖∇L¹‖² = ${fmt(promised)} (η = ${fmt(eta)}, σ_min(W(t)) = ${fmt(sigmaMin)}, ` +
        `‖∇L¹‖ = ${fmt(grad)}): achieved ${((before - after) / promised).toFixed(3)}× the promised decrease`,
    });
    verdicts.push(v);
    if (v.status === 'fail') break; // the run is a counterexample; later steps may overflow
    before = after;
  }
  if (verdicts.length === 0) {
    return compare({ measured: 1, bound: 1, comparison: '>=', errorModel: 'no step with ∇L¹ ≠ 0', detail: 'W(0) = Φ: every promised decrease is 0' });
  }
  return worstOf(verdicts);
}

export const descentClaim = defineClaim({
  id: 'acgh.descent',
  title: 'One GD step decreases the loss by at least (η/2)σ_min^{2(N−1)/N}‖∇L¹‖²',
  statement:
    'Whitened data (Λ_xx = I), scale "mean", square layers, a start with deficiency margin c (‖W(0) − Φ‖_F ≤ σ_min(Φ) − c), δ-balanced with ' +
    'δ ≤ c²/(256N³‖Φ‖_F^{2(N−1)/N}), η ≤ c^{(4N−2)/N}/(6144N³‖Φ‖_F^{(6N−4)/N}): every GD step satisfies ' +
    'L(t+1) ≤ L(t) − (η/2)σ_min(W(t))^{2(N−1)/N}‖∇L¹(W(t))‖²_F.',
  source: { paper: 'ACGH', location: 'Lemma 1 (descent inequality), under the conditions of Theorem 1', provenance: 'P' },
  hypotheses: [
    'd_0 = d_1 = … = d_N = d ≤ 4 (square layers, no bottleneck), 1 ≤ N ≤ 4',
    'whitened inputs: XXᵀ/m = I; Φ = YXᵀ/m with σ_max = 1, σ_min(Φ) ≥ 0.1',
    'deficiency margin c = γσ_min(Φ), γ ∈ {1/4, 1/2, 3/4}; ‖W(0) − Φ‖_F = u(σ_min(Φ) − c), u ∈ {1/4, 1/2, 3/4}',
    'balanced (ACGH Procedure 1) or δ-balanced with δ ≤ half of ACGH\'s bound',
    'η = ACGH\'s largest allowed step; 8 consecutive steps checked',
  ],
  instances: descentInstanceArb(),
  check: (i: DescentInstance) => checkDescent(i),
  expected: 'holds',
  tolerance:
    'measured = achieved/promised decrease ≥ 1 − 2·allowance/P, allowance = 4ε(N+m+2)/(2m)·(Π‖W_j‖_F‖X‖_F + ‖Y‖_F)² per loss value (round-off ' +
    'of the product, the residual and the sum of squares); the margin is how far above 1 the achieved ratio is.',
  runs: 300,
  summarize: summarizeDescentInstance,
});

// ---------------------------------------------------------------------------------------------------------------
// acgh.descent.claim5 (FALSE)
// ---------------------------------------------------------------------------------------------------------------

export interface IdentityInitInstance {
  readonly d: number;
  readonly depth: number;
  /** Eigenvalues of the symmetric target Φ = Q diag(λ) Qᵀ, each ±{0.5, 1, 1.5, 2}. */
  readonly lambda: readonly number[];
  readonly Phi: Matrix;
  readonly data: Data;
}

export const IDENTITY_INIT = { eta: 0.05, steps: 4000, tolerance: 1e-10 } as const;

/**
 * d ∈ [1, 3], N ∈ {2, 4} (even), Φ symmetric with eigenvalues ±k/2 (k = 1..4; 0 excluded so a slow sublinear
 * approach to a zero eigenvalue is never mistaken for the counterexample). X = √d·I (whitened, m = d), Y = ΦX.
 */
export function identityInitInstanceArb(): fc.Arbitrary<IdentityInitInstance> {
  const params = fc.tuple(
    dimension(1, 3),
    fc.integer({ min: 1, max: 2 }),
    fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 4 })), { minLength: 3, maxLength: 3 }),
  );
  return seeded(params, ([d, half, eig], rng) => {
    // Sorted ascending before truncating to d, so the most negative eigenvalue survives when d shrinks.
    const lambda = eig.map(([negative, k]) => (negative ? -k : k) / 2).sort((x, y) => x - y).slice(0, d);
    const Q = randomOrthonormal(rng, d, d);
    const QL = Q.clone();
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) QL.data[r * d + c] *= lambda[c];
    const Phi = multiply(QL, Q, 'n', 't');
    for (let r = 0; r < d; r++) for (let c = 0; c < r; c++) Phi.data[r * d + c] = Phi.data[c * d + r]; // exactly symmetric
    const X = Matrix.identity(d);
    for (let t = 0; t < X.data.length; t++) X.data[t] *= Math.sqrt(d);
    return { d, depth: 2 * half, lambda, Phi, data: { X, Y: multiply(Phi, X) } };
  });
}

/** GD from W_j(0) = I: the claim "converges to the global minimum (L* = 0)" is measured as L(T) ≤ tolerance. */
export function checkIdentityInit(i: IdentityInitInstance): Verdict {
  const N = i.depth, d = i.d;
  const widths = new Array(N + 1).fill(d);
  const field = new DlnGradientField(widths, i.data, { scale: 'mean' });
  const gd = new GradientDescent(field, { learningRate: IDENTITY_INIT.eta });
  const state = Array.from({ length: N }, () => Matrix.identity(d));
  for (let s = 0; s < IDENTITY_INIT.steps; s++) gd.step(state);
  const L = loss(state, i.data, { scale: 'mean' });
  const W = endToEnd(state);
  const sym = multiply(Matrix.identity(d), W);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) sym.data[r * d + c] = 0.5 * (W.data[r * d + c] + W.data[c * d + r]);
  const lambdaMinW = Math.min(...symmetricEigen(sym).values);
  const stuck = 0.5 * i.lambda.filter((l) => l < 0).reduce((s, l) => s + l * l, 0);
  const tol = IDENTITY_INIT.tolerance * (1 + 0.5 * frobeniusNorm(i.Phi) ** 2);
  return compare({
    measured: L,
    bound: tol,
    errorModel: `L* = 0 (Φ is realizable, Y = ΦX); converged means L(T) ≤ 1e-10·(1 + ½‖Φ‖²) = ${fmt(tol)} after T = ${IDENTITY_INIT.steps} steps of η = ${IDENTITY_INIT.eta}`,
    detail:
      `N = ${N}, eigenvalues of Φ ${JSON.stringify(i.lambda)}: L(T) = ${L.toFixed(4)} (½Σλ_neg² = ${stuck.toFixed(4)}); ` +
      `product stays PSD: λ_min(sym W(T)) = ${fmt(lambdaMinW)}`,
  });
}

export const identityInitClaim = defineClaim({
  id: 'acgh.descent.claim5',
  title: 'FALSE: GD from the identity initialization converges to the global minimum',
  statement:
    'N even, square layers, W_j(0) = I, whitened data, Φ symmetric: gradient descent with a small step converges to the global minimum (L → 0). ' +
    'FALSE when Φ has a negative eigenvalue λ_neg: the product stays PSD and L stays ≥ ½Σλ_neg².',
  source: { paper: 'ACGH', location: 'negation of convergence from the identity; the paper gives this counterexample in Claims 4 and 5 (a target with a negative eigenvalue)', provenance: 'D' },
  hypotheses: ['d ≤ 3, N ∈ {2, 4}', 'W_j(0) = I for every layer', 'Φ symmetric with eigenvalues in ±{0.5, 1, 1.5, 2}', `η = ${IDENTITY_INIT.eta}, T = ${IDENTITY_INIT.steps} steps (time 200: a positive-definite Φ converges to round-off)`],
  instances: identityInitInstanceArb(),
  check: (i: IdentityInitInstance) => checkIdentityInit(i),
  expected: 'counterexample',
  tolerance: 'L(T) ≤ 1e-10·(1 + ½‖Φ‖²); a converging run reaches round-off (≈ 1e-30), a stuck one stays at ½Σλ_neg² ≥ 0.125.',
  runs: 50,
  summarize: (i: IdentityInitInstance) => ({ d: i.d, N: i.depth, lambda: i.lambda, Phi: i.Phi.toArray().map((r) => r.map(round)) }),
});

export const acghClaims: Claim<any>[] = [descentClaim, identityInitClaim];
