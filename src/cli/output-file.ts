import { accessSync, closeSync, constants, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * Open an output path before the (possibly long) run, so an unwritable path fails in one line at once rather
 * than after minutes of work. Returns a writer for the final content.
 */
export function reserveOutput(option: string, path: string | undefined): ((content: string) => void) | undefined {
  if (path === undefined) return undefined;
  try {
    closeSync(openSync(path, 'w'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${option}: cannot write '${path}' (${code})`);
  }
  return (content: string) => writeFileSync(path, content);
}

/** Create (if needed) an output directory before the run and check that it is writable. */
export function reserveDirectory(option: string, path: string): string {
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${option}: cannot write to directory '${path}' (${code})`);
  }
  return path;
}
