import fc from 'fast-check';
import { xorshift128plus, xorshift128plusFromState } from 'pure-rand/generator/xorshift128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { DomainError } from '../errors.js';
import { type LatentPoint, withLatent } from './latent.js';

/**
 * Where an instance comes from: fast-check's run `run` for the claim's seed (generated exactly as `fc.check` with
 * that seed generates its run `run`), then `shrinks`, each an index into fast-check's shrink stream of the value
 * before it. Together with a latent point (the draws of the seeded construction) it rebuilds the instance.
 */
export interface Recipe {
  readonly run: number;
  readonly shrinks: readonly number[];
}

/** A built instance: fast-check's value (with its shrink context) and the latent draws its construction used. */
export interface Built<I> {
  readonly value: fc.Value<I>;
  readonly latent: LatentPoint;
}

/** fast-check's bias schedule for run `run` (the runner passes this as `biasFactor`). */
function biasFor(run: number): number {
  return 2 + Math.floor(Math.log(run + 1) * Math.LOG10E);
}

/**
 * The instance space of one claim: fast-check's own sequence of generated values (the exploration), rebuilt on
 * demand under a latent point (the targeted phase), and fast-check's shrink streams (the shrinking).
 */
export class InstanceSpace<I> {
  private readonly explorer: JumpableRandomGenerator;
  private explored = 0;
  private readonly states = new Map<number, readonly number[]>();

  constructor(
    readonly arbitrary: fc.Arbitrary<I>,
    /** The claim seed (claimSeed(global seed, id)), as fc.check receives it. */
    readonly seed: number,
  ) {
    this.explorer = xorshift128plus(seed | 0);
  }

  /** The next run of fast-check's sequence (run 0, 1, 2, …), built and recorded. */
  next(): { run: number; built: Built<I> } {
    const run = this.explored++;
    this.explorer.jump();
    const state = this.explorer.getState?.();
    if (state) this.states.set(run, state);
    return { run, built: this.generateWith(this.explorer, run, undefined) };
  }

  get runsExplored(): number {
    return this.explored;
  }

  private generatorFor(run: number): JumpableRandomGenerator {
    const state = this.states.get(run);
    if (state) return xorshift128plusFromState(state);
    const g = xorshift128plus(this.seed | 0);
    for (let i = 0; i <= run; i++) g.jump();
    return g;
  }

  private generateWith(g: JumpableRandomGenerator, run: number, latent: LatentPoint | undefined): Built<I> {
    // fc.Random clones the generator, so `g` is left as it was.
    const { value, latent: used } = withLatent(latent, () => this.arbitrary.generate(new fc.Random(g), biasFor(run)));
    return { value, latent: used };
  }

  /** Rebuild the instance of a recipe on a latent point (every build along the way uses the same point). */
  rebuild(recipe: Recipe, latent: LatentPoint | undefined): Built<I> {
    let built = this.generateWith(this.generatorFor(recipe.run), recipe.run, latent);
    for (const index of recipe.shrinks) {
      let k = 0;
      let found: Built<I> | undefined;
      for (const candidate of this.shrinks(built.value, latent)) {
        if (k++ === index) {
          found = candidate;
          break;
        }
      }
      if (!found)
        throw new DomainError(
          'recipe',
          `shrink step ${index} does not exist (the claim's instance generator changed since the recipe was written)`,
        );
      built = found;
    }
    return built;
  }

  /** fast-check's shrink candidates of a value, each built on `latent` (lazily, in fast-check's order). */
  *shrinks(value: fc.Value<I>, latent: LatentPoint | undefined): Generator<Built<I>> {
    const stream = this.arbitrary.shrink(value.value_, value.context)[Symbol.iterator]();
    for (;;) {
      const step = withLatent(latent, () => stream.next());
      if (step.value.done) return;
      yield { value: step.value.value, latent: step.latent };
    }
  }
}
