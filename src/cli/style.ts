import { environmentValue } from '../wasm/environment.js';

/**
 * Colour for the status word that starts a result line (PASS, FAIL, ERROR, …), on a terminal only, and never
 * when NO_COLOR is set to anything (no-color.org) or TERM is 'dumb'. Logs and pipes get the plain text.
 */

const CODES: Record<string, string> = {
  PASS: '32',
  HOLDS: '32',
  FAIL: '31',
  VIOLATED: '31',
  MISMATCH: '31',
  REPORTED: '31',
  ERROR: '35',
  TIMEOUT: '35',
  UNDECIDED: '33',
  SKIP: '33',
};

export function colourOn(stream: { readonly isTTY?: boolean } = process.stdout): boolean {
  const noColor = environmentValue('NO_COLOR');
  return stream.isTTY === true && (noColor === undefined || noColor === '') && environmentValue('TERM') !== 'dumb';
}

/** `line` with its leading status word coloured (bold) when `on`; unchanged otherwise. */
export function paintStatus(line: string, on: boolean): string {
  if (!on) return line;
  const m = /^(\s*)([A-Z]+)\b/.exec(line);
  const code = m ? CODES[m[2]] : undefined;
  return code ? `${m![1]}\x1b[1;${code}m${m![2]}\x1b[0m${line.slice(m![0].length)}` : line;
}
