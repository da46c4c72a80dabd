import fc from 'fast-check';
import { type InputKind, landscapeData } from '../landscape/data.js';
import type { Matrix } from '../linalg/matrix.js';
import type { LossScale } from '../model/loss.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { dimension, seeded, widths as widthsArb } from './seeded.js';

/** A deep linear regression and a random start for local descent ("every local minimum is global"). */
export interface DescentInstance {
  readonly widths: number[];
  readonly inputs: InputKind;
  readonly scale: LossScale;
  readonly data: { X: Matrix; Y: Matrix };
  readonly start: Matrix[];
}

/** What descentStartArb draws from. */
export interface DescentStartConstraints {
  /** Depth N in this range (default [2, 4]). */
  readonly depth?: [number, number];
  /** Every width in this range (default [1, 4]; bottlenecks allowed). */
  readonly width?: [number, number];
  /** Samples m = d_0 + extra, extra in [0, maxExtraSamples] (default 3). */
  readonly maxExtraSamples?: number;
}

/**
 * Widths with bottlenecks, X whitened, conditioned or rank-deficient (then d_0 ≥ 2) with separated spectra
 * (src/landscape/data.ts), all three loss scales, start entries N(0, 1/fan-in).
 */
export function descentStartArb(constraints: DescentStartConstraints = {}): fc.Arbitrary<DescentInstance> {
  return seeded(
    fc.tuple(
      widthsArb({ depth: constraints.depth ?? [2, 4], width: constraints.width ?? [1, 4] }),
      fc.constantFrom<InputKind>('whitened', 'conditioned', 'deficient'),
      fc.constantFrom<LossScale>('half', 'sum', 'mean'),
      dimension(0, constraints.maxExtraSamples ?? 3),
    ),
    ([raw, inputs, scale, extra], rng) => {
      const widths = [...raw];
      if (inputs === 'deficient') widths[0] = Math.max(2, widths[0]);
      const N = widths.length - 1;
      const data = landscapeData(rng, { d0: widths[0], dN: widths[N], inputs, samples: widths[0] + extra });
      const start = widths.slice(1).map((r, j) => gaussianMatrix(rng, r, widths[j], 1 / Math.sqrt(widths[j])));
      return { widths, inputs, scale, data, start };
    },
  );
}
