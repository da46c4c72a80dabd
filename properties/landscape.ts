import fc from 'fast-check';
import { type Verdict, compare, holdsWhen, inconclusive, worstOf } from '../src/check/verdict.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { dimension, seeded, widths as widthsArb } from '../src/arbitraries/seeded.js';
import { Matrix } from '../src/linalg/matrix.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { svd } from '../src/linalg/svd.js';
import { multiply } from '../src/linalg/products.js';
import { type LossScale, loss, scaleFactor } from '../src/model/loss.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { classifyPoint } from '../src/landscape/classify.js';
import { newtonPolish } from '../src/landscape/descent.js';
import { strictGradientTolerance } from '../src/landscape/criticality.js';
import { layerGradients } from '../src/model/gradients.js';
import { globalDescentVerdict } from '../src/landscape/global-descent.js';
import { type InputKind, landscapeData } from '../src/landscape/data.js';
import { buildFrame, globalValue } from '../src/landscape/frame.js';
import { fullHessian, hessianSpectrum, type HessianSpectrum } from '../src/landscape/hessian.js';
import { type CriticalInstance, criticalInstanceArb, originInstanceArb, summarizeCritical, type OriginInstance } from '../src/landscape/instances.js';
import { evaluatePairRule } from '../src/landscape/pair-rule.js';
import { rotationCertificate, rotationCurve, rotationLossFormula } from '../src/landscape/rotation.js';
import { readStructure } from '../src/landscape/structure.js';
import { gamma } from '../src/landscape/tolerances.js';
import { Rng } from '../src/random/rng.js';
import { fmt } from './support/verdict-text.js';

/**
 * THEORY §3, critical points of deep linear networks (AMG, Kawaguchi, Baldi–Hornik, Laurent–von Brecht).
 * Every instance is an exact critical point built by src/landscape/construct.ts (signal chain ⊕ residual chain,
 * random gauge, whitened / conditioned / rank-deficient inputs, all three loss scales) and verified critical
 * (‖∇L‖ ≤ τ_c, src/landscape/criticality.ts) before any check uses it; crit.structure additionally perturbs it
 * and lets Newton's method find a nearby critical point that is no longer in canonical form.
 */

/** λ_min(∇²L) < −τ_H: the Hessian has a negative eigenvalue beyond its round-off τ_H. */
function negativeCurvature(spec: HessianSpectrum, detail: string, data?: Record<string, unknown>): Verdict {
  return compare({ measured: spec.lambdaMin, bound: -spec.tolerance, errorModel: `τ_H = ${fmt(spec.tolerance)}`, detail, data });
}

function structureVerdicts(instance: CriticalInstance, weights: Matrix[]): Verdict[] {
  const { frame, data } = instance;
  const s = readStructure(frame, weights, data);
  const out: Verdict[] = [
    compare({
      measured: s.productResidual,
      bound: s.tolerance,
      errorModel: 'exact critical points give ~1e-15; 1e-8 leaves room for the conditioning of κ(XXᵀ) and Newton polishing',
      detail: `‖W_{N:1}T − U_SU_SᵀQ̃‖/‖Q̃‖ (S = {${s.S}})`,
    }),
    compare({
      measured: s.matchError,
      bound: s.tolerance,
      errorModel: 'σ(P̃) ∪ σ(R) vs σ(Q̃), relative to σ_1; same tolerance',
      detail: `the singular values of W_{N:1}T and of the residual partition those of Q̃ (|S| = rank W = ${s.rank})`,
    }),
  ];
  if (s.consistent) {
    out.push(compare({
      measured: s.value.difference,
      bound: s.value.tolerance,
      errorModel: `τ_L = c·n·ε·(κ/2)(‖|W||X|‖ + ‖Y‖)² = ${fmt(s.value.tolerance)}`,
      detail: `L = ${fmt(s.value.measured)} vs κ·½(tr Σ_YY − Σ_{i∈S}λ_i) = ${fmt(s.value.closedForm)}`,
    }));
    if (!s.ties) {
      const globalByValue = s.global, globalByS = s.topR && s.rank === s.rStar;
      out.push(holdsWhen(globalByValue === globalByS, {
        reason: 'the two characterizations of a global minimum agree',
        detail: `global by value (${globalByValue}) ⇔ S = {1..r*} (${globalByS}; S = {${s.S}}, r* = ${s.rStar})`,
      }));
    }
  }
  return out;
}

/** Entries below 1e-12·size set to exactly 0 (the candidate limit of a degenerate Newton run). */
function snapTinyEntries(weights: readonly Matrix[], size: number): Matrix[] {
  return weights.map((w) => new Matrix(w.rows, w.cols, w.data.map((x) => (Math.abs(x) <= 1e-12 * size ? 0 : x))));
}

/**
 * A critical point near the constructed one but not in its canonical form: perturb, then Newton on ∇L = 0. Newton
 * may head for a degenerate critical point (sublinear convergence): its tiny entries are rounded to 0 and the result
 * accepted if critical (τ_g); otherwise Newton retries from 10× and 100× closer.
 */
function polishedNeighbour(instance: CriticalInstance): Matrix[] | Verdict {
  const rng = new Rng(instance.seed);
  const tried: string[] = [];
  const entrySize = Math.max(1, ...instance.point.weights.map((w) => Math.max(...Array.from(w.data, Math.abs))));
  let last = { gradientNorm: NaN, tolerance: NaN };
  for (const size of [1, 0.1, 0.01].map((f) => f * instance.perturbation)) {
    const start = instance.point.weights.map((w) => {
      const m = w.clone();
      for (let i = 0; i < m.data.length; i++) m.data[i] += size * rng.gaussian();
      return m;
    });
    const polished = newtonPolish(start, instance.data, { scale: instance.scale, maxIterations: 200 });
    // Far out on the gauge orbit the product W_{N:1}T is computed with cancellation: its round-off
    // γ·Π‖W_j‖·‖T‖/‖Q̃‖ must stay below 1% of the structure tolerance 1e-8, or the residuals measure rounding.
    const productRoundoff = polished.weights.reduce((p, w) => p * frobeniusNorm(w), gamma(polished.weights, instance.data))
      * frobeniusNorm(instance.frame.T) / frobeniusNorm(instance.frame.Qt);
    last = polished;
    if (productRoundoff > 1e-10) {
      tried.push(`size ${fmt(size)}: Newton ran off along the gauge (product round-off ${fmt(productRoundoff)} > 1e-10)`);
      continue;
    }
    if (polished.converged) return polished.weights;
    // Sublinear convergence to a point with exact zeros (‖∇L‖ ~ 1e-120, entries ~ 1e-40): round those to 0.
    const snapped = snapTinyEntries(polished.weights, entrySize);
    const grads = layerGradients(snapped, instance.data, { scale: instance.scale });
    if (Math.hypot(...grads.map((m) => frobeniusNorm(m))) <= strictGradientTolerance(snapped, instance.data, instance.scale)) {
      return snapped;
    }
    tried.push(`size ${fmt(size)}: ‖∇L‖ = ${fmt(polished.gradientNorm)} > τ_g = ${fmt(polished.tolerance)}`);
  }
  return inconclusive({ measured: last.gradientNorm, bound: last.tolerance, errorModel: 'Newton on ∇L = 0 did not reach round-off (τ_g) near the constructed point', detail: `perturbed points not polished to a critical point (${tried.join('; ')}); nothing to check` });
}

export const critStructure: Claim<CriticalInstance> = defineClaim({
  id: 'crit.structure',
  title: 'Critical points: product U_SU_SᵀΣ_YXΣ_XX⁻¹ and value ½(tr Σ_YY − Σ_{i∈S} λ_i)',
  statement:
    'At any critical point of L = ½‖W_N⋯W_1X − Y‖² with r = rank W_{N:1} there is a unique S ⊂ [d_N], |S| = r, with W_{N:1} = U_SU_SᵀΣ_YXΣ_XX⁻¹ and L = ½(tr Σ_YY − Σ_{i∈S} λ_i); the global minimizers are exactly S = {1..r*}.',
  source: { paper: 'AMG', location: 'recalled structure of critical points (wording unconfirmed); consistent with Baldi–Hornik 1989, Kawaguchi 2016, Zhou–Liang 2018', provenance: 'M' },
  hypotheses: ['Σ_XX = XXᵀ invertible (also run with rank-deficient X in the generalized frame Q̃ = YV_x)', 'distinct eigenvalues λ_i of Σ = Σ_YXΣ_XX⁻¹Σ_XY (spectral gaps ≥ 1.5×)', 'the point is critical: ‖∇L‖ ≤ τ_c (evaluation round-off τ_g plus the point\'s own representation error)'],
  instances: criticalInstanceArb({ depth: [2, 4], width: [1, 4], perturb: true }),
  check: (instance) => {
    if (instance.perturbation === 0) return worstOf(structureVerdicts(instance, instance.point.weights));
    const polished = polishedNeighbour(instance);
    return 'status' in polished ? polished : worstOf(structureVerdicts(instance, polished));
  },
  expected: 'holds',
  tolerance: 'structure residuals ≤ 1e-8 relative (exact points give ~1e-15); value within τ_L = c·n·ε·(κ/2)(‖|W||X|‖ + ‖Y‖)²',
  runs: 150,
  summarize: summarizeCritical,
});

function rotationPair(instance: CriticalInstance) {
  const s = readStructure(instance.frame, instance.point.weights, instance.data);
  return { s, kept: s.smallestKept!, discarded: s.largestDiscarded! };
}

export const critStrictSaddleRotation: Claim<CriticalInstance> = defineClaim({
  id: 'crit.strict-saddle-rotation',
  title: 'S ≠ {1..r}: the two-sided rotation lowers L by κσ_i(σ_j − σ_i) sin²t',
  statement:
    'At a critical point with i ∈ S, j ∉ S, λ_j > λ_i, rotating BOTH ends (W_N ← R_U(t)W_N moving u_i toward u_j, W_1 ← W_1R_V(t)ᵀ moving v_i toward v_j) gives L(t) = L(0) − 2σ_i(σ_j − σ_i) sin²t (whitened, scale "sum"), so d²L/dt² = −4σ_i(σ_j − σ_i) < 0 and the Hessian has a negative eigenvalue.',
  source: { paper: 'AMG', location: 'Lemma R (THEORY §3), derived', provenance: 'D' },
  hypotheses: ['critical point with S ≠ {1..r} (σ_j > σ_i for some i ∈ S, j ∉ S)', 'other scales: L(t) = L(0) − κσ_i(σ_j − σ_i) sin²t'],
  instances: criticalInstanceArb({ depth: [2, 5], width: [1, 4], kinds: ['gap'] }),
  check: (instance) => {
    const { s, kept, discarded } = rotationPair(instance);
    if (!kept || !discarded || !(discarded.sigma > kept.sigma)) {
      return inconclusive({ measured: 0, bound: 0, errorModel: 'precondition not met (an exact comparison of the structure\'s σ): the τ_L, γ and τ_H checks did not run', detail: `no pair i ∈ S, j ∉ S with σ_j > σ_i (S = {${s.S}})` });
    }
    const cert = rotationCertificate(instance.frame, instance.point.weights, instance.data, kept, discarded);
    const spec = hessianSpectrum(instance.point.weights, instance.data, instance.scale);
    return worstOf([
      compare({ measured: cert.curveError, bound: cert.curveTolerance, errorModel: 'τ_L at both ends of the curve', detail: `L(t) = L(0) − κσ_${cert.i}(σ_${cert.j} − σ_${cert.i}) sin²t at t ∈ {0.25, 0.8, π/2}` }),
      compare({ measured: Math.abs(cert.measuredCurvature - cert.predictedCurvature), bound: cert.curvatureTolerance, errorModel: 'γ·(size of the terms of ∇²L[Δ,Δ])', detail: `∇²L[Δ,Δ] along the tangent = ${fmt(cert.measuredCurvature)} vs −2κσ_i(σ_j − σ_i) = ${fmt(cert.predictedCurvature)}` }),
      compare({ measured: spec.lambdaMin, bound: -spec.tolerance, errorModel: `τ_H = γ·‖|H|‖_F = ${fmt(spec.tolerance)}`, detail: `λ_min of the full Hessian (${spec.negative} negative)` }),
    ]);
  },
  expected: 'holds',
  tolerance: 'the curve identity is exact: |L(t) − formula| ≤ τ_L; curvature within γ·(term sizes); λ_min < −τ_H',
  runs: 150,
  summarize: summarizeCritical,
});

export const critStrictSaddleRotationOneSided: Claim<CriticalInstance> = defineClaim({
  ...critStrictSaddleRotation,
  id: 'crit.strict-saddle-rotation.one-sided',
  title: 'FALSE: rotating only the output end lowers L the same way',
  statement:
    'FALSE variant: rotating only W_N (u_i toward u_j) would give L(t) = L(0) − κσ_i(σ_j − σ_i) sin²t. In fact L(t) = L(0) + κσ_i²(1 − cos t): the loss goes up — the classic mistake.',
  source: { paper: 'AMG', location: 'Lemma R (THEORY §3), FALSE one-sided variant, derived', provenance: 'D' },
  check: (instance) => {
    const { kept, discarded } = rotationPair(instance);
    if (!kept || !discarded) return inconclusive({ measured: 0, bound: 0, errorModel: 'precondition not met (no kept and discarded direction): the 1e-10·(|L| + 1) comparison did not run', detail: 'no rotation pair' });
    const l0 = loss(instance.point.weights, instance.data, { scale: instance.scale });
    const kappa = scaleFactor(instance.scale, instance.data.X.cols);
    const t = 0.8;
    const lt = loss(rotationCurve(instance.frame, instance.point.weights, kept, discarded, t, 'output'), instance.data, { scale: instance.scale });
    const claimed = rotationLossFormula(l0, kappa, kept.sigma, discarded.sigma, t, 'both');
    const tol = 1e-10 * (Math.abs(l0) + 1);
    return compare({ measured: Math.abs(lt - claimed), bound: tol, errorModel: '1e-10·(|L| + 1)', detail: `one-sided L(0.8) = ${fmt(lt)} vs claimed ${fmt(claimed)} (actual formula L(0) + κσ_i²(1 − cos t) = ${fmt(rotationLossFormula(l0, kappa, kept.sigma, discarded.sigma, t, 'output'))})` });
  },
  expected: 'counterexample',
  tolerance: '1e-10 relative: the true change κσ_i²(1 − cos t) + κσ_i(σ_j − σ_i)sin²t is of order σ²',
  runs: 30,
});

function originVerdicts(instance: OriginInstance): Verdict[] {
  const { weights, data, scale, widths } = instance;
  const N = widths.length - 1;
  const spec = hessianSpectrum(weights, data, scale);
  if (N >= 3) {
    const H = fullHessian(weights, data, scale);
    const c = classifyPoint(weights, data, { scale });
    return [
      compare({ measured: frobeniusNorm(H.matrix), bound: spec.tolerance, errorModel: `τ_H = ${fmt(spec.tolerance)} (every Hessian term has ≥ 2 zero factors)`, detail: `‖∇²L(0)‖_F for N = ${N}` }),
      holdsWhen(c.class === 'non-strict-saddle' && !!c.probe?.found && c.probe.order === N, { reason: 'classified a non-strict saddle with descent of order N', detail: `classifier: ${c.class}; probe: ${c.probe?.detail ?? 'none'} (expected descent of order N = ${N}: L(tA) − L(0) = −κt^N⟨YXᵀ, A_{N:1}⟩ + O(t^{2N}))` }),
    ];
  }
  const kappa = scaleFactor(scale, data.X.cols);
  const predicted = -kappa * svd(multiply(data.Y, data.X, 'n', 't')).s[0];
  return [
    compare({ measured: Math.abs(spec.lambdaMin - predicted), bound: spec.tolerance + 1e-12 * Math.abs(predicted), errorModel: 'τ_H + 1e-12 relative (eigen-solver)', detail: `N = 2: λ_min(∇²L(0)) = ${fmt(spec.lambdaMin)} vs −κσ_1(YXᵀ) = ${fmt(predicted)}` }),
    negativeCurvature(spec, 'N = 2: the origin is a strict saddle'),
  ];
}

export const critNonstrict: Claim<OriginInstance> = defineClaim({
  id: 'crit.nonstrict',
  title: 'The origin: non-strict saddle for N ≥ 3, strict for N = 2',
  statement:
    'With Σ_YX ≠ 0, the origin is a critical point that is not a local minimum; for N ≥ 3 its Hessian is exactly 0 (a non-strict saddle: descent only at order N), for N = 2 it has the negative eigenvalue −κσ_1(YXᵀ).',
  source: { paper: 'Kawaguchi 2016; AMG', location: 'existence of non-strict saddles for depth ≥ 3 (the N = 2 eigenvalue is derived)', provenance: 'P' },
  hypotheses: ['Σ_YX = YXᵀ ≠ 0', 'any widths; depth 2..5'],
  instances: originInstanceArb({ depth: [2, 5], width: [1, 3] }),
  check: (instance) => worstOf(originVerdicts(instance)),
  expected: 'holds',
  tolerance: '‖H‖ ≤ τ_H (exact zero); λ_min = −κσ_1(YXᵀ) to τ_H + 1e-12 relative; the probe must confirm descent of order N by direct evaluation',
  runs: 80,
  summarize: (i) => ({ widths: i.widths, scale: i.scale }),
});

export const critNonstrictAllStrict: Claim<OriginInstance> = defineClaim({
  ...critNonstrict,
  id: 'crit.nonstrict.all-strict',
  title: 'FALSE: every non-global critical point has negative curvature',
  source: { paper: 'Kawaguchi 2016; AMG', location: 'negation of the existence of non-strict saddles for depth ≥ 3 (the origin of a depth-3 network)', provenance: 'D' },
  statement: 'FALSE variant: every critical point that is not a global minimum has a Hessian with a negative eigenvalue (a strict saddle). The origin of a depth-3 network is a counterexample.',
  check: (instance) => {
    const spec = hessianSpectrum(instance.weights, instance.data, instance.scale);
    return negativeCurvature(spec, `λ_min at the origin, N = ${instance.widths.length - 1}`);
  },
  expected: 'counterexample',
  tolerance: 'λ_min < −τ_H',
  runs: 40,
});

export const critPairRule: Claim<CriticalInstance> = defineClaim({
  id: 'crit.nonstrict.pair-rule',
  title: 'Pair rule: layers h < k with [A] or [B] ⇒ strict saddle',
  statement:
    'At a critical point with S = {1..r}, r < r*, if there are layers h < k with β_{h−1} ≠ 0, α_k ≠ 0 and [A] rank W_{k−1:h+1} > rank W_{k−1:1} or [B] rank W_{N:h+1} < rank W_{k−1:h+1}, the Hessian has a negative eigenvalue; the perturbation Δ_h = s·zwᵀ, Δ_k = s⁻¹·pqᵀ certifies it. (Sufficient; necessity unproven.)',
  source: { paper: 'AMG', location: 'pair rule (THEORY §3), derived; necessity unproven', provenance: 'D' },
  hypotheses: ['critical point with S = {1..r}, r < r* (rank-constrained global minimum of the product)', 'whitened frame (rank-deficient X handled through T = U_ρΣ_ρ)'],
  instances: criticalInstanceArb({ depth: [2, 5], width: [1, 4], kinds: ['top'] }),
  check: (instance) => {
    const { frame, data, point, scale } = instance;
    const rule = evaluatePairRule(frame, point.weights, data);
    const spec = hessianSpectrum(point.weights, data, scale);
    const silent = `rule silent; λ_min = ${fmt(spec.lambdaMin)} (${spec.negative > 0 ? 'strict anyway: the rule is not necessary' : 'non-strict'})`;
    if (!rule.applies) return compare({ measured: 0, bound: 1, errorModel: 'vacuous (the rule does not fire)', detail: silent, data: { ruleApplies: false, strict: spec.negative > 0 } });
    const verdicts = [negativeCurvature(spec, `rule fires at (h=${rule.pairs[0].h}, k=${rule.pairs[0].k}, [${rule.pairs[0].condition}]); λ_min must be < −τ_H`, { ruleApplies: true, strict: spec.negative > 0 })];
    if (rule.certificate) {
      const c = rule.certificate;
      verdicts.push(compare({ measured: c.measured, bound: -c.tolerance, errorModel: 'γ·(term sizes of ∇²L[Δ,Δ])', detail: `pair certificate h = ${c.h}, k = ${c.k} [${c.condition}]: ∇²L[Δ,Δ] = ${fmt(c.measured)} (predicted −(3/2)κcg = ${fmt(c.predicted)})` }));
    }
    return worstOf(verdicts);
  },
  expected: 'holds',
  tolerance: 'λ_min < −τ_H, τ_H = γ·‖|H|‖_F; the certificate direction must give ∇²L[Δ,Δ] < −γ·(term sizes)',
  runs: 250,
  summarize: summarizeCritical,
});

export const critKawaguchiSaddle: Claim<CriticalInstance> = defineClaim({
  id: 'crit.kawaguchi-saddle',
  title: 'Saddles with rank(W_{N−1}⋯W_2) = min(d_1..d_{N−1}) have negative curvature',
  statement: 'At a critical point that is not a global minimum and where the middle product W_{N−1}⋯W_2 has full rank min(d_1, …, d_{N−1}), the Hessian has a negative eigenvalue.',
  source: { paper: 'Kawaguchi 2016', location: 'recalled statement about saddles with full-rank middle layers (wording unconfirmed)', provenance: 'M' },
  hypotheses: ['N ≥ 3, equal hidden widths d, middle layers invertible (Kawaguchi-type chain)', 'S with |S| < d, not a global minimum'],
  instances: criticalInstanceArb({ depth: [3, 5], width: [1, 4], kinds: ['top', 'gap'], kawaguchi: true }),
  check: (instance) => {
    const { point, data, scale } = instance;
    if (point.kind === 'global') return compare({ measured: 0, bound: 1, errorModel: 'vacuous', detail: 'a global minimum (the statement is about saddles)' });
    const spec = hessianSpectrum(point.weights, data, scale);
    return negativeCurvature(spec, `λ_min with middle ranks ${point.layerRanks.slice(1, -1)} (S = {${point.S}})`);
  },
  expected: 'holds',
  tolerance: 'λ_min < −τ_H',
  runs: 120,
  summarize: summarizeCritical,
});

interface DescentInstance {
  readonly widths: number[];
  readonly inputs: InputKind;
  readonly scale: LossScale;
  readonly data: { X: Matrix; Y: Matrix };
  readonly start: Matrix[];
}

const descentArb: fc.Arbitrary<DescentInstance> = seeded(
  fc.tuple(widthsArb({ depth: [2, 4], width: [1, 4] }), fc.constantFrom<InputKind>('whitened', 'conditioned', 'deficient'), fc.constantFrom<LossScale>('half', 'sum', 'mean'), dimension(0, 3)),
  ([raw, inputs, scale, extra], rng) => {
    const widths = [...raw];
    if (inputs === 'deficient') widths[0] = Math.max(2, widths[0]);
    const N = widths.length - 1;
    const data = landscapeData(rng, { d0: widths[0], dN: widths[N], inputs, samples: widths[0] + extra });
    const start = widths.slice(1).map((r, j) => gaussianMatrix(rng, r, widths[j], 1 / Math.sqrt(widths[j])));
    return { widths, inputs, scale, data, start };
  },
);

function descentVerdict(instance: DescentInstance, start: Matrix[]): Verdict {
  const target = globalValue(buildFrame(instance.data, instance.scale), instance.widths);
  return globalDescentVerdict(start, instance.data, target, { scale: instance.scale, targetLabel: 'the closed-form global value' });
}

export const critNoBadLocalMin: Claim<DescentInstance> = defineClaim({
  id: 'crit.no-bad-local-min',
  title: 'Every local minimum is global: descent from random starts reaches the closed-form value',
  statement: 'For the square loss every local minimum of L(W_1..W_N) is global, for any widths; so monotone local descent from a random start ends at the global value κ(offset + ½Σ_{i>r_max}σ_i²).',
  // The instances include bottleneck widths and rank-deficient XXᵀ, outside both papers' hypotheses: [M].
  source: {
    paper: 'Kawaguchi 2016; Laurent–von Brecht 2018; Lu–Kawaguchi 2017',
    location:
      'any widths, any data (square loss): recalled from Lu–Kawaguchi 2017, not read. Kawaguchi 2016 assumes XXᵀ and XYᵀ of full rank, d_N ≤ d_0 and ' +
      'distinct eigenvalues of YXᵀ(XXᵀ)⁻¹XYᵀ (recalled); Laurent–von Brecht 2018 (abstract, read) assume a convex differentiable loss and every hidden ' +
      'layer at least as wide as the input or at least as wide as the output',
    provenance: 'M',
  },
  hypotheses: [
    'square loss; widths 1..4 with bottlenecks allowed and X whitened, conditioned or rank-deficient (beyond Kawaguchi\'s and Laurent–von Brecht\'s hypotheses)',
    'random Gaussian initialization (saddles attract only a measure-zero set of starts)',
    'monotone descent: trust-region Newton with the exact Hessian; an endpoint refutes only if certified a local minimum (critical to τ_c, λ_min ≥ −τ_H, no higher-order descent curve), else inconclusive',
  ],
  instances: descentArb,
  check: (instance) => descentVerdict(instance, instance.start),
  expected: 'holds',
  tolerance: '|L_end − L*| ≤ 1e-7·(1 + |L*|); a refutation needs a certified local minimum above that (see src/landscape/global-descent.ts)',
  runs: 120,
  summarize: (i) => ({ widths: i.widths, inputs: i.inputs, scale: i.scale }),
});

export const landscapeClaims: Claim<any>[] = [
  critStructure,
  critStrictSaddleRotation,
  critStrictSaddleRotationOneSided,
  critNonstrict,
  critNonstrictAllStrict,
  critPairRule,
  critKawaguchiSaddle,
  critNoBadLocalMin,
];
