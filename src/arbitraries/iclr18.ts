import fc from 'fast-check';
import type { Iclr18Moves } from '../landscape/instances.js';
import type { LossScale } from '../model/loss.js';
import { seeded } from './seeded.js';

export type { Iclr18Moves };

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
