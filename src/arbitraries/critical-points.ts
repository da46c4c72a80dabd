import fc from 'fast-check';
import {
  admissibleKinds,
  type ConstructedCriticalPoint,
  type CriticalKind,
  constructCriticalPoint,
  kawaguchiChain,
  randomIndexSet,
  randomResidualSpec,
} from '../landscape/construct.js';
import { type InputKind, landscapeData } from '../landscape/data.js';
import { buildFrame } from '../landscape/frame.js';
import type { CriticalInstance, OriginInstance } from '../landscape/instances.js';
import { Matrix } from '../linalg/matrix.js';
import type { LossScale } from '../model/loss.js';
import { dimension, seeded, widths as widthsArb } from './seeded.js';

export type { CriticalInstance, OriginInstance };

/** What criticalInstanceArb draws from. */
export interface CriticalArbOptions {
  readonly depth?: [number, number];
  readonly width?: [number, number];
  readonly kinds?: readonly CriticalKind[];
  readonly inputs?: readonly InputKind[];
  readonly scales?: readonly LossScale[];
  /** Kawaguchi-type chains (equal hidden widths, full-rank middle layers) instead of random residual chains. */
  readonly kawaguchi?: boolean;
  /** Draw a perturbation exponent p ∈ {0..3} (size 10^{−p}, 0 = none) for polishing. */
  readonly perturb?: boolean;
  /**
   * Only non-degenerate points, rank W_{N:1} = |S| = min_i d_i (NR 2018): 'gap' sets of that size where the data
   * admit one (rank Q > min_i d_i), global points otherwise. Needs inputs of full row rank (r* = min_i d_i).
   */
  readonly nonDegenerate?: boolean;
}

/** Raise widths just enough for the requested kind to exist (so shrinking never produces an impossible instance). */
function admissibleWidths(widths: number[], kind: CriticalKind, inputs: InputKind, kawaguchi: boolean): number[] {
  const w = [...widths];
  const N = w.length - 1;
  const minInput = inputs === 'deficient' ? 2 : 1;
  w[0] = Math.max(w[0], minInput);
  if (kind === 'gap') {
    w[0] = Math.max(w[0], inputs === 'deficient' ? 3 : 2);
    w[N] = Math.max(w[N], 2);
  }
  if (kawaguchi) {
    const d = Math.max(2, ...w.slice(1, N));
    for (let h = 1; h < N; h++) w[h] = d;
  }
  return w;
}

export function criticalInstanceArb(options: CriticalArbOptions = {}): fc.Arbitrary<CriticalInstance> {
  const kinds = options.kinds ?? ['global', 'top', 'gap'];
  const inputs = options.inputs ?? ['whitened', 'conditioned', 'deficient'];
  const scales = options.scales ?? ['half', 'sum', 'mean'];
  const params = fc.tuple(
    widthsArb({ depth: options.depth ?? [2, 4], width: options.width ?? [1, 4] }),
    fc.constantFrom(...kinds),
    fc.constantFrom(...inputs),
    fc.constantFrom(...scales),
    dimension(0, 4),
    options.perturb ? fc.integer({ min: 0, max: 3 }) : fc.constant(0),
  );
  return seeded(params, ([rawWidths, requested, input, scale, extraSamples, perturbExp], rng) => {
    const seed = rng.integer(0, 0x7fffffff);
    const widths = admissibleWidths(rawWidths, requested, input, !!options.kawaguchi);
    const N = widths.length - 1;
    const data = landscapeData(rng, { d0: widths[0], dN: widths[N], inputs: input, samples: widths[0] + extraSamples });
    const frame = buildFrame(data, scale);
    const admissible = admissibleKinds(frame, widths);
    const narrowest = Math.min(...widths);
    const kind =
      admissible.includes(requested) && !(options.nonDegenerate && requested === 'gap' && frame.rankQ <= narrowest)
        ? requested
        : 'global';
    let point: ConstructedCriticalPoint;
    if (options.kawaguchi && N >= 3) {
      const d = widths[1];
      // S with r < d so that the point is not a global minimum through the middle layers' rank.
      let S = randomIndexSet(rng, frame, widths, kind);
      if (S.length >= d) S = S.slice(0, d - 1);
      point = kawaguchiChain(frame, data, widths, S, rng, { gauge: 1 + 3 * rng.uniform() });
    } else {
      const S = randomIndexSet(rng, frame, widths, kind, options.nonDegenerate ? narrowest : undefined);
      point = constructCriticalPoint(
        frame,
        data,
        {
          widths,
          S,
          residual: randomResidualSpec(rng, frame, widths, S.length),
          factors: rng.uniform() < 0.5 ? 'balanced' : 'random',
          gauge: rng.uniform() < 0.5 ? 1 : 1 + 3 * rng.uniform(),
          nullComponent: true,
        },
        rng,
      );
    }
    return {
      widths,
      inputs: input,
      scale,
      data,
      frame,
      point,
      perturbation: perturbExp === 0 ? 0 : Math.pow(10, -perturbExp),
      seed,
    };
  });
}

export function summarizeCritical(instance: CriticalInstance): unknown {
  const p = instance.point;
  return {
    widths: instance.widths,
    inputs: instance.inputs,
    scale: instance.scale,
    kind: p.kind,
    S: p.S,
    residualRanks: p.residualRanks,
    breaks: p.breaks,
    layerRanks: p.layerRanks,
    perturbation: instance.perturbation,
  };
}

/** What originInstanceArb draws from: depth N in `depth` (default [2, 5]), widths in `width` (default [1, 3]). */
export interface OriginConstraints {
  readonly depth?: [number, number];
  readonly width?: [number, number];
}

/** Conditioned random data (so Σ_YX ≠ 0 almost surely) and all-zero weights; all three loss scales. */
export function originInstanceArb(options: OriginConstraints = {}): fc.Arbitrary<OriginInstance> {
  const params = fc.tuple(
    widthsArb({ depth: options.depth ?? [2, 5], width: options.width ?? [1, 3] }),
    fc.constantFrom<LossScale>('half', 'sum', 'mean'),
  );
  return seeded(params, ([widths, scale], rng) => {
    const N = widths.length - 1;
    const data = landscapeData(rng, { d0: widths[0], dN: widths[N], inputs: 'conditioned' });
    return { widths, scale, data, weights: widths.slice(1).map((r, j) => new Matrix(r, widths[j])) };
  });
}
