import fc from 'fast-check';
import { Matrix } from '../linalg/matrix.js';
import type { LossScale } from '../model/loss.js';
import { seeded } from './seeded.js';

/**
 * The symmetries that move the ICLR-2018 example (src/landscape/nr-models.ts) without changing any statement
 * about it: orthogonal changes of input, output and sample bases (angle and reflection each), the gauge
 * W_3 → cW_3, W_1 → c⁻¹W_1, and the loss scale.
 */
export interface Iclr18Moves {
  readonly angles: [number, number, number];
  readonly reflections: [boolean, boolean, boolean];
  readonly c: number;
  readonly scale: LossScale;
  readonly seed: number;
}

/** Half the draws are the example itself (identity moves, c = 1); the others rotate, reflect and rescale. */
export const iclr18MovesArb: fc.Arbitrary<Iclr18Moves> = seeded(
  fc.tuple(fc.constantFrom<LossScale>('half', 'sum', 'mean'), fc.boolean()),
  ([scale, moved], rng) => {
    if (!moved) return { angles: [0, 0, 0], reflections: [false, false, false], c: 1, scale, seed: 1 };
    const angles: [number, number, number] = [0, 0, 0].map(() => 2 * Math.PI * rng.uniform()) as [
      number,
      number,
      number,
    ];
    const reflections: [boolean, boolean, boolean] = [0, 0, 0].map(() => rng.uniform() < 0.5) as [
      boolean,
      boolean,
      boolean,
    ];
    return { angles, reflections, c: Math.exp(rng.uniform() - 0.5), scale, seed: rng.integer(0, 0x7fffffff) };
  },
);

/** The 2×2 rotation by `angle`, followed by a reflection of its second column when `reflect`. */
export function orthogonal2(angle: number, reflect: boolean): Matrix {
  const s = reflect ? -1 : 1;
  return Matrix.from([
    [Math.cos(angle), -s * Math.sin(angle)],
    [Math.sin(angle), s * Math.cos(angle)],
  ]);
}
