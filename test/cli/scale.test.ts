import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';

const { out, err } = captureConsole();

const dir = tempDir('scale');
const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
/** A report without what differs between runs and between a run and its merge: times, timestamp, kind. */
const withoutTimes = ({
  timestamp: _t,
  kind: _k,
  mergedFrom: _m,
  ...r
}: {
  timestamp: string;
  kind: string;
  mergedFrom?: number;
  claims: { seconds: number }[];
}) => ({ ...r, claims: r.claims.map(({ seconds: _s, ...rest }) => rest) });
/** The figures of an HTML report (the SVGs with their captions), in order. */
const figures = (f: string) => readFileSync(join(dir, f), 'utf8').match(/<figure[\s\S]*?<\/figure>/g) ?? [];
const claims = [
  '--claims',
  'grad.*',
  'nnls.positivity',
  'nnls.positivity.odd-L',
  'metric.riemannian-gradient',
  '--runs',
  '4',
];

describe('scaling out: shards, merge, seeds', () => {
  it('--shard 1/2 + --shard 2/2, merged, equal the unsharded run: verdicts, JSON and figures', async () => {
    expect(
      await main([
        'verify',
        ...claims,
        '--seed',
        '3',
        '--json',
        join(dir, 'all.json'),
        '--html',
        join(dir, 'all.html'),
      ]),
    ).toBe(0);
    expect(await main(['verify', ...claims, '--seed', '3', '--shard', '1/2', '--json', join(dir, 's1.json')])).toBe(0);
    expect(await main(['verify', ...claims, '--seed', '3', '--shard', '2/2', '--json', join(dir, 's2.json')])).toBe(0);
    expect(read('s1.json').shard).toEqual({ index: 1, count: 2 });
    expect(read('s1.json').claims.length + read('s2.json').claims.length).toBe(read('all.json').claims.length);
    out.length = 0;
    expect(
      await main([
        'merge',
        join(dir, 's2.json'),
        join(dir, 's1.json'),
        '--json',
        join(dir, 'merged.json'),
        '--html',
        join(dir, 'merged.html'),
      ]),
    ).toBe(0);
    expect(out[0]).toMatch(/dlnv merge: 2 reports, 5 units/);
    expect(withoutTimes(read('merged.json'))).toEqual(withoutTimes(read('all.json')));
    expect(figures('all.html').length).toBeGreaterThanOrEqual(3);
    expect(figures('merged.html')).toEqual(figures('all.html'));
  });

  it('refuses to merge overlapping, incomplete or mismatched shards', async () => {
    await main(['verify', '--claims', 'grad.*', '--runs', '2', '--shard', '1/2', '--json', join(dir, 'g1.json')]);
    await main(['verify', '--claims', 'grad.*', '--runs', '3', '--shard', '2/2', '--json', join(dir, 'g2.json')]);
    err.length = 0;
    expect(await main(['merge', join(dir, 'g1.json'), join(dir, 'g1.json')])).toBe(2);
    expect(err[0]).toMatch(/appears in both/);
    expect(await main(['merge', join(dir, 'g1.json')])).toBe(2);
    expect(err[1]).toMatch(/1 unit is missing \(grad\.hessian@1\); is a shard missing\?/);
    expect(await main(['merge', join(dir, 'g1.json'), join(dir, 'g2.json')])).toBe(2);
    expect(err[2]).toMatch(/different plans/);
    expect(await main(['merge', join(dir, 'g1.json'), '--allow-partial'])).toBe(1);
  });

  it('runs claims × seeds and shards them', async () => {
    expect(
      await main([
        'verify',
        '--claims',
        'grad.layer',
        '--seeds',
        '1-3',
        '--runs',
        '2',
        '--shard',
        '2/2',
        '--json',
        join(dir, 'seeds.json'),
      ]),
    ).toBe(0);
    const r = read('seeds.json');
    expect(r.plan).toMatchObject({ claims: ['grad.layer'], seeds: [1, 2, 3] });
    expect(r.claims.map((c: { seed: number }) => c.seed)).toEqual([2]);
    expect(out.join('\n')).toMatch(/PASS {2}grad\.layer@2/);
  });

  it('--workers from the TypeScript sources runs in this thread, with a note', async () => {
    expect(await main(['verify', '--claims', 'grad.*', '--runs', '2', '--workers', '2'])).toBe(0);
    expect(err.join('\n')).toMatch(/--workers needs the compiled CLI/);
  });

  it.each([
    [['verify', '--shard', '3/2'], /--shard must be i\/n/],
    [['verify', '--seed', '1', '--seeds', '2'], /either --seed or --seeds/],
    [['verify', '--workers=-1'], /--workers must be an integer/],
    [['merge'], /merge needs the JSON reports/],
    [['merge', join(dir, 'none.json')], /cannot read/],
  ])('bad input %j gives one line and exit code 2', async (argv, message) => {
    expect(await main(argv)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });
});
