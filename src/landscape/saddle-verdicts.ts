import { compare, holdsWhen, inconclusive, type Verdict, worstOf } from '../check/verdict.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { multiply } from '../linalg/products.js';
import { svd } from '../linalg/svd.js';
import { loss, scaleFactor } from '../model/loss.js';
import { classifyPoint } from './classify.js';
import { productRank } from './deep-openness.js';
import { fullHessian, type HessianSpectrum, hessianSpectrum } from './hessian.js';
import type { CriticalInstance, OriginInstance } from './instances.js';
import { evaluatePairRule } from './pair-rule.js';
import { rotationCertificate, rotationCurve, rotationLossFormula } from './rotation.js';
import { readStructure } from './structure.js';

/**
 * Verdicts about saddles of L = (κ/2)‖W_N⋯W_1X − Y‖² (crit.strict-saddle-rotation, crit.nonstrict,
 * crit.nonstrict.pair-rule, crit.kawaguchi-saddle, nr.two-layer-degenerate): exact curves, Hessian spectra against
 * their round-off τ_H, and the classifier's probe.
 */

/** λ_min(∇²L) < −τ_H: the Hessian has a negative eigenvalue beyond its round-off τ_H. */
export function negativeCurvature(spec: HessianSpectrum, detail: string, data?: Record<string, unknown>): Verdict {
  return compare({
    measured: spec.lambdaMin,
    bound: -spec.tolerance,
    errorModel: `τ_H = ${sci(spec.tolerance)}`,
    detail,
    data,
  });
}

function rotationPair(instance: CriticalInstance) {
  const s = readStructure(instance.frame, instance.point.weights, instance.data);
  return { s, kept: s.smallestKept!, discarded: s.largestDiscarded! };
}

/**
 * The two-sided rotation of a kept direction i toward a discarded j with σ_j > σ_i: the exact curve
 * L(t) = L(0) − κσ_i(σ_j − σ_i) sin²t, its curvature −2κσ_i(σ_j − σ_i), and λ_min of the full Hessian < −τ_H.
 */
export function rotationVerdict(instance: CriticalInstance): Verdict {
  const { s, kept, discarded } = rotationPair(instance);
  if (!kept || !discarded || !(discarded.sigma > kept.sigma)) {
    return inconclusive({
      measured: 0,
      bound: 0,
      errorModel:
        "precondition not met (an exact comparison of the structure's σ): the τ_L, γ and τ_H checks did not run",
      detail: `no pair i ∈ S, j ∉ S with σ_j > σ_i (S = {${s.S}})`,
    });
  }
  const cert = rotationCertificate(instance.frame, instance.point.weights, instance.data, kept, discarded);
  const spec = hessianSpectrum(instance.point.weights, instance.data, instance.scale);
  return worstOf([
    compare({
      measured: cert.curveError,
      bound: cert.curveTolerance,
      errorModel: 'τ_L at both ends of the curve',
      detail: `L(t) = L(0) − κσ_${cert.i}(σ_${cert.j} − σ_${cert.i}) sin²t at t ∈ {0.25, 0.8, π/2}`,
    }),
    compare({
      measured: Math.abs(cert.measuredCurvature - cert.predictedCurvature),
      bound: cert.curvatureTolerance,
      errorModel: 'γ·(size of the terms of ∇²L[Δ,Δ])',
      detail:
        `∇²L[Δ,Δ] along the tangent = ${sci(cert.measuredCurvature)} vs −2κσ_i(σ_j − σ_i) = ` +
        `${sci(cert.predictedCurvature)}`,
    }),
    compare({
      measured: spec.lambdaMin,
      bound: -spec.tolerance,
      errorModel: `τ_H = γ·‖|H|‖_F = ${sci(spec.tolerance)}`,
      detail: `λ_min of the full Hessian (${spec.negative} negative)`,
    }),
  ]);
}

/** The claimed two-sided formula held against the output-only rotation at t = 0.8 (to 1e-10·(|L| + 1)). */
export function oneSidedRotationVerdict(instance: CriticalInstance): Verdict {
  const { kept, discarded } = rotationPair(instance);
  if (!kept || !discarded)
    return inconclusive({
      measured: 0,
      bound: 0,
      errorModel: 'precondition not met (no kept and discarded direction): the 1e-10·(|L| + 1) comparison did not run',
      detail: 'no rotation pair',
    });
  const l0 = loss(instance.point.weights, instance.data, { scale: instance.scale });
  const kappa = scaleFactor(instance.scale, instance.data.X.cols);
  const t = 0.8;
  const lt = loss(rotationCurve(instance.frame, instance.point.weights, kept, discarded, t, 'output'), instance.data, {
    scale: instance.scale,
  });
  const claimed = rotationLossFormula(l0, kappa, kept.sigma, discarded.sigma, t, 'both');
  const tol = 1e-10 * (Math.abs(l0) + 1);
  return compare({
    measured: Math.abs(lt - claimed),
    bound: tol,
    errorModel: '1e-10·(|L| + 1)',
    detail:
      `one-sided L(0.8) = ${sci(lt)} vs claimed ${sci(claimed)} (actual formula L(0) + κσ_i²(1 − cos t) = ` +
      `${sci(rotationLossFormula(l0, kappa, kept.sigma, discarded.sigma, t, 'output'))})`,
  });
}

/**
 * The origin: for N ≥ 3 the Hessian is exactly 0 and the classifier finds descent of order N (a non-strict
 * saddle); for N = 2, λ_min(∇²L(0)) = −κσ_1(YXᵀ) < −τ_H.
 */
export function originVerdicts(instance: OriginInstance): Verdict[] {
  const { weights, data, scale, widths } = instance;
  const N = widths.length - 1;
  const spec = hessianSpectrum(weights, data, scale);
  if (N >= 3) {
    const H = fullHessian(weights, data, scale);
    const c = classifyPoint(weights, data, { scale });
    return [
      compare({
        measured: frobeniusNorm(H.matrix),
        bound: spec.tolerance,
        errorModel: `τ_H = ${sci(spec.tolerance)} (every Hessian term has ≥ 2 zero factors)`,
        detail: `‖∇²L(0)‖_F for N = ${N}`,
      }),
      holdsWhen(c.class === 'non-strict-saddle' && !!c.probe?.found && c.probe.order === N, {
        reason: 'classified a non-strict saddle with descent of order N',
        detail:
          `classifier: ${c.class}; probe: ${c.probe?.detail ?? 'none'} (expected descent of order N = ${N}: L(tA) − ` +
          `L(0) = −κt^N⟨YXᵀ, A_{N:1}⟩ + O(t^{2N}))`,
      }),
    ];
  }
  const kappa = scaleFactor(scale, data.X.cols);
  const predicted = -kappa * svd(multiply(data.Y, data.X, 'n', 't')).s[0];
  return [
    compare({
      measured: Math.abs(spec.lambdaMin - predicted),
      bound: spec.tolerance + 1e-12 * Math.abs(predicted),
      errorModel: 'τ_H + 1e-12 relative (eigen-solver)',
      detail: `N = 2: λ_min(∇²L(0)) = ${sci(spec.lambdaMin)} vs −κσ_1(YXᵀ) = ${sci(predicted)}`,
    }),
    negativeCurvature(spec, 'N = 2: the origin is a strict saddle'),
  ];
}

/**
 * The pair rule at S = {1..r}: when it fires, λ_min < −τ_H and its certificate direction has ∇²L[Δ,Δ] below
 * −γ·(term sizes); when silent the verdict is vacuous (with whether the point is strict anyway, for the record).
 */
export function pairRuleVerdict(instance: CriticalInstance): Verdict {
  const { frame, data, point, scale } = instance;
  const rule = evaluatePairRule(frame, point.weights, data);
  const spec = hessianSpectrum(point.weights, data, scale);
  const strictness = spec.negative > 0 ? 'strict anyway: the rule is not necessary' : 'non-strict';
  const silent = `rule silent; λ_min = ${sci(spec.lambdaMin)} (${strictness})`;
  if (!rule.applies)
    return compare({
      measured: 0,
      bound: 1,
      errorModel: 'vacuous (the rule does not fire)',
      detail: silent,
      data: { ruleApplies: false, strict: spec.negative > 0 },
    });
  const verdicts = [
    negativeCurvature(
      spec,
      `rule fires at (h=${rule.pairs[0].h}, k=${rule.pairs[0].k}, [${rule.pairs[0].condition}]); λ_min must be < −τ_H`,
      { ruleApplies: true, strict: spec.negative > 0 },
    ),
  ];
  if (rule.certificate) {
    const c = rule.certificate;
    verdicts.push(
      compare({
        measured: c.measured,
        bound: -c.tolerance,
        errorModel: 'γ·(term sizes of ∇²L[Δ,Δ])',
        detail:
          `pair certificate h = ${c.h}, k = ${c.k} [${c.condition}]: ∇²L[Δ,Δ] = ${sci(c.measured)} (predicted ` +
          `−(3/2)κcg = ${sci(c.predicted)})`,
      }),
    );
  }
  return worstOf(verdicts);
}

/** Kawaguchi-type saddles (full-rank middle layers, not a global minimum): λ_min < −τ_H; vacuous at a global min. */
export function kawaguchiSaddleVerdict(instance: CriticalInstance): Verdict {
  const { point, data, scale } = instance;
  if (point.kind === 'global')
    return compare({
      measured: 0,
      bound: 1,
      errorModel: 'vacuous',
      detail: 'a global minimum (the statement is about saddles)',
    });
  const spec = hessianSpectrum(point.weights, data, scale);
  return negativeCurvature(spec, `λ_min with middle ranks ${point.layerRanks.slice(1, -1)} (S = {${point.S}})`);
}

/** A critical value this many τ_L above the global value is clearly not global (between: inconclusive). */
export const CLEARLY_ABOVE = 100;

/** L − L* against τ_L at a constructed critical point, with a one-line description of where. */
function globalGap(instance: CriticalInstance): { gap: number; tauL: number; where: string } {
  const { frame, data, point } = instance;
  const s = readStructure(frame, point.weights, data);
  const gap = s.value.measured - s.globalValue;
  return {
    gap,
    tauL: s.value.tolerance,
    where: `N = ${instance.widths.length - 1}, S = {${point.S}}, L − L* = ${sci(gap)}`,
  };
}

/** |L − L*| ≤ τ_L: a global minimum (undefined when it is not). */
function globalMinimum({ gap, tauL, where }: ReturnType<typeof globalGap>): Verdict | undefined {
  if (Math.abs(gap) > tauL) return undefined;
  return compare({
    measured: Math.abs(gap),
    bound: tauL,
    errorModel: `τ_L = ${sci(tauL)}`,
    detail: `${where}: a global minimum (L = L* to τ_L)`,
  });
}

/** τ_L < L − L* ≤ CLEARLY_ABOVE·τ_L: neither clearly global nor clearly above (undefined otherwise). */
function inBetween({ gap, tauL, where }: ReturnType<typeof globalGap>): Verdict | undefined {
  if (gap > CLEARLY_ABOVE * tauL) return undefined;
  return inconclusive({
    measured: gap,
    bound: CLEARLY_ABOVE * tauL,
    errorModel: `τ_L = ${sci(tauL)}: L − L* in (τ_L, ${CLEARLY_ABOVE}τ_L] is neither clearly global nor clearly above`,
    detail: `${where}: nothing refuted`,
  });
}

/**
 * "Every critical point is a global minimum or a strict saddle": global when |L − L*| ≤ τ_L (L* the closed-form
 * global value); clearly not global (L − L* > CLEARLY_ABOVE·τ_L) requires λ_min < −τ_H; in between nothing is
 * refuted.
 */
export function globalOrStrictVerdict(instance: CriticalInstance): Verdict {
  const g = globalGap(instance);
  const settled = globalMinimum(g) ?? inBetween(g);
  if (settled) return settled;
  const spec = hessianSpectrum(instance.point.weights, instance.data, instance.scale);
  const eigenvalues = `${spec.negative} negative, ${spec.zero} zero eigenvalues`;
  return negativeCurvature(
    spec,
    `${g.where} > ${CLEARLY_ABOVE}τ_L (not global): λ_min must be < −τ_H (${eigenvalues})`,
  );
}

/** Lemma 8's precondition: rank W_{N:1} = min_i d_i (inconclusive when not met, undefined when met). */
function degenerate(instance: CriticalInstance): Verdict | undefined {
  const p = productRank(instance.point.weights);
  if (p.nonDegenerate) return undefined;
  return inconclusive({
    measured: p.rank,
    bound: p.narrowest,
    errorModel: 'precondition: non-degenerate (rank cut 1e-9·‖|W_N|⋯|W_1|‖_F) not met; no value was compared',
    detail: `rank W_{N:1} = ${p.rank} < min_i d_i = ${p.narrowest}: degenerate, outside Lemma 8`,
  });
}

/**
 * NR 2018 Lemma 8: a non-degenerate critical point is a global minimum or a saddle (not a local minimum). Not
 * global (L − L* > CLEARLY_ABOVE·τ_L) needs a certificate: λ_min < −τ_H, or else a descent curve from the
 * classifier's higher-order probe (the classifier's fallback, the theorem that local minima are global, is not
 * accepted: it is what is being checked).
 */
export function globalOrSaddleVerdict(instance: CriticalInstance): Verdict {
  const strict = degenerate(instance) ?? globalOrStrictVerdict(instance);
  if (strict.status !== 'fail') return strict;
  const c = classifyPoint(instance.point.weights, instance.data, { scale: instance.scale, seed: instance.seed });
  if (c.class === 'non-strict-saddle' && c.probe?.found)
    return holdsWhen(true, { reason: 'a descent curve', detail: `not a local minimum: ${c.probe.detail}` });
  return strict;
}

/** The FALSE neighbour of Lemma 8: every non-degenerate critical point is a global minimum (|L − L*| ≤ τ_L). */
export function globalOnlyVerdict(instance: CriticalInstance): Verdict {
  const g = globalGap(instance);
  const settled = degenerate(instance) ?? globalMinimum(g) ?? inBetween(g);
  if (settled) return settled;
  return compare({
    measured: g.gap,
    bound: g.tauL,
    errorModel: `τ_L = ${sci(g.tauL)}`,
    detail: `${g.where} > ${CLEARLY_ABOVE}τ_L: a non-degenerate critical point that is not a global minimum`,
  });
}
