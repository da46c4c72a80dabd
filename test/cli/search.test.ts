import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';

const { out, err } = captureConsole();

const dir = tempDir('search-cli');
const thin = join(import.meta.dirname, '..', 'search', 'thin-claims.ts');

describe('dlnv search and dlnv replay', () => {
  it('finds a thin-region counterexample in a claim file, writes a replay file and replays it', async () => {
    const replay = join(dir, 'r.json'),
      report = join(dir, 's.json');
    expect(
      await main([
        'search',
        `${thin}#thin.gd-balance`,
        '--evaluations',
        '2000',
        '--out',
        replay,
        '--json',
        report,
        '--compare',
      ]),
    ).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/FOUND {2}thin\.gd-balance: a counterexample after \d+ evaluations \(targeted phase\)/);
    expect(text).toMatch(/compare: {5}fast-check alone found none in 2,000 evaluations/);
    expect(text).toContain(`replay:      dlnv replay ${replay}`);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.search).toMatchObject({ id: 'thin.gd-balance', found: true, foundBy: 'targeted' });
    expect(json.baseline).toMatchObject({ found: false, evaluations: 2000 });
    const file = JSON.parse(readFileSync(replay, 'utf8'));
    expect(file.claim.file).toMatch(/thin-claims\.ts$/);
    out.length = 0;
    expect(await main(['replay', replay])).toBe(0);
    expect(out[0]).toMatch(/^VIOLATED {2}thin\.gd-balance {2}\(reproduces the recorded outcome/);
    expect(out.join('\n')).toContain(json.search.counterexample.verdict.detail);
  });

  it('shrinks a catalogue FALSE variant and replays it; a replay that no longer fails says so', async () => {
    const replay = join(dir, 'odd.json');
    expect(await main(['search', 'nnls.positivity.odd-L', '--budget', '20', '--out', replay])).toBe(0);
    expect(out.join('\n')).toMatch(/instance: {4}\{"A":\[\[-?0\.\d+\]\],"b":\[-?0\.\d+\]/);
    const file = JSON.parse(readFileSync(replay, 'utf8'));
    out.length = 0;
    expect(await main(['replay', replay, '--json'])).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ violated: true, reproduced: true });
    // The same instance recorded as not violating: the replay reports it does not reproduce.
    writeFileSync(replay, JSON.stringify({ ...file, recorded: { ...file.recorded, violated: false } }));
    out.length = 0;
    expect(await main(['replay', replay])).toBe(0);
    expect(out[0]).toMatch(/does NOT reproduce/);
  });

  it('says what it tried when nothing is found, and exits 0 for a claim that holds', async () => {
    expect(await main(['search', 'grad.layer', '--evaluations', '120', '--explore', '20'])).toBe(0);
    expect(out.join('\n')).toMatch(
      /NONE {3}grad\.layer: no counterexample in [\d.]+ s \(budget 120 evaluations\): 120 instances tried; smallest margin seen [+−]?\d/,
    );
  });

  it.each([
    [['search'], /search takes one CLAIM/],
    [['search', 'a', 'b'], /search takes one CLAIM/],
    [['search', 'no.such.claim'], /no claim 'no\.such\.claim'/],
    [['search', 'grad.layer', '--evaluations', '0'], /--evaluations must be a positive integer/],
    [['search', `${thin}#nope`], /has no claim 'nope'/],
    [['search', thin], /defines 3 claims .*name one as/],
    [['replay'], /replay takes one FILE/],
    [['replay', join(dir, 'missing.json')], /cannot read/],
  ])('bad input %j gives one line and exit code 2', async (argv, message) => {
    expect(await main(argv)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it('rejects a malformed replay file naming the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        tool: 'dlnv',
        kind: 'search-replay',
        version: 1,
        claim: { id: 'grad.layer' },
        seed: 1,
        recipe: { run: -1, shrinks: [] },
      }),
    );
    expect(await main(['replay', bad])).toBe(2);
    expect(err[0]).toMatch(/recipe must be \{run, shrinks\}/);
  });
});
