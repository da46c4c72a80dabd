import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { gateCommand, gateHelp } from '../../src/cli/gate.js';
import { UsageError } from '../../src/errors.js';
import { CHECKS } from '../../src/gate/checks.js';
import { protocolSchemaText } from '../../src/gate/schema.js';
import { captureConsole } from '../helpers/console-capture.js';
import { tempDir } from '../helpers/temp-dir.js';

const { out } = captureConsole();

describe('dlnv gate CLI (no implementation needed)', () => {
  it('--help teaches: usage, every check with what it checks, the error model, exit codes, an example', async () => {
    expect(await gateCommand(['--help'])).toBe(0);
    const text = out.join('\n');
    expect(text).toBe(gateHelp);
    for (const c of CHECKS) expect(text).toContain(`  ${c.name.padEnd(14)}${c.summary}`);
    expect(text).toMatch(/--trajectory FILE/);
    expect(text).toMatch(/16·ε_dtype/);
    expect(text).toMatch(/Exit code: 0 .*; 1 .*; 2 /);
    expect(text).toMatch(/Example: dlnv gate --impl "python3 examples\/numpy_dln.py"/);
  });

  it('--schema prints docs/protocol.schema.json', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    expect(await gateCommand(['--schema'])).toBe(0);
    expect(written.join('')).toBe(protocolSchemaText());
  });

  it.each([
    [[], /give --impl COMMAND or --trajectory FILE/],
    [['--impl', 'x', '--trajectory', 'y'], /give --impl COMMAND or --trajectory FILE/],
    [['--impl', '  '], /--impl: the command is empty/],
    [['--impl', 'python3', 'my_dln.py'], /unexpected argument 'my_dln.py' \(quote the command/],
    [['--impl', 'x', '--runs', '0'], /--runs must be a positive integer, got '0'/],
    [['--impl', 'x', '--seed=-1'], /--seed must be an integer in \[0, 2\^32\)/],
    [['--impl', 'x', '--timeout', '0'], /--timeout must be a positive number of seconds/],
    [['--impl', 'x', '--encoding', 'xml'], /--encoding must be json or base64, got 'xml'/],
    [['--impl', 'x', '--checks', 'gradient,flux'], /--checks: unknown check 'flux' \(checks: loss, gradient, taylor/],
    [['--trajectory', 'run.npz', '--runs', '3'], /--checks, --runs, --instance and --encoding apply to --impl only/],
    [['--impl', 'x', '--json', join(tempDir('gate-cli'), 'no', 'r.json')], /--json: cannot write/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j is a one-line usage error', async (argv, message) => {
    const run = gateCommand(argv);
    await expect(run).rejects.toThrow(UsageError);
    await expect(gateCommand(argv)).rejects.toThrow(message);
  });
});
