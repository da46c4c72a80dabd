import { describe, expect, it } from 'vitest';
import { catalogue } from '../../properties/index.js';
import { main } from '../../src/cli/main.js';
import { captureConsole } from '../helpers/console-capture.js';

const { out, err } = captureConsole();

describe('verify --runs-scale', () => {
  it("runs K times each claim's own run count, and says so", async () => {
    const claim = catalogue.find((c) => c.id === 'grad.layer')!;
    expect(await main(['verify', '--claims', 'grad.layer', '--runs-scale', '2'])).toBe(0);
    expect(out[0]).toBe("dlnv verify: 1 claim, seed 1, 2× each claim's runs");
    expect(out.join('\n')).toContain(`held on ${2 * claim.runs!} runs`);
  });

  it.each([
    [['--runs-scale', '1'], /--runs-scale must be an integer in \[2, 1000\]/],
    [['--runs-scale', '3', '--runs', '5'], /give one of --runs, --runs-scale and --budget/],
  ])('refuses %j in one line', async (args, message) => {
    expect(await main(['verify', '--claims', 'grad.layer', ...args])).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });
});
