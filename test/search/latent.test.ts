import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seeded } from '../../src/arbitraries/seeded.js';
import { Rng } from '../../src/random/rng.js';
import { LATENT_BOX, moveLatent, roundLatent, sameLatent, withLatent } from '../../src/search/latent.js';

const draws = (rng: Rng) => [
  rng.gaussian(),
  rng.uniform(),
  rng.integer(0, 9),
  ...rng.fillGaussian(new Float64Array(3)),
];

describe('latent draws', () => {
  it('leave the Rng untouched outside a session', () => {
    expect(draws(new Rng(7))).toEqual(draws(new Rng(7)));
    const inside = withLatent(undefined, () => draws(new Rng(7))).value;
    expect(inside).toEqual(draws(new Rng(7)));
  });

  it('record every top-level draw in call order and replay it bit for bit', () => {
    const recorded = withLatent(undefined, () => draws(new Rng(3)));
    // gaussian, uniform, uniform (inside integer), 3 gaussians: Box–Muller's inner uniforms are not coordinates.
    expect(recorded.latent.kinds).toBe('guuggg');
    const replayed = withLatent(recorded.latent, () => draws(new Rng(999)));
    expect(replayed.value).toEqual(recorded.value);
    expect(sameLatent(replayed.latent, recorded.latent)).toBe(true);
  });

  it('move only the chosen coordinates, keep Gaussian draws in the box and uniforms in (0, 1)', () => {
    const { latent } = withLatent(undefined, () => draws(new Rng(5)));
    const moved = moveLatent(latent, [0, 1], [100, 100]);
    expect(moved.values[0]).toBe(LATENT_BOX);
    expect(moved.values[1]).toBeGreaterThan(latent.values[1]);
    expect(moved.values[1]).toBeLessThan(1);
    expect(moved.values.slice(2)).toEqual(latent.values.slice(2));
    const value = withLatent(moved, () => draws(new Rng(5))).value;
    expect(value[0]).toBe(LATENT_BOX);
    expect(value.slice(3)).toEqual(withLatent(latent, () => draws(new Rng(5))).value.slice(3));
  });

  it('round Gaussian draws only, and extend a short point with fresh draws', () => {
    const { latent } = withLatent(undefined, () => draws(new Rng(11)));
    const r = roundLatent(latent, 1);
    expect(r.values[0]).toBe(Math.round(latent.values[0] * 10) / 10);
    expect(r.values[1]).toBe(latent.values[1]);
    const short = { values: latent.values.slice(0, 2), kinds: latent.kinds.slice(0, 2) };
    expect(withLatent(short, () => draws(new Rng(11))).latent.values).toEqual(latent.values);
  });

  it('move the instances of a seeded arbitrary continuously, and nest sessions', () => {
    const arb = seeded(fc.constant(2), (n, rng) => rng.fillGaussian(new Float64Array(n)));
    const first = withLatent(undefined, () => fc.sample(arb, { seed: 1, numRuns: 1 })[0]);
    const moved = moveLatent(first.latent, [0], [0.25]);
    const again = withLatent(moved, () => {
      const inner = withLatent(undefined, () => new Rng(1).gaussian());
      expect(inner.latent.kinds).toBe('g');
      return fc.sample(arb, { seed: 1, numRuns: 1 })[0];
    });
    expect(again.value[0]).toBeCloseTo(first.value[0] + 0.25, 14);
    expect(again.value[1]).toBe(first.value[1]);
  });

  it("records top-level draws only (Box–Muller's inner uniforms are not latent coordinates)", () => {
    class Other extends Rng {}
    expect(withLatent(undefined, () => [new Other(1).gaussian(), new Other(1).uniform()]).latent.kinds).toBe('gu');
  });
});
