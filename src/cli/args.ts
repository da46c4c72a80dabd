import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** util.parseArgs with dlnv's error style: any parse problem becomes a one-line UsageError. */
export function parseCommandArgs(
  command: string,
  argv: string[],
  options: OptionSpec,
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, unknown>, positionals };
  } catch (e) {
    throw new UsageError(
      `${command}: ${e instanceof Error ? e.message.replace(/\s*\n\s*/g, ' ') : String(e)} (see 'dlnv ${command} --help')`,
    );
  }
}

export function integerOption(
  name: string,
  raw: unknown,
  check: (n: number) => boolean,
  expectation: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${expectation}, got '${String(raw)}'`);
  return n;
}
