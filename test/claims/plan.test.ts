import { describe, expect, it } from 'vitest';
import { inShard, parseSeeds, parseShard, planUnits } from '../../src/claims/plan.js';

describe('plans and shards', () => {
  const claims = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
  it('lists claims × seeds claim-major, and n shards cover it exactly once', () => {
    const units = planUnits(claims, [1, 2]);
    expect(units.slice(0, 3).map((u) => `${u.claim}@${u.seed}`)).toEqual(['a@1', 'a@2', 'b@1']);
    for (const n of [1, 2, 3, 7, 12]) {
      const slices = Array.from({ length: n }, (_, i) => units.filter((u) => inShard(u, { index: i + 1, count: n })));
      expect(
        slices
          .flat()
          .map((u) => u.index)
          .sort((x, y) => x - y),
      ).toEqual(units.map((u) => u.index));
      expect(Math.max(...slices.map((s) => s.length)) - Math.min(...slices.map((s) => s.length))).toBeLessThanOrEqual(
        1,
      );
    }
  });

  it('parses --shard and --seeds, rejecting bad values in one line', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/n/);
    expect(parseSeeds('1,3-5,3')).toEqual([1, 3, 4, 5]);
    expect(() => parseSeeds('5-3')).toThrow(/bad range/);
    expect(() => parseSeeds('x')).toThrow(/--seeds must list/);
  });
});
