import { UsageError } from '../errors.js';

/**
 * A verify run is a list of units, claims × seeds in a fixed order (claim-major: every seed of the first claim,
 * then the next claim). `--shard i/n` keeps the units k with k mod n = i − 1: deterministic, balanced in count,
 * and independent of the machine, so n CI jobs cover the plan exactly once and `dlnv merge` restores its order.
 */
export interface Unit {
  /** Position in the full plan. */
  readonly index: number;
  readonly claim: string;
  readonly seed: number;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function planUnits(claims: readonly { readonly id: string }[], seeds: readonly number[]): Unit[] {
  const units: Unit[] = [];
  for (const c of claims) for (const seed of seeds) units.push({ index: units.length, claim: c.id, seed });
  return units;
}

export function inShard(unit: Pick<Unit, 'index'>, shard: Shard | undefined): boolean {
  return !shard || unit.index % shard.count === shard.index - 1;
}

/** 'i/n' with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN,
    count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1 && index <= count))
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 2/4), got '${text}'`);
  return { index, count };
}

const MAX_SEED = 0xffffffff;

/** '1,2,5-8' → [1, 2, 5, 6, 7, 8] (distinct, in the order given). */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`--seeds must list integers and ranges like 1,2,5-8, got '${part}'`);
    const lo = Number(m[1]),
      hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi > MAX_SEED || hi - lo > 10_000)
      throw new UsageError(`--seeds: bad range '${part}' (integers in [0, 2^32), at most 10 000 per range)`);
    for (let s = lo; s <= hi; s++) if (!seeds.includes(s)) seeds.push(s);
  }
  if (seeds.length === 0) throw new UsageError('--seeds lists no seed');
  return seeds;
}
