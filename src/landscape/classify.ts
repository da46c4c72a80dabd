import { DomainError, OverflowError } from '../errors.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { layerGradients } from '../model/gradients.js';
import { type Data, type LossScale, loss, scaleFactor, validateData } from '../model/loss.js';
import { type Weights, widthsOf } from '../model/network.js';
import { Rng } from '../random/rng.js';
import { newtonPolish } from './descent.js';
import { buildFrame, type Frame } from './frame.js';
import { type HessianSpectrum, hessianSpectrum, MAX_HESSIAN_SIZE, parameterOffsets } from './hessian.js';
import { evaluatePairRule, type PairRuleResult } from './pair-rule.js';
import { higherOrderProbe, type ProbeResult } from './probe.js';
import { type RotationCertificate, rotationCertificate } from './rotation.js';
import { readStructure, type StructureReport } from './structure.js';
import { gradientTolerance, lossTolerance } from './tolerances.js';

/**
 * The landscape classifier (THEORY §3's recipe). For any parameter point it reports first-order criticality
 * (‖∇L‖ against a round-off model), the index set S and the critical value against the closed form, and a
 * class with a certificate:
 *   global-minimum     L equals the global value κ(offset + ½Σ_{i>r_max}σ_i²) (S = {1..r*});
 *   strict-saddle      S ≠ {1..r}: the two-sided rotation certificate (exact curve, curvature −2κσ_i(σ_j − σ_i));
 *                      otherwise the Hessian's λ_min < −τ_H (with the pair rule's layers and vectors when it applies);
 *   non-strict-saddle  S = {1..r}, r < r*, λ_min ≥ −τ_H: a descent curve from the higher-order probe, or else the
 *                      theorem that every local minimum of the square loss is global;
 *   not-critical       ‖∇L‖ > τ_g (a descent direction is −∇L);
 *   undetermined       the evidence disagrees (reported in `mismatches`).
 * Every cross-check between independent pieces of evidence (rotation vs λ_min, pair rule vs λ_min, value vs closed
 * form, non-strict ⇒ S = {1..r} with r < r_max) is listed in `checks`; a failed one is a mismatch and is never
 * hidden.
 */
export type PointClass = 'global-minimum' | 'strict-saddle' | 'non-strict-saddle' | 'not-critical' | 'undetermined';

export const POINT_CLASSES: readonly PointClass[] = [
  'global-minimum',
  'strict-saddle',
  'non-strict-saddle',
  'not-critical',
  'undetermined',
];

export interface ReportedValues {
  /** The loss the user's code reports at this point (checked against L under the stated scale). */
  readonly loss?: number;
  /** The class the user expects ('local-minimum' is accepted and compared with 'global-minimum'). */
  readonly class?: string;
}

export interface ClassifyOptions {
  readonly scale?: LossScale;
  /** Skip the Hessian (and the probe) even when small enough. */
  readonly hessian?: boolean;
  readonly probe?: boolean;
  readonly seed?: number;
  readonly maxHessianSize?: number;
  readonly reported?: ReportedValues;
  /**
   * For points from training runs that stopped at ‖∇L‖ ~ 1e-8 (default: none). When τ_g < ‖∇L‖ ≤ this, Newton's
   * method on ∇L = 0 (exact Hessian, min-norm steps) looks for the nearby exact critical point; if it converges,
   * THAT point is classified (with every exact check) and reported with its distance; otherwise 'undetermined'.
   */
  readonly gradientTolerance?: number;
  /** Told what is being computed next (for a progress line: a large point takes minutes). */
  readonly onStage?: (stage: string) => void;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Classification {
  readonly class: PointClass;
  /** One line: why this class. */
  readonly certificate: string;
  readonly scale: LossScale;
  readonly kappa: number;
  readonly widths: number[];
  readonly parameters: number;
  readonly loss: number;
  readonly gradient: {
    readonly norm: number;
    /** τ_g, the round-off bound. */
    readonly tolerance: number;
    readonly critical: boolean;
    readonly userTolerance?: number;
    readonly perLayer: number[];
  };
  readonly frame: {
    readonly rank: number;
    readonly invertible: boolean;
    readonly conditionNumber: number;
    readonly rankQ: number;
    readonly sigma: number[];
  };
  readonly structure?: StructureReport;
  readonly rotation?: RotationCertificate;
  readonly pairRule?: PairRuleResult;
  readonly hessian?: Omit<HessianSpectrum, 'hessian' | 'vectors' | 'values'> & { readonly size: number };
  readonly probe?: ProbeResult;
  /** Set when the point was only approximately critical and the nearby critical point was classified instead. */
  readonly nearby?: {
    readonly distance: number;
    readonly relativeDistance: number;
    readonly iterations: number;
    readonly gradientNorm: number;
    readonly weights: Matrix[];
  };
  readonly checks: Check[];
  readonly mismatches: string[];
  readonly reported: Check[];
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toExponential(3) : String(x));

function setText(S: readonly number[]): string {
  return `{${S.join(', ')}}`;
}

export function classifyPoint(weights: Weights, data: Data, options: ClassifyOptions = {}): Classification {
  const widths = widthsOf(weights);
  validateData(data, widths[0], widths[widths.length - 1]);
  const scale = options.scale ?? 'half';
  const kappa = scaleFactor(scale, data.X.cols);
  options.onStage?.('data frame (SVD of XXᵀ and Q)');
  const frame: Frame = buildFrame(data, scale);
  options.onStage?.('loss and gradient');
  const L = loss(weights, data, { scale });
  const grads = layerGradients(weights, data, { scale });
  const perLayer = grads.map((g) => frobeniusNorm(g));
  const gnorm = Math.hypot(...perLayer);
  const gtol = gradientTolerance(weights, data, scale);
  // Finite entries can still overflow on the way (W_N⋯W_1X at 1e308 is ∞, ∞ − ∞ is NaN): a NaN loss must not be
  // classified as anything.
  if (!Number.isFinite(L) || !Number.isFinite(gnorm) || !Number.isFinite(gtol)) {
    throw new OverflowError(
      'weights',
      `L = ${L}, ‖∇L‖ = ${gnorm}, τ_g = ${gtol}: the loss or its gradient overflows float64 at this point (entries up to ${largestEntry(weights).toExponential(2)}); rescale the weights and data`,
    );
  }
  const userTol = options.gradientTolerance;
  if (userTol !== undefined && !(userTol >= 0 && Number.isFinite(userTol)))
    throw new DomainError('gradientTolerance', `must be a finite number ≥ 0, received ${userTol}`);
  const critical = gnorm <= gtol;
  if (!critical && userTol !== undefined && gnorm <= userTol)
    return classifyNearby(weights, data, options, gnorm, gtol, userTol);
  const parameters = parameterOffsets(weights)[weights.length];
  const checks: Check[] = [];
  const base = {
    scale,
    kappa,
    widths,
    parameters,
    loss: L,
    gradient: {
      norm: gnorm,
      tolerance: gtol,
      critical,
      ...(userTol !== undefined ? { userTolerance: userTol } : {}),
      perLayer,
    },
    frame: {
      rank: frame.rank,
      invertible: frame.invertible,
      conditionNumber: frame.conditionNumber,
      rankQ: frame.rankQ,
      sigma: Array.from(frame.sigma),
    },
  };
  const finish = (cls: PointClass, certificate: string, extra: Partial<Classification>): Classification => {
    const result = {
      ...base,
      ...extra,
      class: cls,
      certificate,
      checks,
      mismatches: checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`),
    } as Classification;
    return { ...result, reported: reportedChecks(result, weights, data, options.reported) };
  };
  if (!critical) {
    return finish(
      'not-critical',
      `‖∇L‖ = ${f3(gnorm)} > τ_g = ${f3(gtol)} (${f3(gnorm / gtol)}× the round-off bound): −∇L is a descent direction (dL = −‖∇L‖² = ${f3(-gnorm * gnorm)})`,
      {},
    );
  }
  options.onStage?.('critical-point structure');
  const structure = readStructure(frame, weights, data);
  checks.push({
    name: 'structure',
    ok: structure.consistent,
    detail: `W_{N:1}T = U_SU_SᵀQ̃ up to ${f3(structure.productResidual)}, σ(P̃) ∪ σ(R) = σ(Q̃) up to ${f3(structure.matchError)} (tolerance ${f3(structure.tolerance)})`,
  });
  if (structure.consistent) {
    checks.push({
      name: 'critical value',
      ok: structure.value.difference <= structure.value.tolerance,
      detail: `L = ${f3(structure.value.measured)} vs κ·½(tr Σ_YY − Σ_{i∈S}λ_i) = ${f3(structure.value.closedForm)}: |diff| = ${f3(structure.value.difference)} ≤ τ_L = ${f3(structure.value.tolerance)}`,
    });
  }
  options.onStage?.('pair rule');
  const pairRule = weights.length >= 2 ? evaluatePairRule(frame, weights, data) : undefined;
  const wantHessian = options.hessian !== false && parameters <= (options.maxHessianSize ?? MAX_HESSIAN_SIZE);
  if (wantHessian) options.onStage?.(`Hessian (${parameters} parameters)`);
  const spectrum = wantHessian
    ? hessianSpectrum(weights, data, scale, options.maxHessianSize ?? MAX_HESSIAN_SIZE)
    : undefined;
  const hessian = spectrum
    ? (({ hessian: h, vectors: _v, values: _w, ...rest }) => ({ ...rest, size: h.size }))(spectrum)
    : undefined;
  const strictByHessian = spectrum ? spectrum.negative > 0 : undefined;
  const extra: Partial<Classification> = {
    structure,
    ...(pairRule ? { pairRule } : {}),
    ...(hessian ? { hessian } : {}),
  };
  const hText = spectrum
    ? `λ_min = ${f3(spectrum.lambdaMin)} (τ_H = ${f3(spectrum.tolerance)})`
    : 'Hessian not computed';
  if (pairRule?.ambiguous && pairRule.applies) {
    checks.push({
      name: 'pair rule',
      ok: true,
      detail:
        'not used: some partial-product rank is numerically ambiguous (a singular value within 1e4× of the 1e-9 cut)',
    });
  }
  const ruleUsable = !!pairRule && !pairRule.ambiguous;
  if (ruleUsable && pairRule?.certificate) {
    checks.push({
      name: 'pair-rule certificate',
      ok: pairRule.certificate.holds,
      detail: `layers h = ${pairRule.certificate.h}, k = ${pairRule.certificate.k} [${pairRule.certificate.condition}]: ∇²L[Δ,Δ] = ${f3(pairRule.certificate.measured)} (predicted ${f3(pairRule.certificate.predicted)}, tolerance ${f3(pairRule.certificate.tolerance)})`,
    });
  }
  // Global minimum.
  if (structure.global) {
    if (spectrum) checks.push({ name: 'global ⇒ PSD Hessian', ok: !strictByHessian, detail: hText });
    if (ruleUsable && pairRule)
      checks.push({
        name: 'global ⇒ pair rule silent',
        ok: !pairRule.applies,
        detail: pairRule.applies
          ? `the rule fires at ${pairRule.pairs.map((p) => `(h=${p.h},k=${p.k},${p.condition})`).join(' ')}`
          : 'silent',
      });
    if (structure.consistent && !structure.ties)
      checks.push({
        name: 'global ⇒ S = {1..r*}',
        ok: structure.topR && structure.rank === structure.rStar,
        detail: `S = ${setText(structure.S)}, r* = ${structure.rStar}`,
      });
    return finish(
      'global-minimum',
      `L = ${f3(L)} equals the global value κ(offset + ½Σ_{i>r_max}σ_i²) = ${f3(structure.globalValue)} (r_max = ${structure.rMax}; S = ${setText(structure.S)})`,
      extra,
    );
  }
  const kept = structure.smallestKept,
    discarded = structure.largestDiscarded;
  if (structure.consistent && kept && discarded && discarded.sigma > kept.sigma * (1 + 1e-8)) {
    const rotation = rotationCertificate(frame, weights, data, kept, discarded);
    checks.push({
      name: 'rotation certificate',
      ok: rotation.holds,
      detail: `L(t) vs L(0) − κσ_i(σ_j − σ_i)sin²t: ${f3(rotation.curveError)} ≤ ${f3(rotation.curveTolerance)}; curvature ${f3(rotation.measuredCurvature)} vs ${f3(rotation.predictedCurvature)}`,
    });
    if (spectrum) checks.push({ name: 'rotation ⇒ λ_min < 0', ok: !!strictByHessian, detail: hText });
    return finish(
      'strict-saddle',
      `S = ${setText(structure.S)} ≠ {1..${structure.rank}}: rotating u_${rotation.i}→u_${rotation.j} and v_${rotation.i}→v_${rotation.j} at both ends gives L(t) = L(0) − κσ_${rotation.i}(σ_${rotation.j} − σ_${rotation.i})sin²t, curvature ${f3(rotation.predictedCurvature)} (${hText})`,
      { ...extra, rotation },
    );
  }
  if (!spectrum) {
    if (ruleUsable && pairRule?.certificate?.holds) {
      return finish(
        'strict-saddle',
        `pair rule (h = ${pairRule.certificate.h}, k = ${pairRule.certificate.k}, [${pairRule.certificate.condition}]): ∇²L[Δ,Δ] = ${f3(pairRule.certificate.measured)} < 0`,
        extra,
      );
    }
    return finish(
      'undetermined',
      `critical, S = ${setText(structure.S)} = {1..r} with r = ${structure.rank} < r* = ${structure.rStar}, but the Hessian (${parameters} parameters) was not computed`,
      extra,
    );
  }
  if (ruleUsable && pairRule?.applies)
    checks.push({
      name: 'pair rule ⇒ λ_min < 0',
      ok: !!strictByHessian,
      detail: `rule fires at ${pairRule.pairs
        .slice(0, 3)
        .map((p) => `(h=${p.h},k=${p.k},${p.condition})`)
        .join(' ')}; ${hText}`,
    });
  if (strictByHessian) {
    const pr = !ruleUsable
      ? '; pair rule numerically ambiguous here'
      : pairRule?.certificate?.holds
        ? `; pair rule: layers h = ${pairRule.certificate.h}, k = ${pairRule.certificate.k} [${pairRule.certificate.condition}], ∇²L[Δ,Δ] = ${f3(pairRule.certificate.measured)}`
        : pairRule?.applies
          ? '; pair rule applies (no explicit pair vector)'
          : '; pair rule silent';
    if (!structure.consistent)
      return finish(
        'undetermined',
        `negative curvature (${hText}) at a critical point without THEORY's structure`,
        extra,
      );
    return finish(
      'strict-saddle',
      `negative curvature: ${hText}, ${spectrum.negative} negative eigenvalue(s)${pr}`,
      extra,
    );
  }
  // Positive semidefinite Hessian, not a global minimum.
  checks.push({
    name: 'non-strict ⇒ S = {1..r}, r < r_max',
    ok: structure.consistent && structure.topR && structure.rank < structure.rMax,
    detail: `S = ${setText(structure.S)}, r = ${structure.rank}, r_max = ${structure.rMax}`,
  });
  if (options.probe !== false) options.onStage?.('higher-order probe');
  const probe =
    options.probe === false
      ? undefined
      : higherOrderProbe(weights, data, scale, spectrum, { rng: new Rng(options.seed ?? 1) });
  const withProbe = { ...extra, ...(probe ? { probe } : {}) };
  if (!structure.consistent)
    return finish('undetermined', `critical with PSD Hessian (${hText}) but without THEORY's structure`, withProbe);
  const why = probe?.found
    ? `not a local minimum: ${probe.detail}`
    : `not a local minimum because L = ${f3(L)} exceeds the global value ${f3(structure.globalValue)} and every local minimum of the square loss is global ([P] Kawaguchi 2016; Laurent–von Brecht 2018)${probe ? ` (probe: ${probe.detail})` : ''}`;
  return finish('non-strict-saddle', `Hessian PSD (${hText}, ${spectrum.zero} zero eigenvalues); ${why}`, withProbe);
}

const ALL_SCALES: LossScale[] = ['half', 'sum', 'mean'];

/** Newton-polish an approximately critical point and classify the exact critical point it reaches. */
function classifyNearby(
  weights: Weights,
  data: Data,
  options: ClassifyOptions,
  gnorm: number,
  gtol: number,
  userTol: number,
): Classification {
  options.onStage?.('Newton on ∇L = 0 toward the nearby critical point');
  const polished = newtonPolish(weights, data, { scale: options.scale ?? 'half' });
  let dist = 0,
    size = 0;
  weights.forEach((w, j) => {
    for (let i = 0; i < w.data.length; i++) {
      dist += (polished.weights[j].data[i] - w.data[i]) ** 2;
      size += w.data[i] ** 2;
    }
  });
  const distance = Math.sqrt(dist),
    relativeDistance = distance / Math.max(Math.sqrt(size), Number.MIN_VALUE);
  const head = `‖∇L‖ = ${f3(gnorm)} ≤ ${f3(userTol)} (--grad-tol) but > τ_g = ${f3(gtol)}`;
  const { gradientTolerance: _drop, ...rest } = options;
  if (!polished.converged) {
    const inner = classifyPoint(weights, data, rest);
    return {
      ...inner,
      class: 'undetermined',
      certificate: `${head}: Newton on ∇L = 0 did not reach a critical point (‖∇L‖ = ${f3(polished.gradientNorm)} after ${polished.iterations} steps)`,
      gradient: { ...inner.gradient, userTolerance: userTol },
    };
  }
  const exact = classifyPoint(polished.weights, data, rest);
  const nearby = {
    distance,
    relativeDistance,
    iterations: polished.iterations,
    gradientNorm: polished.gradientNorm,
    weights: polished.weights,
  };
  // Report the user's own loss and gradient; the class and its evidence belong to the nearby critical point.
  const own = classifyPoint(weights, data, { ...rest, hessian: false, reported: undefined });
  // Near a non-strict saddle the critical set also holds strict saddles whose negative curvature is of the order
  // of their distance: say so when that is what Newton found.
  const h = exact.hessian;
  const tiny =
    exact.class === 'strict-saddle' &&
    h !== undefined &&
    -h.lambdaMin <= 100 * relativeDistance * Math.max(h.lambdaMax, Number.MIN_VALUE);
  const note = tiny
    ? ` (note: |λ_min| is of the order of the distance moved × ‖H‖, so the point also lies within that distance of critical points with a PSD Hessian — possibly a non-strict saddle)`
    : '';
  const merged: Classification = {
    ...exact,
    loss: own.loss,
    gradient: { ...own.gradient, userTolerance: userTol },
    certificate: `${head}; the exact critical point at distance ${f3(distance)} (${f3(relativeDistance)} relative, ${polished.iterations} Newton steps) is: ${exact.certificate}${note}`,
    nearby,
  };
  return { ...merged, reported: reportedChecks(merged, weights, data, options.reported) };
}

function reportedChecks(result: Classification, weights: Weights, data: Data, reported?: ReportedValues): Check[] {
  if (!reported) return [];
  const out: Check[] = [];
  if (reported.loss !== undefined) {
    if (!Number.isFinite(reported.loss))
      throw new DomainError('reported.loss', `must be a finite number, received ${reported.loss}`);
    // The user's code may accumulate in another order or in float32: allow 1e-6 relative on top of round-off.
    const close = (value: number, s: LossScale) =>
      Math.abs(reported.loss! - value) <= 1e-6 * Math.abs(value) + lossTolerance(weights, data, s);
    const ok = close(result.loss, result.scale);
    let detail = `reported ${f3(reported.loss)} vs L = ${f3(result.loss)} under scale '${result.scale}'`;
    if (!ok) {
      const other = ALL_SCALES.filter((s) => s !== result.scale).find((s) =>
        close(loss(weights, data, { scale: s }), s),
      );
      detail += other
        ? `; it matches scale '${other}' — wrong loss scale?`
        : '; it matches no loss scale (half, sum, mean)';
    }
    out.push({ name: 'reported loss', ok, detail });
  }
  if (reported.class !== undefined) {
    const claimed = reported.class === 'local-minimum' ? 'global-minimum' : reported.class;
    out.push({
      name: 'reported class',
      ok: claimed === result.class,
      detail: `reported '${reported.class}', classified '${result.class}'`,
    });
  }
  return out;
}

/** max |w_ij| over all layers (for the overflow message). */
function largestEntry(weights: Weights): number {
  let big = 0;
  for (const w of weights) for (const v of w.data) big = Math.max(big, Math.abs(v));
  return big;
}
